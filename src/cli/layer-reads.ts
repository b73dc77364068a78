/**
 * Where `strata components` and `strata layers` read an environment's layers from: the copy of
 * them that the last write left (store/pglite/read-copy.ts, decision 67) while the embedded store
 * is as that write left it; else the store, opened. This module loads neither the store nor the
 * catalog: a read answered from the copy takes a file read, not PGlite's start.
 */
import type { LayerSource } from '../store/layer-source.js';
import { defaultHome } from '../store/pglite/generation.js';
import { CopyGone, readCopy, type CopiedEnvironment } from '../store/pglite/read-copy.js';
import type { Store } from '../store/store.js';
import { environmentNamed } from './environment-name.js';
import { lentStore } from './lent.js';
import { storeSessionEnded } from './read-cache.js';

/**
 * Runs a read of an environment's layers on the copy, or on the store. Never the copy on
 * PostgreSQL, with kept answers turned off (STRATA_READ_CACHE=0), inside a write (a lent store),
 * or when `storeOnly` (what the copy does not hold).
 */
export async function withLayers<T>(
  flag: string | undefined,
  fn: (db: Store | LayerSource, env: CopiedEnvironment) => Promise<T>,
  opts: { storeOnly?: boolean } = {},
): Promise<T> {
  const home = defaultHome();
  const copy =
    !opts.storeOnly &&
    !lentStore() &&
    !process.env.DATABASE_URL &&
    process.env.STRATA_READ_CACHE !== '0'
      ? readCopy(home, environmentNamed(flag))
      : undefined;
  const fromStore = async (): Promise<T> => {
    const [{ withStore, environmentName }, { findEnvironment }] = await Promise.all([
      import('./context.js'),
      import('../store/environments.js'),
    ]);
    return withStore(async (store) =>
      fn(store, await findEnvironment(store, await environmentName(store, flag))),
    );
  };
  if (!copy) return fromStore();
  let result: T;
  try {
    result = await fn(copy, copy.environment);
  } catch (e) {
    // a chunk the copy names was removed by a write since (read-copy.ts)
    if (e instanceof CopyGone) return fromStore();
    throw e;
  }
  // what it printed may be kept under the generation it was read under (read-cache.ts)
  storeSessionEnded({ home, generation: copy.generation, wrote: false });
  return result;
}
