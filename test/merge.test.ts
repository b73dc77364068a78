import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { unzipSync, zipSync } from 'fflate';
import { CATALOG_ID } from '../src/catalog/catalog.js';
import { customize } from '../src/engine/customize.js';
import { importSolution, planPackage } from '../src/engine/import.js';
import { CONFLICTS_TAB_ID, diffDefinition, mergeLayers } from '../src/engine/merge/merge.js';
import { canonicalXml } from '../src/package/canonical.js';
import { readPackage } from '../src/package/read.js';
import { createEnvironment } from '../src/store/environments.js';
import { componentLayers } from '../src/store/queries.js';
import { findEnvironment } from '../src/store/environments.js';
import type { Store } from '../src/store/store.js';
import { HAVE_REAL_FIXTURES, NO_FIXTURES_REASON, realFixture } from './support/fixtures.js';
import { STORE_CASES } from './support/stores.js';

/** Merge components (spec §6) with a real form and a real site map from the fixtures. */
const SKIP = HAVE_REAL_FIXTURES ? false : NO_FIXTURES_REASON;
const BSO = 'binary-storage-options-series/BinaryStorageOptions_1_0_0_0_managed.zip';
const FORM = '{0f965e72-63a6-482f-92d8-6548d2edca3d}';
const SECTION = '{d034ac53-69c2-4175-b8df-281484c6657d}';
const USER_CELL =
  '<cell id="{99999999-aaaa-4bbb-8ccc-000000000001}">' +
  '<labels><label description="My field" languagecode="1033" /></labels>' +
  '<control id="bso_mine" classid="{4273EDBD-AC1D-40d3-9FB2-095C621B552D}"' +
  ' datafieldname="bso_mine" />' +
  '</cell>';

const realForm = (): string =>
  readPackage(realFixture(BSO)).components.find((c) => c.key === FORM)!.xml;
