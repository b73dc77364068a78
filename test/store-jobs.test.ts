/**
 * What the store does for processes that share it: a job left running by a process that died
 * is failed (JOB_INTERRUPTED, with a history row) while one that a live process claims is left
 * alone; schema migrations run by several stores at once each find the others' work. On both
 * stores (the migrations: PostgreSQL, where several processes share one database).
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { CATALOG_ID } from '../src/catalog/catalog.js';
import { createEnvironment, findEnvironment } from '../src/store/environments.js';
import { createJob, importJobClaim, jobSummary } from '../src/store/jobs.js';
import { migrate, MIGRATION_IDS } from '../src/store/migrations.js';
import { PostgresStore } from '../src/store/postgres/adapter.js';
import { failInterruptedImports } from '../src/store/queue.js';
import type { Store } from '../src/store/store.js';
import { PG_URL, STORE_CASES } from './support/stores.js';

for (const sc of STORE_CASES) {
  describe(`jobs of processes that died (${sc.name})`, { skip: sc.skip }, () => {
    let store: Store;
    let envId: number;
    before(async () => {
      store = await sc.open();
      await createEnvironment(store, 'e', CATALOG_ID);
      envId = (await findEnvironment(store, 'e')).id;
    });
    after(async () => {
      await store?.close();
    });

    const running = async (name: string): Promise<string> => {
      const id = randomUUID();
      await createJob(store, {
        id,
        envId,
        solution: {
          uniqueName: name,
          displayName: name,
          version: '1.0.0.0',
          managed: true,
          publisher: 'contoso',
        },
        operation: 'import',
        options: {},
      });
      return id;
    };

    test('a running job nobody claims is failed, with history; a claimed one runs on', async () => {
      const orphan = await running('Orphan');
      const alive = await running('Alive');
      const release = await store.claim(importJobClaim(envId, alive));
      assert.deepEqual(await failInterruptedImports(store), [orphan]);
      const o = await jobSummary(store, envId, orphan);
      assert.deepEqual([o.status, o.code], ['failed', 'JOB_INTERRUPTED']);
      assert.match(o.message ?? '', /stopped before the import finished/);
      assert.equal((await jobSummary(store, envId, alive)).status, 'running');
      const history = await store.query<{ solution_name: string; error_code: string }>(
        'SELECT solution_name, error_code FROM history WHERE job_id = $1',
        [orphan],
      );
      assert.deepEqual(history, [{ solution_name: 'Orphan', error_code: 'JOB_INTERRUPTED' }]);
      // its process is gone: the claim with it
      await release();
      assert.deepEqual(await failInterruptedImports(store), [alive]);
      assert.equal((await jobSummary(store, envId, alive)).code, 'JOB_INTERRUPTED');
    });
  });
}

const pgCase = STORE_CASES.find((c) => c.name === 'postgres')!;

describe('schema migrations run by several stores at once', { skip: pgCase.skip }, () => {
  const schemas: string[] = [];
  after(async () => {
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    for (const s of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    await admin.end();
  });

  for (const [what, upTo] of [
    ['a new schema', 0],
    ['an old schema', 4],
  ] as const)
    test(`on ${what}: every one succeeds, each migration runs once`, async () => {
      const schema = `strata_migr_${process.pid}_${randomBytes(3).toString('hex')}`;
      schemas.push(schema);
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`CREATE SCHEMA ${schema}`);
      await admin.end();
      const stores = await Promise.all([0, 1, 2, 3].map(() => PostgresStore.open(PG_URL, schema)));
      try {
        if (upTo) await migrate(stores[0], { upTo });
        await Promise.all(stores.map((s) => migrate(s)));
        const done = await stores[0].query<{ id: number }>(
          'SELECT id FROM strata_migrations ORDER BY id',
        );
        assert.deepEqual(
          done.map((d) => d.id),
          MIGRATION_IDS,
        );
      } finally {
        await Promise.all(stores.map((s) => s.close()));
      }
    });
});
