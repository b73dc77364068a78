/**
 * `strata components` (store/queries.ts listComponents): one row per component, named by its top
 * layer, with its number of layers and whether any of them holds a draft. The layers are read
 * and grouped in JavaScript (decision 66); a limit (the server's `top`) picks the first
 * components in the database. Both must give the same rows, on a stack of two managed solutions
 * with an unmanaged Active layer on top, on both stores.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CATALOG_ID } from '../src/catalog/catalog.js';
import { importSolution } from '../src/engine/import.js';
import { createEnvironment, findEnvironment } from '../src/store/environments.js';
import { listComponents } from '../src/store/queries.js';
import { buildPackage } from './support/package-builder.js';
import { STORE_CASES } from './support/stores.js';

const BOOK = { name: 'new_book', attributes: ['new_bookid', 'new_name', 'new_isbn'] };
const SHELF = { name: 'new_shelf', attributes: ['new_shelfid', 'new_name'] };

const library = buildPackage({
  uniqueName: 'Library',
  version: '1.0.0.0',
  managed: true,
  entities: [BOOK, SHELF],
});
// a second managed solution layered over the book table
const extras = buildPackage({
  uniqueName: 'LibraryExtras',
  version: '1.0.0.0',
  managed: true,
  entities: [
    {
      ...BOOK,
      displayName: 'Book (extended)',
      attributes: ['new_bookid', 'new_name', 'new_isbn', 'new_pages'],
    },
  ],
});
// an unmanaged solution: its components land in the Active layer, as drafts until published
const local = buildPackage({
  uniqueName: 'LocalChanges',
  version: '1.0.0.0',
  managed: false,
  entities: [
    {
      ...BOOK,
      displayName: 'Book (local)',
      attributes: ['new_bookid', 'new_name', 'new_isbn', 'new_pages'],
    },
  ],
});

for (const sc of STORE_CASES) {
  test(
    `components: top layer, layer count and drafts, grouped either way (${sc.name})`,
    {
      skip: sc.skip,
    },
    async () => {
      const store = await sc.open();
      try {
        await createEnvironment(store, 'books', CATALOG_ID);
        for (const source of [library, extras, local])
          await importSolution(store, { environment: 'books', source });
        const { id } = await findEnvironment(store, 'books');
        const rows = await listComponents(store, id);
        const byKey = new Map(rows.map((r) => [`${r.type} ${r.key}`, r]));

        const book = byKey.get('entity new_book');
        assert.equal(book?.layers, 3);
        assert.equal(book?.top, 'Active');
        assert.equal(book?.unpublished, true);
        assert.equal(book?.name, 'Book (local)', 'named by its top layer');
        const pages = byKey.get('attribute new_book.new_pages');
        assert.deepEqual([pages?.layers, pages?.top], [2, 'Active']);
        const shelf = byKey.get('entity new_shelf');
        assert.deepEqual([shelf?.layers, shelf?.top, shelf?.unpublished], [1, 'Library', false]);
        assert.equal(shelf?.name, 'Shelf');

        // sorted by type, then key, as the database sorts them
        const order = await store.query<{ type: string; key: string }>(
          'SELECT DISTINCT type, key FROM layers WHERE env_id = $1 ORDER BY type, key',
          [id],
        );
        assert.deepEqual(
          rows.map((r) => `${r.type} ${r.key}`),
          order.map((r) => `${r.type} ${r.key}`),
        );
        // a limit picked in the database gives the same rows: all of them, or the first ones
        assert.deepEqual(await listComponents(store, id, { limit: 1_000_000 }), rows);
        assert.deepEqual(await listComponents(store, id, { limit: 3 }), rows.slice(0, 3));
        // filtered by solution and type: every layer of the members counted, not only theirs
        const extrasOnly = await listComponents(store, id, { solution: 'libraryextras' });
        assert.ok(
          extrasOnly.some((r) => r.key === 'new_book' && r.layers === 3 && r.top === 'Active'),
        );
        assert.ok(!extrasOnly.some((r) => r.key === 'new_shelf'));
        assert.deepEqual(
          await listComponents(store, id, { solution: 'LibraryExtras', limit: 1_000_000 }),
          extrasOnly,
        );
        const tables = await listComponents(store, id, { type: 'entity' });
        assert.deepEqual(
          tables.map((r) => r.key),
          ['new_book', 'new_shelf'],
        );
      } finally {
        await store.close();
      }
    },
  );
}
