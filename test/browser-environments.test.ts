import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { environmentTemplate, environmentTemplates } from '../src/catalog/templates.js';
import { findEnvironment } from '../src/store/environments.js';
import type { Store } from '../src/store/store.js';
import { createToken, listTokens } from '../src/store/tokens.js';
import { openMemoryStore } from './support/stores.js';
import { TEST_OUTPUT } from './support/fixtures.js';
import { launchChromium, NO_BROWSER } from './support/browser.js';
import { environmentsWithTokens, startServer } from './support/server.js';

/**
 * New environment in a real browser: the dialog lists the templates with the Microsoft solutions
 * each installs, makes the environment (POST /environments), and switches this tab to it with
 * the token it came with; there the template's Microsoft solutions show with the toggle. Only a
 * token that may make environments sees the button; at 360 px the dialog fits the screen.
 */

const SHOTS = join(TEST_OUTPUT, 'screenshots', 'environments');
/** words of the command line that the UI must not ask a user to type */
const COMMAND = /\bstrata\s+(?!server\b)[a-z]|(^|\s)--[a-z]/;

/** What overflows sideways on the page or in an open dialog: empty when nothing does. */
async function sideways(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    if (document.documentElement.scrollWidth > window.innerWidth)
      out.push(`the page is ${document.documentElement.scrollWidth} px wide`);
    for (const d of document.querySelectorAll('dialog[open]')) {
      const r = d.getBoundingClientRect();
      if (r.left < 0 || r.right > window.innerWidth)
        out.push(`a dialog spans ${r.left}–${r.right} px`);
      for (const el of d.querySelectorAll('.dialog-content'))
        if (el.scrollWidth > el.clientWidth + 1)
          out.push(`the dialog scrolls: ${el.scrollWidth} > ${el.clientWidth} px`);
    }
    return out;
  });
}

describe('New environment in a real browser', { skip: NO_BROWSER ?? false }, () => {
  let store: Store;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  let maker: string;
  let plain: string;
  const pageErrors: string[] = [];

  const openPage = async (width: number, token: string): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width, height: 800 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15000);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${base}/#token=${encodeURIComponent(token)}`);
    await page.getByRole('heading', { level: 1, name: 'Solutions' }).waitFor();
    return page;
  };

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    store = await openMemoryStore();
    ({ home: plain } = await environmentsWithTokens(store, ['home'], 'plain', 'dataverse'));
    maker = (await createToken(store, 'home', 'maker', { canCreateEnvironments: true })).token;
    ({ app, base } = await startServer(store));
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await store?.close();
  });

  test('makes an environment from dynamics365, switches to it and shows its Microsoft solutions', async () => {
    const page = await openPage(1280, maker);
    await page.getByRole('button', { name: 'New environment' }).click();
    const dialog = page.locator('dialog.manage');
    await dialog.getByRole('heading', { name: 'New environment' }).waitFor();
    // every template, with the number of Microsoft solutions it installs
    for (const t of environmentTemplates()) {
      const choice = dialog.locator(`.choice[data-template="${t.id}"]`);
      assert.equal(await choice.locator('label').innerText(), t.title);
      const n = t.installs.length;
      assert.match(
        await choice.innerText(),
        n ? new RegExp(`Installs ${n} Microsoft solution`) : /no Microsoft solutions/,
        t.id,
      );
    }
    assert.ok(await dialog.getByLabel(environmentTemplate('dataverse')!.title).isChecked());
    const text = await dialog.innerText();
    assert.doesNotMatch(text, COMMAND, `no command line words in the dialog:\n${text}`);

    // a name the server refuses: said in the dialog, which stays open
    await dialog.getByLabel('Name').fill('1st try');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.getByText('is not a valid environment name').waitFor();
    await dialog.getByLabel('Name').fill('sales');
    await dialog.getByLabel(environmentTemplate('dynamics365')!.title).check();
    await page.screenshot({ path: join(SHOTS, 'new-environment.png') });
    await dialog.getByRole('button', { name: 'Create' }).click();

    await dialog.getByRole('heading', { name: 'Environment sales is ready' }).waitFor();
    const d365 = environmentTemplate('dynamics365')!;
    assert.match(
      await dialog.locator('#new-env-summary').innerText(),
      new RegExp(`template dynamics365.*${d365.installs.length} Microsoft solutions`),
    );
    const newToken = await dialog.getByLabel('Its API token').inputValue();
    assert.match(newToken, /^strata_/);
    assert.equal((await findEnvironment(store, 'sales')).base, 'dynamics365');
    assert.deepEqual(
      (await listTokens(store, 'sales')).map((t) => t.canCreateEnvironments),
      [true],
    );
    await dialog.getByRole('button', { name: 'Switch to sales' }).click();
    await dialog.waitFor({ state: 'detached' });

    await page.getByText('Environment: sales').waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem('strata.token')), newToken);
    assert.match(await page.locator('#env-template').innerText(), /template dynamics365/);
    const firstParty = page.locator('tr[data-first-party="true"]');
    assert.equal(await firstParty.count(), 0, 'hidden until asked for');
    await page.getByLabel('Show Microsoft solutions').check();
    await firstParty.first().waitFor();
    assert.equal(await firstParty.count(), d365.installs.length);
    // a Dynamics 365 solution that a dataverse environment (the one we came from) has not
    const dataverse = new Set(environmentTemplate('dataverse')!.installs.map((s) => s.uniqueName));
    const own = d365.installs.find((s) => !dataverse.has(s.uniqueName))!;
    const cells = await page.locator(`tr[data-solution="${own.uniqueName}"] td`).allInnerTexts();
    assert.ok(cells.includes(own.version), `${own.uniqueName} ${own.version}: ${cells.join('|')}`);
    assert.ok(cells.includes('Microsoft Corporation'));
    await page.screenshot({ path: join(SHOTS, 'switched.png') });
    assert.deepEqual(pageErrors, []);
  });

  test('a token that may not make environments has no New environment button', async () => {
    const page = await openPage(1280, plain);
    await page.getByLabel('Show Microsoft solutions').waitFor();
    assert.equal(await page.getByRole('button', { name: 'New environment' }).count(), 0);
  });

  test('at 360 px the dialog fits the screen; staying keeps this environment', async () => {
    const page = await openPage(360, maker);
    assert.deepEqual(await sideways(page), [], 'the Solutions page');
    await page.getByRole('button', { name: 'New environment' }).click();
    const dialog = page.locator('dialog.manage');
    await dialog.getByLabel('Name').fill('phone');
    assert.deepEqual(await sideways(page), [], 'the New environment dialog');
    await page.screenshot({ path: join(SHOTS, '360-new-environment.png'), fullPage: true });
    await dialog.getByLabel(environmentTemplate('bare')!.title).check();
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.getByRole('heading', { name: 'Environment phone is ready' }).waitFor();
    assert.deepEqual(await sideways(page), [], 'the ready dialog, with the token');
    await dialog.getByRole('button', { name: 'Stay in home' }).click();
    await page.getByText('Environment phone was made. This tab stays in home.').waitFor();
    assert.equal(await page.locator('#env-name').innerText(), 'Environment: home');
    assert.equal((await findEnvironment(store, 'phone')).base, 'bare');
    assert.deepEqual(pageErrors, []);
  });
});
