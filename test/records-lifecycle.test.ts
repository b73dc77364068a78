/**
 * Tables hold records, and the lifecycle is honest about them: a table a solution brings can
 * take records as soon as the import commits (its SQL table is made with the first one); upgrade, apply and uninstall drop what leaves with its
 * records, after the plan said how many and only when the loss was accepted; update keeps them;
 * stage-for-upgrade keeps old and new side by side so records can be moved first. The real
 * series BinaryStorageOptions 2.0.0.0 → 3.1.0.0 (whose 3.1 drops a table) runs end to end.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CATALOG_ID } from '../src/catalog/catalog.js';
import { importSolution, planPackage } from '../src/engine/import.js';
import { removeActive } from '../src/engine/customize.js';
import { runLifecycle } from '../src/engine/lifecycle.js';
import { copyRecords } from '../src/engine/records/copy.js';
import { loadRecords } from '../src/engine/records/load.js';
import { queryRecords } from '../src/engine/records/query.js';
import { EMPTY_QUERY } from '../src/model/record-query.js';
import {
  createRecords,
  deleteRecord,
  retrieveRecord,
  tableIn,
  updateRecord,
} from '../src/engine/records/records.js';
import { StrataError } from '../src/model/errors.js';
import { environmentUserId } from '../src/model/stable-guid.js';
import {
  createEnvironment,
  deleteEnvironment,
  findEnvironment,
} from '../src/store/environments.js';
import { dumpEnvironment } from '../src/store/queries.js';
import { countRecords, loadTableShapes } from '../src/store/record-tables.js';
import type { Store } from '../src/store/store.js';
import { buildPackage } from './support/package-builder.js';
import { STORE_CASES } from './support/stores.js';

const REAL = join(import.meta.dirname, '..', '..', 'shared', 'fixtures', 'real');
const BSO = join(REAL, 'binary-storage-options-series');
const BSO_TABLE = 'bso_binarystorageoptionsconfigurationsettin';

const BOOK = {
  name: 'new_book',
  attributes: [
    'new_bookid',
    'new_name',
    { name: 'new_pages', type: 'int', minValue: 1, maxValue: 5000 },
    { name: 'new_genre', type: 'picklist', options: [100000000, 100000001] },
    { name: 'new_note', type: 'nvarchar', maxLength: 20 },
  ],
};

function books(version: string, attributes = BOOK.attributes): Uint8Array {
  return buildPackage({
    uniqueName: 'Library',
    version,
    managed: true,
    entities: [{ ...BOOK, attributes }],
  });
}

async function envIdOf(store: Store, name: string): Promise<number> {
  return (await findEnvironment(store, name)).id;
}

async function refused(p: Promise<unknown>, code: string): Promise<StrataError> {
  let caught: unknown;
  await p.catch((e) => (caught = e));
  assert.ok(caught instanceof StrataError, `expected ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  return caught;
}

for (const sc of STORE_CASES) {
  describe(`tables hold records through the lifecycle (${sc.name})`, { skip: sc.skip }, () => {
    let store: Store;
    before(async () => {
      store = await sc.open();
    });
    after(async () => {
      await store?.close();
    });

    test('a table is made with its first record; records keep types, ranges and choices', async () => {
      await createEnvironment(store, 'lib', CATALOG_ID);
      await importSolution(store, { environment: 'lib', source: books('1.0.0.0') });
      const ref = await tableIn(store, 'lib', 'new_book');
      const [id] = await createRecords(store, ref, [
        { new_name: 'Dune', new_pages: 412, new_genre: 100000001 },
      ]);
      const got = await retrieveRecord(store, ref, id);
      assert.equal(got?.new_name, 'Dune');
      assert.equal(got?.new_pages, 412);
      assert.equal(got?.new_genre, 100000001);
      assert.equal(typeof got?.createdon, 'string');
      await refused(createRecords(store, ref, [{ new_pages: 0 }]), 'RECORD_VALUE_INVALID');
      await refused(createRecords(store, ref, [{ new_genre: 7 }]), 'RECORD_CHOICE_INVALID');
      await refused(
        createRecords(store, ref, [{ new_note: 'x'.repeat(21) }]),
        'RECORD_VALUE_TOO_LONG',
      );
      await refused(createRecords(store, ref, [{ new_colour: 'red' }]), 'RECORD_COLUMN_UNKNOWN');
      await refused(
        createRecords(store, ref, [{ new_name: "'; DROP TABLE new_book; --" }, { new_pages: 'x' }]),
        'RECORD_VALUE_INVALID',
      );
      // one bad record in a batch and none is written
      const env = await envIdOf(store, 'lib');
      assert.equal((await countRecords(store, env, ['new_book'])).get('new_book'), 1);
    });

    test('the bulk path keeps every character, and one bad record loads none', async () => {
      const ref = await tableIn(store, 'lib', 'new_book');
      const env = await envIdOf(store, 'lib');
      const before = (await countRecords(store, env, ['new_book'])).get('new_book')!;
      const odd = 'tab\there\nnew line \\N back\\slash, "quote" \u00e9\u{1F600}';
      const records = Array.from({ length: 2500 }, (_, i) => ({
        new_name: i === 7 ? odd : `Bulk ${i}`,
        new_pages: (i % 5000) + 1,
      }));
      const progress: number[] = [];
      const { loaded } = await loadRecords(store, ref, records, {
        batch: 1000,
        onProgress: (n) => progress.push(n),
      });
      assert.equal(loaded, 2500);
      assert.deepEqual(progress, [1000, 2000, 2500]);
      assert.equal((await countRecords(store, env, ['new_book'])).get('new_book'), before + 2500);
      const page = await queryRecords(
        store,
        ref,
        {
          ...EMPTY_QUERY,
          filter: { op: 'cmp', cmp: 'eq', column: 'new_pages', value: 8 },
          select: ['new_name'],
        },
        { pageSize: 10 },
      );
      assert.ok(page.records.some((r) => r.new_name === odd));
      const bad = [{ new_name: 'ok' }, { new_name: 'ok too' }, { new_pages: 'many' }];
      const e = await refused(loadRecords(store, ref, bad), 'RECORD_VALUE_INVALID');
      assert.match(e.message, /^Record 3, column new_pages: /);
      assert.equal((await countRecords(store, env, ['new_book'])).get('new_book'), before + 2500);
      // the records the next tests count
      const remove = await queryRecords(
        store,
        ref,
        {
          ...EMPTY_QUERY,
          filter: { op: 'fn', fn: 'startswith', column: 'new_name', value: 'Bulk' },
        },
        { pageSize: 5000 },
      );
      const odds = await queryRecords(
        store,
        ref,
        { ...EMPTY_QUERY, filter: { op: 'cmp', cmp: 'eq', column: 'new_name', value: odd } },
        { pageSize: 5 },
      );
      for (const r of [...remove.records, ...odds.records])
        await deleteRecord(store, ref, String(r.new_bookid));
      assert.equal((await countRecords(store, env, ['new_book'])).get('new_book'), before);
    });

    test('the bulk path takes records that name different columns, ids and states', async () => {
      const ref = await tableIn(store, 'lib', 'new_book');
      const env = await envIdOf(store, 'lib');
      const before = (await countRecords(store, env, ['new_book'])).get('new_book')!;
      const given = '00000000-0000-4000-8000-00000000b00c';
      // the third record names a column the first two did not (a narrower batch ends before
      // it); the fourth gives its own id; the fifth names fewer columns again
      const records = [
        { new_name: 'W1' },
        { new_name: 'W2', new_pages: 2 },
        { new_name: 'W3', new_pages: 3, new_note: 'noted' },
        { new_bookid: given.toUpperCase(), new_name: 'W4' },
        { new_pages: 5 },
      ];
      const { loaded } = await loadRecords(store, ref, records, { batch: 2 });
      assert.equal(loaded, 5);
      assert.equal((await countRecords(store, env, ['new_book'])).get('new_book'), before + 5);
      const page = await queryRecords(
        store,
        ref,
        {
          ...EMPTY_QUERY,
          filter: {
            op: 'or',
            left: { op: 'fn', fn: 'startswith', column: 'new_name', value: 'W' },
            right: { op: 'cmp', cmp: 'eq', column: 'new_pages', value: 5 },
          },
          orderBy: [{ column: 'createdon', desc: false }],
        },
        { pageSize: 10 },
      );
      const byName = new Map(page.records.map((r) => [String(r.new_name ?? 'unnamed'), r]));
      assert.equal(byName.get('W1')?.new_pages, null);
      assert.equal(byName.get('W2')?.new_pages, 2);
      assert.equal(byName.get('W3')?.new_note, 'noted');
      assert.equal(byName.get('W4')?.new_bookid, given);
      assert.equal(byName.get('unnamed')?.new_pages, 5);
      assert.equal(page.records.length, 5);
      for (const r of page.records) await deleteRecord(store, ref, String(r.new_bookid));
    });

    test('an upgrade that drops a column says how many values go, and needs consent', async () => {
      const ref = await tableIn(store, 'lib', 'new_book');
      await createRecords(store, ref, [
        { new_name: 'Emma', new_note: 'classic' },
        { new_name: 'Ulysses', new_note: 'long' },
        { new_name: 'Blank' },
      ]);
      const without = BOOK.attributes.filter((a) => typeof a === 'string' || a.name !== 'new_note');
      const { plan } = await planPackage(store, 'lib', books('2.0.0.0', without));
      assert.deepEqual(plan.dataAtRisk.columns, [
        { table: 'new_book', column: 'new_note', values: 2 },
      ]);
      assert.equal(plan.dataAtRisk.values, 2);
      assert.equal(plan.blocked[0]?.code, 'DATA_LOSS_NOT_ACCEPTED');
      await refused(
        importSolution(store, { environment: 'lib', source: books('2.0.0.0', without) }),
        'DATA_LOSS_NOT_ACCEPTED',
      );
      const env = await envIdOf(store, 'lib');
      assert.ok(
        (await loadTableShapes(store, env))
          .get('new_book')!
          .columns.some((c) => c.name === 'new_note'),
      );
      const done = await importSolution(store, {
        environment: 'lib',
        source: books('2.0.0.0', without),
        options: { acceptDataLoss: true },
      });
      // the job says what it deleted
      assert.match(done.log.message, /records deleted: 0 rows, 2 column values/);
      const shape = (await loadTableShapes(store, env)).get('new_book')!;
      assert.ok(!shape.columns.some((c) => c.name === 'new_note'));
      assert.equal((await countRecords(store, env, ['new_book'])).get('new_book'), 4);
    });

    test('a fault while the tables change leaves definitions, tables and rows as they were', async () => {
      const env = await envIdOf(store, 'lib');
      const before = await dumpEnvironment(store, env);
      const shapes = JSON.stringify([...(await loadTableShapes(store, env))]);
      const rows = await countRecords(store, env, ['new_book']);
      const withColumn = [
        ...BOOK.attributes,
        { name: 'new_isbn', type: 'nvarchar', maxLength: 13 },
      ];
      await refused(
        importSolution(store, {
          environment: 'lib',
          source: books('2.5.0.0', withColumn),
          faults: { failAfter: 'tables' },
        }),
        'FAULT_INJECTED',
      );
      assert.equal(await dumpEnvironment(store, env), before);
      assert.equal(JSON.stringify([...(await loadTableShapes(store, env))]), shapes);
      assert.deepEqual(await countRecords(store, env, ['new_book']), rows);
      // the SQL table itself has no new column
      const columns = await store.query<{ n: string }>(
        `SELECT count(*) AS n FROM information_schema.columns c
         JOIN environments e ON e.records_schema = c.table_schema
         WHERE e.id = $1 AND c.table_name = 'new_book' AND c.column_name = 'new_isbn'`,
        [env],
      );
      assert.equal(Number(columns[0].n), 0);
      // and without the fault, the same import makes it
      await importSolution(store, { environment: 'lib', source: books('2.5.0.0', withColumn) });
      const [{ n }] = await store.query<{ n: string }>(
        `SELECT count(*) AS n FROM information_schema.columns c
         JOIN environments e ON e.records_schema = c.table_schema
         WHERE e.id = $1 AND c.table_name = 'new_book' AND c.column_name = 'new_isbn'`,
        [env],
      );
      assert.equal(Number(n), 1);
    });

    test('a column whose type changes is refused, naming it; nothing changes', async () => {
      const retyped = BOOK.attributes.map((a) =>
        typeof a !== 'string' && a.name === 'new_pages'
          ? { name: 'new_pages', type: 'nvarchar', maxLength: 10 }
          : a,
      );
      const e = await refused(
        importSolution(store, { environment: 'lib', source: books('3.0.0.0', retyped) }),
        'COLUMN_TYPE_CHANGED',
      );
      assert.match(e.message, /new_book\.new_pages/);
    });

    test('a maximum length below existing values is refused with their number', async () => {
      const shorter = BOOK.attributes.map((a) =>
        a === 'new_name' ? { name: 'new_name', type: 'nvarchar', maxLength: 4 } : a,
      );
      const e = await refused(
        importSolution(store, { environment: 'lib', source: books('3.0.0.0', shorter) }),
        'COLUMN_VALUES_TOO_LONG',
      );
      // Ulysses (7) and Blank (5): two values longer than 4 characters
      assert.match(e.message, /\b2\b/);
    });

    test('uninstall drops the table with its rows, after saying so', async () => {
      const dry = await runLifecycle(store, 'lib', 'uninstall', 'Library', { dryRun: true });
      assert.deepEqual(dry.dataAtRisk.tables, [{ table: 'new_book', rows: 4 }]);
      await refused(runLifecycle(store, 'lib', 'uninstall', 'Library'), 'DATA_LOSS_NOT_ACCEPTED');
      await runLifecycle(store, 'lib', 'uninstall', 'Library', { acceptDataLoss: true });
      const env = await envIdOf(store, 'lib');
      assert.equal((await loadTableShapes(store, env)).has('new_book'), false);
      await refused(tableIn(store, 'lib', 'new_book'), 'RECORD_TABLE_NOT_FOUND');
    });

    test('deleting an environment drops its records', async () => {
      await deleteEnvironment(store, 'lib');
      const leftover = await store.query<{ n: string }>(`SELECT count(*) AS n FROM record_tables`);
      assert.equal(Number(leftover[0].n), 0);
    });

    test(
      'BinaryStorageOptions 2.0 → 3.1: rows at risk, staged, moved, applied',
      { skip: existsSync(BSO) ? false : `real fixtures not found at ${BSO}` },
      async () => {
        const zip = (v: string): Uint8Array =>
          new Uint8Array(readFileSync(join(BSO, `BinaryStorageOptions_${v}_managed.zip`)));
        await createEnvironment(store, 'bso', CATALOG_ID);
        await importSolution(store, { environment: 'bso', source: zip('2_0_0_0') });
        const settings = await tableIn(store, 'bso', BSO_TABLE);
        const [first] = await createRecords(store, settings, [
          { bso_key: 'StorageProvider', bso_value: 'AzureBlob' },
          { bso_key: 'Container', bso_value: 'attachments' },
          { bso_key: 'Compress', bso_value: 'true' },
        ]);
        // strata fills who created and modified it: the environment's one user (WhoAmI's)
        const created = await retrieveRecord(store, settings, first);
        const user = environmentUserId(await envIdOf(store, 'bso'));
        assert.equal(created?.createdby, user);
        assert.equal(created?.modifiedby, user);
        assert.equal(created?.bso_key, 'StorageProvider');
        assert.equal(created?.statecode, 0);
        // the plan says what 3.1 takes: the settings table and its three rows
        const { plan } = await planPackage(store, 'bso', zip('3_1_0_0'));
        assert.deepEqual(plan.dataAtRisk.tables, [{ table: BSO_TABLE, rows: 3 }]);
        assert.equal(plan.blocked[0]?.code, 'DATA_LOSS_NOT_ACCEPTED');
        // staged: old and new side by side, the rows still there
        await importSolution(store, {
          environment: 'bso',
          source: zip('3_1_0_0'),
          options: { action: 'stage' },
        });
        const env = await envIdOf(store, 'bso');
        assert.equal((await countRecords(store, env, [BSO_TABLE])).get(BSO_TABLE), 3);
        // a table of the environment's own takes the settings
        await importSolution(store, {
          environment: 'bso',
          source: buildPackage({
            uniqueName: 'SettingsArchive',
            entities: [
              {
                name: 'new_setting',
                attributes: [
                  'new_settingid',
                  'new_name',
                  { name: 'new_value', type: 'nvarchar', maxLength: 1000 },
                ],
              },
            ],
          }),
        });
        const copied = await copyRecords(store, env, {
          from: { table: BSO_TABLE },
          to: { table: 'new_setting' },
          columns: [
            ['bso_key', 'new_name'],
            ['bso_value', 'new_value'],
          ],
        });
        assert.equal(copied.rows, 3);
        // apply: the old table goes with its rows, only with consent
        await refused(
          runLifecycle(store, 'bso', 'apply-upgrade', 'BinaryStorageOptions'),
          'DATA_LOSS_NOT_ACCEPTED',
        );
        const applied = await runLifecycle(store, 'bso', 'apply-upgrade', 'BinaryStorageOptions', {
          acceptDataLoss: true,
        });
        assert.deepEqual(applied.dataAtRisk.tables, [{ table: BSO_TABLE, rows: 3 }]);
        assert.equal((await loadTableShapes(store, env)).has(BSO_TABLE), false);
        const archive = await tableIn(store, 'bso', 'new_setting');
        const rows = await store.query<{ n: string }>(
          `SELECT count(*) AS n FROM record_tables WHERE env_id = $1 AND name = $2`,
          [env, 'new_setting'],
        );
        assert.equal(Number(rows[0].n), 1);
        assert.equal((await countRecords(store, env, ['new_setting'])).get('new_setting'), 3);
        void archive;
      },
    );

    test("removing the Active layer that was a table's only layer takes its rows, with consent", async () => {
      await createEnvironment(store, 'local', CATALOG_ID);
      await importSolution(store, {
        environment: 'local',
        source: buildPackage({
          uniqueName: 'Scratch',
          entities: [{ name: 'new_scratch', attributes: ['new_scratchid', 'new_name'] }],
        }),
      });
      const ref = await tableIn(store, 'local', 'new_scratch');
      await createRecords(store, ref, [{ new_name: 'a' }, { new_name: 'b' }]);
      const e = await refused(
        removeActive(store, 'local', 'entity', 'new_scratch'),
        'DATA_LOSS_NOT_ACCEPTED',
      );
      assert.match(e.message, /new_scratch \(2 rows\)/);
      const out = await removeActive(store, 'local', 'entity', 'new_scratch', {
        acceptDataLoss: true,
      });
      assert.equal(out.componentGone, true);
      assert.equal(out.dataAtRisk.rows, 2);
      const env = await envIdOf(store, 'local');
      assert.equal((await loadTableShapes(store, env)).has('new_scratch'), false);
    });

    test('update keeps a column the new version lacks, and its values', async () => {
      await createEnvironment(store, 'upd', CATALOG_ID);
      await importSolution(store, { environment: 'upd', source: books('1.0.0.0') });
      const ref = await tableIn(store, 'upd', 'new_book');
      const [id] = await createRecords(store, ref, [{ new_name: 'Kept', new_note: 'stays' }]);
      const without = BOOK.attributes.filter((a) => typeof a === 'string' || a.name !== 'new_note');
      const out = await importSolution(store, {
        environment: 'upd',
        source: books('1.1.0.0', without),
        options: { action: 'update' },
      });
      assert.equal(out.plan.dataAtRisk.values, 0);
      assert.equal((await retrieveRecord(store, ref, id))?.new_note, 'stays');
      await updateRecord(store, ref, id, { new_note: 'changed' });
      assert.equal((await retrieveRecord(store, ref, id))?.new_note, 'changed');
    });
  });
}
