/**
 * Environment templates in the engine: the first-party solutions a template installs are there
 * for the packages that need them (by inventory, or assumed on the package's word, never
 * silently), in the version the template has; Microsoft's solutions cannot be uninstalled,
 * upgraded, patched, cloned or exported; and they show as managed layers between the System
 * layer and the customer's. The tests lean on what every inventory has (AppModuleWebResources
 * 2.5 in `dataverse`, with the default app icon) and on a test template (addTestTemplates), not
 * on the size of the generated inventory.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CATALOG_ID } from '../src/catalog/catalog.js';
import { addTestTemplates, firstPartySolution } from '../src/catalog/templates.js';
import { withStore } from '../src/cli/context.js';
import { runClone } from '../src/engine/clone.js';
import { removeActive } from '../src/engine/customize.js';
import { exportSolution } from '../src/engine/export.js';
import { importSolution, planPackage } from '../src/engine/import.js';
import { describeLayers } from '../src/engine/layers.js';
import { runLifecycle } from '../src/engine/lifecycle.js';
import { MissingDependenciesError, StrataError } from '../src/model/errors.js';
import { createEnvironment, findEnvironment } from '../src/store/environments.js';
import { listSolutions } from '../src/store/queries.js';
import type { Store } from '../src/store/store.js';
import { runCli, useTempHome } from './support/cli.js';
import { buildPackage, type BuildOptions } from './support/package-builder.js';
import { STORE_CASES } from './support/stores.js';

const ICON = 'msdyn_/images/appmodule_default_icon.png';
const ICON_NAME = 'msdyn_/Images/AppModule_Default_Icon.png';

/** A <MissingDependency> as Dataverse writes it, needed by the table new_book. */
const needs = (required: string): string =>
  `<MissingDependency><Required ${required} />` +
  '<Dependent type="1" schemaName="new_book" displayName="Book" /></MissingDependency>';
const icon = (solution: string): string =>
  needs(`type="61" schemaName="${ICON_NAME}" displayName="${ICON_NAME}" solution="${solution}"`);

/** A managed solution with the table new_book, declaring what it needs. */
const books = (missingDependencies: string[], o: BuildOptions = {}): Uint8Array =>
  buildPackage({
    uniqueName: 'BookApp',
    managed: true,
    entities: [{ name: 'new_book', attributes: ['new_bookid', 'new_name'] }],
    missingDependencies,
    ...o,
  });

/** A test template over dataverse: a Field Service stand-in with a role, in version 8.8.0.88. */
const TEST_TEMPLATE = {
  solutions: [
    {
      uniqueName: 'TestFieldService',
      friendlyName: 'Test Field Service',
      version: '8.8.0.88',
      sources: ['test'],
      components: [
        { type: 'entity', key: 'msdyn_testworkorder', name: 'Work Order', sources: ['test'] },
        {
          type: 'role',
          key: '{11111111-1111-1111-1111-111111111111}',
          name: 'Field Service - Resource',
          sources: ['test'],
        },
      ],
    },
  ],
  templates: [
    {
      id: 'test-fieldservice',
      title: 'test',
      description: 'dataverse and a Field Service stand-in',
      parent: 'dataverse',
      solutions: ['TestFieldService'],
    },
  ],
};

async function refusal(p: Promise<unknown>): Promise<StrataError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof StrataError) return e;
    throw e;
  }
  assert.fail('expected a refusal');
}

