import { StrataError } from '../model/errors.js';
import type { Queryable } from './store.js';

/**
 * Every write starts here: it locks the environment row (so concurrent writers serialize) and
 * refuses when the environment is no longer at the revision the plan was made against.
 */
export async function lockRevision(
  tx: Queryable,
  envId: number,
  expected: number,
  environment: string,
  hint = 'Run the plan again and review it before importing.',
): Promise<void> {
  const rev = await tx.query<{ revision: number }>(
    'SELECT revision FROM environments WHERE id = $1 FOR UPDATE',
    [envId],
  );
  if (!rev[0] || Number(rev[0].revision) !== expected) {
    throw new StrataError(
      'ENVIRONMENT_CHANGED',
      `Environment ${environment} changed since this plan was made ` +
        `(revision ${expected}, now ${rev[0]?.revision ?? 'gone'}).`,
      { hint },
    );
  }
}
