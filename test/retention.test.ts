/**
 * Records come back: an upgrade that drops a table or a column moves its records into the
 * environment's retention area instead of destroying them; restoreRetained puts them back exactly;
 * purge frees them (and says so afterwards); the environment's K purges them on its own; and an
 * operation that fails retains nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CATALOG_ID } from '../src/catalog/catalog.js';
import { importSolution } from '../src/engine/import.js';
import { createRecords, tableIn } from '../src/engine/records/records.js';
import { StrataError } from '../src/model/errors.js';
import { createEnvironment, findEnvironment } from '../src/store/environments.js';
import { loadTableShapes, recordSchemaOf } from '../src/store/record-tables.js';
import { quoteIdent } from '../src/store/record-names.js';
import {
  listRetention,
  purgeRetention,
  restoreRetained,
  retainedSince,
  retentionRevisions,
  retentionSchemaName,
  setRetentionRevisions,
} from '../src/store/retention.js';
import type { Store } from '../src/store/store.js';
import { buildPackage, type BuildEntity } from './support/package-builder.js';
import { environmentsWithTokens, startServer } from './support/server.js';
import { STORE_CASES } from './support/stores.js';

const BOOK = {
  name: 'new_book',
  attributes: [
    'new_bookid',
    'new_name',
    { name: 'new_pages', type: 'int', minValue: 1, maxValue: 5000 },
    { name: 'new_note', type: 'nvarchar', maxLength: 40 },
  ],
};
const SHELF = {
  name: 'new_shelf',
  attributes: ['new_shelfid', 'new_name', { name: 'new_floor', type: 'int' }],
  keys: [{ name: 'new_shelf_name', columns: ['new_name'] }],
};
const WITHOUT_NOTE = {
  ...BOOK,
  attributes: BOOK.attributes.filter((a) => a !== BOOK.attributes[3]),
};

/** Library 1.0 has books (with notes) and shelves; 2.0 drops the shelves and the notes. */
function library(version: string): Uint8Array {
  return buildPackage({
    uniqueName: 'Library',
    version,
    managed: true,
    entities: version.startsWith('1.') ? [BOOK, SHELF] : [WITHOUT_NOTE],
  });
}

/** Another solution: importing it is an operation that changes tables, and drops nothing. */
function other(version: string): Uint8Array {
  return buildPackage({
    uniqueName: 'Other',
    version,
    managed: true,
    entities: [{ name: 'new_other', attributes: ['new_otherid', 'new_name'] }],
  });
}

interface RetainedEntryJson {
  table: string;
  rows: number;
  state: string;
}

/** Drops of one revision in table order (their order within a revision is not defined). */
function byTable<T extends { table: string }>(drops: T[]): T[] {
  return [...drops].sort((a, b) => a.table.localeCompare(b.table));
}

async function revisionOf(store: Store, env: string): Promise<number> {
  const [{ revision }] = await store.query<{ revision: string }>(
    'SELECT revision FROM environments WHERE name = $1',
    [env],
  );
  return Number(revision);
}

/**
 * Every row of a table of the environment, as JSON, in primary key order, each row's columns in
 * name order (a restored column comes back at the end of the SQL table: its place is the shape's).
 */
async function rowsOf(store: Store, envId: number, table: string): Promise<string> {
  const schema = (await recordSchemaOf(store, envId))!;
  const [{ rows }] = await store.query<{ rows: unknown }>(
    `SELECT json_agg(t ORDER BY t.${quoteIdent(`${table}id`)}) AS rows
     FROM ${quoteIdent(schema)}.${quoteIdent(table)} t`,
  );
  const list = (typeof rows === 'string' ? JSON.parse(rows) : rows) as Array<
    Record<string, unknown>
  >;
  return JSON.stringify(list.map((r) => Object.fromEntries(Object.entries(r).sort())));
}

/** The retained columns of new_book: SQL columns named `<id>@<column>`, by column. */
async function hiddenColumns(store: Store, schema: string): Promise<string[]> {
  const rows = await store.query<{ name: string }>(
    `SELECT column_name AS name FROM information_schema.columns
     WHERE table_schema = $1 AND table_name = 'new_book' AND column_name ~ '^[0-9]+@'`,
    [schema],
  );
  return rows.map((r) => r.name.replace(/^[0-9]+@/, ''));
}