for (const sc of STORE_CASES) {
  describe(`environment templates in the engine (${sc.name})`, { skip: sc.skip }, () => {
    let store: Store;
    let removeTestTemplate: () => void;
    before(async () => {
      removeTestTemplate = addTestTemplates(TEST_TEMPLATE.solutions, TEST_TEMPLATE.templates);
      store = await sc.open();
      await createEnvironment(store, 'dv', 'dataverse');
      await createEnvironment(store, 'bare', CATALOG_ID);
      await createEnvironment(store, 'fs', 'test-fieldservice');
    });
    after(async () => {
      removeTestTemplate();
      await store.close();
    });

    test('a package needing the default app icon imports on dataverse, and says from what', async () => {
      const out = await importSolution(store, {
        environment: 'dv',
        source: books([icon('AppModuleWebResources (2.5)')]),
      });
      assert.deepEqual(out.plan.missing, []);
      assert.deepEqual(out.plan.firstParty, [
        {
          uniqueName: 'AppModuleWebResources',
          friendlyName: firstPartySolution('dataverse', 'AppModuleWebResources')!.friendlyName,
          publisher: 'MicrosoftCorporation',
          version: '2.5',
          required: '2.5',
          satisfied: true,
          assumed: [],
        },
      ]);
      const env = await findEnvironment(store, 'dv');
      assert.deepEqual(
        (await listSolutions(store, env.id)).map((s) => s.uniqueName),
        ['BookApp'],
        'the first-party solution is no stored row',
      );
      await runLifecycle(store, 'dv', 'uninstall', 'BookApp');
    });

    test('on bare the same package is refused, naming the solution that provides the icon', async () => {
      const e = await refusal(
        importSolution(store, {
          environment: 'bare',
          source: books([icon('AppModuleWebResources (2.5)')]),
        }),
      );
      assert.ok(e instanceof MissingDependenciesError, e.message);
      assert.equal(e.missing.length, 1);
      assert.equal(e.missing[0].key, ICON);
      assert.equal(e.missing[0].solution, 'AppModuleWebResources (2.5)');
      assert.match(e.message, /provided by AppModuleWebResources \(2\.5\)/);
    });

    test('a higher version than the template has is refused, naming both versions', async () => {
      const e = await refusal(
        importSolution(store, {
          environment: 'dv',
          source: books([icon('AppModuleWebResources (9.1.0.0)')]),
        }),
      );
      assert.ok(e instanceof MissingDependenciesError, e.message);
      assert.deepEqual(e.missing[0].versionTooLow, {
        solution: 'AppModuleWebResources',
        required: '9.1.0.0',
        installed: '2.5',
      });
      assert.match(e.message, /needs AppModuleWebResources 9\.1\.0\.0; this environment has 2\.5/);
      const { plan } = await planPackage(
        store,
        'dv',
        books([icon('AppModuleWebResources (9.1.0.0)')]),
      );
      assert.equal(plan.firstParty?.[0].satisfied, false);
      assert.equal(plan.firstParty?.[0].required, '9.1.0.0');
      // and on the test template, a solution the package needs in 9.1 where it has 8.8
      const fs = await refusal(
        importSolution(store, {
          environment: 'fs',
          source: books([
            needs(
              'type="1" schemaName="msdyn_testworkorder" displayName="Work Order" ' +
                'solution="TestFieldService (9.1.0.0)"',
            ),
          ]),
        }),
      );
      assert.match(
        fs.message,
        /needs TestFieldService 9\.1\.0\.0; this environment has 8\.8\.0\.88/,
      );
    });

    test('a component the inventory does not list is assumed present, and the plan and log say so', async () => {
      const other = needs(
        'type="61" schemaName="msdyn_/Images/Other.svg" displayName="Other icon" ' +
          'solution="AppModuleWebResources (2.5)"',
      );
      const out = await importSolution(store, { environment: 'dv', source: books([other]) });
      assert.deepEqual(out.plan.missing, []);
      assert.deepEqual(out.plan.firstParty?.[0].assumed, [
        {
          type: 'webresource',
          key: 'msdyn_/images/other.svg',
          name: 'Other icon',
          requiredBy: { type: 'entity', key: 'new_book', name: 'Book' },
        },
      ]);
      const said = /Web resource Other icon: assumed present in AppModuleWebResources 2\.5/;
      assert.ok(
        out.plan.warnings.some((w) => said.test(w)),
        out.plan.warnings.join('\n'),
      );
      const row = out.log.results.find((r) => r.key === 'new_book');
      assert.match(row?.message ?? '', said);
      assert.equal(row?.result, 'warning');
      await runLifecycle(store, 'dv', 'uninstall', 'BookApp');
    });

    test('a solution the template does not install stays missing, named', async () => {
      const e = await refusal(
        importSolution(store, {
          environment: 'dv',
          source: books([
            needs(
              'type="1" schemaName="msdyn_testworkorder" displayName="Work Order" ' +
                'solution="TestFieldService (8.8.0.88)"',
            ),
          ]),
        }),
      );
      assert.ok(e instanceof MissingDependenciesError);
      assert.equal(e.missing[0].solution, 'TestFieldService (8.8.0.88)');
      // the template that installs it takes the package
      const out = await importSolution(store, {
        environment: 'fs',
        source: books([
          needs(
            'type="1" schemaName="msdyn_testworkorder" displayName="Work Order" ' +
              'solution="TestFieldService (8.2.0.286)"',
          ),
        ]),
      });
      assert.deepEqual(
        out.plan.firstParty?.map((d) => [d.uniqueName, d.version, d.required, d.satisfied]),
        [['TestFieldService', '8.8.0.88', '8.2.0.286', true]],
      );
      await runLifecycle(store, 'fs', 'uninstall', 'BookApp');
    });

    test('platform columns declared from Active, and standard roles from System by name', async () => {
      const owner = needs(
        'type="2" schemaName="ownerid" parentSchemaName="new_book" displayName="Owner" ' +
          'solution="Active"',
      );
      const role = (name: string): string =>
        needs(
          'type="20" id="{5e1ec7ed-0000-4000-8000-00000000d01e}" ' +
            `displayName="${name}" solution="System"`,
        );
      const { plan } = await planPackage(
        store,
        'fs',
        books([owner, role('  field service - RESOURCE ')]),
      );
      assert.deepEqual(plan.missing, [], JSON.stringify(plan.missing));
      assert.ok(plan.warnings.some((w) => /new_book\.ownerid.*assumed/.test(w)));
      const other = await planPackage(store, 'fs', books([owner, role('Some Custom Role')]));
      assert.deepEqual(
        other.plan.missing.map((m) => [m.type, m.name]),
        [['Security role', 'Some Custom Role']],
      );
    });

    test('a first-party solution cannot be uninstalled, upgraded, cloned or exported', async () => {
      for (const op of [
        () => runLifecycle(store, 'dv', 'uninstall', 'appmodulewebresources'),
        () => runLifecycle(store, 'dv', 'apply-upgrade', 'AppModuleWebResources'),
        () => runLifecycle(store, 'dv', 'abandon', 'AppModuleWebResources_Upgrade'),
        () => runClone(store, 'dv', 'clone-patch', 'AppModuleWebResources'),
        () => exportSolution(store, 'dv', 'AppModuleWebResources'),
      ]) {
        const e = await refusal(op());
        assert.equal(e.code, 'FIRST_PARTY_SOLUTION', e.message);
        assert.match(e.message, /AppModuleWebResources 2\.5 is a first-party solution/);
        assert.match(e.message, /template \(dataverse\)/);
      }
      const bare = await refusal(runLifecycle(store, 'bare', 'uninstall', 'AppModuleWebResources'));
      assert.equal(bare.code, 'SOLUTION_NOT_FOUND');
    });

    test("a package named like a first-party solution is refused: no accidental update of Microsoft's", async () => {
      const e = await refusal(
        importSolution(store, {
          environment: 'dv',
          source: buildPackage({
            uniqueName: 'AppModuleWebResources',
            version: '3.0.0.0',
            managed: true,
          }),
        }),
      );
      assert.equal(e.code, 'FIRST_PARTY_SOLUTION');
      assert.match(e.message, /AppModuleWebResources 2\.5 is a first-party solution/);
      assert.match(e.message, /the package AppModuleWebResources 3\.0\.0\.0 would update it/);
      // on bare it is an ordinary solution
      const out = await importSolution(store, {
        environment: 'bare',
        source: buildPackage({
          uniqueName: 'AppModuleWebResources',
          version: '3.0.0.0',
          managed: true,
        }),
      });
      assert.equal(out.plan.kind, 'new');
      await runLifecycle(store, 'bare', 'uninstall', 'AppModuleWebResources');
    });

    test('the default icon has the first-party layer; a managed layer over it sits above', async () => {
      const dv = await findEnvironment(store, 'dv');
      const view = await describeLayers(store, dv, 'webresource', ICON);
      assert.equal(view.name, ICON_NAME);
      assert.deepEqual(
        view.layers.map((l) => [l.order, l.solution, l.kind, l.publisher, l.version]),
        [[1, 'AppModuleWebResources', 'managed', 'MicrosoftCorporation', '2.5']],
      );
      const bare = await findEnvironment(store, 'bare');
      const none = await refusal(describeLayers(store, bare, 'webresource', ICON));
      assert.equal(none.code, 'COMPONENT_NOT_FOUND');

      const over = buildPackage({
        uniqueName: 'IconTweaks',
        managed: true,
        webResources: [{ name: ICON_NAME, content: 'PNG', type: 5 }],
      });
      const out = await importSolution(store, { environment: 'dv', source: over });
      const planned = out.plan.components.find((c) => c.type === 'webresource');
      assert.equal(planned?.key, ICON);
      assert.equal(planned?.action, 'update', 'the icon was there before');
      assert.deepEqual(
        out.plan.firstParty?.map((d) => [d.uniqueName, d.required]),
        [['AppModuleWebResources', null]],
      );
      const stacked = await describeLayers(store, dv, 'webresource', ICON);
      assert.deepEqual(
        stacked.layers.map((l) => [l.order, l.solution, l.publisher]),
        [
          [2, 'IconTweaks', 'contoso'],
          [1, 'AppModuleWebResources', 'MicrosoftCorporation'],
        ],
      );
      assert.equal(stacked.effective, 'IconTweaks');
      // uninstalling the customer's solution leaves the icon, with its first-party layer
      const gone = await runLifecycle(store, 'dv', 'uninstall', 'IconTweaks');
      assert.deepEqual(
        gone.deletes.filter((d) => d.type === 'webresource').map((d) => [d.key, d.componentGoes]),
        [[ICON, false]],
      );
      const back = await describeLayers(store, dv, 'webresource', ICON);
      assert.deepEqual(
        back.layers.map((l) => l.solution),
        ['AppModuleWebResources'],
      );
      // an unmanaged customization of it, removed again, leaves it there too
      await importSolution(store, {
        environment: 'dv',
        source: buildPackage({
          uniqueName: 'IconDraft',
          webResources: [{ name: ICON_NAME, content: 'PNG2', type: 5 }],
        }),
      });
      const active = await describeLayers(store, dv, 'webresource', ICON);
      assert.deepEqual(
        active.layers.map((l) => l.solution),
        ['Active', 'AppModuleWebResources'],
      );
      const removed = await removeActive(store, 'dv', 'webresource', ICON);
      assert.equal(removed.componentGone, false);
      assert.deepEqual(
        (await describeLayers(store, dv, 'webresource', ICON)).layers.map((l) => l.solution),
        ['AppModuleWebResources'],
      );
    });
  });
}

