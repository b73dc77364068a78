import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { importSolution } from '../src/engine/import.js';
import { createRecords, tableIn } from '../src/engine/records/records.js';
import { findEnvironment } from '../src/store/environments.js';
import { listSolutions } from '../src/store/queries.js';
import { countRecords, loadTableShapes } from '../src/store/record-tables.js';
import type { Store } from '../src/store/store.js';
import { openMemoryStore } from './support/stores.js';
import { REPO_ROOT, TEST_OUTPUT } from './support/fixtures.js';
import { buildPackage, type BuildEntity } from './support/package-builder.js';
import { launchChromium, NO_BROWSER } from './support/browser.js';
import { environmentsWithTokens, startServer } from './support/server.js';

/**
 * Records in the web UI, in a real browser (Debian's Chromium via playwright-core): the Tables
 * page and the table browser over records the engine wrote, and the data at risk on the import
 * wizard's Review step and in the Apply Solution Upgrade and Delete dialogs — each of which
 * waits for "I accept that these records will be deleted" when a plan would delete records.
 * Every scenario checks the store, not only the page.
 */

const SHOTS = join(TEST_OUTPUT, 'screenshots', 'records');

const AUTHOR: BuildEntity = {
  name: 'new_author',
  displayName: 'Author',
  attributes: ['new_authorid', 'new_name'],
};
const BOOK: BuildEntity = {
  name: 'new_book',
  displayName: 'Book',
  attributes: [
    'new_bookid',
    'new_name',
    { name: 'new_pages', type: 'int', minValue: 1, maxValue: 5000 },
    { name: 'new_instock', type: 'bit' },
    { name: 'new_published', type: 'datetime', behavior: 2 },
    { name: 'new_authorid', type: 'lookup', targets: ['new_author'] },
  ],
};
const library = (version: string, entities: BuildEntity[]) =>
  buildPackage({ uniqueName: 'Library', version, managed: true, entities });
const shelf = (version: string, entities: BuildEntity[]) =>
  buildPackage({ uniqueName: 'Shelf', version, managed: true, entities });
const SHELF = { name: 'new_shelf', attributes: ['new_shelfid', 'new_name'] };
const BIN = { name: 'new_bin', attributes: ['new_binid', 'new_name'] };