/** The SQL tables of a schema. */
async function tablesIn(store: Store, schema: string): Promise<string[]> {
  const rows = await store.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1
     ORDER BY table_name`,
    [schema],
  );
  return rows.map((r) => r.name);
}

/** An environment with Library 1.0 and records: 300 shelves, 120 books, 80 of them noted. */
async function libraryWithRecords(store: Store, env: string): Promise<number> {
  await createEnvironment(store, env, CATALOG_ID);
  await importSolution(store, { environment: env, source: library('1.0.0.0') });
  const shelves = await tableIn(store, env, 'new_shelf');
  await createRecords(
    store,
    shelves,
    Array.from({ length: 300 }, (_, i) => ({ new_name: `Shelf ${i}`, new_floor: i % 7 })),
  );
  const books = await tableIn(store, env, 'new_book');
  await createRecords(
    store,
    books,
    Array.from({ length: 120 }, (_, i) => ({
      new_name: `Book ${i}`,
      new_pages: i + 1,
      ...(i < 80 ? { new_note: `note ${i} \u00e9\t"q"` } : {}),
    })),
  );
  return (await findEnvironment(store, env)).id;
}

async function upgrade(store: Store, env: string, faults?: { failAfter: 'tables' }) {
  return importSolution(store, {
    environment: env,
    source: library('2.0.0.0'),
    options: { acceptDataLoss: true },
    ...(faults ? { faults } : {}),
  });
}

for (const sc of STORE_CASES) {
  describe(`records come back (${sc.name})`, { skip: sc.skip }, () => {
    let store: Store;
    before(async () => {
      store = await sc.open();
    });
    after(async () => {
      await store?.close();
    });

    test('an upgrade that drops a table and a column retains them; restore brings them back exactly', async () => {
      const env = await libraryWithRecords(store, 'keep');
      const shelves = await rowsOf(store, env, 'new_shelf');
      const books = await rowsOf(store, env, 'new_book');
      const shapes = JSON.stringify([...(await loadTableShapes(store, env))].sort());
      const before = await revisionOf(store, 'keep');

      await upgrade(store, 'keep');
      const dropped = await revisionOf(store, 'keep');
      const schema = (await recordSchemaOf(store, env))!;
      // gone from the environment: its metadata and its SQL table
      assert.equal((await loadTableShapes(store, env)).has('new_shelf'), false);
      assert.deepEqual(await tablesIn(store, schema), ['new_book']);
      assert.ok(
        !(await loadTableShapes(store, env))
          .get('new_book')!
          .columns.some((c) => c.name === 'new_note'),
      );
      // in the retention area, rows and values counted
      // the table whole; the column's values where they were, under a name no shape lists
      const retained = await tablesIn(store, retentionSchemaName(schema));
      assert.equal(retained.length, 1);
      assert.deepEqual(await hiddenColumns(store, schema), ['new_note']);
      const since = await retainedSince(store, env, before);
      assert.deepEqual(since.purged, []);
      assert.deepEqual(byTable(since.restorable), [
        { revision: dropped, table: 'new_book', column: 'new_note', rows: 80 },
        { revision: dropped, table: 'new_shelf', rows: 300 },
      ]);
      assert.deepEqual(await retainedSince(store, env, dropped), { restorable: [], purged: [] });

      const restored = await store.transaction((tx) => restoreRetained(tx, env, before));
      assert.deepEqual(restored, {
        tables: [{ table: 'new_shelf', rows: 300 }],
        columns: [{ table: 'new_book', column: 'new_note' }],
      });
      assert.equal(await rowsOf(store, env, 'new_shelf'), shelves);
      assert.equal(await rowsOf(store, env, 'new_book'), books);
      assert.equal(JSON.stringify([...(await loadTableShapes(store, env))].sort()), shapes);
      assert.deepEqual(await tablesIn(store, retentionSchemaName(schema)), []);
      assert.deepEqual(await retainedSince(store, env, before), { restorable: [], purged: [] });
      // the restored table has its indexes back under their own names: its key refuses a twin
      const shelfRef = await tableIn(store, 'keep', 'new_shelf');
      await createRecords(store, shelfRef, [{ new_name: 'Shelf new', new_floor: 1 }]);
      await assert.rejects(createRecords(store, shelfRef, [{ new_name: 'Shelf 1' }]));
      const indexes = await store.query<{ name: string }>(
        `SELECT indexname AS name FROM pg_indexes WHERE schemaname = $1 AND tablename = 'new_shelf'
         ORDER BY indexname`,
        [schema],
      );
      assert.deepEqual(
        indexes.map((i) => i.name),
        ['new_shelf@key@new_shelf_name', 'new_shelf_pkey'],
      );
    });

    test('a table dropped twice is retained twice, and each comes back in turn', async () => {
      const env = await libraryWithRecords(store, 'twice');
      const r0 = await revisionOf(store, 'twice');
      await upgrade(store, 'twice');
      // 2.5 brings the shelves back, empty; a record in it; 3.0 drops them again
      const release = (version: string, entities: BuildEntity[]) =>
        buildPackage({ uniqueName: 'Library', version, managed: true, entities });
      await importSolution(store, {
        environment: 'twice',
        source: release('2.5.0.0', [WITHOUT_NOTE, SHELF]),
      });
      await createRecords(store, await tableIn(store, 'twice', 'new_shelf'), [{ new_name: 'X' }]);
      const r1 = await revisionOf(store, 'twice');
      await importSolution(store, {
        environment: 'twice',
        source: release('3.0.0.0', [WITHOUT_NOTE]),
        options: { acceptDataLoss: true },
      });
      const since = await retainedSince(store, env, r0);
      assert.deepEqual(
        since.restorable.filter((d) => !d.column).map((d) => d.rows),
        [1, 300],
      );
      // back to r1: the one-record shelves
      await store.transaction((tx) => restoreRetained(tx, env, r1));
      const [{ n }] = await store.query<{ n: string }>(
        `SELECT count(*) AS n FROM ${quoteIdent((await recordSchemaOf(store, env))!)}.new_shelf`,
      );
      assert.equal(Number(n), 1);
      // back to r0: the 300 shelves, and the one-record table is retained in its place
      const out = await store.transaction((tx) => restoreRetained(tx, env, r0, { revision: 999 }));
      assert.deepEqual(out.tables, [{ table: 'new_shelf', rows: 300 }]);
      const [{ m }] = await store.query<{ m: string }>(
        `SELECT count(*) AS m FROM ${quoteIdent((await recordSchemaOf(store, env))!)}.new_shelf`,
      );
      assert.equal(Number(m), 300);
      const again = await retainedSince(store, env, 998);
      assert.deepEqual(again.restorable, [{ revision: 999, table: 'new_shelf', rows: 1 }]);
    });

    test('purge frees the records, and a rollback past them is told they are gone', async () => {
      const env = await libraryWithRecords(store, 'purge');
      const before = await revisionOf(store, 'purge');
      await upgrade(store, 'purge');
      const dropped = await revisionOf(store, 'purge');
      const schema = retentionSchemaName((await recordSchemaOf(store, env))!);
      // keeping the last revision keeps the drop (it is the last revision)
      assert.deepEqual(
        await store.transaction((tx) => purgeRetention(tx, env, { keepRevisions: 1 })),
        { tables: 0, columns: 0, rows: 0 },
      );
      const freed = await store.transaction((tx) => purgeRetention(tx, env, { all: true }));
      assert.deepEqual(freed, { tables: 1, columns: 1, rows: 380 });
      assert.deepEqual(await tablesIn(store, schema), []);
      assert.deepEqual(await hiddenColumns(store, (await recordSchemaOf(store, env))!), []);
      const gone = await retainedSince(store, env, before);
      assert.deepEqual(
        { restorable: gone.restorable, purged: byTable(gone.purged).reverse() },
        {
          restorable: [],
          purged: [
            { revision: dropped, table: 'new_shelf' },
            { revision: dropped, table: 'new_book', column: 'new_note' },
          ],
        },
      );
      // nothing to restore: the shelves stay gone
      const out = await store.transaction((tx) => restoreRetained(tx, env, before));
      assert.deepEqual(out, { tables: [], columns: [] });
      assert.equal((await loadTableShapes(store, env)).has('new_shelf'), false);
      assert.equal(
        (await listRetention(store, env)).every((e) => e.state === 'purged'),
        true,
      );
    });

    test('what the last K revisions no longer hold is purged by the next operation', async () => {
      const env = await libraryWithRecords(store, 'auto');
      assert.equal(await retentionRevisions(store, env), 10);
      await store.transaction((tx) => setRetentionRevisions(tx, env, 2));
      assert.equal(await retentionRevisions(store, env), 2);
      const before = await revisionOf(store, 'auto');
      await upgrade(store, 'auto');
      await importSolution(store, { environment: 'auto', source: other('1.0.0.0') });
      // one revision later: still kept (the last 2 revisions are the drop's and this one)
      assert.equal((await retainedSince(store, env, before)).restorable.length, 2);
      await importSolution(store, { environment: 'auto', source: other('2.0.0.0') });
      const since = await retainedSince(store, env, before);
      assert.equal(since.restorable.length, 0);
      assert.equal(since.purged.length, 2);
      const schema = retentionSchemaName((await recordSchemaOf(store, env))!);
      assert.deepEqual(await tablesIn(store, schema), []);
      // a K of 0 keeps nothing: a drop deletes at once, as before retention
      await store.transaction((tx) => setRetentionRevisions(tx, env, 0));
      await createRecords(store, await tableIn(store, 'auto', 'new_other'), [{ new_name: 'o' }]);
      await importSolution(store, {
        environment: 'auto',
        source: buildPackage({ uniqueName: 'Other', version: '3.0.0.0', managed: true }),
        options: { acceptDataLoss: true },
      });
      assert.equal((await listRetention(store, env)).length, 2);
      assert.deepEqual(await tablesIn(store, schema), []);
      assert.equal((await loadTableShapes(store, env)).has('new_other'), false);
      await assert.rejects(
        store.transaction((tx) => setRetentionRevisions(tx, env, -1)),
        (e: unknown) => e instanceof StrataError && e.code === 'BAD_REQUEST',
      );
    });

    test('GET /retention lists what is kept; POST /retention/purge frees it', async () => {
      const tokens = await environmentsWithTokens(store, ['web']);
      const { app, base } = await startServer(store);
      try {
        const call = async (method: string, path: string, body?: unknown) => {
          const res = await fetch(base + '/api/v1' + path, {
            method,
            headers: {
              authorization: `Bearer ${tokens.web}`,
              ...(body ? { 'content-type': 'application/json' } : {}),
            },
            body: body ? JSON.stringify(body) : undefined,
          });
          return { status: res.status, json: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
        };
        await importSolution(store, { environment: 'web', source: library('1.0.0.0') });
        await createRecords(store, await tableIn(store, 'web', 'new_shelf'), [
          { new_name: 'A' },
          { new_name: 'B' },
        ]);
        await upgrade(store, 'web');
        const listed = await call('GET', '/retention');
        assert.equal(listed.status, 200);
        assert.equal(listed.json.keepRevisions, 10);
        assert.deepEqual(listed.json.kept, { tables: 1, columns: 0, rows: 2 });
        assert.deepEqual(
          listed.json.entries.map((e: RetainedEntryJson) => [e.table, e.rows, e.state]),
          [['new_shelf', 2, 'kept']],
        );
        const vague = await call('POST', '/retention/purge', {});
        assert.equal(vague.status, 400);
        assert.equal(vague.json.error.code, 'BAD_REQUEST');
        const purged = await call('POST', '/retention/purge', { all: true });
        assert.equal(purged.status, 200);
        assert.deepEqual(purged.json.purged, { tables: 1, columns: 0, rows: 2 });
        const after = await call('GET', '/retention');
        assert.deepEqual(after.json.kept, { tables: 0, columns: 0, rows: 0 });
        assert.equal(after.json.entries[0].state, 'purged');
      } finally {
        await app.close();
      }
    });

    test('an upgrade that fails retains nothing: tables, rows and registry as they were', async () => {
      const env = await libraryWithRecords(store, 'fail');
      const shelves = await rowsOf(store, env, 'new_shelf');
      const books = await rowsOf(store, env, 'new_book');
      const before = await revisionOf(store, 'fail');
      await assert.rejects(
        upgrade(store, 'fail', { failAfter: 'tables' }),
        (e: unknown) => e instanceof StrataError && e.code === 'FAULT_INJECTED',
      );
      assert.equal(await revisionOf(store, 'fail'), before);
      assert.equal(await rowsOf(store, env, 'new_shelf'), shelves);
      assert.equal(await rowsOf(store, env, 'new_book'), books);
      assert.deepEqual(await listRetention(store, env), []);
      const schema = retentionSchemaName((await recordSchemaOf(store, env))!);
      assert.deepEqual(await tablesIn(store, schema), []);
    });
  });
}
