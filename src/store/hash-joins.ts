import type { Queryable } from './store.js';

/**
 * Runs `fn`'s statements with nested-loop joins off, for the rest of the transaction `fn` runs
 * in, then as before. Layers loaded by the thousand have no statistics (PGlite runs no
 * autovacuum), and the planner, taking each side for a few rows, joins two solutions' layers
 * by a nested loop: quadratic, two minutes at 100,000. Off, it joins them by hash.
 *
 * The setting is the transaction's (`set_config(…, true)`): outside one it would not reach the
 * next statement. It is put back only when `fn` succeeds; a failure rolls the transaction back,
 * and the setting with it (putting it back in an aborted transaction would fail and hide why).
 */
export async function withoutNestedLoops<T>(tx: Queryable, fn: () => Promise<T>): Promise<T> {
  const [{ nestloop }] = await tx.query<{ nestloop: string }>(
    "SELECT current_setting('enable_nestloop') AS nestloop",
  );
  await tx.query("SELECT set_config('enable_nestloop', 'off', true)");
  const out = await fn();
  await tx.query("SELECT set_config('enable_nestloop', $1, true)", [nestloop]);
  return out;
}
