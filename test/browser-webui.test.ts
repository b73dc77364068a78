import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { recordHistory } from '../src/store/history.js';
import { listSolutions } from '../src/store/queries.js';
import { environmentTemplate } from '../src/catalog/templates.js';
import { findEnvironment } from '../src/store/environments.js';
import type { Store } from '../src/store/store.js';
import { openMemoryStore } from './support/stores.js';
import {
  HAVE_REAL_FIXTURES,
  NO_FIXTURES_REASON,
  TEST_OUTPUT,
  realFixture,
} from './support/fixtures.js';
import { launchChromium, NO_BROWSER } from './support/browser.js';
import { environmentsWithTokens, startServer } from './support/server.js';

/**
 * The web UI's own defects of issue 13, in a real browser (Debian's Chromium via playwright-core)
 * on a fresh PGlite store: what shows while signed out, the icon, no command-line words, drag
 * and drop, the progress bar before the first poll, the step strip of a tall step, a refused
 * Review (Import disabled, the staged upgrade abandoned from the UI), the missing components of
 * a failed import, and the history's filters and pages.
 */

const GQS = 'crm2011-globalquicksearch-series';
const V15 = realFixture(`${GQS}/GlobalQuickSearch_1_5_0_0_managed.zip`);
const V16 = realFixture(`${GQS}/GlobalQuickSearch_1_6_0_0_managed.zip`);
/** declares hundreds of missing dependencies; a form of its own needs a column that is missing */
const P2C = realFixture('fasttrack-p2c/P2CFieldService.zip');
const SHOTS = join(TEST_OUTPUT, 'screenshots', 'webui');
/** words of the command line that the UI must not ask a user to type */
const COMMAND = /\bstrata\s+(?!server\b)[a-z]|(^|\s)--[a-z]/;