describe('records in the web UI, in a real browser', { skip: NO_BROWSER ?? false }, () => {
  let store: Store;
  let app: FastifyInstance;
  let browser: Browser;
  let page: Page;
  let base: string;
  let envId: number;
  let authors: string[];
  let books: string[];
  const pageErrors: string[] = [];

  const shot = async (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });
  const madeTables = async () => [...(await loadTableShapes(store, envId)).keys()].sort();
  const solutions = async () =>
    (await listSolutions(store, envId)).map((s) => `${s.uniqueName} ${s.version}`).sort();
  const tableRow = (t: string) => page.locator(`tr[data-table="${t}"]`);
  const solutionRow = (s: string) => page.locator(`tr[data-solution="${s}"]`);
  const confirm = () => page.locator('dialog.confirm');
  const wizard = () => page.locator('dialog.wizard');
  const status = () => page.locator('.page-status');
  const recordIds = async () =>
    page
      .locator('table.records tbody tr')
      .evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.id ?? ''));

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    store = await openMemoryStore();
    const token = (await environmentsWithTokens(store, ['default'], 'browser records')).default;
    envId = (await findEnvironment(store, 'default')).id;
    await importSolution(store, {
      environment: 'default',
      source: library('1.0.0.0', [AUTHOR, BOOK]),
    });
    authors = await createRecords(store, await tableIn(store, 'default', 'new_author'), [
      { new_name: 'Austen' },
      { new_name: 'Borges' },
      { new_name: 'Calvino' },
    ]);
    books = await createRecords(
      store,
      await tableIn(store, 'default', 'new_book'),
      Array.from({ length: 120 }, (_, i) => ({
        new_name: `Book ${String(i + 1).padStart(3, '0')}`,
        new_pages: 100 + i,
        new_instock: i % 2 === 0,
        new_published: '2024-03-05',
        new_authorid: authors[i % 3],
      })),
    );
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

  test('the Tables page lists the tables that hold records first, with their counts', async () => {
    await page.getByRole('link', { name: 'Tables', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Tables' }).waitFor();
    assert.notEqual(
      await page.getByRole('link', { name: 'Tables', exact: true }).getAttribute('aria-current'),
      null,
      'the nav shows where we are',
    );
    await page.getByText('2 with records (123 records in all)').waitFor();
    assert.ok(await page.getByLabel('Only tables with records').isChecked());
    assert.deepEqual(
      await page
        .locator('table.grid tbody tr')
        .evaluateAll((rows) =>
          rows.map((r) => [
            (r as HTMLElement).dataset.table,
            r.querySelector('td.num')?.textContent,
          ]),
        ),
      [
        ['new_author', '3'],
        ['new_book', '120'],
      ],
    );
    await shot('tables');

    // every table, the standard ones not made yet; then a filter that matches nothing
    await page.getByLabel('Only tables with records').uncheck();
    await tableRow('account').getByText('Not yet').waitFor();
    assert.equal(await tableRow('account').locator('td.num').textContent(), '0');
    await page.getByLabel('Filter').fill('no such table');
    await page.getByText('No table matches the filter.').waitFor();
    await page.getByLabel('Filter').fill('');
    await page.getByLabel('Only tables with records').check();
  });

  test('the table browser pages through 120 books, 50 at a time', async () => {
    await page.getByRole('link', { name: 'Book', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Book (new_book)' }).waitFor();
    assert.equal(await page.locator('.record-count').textContent(), '120');
    assert.equal(await status().textContent(), 'Records 1–50 of 120');
    const previous = page.getByRole('button', { name: 'Previous' });
    const next = page.getByRole('button', { name: 'Next' });
    assert.ok(await previous.isDisabled(), 'no page before the first');
    const headers = await page.locator('table.records thead th').allTextContents();
    assert.equal(headers[0], 'new_bookid', 'the primary key first');
    for (const c of ['new_name', 'new_pages', 'new_instock', 'new_published', 'new_authorid'])
      assert.ok(headers.includes(c), `a header for ${c}: ${headers.join(', ')}`);

    // values as people read them: Yes/No, the date, the lookup's GUID
    const cell = async (id: string, column: string) =>
      page
        .locator(`table.records tbody tr[data-id="${id}"] td`)
        .nth(headers.indexOf(column))
        .textContent();
    const first = (await recordIds())[0];
    const i = books.indexOf(first);
    assert.ok(i >= 0, 'the rows are the records the engine wrote');
    assert.equal(await cell(first, 'new_name'), `Book ${String(i + 1).padStart(3, '0')}`);
    assert.equal(await cell(first, 'new_instock'), i % 2 === 0 ? 'Yes' : 'No');
    assert.equal(await cell(first, 'new_published'), '2024-03-05');
    assert.equal(await cell(first, 'new_authorid'), authors[i % 3]);
    await shot('table-browser');
    copyFileSync(
      join(SHOTS, 'table-browser.png'),
      join(REPO_ROOT, 'docs', 'images', 'table-browser.png'),
    );

    const seen = new Set(await recordIds());
    await next.click();
    await page.getByText('Records 51–100 of 120').waitFor();
    for (const id of await recordIds()) seen.add(id);
    await next.click();
    await page.getByText('Records 101–120 of 120').waitFor();
    assert.equal((await recordIds()).length, 20);
    for (const id of await recordIds()) seen.add(id);
    assert.ok(await next.isDisabled(), 'no page after the last');
    assert.deepEqual([...seen].sort(), [...books].sort(), 'every book once');
    assert.ok(
      await next.evaluate((b) => document.activeElement === b || b.hasAttribute('disabled')),
    );
    await previous.click();
    await page.getByText('Records 51–100 of 120').waitFor();
    await page.getByLabel('Records per page').selectOption('250');
    await page.getByText('Records 1–120 of 120').waitFor();
    assert.equal((await recordIds()).length, 120);

    // a standard table nobody wrote to: its columns, and an empty state in words
    await page.goto(`${base}/#/tables/contact`);
    await page.getByRole('heading', { level: 1, name: 'Contact (contact)' }).waitFor();
    await page
      .getByText('No records yet: the SQL table is made when the first record is written.')
      .waitFor();
    assert.equal(await status().textContent(), 'No records');
  });

  test(
    'an upgrade that drops a table: the Review step shows its 120 records first, ' +
      'and Import waits for the box',
    async () => {
      await page.getByRole('link', { name: 'Solutions', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Solutions' }).waitFor();
      await page.getByRole('button', { name: 'Import' }).click();
      await page.setInputFiles('#package-file', {
        name: 'Library_2_0_0_0_managed.zip',
        mimeType: 'application/zip',
        buffer: Buffer.from(library('2.0.0.0', [AUTHOR])),
      });
      await wizard().getByRole('button', { name: 'Next' }).click();
      await page.getByRole('heading', { level: 2, name: 'Solution Information' }).waitFor();
      await wizard().getByRole('button', { name: 'Next' }).click();
      await page.getByRole('heading', { level: 2, name: 'Import Options' }).waitFor();
      assert.ok(await wizard().getByLabel('Upgrade (recommended)').isChecked());
      await wizard().getByRole('button', { name: 'Next' }).click();

      await page.getByRole('heading', { level: 2, name: 'Review the Import' }).waitFor();
      const risk = wizard().getByRole('note', { name: 'Data at risk' });
      await risk.getByText('Data at risk: this deletes 120 records.').waitFor();
      assert.equal(
        (await risk.locator('li[data-table="new_book"]').textContent())?.trim(),
        'new_book — 120 records',
      );
      assert.equal(await wizard().getByText('This package cannot be imported:').count(), 0);
      const importButton = wizard().getByRole('button', { name: 'Import' });
      assert.ok(await importButton.isDisabled(), 'Import waits for the box');
      const box = wizard().getByLabel('I accept that these records will be deleted');
      await box.check();
      assert.ok(await importButton.isEnabled());
      await box.uncheck();
      assert.ok(await importButton.isDisabled(), 'unticked, Import waits again');
      await box.check();
      await shot('review-data-at-risk');
      copyFileSync(
        join(SHOTS, 'review-data-at-risk.png'),
        join(REPO_ROOT, 'docs', 'images', 'review-data-at-risk.png'),
      );
      assert.deepEqual(await solutions(), ['Library 1.0.0.0'], 'nothing happened yet');
      await importButton.click();

      await page
        .getByRole('heading', { level: 2, name: /2\.0\.0\.0 was imported successfully/ })
        .waitFor();
      await wizard().getByRole('button', { name: 'Close' }).last().click();
      await wizard().waitFor({ state: 'detached' });
      assert.deepEqual(await solutions(), ['Library 2.0.0.0']);
      assert.ok(!(await madeTables()).includes('new_book'), 'the table is gone');
      assert.equal((await countRecords(store, envId, ['new_author'])).get('new_author'), 3);

      await page.getByRole('link', { name: 'Tables', exact: true }).click();
      await page.getByText('1 with records (3 records in all)').waitFor();
      assert.equal(await tableRow('new_book').count(), 0);
    },
  );

  test('Apply Solution Upgrade shows the records a staged upgrade drops and waits for the box', async () => {
    await importSolution(store, { environment: 'default', source: shelf('1.0.0.0', [SHELF, BIN]) });
    await createRecords(
      store,
      await tableIn(store, 'default', 'new_bin'),
      [1, 2, 3, 4].map((n) => ({ new_name: `Bin ${n}` })),
    );
    await importSolution(store, {
      environment: 'default',
      source: shelf('2.0.0.0', [SHELF]),
      options: { action: 'stage' },
    });
    await page.goto(`${base}/#/`);
    await page.reload();
    await solutionRow('Shelf_Upgrade').waitFor();
    await page.getByLabel('Select Shelf', { exact: true }).check();
    await page.getByRole('button', { name: 'Apply Solution Upgrade' }).click();
    await confirm().getByText('Shelf_Upgrade 2.0.0.0 replaces Shelf 1.0.0.0.').waitFor();
    await confirm().locator('li[data-table="new_bin"]').getByText('4 records').waitFor();
    const apply = confirm().getByRole('button', { name: 'Apply Upgrade' });
    assert.ok(await apply.isDisabled(), 'Apply Upgrade waits for the box');
    await confirm().getByLabel('I accept that these records will be deleted').check();
    await shot('apply-upgrade-data-at-risk');
    await apply.click();
    await page.getByText('Upgrade applied: Shelf is now version 2.0.0.0').waitFor();
    assert.deepEqual(await solutions(), ['Library 2.0.0.0', 'Shelf 2.0.0.0']);
    assert.ok(!(await madeTables()).includes('new_bin'));
    // the shelf table stays in the environment (its SQL table is made with its first record)
    assert.equal((await tableIn(store, 'default', 'new_shelf')).table, 'new_shelf');
  });

  test('Delete shows the records an uninstall drops; Cancel keeps them, the box lets it go', async () => {
    await page.getByLabel('Select Library').check();
    await page.getByRole('button', { name: 'Delete' }).click();
    await confirm().locator('li[data-table="new_author"]').getByText('3 records').waitFor();
    const del = confirm().getByRole('button', { name: 'Delete' });
    assert.ok(await del.isDisabled(), 'Delete waits for the box');
    await shot('delete-data-at-risk');
    await confirm().getByRole('button', { name: 'Cancel' }).click();
    await confirm().waitFor({ state: 'detached' });
    assert.ok((await madeTables()).includes('new_author'), 'Cancel deletes nothing');

    await page.getByRole('button', { name: 'Delete' }).click();
    await confirm().getByLabel('I accept that these records will be deleted').check();
    await del.click();
    await page.getByText('Deleted Library.').waitFor();
    assert.deepEqual(await solutions(), ['Shelf 2.0.0.0']);
    assert.ok(!(await madeTables()).includes('new_author'), 'its table went with it');
  });

  test('records written after the dry run: the refusal is shown with its message, nothing goes', async () => {
    await page.getByLabel('Select Shelf').check();
    await page.getByRole('button', { name: 'Delete' }).click();
    await confirm().getByText('This cannot be undone.').waitFor();
    assert.equal(await confirm().locator('.data-at-risk').count(), 0, 'no records at risk yet');
    assert.equal(
      await confirm().getByLabel('I accept that these records will be deleted').count(),
      0,
    );
    await createRecords(store, await tableIn(store, 'default', 'new_shelf'), [
      { new_name: 'Top' },
      { new_name: 'Bottom' },
    ]);
    await confirm().getByRole('button', { name: 'Delete' }).click();
    await page.getByText('Delete Shelf failed').waitFor();
    await page
      .locator('#notice .error-message')
      .getByText(/This would delete 2 rows/)
      .waitFor();
    await page.locator('#notice').getByText('Code: DATA_LOSS_NOT_ACCEPTED').waitFor();
    await shot('delete-refused');
    assert.deepEqual(await solutions(), ['Shelf 2.0.0.0']);
    assert.equal((await countRecords(store, envId, ['new_shelf'])).get('new_shelf'), 2);
    assert.deepEqual(pageErrors, [], 'no script errors on the page');
  });
});
