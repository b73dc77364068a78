/**
 * One package never holds up the server. `strata serve` runs in its own process, from source and
 * built; while one environment's package is being read — slowly on purpose (the
 * STRATA_TEST_SLOW_READ hook keeps a reader thread busy), or slowly because it is hostile (a
 * start tag with a 1 MB attribute name) — another environment's requests answer at once, and the
 * read that overruns its deadline is refused with PACKAGE_READ_TIMEOUT while the server goes on.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, test, type TestContext } from 'node:test';
import { strFromU8, strToU8 } from 'fflate';
import { buildPackage, packageEntries, zipEntries } from './support/package-builder.js';
import {
  buildStrata,
  fromBuild,
  FROM_SOURCE,
  serveProcess,
  type Launch,
  type ServeProcess,
} from './support/serve-process.js';

/** The read deadline the servers here run with (s), and the bound on another request's wait. */
const DEADLINE = 4;
const ANSWERS_WITHIN_MS = 2500;

const BOX = {
  uniqueName: 'Box',
  entities: [{ name: 'new_box', attributes: ['new_boxid', 'new_name'] }],
};

type Json = Record<string, any>;

/**
 * A request to the server with `env`'s token. A server that does not answer within 2 minutes (a
 * stuck event loop) fails the test instead of holding it.
 */
async function call(
  server: ServeProcess,
  env: string,
  method: string,
  path: string,
  body?: Uint8Array,
): Promise<{ status: number; json: Json; ms: number }> {
  const started = performance.now();
  try {
    const res = await fetch(server.base + path, {
      method,
      headers: {
        authorization: `Bearer ${server.tokens[env]}`,
        ...(body ? { 'content-type': 'application/zip' } : {}),
      },
      body: body as BodyInit | undefined,
      signal: AbortSignal.timeout(120_000),
    });
    const json = (await res.json()) as Json;
    return { status: res.status, json, ms: performance.now() - started };
  } catch (e) {
    const seconds = Math.round((performance.now() - started) / 1000);
    throw new Error(`${method} ${path} (${env}): no answer after ${seconds} s`, { cause: e });
  }
}

/**
 * Asks for the other environment every 200 ms until `pending` settles: how long each answer
 * took (ms).
 */
async function latenciesWhile(
  pending: Promise<unknown>,
  ask: () => Promise<{ status: number; ms: number }>,
): Promise<number[]> {
  let settled = false;
  void pending.finally(() => (settled = true)).catch(() => undefined);
  const latencies: number[] = [];
  while (!settled) {
    const r = await ask();
    assert.equal(r.status, 200);
    latencies.push(Math.round(r.ms));
    await new Promise((res) => setTimeout(res, 200));
  }
  return latencies;
}

function answeredAtOnce(t: TestContext, latencies: number[], what: string): void {
  t.diagnostic(`${what}: ${latencies.length} answers, slowest ${Math.max(...latencies)} ms`);
  assert.ok(latencies.length >= 3, `only ${latencies.length} requests were made meanwhile`);
  assert.ok(
    Math.max(...latencies) < ANSWERS_WITHIN_MS,
    `another environment waited ${Math.max(...latencies)} ms (${latencies.join(', ')})`,
  );
}

/** A package whose customizations.xml opens with a start tag holding a 1 MB attribute name. */
function attributeNamePackage(): Uint8Array {
  const entries = packageEntries(BOX);
  const xml = strFromU8(entries['customizations.xml']).replace(
    '<ImportExportXml',
    `<ImportExportXml ${'a'.repeat(1024 * 1024)}`,
  );
  return zipEntries({ ...entries, 'customizations.xml': strToU8(xml) });
}