describe(
  'web UI (issue 13): signed out, words, wizard, refusals, history',
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
    const wizard = () => page.locator('dialog.wizard');
    const confirm = () => page.locator('dialog.confirm');
    const atStep = async (n: number, heading: string | RegExp, timeout?: number) => {
      await page.locator(`dialog.wizard[data-step="${n}"]`).waitFor({ timeout });
      await page.getByRole('heading', { level: 2, name: heading }).waitFor({ timeout });
    };
    const row = (name: string) => page.locator(`tr[data-solution="${name}"]`);
    const solutions = async () =>
      (await listSolutions(store, envId)).map((s) => s.uniqueName).sort();
    const api = async (path: string, init: RequestInit = {}) => {
      const res = await fetch(`${base}/api/v1${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) },
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    /** imports through the API and waits for the job */
    const importNow = async (file: string, query = '') => {
      const queued = await api(`/imports?filename=x.zip${query}`, {
        method: 'POST',
        headers: { 'content-type': 'application/zip' },
        body: readFileSync(file),
      });
      assert.equal(queued.status, 202, JSON.stringify(queued.body));
      for (;;) {
        const j = await api(`/jobs/${queued.body.jobId as string}`);
        if (j.body.status === 'succeeded') return;
        assert.notEqual(j.body.status, 'failed', JSON.stringify(j.body));
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    /** the visible text of the page, dialogs included */
    const pageText = async () => page.evaluate(() => document.body.innerText);
    const openWizardWith = async (file: string) => {
      await page.getByRole('button', { name: 'Import' }).click();
      await atStep(1, 'Select Solution Package');
      await page.setInputFiles('#package-file', file);
      await wizard().getByRole('button', { name: 'Next' }).click();
      await atStep(2, 'Solution Information', 60000);
      await wizard().getByRole('button', { name: 'Next' }).click();
      await atStep(3, 'Import Options');
    };

    before(async () => {
      mkdirSync(SHOTS, { recursive: true });
      store = await openMemoryStore();
      token = (await environmentsWithTokens(store, ['default'], 'browser test')).default;
      envId = (await findEnvironment(store, 'default')).id;
      ({ app, base } = await startServer(store));
      browser = await launchChromium();
      const context = await browser.newContext({
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

    /** a fresh page load, signed in with the token in the address */
    const signIn = async () => {
      await page.goto('about:blank');
      await page.goto(`${base}/#token=${encodeURIComponent(token)}`);
      await page.getByRole('heading', { level: 1, name: 'Solutions' }).waitFor();
    };
    /** GlobalQuickSearch 1.5 installed, with 1.6 staged as GlobalQuickSearch_Upgrade */
    const withStagedUpgrade = async () => {
      const names = await solutions();
      if (!names.includes('GlobalQuickSearch')) await importNow(V15);
      if (!names.includes('GlobalQuickSearch_Upgrade')) await importNow(V16, '&action=stage');
      assert.deepEqual(await solutions(), ['GlobalQuickSearch', 'GlobalQuickSearch_Upgrade']);
    };

    test('favicon.ico is served (an icon, not a 404)', async () => {
      const icon = await fetch(`${base}/favicon.ico`);
      assert.equal(icon.status, 200);
      assert.match(icon.headers.get('content-type') ?? '', /^image\//);
      const bytes = new Uint8Array(await icon.arrayBuffer());
      assert.deepEqual([...bytes.slice(0, 4)], [0, 0, 1, 0], 'an ICO file');
    });

    test('signed out: no navigation and no Sign out, and no commands to type', async () => {
      await page.goto(`${base}/`);
      await page.getByRole('heading', { name: 'Sign in to strata' }).waitFor();
      assert.equal(await page.locator('#nav').isVisible(), false, 'no navigation signed out');
      assert.equal(await page.getByRole('link', { name: 'Solution History' }).isVisible(), false);
      assert.equal(await page.locator('#sign-out').isVisible(), false, 'no Sign out signed out');
      await page.getByLabel('API token').fill('strata_not_a_real_token');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByText('The token was not accepted').waitFor();
      await page.locator('.error-hint').waitFor();
      const text = await pageText();
      assert.doesNotMatch(text, COMMAND, `no command line words on the sign-in page:\n${text}`);
      await shot('signed-out');

      await page.getByLabel('API token').fill(token);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Solutions' }).waitFor();
      assert.ok(await page.locator('#nav').isVisible());
      assert.ok(await page.locator('#sign-out').isVisible());
      await page.locator('#sign-out').click();
      await page.getByRole('heading', { name: 'Sign in to strata' }).waitFor();
      assert.equal(await page.locator('#nav').isVisible(), false, 'hidden again after Sign out');
    });

    test("Show Microsoft solutions: the template's solutions, managed, by Microsoft Corporation; off by default", async () => {
      const { microsoft } = await environmentsWithTokens(
        store,
        ['microsoft'],
        'toggle',
        'dataverse',
      );
      const template = environmentTemplate('dataverse')!;
      const firstParty = page.locator('tr[data-first-party="true"]');
      await page.goto('about:blank');
      await page.goto(`${base}/#token=${encodeURIComponent(microsoft)}`);
      await page.getByRole('heading', { level: 1, name: 'Solutions' }).waitFor();
      assert.match(await page.locator('#env-template').innerText(), /template dataverse/);
      const toggle = page.getByLabel('Show Microsoft solutions');
      assert.equal(await toggle.isChecked(), false, 'off by default');
      assert.equal(await firstParty.count(), 0, 'hidden by default');

      await toggle.check();
      await firstParty.first().waitFor();
      assert.equal(await firstParty.count(), template.installs.length);
      const amwr = row('AppModuleWebResources');
      const cells = await amwr.locator('td').allInnerTexts();
      assert.ok(cells.includes('2.5'), `AppModuleWebResources 2.5: ${cells.join(' | ')}`);
      assert.ok(cells.includes('Yes'), 'managed');
      assert.ok(cells.includes('Microsoft Corporation'), 'publisher');
      assert.equal(await amwr.locator('input[type="radio"]').count(), 0, 'not selectable');
      assert.equal(await amwr.getByRole('link').count(), 0, 'no page of its components');
      assert.ok(await toggle.evaluate((el) => el === document.activeElement), 'focus stays');
      await shot('microsoft-solutions');

      await toggle.uncheck();
      await firstParty.first().waitFor({ state: 'detached' });
      // an environment made before templates (bare): no Microsoft solutions, no toggle
      await signIn();
      assert.match(await page.locator('#env-template').innerText(), /template bare/);
      assert.equal(await page.getByLabel('Show Microsoft solutions').count(), 0);
    });

    test('a package file dropped on the first step is taken as if chosen', async () => {
      await signIn();
      await page.getByRole('button', { name: 'Import' }).click();
      await atStep(1, 'Select Solution Package');
      const transfer = await page.evaluateHandle(
        ({ bytes, name }) => {
          const dt = new DataTransfer();
          dt.items.add(new File([new Uint8Array(bytes)], name, { type: 'application/zip' }));
          return dt;
        },
        { bytes: [...readFileSync(V15)], name: 'GlobalQuickSearch_1_5_0_0_managed.zip' },
      );
      const zone = wizard().locator('.drop-zone');
      await zone.dispatchEvent('dragenter', { dataTransfer: transfer });
      await zone.dispatchEvent('dragover', { dataTransfer: transfer });
      await zone.dispatchEvent('drop', { dataTransfer: transfer });
      await wizard().getByText('Selected: GlobalQuickSearch_1_5_0_0_managed.zip').waitFor();
      await shot('1-dropped');
      await wizard().getByRole('button', { name: 'Next' }).click();
      await atStep(2, 'Solution Information');
      assert.equal(await wizard().locator('.info-name').textContent(), 'Global Quick Search');
      await page.keyboard.press('Escape');
      await wizard().waitFor({ state: 'detached' });
    });

    test('the progress bar moves ("starting") before the first poll of the job', async () => {
      await signIn();
      await openWizardWith(V15);
      await wizard().getByRole('button', { name: 'Next' }).click();
      await atStep(4, 'Review the Import');
      // hold the first poll of the job: the bar must already move, not sit empty
      let release: () => void = () => {};
      const held = new Promise<void>((r) => (release = r));
      await page.route(/\/api\/v1\/jobs\/[^/]+$/, async (route) => {
        await held;
        await route.continue();
      });
      try {
        await wizard().getByRole('button', { name: 'Import' }).click();
        await atStep(5, 'Importing Solution');
        assert.equal(
          await wizard().locator('progress#import-progress:indeterminate').count(),
          1,
          'an indeterminate bar until the job is read',
        );
        await wizard().getByText('Starting the import').waitFor();
        await shot('5-starting');
      } finally {
        release();
      }
      await atStep(6, 'Global Quick Search 1.5.0.0 was imported successfully', 60000);
      await page.unroute(/\/api\/v1\/jobs\/[^/]+$/);
      await wizard().getByRole('button', { name: 'Close' }).last().click();
      await wizard().waitFor({ state: 'detached' });
      assert.deepEqual(await solutions(), ['GlobalQuickSearch']);
    });

    test('a step taller than the window scrolls inside the wizard; the step strip stays whole', async () => {
      await signIn();
      await page.getByRole('button', { name: 'Import' }).click();
      await atStep(1, 'Select Solution Package');
      const strip = wizard().locator('ol.steps');
      const measure = () =>
        strip.evaluate((e) => ({
          client: e.clientHeight,
          li: (e.querySelector('li') as HTMLElement).offsetHeight,
        }));
      const whole = await measure();
      await page.setInputFiles('#package-file', V16);
      await wizard().getByRole('button', { name: 'Next' }).click();
      await atStep(2, 'Solution Information');
      try {
        await page.setViewportSize({ width: 1280, height: 420 });
        const body = await wizard()
          .locator('.wizard-body')
          .evaluate((e) => ({ client: e.clientHeight, scroll: e.scrollHeight }));
        assert.ok(body.scroll > body.client, `the step is taller: ${JSON.stringify(body)}`);
        const short = await measure();
        await shot('2-information-short-window');
        assert.deepEqual(short, whole, 'the strip is as tall as in a tall window');
        assert.ok(short.client >= short.li);
      } finally {
        await page.setViewportSize({ width: 1280, height: 860 });
      }
      await page.keyboard.press('Escape');
      await wizard().waitFor({ state: 'detached' });
    });

    test('a staged upgrade blocks the Review: Import is disabled with the reason, and the upgrade is abandoned from the dialog', async () => {
      await withStagedUpgrade();
      await signIn();
      await openWizardWith(V16);
      await wizard().getByRole('button', { name: 'Next' }).click();
      await atStep(4, 'Review the Import');
      const importButton = wizard().getByRole('button', { name: 'Import', exact: true });
      assert.ok(await importButton.isDisabled(), 'a refused plan cannot be imported');
      const reason = wizard().locator('#import-blocked-reason');
      await reason.waitFor();
      assert.match(
        (await reason.textContent()) ?? '',
        /^Import is not available: GlobalQuickSearch_Upgrade 1\.6\.0\.0 is staged for upgrade/,
      );
      const text = await pageText();
      assert.doesNotMatch(text, COMMAND, `no command line words on the Review:\n${text}`);
      await shot('4-review-holding-exists');

      await wizard().getByRole('button', { name: 'Abandon the staged upgrade' }).click();
      await confirm()
        .getByText('The staged upgrade GlobalQuickSearch_Upgrade 1.6.0.0 is removed')
        .waitFor();
      await confirm().getByRole('button', { name: 'Abandon Upgrade' }).click();
      // planned again: the package now upgrades the installed version. The refused plan's
      // Review already said "will be upgraded", so wait for the refusal to go, not for that text
      await wizard().locator('#import-blocked-reason').waitFor({ state: 'detached' });
      await wizard().getByText('will be upgraded from 1.5.0.0 to 1.6.0.0').waitFor();
      await wizard()
        .getByRole('button', { name: 'Import', exact: true, disabled: false })
        .waitFor();
      assert.ok(await importButton.isEnabled());
      assert.deepEqual(await solutions(), ['GlobalQuickSearch']);
      await page.keyboard.press('Escape');
      await wizard().waitFor({ state: 'detached' });
    });

    test('Delete of a solution with a staged upgrade: refused in words, Delete disabled, the upgrade abandoned from the dialog, then deleted', async () => {
      await withStagedUpgrade();
      await signIn();
      await page.getByLabel('Select GlobalQuickSearch', { exact: true }).check();
      await page.getByRole('button', { name: 'Delete' }).click();
      await confirm().getByText('has a staged upgrade').waitFor();
      const text = await pageText();
      assert.doesNotMatch(text, COMMAND, `no command line words in the dialog:\n${text}`);
      assert.ok(await confirm().getByRole('button', { name: 'Delete' }).isDisabled());
      await shot('delete-holding-exists');
      await confirm().getByRole('button', { name: 'Abandon the staged upgrade' }).click();
      await confirm().getByRole('button', { name: 'Abandon Upgrade' }).click();
      // the Delete dialog comes back, without the refusal
      await confirm().getByText('This cannot be undone.').waitFor();
      assert.equal(await confirm().getByText('has a staged upgrade').count(), 0);
      assert.deepEqual(await solutions(), ['GlobalQuickSearch']);
      await confirm().getByRole('button', { name: 'Delete' }).click();
      await page.getByText('Deleted GlobalQuickSearch.').waitFor();
      assert.deepEqual(await solutions(), []);
    });

    test('P2CFieldService: the Review lists what is missing and disables Import, saying why', async () => {
      await signIn();
      await openWizardWith(P2C);
      await wizard().getByRole('button', { name: 'Next' }).click();
      await atStep(4, 'Review the Import', 120000);
      const reason =
        (await wizard().locator('.blocked .error-message').first().textContent()) ?? '';
      const counted = Number(/Some dependencies are missing \((\d+)\)/.exec(reason)?.[1]);
      assert.ok(counted > 200, reason);
      assert.equal(await wizard().locator('.blocked ul.missing li').count(), counted);
      await shot('4-review-p2c');
      assert.ok(
        await wizard().getByRole('button', { name: 'Import', exact: true }).isDisabled(),
        'a refused plan cannot be imported',
      );
      assert.equal(
        await wizard().locator('#import-blocked-reason').textContent(),
        `Import is not available: ${reason}`,
      );
      await page.keyboard.press('Escape');
      await wizard().waitFor({ state: 'detached' });
    });

    test('P2CFieldService: a failed import lists every missing component its message counts', async () => {
      await signIn();
      // the environment may change between the Review and the import (another user's import):
      // a Review that found nothing missing lets the import go, and the server refuses it then
      await page.route(/\/api\/v1\/packages\/plan/, async (route) => {
        const res = await route.fetch();
        const plan = (await res.json()) as { blocked: unknown[]; missing: unknown[] };
        await route.fulfill({ response: res, json: { ...plan, blocked: [], missing: [] } });
      });
      try {
        await openWizardWith(P2C);
        await wizard().getByRole('button', { name: 'Next' }).click();
        await atStep(4, 'Review the Import', 120000);
      } finally {
        await page.unroute(/\/api\/v1\/packages\/plan/);
      }
      await wizard().getByRole('button', { name: 'Import', exact: true }).click();
      await atStep(6, /^The import of .* failed$/, 180000);
      const message = (await wizard().locator('.result-message').textContent()) ?? '';
      const counted = Number(/Some dependencies are missing \((\d+)\)/.exec(message)?.[1]);
      assert.ok(counted > 200, message);
      await shot('6-result-p2c');
      assert.equal(
        await wizard().locator('.error-title').first().textContent(),
        `Missing components (${counted}) — install the solutions that provide them first:`,
      );
      assert.equal(await wizard().locator('ul.missing li').count(), counted);
      // the column a form of the package needs is among them
      await wizard()
        .locator('ul.missing li')
        .filter({ hasText: 'product.msdynce_ismaintainedexternally' })
        .first()
        .waitFor();
      await page.keyboard.press('Escape');
      await wizard().waitFor({ state: 'detached' });
    });

    test('history: filter by solution, operation and result, and page through it', async () => {
      const at = Date.parse('2024-03-05T10:00:00Z');
      for (let i = 0; i < 60; i++)
        await recordHistory(store, envId, {
          solutionName: i % 2 ? 'Fabrikam' : 'Contoso',
          solutionVersion: '1.0.0.0',
          publisher: 'contoso',
          managed: true,
          operation: i % 10 === 0 ? 'uninstall' : 'customize',
          subOperation: 'none',
          options: {},
          startedOn: new Date(at + i * 1000),
          endedOn: new Date(at + i * 1000),
          result: 'success',
          message: `bulk #${i}`,
        });
      const all = await fetch(`${base}/api/v1/history?top=1`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const count = Number(all.headers.get('x-total-count'));
      assert.ok(count > 60);

      await signIn();
      await page.getByRole('link', { name: 'Solution History' }).click();
      await page.getByRole('heading', { level: 1, name: 'Solution history' }).waitFor();
      const rows = page.getByRole('table', { name: 'Solution history' }).locator('tbody tr');
      const range = page.locator('#history-range');
      assert.equal(await range.textContent(), `Operations 1–50 of ${count}`);
      assert.equal(await rows.count(), 50);
      assert.ok(await page.getByRole('button', { name: 'Previous' }).isDisabled());
      await shot('history-page-1');
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByText(`Operations 51–${count} of ${count}`).waitFor();
      assert.equal(await rows.count(), count - 50);
      assert.ok(await page.getByRole('button', { name: 'Next' }).isDisabled());

      await page.getByLabel('Solution', { exact: true }).fill('Contoso');
      await page.getByRole('button', { name: 'Filter' }).click();
      await page.getByRole('heading', { level: 1, name: 'Solution history: Contoso' }).waitFor();
      await page.getByText('Operations 1–30 of 30').waitFor();
      await page.getByLabel('Operation', { exact: true }).selectOption('uninstall');
      await page.getByText('Operations 1–6 of 6').waitFor();
      // the Message column, wherever it stands
      const headers = await page
        .getByRole('table', { name: 'Solution history' })
        .locator('thead th')
        .allTextContents();
      const message = headers.indexOf('Message') + 1;
      assert.ok(message > 0, headers.join(', '));
      assert.deepEqual(await rows.locator(`td:nth-child(${message})`).allTextContents(), [
        'bulk #50',
        'bulk #40',
        'bulk #30',
        'bulk #20',
        'bulk #10',
        'bulk #0',
      ]);
      await page.getByLabel('Result', { exact: true }).selectOption('failure');
      await page.getByText('No operation matches the filter.').waitFor();
      assert.equal(await range.textContent(), 'No operations');
      await shot('history-filtered');
      await page.getByLabel('Result', { exact: true }).selectOption('');
      await page.getByLabel('Operation', { exact: true }).selectOption('customize');
      await page.getByText('Operations 1–24 of 24').waitFor();
      assert.deepEqual(pageErrors, [], 'no script errors on the page');
    });
  },
);
