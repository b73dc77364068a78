import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildSolutionZip, sampleSolution } from '../src/package/build.js';
import { listHistory } from '../src/store/history.js';
import { listSolutions } from '../src/store/queries.js';
import { findEnvironment } from '../src/store/environments.js';
import type { Store } from '../src/store/store.js';
import { openMemoryStore } from './support/stores.js';
import {
  HAVE_REAL_FIXTURES,
  NO_FIXTURES_REASON,
  REPO_ROOT,
  TEST_OUTPUT,
  realFixture,
} from './support/fixtures.js';
import { launchChromium, NO_BROWSER } from './support/browser.js';
import { environmentsWithTokens, startServer } from './support/server.js';

/**
 * The web UI (src/web) in a real browser: Debian's Chromium driven by playwright-core, against a
 * server on a fresh PGlite store. Each scenario checks the outcome in the store, not only the page.
 */

const GQS = 'crm2011-globalquicksearch-series';
const V15 = realFixture(`${GQS}/GlobalQuickSearch_1_5_0_0_managed.zip`);
const V16 = realFixture(`${GQS}/GlobalQuickSearch_1_6_0_0_managed.zip`);
/** needs a MaskingRule of msft_ColumnLevelSecurityData, which a fresh environment does not have */
const NEEDS_MISSING = realFixture(
  'powerapps-samples/ColumnLevelSecuritySampleSolution_managed.zip',
);
/** its own folder, as every browser test has: emptied at the start while the others run */
const SHOTS = join(TEST_OUTPUT, 'screenshots', 'wizard');

