/**
 * Several `strata import` processes into one environment at once: with PostgreSQL they take
 * turns, each saying that it waits; a saved plan that another import outran is refused; with the
 * embedded store a second process is refused by the folder's lock, with a message that says why.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { PGliteStore } from '../src/store/pglite/adapter.js';
import { buildPackage } from './support/package-builder.js';
import { PG_URL, STORE_CASES } from './support/stores.js';

const MAIN = join(import.meta.dirname, '..', 'src', 'cli', 'main.ts');
const POSTGRES = STORE_CASES.find((s) => s.name === 'postgres')!;

interface Run {
  child: ChildProcess;
  out: string;
  err: string;
  exit: Promise<number | null>;
}

/** `strata ARGS` in its own process; what it printed so far is read from the returned object. */
function start(env: Record<string, string>, args: string[]): Run {
  const base = { ...process.env };
  delete base.STRATA_ENV;
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const run: Run = { child, out: '', err: '', exit: Promise.resolve(null) };
  child.stdout!.on('data', (d: Buffer) => (run.out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (run.err += d.toString()));
  run.exit = new Promise((resolve) => child.on('close', (code) => resolve(code)));
  return run;
}

async function strata(env: Record<string, string>, ...args: string[]) {
  const r = start(env, args);
  const code = await r.exit;
  return { code, out: r.out, err: r.err };
}

async function until(what: string, ok: () => boolean, seconds = 60): Promise<void> {
  const end = Date.now() + seconds * 1000;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const packageOf = (i: number): Uint8Array =>
  buildPackage({
    uniqueName: `Queue${i}`,
    managed: true,
    entities: [{ name: `new_queue${i}`, attributes: [`new_queue${i}id`, 'new_name'] }],
  });

describe('concurrent CLI imports on PostgreSQL', { skip: POSTGRES.skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-queue-'));
  const schema = `strata_queue_${process.pid}_${randomBytes(3).toString('hex')}`;
  const sep = PG_URL.includes('?') ? '&' : '?';
  const url = `${PG_URL}${sep}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const env = { DATABASE_URL: url };
  const file = (i: number): string => join(dir, `queue${i}.zip`);

  before(async () => {
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    for (const i of [1, 2, 3, 4, 5, 6]) writeFileSync(file(i), packageOf(i));
    const made = await strata(env, 'env', 'create', 'shared');
    assert.equal(made.code, 0, made.err);
  });
  after(async () => {
    const a = new pg.Client({ connectionString: PG_URL });
    await a.connect();
    const records = await a.query<{ nspname: string }>(
      'SELECT nspname FROM pg_namespace WHERE nspname LIKE $1',
      [`${schema}\\_\\_env\\_%`],
    );
    for (const r of records.rows) await a.query(`DROP SCHEMA "${r.nspname}" CASCADE`);
    await a.query(`DROP SCHEMA ${schema} CASCADE`);
    await a.end();
    rmSync(dir, { recursive: true, force: true });
  });

  test('four imports into one environment wait their turn, say so, and all succeed', async () => {
    // another writer holds the environment while the four start: each of them has to wait
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query("SELECT 1 FROM environments WHERE name = 'shared' FOR NO KEY UPDATE");
    const runs = [1, 2, 3, 4].map((i) => start(env, ['import', file(i), '--env', 'shared']));
    try {
      await until('all four say they wait', () =>
        runs.every((r) => /Waiting for another import into shared/.test(r.err)),
      );
    } finally {
      await holder.query('COMMIT');
      await holder.end();
    }
    const codes = await Promise.all(runs.map((r) => r.exit));
    for (const [i, r] of runs.entries())
      assert.equal(codes[i], 0, `import ${i + 1} failed:\n${r.err}${r.out}`);
    for (const [i, r] of runs.entries())
      assert.match(r.out, new RegExp(`Imported Queue${i + 1} \\(Queue${i + 1}\\) 1\\.0\\.0\\.0`));
    assert.ok(runs.every((r) => !/ENVIRONMENT_CHANGED/.test(r.err)));

    const history = await strata(env, 'history', '--env', 'shared', '--json');
    assert.equal(history.code, 0, history.err);
    const rows = JSON.parse(history.out) as { solutionName: string; result: string }[];
    const imports = rows.filter((r) => /^Queue[1-4]$/.test(r.solutionName));
    assert.equal(imports.length, 4, history.out);
    assert.ok(
      imports.every((r) => r.result === 'success'),
      history.out,
    );
  });

  test('imports that start together without a holder all succeed too', async () => {
    const runs = [5, 6].map((i) => start(env, ['import', file(i), '--env', 'shared']));
    const codes = await Promise.all(runs.map((r) => r.exit));
    assert.deepEqual(codes, [0, 0], runs.map((r) => r.err).join('\n'));
  });

  test('a saved plan that another import outran is refused (ENVIRONMENT_CHANGED)', async () => {
    const planFile = join(dir, 'plan.json');
    writeFileSync(join(dir, 'again.zip'), packageOf(7));
    const planned = await strata(
      env,
      'plan',
      join(dir, 'again.zip'),
      '--env',
      'shared',
      '-o',
      planFile,
    );
    assert.equal(planned.code, 0, planned.err);
    writeFileSync(join(dir, 'other.zip'), packageOf(8));
    const other = await strata(env, 'import', join(dir, 'other.zip'), '--env', 'shared');
    assert.equal(other.code, 0, other.err);
    const stale = await strata(env, 'import', join(dir, 'again.zip'), '--plan', planFile);
    assert.equal(stale.code, 6, stale.err);
    assert.match(stale.err, /ENVIRONMENT_CHANGED: Environment shared changed since this plan/);
  });
});

describe('concurrent CLI imports on the embedded store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-queue-'));
  const home = join(dir, 'home');
  const env = { STRATA_HOME: home, DATABASE_URL: '' };
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a second process is refused by the folder lock, naming the holder and what to do', async () => {
    writeFileSync(join(dir, 'one.zip'), packageOf(1));
    assert.equal((await strata(env, 'env', 'create', 'shared')).code, 0);
    // this process holds the folder, as a running import or strata serve would
    const held = await PGliteStore.open(home);
    try {
      const r = await strata(env, 'import', join(dir, 'one.zip'), '--env', 'shared');
      assert.equal(r.code, 5, r.err);
      assert.match(
        r.err,
        new RegExp(`STORE_IN_USE: .* another strata process \\(pid ${process.pid}\\)`),
      );
      assert.match(r.err, /Run this again when that process has ended/);
      assert.match(r.err, /imports into one environment wait their turn/);
    } finally {
      await held.close();
    }
    const again = await strata(env, 'import', join(dir, 'one.zip'), '--env', 'shared');
    assert.equal(again.code, 0, again.err);
  });
});
