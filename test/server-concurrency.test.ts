/**
 * Several strata processes on one database, as real processes:
 *  - servers and CLI commands started at once on a new (or an old) PostgreSQL schema all come
 *    up: the schema migrations take turns (an advisory lock), none fails on another's work;
 *  - an Apply Solution Upgrade while imports are queued lets every import succeed: imports and
 *    lifecycle operations plan under the environment's lock, so none finds the environment
 *    changed under its plan;
 *  - `strata import` killed with SIGKILL in the middle of its write leaves no job 'running' once
 *    the next command opened the store (JOB_INTERRUPTED, with a history row); killed at its
 *    last statement (the history row), nothing of it committed: an import never commits
 *    without its job's end and history, as one did when they were written after it.
 * The embedded store's side (the next process to open a folder fails the jobs left running) is
 * tested in test/store-jobs.test.ts: a new PGlite folder costs a process half a minute here.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import { CATALOG_ID } from '../src/catalog/catalog.js';
import { importSolution } from '../src/engine/import.js';
import { buildSolutionZip, type SolutionSpec } from '../src/package/build.js';
import { createEnvironment } from '../src/store/environments.js';
import { migrate, MIGRATION_IDS } from '../src/store/migrations.js';
import { PostgresStore } from '../src/store/postgres/adapter.js';
import { createToken } from '../src/store/tokens.js';
import { REPO_ROOT } from './support/fixtures.js';
import { PG_URL, STORE_CASES } from './support/stores.js';

const pgCase = STORE_CASES.find((c) => c.name === 'postgres')!;
const MAIN = join(REPO_ROOT, 'src', 'cli', 'main.ts');
const tmp = mkdtempSync(join(tmpdir(), 'strata-concurrency-'));
const schemas: string[] = [];
const children = new Set<ChildProcess>();

after(async () => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
  if (!schemas.length) return;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  for (const s of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
  await admin.end();
});

/** A new, empty schema, and a DATABASE_URL whose connections use it. */
async function freshSchema(tag: string): Promise<{ schema: string; url: string }> {
  const schema = `strata_conc_${tag}_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  schemas.push(schema);
  const sep = PG_URL.includes('?') ? '&' : '?';
  const url =
    `${PG_URL}${sep}options=${encodeURIComponent(`-c search_path=${schema}`)}` +
    `&application_name=${schema}`;
  return { schema, url };
}

/** A solution of `tables` tables, 20 components each (bench/run.ts's shape). */
function solution(uniqueName: string, version: string, tables: number): Uint8Array {
  const spec: SolutionSpec = {
    uniqueName,
    displayName: uniqueName,
    version,
    managed: true,
    publisher: {
      uniqueName: 'concpub',
      displayName: 'Conc',
      prefix: 'cnc',
      optionValuePrefix: 61000,
    },
    tables: Array.from({ length: tables }, (_, t) => ({
      name: `cnc_${uniqueName}${t}`,
      display: `${uniqueName} ${t}${version.startsWith('1.') ? '' : ' (v2)'}`,
      forms: 1,
      views: 2,
      columns: Array.from({ length: 16 }, (_, c) => ({
        name: `cnc_col${c}`,
        display: `Column ${c}`,
        type: c % 2 ? ('int' as const) : ('nvarchar' as const),
      })),
    })),
  };
  return buildSolutionZip(spec);
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** `strata ARGS` in its own process. */
function strata(
  args: string[],
  env: Record<string, string>,
): { child: ChildProcess; exit: Promise<Exit> } {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = once(child, 'exit').then(([code, signal]) => {
    children.delete(child);
    return { code, signal, stdout, stderr } as Exit;
  });
  return { child, exit };
}

/** `strata serve` on a free port: resolves with its address once it listens, or its exit. */
function serve(env: Record<string, string>): { child: ChildProcess; up: Promise<string | Exit> } {
  const { child, exit } = strata(['serve', '--port', '0', '--quiet'], env);
  const up = new Promise<string | Exit>((resolve) => {
    createInterface({ input: child.stderr! }).on('line', (line) => {
      const m = /serving .* at (http:\/\/\S+)/.exec(line);
      if (m) resolve(m[1]);
    });
    void exit.then(resolve);
  });
  return { child, up };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('strata processes sharing one PostgreSQL database', { skip: pgCase.skip }, () => {
  test('servers and commands started at once on a new and an old schema all come up', async () => {
    const fresh = await freshSchema('new');
    const old = await freshSchema('old');
    const legacy = await PostgresStore.open(PG_URL, old.schema);
    await migrate(legacy, { upTo: 4 });
    await createEnvironment(legacy, 'legacy', CATALOG_ID);
    await legacy.close();
    // all at once: three servers and a command on the new schema, a command on the old one
    const servers = [0, 1, 2].map(() => serve({ DATABASE_URL: fresh.url }));
    const commands = [
      strata(['list', '--json'], { DATABASE_URL: fresh.url }),
      strata(['history', '--env', 'legacy', '--json'], { DATABASE_URL: old.url }),
    ];
    try {
      const addresses = await Promise.all(servers.map((s) => s.up));
      for (const a of addresses)
        assert.equal(typeof a, 'string', `a server failed: ${(a as Exit).stderr}`);
      for (const c of await Promise.all(commands.map((x) => x.exit))) {
        assert.equal(c.code, 0, c.stderr);
        assert.deepEqual(JSON.parse(c.stdout), []);
      }
      for (const a of addresses as string[])
        assert.equal((await fetch(`${a}/openapi.json`)).status, 200);
    } finally {
      await Promise.all(servers.map((s) => stop(s.child)));
    }
    for (const { url } of [fresh, old]) {
      const store = await PostgresStore.open(url);
      try {
        assert.equal(
          (await store.query('SELECT id FROM strata_migrations')).length,
          MIGRATION_IDS.length,
        );
      } finally {
        await store.close();
      }
    }
  });

  test('an Apply Solution Upgrade while imports are queued: every import succeeds', async () => {
    const { schema, url } = await freshSchema('apply');
    const store = await PostgresStore.open(PG_URL, schema);
    let server: ReturnType<typeof serve> | undefined;
    try {
      await migrate(store);
      await createEnvironment(store, 'prod', CATALOG_ID);
      const token = (await createToken(store, 'prod')).token;
      await importSolution(store, { environment: 'prod', source: solution('Base', '1.0.0.0', 10) });
      await importSolution(store, {
        environment: 'prod',
        source: solution('Base', '2.0.0.0', 10),
        options: { action: 'stage' },
      });
      server = serve({ DATABASE_URL: url });
      const base = await server.up;
      assert.equal(typeof base, 'string', (base as Exit).stderr);
      const call = async (method: string, path: string, body?: Uint8Array) => {
        const res = await fetch(`${base as string}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body ? { 'content-type': 'application/zip' } : {}),
          },
          body: body as BodyInit | undefined,
        });
        return { status: res.status, json: (await res.json()) as Record<string, unknown> };
      };
      // four imports queued; the upgrade is applied as soon as the first one runs
      const jobs: string[] = [];
      for (let i = 0; i < 4; i++) {
        const q = await call('POST', '/api/v1/imports', solution(`App${i}`, '1.0.0.0', 30));
        assert.equal(q.status, 202);
        jobs.push(String(q.json.jobId));
      }
      for (let i = 0; i < 400; i++) {
        if ((await call('GET', `/api/v1/jobs/${jobs[0]}`)).json.status !== 'queued') break;
        await sleep(10);
      }
      const applied = await call('POST', '/api/v1/solutions/Base/apply-upgrade');
      assert.equal(applied.status, 200, JSON.stringify(applied.json));
      const ended: Array<Record<string, unknown>> = [];
      for (const id of jobs) {
        for (let i = 0; i < 1200; i++) {
          const s = (await call('GET', `/api/v1/jobs/${id}`)).json;
          if (s.status === 'succeeded' || s.status === 'failed') {
            ended.push(s);
            break;
          }
          await sleep(50);
        }
      }
      assert.deepEqual(
        ended.map((s) => [s.status, s.code]),
        jobs.map(() => ['succeeded', '']),
        ended.map((s) => s.message).join(' | '),
      );
      const sols = await store.query<{ unique_name: string; version: string }>(
        'SELECT unique_name, version FROM solutions ORDER BY unique_name',
      );
      assert.deepEqual(
        sols.map((s) => `${s.unique_name} ${s.version}`),
        ['App0 1.0.0.0', 'App1 1.0.0.0', 'App2 1.0.0.0', 'App3 1.0.0.0', 'Base 2.0.0.0'],
      );
    } finally {
      if (server) await stop(server.child);
      await store.close();
    }
  });

  /**
   * `strata import` held inside its transaction at an insert into `table` (the test holds a
   * lock that conflicts with it), then killed; then the next command runs.
   */
  async function killedWhileWriting(table: 'solutions' | 'history') {
    const { schema, url } = await freshSchema(`kill${table.slice(0, 3)}`);
    const store = await PostgresStore.open(PG_URL, schema);
    await migrate(store);
    await createEnvironment(store, 'k', CATALOG_ID);
    const file = join(tmp, `kill-${table}.zip`);
    writeFileSync(file, solution('Killed', '1.0.0.0', 5));
    const holder = new pg.Client({ connectionString: PG_URL });
    await holder.connect();
    // (pg_stat_activity is read from another connection: within a transaction it stays as it was)
    const watcher = new pg.Client({ connectionString: PG_URL });
    await watcher.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`LOCK TABLE ${schema}.${table} IN SHARE MODE`);
      const run = strata(['import', file, '--env', 'k'], { DATABASE_URL: url });
      let waiting = false;
      for (let i = 0; i < 600 && !waiting; i++) {
        const rows = await watcher.query(
          `SELECT 1 FROM pg_stat_activity WHERE application_name = $1
             AND wait_event_type = 'Lock' AND query ILIKE $2`,
          [schema, `%INSERT INTO ${table}%`],
        );
        waiting = rows.rows.length > 0;
        if (!waiting) await sleep(50);
      }
      assert.ok(waiting, 'the import reached its insert into ' + table);
      run.child.kill('SIGKILL');
      assert.equal((await run.exit).signal, 'SIGKILL');
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
      await watcher.end();
    }
    const before = await store.query<{ id: string; status: string }>(
      'SELECT id, status FROM import_jobs',
    );
    assert.deepEqual(
      before.map((j) => j.status),
      ['running'],
      'the killed import left its job running',
    );
    const next = await strata(['list', '--env', 'k', '--json'], { DATABASE_URL: url }).exit;
    assert.equal(next.code, 0, next.stderr);
    assert.deepEqual(JSON.parse(next.stdout), [], 'nothing of the killed import was written');
    const jobs = await store.query<{ id: string; status: string; code: string }>(
      'SELECT id, status, code FROM import_jobs',
    );
    assert.deepEqual(
      jobs.map((j) => [j.id, j.status, j.code]),
      [[before[0].id, 'failed', 'JOB_INTERRUPTED']],
    );
    const history = await store.query<{ job_id: string; result: string; error_code: string }>(
      'SELECT job_id, result, error_code FROM history',
    );
    assert.deepEqual(
      history.map((h) => [h.job_id, h.result, h.error_code]),
      [[before[0].id, 'failure', 'JOB_INTERRUPTED']],
    );
    await store.close();
  }

  test('strata import killed at its first write: the next command fails its job', () =>
    killedWhileWriting('solutions'));

  test('strata import killed at its last write: nothing committed, not even part of it', () =>
    killedWhileWriting('history'));
});
