/**
 * Solution unique names are compared ignoring case, as Dataverse compares them: an import, a
 * staged upgrade and its apply, an export, an uninstall, the CLI's arguments and the Web API's
 * actions all find `ContosoProjects` when asked for `CONTOSOPROJECTS` or `contosoprojects`, and
 * the installed solution keeps the spelling it was installed with. On both stores.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { CATALOG_ID } from '../src/catalog/catalog.js';
import { exportSolution } from '../src/engine/export.js';
import { importSolution } from '../src/engine/import.js';
import { runLifecycle } from '../src/engine/lifecycle.js';
import { buildSolutionZip, type SolutionSpec } from '../src/package/build.js';
import { readPackage } from '../src/package/read.js';
import { solutionId } from '../src/server/webapi/ids.js';
import { createEnvironment, findEnvironment } from '../src/store/environments.js';
import { componentLayers, listSolutions } from '../src/store/queries.js';
import type { Store } from '../src/store/store.js';
import { contosoV1, contosoV2 } from './support/contoso.js';
import { runCli, useTempHome } from './support/cli.js';
import { environmentsWithTokens, startServer } from './support/server.js';
import { STORE_CASES } from './support/stores.js';

const spelled = (spec: SolutionSpec, uniqueName: string): Uint8Array =>
  buildSolutionZip({ ...spec, uniqueName });

let n = 0;
const freshEnv = async (store: Store): Promise<{ name: string; id: number }> => {
  const name = `names${++n}`;
  await createEnvironment(store, name, CATALOG_ID);
  return { name, id: (await findEnvironment(store, name)).id };
};

const installed = async (store: Store, envId: number): Promise<string[]> =>
  (await listSolutions(store, envId)).map(
    (s) => `${s.uniqueName} ${s.version}${s.isHolding ? ' (holding)' : ''}`,
  );

async function refusedWith(p: Promise<unknown>, code: string): Promise<Error> {
  try {
    await p;
  } catch (e) {
    assert.equal((e as { code?: string }).code, code, (e as Error).message);
    return e as Error;
  }
  assert.fail(`expected ${code}, but it succeeded`);
}

for (const sc of STORE_CASES) {
  describe(`solution unique names ignore case (${sc.name})`, { skip: sc.skip }, () => {
    let store: Store;
    before(async () => {
      store = await sc.open();
    });
    after(async () => {
      await store?.close();
    });

    test('CONTOSOPROJECTS 2.0 upgrades ContosoProjects 1.0 in place; an older contosoprojects is refused', async () => {
      const env = await freshEnv(store);
      await importSolution(store, {
        environment: env.name,
        source: spelled(contosoV1(), 'ContosoProjects'),
      });
      const up = await importSolution(store, {
        environment: env.name,
        source: spelled(contosoV2(), 'CONTOSOPROJECTS'),
      });
      assert.equal(up.plan.kind, 'upgrade');
      assert.deepEqual(await installed(store, env.id), ['ContosoProjects 2.0.0.0']);
      // the layers stay under the installed spelling, and the dropped table went
      const budget = await componentLayers(store, env.id, 'attribute', 'cnt_project.cnt_budget');
      assert.deepEqual(
        budget.layers.map((l) => l.solution),
        ['ContosoProjects'],
      );
      const e = await refusedWith(
        importSolution(store, {
          environment: env.name,
          source: spelled(contosoV1(), 'contosoprojects'),
        }),
        'VERSION_LOWER',
      );
      assert.match(e.message, /ContosoProjects 2\.0\.0\.0 is installed/);
      assert.deepEqual(await installed(store, env.id), ['ContosoProjects 2.0.0.0']);
    });

    test('a staged upgrade in another case is found by upgrade, export and delete in any case', async () => {
      const env = await freshEnv(store);
      await importSolution(store, {
        environment: env.name,
        source: spelled(contosoV1(), 'ContosoProjects'),
      });
      await importSolution(store, {
        environment: env.name,
        source: spelled(contosoV2(), 'contosoPROJECTS'),
        options: { action: 'stage' },
      });
      assert.deepEqual(await installed(store, env.id), [
        'ContosoProjects 1.0.0.0',
        'ContosoProjects_Upgrade 2.0.0.0 (holding)',
      ]);
      const plan = await runLifecycle(store, env.name, 'apply-upgrade', 'contosoprojects');
      assert.equal(plan.solution.uniqueName, 'ContosoProjects');
      assert.deepEqual(await installed(store, env.id), ['ContosoProjects 2.0.0.0']);
      const out = await exportSolution(store, env.name, 'CONTOSOPROJECTS');
      assert.equal(out.solution, 'ContosoProjects');
      assert.ok(out.components > 0);
      await runLifecycle(store, env.name, 'uninstall', 'CONTOSOprojects');
      assert.deepEqual(await installed(store, env.id), []);
    });
  });

  describe(`Web API: unique names in any case (${sc.name})`, { skip: sc.skip }, () => {
    let store: Store;
    let app: FastifyInstance;
    let base: string;
    let token: string;
    let envId: number;
    before(async () => {
      store = await sc.open();
      token = (await environmentsWithTokens(store, ['web']))['web'];
      envId = (await findEnvironment(store, 'web')).id;
      ({ app, base } = await startServer(store));
    });
    after(async () => {
      await app?.close();
      await store?.close();
    });
    const action = async (name: string, body: object): Promise<{ status: number; json: any }> => {
      const res = await fetch(`${base}/api/data/v9.2/${name}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, json: text ? JSON.parse(text) : {} };
    };
    const b64 = (zip: Uint8Array): string => Buffer.from(zip).toString('base64');

    test('HoldingSolution in another case, then DeleteAndPromote and ExportSolution in lower case', async () => {
      let r = await action('ImportSolution', {
        CustomizationFile: b64(spelled(contosoV1(), 'ContosoProjects')),
      });
      assert.equal(r.status, 204, JSON.stringify(r.json));
      r = await action('ImportSolution', {
        CustomizationFile: b64(spelled(contosoV2(), 'CONTOSOPROJECTS')),
        HoldingSolution: true,
      });
      assert.equal(r.status, 204, JSON.stringify(r.json));
      assert.deepEqual(await installed(store, envId), [
        'ContosoProjects 1.0.0.0',
        'ContosoProjects_Upgrade 2.0.0.0 (holding)',
      ]);
      r = await action('DeleteAndPromote', { UniqueName: 'contosoprojects' });
      assert.equal(r.status, 200, JSON.stringify(r.json));
      assert.equal(r.json.SolutionId, solutionId(envId, 'ContosoProjects'));
      assert.deepEqual(await installed(store, envId), ['ContosoProjects 2.0.0.0']);
      r = await action('ExportSolution', { SolutionName: 'contosoprojects', Managed: true });
      assert.equal(r.status, 200, JSON.stringify(r.json));
      const pkg = readPackage(new Uint8Array(Buffer.from(r.json.ExportSolutionFile, 'base64')));
      assert.equal(pkg.manifest.version.text, '2.0.0.0');
      // the JSON API's history of a solution named in any case, with its staged upgrade's
      const res = await fetch(`${base}/api/v1/history?solution=CONTOSOPROJECTS`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const ops = ((await res.json()) as Array<{ solutionName: string; subOperation: string }>).map(
        (h) => `${h.solutionName} ${h.subOperation}`,
      );
      assert.ok(ops.includes('ContosoProjects_Upgrade holding'), ops.join(', '));
      assert.ok(ops.includes('ContosoProjects apply'), ops.join(', '));
    });
  });
}

describe('CLI: strata upgrade finds the holding solution in any case', () => {
  const dir = useTempHome('strata-names-');
  const strata = async (...argv: string[]): Promise<{ code: number; out: string }> => {
    const { code, both } = await runCli(...argv);
    return { code, out: both };
  };

  test('import Contoso, stage CONTOSO, strata upgrade contoso applies it', async () => {
    const v1 = join(dir, 'v1.zip');
    const v2 = join(dir, 'v2.zip');
    writeFileSync(v1, spelled(contosoV1(), 'Contoso'));
    writeFileSync(v2, spelled(contosoV2(), 'CONTOSO'));
    assert.equal((await strata('import', v1)).code, 0);
    const staged = await strata('import', v2, '--import-as-holding');
    assert.equal(staged.code, 0, staged.out);
    const up = await strata('upgrade', 'contoso');
    assert.equal(up.code, 0, up.out);
    assert.match(up.out, /Contoso_Upgrade 2\.0\.0\.0 is now Contoso/);
    const list = await strata('list', '--json');
    assert.deepEqual(
      (JSON.parse(list.out) as Array<{ uniqueName: string; version: string }>).map(
        (s) => `${s.uniqueName} ${s.version}`,
      ),
      ['Contoso 2.0.0.0'],
    );
  });
});
