/**
 * The HTTP server's JSON API over a real listening socket (fetch, the runtime's HTTP client):
 * tokens per environment, the import queue (one running import per environment, positions,
 * re-attaching by job id), the log download, lifecycle routes, limits and errors. On both stores.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { CATALOG_ID } from '../src/catalog/catalog.js';
import { ImportRunner } from '../src/jobs/runner.js';
import { buildSolutionZip, sampleSolution } from '../src/package/build.js';
import { StrataError } from '../src/model/errors.js';
import { createEnvironment } from '../src/store/environments.js';
import { claimNextImport, enqueueImport } from '../src/store/queue.js';
import type { Store } from '../src/store/store.js';
import { buildPackage } from './support/package-builder.js';
import { STORE_CASES } from './support/stores.js';
import { environmentsWithTokens, startServer } from './support/server.js';

const sample = sampleSolution();
const v1 = buildSolutionZip(sample);
const v2 = buildSolutionZip({
  ...sample,
  version: '1.1.0.0',
  tables: sample.tables.map((t) => ({ ...t, display: `${t.display} (v2)` })),
});

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

class Client {
  constructor(
    readonly base: string,
    readonly token: string | null,
  ) {}
  async call(
    method: string,
    path: string,
    body?: Uint8Array | object,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; json: Json; text: string; headers: Headers }> {
    const h: Record<string, string> = { ...headers };
    if (this.token) h.authorization = `Bearer ${this.token}`;
    let payload: BodyInit | undefined;
    if (body instanceof Uint8Array) {
      payload = body as BodyInit;
      h['content-type'] ??= 'application/zip';
    } else if (body) {
      payload = JSON.stringify(body);
      h['content-type'] = 'application/json';
    }
    const res = await fetch(this.base + path, { method, headers: h, body: payload });
    const text = await res.text();
    let json: Json = {};
    try {
      json = JSON.parse(text) as Json;
    } catch {
      /* not JSON: logs, zips */
    }
    return { status: res.status, json, text, headers: res.headers };
  }
  /** polls a job until it finished */
  async wait(jobId: string): Promise<Json> {
    for (let i = 0; i < 600; i++) {
      const r = await this.call('GET', `/api/v1/jobs/${jobId}`);
      assert.equal(r.status, 200, r.text);
      if (r.json.status === 'succeeded' || r.json.status === 'failed') return r.json;
      await new Promise((res) => setTimeout(res, 50));
    }
    throw new Error(`job ${jobId} did not finish`);
  }
}

