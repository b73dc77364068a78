import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { customize } from '../src/engine/customize.js';
import { importSolution } from '../src/engine/import.js';
import { createRecords, tableIn } from '../src/engine/records/records.js';
import { findEnvironment } from '../src/store/environments.js';
import { listSolutions } from '../src/store/queries.js';
import type { Store } from '../src/store/store.js';
import { openMemoryStore } from './support/stores.js';
import {
  HAVE_REAL_FIXTURES,
  NO_FIXTURES_REASON,
  TEST_OUTPUT,
  realFixture,
} from './support/fixtures.js';
import { buildPackage } from './support/package-builder.js';
import { launchChromium, NO_BROWSER } from './support/browser.js';
import { environmentsWithTokens, startServer } from './support/server.js';

/**
 * The screens for what the CLI and the JSON API do beyond import, export, apply and delete, in
 * a real browser: Clone a Patch, Clone Solution, Abandon Upgrade, Remove Active Customizations
 * and Publish Selected. Each checks the outcome in the store or through the API.
 */

const GQS = 'crm2011-globalquicksearch-series';
const V15 = realFixture(`${GQS}/GlobalQuickSearch_1_5_0_0_managed.zip`);
const V16 = realFixture(`${GQS}/GlobalQuickSearch_1_6_0_0_managed.zip`);
const SHOTS = join(TEST_OUTPUT, 'screenshots', 'manage');
const CREATEDON = 'gqs_globalquicksearchconfig.createdon';
const MODIFIEDON = 'gqs_globalquicksearchconfig.modifiedon';

type Layers = { layers: Array<{ solution: string; kind: string; draft: boolean }> };

