/**
 * Rows read as JSON a page at a time (store/json-rows.ts jsonRowsInPages): every row once, in the
 * key's order, whatever the page size and wherever a page ends — across rows that share the
 * key's leading columns, and on a last page that is exactly full.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { jsonRows, jsonRowsInPages } from '../src/store/json-rows.js';
import type { Store } from '../src/store/store.js';
import { STORE_CASES } from './support/stores.js';

for (const sc of STORE_CASES) {
  describe(`rows in pages (${sc.name})`, { skip: sc.skip }, () => {
    let store: Store;
    before(async () => {
      store = await sc.open();
      await store.query(
        'CREATE TEMP TABLE paged (g int, a text, b text, n int, PRIMARY KEY (g, a, b))',
      );
      // two groups; in group 1, twelve rows share a = 'k1' and differ in b only
      const rows: string[] = [];
      for (let i = 0; i < 30; i++)
        rows.push(`(1, 'k${i % 3}', 'v${String(i).padStart(2, '0')}', ${i})`);
      rows.push(`(2, 'other', 'x', 99)`);
      await store.query(`INSERT INTO paged VALUES ${rows.join(', ')}`);
    });
    after(async () => {
      await store.close();
    });

    test('every row once, in the order of the key, for any page size', async () => {
      const whole = await jsonRows<[string, string, number]>(
        store,
        { columns: 'a, b, n', from: 'paged WHERE g = $1', order: 'a, b' },
        [1],
      );
      assert.equal(whole.length, 30);
      for (const size of [1, 2, 7, 10, 29, 30, 31, 1000]) {
        const paged = await jsonRowsInPages<[string, string, number]>(
          store,
          { columns: 'a, b, n', table: 'paged', where: 'g = $1', key: ['a', 'b'] },
          [1],
          size,
        );
        assert.deepEqual(paged, whole, `pages of ${size}`);
      }
    });

    test('nothing matches: no rows', async () => {
      const none = await jsonRowsInPages(
        store,
        { columns: 'a, b', table: 'paged', where: 'g = $1', key: ['a', 'b'] },
        [3],
        5,
      );
      assert.deepEqual(none, []);
    });
  });
}
