/**
 * Refusals of a solution as a whole, as the CLI, the JSON API and the Web API report them:
 * NewsmanSync 1.0.0.6 over 1.0.0.7 is refused for its version only (that 1.0.0.6 export also
 * declares 5 missing dependencies, which are not reported with it: nothing would be imported),
 * and a holding import without its base is refused (HOLDING_BASE_NOT_INSTALLED) where it used to
 * install a normal solution.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildSolutionZip } from '../src/package/build.js';
import { findEnvironment } from '../src/store/environments.js';
import { listSolutions } from '../src/store/queries.js';
import type { Store } from '../src/store/store.js';
import { contosoV1 } from './support/contoso.js';
import { HAVE_REAL_FIXTURES, NO_FIXTURES_REASON, realFixture } from './support/fixtures.js';
import { runCli, useTempHome } from './support/cli.js';
import { environmentsWithTokens, startServer } from './support/server.js';
import { STORE_CASES } from './support/stores.js';

const NEWSMAN_7 = realFixture(
  'newsman-sync-series/2017-09-04_1511_8bc3e32/NewsmanSync_1_0_0_7_managed.zip',
);
/** this export of 1.0.0.6 declares 5 missing dependencies */
const NEWSMAN_6 = realFixture(
  'newsman-sync-series/2017-09-03_2319_1a5c09b/NewsmanSync_1_0_0_6_managed.zip',
);
const NO_FIXTURES = HAVE_REAL_FIXTURES ? false : NO_FIXTURES_REASON;

describe('CLI: one refusal, one reason', () => {
  const dir = useTempHome('strata-refusals-');
  const strata = async (...argv: string[]): Promise<{ code: number; out: string }> => {
    const { code, both } = await runCli(...argv);
    return { code, out: both };
  };

  test('--import-as-holding with no base installed is refused, naming the base', async () => {
    await strata('env', 'create', 'holding');
    const zip = join(dir, 'contoso.zip');
    writeFileSync(zip, buildSolutionZip(contosoV1()));
    const r = await strata('import', zip, '--import-as-holding', '--env', 'holding');
    assert.equal(r.code, 4, r.out);
    assert.match(r.out, /HOLDING_BASE_NOT_INSTALLED/);
    assert.match(r.out, /its base solution ContosoProjects is not installed in holding/);
    assert.match(r.out, /Import it without --import-as-holding/);
    const list = await strata('list', '--json', '--env', 'holding');
    assert.deepEqual(JSON.parse(list.out), []);
  });

  test('NewsmanSync 1.0.0.6 over 1.0.0.7: VERSION_LOWER only', { skip: NO_FIXTURES }, async () => {
    await strata('env', 'create', 'newsman');
    const first = await strata('import', NEWSMAN_7, '--env', 'newsman');
    assert.equal(first.code, 0, first.out);
    const imp = await strata('import', NEWSMAN_6, '--env', 'newsman');
    assert.equal(imp.code, 4, imp.out);
    assert.match(imp.out, /VERSION_LOWER: NewsmanSync 1\.0\.0\.7 is installed/);
    assert.doesNotMatch(imp.out, /dependencies are missing|MISSING_DEPENDENCIES|Missing/i);
    const plan = await strata('plan', NEWSMAN_6, '--env', 'newsman');
    assert.equal(plan.code, 4, plan.out);
    assert.match(plan.out, /VERSION_LOWER/);
    assert.doesNotMatch(plan.out, /dependencies are missing|MISSING_DEPENDENCIES|Missing/i);
    const json = await strata('plan', NEWSMAN_6, '--env', 'newsman', '--json');
    const p = JSON.parse(json.out) as {
      blocked: Array<{ code: string }>;
      missing: unknown[];
      deletes: unknown[];
      summary: { missing: number; delete: number };
    };
    assert.deepEqual(
      p.blocked.map((b) => b.code),
      ['VERSION_LOWER'],
    );
    assert.deepEqual([p.missing, p.summary.missing, p.deletes.length], [[], 0, 0]);
  });
});

