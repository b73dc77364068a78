/**
 * Two server processes on one PostgreSQL database share the import queue: every queued import
 * runs exactly once, both servers run imports, and no environment ever has two imports running
 * at the same time (the queue's unique index decides, not either process).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { CATALOG_ID } from '../src/catalog/catalog.js';
import { createEnvironment } from '../src/store/environments.js';
import { migrate } from '../src/store/migrations.js';
import { PostgresStore } from '../src/store/postgres/adapter.js';
import { createToken } from '../src/store/tokens.js';
import { REPO_ROOT } from './support/fixtures.js';
import { buildPackage } from './support/package-builder.js';
import { PG_URL, STORE_CASES } from './support/stores.js';

const pgCase = STORE_CASES.find((c) => c.name === 'postgres')!;

describe('two server processes on one PostgreSQL database', { skip: pgCase.skip }, () => {
  const schema = `strata_procs_${process.pid}_${randomBytes(3).toString('hex')}`;
  let store: PostgresStore;
  const children: ChildProcess[] = [];
  const urls: string[] = [];
  const tokens: Record<string, string> = {};

  before(async () => {
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    store = await PostgresStore.open(PG_URL, schema);
    await migrate(store);
    for (const env of ['east', 'west']) {
      await createEnvironment(store, env, CATALOG_ID);
      tokens[env] = (await createToken(store, env)).token;
    }
    for (let i = 0; i < 2; i++) {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', join(REPO_ROOT, 'test', 'support', 'server-process.ts')],
        {
          cwd: REPO_ROOT,
          env: { ...process.env, STRATA_TEST_PG_URL: PG_URL, STRATA_TEST_SCHEMA: schema },
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      children.push(child);
      const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
      urls.push((JSON.parse(line) as { url: string }).url);
    }
  });

  after(async () => {
    for (const c of children) {
      c.kill('SIGTERM');
      if (c.exitCode === null) await once(c, 'exit');
    }
    await store?.close();
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  test('imports queued via both servers run once each, one at a time per environment', async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    type JobJson = Record<string, any>;
    const jobs: Array<{ env: string; jobId: string }> = [];
    const summaries: JobJson[] = [];
    /** Eight imports, each environment's through both servers, interleaved; waits for all. */
    const round = async (r: number): Promise<void> => {
      const queued: Array<{ env: string; jobId: string }> = [];
      for (let i = 0; i < 4; i++) {
        for (const [e, env] of ['east', 'west'].entries()) {
          const name = `new_proc${env}${r}x${i}`;
          const pkg = buildPackage({
            uniqueName: `Proc${env}${r}x${i}`,
            entities: [
              { name, attributes: [`${name}id`, 'new_name'], forms: [{ fields: ['new_name'] }] },
            ],
          });
          const res = await fetch(`${urls[(i + e) % 2]}/api/v1/imports`, {
            method: 'POST',
            headers: { authorization: `Bearer ${tokens[env]}`, 'content-type': 'application/zip' },
            body: pkg as BodyInit,
          });
          assert.equal(res.status, 202, await res.clone().text());
          queued.push({ env, jobId: ((await res.json()) as { jobId: string }).jobId });
        }
      }
      for (const j of queued) {
        for (let i = 0; ; i++) {
          assert.ok(i < 1200, `job ${j.jobId} finished`);
          // either server answers for any job of the environment
          const r = await fetch(`${urls[i % 2]}/api/v1/jobs/${j.jobId}`, {
            headers: { authorization: `Bearer ${tokens[j.env]}` },
          });
          const s = (await r.json()) as JobJson;
          if (s.status === 'succeeded' || s.status === 'failed') {
            summaries.push({ ...s, env: j.env });
            break;
          }
          await new Promise((res) => setTimeout(res, 50));
        }
      }
      jobs.push(...queued);
    };
    await round(0);
    // which server claims a job is a race: when one took all eight, a second round gives the
    // other its chance (both rounds are checked alike below)
    if (new Set(summaries.map((s) => s.runner)).size < 2) await round(1);
    assert.deepEqual(
      summaries.map((s) => s.status),
      jobs.map(() => 'succeeded'),
      summaries.map((s) => s.message).join(' | '),
    );
    const runners = new Set(summaries.map((s) => s.runner));
    assert.equal(runners.size, 2, `both servers ran imports: ${[...runners].join(', ')}`);
    for (const env of ['east', 'west']) {
      const runs = summaries
        .filter((s) => s.env === env)
        .map((s) => [Date.parse(s.startedOn), Date.parse(s.completedOn)] as const)
        .sort((x, y) => x[0] - y[0]);
      for (let i = 1; i < runs.length; i++)
        assert.ok(
          runs[i][0] >= runs[i - 1][1],
          `${env}: import ${i} started after import ${i - 1} finished`,
        );
    }
    // each import ran exactly once: one history entry per solution, all solutions installed
    const hist = await store.query<{ solution_name: string; n: number }>(
      `SELECT solution_name, count(*)::int AS n FROM history WHERE operation = 'import'
       GROUP BY solution_name`,
    );
    assert.equal(hist.length, jobs.length);
    assert.ok(hist.every((h) => Number(h.n) === 1));
    assert.equal((await store.query('SELECT 1 FROM solutions')).length, jobs.length);
  });
});
