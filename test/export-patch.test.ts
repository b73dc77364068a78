import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CATALOG_ID } from '../src/catalog/catalog.js';
import { runClone } from '../src/engine/clone.js';
import { exportSolution } from '../src/engine/export.js';
import { importSolution } from '../src/engine/import.js';
import { readPackage } from '../src/package/read.js';
import { createEnvironment, findEnvironment } from '../src/store/environments.js';
import { listSolutions } from '../src/store/queries.js';
import type { Store } from '../src/store/store.js';
import { HAVE_REAL_FIXTURES, NO_FIXTURES_REASON, realFixture } from './support/fixtures.js';
import { STORE_CASES } from './support/stores.js';

/**
 * Issue 13 #2: a patch made by clone-patch has no package of its own, yet it exports (managed
 * and unmanaged) with its parent's manifest renamed, and the export imports back as a patch of
 * that parent.
 */
const BASE = realFixture('crm2011-globalquicksearch-series/GlobalQuickSearch_1_5_0_0.zip');
const MANAGED_BASE = realFixture(
  'crm2011-globalquicksearch-series/GlobalQuickSearch_1_5_0_0_managed.zip',
);

for (const sc of STORE_CASES) {
  describe(
    `export of a clone-patch patch (${sc.name})`,
    { skip: sc.skip || (!HAVE_REAL_FIXTURES && NO_FIXTURES_REASON) },
    () => {
      let store: Store;
      let n = 0;
      before(async () => {
        store = await sc.open();
      });
      after(async () => {
        await store?.close();
      });
      const fresh = async (base: string): Promise<string> => {
        const env = `p${++n}`;
        await createEnvironment(store, env, CATALOG_ID);
        await importSolution(store, { environment: env, source: base });
        return env;
      };
      const solutions = async (env: string) =>
        listSolutions(store, (await findEnvironment(store, env)).id);

      for (const managed of [false, true]) {
        const flavor = managed ? 'managed' : 'unmanaged';
        test(`GlobalQuickSearch 1.5 clone-patch exports ${flavor} and imports back`, async () => {
          const dev = await fresh(BASE);
          const patch = await runClone(store, dev, 'clone-patch', 'GlobalQuickSearch');
          const name = patch.result.uniqueName;
          assert.match(name, /^GlobalQuickSearch_Patch_[0-9a-f]{8}$/);

          const out = await exportSolution(store, dev, name, { managed });
          assert.equal(out.solution, name);
          assert.equal(out.version, '1.5.1.0');
          assert.equal(out.managed, managed);
          const pkg = readPackage(out.zip, { label: `${name}.zip` });
          assert.equal(pkg.manifest.uniqueName, name);
          assert.equal(pkg.manifest.parentUniqueName, 'GlobalQuickSearch');
          assert.equal(pkg.manifest.version.text, '1.5.1.0');
          assert.equal(pkg.manifest.managed, managed);
          assert.equal(pkg.manifest.publisher.uniqueName, 'makarandkeer');
          assert.deepEqual(pkg.manifest.localizedNames, [
            { languageCode: 1033, text: 'Global Quick Search (patch)' },
          ]);
          assert.deepEqual(pkg.manifest.rootComponents, [], "none of the parent's root components");
          assert.deepEqual(pkg.manifest.missingDependencies, []);
          assert.equal(pkg.components.length, 0, 'a new patch holds no components');

          // into a fresh environment holding the base, in the same flavor
          const target = await fresh(managed ? MANAGED_BASE : BASE);
          const imported = await importSolution(store, { environment: target, source: out.zip });
          assert.equal(imported.log.status, 'succeeded');
          const row = (await solutions(target)).find((s) => s.uniqueName === name);
          assert.ok(row, `${name} is installed`);
          assert.equal(row.parentUniqueName, 'GlobalQuickSearch');
          assert.equal(row.version, '1.5.1.0');
          assert.equal(row.managed, managed);
        });
      }
    },
  );
}