function serverScenarios(launch: () => Launch, opts: { hostile: boolean }): void {
  let server: ServeProcess;
  before(async () => {
    server = await serveProcess(launch(), ['east', 'west'], {
      STRATA_READ_TIMEOUT_SECONDS: String(DEADLINE),
      STRATA_READ_WORKERS: '2',
      STRATA_TEST_SLOW_READ: 'slow.zip=600000',
    });
  });
  after(() => server?.stop());

  const environment = () => call(server, 'west', 'GET', '/api/v1/environment');

  test('while east reads a slow package, west answers at once; the read is stopped', async (t) => {
    const box = buildPackage(BOX);
    const started = performance.now();
    const reads = Promise.all([
      call(server, 'east', 'POST', '/api/v1/packages/inspect?filename=slow.zip', box),
      call(server, 'east', 'POST', '/api/v1/packages/plan?filename=slow.zip', box),
    ]);
    answeredAtOnce(t, await latenciesWhile(reads, environment), 'west during two slow reads');
    const seconds = (performance.now() - started) / 1000;
    for (const r of await reads) {
      assert.equal(r.status, 413);
      assert.equal(r.json.error.code, 'PACKAGE_READ_TIMEOUT');
      assert.match(r.json.error.message, /slow\.zip was still being read after 4 s/);
    }
    assert.ok(seconds >= DEADLINE && seconds < 60, `${seconds} s`);
    // new reader threads took the place of the stopped ones
    const inspected = await call(server, 'east', 'POST', '/api/v1/packages/inspect', box);
    assert.equal(inspected.status, 200);
    assert.equal(inspected.json.uniqueName, 'Box');
  });

  test('an import whose package reads too long is refused, with nothing queued', async () => {
    const box = buildPackage(BOX);
    const refused = await call(server, 'east', 'POST', '/api/v1/imports?filename=slow.zip', box);
    assert.equal(refused.status, 413);
    assert.equal(refused.json.error.code, 'PACKAGE_READ_TIMEOUT');
    assert.deepEqual((await call(server, 'east', 'GET', '/api/v1/jobs')).json, []);
    // the runner reads the queued package on a reader thread too
    const queued = await call(server, 'east', 'POST', '/api/v1/imports?filename=box.zip', box);
    assert.equal(queued.status, 202);
    let job = queued.json;
    for (let i = 0; i < 600 && job.status !== 'succeeded' && job.status !== 'failed'; i++) {
      await new Promise((res) => setTimeout(res, 100));
      job = (await call(server, 'east', 'GET', `/api/v1/jobs/${queued.json.jobId}`)).json;
    }
    assert.equal(job.status, 'succeeded', JSON.stringify(job));
    assert.equal((await environment()).status, 200);
  });

  if (opts.hostile)
    test('while east reads a 1 MB attribute name, west answers at once', async (t) => {
      const inspect = call(
        server,
        'east',
        'POST',
        '/api/v1/packages/inspect?filename=hostile.zip',
        attributeNamePackage(),
      );
      const latencies = await latenciesWhile(inspect, environment);
      const r = await inspect;
      t.diagnostic(`east's answer: ${r.json.error?.code} after ${Math.round(r.ms)} ms`);
      // refused at the deadline, or sooner once the parser refuses such a name quickly
      const code = r.json.error?.code as string;
      assert.ok(['PACKAGE_READ_TIMEOUT', 'XML_MALFORMED'].includes(code), JSON.stringify(r.json));
      if (latencies.length > 0) {
        t.diagnostic(`west meanwhile: slowest of ${latencies.length} ${Math.max(...latencies)} ms`);
        assert.ok(Math.max(...latencies) < ANSWERS_WITHIN_MS, latencies.join(', '));
      }
      assert.equal((await environment()).status, 200);
    });
}

describe(
  'strata serve from source: one package never holds up the server',
  { timeout: 600_000 },
  () => {
    serverScenarios(() => FROM_SOURCE, { hostile: true });
  },
);

describe(
  'strata serve built with tsc: one package never holds up the server',
  { timeout: 600_000 },
  () => {
    let outDir: string | undefined;
    before(async () => {
      outDir = await buildStrata();
    });
    after(() => {
      if (outDir) rmSync(outDir, { recursive: true, force: true });
    });
    serverScenarios(() => fromBuild(outDir!), { hostile: false });
  },
);