for (const sc of STORE_CASES) {
  describe(`HTTP server, JSON API (${sc.name})`, { skip: sc.skip }, () => {
    let store: Store;
    let app: FastifyInstance;
    let a: Client;
    let b: Client;
    let anon: Client;
    before(async () => {
      store = await sc.open();
      const tokens = await environmentsWithTokens(store, ['alpha', 'beta']);
      const server = await startServer(store);
      app = server.app;
      a = new Client(server.base, tokens.alpha);
      b = new Client(server.base, tokens.beta);
      anon = new Client(server.base, null);
    });
    after(async () => {
      await app?.close();
      await store?.close();
    });

    test('every API request needs a valid token; the token names the environment', async () => {
      const none = await anon.call('GET', '/api/v1/solutions');
      assert.equal(none.status, 401);
      assert.equal(none.json.error.code, 'UNAUTHORIZED');
      assert.match(none.json.error.hint, /strata token create/);
      const forged = await new Client(a.base, 'strata_not-a-real-token').call(
        'GET',
        '/api/v1/solutions',
      );
      assert.equal(forged.status, 401);
      assert.equal((await a.call('GET', '/api/v1/environment')).json.name, 'alpha');
      assert.equal((await b.call('GET', '/api/v1/environment')).json.name, 'beta');
    });

    test('inspect and plan an upload without writing anything', async () => {
      const info = await a.call('POST', '/api/v1/packages/inspect?filename=contoso.zip', v1);
      assert.equal(info.status, 200, info.text);
      assert.equal(info.json.uniqueName, 'ContosoProjects');
      assert.equal(info.json.status, 'new');
      const plan = await a.call('POST', '/api/v1/packages/plan', v1);
      assert.equal(plan.status, 200, plan.text);
      assert.equal(plan.json.kind, 'new');
      assert.ok(plan.json.summary.add > 0);
      assert.deepEqual((await a.call('GET', '/api/v1/solutions')).json, []);
    });

    test('an import runs as a job; the log downloads as SpreadsheetML and JSON', async () => {
      const q = await a.call('POST', '/api/v1/imports?filename=contoso.zip', v1);
      assert.equal(q.status, 202, q.text);
      assert.equal(q.headers.get('location'), `/api/v1/jobs/${q.json.jobId}`);
      assert.equal(q.json.status, 'queued');
      const done = await a.wait(q.json.jobId);
      assert.equal(done.status, 'succeeded', done.message);
      assert.equal(done.progress, 100);
      assert.equal(done.importsAhead, null);
      assert.ok(done.counts.success > 0);
      const sols = (await a.call('GET', '/api/v1/solutions')).json as Json[];
      assert.deepEqual(
        sols.map((s) => [s.uniqueName, s.version, s.managed]),
        [['ContosoProjects', '1.0.0.0', true]],
      );
      const xml = await a.call('GET', `/api/v1/jobs/${q.json.jobId}/log?format=xml`);
      assert.equal(xml.status, 200);
      assert.match(
        xml.headers.get('content-disposition') ?? '',
        /ContosoProjects_1_0_0_0_import_log\.xml/,
      );
      assert.match(xml.text, /<Workbook[^>]*urn:schemas-microsoft-com:office:spreadsheet/);
      const json = await a.call('GET', `/api/v1/jobs/${q.json.jobId}/log?format=json`);
      assert.equal(json.json.jobId, q.json.jobId);
      // the same update banner the CLI shows, now that it is installed
      const again = await a.call('POST', '/api/v1/packages/inspect', v2);
      assert.equal(again.json.status, 'update');
      assert.match(
        again.json.banner,
        /contains an update for a solution that is already installed/,
      );
    });

    test('a token for one environment cannot read or change another', async () => {
      const jobs = (await a.call('GET', '/api/v1/jobs')).json as Json[];
      assert.ok(jobs.length > 0);
      const foreign = await b.call('GET', `/api/v1/jobs/${jobs[0].jobId}`);
      assert.equal(foreign.status, 404);
      assert.equal(
        (await b.call('GET', `/api/v1/jobs/${jobs[0].jobId}/log?format=xml`)).status,
        404,
      );
      assert.deepEqual((await b.call('GET', '/api/v1/jobs')).json, []);
      assert.deepEqual((await b.call('GET', '/api/v1/solutions')).json, []);
      const del = await b.call('DELETE', '/api/v1/solutions/ContosoProjects');
      assert.equal(del.status, 404, del.text);
      assert.equal((await a.call('GET', '/api/v1/solutions')).json.length, 1);
    });

    test('stage for upgrade, then apply the upgrade; history records both', async () => {
      const q = await a.call('POST', '/api/v1/imports?action=stage', v2);
      const done = await a.wait(q.json.jobId);
      assert.equal(done.status, 'succeeded', done.message);
      let sols = (await a.call('GET', '/api/v1/solutions')).json as Json[];
      assert.deepEqual(
        sols.map((s) => [s.uniqueName, s.version, s.isHolding]),
        [
          ['ContosoProjects', '1.0.0.0', false],
          ['ContosoProjects_Upgrade', '1.1.0.0', true],
        ],
      );
      // a further import is refused while the holding solution exists
      const refused = await a.wait((await a.call('POST', '/api/v1/imports', v2)).json.jobId);
      assert.equal(refused.status, 'failed');
      assert.equal(refused.code, 'HOLDING_EXISTS');
      const applied = await a.call('POST', '/api/v1/solutions/ContosoProjects/apply-upgrade');
      assert.equal(applied.status, 200, applied.text);
      sols = (await a.call('GET', '/api/v1/solutions')).json as Json[];
      assert.deepEqual(
        sols.map((s) => [s.uniqueName, s.version]),
        [['ContosoProjects', '1.1.0.0']],
      );
      const hist = (await a.call('GET', '/api/v1/history?solution=ContosoProjects')).json as Json[];
      const ops = hist.map((h) => `${h.operation}/${h.subOperation}/${h.result}`);
      assert.ok(ops.includes('import/holding/success'), ops.join(', '));
      assert.ok(
        ops.some((o) => o.endsWith('/apply/success')),
        ops.join(', '),
      );
    });

    test('layers, customize and publish, export', async () => {
      const comps = (await a.call('GET', '/api/v1/components?solution=ContosoProjects&type=entity'))
        .json as Json[];
      assert.ok(comps.some((c) => c.key === 'cnt_project'));
      const custom = await a.call('POST', '/api/v1/customize', {
        type: 'entity',
        key: 'cnt_project',
        set: { displayname: 'Engagement' },
      });
      assert.equal(custom.status, 200, custom.text);
      assert.equal(custom.json.draft, true);
      const layers = await a.call('GET', '/api/v1/components/entity/cnt_project/layers');
      assert.deepEqual(
        (layers.json.layers as Json[]).map((l) => [l.solution, l.draft]),
        [
          ['Active', true],
          ['ContosoProjects', false],
        ],
      );
      const pub = await a.call('POST', '/api/v1/publish', {});
      assert.ok(pub.json.published.some((p: Json) => p.key === 'cnt_project'));
      const zip = await fetch(`${a.base}/api/v1/solutions/ContosoProjects/export`, {
        headers: { authorization: `Bearer ${a.token}` },
      });
      assert.equal(zip.status, 200);
      assert.equal(zip.headers.get('content-type'), 'application/zip');
      const bytes = new Uint8Array(await zip.arrayBuffer());
      assert.equal(String.fromCharCode(bytes[0], bytes[1]), 'PK');
    });

    test('bad input gets a clear error and queues nothing', async () => {
      const before = ((await a.call('GET', '/api/v1/jobs')).json as Json[]).length;
      const notZip = await a.call('POST', '/api/v1/imports', new TextEncoder().encode('hello'));
      assert.equal(notZip.status, 422);
      assert.equal(notZip.json.error.code, 'PACKAGE_NOT_A_SOLUTION');
      const empty = await a.call('POST', '/api/v1/imports', new Uint8Array());
      assert.equal(empty.status, 400);
      const badType = await a.call('POST', '/api/v1/imports', { not: 'a package' });
      assert.equal(badType.status, 400);
      const badOption = await a.call('POST', '/api/v1/imports?action=sideways', v1);
      assert.equal(badOption.status, 400);
      assert.match(badOption.json.error.message, /action/);
      assert.equal(((await a.call('GET', '/api/v1/jobs')).json as Json[]).length, before);
      const unknown = await a.call('GET', '/api/v1/nothing-here');
      assert.equal(unknown.status, 404);
      assert.equal(unknown.json.error.code, 'ROUTE_NOT_FOUND');
    });

    test('a failed import is a failed job whose log lists the missing components', async () => {
      const needs = buildPackage({
        uniqueName: 'NeedsSomething',
        entities: [
          {
            name: 'new_thing',
            attributes: ['new_thingid', 'new_name'],
            forms: [{ fields: ['new_name', 'new_missingcolumn'] }],
          },
        ],
      });
      const q = await a.call('POST', '/api/v1/imports', needs);
      const done = await a.wait(q.json.jobId);
      assert.equal(done.status, 'failed');
      assert.equal(done.code, 'MISSING_DEPENDENCIES');
      const log = await a.call('GET', `/api/v1/jobs/${q.json.jobId}/log?format=json`);
      assert.match(log.text, /new_missingcolumn/);
    });

    test('a client that lost the answer re-attaches by job id, not importing twice', async () => {
      const jobId = randomUUID();
      const pkg = buildPackage({
        uniqueName: 'Reattach',
        entities: [{ name: 'new_reattach', attributes: ['new_reattachid', 'new_name'] }],
      });
      // the first request is abandoned by its client as soon as it is sent
      const ctl = new AbortController();
      const lost = fetch(`${a.base}/api/v1/imports?jobId=${jobId}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${a.token}`, 'content-type': 'application/zip' },
        body: pkg as BodyInit,
        signal: ctl.signal,
      });
      setTimeout(() => ctl.abort(), 1);
      await lost.catch(() => undefined);
      // the job goes on (or was never queued, if the body never arrived): sending it again
      // settles it
      const again = await a.call('POST', `/api/v1/imports?jobId=${jobId}`, pkg);
      assert.ok(again.status === 200 || again.status === 202, again.text);
      assert.equal(again.json.jobId, jobId);
      const done = await a.wait(jobId);
      assert.equal(done.status, 'succeeded', done.message);
      const third = await a.call('POST', `/api/v1/imports?jobId=${jobId}`, pkg);
      assert.equal(third.status, 200);
      assert.equal(third.json.status, 'succeeded');
      const runs = (
        (await a.call('GET', '/api/v1/history?solution=Reattach')).json as Json[]
      ).filter((h) => h.operation === 'import');
      assert.equal(runs.length, 1, 'imported once');
    });

    test('retries racing with one job id all get that job, imported once', async () => {
      const jobId = randomUUID();
      const pkg = buildPackage({
        uniqueName: 'RaceOfRetries',
        entities: [{ name: 'new_raceofretries', attributes: ['new_raceofretriesid', 'new_name'] }],
      });
      // those that pass the "does this job exist" look-up before one has queued it (on PostgreSQL
      // most do) are refused by the store (IMPORT_JOB_EXISTS) and re-attach to the queued job
      const answers = await Promise.all(
        [1, 2, 3, 4].map(() => a.call('POST', `/api/v1/imports?jobId=${jobId}`, pkg)),
      );
      for (const r of answers) {
        assert.ok(r.status === 200 || r.status === 202, r.text);
        assert.equal(r.json.jobId, jobId);
      }
      assert.equal((await a.wait(jobId)).status, 'succeeded');
      const runs = (
        (await a.call('GET', '/api/v1/history?solution=RaceOfRetries')).json as Json[]
      ).filter((h) => h.operation === 'import');
      assert.equal(runs.length, 1, 'imported once');
    });

    test('the OpenAPI document lists the routes', async () => {
      const doc = await anon.call('GET', '/openapi.json');
      assert.equal(doc.status, 200);
      for (const p of [
        '/api/v1/imports',
        '/api/v1/jobs/{id}',
        '/api/v1/jobs/{id}/log',
        '/api/v1/solutions/{name}/apply-upgrade',
        '/api/v1/customize',
        '/api/v1/history',
      ])
        assert.ok(doc.json.paths[p], `${p} documented`);
      assert.equal(doc.json.components.securitySchemes.bearer.scheme, 'bearer');
    });
  });

  describe(`import queue (${sc.name})`, { skip: sc.skip }, () => {
    let store: Store;
    before(async () => {
      store = await sc.open();
      await createEnvironment(store, 'q', CATALOG_ID);
      await createEnvironment(store, 'r', CATALOG_ID);
    });
    after(async () => {
      await store?.close();
    });
    const envId = async (name: string) =>
      Number(
        (
          await store.query<{ id: number }>('SELECT id FROM environments WHERE name = $1', [name])
        )[0].id,
      );
    const pkg = (i: number) =>
      buildPackage({
        uniqueName: `Queued${i}`,
        entities: [{ name: `new_queued${i}`, attributes: [`new_queued${i}id`, 'new_name'] }],
      });
    const enqueue = async (
      env: string,
      i: number,
      jobId: string = randomUUID(),
    ): Promise<string> => {
      await enqueueImport(store, {
        jobId,
        envId: await envId(env),
        label: `q${i}.zip`,
        bytes: pkg(i),
        solution: {
          uniqueName: `Queued${i}`,
          displayName: `Queued${i}`,
          version: '1.0.0.0',
          managed: false,
          publisher: 'contoso',
        },
        request: { options: {}, via: 'test' },
      });
      return jobId;
    };

    test('the database refuses a second running import in one environment', async () => {
      const first = await enqueue('q', 1);
      const second = await enqueue('q', 2);
      const other = await enqueue('r', 3);
      const c1 = await claimNextImport(store, 'runner-1');
      assert.equal(c1?.jobId, first);
      // the next claim skips q (its import runs) and takes r's
      const c2 = await claimNextImport(store, 'runner-2');
      assert.equal(c2?.jobId, other);
      assert.equal(await claimNextImport(store, 'runner-3'), null);
      // even a direct attempt to start q's second import is refused by the unique index
      await assert.rejects(
        store.query(`UPDATE import_queue SET state = 'running' WHERE job_id = $1`, [second]),
        /import_queue_one_running|duplicate key/,
      );
      await store.query('DELETE FROM import_queue');
      await store.query('DELETE FROM import_jobs');
    });

    test('imports queue in order, report what is ahead of them, run one at a time', async () => {
      const ids = [await enqueue('q', 11), await enqueue('q', 12), await enqueue('q', 13)];
      const { jobSummary } = await import('../src/store/jobs.js');
      const q = await envId('q');
      assert.deepEqual(
        await Promise.all(ids.map(async (id) => (await jobSummary(store, q, id)).importsAhead)),
        [0, 1, 2],
      );
      const runner = new ImportRunner(store, { pollMs: 20 });
      runner.start();
      try {
        for (let i = 0; i < 400; i++) {
          const s = await Promise.all(ids.map((id) => jobSummary(store, q, id)));
          if (s.every((x) => x.status === 'succeeded' || x.status === 'failed')) break;
          await new Promise((r) => setTimeout(r, 25));
        }
      } finally {
        await runner.stop();
      }
      const done = await Promise.all(ids.map((id) => jobSummary(store, q, id)));
      assert.deepEqual(
        done.map((d) => d.status),
        ['succeeded', 'succeeded', 'succeeded'],
        done.map((d) => d.message).join(' | '),
      );
      for (let i = 1; i < done.length; i++)
        assert.ok(
          Date.parse(done[i].startedOn) >= Date.parse(done[i - 1].completedOn!),
          `job ${i} started after job ${i - 1} finished`,
        );
      assert.equal(
        (await store.query('SELECT 1 FROM import_queue')).length,
        0,
        'the queue is empty',
      );
    });

    test(
      'an import whose server died is failed after its heartbeat goes stale, ' +
        'and the queue moves on',
      async () => {
        const dead = await enqueue('q', 21);
        const next = await enqueue('q', 22);
        assert.equal((await claimNextImport(store, 'crashed-runner'))?.jobId, dead);
        await store.query(
          `UPDATE import_queue SET heartbeat_on = now() - interval '10 minutes' WHERE job_id = $1`,
          [dead],
        );
        const runner = new ImportRunner(store, { pollMs: 20, staleSeconds: 60 });
        runner.start();
        const { jobSummary } = await import('../src/store/jobs.js');
        const q = await envId('q');
        try {
          for (let i = 0; i < 400 && (await jobSummary(store, q, next)).status !== 'succeeded'; i++)
            await new Promise((r) => setTimeout(r, 25));
        } finally {
          await runner.stop();
        }
        const d = await jobSummary(store, q, dead);
        assert.equal(d.status, 'failed');
        assert.equal(d.code, 'JOB_INTERRUPTED');
        assert.equal((await jobSummary(store, q, next)).status, 'succeeded');
      },
    );

    test('a job id its environment has is refused: IMPORT_JOB_EXISTS, nothing queued', async () => {
      const jobId = await enqueue('q', 31);
      // a retry racing its lost original: the database's unique key refuses the second one
      await assert.rejects(enqueue('q', 32, jobId), (e: unknown) => {
        assert.ok(e instanceof StrataError, String(e));
        assert.equal(e.code, 'IMPORT_JOB_EXISTS');
        assert.match(e.message, new RegExp(jobId));
        return true;
      });
      const queued = await store.query<{ job_id: string; env_id: number }>(
        'SELECT job_id, env_id FROM import_queue',
      );
      assert.deepEqual(queued, [{ job_id: jobId, env_id: await envId('q') }]);
      const { jobSummary } = await import('../src/store/jobs.js');
      assert.equal(
        (await jobSummary(store, await envId('q'), jobId)).solution.uniqueName,
        'Queued31',
      );
      // job ids name jobs per environment: another environment may use the same one
      await enqueue('r', 33, jobId);
      assert.equal(
        (await jobSummary(store, await envId('r'), jobId)).solution.uniqueName,
        'Queued33',
      );
      assert.equal(
        (await jobSummary(store, await envId('q'), jobId)).solution.uniqueName,
        'Queued31',
      );
      await store.query('DELETE FROM import_queue');
    });
  });
}