describe(
  'managing solutions and customizations in a real browser',
  { skip: NO_BROWSER ?? (HAVE_REAL_FIXTURES ? false : NO_FIXTURES_REASON) },
  () => {
    let store: Store;
    let app: FastifyInstance;
    let browser: Browser;
    let page: Page;
    let base: string;
    let token: string;
    let envId: number;
    const pageErrors: string[] = [];

    const shot = async (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });
    const solutions = async () =>
      (await listSolutions(store, envId))
        .map((s) => `${s.uniqueName} ${s.version}${s.parentUniqueName ? ' patch' : ''}`)
        .sort();
    const row = (name: string) => page.locator(`tr[data-solution="${name}"]`);
    const dialog = () => page.locator('dialog.manage');
    const layersOf = async (key: string, type = 'attribute') => {
      const res = await fetch(`${base}/api/v1/components/${type}/${key}/layers`, {
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(res.status, 200);
      return ((await res.json()) as Layers).layers.map((l) => [l.solution, l.draft]);
    };

    before(async () => {
      mkdirSync(SHOTS, { recursive: true });
      store = await openMemoryStore();
      token = (await environmentsWithTokens(store, ['default'], 'browser manage')).default;
      envId = (await findEnvironment(store, 'default')).id;
      await importSolution(store, {
        environment: 'default',
        source: buildPackage({
          uniqueName: 'Contoso',
          version: '1.0.0.0',
          managed: false,
          entities: [{ name: 'new_project', attributes: ['new_projectid', 'new_name'] }],
        }),
      });
      await importSolution(store, { environment: 'default', source: V15 });
      await importSolution(store, {
        environment: 'default',
        source: V16,
        options: { action: 'stage' },
      });
      for (const key of [CREATEDON, MODIFIEDON])
        await customize(store, 'default', {
          type: 'attribute',
          key,
          set: [['displayname', `Changed ${key}`]],
        });
      ({ app, base } = await startServer(store));
      browser = await launchChromium();
      const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
      page = await context.newPage();
      page.setDefaultTimeout(15000);
      page.on('pageerror', (e) => pageErrors.push(e.message));
      await page.goto(`${base}/#token=${encodeURIComponent(token)}`);
      await page.getByText('Environment: default').waitFor();
    });

    after(async () => {
      await browser?.close();
      await app?.close();
      await store?.close();
    });

    test('Clone a Patch: a version that does not fit is refused in the dialog; then the patch is listed with its version', async () => {
      await row('Contoso').waitFor();
      const patch = page.getByRole('button', { name: 'Clone a Patch' });
      await page.getByLabel('Select GlobalQuickSearch', { exact: true }).check();
      assert.ok(await patch.isDisabled(), 'a managed solution has no patches here');
      await page.getByLabel('Select Contoso', { exact: true }).check();
      await patch.click();
      const version = dialog().getByLabel('Version');
      assert.equal(await version.inputValue(), '1.0.1.0', 'the next version that fits');
      await version.fill('2.0.0.0');
      await dialog().getByRole('button', { name: 'Save' }).click();
      await dialog().getByText('Patch version 2.0.0.0 is invalid for Contoso 1.0.0.0').waitFor();
      await dialog().getByText('Code: PATCH_VERSION_INVALID').waitFor();
      // the hint in the UI's words, not the CLI's (--version)
      await dialog()
        .getByText(/takes a higher build: change the version above/)
        .waitFor();
      assert.equal(await dialog().getByText('--version').count(), 0);
      await shot('clone-patch-refused');
      await version.fill('1.0.1.0');
      await dialog().getByRole('button', { name: 'Save' }).click();
      await dialog().waitFor({ state: 'detached' });
      await page
        .getByText(/^Created the patch Contoso_Patch_[0-9a-f]+ 1\.0\.1\.0 of Contoso\.$/)
        .waitFor();
      const patchRow = page.locator('tr[data-solution^="Contoso_Patch_"]');
      assert.equal((await patchRow.locator('td.version').textContent())?.trim(), '1.0.1.0');
      await shot('clone-patch-done');
      const patches = (await listSolutions(store, envId)).filter(
        (s) => s.parentUniqueName === 'Contoso',
      );
      assert.deepEqual(
        patches.map((s) => [s.version, s.managed]),
        [['1.0.1.0', false]],
      );
    });

    test('Clone Solution rolls the patch into Contoso 1.1.0.0 and removes it', async () => {
      await page.getByLabel('Select Contoso', { exact: true }).check();
      await page.getByRole('button', { name: 'Clone Solution' }).click();
      await dialog()
        .getByText(/holds its 1 patch\(es\), which are removed: Contoso_Patch_/)
        .waitFor();
      assert.equal(await dialog().getByLabel('Version').inputValue(), '1.1.0.0');
      await shot('clone-solution');
      await dialog().getByRole('button', { name: 'Save' }).click();
      await dialog().waitFor({ state: 'detached' });
      await page.getByText(/^Contoso is now version 1\.1\.0\.0; it holds Contoso_Patch_/).waitFor();
      assert.equal((await row('Contoso').locator('td.version').textContent())?.trim(), '1.1.0.0');
      assert.equal(await page.locator('tr[data-solution^="Contoso_Patch_"]').count(), 0);
      assert.deepEqual(await solutions(), [
        'Contoso 1.1.0.0',
        'GlobalQuickSearch 1.5.0.0',
        'GlobalQuickSearch_Upgrade 1.6.0.0',
      ]);
    });

    test('Abandon Upgrade removes the staged holding solution and keeps 1.5.0.0', async () => {
      const abandon = page.getByRole('button', { name: 'Abandon Upgrade' });
      await page.getByLabel('Select Contoso', { exact: true }).check();
      assert.ok(await abandon.isDisabled(), 'nothing is staged for Contoso');
      await page.getByLabel('Select GlobalQuickSearch', { exact: true }).check();
      await abandon.click();
      await dialog()
        .getByText('Removes the staged upgrade GlobalQuickSearch_Upgrade 1.6.0.0')
        .waitFor();
      await shot('abandon-upgrade');
      await dialog().getByRole('button', { name: 'Abandon Upgrade' }).click();
      await dialog().waitFor({ state: 'detached' });
      await page.getByText('Abandoned the staged upgrade GlobalQuickSearch_Upgrade.').waitFor();
      assert.equal(await row('GlobalQuickSearch_Upgrade').count(), 0);
      assert.deepEqual(await solutions(), ['Contoso 1.1.0.0', 'GlobalQuickSearch 1.5.0.0']);
    });

    test('Publish Selected publishes the checked component only', async () => {
      assert.deepEqual(await layersOf(CREATEDON), [
        ['Active', true],
        ['GlobalQuickSearch', false],
      ]);
      await page.getByRole('link', { name: 'GlobalQuickSearch', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: /\(GlobalQuickSearch\)$/ }).waitFor();
      const publish = page.getByRole('button', { name: /^Publish Selected/ });
      assert.ok(await publish.isDisabled(), 'nothing is selected yet');
      await page.getByLabel('Filter').fill('createdon');
      await page.getByLabel('Select Created On (gqs_globalquicksearchconfig.createdon)').check();
      // the selection survives the filter
      await page.getByLabel('Filter').fill('');
      await page.getByRole('button', { name: 'Publish Selected (1)' }).waitFor();
      await shot('publish-selected');
      await publish.click();
      await page.getByText('Published 1 customization(s).').waitFor();
      assert.deepEqual(await layersOf(CREATEDON), [
        ['Active', false],
        ['GlobalQuickSearch', false],
      ]);
      assert.deepEqual(
        await layersOf(MODIFIEDON),
        [
          ['Active', true],
          ['GlobalQuickSearch', false],
        ],
        'the component that was not selected keeps its draft',
      );
    });

    test('Remove Active Customizations drops the Active layer (Cancel keeps it)', async () => {
      await page.getByLabel('Filter').fill('modifiedon');
      await page
        .getByRole('link', { name: /\(gqs_globalquicksearchconfig\.modifiedon\)$/ })
        .click();
      await page.getByRole('heading', { level: 1, name: /^Solution layers/ }).waitFor();
      const remove = page.getByRole('button', { name: 'Remove Active Customizations' });
      await remove.click();
      await dialog().getByText('Removes the Active layer of Column').waitFor();
      await dialog().getByRole('button', { name: 'Cancel' }).click();
      await dialog().waitFor({ state: 'detached' });
      assert.equal((await layersOf(MODIFIEDON))[0][0], 'Active', 'Cancel removes nothing');
      await remove.click();
      await shot('remove-active');
      await dialog().getByRole('button', { name: 'Remove' }).click();
      await dialog().waitFor({ state: 'detached' });
      await page.getByText(/^Removed the active customizations of Column/).waitFor();
      assert.equal(await page.getByRole('region', { name: /Active/ }).count(), 0);
      assert.equal(await remove.count(), 0, 'no Active layer, no button');
      assert.deepEqual(await layersOf(MODIFIEDON), [['GlobalQuickSearch', false]]);
    });

    test(
      'Remove Active Customizations of a table only the Active layer holds: ' +
        'it waits for the consent to delete its records, then the table is gone',
      async () => {
        await createRecords(store, await tableIn(store, 'default', 'new_project'), [
          { new_name: 'Alpha' },
          { new_name: 'Beta' },
        ]);
        await page.evaluate(() => (location.hash = '#/layers/entity/new_project'));
        await page.getByRole('heading', { level: 1, name: /^Solution layers/ }).waitFor();
        await page.getByRole('button', { name: 'Remove Active Customizations' }).click();
        await dialog()
          .getByText('It has no other layer, so Project leaves the environment.')
          .waitFor();
        const remove = dialog().getByRole('button', { name: 'Remove' });
        await remove.click();
        await dialog().getByText('This would delete 2 rows: table new_project (2 rows).').waitFor();
        assert.ok(await remove.isDisabled(), 'Remove waits for the consent');
        assert.equal((await layersOf('new_project', 'entity'))[0][0], 'Active');
        await shot('remove-active-data-loss');
        await dialog().getByLabel('I accept that these records will be deleted').check();
        await remove.click();
        await dialog().waitFor({ state: 'detached' });
        await page.getByText('Removed Table Project: only its Active layer held it.').waitFor();
        await page.getByRole('heading', { level: 1, name: 'Solutions' }).waitFor();
        const res = await fetch(`${base}/api/v1/tables/new_project/records`, {
          headers: { authorization: `Bearer ${token}` },
        });
        assert.equal(res.status, 404, 'the table is gone with its records');
        assert.deepEqual(pageErrors, [], 'no script errors on the page');
      },
    );
  },
);
