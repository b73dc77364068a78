import { resolve } from 'node:path';
import { StrataError } from '../model/errors.js';
import { migrate } from './migrations.js';
import { failInterruptedImports } from './queue.js';
import { PGliteStore } from './pglite/adapter.js';
import { PostgresStore } from './postgres/adapter.js';
import type { Store } from './store.js';

export interface OpenOptions {
  /** PostgreSQL connection string; defaults to $DATABASE_URL. Absent → embedded PGlite. */
  databaseUrl?: string;
  /** PGlite folder; defaults to $STRATA_HOME or ./.strata. null → in memory. */
  home?: string | null;
}

function defaultHome(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.STRATA_HOME || '.strata');
}

/**
 * Opens (and migrates) the store: PostgreSQL when a URL is given, else embedded PGlite. Import
 * jobs left 'running' by a process that died are failed here (failInterruptedImports), so any
 * command after a killed `strata import` finds its job ended.
 */
export async function openStore(opts: OpenOptions = {}): Promise<Store> {
  const url = opts.databaseUrl ?? process.env.DATABASE_URL;
  let store: Store;
  try {
    store = url
      ? await PostgresStore.open(url)
      : await PGliteStore.open(opts.home === undefined ? defaultHome() : opts.home);
  } catch (e) {
    if (e instanceof StrataError) throw e; // STORE_IN_USE says it better
    throw new StrataError(
      'STORE_UNAVAILABLE',
      `Cannot open the ${url ? 'PostgreSQL' : 'embedded'} store: ${(e as Error).message}`,
      {
        hint: url
          ? 'Check DATABASE_URL and that the server is running.'
          : 'Check that STRATA_HOME (or ./.strata) is writable ' +
            'and not used by another strata process.',
        cause: e,
      },
    );
  }
  try {
    await migrate(store);
    await failInterruptedImports(store);
  } catch (e) {
    await store.close();
    throw e;
  }
  return store;
}