describe('HTTP server limits', () => {
  let store: Store;
  let app: FastifyInstance;
  let c: Client;
  before(async () => {
    store = await STORE_CASES[0].open();
    const tokens = await environmentsWithTokens(store, ['small']);
    const server = await startServer(store, {
      limits: { maxTotalBytes: 64 * 1024, maxEntries: 1000 },
    });
    app = server.app;
    c = new Client(server.base, tokens.small);
  });
  after(async () => {
    await app?.close();
    await store?.close();
  });

  test('an upload over the package limit gets a clear 413 and changes nothing', async () => {
    const big = new Uint8Array(200 * 1024).fill(7);
    const r = await c.call('POST', '/api/v1/imports', big);
    assert.equal(r.status, 413);
    assert.equal(r.json.error.code, 'PAYLOAD_TOO_LARGE');
    assert.match(r.json.error.hint, /STRATA_MAX_PACKAGE_MB/);
    // JSON bodies may carry a base64 package (4/3 of the limit) plus 1 MB: beyond that, 413 too
    const json = await c.call('POST', '/api/v1/customize', {
      type: 'entity',
      key: 'x',
      definition: 'x'.repeat(2 * 1024 * 1024),
    });
    assert.equal(json.status, 413);
    assert.deepEqual((await c.call('GET', '/api/v1/jobs')).json, []);
  });
});
