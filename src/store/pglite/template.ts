import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { migrate, MIGRATIONS_DIGEST } from '../migrations.js';
import { PGliteStore, type StoreTemplate } from './adapter.js';

/**
 * New embedded stores start from a copy of an initialised, migrated one (decision 55).
 *
 * Making a PostgreSQL database from nothing (initdb) takes PGlite about 6 s in a folder and 3 s in
 * memory, and the migrations more; copying the folder of one made earlier takes 0.1–0.5 s (its
 * 15 MB in 377 files: WAL segments of 1 MB and no template databases). The first
 * store a machine makes is therefore made once more, in the cache, and kept there as the template
 * of every later one: its folder (copied into a new store's folder) and the same as a tar file
 * (loaded into a new store in memory, as the tests make theirs).
 *
 * The cache is `$STRATA_CACHE_DIR`, else `$XDG_CACHE_HOME/strata`, else `~/.cache/strata`. A
 * template is named after the PGlite version and a digest of the migrations, so another build of
 * strata never starts from a database its migrations would not have made. It can be deleted at
 * any time; without a writable cache, stores are made as before.
 */

/** Templates of other builds that nobody has used for this long are removed. */
const STALE_MS = 7 * 24 * 3600 * 1000;

export function templateCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.STRATA_CACHE_DIR) return env.STRATA_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'strata');
}

const making = new Map<string, Promise<StoreTemplate | null>>();

/**
 * The template for this build, made first if the cache has none; null when it cannot be made
 * (a cache that cannot be written): the caller then initialises the database itself.
 */
export function storeTemplate(cache = templateCacheDir()): Promise<StoreTemplate | null> {
  let t = making.get(cache);
  if (!t) {
    t = findOrMake(cache).catch(() => null);
    making.set(cache, t);
  }
  return t;
}

function pgliteVersion(): string {
  const require = createRequire(import.meta.url);
  let dir = dirname(require.resolve('@electric-sql/pglite'));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === '@electric-sql/pglite' && pkg.version) return pkg.version;
    }
    const up = dirname(dir);
    if (up === dir) return 'unknown';
    dir = up;
  }
}

function paths(root: string): StoreTemplate & { ready: string } {
  return { dir: join(root, 'data'), tarball: join(root, 'data.tar'), ready: join(root, 'ready') };
}

async function findOrMake(cache: string): Promise<StoreTemplate | null> {
  const name = `pglite-${pgliteVersion()}-${MIGRATIONS_DIGEST}`;
  const root = join(cache, name);
  const final = paths(root);
  if (existsSync(final.ready)) return { dir: final.dir, tarball: final.tarball };

  mkdirSync(cache, { recursive: true });
  const work = mkdtempSync(join(cache, `.making-${name}-`));
  try {
    const made = paths(work);
    // WAL in segments of 1 MB, not 16: a new store's folder is copied whole
    const store = await PGliteStore.open(made.dir, { initdb: ['--wal-segsize=1'] });
    try {
      await migrate(store);
      // strata uses one database, `postgres`, and never makes another: the template databases
      // would be more than half of every new store's files
      await store.query(
        "UPDATE pg_database SET datistemplate = false WHERE datname IN ('template0', 'template1')",
      );
      for (const db of ['template0', 'template1']) await store.query(`DROP DATABASE ${db}`);
      await store.query('CHECKPOINT');
      await store.dumpTo(made.tarball);
    } finally {
      await store.close();
    }
    writeFileSync(made.ready, `${new Date().toISOString()}\n`);
    try {
      renameSync(work, root);
    } catch {
      // another process made it first: theirs is as good
      if (!existsSync(final.ready)) throw new Error(`cannot keep the store template in ${root}`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  removeStale(cache, name);
  return { dir: final.dir, tarball: final.tarball };
}

function removeStale(cache: string, current: string): void {
  for (const entry of readdirSync(cache)) {
    if (entry === current || !(entry.startsWith('pglite-') || entry.startsWith('.making-')))
      continue;
    const path = join(cache, entry);
    try {
      if (Date.now() - statSync(path).mtimeMs > STALE_MS)
        rmSync(path, { recursive: true, force: true });
    } catch {
      // another process is removing it
    }
  }
}