for (const sc of STORE_CASES) {
  describe(
    `JSON API and Web API: refusals of the solution as a whole (${sc.name})`,
    { skip: sc.skip },
    () => {
      let store: Store;
      let app: FastifyInstance;
      let base: string;
      let tokens: Record<string, string>;
      before(async () => {
        store = await sc.open();
        tokens = await environmentsWithTokens(store, ['api', 'web', 'stage', 'news']);
        ({ app, base } = await startServer(store));
      });
      after(async () => {
        await app?.close();
        await store?.close();
      });
      const call = async (
        env: string,
        method: string,
        path: string,
        body?: Uint8Array | object,
      ): Promise<{ status: number; json: any }> => {
        const headers: Record<string, string> = { authorization: `Bearer ${tokens[env]}` };
        let payload: BodyInit | undefined;
        if (body instanceof Uint8Array) {
          headers['content-type'] = 'application/zip';
          payload = body as BodyInit;
        } else if (body) {
          headers['content-type'] = 'application/json';
          payload = JSON.stringify(body);
        }
        const res = await fetch(base + path, { method, headers, body: payload });
        const text = await res.text();
        return { status: res.status, json: text ? JSON.parse(text) : {} };
      };
      const wait = async (env: string, jobId: string): Promise<any> => {
        for (let i = 0; i < 600; i++) {
          const r = await call(env, 'GET', `/api/v1/jobs/${jobId}`);
          if (r.json.status === 'succeeded' || r.json.status === 'failed') return r.json;
          await new Promise((res) => setTimeout(res, 50));
        }
        throw new Error(`job ${jobId} did not finish`);
      };
      const solutions = async (env: string): Promise<string[]> =>
        (await listSolutions(store, (await findEnvironment(store, env)).id)).map(
          (s) => `${s.uniqueName} ${s.version}`,
        );
      const zip = buildSolutionZip(contosoV1());
      const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

      test('JSON API: a holding import with no base is refused in the plan and the import', async () => {
        const plan = await call('api', 'POST', '/api/v1/packages/plan?action=stage', zip);
        assert.equal(plan.status, 200);
        assert.deepEqual(
          plan.json.blocked.map((b: { code: string }) => b.code),
          ['HOLDING_BASE_NOT_INSTALLED'],
        );
        const q = await call('api', 'POST', '/api/v1/imports?action=stage', zip);
        const job = await wait('api', q.json.jobId);
        assert.equal(job.status, 'failed');
        assert.equal(job.code, 'HOLDING_BASE_NOT_INSTALLED');
        assert.deepEqual(await solutions('api'), []);
      });

      test('Web API: HoldingSolution with no base is refused; StageAndUpgrade installs it', async () => {
        const r = await call('web', 'POST', '/api/data/v9.2/ImportSolution', {
          CustomizationFile: b64(zip),
          HoldingSolution: true,
        });
        assert.equal(r.status, 409, JSON.stringify(r.json));
        assert.equal(r.json.error.strataCode, 'HOLDING_BASE_NOT_INSTALLED');
        assert.match(r.json.error.message, /its base solution ContosoProjects is not installed/);
        assert.deepEqual(await solutions('web'), []);
        const staged = await call('stage', 'POST', '/api/data/v9.2/StageAndUpgrade', {
          CustomizationFile: b64(zip),
        });
        assert.equal(staged.status, 200, JSON.stringify(staged.json));
        assert.deepEqual(await solutions('stage'), ['ContosoProjects 1.0.0.0']);
      });

      test(
        'Web API: ImportSolution of NewsmanSync 1.0.0.6 over 1.0.0.7 fails for its version only',
        { skip: NO_FIXTURES },
        async () => {
          const first = await call('news', 'POST', '/api/data/v9.2/ImportSolution', {
            CustomizationFile: b64(readFileSync(NEWSMAN_7)),
          });
          assert.equal(first.status, 204, JSON.stringify(first.json));
          const r = await call('news', 'POST', '/api/data/v9.2/ImportSolution', {
            CustomizationFile: b64(readFileSync(NEWSMAN_6)),
          });
          assert.equal(r.status, 409, JSON.stringify(r.json));
          assert.equal(r.json.error.strataCode, 'VERSION_LOWER');
          assert.doesNotMatch(r.json.error.message, /dependencies are missing|Missing/i);
          const jobId = r.json.error.details.ImportJobId;
          const job = await call(
            'news',
            'GET',
            `/api/data/v9.2/importjobs(${jobId})?$select=strata_code,strata_status,data`,
          );
          assert.equal(job.json.strata_code, 'VERSION_LOWER');
          assert.equal(job.json.strata_status, 'failed');
          assert.doesNotMatch(
            String(job.json.data),
            /dependencies are missing|MISSING_DEPENDENCIES/,
          );
          assert.deepEqual(await solutions('news'), ['NewsmanSync 1.0.0.7']);
        },
      );
    },
  );
}
