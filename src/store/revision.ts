import { StrataError } from '../model/errors.js';
import type { Queryable } from './store.js';

/**
 * Every write to an environment starts here, in its transaction: it locks the environment's row,
 * so writers of one environment take turns, and returns the revision. An import or lifecycle
 * operation that plans after taking the lock plans against exactly what it will write over
 * (engine/import.ts, engine/lifecycle.ts). FOR NO KEY UPDATE, not FOR UPDATE: rows that only
 * refer to the environment (a queued job, a history row, a token) can still be added meanwhile.
 */
export async function lockEnvironment(tx: Queryable, envId: number): Promise<number> {
  const rows = await tx.query<{ revision: number }>(
    'SELECT revision FROM environments WHERE id = $1 FOR NO KEY UPDATE',
    [envId],
  );
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