/** the user's change: a field added at the end of the first section's rows */
const withUserCell = (form: string): string =>
  form.replace(
    /(<section [^>]*id="\{d034ac53[^>]*>[\s\S]*?)(<\/rows>)/,
    `$1<row>${USER_CELL}</row>$2`,
  );
const relabelTab = (form: string): string =>
  form.replace(
    '<label description="General" languagecode="1033" />',
    '<label description="Overview" languagecode="1033" />',
  );
const dropSection = (form: string): string =>
  form.replace(/<section [^>]*id="\{d034ac53[\s\S]*?<\/section>/, '');
const canon = (xml: string): string => canonicalXml(xml);

describe('merging forms and site maps across layers', { skip: SKIP }, () => {
  test("a layer holds only its changes; merged onto the one below it gives the user's form", () => {
    const base = realForm();
    const mine = withUserCell(base);
    const delta = diffDefinition(base, mine)!;
    assert.match(delta, /solutionaction="Added"/);
    assert.ok(
      delta.length < base.length / 2,
      `the change is small (${delta.length} of ${base.length} characters)`,
    );
    assert.equal(canon(mergeLayers([base, delta]).xml!), canon(mine));
  });

  test("a change in the lower layer shows through; the user's field survives", () => {
    const base = realForm();
    const delta = diffDefinition(base, withUserCell(base))!;
    const merged = mergeLayers([relabelTab(base), delta]).xml!;
    assert.match(merged, /description="Overview"/, "the lower layer's new tab label");
    assert.match(merged, /datafieldname="bso_mine"/, "the user's field");
    assert.equal(canon(merged), canon(withUserCell(relabelTab(base))));
  });

  test('a part whose container was removed below lands on the Conflicts tab, nothing lost', () => {
    const base = realForm();
    const delta = diffDefinition(base, withUserCell(base))!;
    const { xml, conflicts } = mergeLayers([dropSection(base), delta]);
    assert.equal(conflicts, 1);
    assert.ok(xml!.includes(CONFLICTS_TAB_ID));
    assert.match(
      xml!,
      /<tab id="\{c0f11c75[^>]*>[\s\S]*datafieldname="bso_mine"/,
      "the user's field is on the Conflicts tab",
    );
    assert.ok(!xml!.includes(SECTION), 'the removed section stays removed');
  });

  test('removing an element is a change too', () => {
    const base = realForm();
    const withoutKey = base.replace(/<cell id="\{201ae6df[\s\S]*?<\/cell>/, '');
    const delta = diffDefinition(base, withoutKey)!;
    assert.match(
      delta,
      /<cell id="\{201ae6df-a966-4dca-b63a-7a21c51e42f9\}" solutionaction="Removed" \/>/,
    );
    const merged = mergeLayers([relabelTab(base), delta]).xml!;
    assert.ok(!merged.includes('bso_key'));
    assert.match(merged, /Overview/);
  });

  test('site map: an added sub-area ends its group; a title changed below shows through', () => {
    const pkg = readPackage(
      realFixture(
        'fasttrack-sales-order-series/2025-10-03_1209_42f0eb6/' +
          'SalesOrderProcessingAutomation_1_0_0_3_managed.zip',
      ),
    );
    const base = pkg.components.find((c) => c.type === 'sitemap')!.xml;
    const mine = base.replace(
      /(<Group Id="group_cb0ff19e"[\s\S]*?)(<\/Group>)/,
      '$1<SubArea Id="subarea_mine" Entity="account" />$2',
    );
    const delta = diffDefinition(base, mine)!;
    const lower = base.replace('Title="Staging Orders "', 'Title="Orders to review"');
    const merged = mergeLayers([lower, delta]).xml!;
    assert.match(merged, /Orders to review/);
    assert.match(
      merged,
      new RegExp(
        '<SubArea Id="subarea_0a46f25f"[^>]*/>' +
          '<SubArea Id="subarea_mine" Entity="account" /></Group>',
      ),
      'the new sub-area is last in its group',
    );
  });
});

for (const sc of STORE_CASES) {
  describe(
    `a customized form through an upgrade with overwrite (${sc.name})`,
    { skip: sc.skip || SKIP },
    () => {
      let store: Store;
      before(async () => {
        store = await sc.open();
      });
      after(async () => {
        await store?.close();
      });

      test("the user's added field survives and the publisher's change shows", async () => {
        await createEnvironment(store, 'merge1', CATALOG_ID);
        const id = (await findEnvironment(store, 'merge1')).id;
        await importSolution(store, { environment: 'merge1', source: realFixture(BSO) });
        const form = (await componentLayers(store, id, 'systemform', FORM)).layers[0].xml!;
        await customize(store, 'merge1', {
          type: 'systemform',
          key: FORM,
          definition: withUserCell(form),
        });
        const active = (await componentLayers(store, id, 'systemform', FORM)).layers[0];
        assert.equal(active.solution, 'Active');
        assert.match(
          active.draftXml!,
          /solutionaction="Added"/,
          'the Active layer holds the change, not a copy',
        );
        // the publisher's next version relabels the tab; imported with overwrite
        const files = unzipSync(
          new Uint8Array(await import('node:fs').then((fs) => fs.readFileSync(realFixture(BSO)))),
        );
        const dec = (b: Uint8Array): string => new TextDecoder().decode(b);
        files['customizations.xml'] = new TextEncoder().encode(
          relabelTab(dec(files['customizations.xml'])),
        );
        files['solution.xml'] = new TextEncoder().encode(
          dec(files['solution.xml']).replace(
            /<Version>[^<]*<\/Version>/,
            '<Version>1.1.0.0</Version>',
          ),
        );
        // planned first: a version that drops the section holding the user's field says so before
        // anything changes
        const dropped: Record<string, Uint8Array> = {
          ...files,
          'customizations.xml': new TextEncoder().encode(
            dropSection(dec(files['customizations.xml'])),
          ),
        };
        const { plan } = await planPackage(store, 'merge1', zipSync(dropped));
        assert.equal(plan.customizations.find((c) => c.key === FORM)?.conflicts, 1);
        assert.ok(plan.warnings.some((w) => /Conflicts tab/.test(w)));
        const up = await importSolution(store, {
          environment: 'merge1',
          source: zipSync(files),
          options: { overwrite: true },
        });
        assert.equal(up.plan.customizations.find((c) => c.key === FORM)?.effect, 'merged');
        const { layers } = await componentLayers(store, id, 'systemform', FORM);
        assert.deepEqual(
          layers.map((l) => l.solution),
          ['Active', 'BinaryStorageOptions'],
        );
        const effective = mergeLayers([layers[1].xml!, layers[0].draftXml!]).xml!;
        assert.match(effective, /description="Overview"/);
        assert.match(effective, /datafieldname="bso_mine"/);
      });

      test('unmanaged over a managed form: the Active layer holds only its changes', async () => {
        await createEnvironment(store, 'merge2', CATALOG_ID);
        const id = (await findEnvironment(store, 'merge2')).id;
        await importSolution(store, { environment: 'merge2', source: realFixture(BSO) });
        const dec = (b: Uint8Array): string => new TextDecoder().decode(b);
        const enc = (t: string): Uint8Array => new TextEncoder().encode(t);
        const files = unzipSync(
          new Uint8Array((await import('node:fs')).readFileSync(realFixture(BSO))),
        );
        const local = {
          ...files,
          // the user's field shows a platform column the table has
          'customizations.xml': enc(
            withUserCell(dec(files['customizations.xml'])).replace(/bso_mine/g, 'createdon'),
          ),
          'solution.xml': enc(
            dec(files['solution.xml'])
              .replace(
                /<UniqueName>BinaryStorageOptions<\/UniqueName>/,
                '<UniqueName>LocalForms</UniqueName>',
              )
              .replace(/<Managed>1<\/Managed>/, '<Managed>0</Managed>'),
          ),
        };
        const out = await importSolution(store, {
          environment: 'merge2',
          source: zipSync(local),
          options: { publishChanges: true },
        });
        assert.ok(
          out.plan.components
            .find((c) => c.key === FORM)
            ?.definition?.includes('solutionaction="Added"'),
        );
        const { layers } = await componentLayers(store, id, 'systemform', FORM);
        assert.deepEqual(
          layers.map((l) => l.solution),
          ['Active', 'BinaryStorageOptions'],
        );
        assert.match(layers[0].xml!, /solutionaction="Added"/);
        assert.ok(layers[0].xml!.length < layers[1].xml!.length / 2, 'changes, not a copy');
        assert.match(
          mergeLayers([layers[1].xml!, layers[0].xml!]).xml!,
          /datafieldname="createdon"/,
        );
        // the same package again: the same changes, measured against the same managed layers
        const again = await planPackage(store, 'merge2', zipSync(local));
        assert.equal(
          again.plan.components.find((c) => c.key === FORM)?.definition,
          out.plan.components.find((c) => c.key === FORM)?.definition,
        );
      });
    },
  );
}
