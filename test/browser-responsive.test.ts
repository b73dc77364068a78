import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { customize } from '../src/engine/customize.js';
import { importSolution } from '../src/engine/import.js';
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
 * Every page and every wizard step at a phone's width (360 px) and on a desktop (1280 px), in a
 * real browser: nothing scrolls sideways, Sign out is on the screen and works, the wizard's
 * step list shows all six steps, and no table header is wider than its column.
 */

const GQS = 'crm2011-globalquicksearch-series';
const V15 = realFixture(`${GQS}/GlobalQuickSearch_1_5_0_0_managed.zip`);
const V16 = realFixture(`${GQS}/GlobalQuickSearch_1_6_0_0_managed.zip`);
const NEEDS_MISSING = realFixture(
  'powerapps-samples/ColumnLevelSecuritySampleSolution_managed.zip',
);
const SHOTS = join(TEST_OUTPUT, 'screenshots', 'responsive');
const CREATEDON = 'gqs_globalquicksearchconfig.createdon';
/** copied to docs/images (the phone's screenshots that docs/web-ui.md shows) */
const DOC_SHOTS: Record<string, string> = {
  '360-solutions': 'mobile-solutions.png',
  '360-history': 'mobile-history.png',
  '360-wizard-4': 'mobile-wizard-review.png',
  '360-wizard-6': 'mobile-wizard-result.png',
};

/** What overflows sideways on the page (and in an open dialog): empty when nothing does. */
async function sideways(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > window.innerWidth) {
      // name the outermost elements that stick out, so a failure says where to look
      const wide = [...document.body.querySelectorAll('*')]
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
        .filter((el) => {
          const parent = el.parentElement?.getBoundingClientRect().right ?? 0;
          return parent <= window.innerWidth + 1;
        })
        .map((el) => `${el.tagName.toLowerCase()}.${el.className}`)
        .slice(0, 5);
      out.push(
        `the page is ${doc.scrollWidth} px wide in a ${window.innerWidth} px window` +
          (wide.length ? ` (${wide.join(', ')})` : ''),
      );
    }
    for (const d of document.querySelectorAll('dialog[open]')) {
      const r = d.getBoundingClientRect();
      if (r.left < 0 || r.right > window.innerWidth)
        out.push(`a dialog spans ${r.left}–${r.right} px`);
      for (const el of d.querySelectorAll('.wizard-body, .dialog-content, .table-scroll'))
        if (el.scrollWidth > el.clientWidth + 1)
          out.push(`${el.className} scrolls: ${el.scrollWidth} > ${el.clientWidth} px`);
    }
    // a header whose text is wider than its cell runs into the next one
    for (const th of document.querySelectorAll('th')) {
      const cell = th as HTMLElement;
      // (a card layout keeps the headers for screen readers only, in a 1 px box)
      const shown = cell.offsetParent && cell.getBoundingClientRect().width > 1;
      if (shown && cell.scrollWidth > cell.clientWidth + 1)
        out.push(
          `header "${cell.textContent}" overflows (${cell.scrollWidth} > ${cell.clientWidth})`,
        );
    }
    return out;
  });
}

/** Whether the element is on the screen, whole, left to right. */
async function onScreen(page: Page, selector: string): Promise<boolean[]> {
  return page.locator(selector).evaluateAll((els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && r.left >= 0 && r.right <= window.innerWidth;
    }),
  );
}

