import assert from 'node:assert/strict';
import { zipSync } from 'fflate';
import { after, before, describe, test } from 'node:test';
import { CATALOG_ID } from '../src/catalog/catalog.js';
import { importSolution, planPackage } from '../src/engine/import.js';
import { customize, removeActive } from '../src/engine/customize.js';
import { publish } from '../src/engine/publish.js';
import {
  buildSolutionZip,
  packageEntries,
  sampleSolution,
  type SolutionSpec,
} from '../src/package/build.js';
import { readPackage } from '../src/package/read.js';
import { createEnvironment } from '../src/store/environments.js';
import { loadJob } from '../src/store/jobs.js';
import { listHistory } from '../src/store/history.js';
import {
  componentLayers,
  dumpEnvironment,
  listComponents,
  listSolutions,
} from '../src/store/queries.js';
import { findEnvironment } from '../src/store/environments.js';
import type { Store } from '../src/store/store.js';
import { buildPackage } from './support/package-builder.js';
import { STORE_CASES } from './support/stores.js';
import { withTempDir, writeEntries } from './support/temp.js';

let n = 0;
const freshEnv = async (store: Store, base = CATALOG_ID): Promise<string> => {
  const name = `env${++n}`;
  await createEnvironment(store, name, base);
  return name;
};
const envId = async (store: Store, name: string): Promise<number> =>
  (await findEnvironment(store, name)).id;

async function rejectsWith(
  p: Promise<unknown>,
  code: string,
): Promise<Error & { code: string; jobId?: string }> {
  try {
    await p;
  } catch (e) {
    assert.equal(
      (e as { code?: string }).code,
      code,
      `expected ${code}, got ${(e as { code?: string }).code}: ${(e as Error).message}`,
    );
    return e as Error & { code: string };
  }
  assert.fail(`expected ${code}, but it succeeded`);
}

const unmanagedSample = (): SolutionSpec => ({ ...sampleSolution(), managed: false });

