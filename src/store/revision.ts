import { StrataError } from '../model/errors.js';
import { isLockNotAvailable } from './sqlstate.js';
import type { Queryable } from './store.js';

/**
 * Every write to an environment starts here, in its transaction: it locks the environment's row,
 * so writers of one environment take turns, and returns the revision. An import or lifecycle
 * operation that plans after taking the lock plans against exactly what it will write over
 * (engine/import.ts, engine/lifecycle.ts). FOR NO KEY UPDATE, not FOR UPDATE: rows that only
 * refer to the environment (a queued job, a history row, a token) can still be added meanwhile.
 * `onWait` is told, once, when another writer holds the environment and this one has to wait
 * for its turn (the CLI says so; the wait itself is the database's lock queue).
 */
export async function lockEnvironment(
  tx: Queryable,
  envId: number,
  onWait?: () => void,
): Promise<number> {
  if (onWait) {
    const free = await tryLockEnvironment(tx, envId);
    if (free !== undefined) return free;
    onWait();
  }
  const rows = await tx.query<{ revision: number }>(
    'SELECT revision FROM environments WHERE id = $1 FOR NO KEY UPDATE',
    [envId],
  );
  return revisionOf(rows);
}

/**
 * The lock taken only if nobody holds it: the revision, or undefined when another transaction
 * holds the environment. The savepoint keeps this transaction usable after NOWAIT's error.
 */
async function tryLockEnvironment(tx: Queryable, envId: number): Promise<number | undefined> {
  await tx.query('SAVEPOINT strata_try_lock');
  try {
    const rows = await tx.query<{ revision: number }>(
      'SELECT revision FROM environments WHERE id = $1 FOR NO KEY UPDATE NOWAIT',
      [envId],
    );
    await tx.query('RELEASE SAVEPOINT strata_try_lock');
    return revisionOf(rows);
  } catch (e) {
    if (!isLockNotAvailable(e)) throw e;
    await tx.query('ROLLBACK TO SAVEPOINT strata_try_lock');
    return undefined;
  }
}

function revisionOf(rows: { revision: number }[]): number {
  if (!rows[0])
    throw new StrataError('ENVIRONMENT_NOT_FOUND', 'The environment was deleted meanwhile.', {
      hint: 'strata env list shows the environments there are.',
    });
  return Number(rows[0].revision);
}

/**
 * Locks the environment (lockEnvironment) and refuses when it is no longer at the revision the
 * plan was made against: a plan saved earlier (strata plan -o) that the environment outran.
 */
export async function lockRevision(
  tx: Queryable,
  envId: number,
  expected: number,
  environment: string,
  hint = 'Run the plan again and review it before importing.',
): Promise<void> {
  const rows = await tx.query<{ revision: number }>(
    'SELECT revision FROM environments WHERE id = $1 FOR NO KEY UPDATE',
    [envId],
  );
  if (!rows[0] || Number(rows[0].revision) !== expected) {
    throw new StrataError(
      'ENVIRONMENT_CHANGED',
      `Environment ${environment} changed since this plan was made ` +
        `(revision ${expected}, now ${rows[0]?.revision ?? 'gone'}).`,
      { hint },
    );
  }
}
