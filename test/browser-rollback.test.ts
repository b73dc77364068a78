import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { importSolution } from '../src/engine/import.js';
import { findEnvironment } from '../src/store/environments.js';
import { listSolutions } from '../src/store/queries.js';
import type { Store } from '../src/store/store.js';
import { openMemoryStore } from './support/stores.js';
import { TEST_OUTPUT } from './support/fixtures.js';
import { launchChromium, signedInPage, NO_BROWSER } from './support/browser.js';
import { buildPackage } from './support/package-builder.js';
import { environmentsWithTokens, startServer } from './support/server.js';

/**
 * "Roll back to here" on the History page (issue 16): each row names its revision; the action
 * shows the rollback's plan in a confirm dialog first, and the environment goes back to that
 * revision — here an upgrade from 1.0 to 2.0 is undone, and the rollback shows in the history as
 * a revision of its own.
 */

const SHOTS = join(TEST_OUTPUT, 'screenshots', 'rollback');

const library = (version: string, tables: string[]) =>
  buildPackage({
    uniqueName: 'Library',
    version,
    managed: true,
    entities: tables.map((name) => ({ name, attributes: [`${name}id`, 'new_name'] })),
  });

describe('Roll back to here in a real browser', { skip: NO_BROWSER ?? false }, () => {
  let store: Store;
  let app: FastifyInstance;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  const version = async () =>
    (await listSolutions(store, (await findEnvironment(store, 'lib')).id)).find(
      (s) => s.uniqueName === 'Library',
    )?.version;

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    store = await openMemoryStore();
    const { lib } = await environmentsWithTokens(store, ['lib'], 'rollback', 'dataverse');
    await importSolution(store, { environment: 'lib', source: library('1.0.0.0', ['new_book']) });
    await importSolution(store, {
      environment: 'lib',
      source: library('2.0.0.0', ['new_book', 'new_shelf']),
    });
    let base: string;
    ({ app, base } = await startServer(store));
    browser = await launchChromium();
    page = await signedInPage(browser, base, lib, pageErrors);
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await store?.close();
  });

  test('the History rolls back to the install, after showing the plan', async () => {
    assert.equal(await version(), '2.0.0.0');
    const revision = (await findEnvironment(store, 'lib')).revision;
    await page.getByRole('link', { name: 'Solution History' }).click();
    await page.getByRole('heading', { level: 1, name: /history/i }).waitFor();
    const install = revision - 1;
    await page.getByRole('button', { name: `Roll back to revision ${install}` }).click();
    const dialog = page.locator('dialog.confirm');
    await dialog.getByRole('heading', { name: `Roll back to revision ${install}?` }).waitFor();
    const text = await dialog.innerText();
    assert.match(text, new RegExp(`from revision ${revision} to ${install}`));
    assert.match(text, /Library/);
    await page.screenshot({ path: join(SHOTS, 'rollback-confirm.png') });
    // the plan may ask for consent to lose the records of the table the upgrade added
    const consent = dialog.getByRole('checkbox');
    if (await consent.count()) await consent.check();
    await dialog.getByRole('button', { name: 'Roll Back' }).click();
    await page.getByText(`Rolled back to revision ${install}`).waitFor();
    assert.equal(await version(), '1.0.0.0', 'the upgrade is undone');
    assert.equal((await findEnvironment(store, 'lib')).revision, revision + 1);
    // the rollback is a revision of its own, in the history, and can be rolled back in turn
    await page.getByRole('button', { name: `Roll back to revision ${revision}` }).waitFor();
    assert.deepEqual(pageErrors, []);
  });
});