for (const sc of STORE_CASES) {
  describe(`import of a new solution (${sc.name})`, { skip: sc.skip }, () => {
    let store: Store;
    before(async () => {
      store = await sc.open();
    });
    after(async () => {
      await store?.close();
    });

    test('a managed solution lands as one published managed layer per component', async () => {
      const env = await freshEnv(store);
      const out = await importSolution(store, {
        environment: env,
        source: buildSolutionZip(sampleSolution()),
        label: 'sample.zip',
      });
      assert.equal(out.log.status, 'succeeded');
      const id = await envId(store, env);
      const sols = await listSolutions(store, id);
      assert.deepEqual(
        sols.map((s) => [s.uniqueName, s.version, s.managed, s.publisher]),
        [['ContosoProjects', '1.0.0.0', true, 'contoso']],
      );
      const { layers } = await componentLayers(store, id, 'attribute', 'cnt_project.cnt_budget');
      assert.deepEqual(
        layers.map((l) => [l.solution, l.kind, l.xml !== null, l.draftXml]),
        [['ContosoProjects', 'managed', true, null]],
      );
      assert.match(layers[0].xml!, /<attribute PhysicalName="cnt_Budget">/);
      const wr = await componentLayers(store, id, 'webresource', 'cnt_/scripts/project.js');
      assert.deepEqual(wr.layers[0].files, ['WebResources/cnt_/scripts/project.js']);
      const comps = await listComponents(store, id, { solution: 'ContosoProjects' });
      assert.ok(comps.length >= 18, `expected the sample's components, got ${comps.length}`);
      assert.ok(comps.every((c) => !c.unpublished));
    });

    test("managed definitions point into the zip's compressed customizations.xml; others are packed", async () => {
      const text = new TextDecoder().decode(packageEntries(sampleSolution())['customizations.xml']);
      const variants: Array<{
        label: string;
        bytes: Uint8Array;
        level: 0 | 6;
        packageFile: boolean;
      }> = [
        { label: 'UTF-8', bytes: new TextEncoder().encode(text), level: 6, packageFile: true },
        {
          label: 'UTF-8 with a byte order mark',
          bytes: new Uint8Array(Buffer.from('\ufeff' + text, 'utf8')),
          level: 6,
          packageFile: true,
        },
        {
          label: 'UTF-16 with a byte order mark',
          bytes: new Uint8Array(Buffer.from('\ufeff' + text, 'utf16le')),
          level: 6,
          packageFile: true,
        },
        {
          label: 'stored, not deflated',
          bytes: new TextEncoder().encode(text),
          level: 0,
          packageFile: false,
        },
      ];
      const check = async (
        source: string | Uint8Array,
        label: string,
        packageFile: boolean,
      ): Promise<void> => {
        const pkg = readPackage(source);
        assert.equal(pkg.customizationsDeflated !== undefined, packageFile, label);
        const env = await freshEnv(store);
        await importSolution(store, { environment: env, source });
        const id = await envId(store, env);
        const formats = await store.query<{ format: string }>(
          'SELECT format FROM layer_content WHERE env_id = $1 ORDER BY chunk',
          [id],
        );
        // the tables are rebuilt without their columns, forms and views: those few are packed by
        // strata
        assert.deepEqual(
          formats.map((f) => f.format),
          packageFile ? ['text', 'package-file'] : ['text'],
          label,
        );
        const managed = pkg.components.filter((c) => !c.shell);
        assert.ok(managed.some((c) => c.inDocument) && managed.some((c) => !c.inDocument), label);
        for (const c of managed) {
          const { layers } = await componentLayers(store, id, c.type, c.key);
          assert.equal(
            layers.find((l) => l.solution === 'ContosoProjects')?.xml,
            c.xml,
            `${label}: ${c.type} ${c.key} reads back as the package has it`,
          );
        }
      };
      for (const v of variants) {
        const entries = { ...packageEntries(sampleSolution()), 'customizations.xml': v.bytes };
        await check(zipSync(entries, { level: v.level }), v.label, v.packageFile);
      }
      await withTempDir(async (dir) => {
        writeEntries(dir, packageEntries(sampleSolution()));
        await check(dir, 'an extracted folder', false);
      });
    });

    test('two customizations.xml entries: refused, both named, nothing imported', async () => {
      const entries = packageEntries(sampleSolution());
      const real = new TextDecoder().decode(entries['customizations.xml']);
      // the decoy comes first, has the same length, and differs in every definition's text:
      // .NET reads the first of two same-named entries, fflate the last (docs/decisions.md, 35)
      const decoy = real.replace(/cnt_/g, 'xyz_');
      const zip = zipSync(
        { customizationsXxml: new TextEncoder().encode(decoy), ...entries },
        { level: 6 },
      );
      // rename the decoy entry (local header and central directory) to customizations.xml
      const from = Buffer.from('customizationsXxml');
      const to = Buffer.from('customizations.xml');
      const bytes = Buffer.from(zip);
      for (let at = bytes.indexOf(from); at >= 0; at = bytes.indexOf(from, at + 1))
        to.copy(bytes, at);
      const env = await freshEnv(store);
      const id = await envId(store, env);
      const before = await dumpEnvironment(store, id);
      const historyBefore = (await listHistory(store, id)).length;
      const err = await rejectsWith(
        importSolution(store, { environment: env, source: new Uint8Array(bytes), label: 'x.zip' }),
        'PACKAGE_DUPLICATE_ENTRY',
      );
      assert.match(err.message, /x\.zip holds two entries named "customizations\.xml"/);
      assert.equal(await dumpEnvironment(store, id), before);
      assert.equal((await listHistory(store, id)).length, historyBefore);
    });

    test('a managed layer on a standard table sits above the System layer', async () => {
      const env = await freshEnv(store);
      const zip = buildPackage({
        uniqueName: 'AccountExt',
        managed: true,
        entities: [{ name: 'account', attributes: ['new_rating'] }],
      });
      await importSolution(store, { environment: env, source: zip });
      const plan = (
        await planPackage(
          store,
          env,
          buildPackage({
            uniqueName: 'AccountExt2',
            managed: true,
            publisher: { uniqueName: 'fabrikam', prefix: 'fab', optionValuePrefix: 20000 },
            entities: [{ name: 'account', attributes: ['fab_score'] }],
          }),
        )
      ).plan;
      const acc = plan.components.find((c) => c.type === 'entity' && c.key === 'account')!;
      assert.equal(
        acc.action,
        'update',
        'account exists (System layer) so the package adds a layer over it',
      );
      const id = await envId(store, env);
      const { layers } = await componentLayers(store, id, 'entity', 'account');
      assert.deepEqual(
        layers.map((l) => l.solution),
        ['AccountExt'],
      );
    });

    test('an unmanaged solution lands in the Active layer as drafts until published', async () => {
      const env = await freshEnv(store);
      await importSolution(store, {
        environment: env,
        source: buildSolutionZip(unmanagedSample()),
      });
      const id = await envId(store, env);
      let form = await componentLayers(store, id, 'entity', 'cnt_project');
      assert.deepEqual(
        form.layers.map((l) => [l.solution, l.kind, l.xml, l.draftXml !== null]),
        [['Active', 'active', null, true]],
      );
      const drafts = (await listComponents(store, id)).filter((c) => c.unpublished);
      assert.ok(drafts.length > 10);
      const { published } = await publish(store, env);
      assert.equal(published.length, drafts.length);
      form = await componentLayers(store, id, 'entity', 'cnt_project');
      assert.equal(form.layers[0].draftXml, null);
      assert.match(form.layers[0].xml!, /<Name LocalizedName="Project"/);
      const h = await listHistory(store, id);
      assert.deepEqual(
        h.map((x) => x.operation),
        ['publish', 'import'],
      );
    });

    test('publish of named components publishes only those', async () => {
      const env = await freshEnv(store);
      await importSolution(store, {
        environment: env,
        source: buildSolutionZip(unmanagedSample()),
      });
      const { published } = await publish(store, env, [{ type: 'entity', key: 'cnt_project' }]);
      assert.deepEqual(
        published.map((p) => p.key),
        ['cnt_project'],
      );
      const id = await envId(store, env);
      assert.equal(
        (await componentLayers(store, id, 'entity', 'cnt_milestone')).layers[0].xml,
        null,
      );
    });

    test('--publish-changes publishes what the import touched', async () => {
      const env = await freshEnv(store);
      const out = await importSolution(store, {
        environment: env,
        source: buildSolutionZip(unmanagedSample()),
        options: { publishChanges: true },
      });
      assert.ok(out.published > 10);
      const id = await envId(store, env);
      assert.equal((await listComponents(store, id)).filter((c) => c.unpublished).length, 0);
    });

    test('missing required components fail the import, list every one, and change nothing', async () => {
      const env = await freshEnv(store);
      const id = await envId(store, env);
      const before = await dumpEnvironment(store, id);
      const spec = sampleSolution();
      spec.tables[1].columns.push({
        name: 'cnt_VendorId',
        display: 'Vendor',
        type: 'lookup',
        target: 'fab_vendor',
      });
      spec.tables[0].columns.push({
        name: 'cnt_RegionId',
        display: 'Region',
        type: 'lookup',
        target: 'fab_region',
      });
      const e = await rejectsWith(
        importSolution(store, { environment: env, source: buildSolutionZip(spec) }),
        'MISSING_DEPENDENCIES',
      );
      const missing = (e as unknown as { missing: Array<{ key: string }> }).missing
        .map((m) => m.key)
        .sort();
      assert.deepEqual(missing, ['fab_region', 'fab_vendor']);
      assert.equal(await dumpEnvironment(store, id), before);
      const log = await loadJob(store, e.jobId!, (t) => t);
      assert.equal(log.status, 'failed');
      assert.equal(log.code, 'MISSING_DEPENDENCIES');
      assert.ok(
        log.results.some(
          (r) =>
            r.result === 'failure' &&
            r.code === 'MISSING_DEPENDENCIES' &&
            /fab_vendor/.test(r.message),
        ),
      );
      const h = await listHistory(store, id);
      assert.deepEqual(
        h.map((x) => [x.operation, x.result, x.errorCode]),
        [['import', 'failure', 'MISSING_DEPENDENCIES']],
      );
    });

    test('a failure in the middle of writing leaves the environment exactly as before', async () => {
      const env = await freshEnv(store);
      await importSolution(store, {
        environment: env,
        source: buildPackage({
          uniqueName: 'First',
          managed: true,
          publisher: { uniqueName: 'fabrikam', prefix: 'new', optionValuePrefix: 20000 },
          entities: [{ name: 'new_thing', attributes: ['new_thingid', 'new_name'] }],
        }),
      });
      const id = await envId(store, env);
      for (const step of ['solution', 'layers', 'files', 'membership', 'content'] as const) {
        const before = await dumpEnvironment(store, id);
        await rejectsWith(
          importSolution(store, {
            environment: env,
            source: buildSolutionZip(sampleSolution()),
            faults: { failAfter: step },
          }),
          'FAULT_INJECTED',
        );
        assert.equal(
          await dumpEnvironment(store, id),
          before,
          `after a failure following "${step}"`,
        );
      }
      assert.deepEqual(
        (await listSolutions(store, id)).map((s) => s.uniqueName),
        ['First'],
      );
    });

    test('a publisher that comes with another prefix is updated, with a warning', async () => {
      const env = await freshEnv(store);
      await importSolution(store, { environment: env, source: buildSolutionZip(sampleSolution()) });
      const other = {
        ...sampleSolution(),
        uniqueName: 'Other',
        tables: [],
        webResources: [],
        publisher: { ...sampleSolution().publisher, prefix: 'zzz' },
      };
      const out = await importSolution(store, {
        environment: env,
        source: buildSolutionZip(other),
      });
      assert.equal(out.plan.publisher.action, 'update');
      assert.ok(out.plan.warnings.some((w) => /prefix changes from "cnt" to "zzz"/.test(w)));
      const rows = await store.query<{ customization_prefix: string }>(
        'SELECT customization_prefix FROM publishers WHERE env_id = $1',
        [await envId(store, env)],
      );
      assert.deepEqual(
        rows.map((r) => r.customization_prefix),
        ['zzz'],
      );
    });

    // test/lifecycle.test.ts covers the rest of the lifecycle
    test('a package of an installed solution is planned as an upgrade of it', async () => {
      const env = await freshEnv(store);
      await importSolution(store, { environment: env, source: buildSolutionZip(sampleSolution()) });
      const next = { ...sampleSolution(), version: '1.1.0.0' };
      const { plan } = await planPackage(store, env, buildSolutionZip(next));
      assert.equal(plan.kind, 'upgrade');
      assert.deepEqual(plan.installed, {
        uniqueName: 'ContosoProjects',
        version: '1.0.0.0',
        managed: true,
        patches: [],
        holding: null,
      });
      assert.equal(
        plan.summary.add + plan.summary.update,
        0,
        'the same content: every component is unchanged',
      );
    });

    test('a routing rule set that is active in the environment cannot be imported over', async () => {
      const env = await freshEnv(store);
      const rule = (state: number) =>
        '<RoutingRules><RoutingRule>' +
        '<RoutingRuleId>{11111111-2222-3333-4444-555555555555}</RoutingRuleId>' +
        `<Name>Cases</Name><StateCode>${state}</StateCode>` +
        '</RoutingRule></RoutingRules>';
      await importSolution(store, {
        environment: env,
        source: buildPackage({
          uniqueName: 'Routing1',
          managed: true,
          extraCustomizations: rule(1),
        }),
      });
      const id = await envId(store, env);
      const before = await dumpEnvironment(store, id);
      const e = await rejectsWith(
        importSolution(store, {
          environment: env,
          source: buildPackage({
            uniqueName: 'Routing2',
            managed: true,
            extraCustomizations: rule(1),
          }),
        }),
        'ROUTING_RULE_SET_ACTIVE',
      );
      assert.match(e.message, /active routing rule set cannot be edited/);
      assert.equal(await dumpEnvironment(store, id), before);
    });

    test('a routing rule set deactivated by a customization no longer blocks an import', async () => {
      const env = await freshEnv(store);
      const key = '{11111111-2222-3333-4444-555555555555}';
      const rule = (state: number) =>
        '<RoutingRules><RoutingRule>' +
        `<RoutingRuleId>${key}</RoutingRuleId>` +
        `<Name>Cases</Name><StateCode>${state}</StateCode>` +
        '</RoutingRule></RoutingRules>';
      const pkg = (uniqueName: string) =>
        buildPackage({ uniqueName, managed: true, extraCustomizations: rule(1) });
      await importSolution(store, { environment: env, source: pkg('Routing1') });
      // deactivated in the environment: the Active layer's StateCode 0 is in effect
      await customize(store, env, { type: 'routingrule', key, set: [['StateCode', '0']] });
      const id = await envId(store, env);
      const { layers } = await componentLayers(store, id, 'routingrule', key);
      assert.equal(layers[0].kind, 'active');
      assert.match(layers[0].xml ?? '', /<StateCode>0<\/StateCode>/);
      const out = await importSolution(store, { environment: env, source: pkg('Routing2') });
      assert.equal(out.log.status, 'succeeded');
      const after = await componentLayers(store, id, 'routingrule', key);
      assert.deepEqual(
        after.layers.map((l) => l.solution),
        ['Active', 'Routing2', 'Routing1'],
      );
      // active again in effect: the next import is refused
      await removeActive(store, env, 'routingrule', key);
      await rejectsWith(
        importSolution(store, { environment: env, source: pkg('Routing3') }),
        'ROUTING_RULE_SET_ACTIVE',
      );
    });

    test('a standard table the catalog lacks is taken into the System layer with a warning', async () => {
      const env = await freshEnv(store);
      const out = await importSolution(store, {
        environment: env,
        source: buildPackage({
          uniqueName: 'Std',
          managed: true,
          entities: [{ name: 'bookableresource', attributes: ['new_skill'] }],
        }),
      });
      const id = await envId(store, env);
      const { layers } = await componentLayers(store, id, 'entity', 'bookableresource');
      assert.deepEqual(
        layers.map((l) => l.solution),
        ['Std', 'System'],
      );
      assert.ok(
        out.log.results.some(
          (r) =>
            r.key === 'bookableresource' &&
            r.result === 'warning' &&
            /System layer/.test(r.message),
        ),
      );
    });

    test('an empty environment has no System layer, so standard tables are missing', async () => {
      const env = await freshEnv(store, 'empty');
      const spec = sampleSolution();
      const { plan } = await planPackage(store, env, buildSolutionZip(spec));
      assert.equal(plan.summary.missing, 0, 'account is a platform name: assumed, with a warning');
      assert.ok(plan.warnings.some((w) => /account/.test(w)));
    });

    test('a plan made before the environment changed is refused at apply time', async () => {
      const env = await freshEnv(store);
      const { plan, pkg } = await planPackage(store, env, buildSolutionZip(sampleSolution()));
      await importSolution(store, {
        environment: env,
        source: buildPackage({
          uniqueName: 'Sneaky',
          managed: true,
          entities: [{ name: 'new_x', attributes: ['new_xid'] }],
        }),
      });
      const { writeImport } = await import('../src/store/import-writes.js');
      const id = await envId(store, env);
      await rejectsWith(
        store.transaction((tx) => writeImport(tx, id, plan, pkg)),
        'ENVIRONMENT_CHANGED',
      );
    });
  });
}