describe(
  'the web UI from a phone to a desktop',
  { skip: NO_BROWSER ?? (HAVE_REAL_FIXTURES ? false : NO_FIXTURES_REASON) },
  () => {
    let store: Store;
    let app: FastifyInstance;
    let browser: Browser;
    let base: string;
    let tokens: Record<string, string>;
    const pageErrors: string[] = [];

    before(async () => {
      mkdirSync(SHOTS, { recursive: true });
      store = await openMemoryStore();
      // one environment per width: each imports 1.6 over 1.5 through the wizard
      // made from the dataverse template: the Solutions page can show its Microsoft solutions
      tokens = await environmentsWithTokens(store, ['phone', 'desktop'], 'responsive', 'dataverse');
      for (const environment of ['phone', 'desktop']) {
        await importSolution(store, { environment, source: V15 });
        await importSolution(store, { environment, source: NEEDS_MISSING }).catch(() => null);
        await customize(store, environment, {
          type: 'attribute',
          key: CREATEDON,
          set: [['displayname', 'The day this configuration was made']],
        });
      }
      ({ app, base } = await startServer(store));
      browser = await launchChromium();
    });

    after(async () => {
      await browser?.close();
      await app?.close();
      await store?.close();
    });

    for (const [width, height, environment] of [
      [360, 780, 'phone'],
      [1280, 860, 'desktop'],
    ] as const) {
      test(`at ${width} px: every page and every wizard step fits, Sign out works`, async () => {
        const context = await browser.newContext({ viewport: { width, height } });
        const page = await context.newPage();
        page.setDefaultTimeout(15000);
        page.on('pageerror', (e) => pageErrors.push(e.message));
        const fits = async (name: string) => {
          const shot = join(SHOTS, `${width}-${name}.png`);
          await page.screenshot({ path: shot });
          if (DOC_SHOTS[`${width}-${name}`])
            copyFileSync(shot, join(REPO_ROOT, 'docs', 'images', DOC_SHOTS[`${width}-${name}`]));
          assert.deepEqual(await sideways(page), [], `${name} at ${width} px`);
        };
        const signOut = page.getByRole('button', { name: 'Sign out' });
        const open = async (hash: string, heading: string | RegExp) => {
          await page.evaluate((h) => (location.hash = h), hash);
          await page.getByRole('heading', { level: 1, name: heading }).waitFor();
          assert.deepEqual(await onScreen(page, '#sign-out'), [true], `Sign out on ${hash}`);
          for (const ok of await onScreen(page, '#nav a'))
            assert.ok(ok, `every navigation link is on the screen on ${hash}`);
        };

        await page.goto(`${base}/`);
        await page.getByRole('heading', { name: 'Sign in to strata' }).waitFor();
        await fits('sign-in');
        await page.getByLabel('API token').fill(tokens[environment]);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByText(`Environment: ${environment}`).waitFor();

        await open('#/', 'Solutions');
        await page.locator('tr[data-solution="GlobalQuickSearch"]').waitFor();
        await page.getByLabel('Select GlobalQuickSearch').check();
        await fits('solutions');
        // the template's Microsoft solutions, shown and hidden again
        await page.getByLabel('Show Microsoft solutions').check();
        await page.locator('tr[data-first-party="true"]').first().waitFor();
        await fits('solutions-microsoft');
        await page.getByLabel('Show Microsoft solutions').uncheck();
        await page.locator('tr[data-first-party="true"]').first().waitFor({ state: 'detached' });
        await open('#/solutions/GlobalQuickSearch', 'Global Quick Search (GlobalQuickSearch)');
        await fits('components');
        await open(`#/layers/attribute/${CREATEDON}`, /^Solution layers/);
        await page.getByText('The day this configuration was made').first().waitFor();
        await fits('layers');
        await open('#/history', 'Solution history');
        await page.getByText('ColumnLevelSecuritySampleSolution').first().waitFor();
        await fits('history');
        await open('#/tables', 'Tables');
        await fits('tables');
        await open('#/tables/gqs_globalquicksearchconfig', /gqs_globalquicksearchconfig/);
        await fits('table-records');

        // a confirmation dialog
        await open('#/', 'Solutions');
        await page.getByLabel('Select GlobalQuickSearch').check();
        await page.getByRole('button', { name: 'Delete' }).click();
        await page.locator('dialog.confirm').getByText('This cannot be undone.').waitFor();
        await fits('delete-confirm');
        await page.locator('dialog.confirm').getByRole('button', { name: 'Cancel' }).click();

        // the wizard, step by step: all six steps listed and on the screen at every step
        const wizard = page.locator('dialog.wizard');
        const step = async (n: number, heading: string | RegExp) => {
          await page.locator(`dialog.wizard[data-step="${n}"]`).waitFor();
          await wizard.getByRole('heading', { level: 2, name: heading }).waitFor();
          assert.deepEqual(await wizard.locator('.steps li').allTextContents(), [
            'Select package',
            'Information',
            'Options',
            'Review',
            'Importing',
            'Result',
          ]);
          assert.deepEqual(
            await onScreen(page, 'dialog.wizard .steps li'),
            [true, true, true, true, true, true],
            `every step on the screen at step ${n}`,
          );
          assert.ok(await wizard.locator('.steps li.current').isVisible());
          await fits(`wizard-${n}`);
        };
        await page.getByRole('button', { name: 'Import' }).click();
        await step(1, 'Select Solution Package');
        await page.setInputFiles('#package-file', V16);
        await wizard.getByRole('button', { name: 'Next' }).click();
        await step(2, 'Solution Information');
        await wizard.getByRole('button', { name: 'Next' }).click();
        await step(3, 'Import Options');
        await wizard.getByRole('button', { name: 'Next' }).click();
        await step(4, 'Review the Import');
        await wizard.getByText('will be upgraded from 1.5.0.0 to 1.6.0.0').waitFor();
        // step 5 (Importing) is seen while the runner is held
        const runner = app.strata.runner!;
        await runner.stop();
        await wizard.getByRole('button', { name: 'Import' }).click();
        await step(5, 'Importing Solution');
        runner.start();
        await step(6, 'Global Quick Search 1.6.0.0 was imported successfully');
        assert.ok(
          (await wizard.getByRole('table', { name: 'Component results' }).locator('tr').count()) >
            60,
        );
        await wizard.getByRole('button', { name: 'Close' }).last().click();
        await wizard.waitFor({ state: 'detached' });
        await page
          .locator('tr[data-solution="GlobalQuickSearch"] td.version')
          .getByText('1.6.0.0')
          .waitFor();

        // Sign out: on the screen and clickable (not covered), and it signs out
        await signOut.click({ trial: true });
        await signOut.click();
        await page.getByRole('heading', { name: 'Sign in to strata' }).waitFor();
        assert.equal(await page.evaluate(() => sessionStorage.getItem('strata.token')), null);
        await context.close();
        assert.deepEqual(pageErrors, [], 'no script errors on the page');
      });
    }
  },
);
