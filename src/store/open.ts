import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { StrataError } from '../model/errors.js';
import { migrate } from './migrations.js';
import { failInterruptedImports } from './queue.js';
import type { PGliteStore } from './pglite/adapter.js';
import { defaultHome, newGeneration, readGeneration } from './pglite/generation.js';
import type { Store } from './store.js';

export {
  COMMAND_SHARED_BUFFERS,
  LARGE_FILE_SHARED_BUFFERS,
  READ_SHARED_BUFFERS,
} from './pglite/settings.js';

export interface OpenOptions {
  /** PostgreSQL connection string; defaults to $DATABASE_URL. Absent → embedded PGlite. */
  databaseUrl?: string;
  /** PGlite folder; defaults to $STRATA_HOME or ./.strata. null → in memory. */
  home?: string | null;
  /** PGlite's shared buffers (a short command takes fewer: COMMAND_SHARED_BUFFERS) */
  sharedBuffers?: string;
}

/**
 * The embedded store in `home` (null: in memory). A new one starts from the template of a
 * migrated store (store/pglite/template.ts) instead of initialising a database.
 */
async function openEmbedded(home: string | null, sharedBuffers?: string): Promise<PGliteStore> {
  // loaded here, not above: a command on PostgreSQL has no use for PGlite (≈ 30 ms to load)
  const [{ PGliteStore }, { storeTemplate }] = await Promise.all([
    import('./pglite/adapter.js'),
    import('./pglite/template.js'),
  ]);
  const fresh = home === null || !existsSync(join(home, 'PG_VERSION'));
  const store = await PGliteStore.open(home, {
    template: fresh ? await storeTemplate() : null,
    sharedBuffers,
    // what cli/read-cache.ts kept of this store is void from the first write on
    beforeFirstWrite: home === null ? undefined : () => newGeneration(home),
  });
  // read under the store's lock: no other process writes it while this one has it open
  if (home !== null) generationAtOpen.set(store, readGeneration(home));
  return store;
}

const generationAtOpen = new WeakMap<Store, string>();

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
      ? // loaded only when asked for: `pg` costs an embedded command ~0.1 s to load
        await (await importPostgres()).PostgresStore.open(url)
      : await openEmbedded(opts.home === undefined ? defaultHome() : opts.home, opts.sharedBuffers);
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

/** An embedded store's session so far (cli/read-cache.ts keeps what a read of it printed). */
export interface StoreSession {
  /** the store's folder */
  home: string;
  /** its generation when the session began */
  generation: string;
  /** whether the session ran a statement that may have written */
  wrote: boolean;
}

/** The session of a store opened in a folder; null for one in memory, or PostgreSQL. */
export function embeddedSession(store: Store): StoreSession | null {
  const generation = generationAtOpen.get(store);
  if (generation === undefined || store.kind !== 'pglite') return null;
  const embedded = store as PGliteStore;
  return { home: embedded.location, generation, wrote: embedded.wrote };
}

/**
 * The PostgreSQL adapter, loaded. `pg` asks at load whether it runs in a Cloudflare Worker: where
 * `navigator` is missing (Node 20; Node 21 on has one) it builds a fetch `Response` to find out,
 * which loads Node's whole fetch implementation — 60–75 ms of every PostgreSQL command. While it
 * loads, a `navigator` such as newer Node's own answers at once; it is removed afterwards.
 */
async function importPostgres(): Promise<typeof import('./postgres/adapter.js')> {
  const lent = !('navigator' in globalThis);
  if (lent)
    Object.defineProperty(globalThis, 'navigator', {
      value: { userAgent: `Node.js/${process.versions.node.split('.')[0]}` },
      configurable: true,
    });
  try {
    return await import('./postgres/adapter.js');
  } finally {
    if (lent) delete (globalThis as { navigator?: unknown }).navigator;
  }
}
