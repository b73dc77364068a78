/**
 * The hostile corpus (test/hostile/corpus.ts) against the commands a user runs on a package:
 * inspect, plan and import, on every store. For each case:
 *
 * 1. a child process reads the package (test/hostile/read-probe.ts), so a read that hangs is
 *    killed after TIME_LIMIT_S and a read that swells is killed before it takes the machine;
 *    a refused package must stay under MEMORY_LIMIT_MB of peak resident memory;
 * 2. the outcome must be the case's expectation: its code, with a message naming
 *    what it must name; or accepted; and never a crash;
 * 3. then, only when the read finished in time, inspect, plan and import run against each store:
 *    each must end the same way within the time limit, and a refused package must leave the
 *    environment and its history exactly as they were.
 */
import assert, { AssertionError } from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import { CATALOG_ID } from '../src/catalog/catalog.js';
import { importSolution, planPackage } from '../src/engine/import.js';
import { describePackageIn } from '../src/engine/inspect.js';
import { categoryOf } from '../src/model/error-codes.js';
import { StrataError } from '../src/model/errors.js';
import { buildSolutionZip, sampleSolution } from '../src/package/build.js';
import { readPackage } from '../src/package/read.js';
import { createEnvironment, findEnvironment } from '../src/store/environments.js';
import { listHistory } from '../src/store/history.js';
import { dumpEnvironment } from '../src/store/queries.js';
import type { Store } from '../src/store/store.js';
import { PACKAGE_CATEGORIES, type Expectation, type HostileCase } from './hostile/case.js';
import { FINDINGS, HOSTILE_CORPUS } from './hostile/corpus.js';
import { ReadProbe, stopped, type ProbeResult } from './hostile/read-probe.js';
import { STORE_CASES } from './support/stores.js';

/** Wide: the machine is shared and loaded. What is caught is a hang (minutes), not slowness. */
const TIME_LIMIT_S = 20;
const MEMORY_LIMIT_MB = 512;
/** a reader past this is killed at once: it protects the machine, the limit above is the test */
const KILL_ABOVE_MB = 1024;
const ENV = 'target';

/** How one command ended. */
interface Outcome {
  kind: 'accepted' | 'refused' | 'crashed';
  code?: string;
  message?: string;
}

function expected(e: Expectation): string {
  if ('accepted' in e) return 'accepted';
  if ('finishes' in e) return 'finished in time (refused as a bad package, or accepted)';
  return `refused with ${e.code}${e.names?.length ? ` naming ${e.names.join(', ')}` : ''}`;
}

/** Asserts that an outcome is what the case expects. */
function judge(c: HostileCase, o: Outcome, where: string): void {
  const e = c.expect;
  const got = o.kind === 'refused' ? `${o.code}: ${o.message}` : (o.message ?? o.kind);
  const fail = (why: string): never =>
    assert.fail(`${where}: ${why}\n  input: ${c.what}\n  expected: ${expected(e)}\n  got: ${got}`);
  if (o.kind === 'crashed') fail('crashed instead of refusing');
  if ('accepted' in e) {
    if (o.kind !== 'accepted') fail('refused a package it must accept');
    return;
  }
  if ('finishes' in e) {
    if (o.kind === 'refused' && !PACKAGE_CATEGORIES.includes(categoryOf(o.code!)))
      fail('refused, but not as a bad package');
    return;
  }
  if (o.kind !== 'refused') fail('accepted');
  if ('code' in e && o.code !== e.code) fail('refused with another code');
  for (const name of e.names ?? [])
    if (!o.message!.includes(name)) fail(`the message does not name ${JSON.stringify(name)}`);
}

/** The read in a child: in time, within memory, and ending as expected. */
function judgeRead(c: HostileCase, r: ProbeResult): void {
  if (stopped(r))
    throw new AssertionError({ message: `reading ${c.name}: ${r.message}\n  input: ${c.what}` });
  judge(c, { kind: r.outcome, code: r.code, message: r.message }, 'read');
  if (r.outcome === 'refused')
    assert.ok(
      r.maxRssMb <= MEMORY_LIMIT_MB,
      `refusing ${c.name} took ${r.maxRssMb} MB at its peak, over ${MEMORY_LIMIT_MB} MB`,
    );
}

