import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate } from '../../src/store/migrations.js';
import { PGliteStore } from '../../src/store/pglite/adapter.js';
import { storeTemplate } from '../../src/store/pglite/template.js';
import { PostgresStore } from '../../src/store/postgres/adapter.js';
import type { Store } from '../../src/store/store.js';

/**
 * The stores every engine test runs against: embedded PGlite always, PostgreSQL when a server
 * answers (STRATA_TEST_DATABASE_URL, default the local test database). Without a server the
 * PostgreSQL cases are skipped with the reason printed — except in CI, where they must run.
 */
export const PG_URL =
  process.env.STRATA_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Whether the server answers: a refused connection fails at once; a slow one (a machine busy with
 * two test files and their browsers: CI once failed on a 3 s timeout) is given 15 s, twice.
 */
async function postgresAvailable(): Promise<string | null> {
  let problem = '';
  for (let attempt = 0; attempt < 2; attempt++) {
    const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 15_000 });
    try {
      await c.connect();
      await c.query('SELECT 1');
      return null;
    } catch (e) {
      problem = (e as Error).message || String(e);
      if (!/timeout/i.test(problem)) return problem;
    } finally {
      await c.end().catch(() => undefined);
    }
  }
  return problem;
}

const pgProblem = await postgresAvailable();
if (pgProblem && process.env.CI) {
  throw new Error(`PostgreSQL is required in CI but not reachable at ${PG_URL}: ${pgProblem}`);
}
if (pgProblem)
  console.log(
    `# PostgreSQL store tests skipped: no server at ${PG_URL} (${pgProblem}). ` +
      'Start one (pg_ctlcluster ... start) or set STRATA_TEST_DATABASE_URL.',
  );

/**
 * A fresh embedded store in memory, migrated (or only up to migration `upTo`). A complete one
 * starts from the cached template (store/pglite/template.ts): 0.7 s instead of initdb's 3 s.
 */
export async function openMemoryStore(opts: { upTo?: number } = {}): Promise<PGliteStore> {
  const template = opts.upTo === undefined ? await storeTemplate() : null;
  const s = await PGliteStore.open(null, { template });
  await migrate(s, opts);
  return s;
}

export interface StoreCase {
  name: 'pglite' | 'postgres';
  skip: string | false;
  /** a fresh store, migrated to the current schema (or only up to migration `upTo`) */
  open(opts?: { upTo?: number }): Promise<Store>;
}

/**
 * A fresh, migrated store: PGlite in memory, or a private schema on the PostgreSQL server
 * (dropped on close).
 */
export const STORE_CASES: StoreCase[] = [
  {
    name: 'pglite',
    skip: false,
    open: (opts = {}) => openMemoryStore(opts),
  },
  {
    name: 'postgres',
    skip: pgProblem ? `PostgreSQL not reachable at ${PG_URL}` : false,
    open: async (opts = {}) => {
      const schema = `strata_test_${process.pid}_${randomBytes(4).toString('hex')}`;
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`CREATE SCHEMA ${schema}`);
      await admin.end();
      const s = await PostgresStore.open(PG_URL, schema);
      await migrate(s, opts);
      const close = s.close.bind(s);
      s.close = async () => {
        await close();
        const a = new pg.Client({ connectionString: PG_URL });
        await a.connect();
        // the environments' record schemas (store/record-names.ts) go with it
        const records = await a.query<{ nspname: string }>(
          `SELECT nspname FROM pg_namespace WHERE nspname LIKE $1`,
          [`${schema}\\_\\_env\\_%`],
        );
        for (const r of records.rows) await a.query(`DROP SCHEMA "${r.nspname}" CASCADE`);
        await a.query(`DROP SCHEMA ${schema} CASCADE`);
        await a.end();
      };
      return s;
    },
  },
];
