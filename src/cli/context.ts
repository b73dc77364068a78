/** What handlers share: the store, opened for one command, and the environment it works on. */
import { CATALOG_ID } from '../catalog/catalog.js';
import { ensureEnvironment } from '../store/environments.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';

const DEFAULT_ENV = 'default';

/**
 * Opens the store for one command and always closes it (PGlite holds the process open otherwise).
 */
export async function withStore<T>(fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore();
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** The environment a command works on; the default one is created on first use. */
export async function environmentName(store: Store, flag: string | undefined): Promise<string> {
  const name = flag ?? process.env.STRATA_ENV ?? DEFAULT_ENV;
  if (name === DEFAULT_ENV) await ensureEnvironment(store, name, CATALOG_ID);
  return name;
}