/** Runs a command; a StrataError is a refusal, anything else a crash. */
async function run(command: () => Promise<Outcome | void>): Promise<Outcome & { ms: number }> {
  const start = performance.now();
  let outcome: Outcome;
  try {
    outcome = (await command()) ?? { kind: 'accepted' };
  } catch (e) {
    outcome =
      e instanceof StrataError
        ? { kind: 'refused', code: e.code, message: e.message }
        : { kind: 'crashed', message: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
  return { ...outcome, ms: performance.now() - start };
}

/** inspect, plan and import, as the CLI runs them, each ending in an Outcome. */
function commands(
  store: Store,
  env: { id: number; name: string },
  path: string,
): Array<[string, () => Promise<Outcome | void>]> {
  return [
    ['inspect', async () => void (await describePackageIn(store, env.id, readPackage(path)))],
    [
      'plan',
      async () => {
        const { plan } = await planPackage(store, env.name, path);
        const refusal = plan.blocked[0];
        if (refusal) return { kind: 'refused', code: refusal.code, message: refusal.message };
      },
    ],
    [
      'import',
      async () => {
        const { log } = await importSolution(store, { environment: env.name, source: path });
        if (log.status !== 'succeeded')
          return {
            kind: 'refused',
            code: log.code,
            message: `import ${log.status}: ${log.message}`,
          };
      },
    ],
  ];
}

let acceptedEnvironments = 0;

/**
 * The environment a case runs in: the shared one (the sample installed) for a package that must
 * be refused; a new, empty one for a package that may be accepted, so that its import does not
 * change what the next case finds (two accepted cases can hold the same solution).
 */
async function environmentFor(store: Store, c: HostileCase): Promise<{ id: number; name: string }> {
  if (!('accepted' in c.expect) && !('finishes' in c.expect)) return findEnvironment(store, ENV);
  const name = `accepted-${++acceptedEnvironments}`;
  await createEnvironment(store, name, CATALOG_ID);
  return findEnvironment(store, name);
}

async function checkCommands(store: Store, c: HostileCase, path: string): Promise<void> {
  const env = await environmentFor(store, c);
  const envId = env.id;
  const before = await dumpEnvironment(store, envId);
  const history = (await listHistory(store, envId)).length;
  let refusedCode: string | undefined;
  for (const [name, command] of commands(store, env, path)) {
    const o = await run(command);
    assert.ok(
      o.ms < TIME_LIMIT_S * 1000,
      `${name} ${c.name} took ${Math.round(o.ms / 1000)} s, over ${TIME_LIMIT_S} s`,
    );
    judge(c, o, name);
    if (o.kind === 'refused') refusedCode = o.code;
  }
  if (refusedCode === undefined) return;
  assert.equal(await dumpEnvironment(store, envId), before, 'a refused package changed nothing');
  if (PACKAGE_CATEGORIES.includes(categoryOf(refusedCode)))
    assert.equal(
      (await listHistory(store, envId)).length,
      history,
      'a package that cannot be read is not even recorded',
    );
}

describe('the hostile corpus', () => {
  const probe = new ReadProbe({ timeoutMs: TIME_LIMIT_S * 1000, killAboveMb: KILL_ABOVE_MB });
  const root = mkdtempSync(join(tmpdir(), 'strata-hostile-'));
  const stores = new Map<string, Store>();

  before(async () => {
    for (const sc of STORE_CASES) {
      if (sc.skip) continue;
      const store = await sc.open();
      stores.set(sc.name, store);
      await createEnvironment(store, ENV, CATALOG_ID);
      await importSolution(store, { environment: ENV, source: buildSolutionZip(sampleSolution()) });
    }
  });
  after(async () => {
    probe.close();
    for (const store of stores.values()) await store.close();
    rmSync(root, { recursive: true, force: true });
  });

  test('every finding of issue 11 has a case, and every case its finding', (t: TestContext) => {
    const used = new Set(HOSTILE_CORPUS.flatMap((c) => (c.finding ? [c.finding] : [])));
    assert.deepEqual(
      FINDINGS.filter((f) => !used.has(f)),
      [],
      'findings without a case',
    );
    assert.deepEqual(
      [...used].filter((f) => !FINDINGS.includes(f)),
      [],
      'cases naming a finding that is not listed',
    );
    const count = (key: (c: HostileCase) => string): string => {
      const counts = new Map<string, number>();
      for (const c of HOSTILE_CORPUS) counts.set(key(c), (counts.get(key(c)) ?? 0) + 1);
      return [...counts].map(([k, n]) => `${k} ${n}`).join(', ');
    };
    t.diagnostic(`${HOSTILE_CORPUS.length} cases: ${count((c) => c.container)}`);
    t.diagnostic(`by class: ${count((c) => c.class)}`);
    t.diagnostic(`${HOSTILE_CORPUS.filter((c) => c.finding).length} reproduce a finding`);
  });

  for (const c of HOSTILE_CORPUS) {
    test(`${c.class}: ${c.name} → ${expected(c.expect)}`, { timeout: 300_000 }, async (t) => {
      const dir = join(root, c.name);
      mkdirSync(dir);
      try {
        const path = c.build(dir);
        const read = await probe.read(path, c.isolate ?? false);
        t.diagnostic(`read in a child: ${read.outcome} in ${read.ms} ms, peak ${read.maxRssMb} MB`);
        judgeRead(c, read);
        for (const sc of STORE_CASES) {
          const store = stores.get(sc.name);
          await t.test(`inspect, plan, import (${sc.name})`, { skip: sc.skip }, () =>
            checkCommands(store!, c, path),
          );
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
