import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { CATALOG_ID } from '../src/catalog/catalog.js';
import { customize } from '../src/engine/customize.js';
import { importSolution } from '../src/engine/import.js';
import { describeLayers } from '../src/engine/layers.js';
import { properties } from '../src/engine/properties.js';
import { publish } from '../src/engine/publish.js';
import { createEnvironment, findEnvironment } from '../src/store/environments.js';
import type { Store } from '../src/store/store.js';
import { HAVE_REAL_FIXTURES, NO_FIXTURES_REASON, realFixture } from './support/fixtures.js';
import { STORE_CASES } from './support/stores.js';

/**
 * `layers` on a form whose local change no longer fits: GlobalQuickSearch 1.5 (a real CRM 2011
 * export), a row added to the Information form's first section, then a 1.5.0.1 whose section has
 * another id, imported with --force-overwrite. The added row goes to the Conflicts tab.
 */
const FORM = '{883af04d-96bd-4c85-9ff4-50747fc7bcd7}';
const SECTION = '{183ea372-5af0-4afb-80e6-2521cea0d446}';
const NEW_SECTION = '{11111111-2222-4333-8444-555555555555}';
const CELL = '{99999999-0000-4000-8000-000000000001}';
const GQS = 'crm2011-globalquicksearch-series/GlobalQuickSearch_1_5_0_0_managed.zip';

/** GlobalQuickSearch 1.5.0.1: the same package with the form's first section under a new id */
function variant(): Uint8Array {
  const files = unzipSync(readFileSync(realFixture(GQS)));
  const edit = (name: string, f: (xml: string) => string): void => {
    files[name] = strToU8(f(strFromU8(files[name])));
  };
  edit('customizations.xml', (xml) => xml.replace(SECTION, NEW_SECTION));
  edit('solution.xml', (xml) =>
    xml.replace('<Version>1.5.0.0</Version>', '<Version>1.5.0.1</Version>'),
  );
  return zipSync(files);
}

for (const sc of STORE_CASES) {
  describe(
    `layers of a merged form (${sc.name})`,
    { skip: sc.skip || (!HAVE_REAL_FIXTURES && NO_FIXTURES_REASON) },
    () => {
      let store: Store;
      before(async () => {
        store = await sc.open();
      });
      after(async () => {
        await store?.close();
      });

      test('after a merge conflict the Active diff is the Conflicts tab, nothing the form still has', async () => {
        const env = 'conflict';
        await createEnvironment(store, env, CATALOG_ID);
        await importSolution(store, { environment: env, source: readFileSync(realFixture(GQS)) });
        const row = await findEnvironment(store, env);
        const managed = (await describeLayers(store, row, 'systemform', FORM, { xml: true }))
          .layers[0].xml!;
        const at = managed.indexOf('<rows>', managed.indexOf(SECTION)) + '<rows>'.length;
        const added =
          `<row><cell id="${CELL}"><labels><label description="Extra" languagecode="1033" />` +
          '</labels><control id="createdon" classid="{5B773807-9FB2-42db-97C3-7A91EFF8ADFF}" ' +
          'datafieldname="createdon" /></cell></row>';
        await customize(store, env, {
          type: 'systemform',
          key: FORM,
          definition: managed.slice(0, at) + added + managed.slice(at),
        });
        await publish(store, env);
        await importSolution(store, {
          environment: env,
          source: variant(),
          options: { overwrite: true },
        });

        const view = await describeLayers(store, row, 'systemform', FORM, { xml: true });
        assert.match(view.effective!, /1 on the Conflicts tab/);
        const active = view.layers.find((l) => l.kind === 'active')!;
        const changes = active.changes as Array<{
          path: string;
          from: string | null;
          to: string | null;
        }>;
        const effective = properties(view.effectiveXml!);
        const stillThere = changes.filter((c) => c.to === null && effective.has(c.path));
        assert.deepEqual(stillThere, [], 'nothing shown as removed that the form still has');
        assert.deepEqual(
          changes.filter((c) => c.to === null),
          [],
          'the local change removes nothing',
        );
        assert.ok(
          changes.some((c) => c.path.endsWith('/cell/@id') && c.to === CELL),
          'the added row, now on the Conflicts tab',
        );
        assert.ok(changes.length < 30, `only the Conflicts tab changes (${changes.length})`);
        for (const c of changes) {
          assert.match(c.path, /tab\[id=\{c0f11c75-0000-4000-8000-000000000001\}\]/, c.path);
          assert.equal(
            effective.get(c.path),
            c.to ?? undefined,
            `${c.path} is in the form as shown`,
          );
        }
      });
    },
  );
}