describe(
  'web UI in a real browser',
  { skip: NO_BROWSER ?? (HAVE_REAL_FIXTURES ? false : NO_FIXTURES_REASON) },
  () => {
    let store: Store;
    let app: FastifyInstance;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let base: string;
    let token: string;
    let envId: number;
    const pageErrors: string[] = [];

    const solutions = async () => listSolutions(store, envId);
    const shot = async (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });
    const wizard = () => page.locator('dialog.wizard');
    const atStep = async (n: number, heading: string) => {
      await page.locator(`dialog.wizard[data-step="${n}"]`).waitFor();
      await page.getByRole('heading', { level: 2, name: heading }).waitFor();
      // focus moves to the new step's heading
      assert.equal(
        await page.evaluate(() => document.activeElement?.tagName),
        'H2',
        `focus on the heading of step ${n}`,
      );
    };
    const row = (name: string) => page.locator(`tr[data-solution="${name}"]`);
    const api = async (path: string, init: RequestInit = {}) => {
      const res = await fetch(`${base}/api/v1${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) },
      });
      return { status: res.status, body: (await res.json()) as unknown };
    };

    before(async () => {
      rmSync(SHOTS, { recursive: true, force: true });
      mkdirSync(SHOTS, { recursive: true });
      store = await openMemoryStore();
      token = (await environmentsWithTokens(store, ['default'], 'browser test')).default;
      envId = (await findEnvironment(store, 'default')).id;
      ({ app, base } = await startServer(store));
      browser = await launchChromium();
      context = await browser.newContext({
        acceptDownloads: true,
        viewport: { width: 1280, height: 860 },
      });
      page = await context.newPage();
      page.setDefaultTimeout(15000);
      page.on('pageerror', (e) => pageErrors.push(e.message));
    });

    after(async () => {
      await browser?.close();
      await app?.close();
      await store?.close();
    });

    test(
      'sign-in: a wrong token is refused in words, a right one shows the environment; ' +
        '#token= is taken and removed from the address',
      async () => {
        await page.goto(`${base}/`);
        await page.getByRole('heading', { name: 'Sign in to strata' }).waitFor();
        await page.getByText('whoever runs the strata server can give you one').waitFor();
        await page.getByLabel('API token').fill('strata_not_a_real_token');
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByText('The token was not accepted').waitFor();
        assert.ok(
          await page.locator('.error-hint').first().isVisible(),
          'the error carries a hint',
        );
        await shot('0-sign-in-refused');
        await page.getByLabel('API token').fill(token);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByText('Environment: default').waitFor();
        await page.getByRole('heading', { name: 'Solutions' }).waitFor();
        assert.equal(await page.evaluate(() => sessionStorage.getItem('strata.token')), token);

        const other = await context.newPage();
        await other.goto(`${base}/#token=${encodeURIComponent(token)}`);
        await other.getByText('Environment: default').waitFor();
        assert.ok(
          !other.url().includes(token),
          `the token is gone from the address: ${other.url()}`,
        );
        await other.close();
      },
    );

    test(
      '(a) import a real package through the wizard: every step, ' +
        'then the solutions list shows it',
      async () => {
        await page.getByRole('button', { name: 'Import' }).click();
        await atStep(1, 'Select Solution Package');
        // Next without a file: an error in words, nothing sent
        await wizard().getByRole('button', { name: 'Next' }).click();
        await wizard().getByText('No package is selected.').waitFor();
        await page.setInputFiles('#package-file', V15);
        await shot('1-select-package');
        await wizard().getByRole('button', { name: 'Next' }).click();

        await atStep(2, 'Solution Information');
        assert.equal(await wizard().locator('.info-name').textContent(), 'Global Quick Search');
        assert.equal(await wizard().locator('.info-version').textContent(), '1.5.0.0');
        await wizard().getByText('contains code that will run in your environment').waitFor();
        await wizard().getByText('import it only from a source you trust').waitFor();
        assert.equal(
          await wizard().locator('.banner').count(),
          0,
          'a new solution has no update banner',
        );
        await wizard().getByRole('cell', { name: 'Plug-in assembly' }).first().waitFor();
        await shot('2-information-new');
        await wizard().getByRole('button', { name: 'Next' }).click();

        await atStep(3, 'Import Options');
        assert.equal(
          await wizard().getByLabel('Stage for Upgrade').count(),
          0,
          'no solution action for a new solution',
        );
        await wizard()
          .getByLabel('Enable any SDK message processing steps included in the solution')
          .check();
        assert.ok(await wizard().getByLabel('Publish changes after import').isVisible());
        await shot('3-options-new');
        await wizard().getByRole('button', { name: 'Next' }).click();

        await atStep(4, 'Review the Import');
        await wizard().getByText('will be installed as a new managed solution').waitFor();
        assert.equal(await wizard().locator('.count.add .n').textContent(), '61');
        await shot('4-review-new');
        await wizard().getByRole('button', { name: 'Import' }).click();

        await atStep(6, 'Global Quick Search 1.5.0.0 was imported successfully');
        await shot('6-result-success');
        assert.ok(
          (await wizard()
            .getByRole('table', { name: 'Component results' })
            .getByRole('row')
            .count()) > 60,
        );
        await wizard().getByRole('button', { name: 'Close' }).last().click();
        await wizard().waitFor({ state: 'detached' });

        await row('GlobalQuickSearch').waitFor();
        assert.equal(
          (await row('GlobalQuickSearch').locator('td.version').textContent())?.trim(),
          '1.5.0.0',
        );
        const s = await solutions();
        assert.deepEqual(
          s.map((x) => [x.uniqueName, x.version, x.managed]),
          [['GlobalQuickSearch', '1.5.0.0', true]],
        );
        await shot('list-after-import');
      },
    );

    test(
      '(b, c) Stage for Upgrade through the wizard (queued behind another import), ' +
        'download the log, then Apply Solution Upgrade',
      async () => {
        // hold the runner and queue another import first, so the wizard shows its place in the
        // queue
        const runner = app.strata.runner!;
        await runner.stop();
        const ahead = await api('/imports?filename=contoso.zip', {
          method: 'POST',
          headers: { 'content-type': 'application/zip' },
          body: Buffer.from(buildSolutionZip(sampleSolution())),
        });
        assert.equal(ahead.status, 202);

        await page.getByRole('button', { name: 'Import' }).click();
        await atStep(1, 'Select Solution Package');
        await page.setInputFiles('#package-file', V16);
        await wizard().getByRole('button', { name: 'Next' }).click();
        await atStep(2, 'Solution Information');
        await wizard()
          .locator('.banner')
          .getByText(
            'This solution package contains an update for a solution that is already installed',
          )
          .waitFor();
        await wizard()
          .locator('.banner')
          .getByText('Installed: version 1.5.0.0, managed')
          .waitFor();
        await shot('2-information-update');
        await wizard().getByRole('button', { name: 'Next' }).click();

        await atStep(3, 'Import Options');
        assert.ok(
          await wizard().getByLabel('Upgrade (recommended)').isChecked(),
          'Upgrade is the default',
        );
        assert.ok(await wizard().getByLabel('Maintain customizations (recommended)').isChecked());
        await wizard().getByLabel('Stage for Upgrade').check();
        await shot('3-options-update');
        await wizard().getByRole('button', { name: 'Next' }).click();

        await atStep(4, 'Review the Import');
        await wizard()
          .getByText('will be staged as GlobalQuickSearch_Upgrade; 1.5.0.0 stays in force')
          .waitFor();
        assert.equal(await wizard().locator('.count.update .n').textContent(), '61');
        assert.equal(await wizard().locator('.count.add .n').textContent(), '1');
        await shot('4-review-stage');
        copyFileSync(
          join(SHOTS, '4-review-stage.png'),
          join(REPO_ROOT, 'docs', 'images', 'import-wizard.png'),
        );
        await wizard().getByRole('button', { name: 'Import' }).click();

        await atStep(5, 'Importing Solution');
        await wizard().getByText('1 import ahead of this one.').waitFor();
        await wizard().getByText('Waiting in the queue').waitFor();
        await shot('5-progress-queued');
        runner.start();

        await atStep(6, 'Global Quick Search 1.6.0.0 was imported successfully');
        await shot('6-result-stage');
        // (c) the log file, as the browser downloads it
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          wizard().getByRole('button', { name: 'Download Log File' }).click(),
        ]);
        assert.match(download.suggestedFilename(), /^GlobalQuickSearch.*_import_log\.xml$/);
        const xml = readFileSync((await download.path())!, 'utf8');
        assert.ok(xml.includes('<Workbook'), 'a SpreadsheetML workbook');
        assert.ok(xml.includes('urn:schemas-microsoft-com:office:spreadsheet'));
        assert.ok(xml.includes('gqs_globalquicksearchconfig'), 'the log lists the components');
        await wizard().getByRole('button', { name: 'Close' }).last().click();
        await wizard().waitFor({ state: 'detached' });

        // both imports ran: the sample first, then the staged holding solution
        await row('GlobalQuickSearch_Upgrade').waitFor();
        let s = await solutions();
        assert.deepEqual(s.map((x) => [x.uniqueName, x.version, x.isHolding]).sort(), [
          ['ContosoProjects', '1.0.0.0', false],
          ['GlobalQuickSearch', '1.5.0.0', false],
          ['GlobalQuickSearch_Upgrade', '1.6.0.0', true],
        ]);

        // Apply Solution Upgrade: disabled until a solution with a holding solution is selected
        const apply = page.getByRole('button', { name: 'Apply Solution Upgrade' });
        await page.getByLabel('Select ContosoProjects').check();
        assert.ok(await apply.isDisabled(), 'no upgrade staged for ContosoProjects');
        await page.getByLabel('Select GlobalQuickSearch', { exact: true }).check();
        assert.ok(await apply.isEnabled());
        await shot('list-staged-upgrade');
        await apply.click();
        const confirm = page.locator('dialog.confirm');
        await confirm
          .getByText('GlobalQuickSearch_Upgrade 1.6.0.0 replaces GlobalQuickSearch 1.5.0.0.')
          .waitFor();
        await shot('apply-upgrade-confirm');
        await confirm.getByRole('button', { name: 'Apply Upgrade' }).click();
        await page.getByText('Upgrade applied: GlobalQuickSearch is now version 1.6.0.0').waitFor();
        assert.equal(
          (await row('GlobalQuickSearch').locator('td.version').textContent())?.trim(),
          '1.6.0.0',
        );
        assert.equal(await row('GlobalQuickSearch_Upgrade').count(), 0);
        s = await solutions();
        assert.deepEqual(s.map((x) => [x.uniqueName, x.version]).sort(), [
          ['ContosoProjects', '1.0.0.0'],
          ['GlobalQuickSearch', '1.6.0.0'],
        ]);
      },
    );

    test(
      '(d) a package that needs missing components: the review warns, the import fails, ' +
        'and the missing names are on the page',
      async () => {
        await page.getByRole('button', { name: 'Import' }).click();
        await atStep(1, 'Select Solution Package');
        await page.setInputFiles('#package-file', NEEDS_MISSING);
        await wizard().getByRole('button', { name: 'Next' }).click();
        await atStep(2, 'Solution Information');
        await wizard().getByRole('button', { name: 'Next' }).click();
        await atStep(3, 'Import Options');
        await wizard().getByRole('button', { name: 'Next' }).click();
        await atStep(4, 'Review the Import');
        await wizard().getByText('This package cannot be imported:').waitFor();
        await wizard()
          .getByText('MaskingRule Date_Slash (provided by msft_ColumnLevelSecurityData')
          .waitFor();
        await shot('4-review-blocked');
        // a refused plan cannot be imported: Import is disabled, and the footer says why
        const importButton = wizard().getByRole('button', { name: 'Import', exact: true });
        assert.ok(await importButton.isDisabled());
        await wizard().getByText('Import is not available: The following solution').waitFor();
        // when the environment changes between the Review and the import, the server refuses
        // the import: a Review that found nothing missing (the plan without its refusal)
        await page.route(/\/api\/v1\/packages\/plan/, async (route) => {
          const res = await route.fetch();
          const plan = (await res.json()) as { blocked: unknown[]; missing: unknown[] };
          await route.fulfill({ response: res, json: { ...plan, blocked: [], missing: [] } });
        });
        await wizard().getByRole('button', { name: 'Back' }).click();
        await atStep(3, 'Import Options');
        await wizard().getByRole('button', { name: 'Next' }).click();
        await atStep(4, 'Review the Import');
        await page.unroute(/\/api\/v1\/packages\/plan/);
        await importButton.click();

        await atStep(6, 'The import of Column-Level Security Sample Solution 1.0.0.0 failed');
        await wizard().getByText('Some dependencies are missing').first().waitFor();
        await wizard()
          .locator('ul.missing')
          .getByText('Required MaskingRule Date_Slash is not in the environment')
          .waitFor();
        await shot('6-result-failed');
        await page.keyboard.press('Escape');
        await wizard().waitFor({ state: 'detached' });

        const s = await solutions();
        assert.ok(
          !s.some((x) => x.uniqueName === 'ColumnLevelSecuritySampleSolution'),
          'nothing was installed',
        );
        const h = await listHistory(store, envId, 10);
        assert.equal(h[0].solutionName, 'ColumnLevelSecuritySampleSolution');
        assert.equal(h[0].result, 'failure');
        assert.equal(h[0].errorCode, 'MISSING_DEPENDENCIES');
      },
    );

    test(
      "a solution's components, a component's layers (with a customization on top), " +
        'and the history',
      async () => {
        const custom = await api('/customize', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            type: 'attribute',
            key: 'gqs_globalquicksearchconfig.createdon',
            set: { displayname: 'Made on' },
          }),
        });
        assert.equal(custom.status, 200, JSON.stringify(custom.body));

        await page.getByRole('link', { name: 'GlobalQuickSearch', exact: true }).click();
        await page
          .getByRole('heading', { level: 1, name: 'Global Quick Search (GlobalQuickSearch)' })
          .waitFor();
        await page.getByLabel('Filter').fill('createdon');
        await shot('components');
        await page
          .getByRole('link', { name: 'Created On (gqs_globalquicksearchconfig.createdon)' })
          .click();
        await page
          .getByRole('heading', { level: 1, name: /^Solution layers: Created On/ })
          .waitFor();
        const active = page.getByRole('region', { name: 'Layer 2: Active' });
        await active.getByRole('cell', { name: 'Made on' }).waitFor();
        await active.getByRole('cell', { name: 'Created On' }).waitFor();
        const managed = page.getByRole('region', { name: 'Layer 1: GlobalQuickSearch' });
        await managed.getByText('1.6.0.0').waitFor();
        await managed.getByText('makarandkeer').waitFor();
        await shot('layers');

        await page.getByRole('link', { name: 'Solution History' }).click();
        await page.getByRole('heading', { level: 1, name: 'Solution history' }).waitFor();
        const rows = page.getByRole('table', { name: 'Solution history' }).locator('tbody tr');
        assert.equal(await rows.count(), (await listHistory(store, envId, 100)).length);
        await rows
          .filter({ hasText: 'ColumnLevelSecuritySampleSolution' })
          .getByText('failure')
          .waitFor();
        await shot('history');
      },
    );

    test(
      'Delete asks first (Cancel keeps it), then removes the solution; ' +
        'Publish All reports what it published; Esc closes the wizard',
      async () => {
        await page.getByRole('link', { name: 'Solutions' }).click();
        await row('ContosoProjects').waitFor();
        await page.getByLabel('Select ContosoProjects').check();
        await page.getByRole('button', { name: 'Delete' }).click();
        const confirm = page.locator('dialog.confirm');
        await confirm.getByText('This cannot be undone.').waitFor();
        await confirm.getByRole('button', { name: 'Cancel' }).click();
        assert.ok(
          (await solutions()).some((x) => x.uniqueName === 'ContosoProjects'),
          'Cancel deletes nothing',
        );
        await page.getByRole('button', { name: 'Delete' }).click();
        await shot('delete-confirm');
        await confirm.getByRole('button', { name: 'Delete' }).click();
        await page.getByText('Deleted ContosoProjects.').waitFor();
        assert.equal(await row('ContosoProjects').count(), 0);
        assert.deepEqual(
          (await solutions()).map((x) => x.uniqueName),
          ['GlobalQuickSearch'],
        );

        await page.getByRole('button', { name: 'Publish All Customizations' }).click();
        await page.getByText('Published 1 customization(s).').waitFor();
        const layers = (await api(
          '/components/attribute/gqs_globalquicksearchconfig.createdon/layers',
        )) as { body: { layers: Array<{ solution: string; draft: boolean; published: boolean }> } };
        assert.deepEqual(
          layers.body.layers.map((l) => [l.solution, l.published, l.draft]),
          [
            ['Active', true, false],
            ['GlobalQuickSearch', true, false],
          ],
        );

        await page.getByRole('button', { name: 'Import' }).click();
        await atStep(1, 'Select Solution Package');
        await page.keyboard.press('Escape');
        await wizard().waitFor({ state: 'detached' });
        assert.deepEqual(pageErrors, [], 'no script errors on the page');
      },
    );
  },
);
