/**
 * Environment templates over HTTP: GET /templates, the template in GET /environment, the
 * template's Microsoft solutions in /solutions?all=true (and not in /solutions), and the Dataverse
 * Web API's solutions and publishers, which list them as Dataverse does. On both stores.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { CATALOG_ID } from '../src/catalog/catalog.js';
import { environmentTemplate, environmentTemplates } from '../src/catalog/templates.js';
import { importSolution } from '../src/engine/import.js';
import { buildSolutionZip, sampleSolution } from '../src/package/build.js';
import type { Store } from '../src/store/store.js';
import { buildPackage } from './support/package-builder.js';
import { STORE_CASES } from './support/stores.js';
import { environmentsWithTokens, startServer } from './support/server.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

for (const sc of STORE_CASES) {
  describe(`environment templates over HTTP (${sc.name})`, { skip: sc.skip }, () => {
    let store: Store;
    let app: FastifyInstance;
    let base: string;
    const tokens: Record<string, string> = {};
    const get = async (env: string, path: string): Promise<{ status: number; json: Json }> => {
      const res = await fetch(base + path, {
        headers: { authorization: `Bearer ${tokens[env]}`, accept: 'application/json' },
      });
      return { status: res.status, json: (await res.json()) as Json };
    };

    before(async () => {
      store = await sc.open();
      Object.assign(
        tokens,
        await environmentsWithTokens(store, ['dv'], 'templates', 'dataverse'),
        await environmentsWithTokens(store, ['older'], 'templates', CATALOG_ID),
        await environmentsWithTokens(store, ['nothing'], 'templates', 'empty'),
      );
      await importSolution(store, {
        environment: 'dv',
        source: buildSolutionZip(sampleSolution()),
      });
      ({ app, base } = await startServer(store));
    });
    after(async () => {
      await app?.close();
      await store?.close();
    });

    test('GET /environment names the template the environment was made from', async () => {
      const dv = (await get('dv', '/api/v1/environment')).json;
      assert.equal(dv.template, 'dataverse');
      assert.equal(dv.templateTitle, environmentTemplate('dataverse')!.title);
      assert.equal(dv.firstPartySolutions, environmentTemplate('dataverse')!.installs.length);
      assert.equal(dv.solutions, 1, 'the installed solutions only');
      const older = (await get('older', '/api/v1/environment')).json;
      assert.deepEqual(
        [older.template, older.base, older.firstPartySolutions],
        ['bare', CATALOG_ID, 0],
      );
      const nothing = (await get('nothing', '/api/v1/environment')).json;
      assert.deepEqual([nothing.template, nothing.firstPartySolutions], [null, 0]);
    });

    test('GET /templates lists every template with the solutions it installs', async () => {
      const r = await get('dv', '/api/v1/templates');
      assert.equal(r.status, 200);
      assert.deepEqual(
        r.json.map((t: Json) => t.id),
        environmentTemplates().map((t) => t.id),
      );
      const dataverse = r.json.find((t: Json) => t.id === 'dataverse');
      const amwr = dataverse.solutions.find((s: Json) => s.uniqueName === 'AppModuleWebResources');
      assert.equal(amwr.version, '2.5');
      assert.equal(dataverse.total, environmentTemplate('dataverse')!.installs.length);
    });

    test("GET /solutions?all=true adds the template's solutions; plain /solutions does not", async () => {
      const plain = (await get('dv', '/api/v1/solutions')).json;
      assert.deepEqual(
        plain.map((s: Json) => s.uniqueName),
        [sampleSolution().uniqueName],
      );
      const all = (await get('dv', '/api/v1/solutions?all=true')).json;
      const firstParty = all.filter((s: Json) => s.firstParty);
      assert.equal(firstParty.length, environmentTemplate('dataverse')!.installs.length);
      const amwr = firstParty.find((s: Json) => s.uniqueName === 'AppModuleWebResources');
      assert.deepEqual(
        [amwr.version, amwr.managed, amwr.publisherName, amwr.template],
        ['2.5', true, 'Microsoft Corporation', 'dataverse'],
      );
      // below the installed ones: listed first, the customer's after, unmarked
      assert.equal(all.at(-1).uniqueName, sampleSolution().uniqueName);
      assert.equal(all.at(-1).firstParty, false);
      assert.deepEqual((await get('older', '/api/v1/solutions?all=true')).json, []);
    });

    test('the Web API lists them among the solutions, managed, published by Microsoft', async () => {
      const r = await get(
        'dv',
        '/api/data/v9.2/solutions?$select=uniquename,version,ismanaged,isvisible,_publisherid_value',
      );
      assert.equal(r.status, 200, JSON.stringify(r.json));
      const amwr = r.json.value.find((s: Json) => s.uniquename === 'AppModuleWebResources');
      assert.ok(amwr, JSON.stringify(r.json.value));
      assert.deepEqual([amwr.version, amwr.ismanaged, amwr.isvisible], ['2.5', true, true]);
      const pubs = await get('dv', '/api/data/v9.2/publishers?$select=uniquename,friendlyname');
      const ms = pubs.json.value.find((p: Json) => p.uniquename === 'MicrosoftCorporation');
      assert.equal(ms.friendlyname, 'Microsoft Corporation');
      assert.equal(ms.publisherid, amwr._publisherid_value);
      assert.ok(
        r.json.value.some((s: Json) => s.uniquename === sampleSolution().uniqueName),
        'and the installed ones',
      );
      // an environment without a template's solutions: neither
      const older = await get('older', '/api/data/v9.2/publishers?$select=uniquename');
      assert.ok(!older.json.value.some((p: Json) => p.uniquename === 'MicrosoftCorporation'));
    });

    test('ImportSolution with SkipProductUpdateDependencies imports a package that needs a newer Microsoft solution', async () => {
      // the package needs AppModuleWebResources 9.9; dataverse has 2.5
      const zip = buildPackage({
        uniqueName: 'NeedsNewerIcon',
        managed: true,
        entities: [{ name: 'new_icon', attributes: ['new_iconid', 'new_name'] }],
        missingDependencies: [
          '<MissingDependency><Required type="61" ' +
            'schemaName="msdyn_/Images/AppModule_Default_Icon.png" ' +
            'displayName="msdyn_/Images/AppModule_Default_Icon.png" ' +
            'solution="AppModuleWebResources (9.9)" />' +
            '<Dependent type="1" schemaName="new_icon" displayName="Icon" /></MissingDependency>',
        ],
      });
      const importSolution = (skip: boolean) =>
        fetch(`${base}/api/data/v9.2/ImportSolution`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${tokens.dv}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({
            CustomizationFile: Buffer.from(zip).toString('base64'),
            ImportJobId: randomUUID(),
            ...(skip && { SkipProductUpdateDependencies: true }),
          }),
        });
      const refused = await importSolution(false);
      assert.notEqual(refused.status, 204);
      assert.match(await refused.text(), /AppModuleWebResources 9\.9.*2\.5/);
      const done = await importSolution(true);
      assert.equal(done.status, 204, await done.text());
      const sols = await get(
        'dv',
        "/api/data/v9.2/solutions?$filter=uniquename eq 'NeedsNewerIcon'",
      );
      assert.equal(sols.json.value.length, 1);
    });
  });
}
