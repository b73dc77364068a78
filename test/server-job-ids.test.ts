/**
 * Job ids name jobs within their environment: a token for one environment gets, for another
 * environment's job id, exactly the answers it gets for an id nobody used — on the JSON API
 * (GET a job, its log, POST an import with that id) and on the Web API (ImportSolution with
 * ImportJobId, importjobs). Nothing tells it the id exists elsewhere. On both stores.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Store } from '../src/store/store.js';
import { buildPackage } from './support/package-builder.js';
import { STORE_CASES } from './support/stores.js';
import { environmentsWithTokens, startServer } from './support/server.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Answer {
  status: number;
  /** the body with the job id asked about replaced by <id>, and times by <time> */
  body: string;
  json: Json;
}

const pkg = (name: string) =>
  buildPackage({
    uniqueName: name,
    entities: [{ name: `new_${name.toLowerCase()}`, attributes: ['new_name'] }],
  });

for (const sc of STORE_CASES) {
  describe(`job ids per environment (${sc.name})`, { skip: sc.skip }, () => {
    let store: Store;
    let app: FastifyInstance;
    let base: string;
    let tokens: Record<string, string>;

    before(async () => {
      store = await sc.open();
      tokens = await environmentsWithTokens(store, ['east', 'west']);
      ({ app, base } = await startServer(store));
    });
    after(async () => {
      await app?.close();
      await store?.close();
    });

    async function call(
      env: string,
      method: string,
      path: string,
      id: string,
      body?: Uint8Array | object,
    ): Promise<Answer> {
      const headers: Record<string, string> = { authorization: `Bearer ${tokens[env]}` };
      let payload: BodyInit | undefined;
      if (body instanceof Uint8Array) {
        payload = body as BodyInit;
        headers['content-type'] = 'application/zip';
      } else if (body) {
        payload = JSON.stringify(body);
        headers['content-type'] = 'application/json';
      }
      const res = await fetch(base + path, { method, headers, body: payload });
      const text = await res.text();
      let json: Json = {};
      try {
        json = JSON.parse(text) as Json;
      } catch {
        /* a log */
      }
      const normalized = text
        .split(id)
        .join('<id>')
        .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '<time>')
        .replace(/"(importsAhead|progress)":\d+/g, '"$1":<n>')
        .replace(/"(stage|status)":"\w+"/g, '"$1":<s>');
      return { status: res.status, body: normalized, json };
    }

    async function waitFor(env: string, id: string): Promise<Json> {
      for (let i = 0; i < 600; i++) {
        const r = await call(env, 'GET', `/api/v1/jobs/${id}`, id);
        assert.equal(r.status, 200, r.body);
        if (r.json.status === 'succeeded' || r.json.status === 'failed') return r.json;
        await new Promise((res) => setTimeout(res, 50));
      }
      throw new Error(`job ${id} did not finish`);
    }

    /** The same request about east's job id and about an unused one, from west. */
    async function both(
      method: string,
      path: (id: string) => string,
      eastJob: string,
      body?: (id: string, i: number) => Uint8Array | object,
    ): Promise<[Answer, Answer]> {
      const unused = randomUUID();
      return [
        await call('west', method, path(eastJob), eastJob, body?.(eastJob, 0)),
        await call('west', method, path(unused), unused, body?.(unused, 1)),
      ];
    }

    /** the same status and body, the ids asked about aside */
    const same = (x: Answer, y: Answer): void =>
      assert.deepEqual({ status: x.status, body: x.body }, { status: y.status, body: y.body });

    let eastJobs: string[] = [];

    test("reading another environment's job answers as for an unknown id", async () => {
      eastJobs = [randomUUID(), randomUUID(), randomUUID()];
      for (const [i, id] of eastJobs.entries()) {
        const q = await call('east', 'POST', `/api/v1/imports?jobId=${id}`, id, pkg(`East${i}`));
        assert.equal(q.status, 202, q.body);
        assert.equal((await waitFor('east', id)).status, 'succeeded');
      }
      const [job, unknown] = await both('GET', (id) => `/api/v1/jobs/${id}`, eastJobs[0]);
      assert.equal(job.status, 404);
      same(job, unknown);
      assert.equal(job.json.error.code, 'JOB_NOT_FOUND');
      const [log, unknownLog] = await both('GET', (id) => `/api/v1/jobs/${id}/log`, eastJobs[0]);
      assert.equal(log.status, 404);
      same(log, unknownLog);
      const [row, unknownRow] = await both(
        'GET',
        (id) => `/api/data/v9.2/importjobs(${id})`,
        eastJobs[0],
      );
      assert.equal(row.status, 404);
      same(row, unknownRow);
    });

    test("queueing with another environment's job id answers as with an unused id", async () => {
      const [queued, unknown] = await both(
        'POST',
        (id) => `/api/v1/imports?jobId=${id}`,
        eastJobs[1],
        (_, i) => pkg(`West${i}`),
      );
      assert.equal(queued.status, 202, queued.body);
      same(
        { ...queued, body: queued.body.replace(/West0/g, 'West') },
        { ...unknown, body: unknown.body.replace(/West1/g, 'West') },
      );
      // west's job runs as west's; east's job of that id stays east's
      assert.equal((await waitFor('west', eastJobs[1])).solution.uniqueName, 'West0');
      assert.equal((await waitFor('west', unknown.json.jobId as string)).status, 'succeeded');
      assert.equal((await waitFor('east', eastJobs[1])).solution.uniqueName, 'East1');
    });

    test("ImportSolution with another environment's ImportJobId: as with a new one", async () => {
      const [imported, unknown] = await both(
        'POST',
        () => '/api/data/v9.2/ImportSolution',
        eastJobs[2],
        (id, i) => ({
          CustomizationFile: Buffer.from(pkg(`WestWeb${i}`)).toString('base64'),
          ImportJobId: id,
        }),
      );
      assert.equal(imported.status, 204, imported.body);
      same(imported, unknown);
      const row = await call(
        'west',
        'GET',
        `/api/data/v9.2/importjobs(${eastJobs[2]})?$select=solutionname`,
        eastJobs[2],
      );
      assert.equal(row.json.solutionname, 'WestWeb0');
      // a second import with an id west has used is refused, as Dataverse refuses it
      const again = await call('west', 'POST', '/api/data/v9.2/ImportSolution', eastJobs[2], {
        CustomizationFile: Buffer.from(pkg('WestWeb2')).toString('base64'),
        ImportJobId: eastJobs[2],
      });
      assert.equal(again.status, 409, again.body);
    });
  });
}
