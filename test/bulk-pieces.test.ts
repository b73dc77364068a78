/**
 * insertRows sends a COPY per piece of its rows (store/bulk.ts): every row arrives once, as it
 * was, whatever the size of the pieces, with and without a conflict clause.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { insertRows, type ColumnSpec } from '../src/store/bulk.js';
import type { Store } from '../src/store/store.js';
import { STORE_CASES } from './support/stores.js';

const COLUMNS: ColumnSpec[] = [
  ['id', 'integer'],
  ['label', 'text'],
  ['note', 'text'],
];
const rows = Array.from({ length: 500 }, (_, i) => [
  i,
  `row ${i}\twith a tab, a \\ and\na line break`,
  i % 7 === 0 ? null : 'x'.repeat(i % 50),
]);

for (const sc of STORE_CASES) {
  describe(`rows in pieces (${sc.name})`, { skip: sc.skip }, () => {
    let store: Store;
    before(async () => {
      store = await sc.open();
    });
    after(async () => {
      await store.close();
    });

    /** `given` inserted in pieces of at most `copyChars` characters, and read back. */
    const roundTrip = (given: unknown[][], copyChars: number): Promise<unknown[][]> =>
      store.transaction(async (tx) => {
        await tx.query('CREATE TEMP TABLE pieces (id int PRIMARY KEY, label text, note text)');
        await insertRows(tx, 'pieces', COLUMNS, given, '', undefined, copyChars);
        const back = await tx.query<{ id: number; label: string; note: string | null }>(
          'SELECT id, label, note FROM pieces ORDER BY id',
        );
        await tx.query('DROP TABLE pieces');
        return back.map((r) => [Number(r.id), r.label, r.note]);
      });

    for (const copyChars of [1, 100, 5_000, Infinity])
      test(`pieces of at most ${copyChars} characters`, async () => {
        assert.deepEqual(await roundTrip(rows, copyChars), rows);
      });

    test('text beyond one byte a character, and rows longer than a piece was made for', async () => {
      // the piece's bytes are made for rows of about 256 characters, then grown (store/bulk.ts)
      const wide = [
        [1, 'Colonne « ü » € 𝄞', 'naïve'],
        [2, 'é'.repeat(300_000), '𝄞'.repeat(100_000)],
        [3, '\u4e2d\u6587\t\\ end', null],
        [4, 'x', 'y'],
      ];
      for (const copyChars of [10, Infinity])
        assert.deepEqual(await roundTrip(wide, copyChars), wide, `pieces of ${copyChars}`);
    });

    test('a conflict clause applies to every piece', async () => {
      await store.transaction(async (tx) => {
        await tx.query('CREATE TEMP TABLE pieces2 (id int PRIMARY KEY, label text, note text)');
        await insertRows(tx, 'pieces2', COLUMNS, rows.slice(0, 300), '', undefined, 200);
        const again = rows.map((r) => [r[0], 'changed', null]);
        await insertRows(tx, 'pieces2', COLUMNS, again, 'ON CONFLICT DO NOTHING', undefined, 200);
        const back = await tx.query<{ id: number; label: string }>(
          'SELECT id, label FROM pieces2 ORDER BY id',
        );
        assert.equal(back.length, 500);
        assert.ok(back.slice(0, 300).every((r, i) => r.label === rows[i][1]));
        assert.ok(back.slice(300).every((r) => r.label === 'changed'));
      });
    });
  });
}