describe('strata plan names the first-party solutions a package depends on', () => {
  const dir = useTempHome('strata-templates-engine-');

  test('with the template version, the required one, and what is assumed present', async () => {
    await withStore((store) => createEnvironment(store, 'dv', 'dataverse'));
    const zip = join(dir, 'books.zip');
    const other = needs(
      'type="61" schemaName="msdyn_/Images/Other.svg" displayName="Other icon" ' +
        'solution="AppModuleWebResources (2.5)"',
    );
    writeFileSync(zip, books([icon('AppModuleWebResources (2.5)'), other]));
    const r = await runCli('plan', zip, '--env', 'dv');
    assert.equal(r.code, 0, r.both);
    assert.match(r.out, /First-party solutions it depends on \(1\)/);
    assert.match(r.out, /AppModuleWebResources +Microsoft +2\.5 +2\.5/);
    assert.match(r.out, /Web resource Other icon: assumed present in AppModuleWebResources 2\.5/);
    const json = await runCli('plan', zip, '--env', 'dv', '--json');
    const plan = JSON.parse(json.out);
    assert.equal(plan.firstParty[0].uniqueName, 'AppModuleWebResources');
    assert.equal(plan.firstParty[0].assumed.length, 1);

    const low = join(dir, 'low.zip');
    writeFileSync(low, books([icon('AppModuleWebResources (9.1.0.0)')]));
    const refused = await runCli('plan', low, '--env', 'dv');
    assert.match(refused.out, /AppModuleWebResources 9\.1\.0\.0 \(this environment has 2\.5\)/);
  });
});
