/**
 * jsonRowsInBlocks (store/json-rows.ts) reads a large result in pages of the table's blocks and
 * a small one as one value: every matching row comes back once, rows of other keys that share
 * the blocks stay out, and rows an update moved to the table's end are found there.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { jsonRowsInBlocks, ONE_VALUE_ROWS } from '../src/store/json-rows.js';
import type { Queryable, Store } from '../src/store/store.js';
import { STORE_CASES } from './support/stores.js';

/** `db`, counting the statements that read a range of blocks. */
function counting(db: Queryable): { db: Queryable; pages: () => number } {
  let pages = 0;
  return {
    db: {
      query: (sql, params) => {
        if (/ctid >= \$/.test(sql)) pages++;
        return db.query(sql, params);
      },
    },
    pages: () => pages,
  };
}

for (const sc of STORE_CASES) {
  describe(`rows in pages of blocks (${sc.name})`, { skip: sc.skip }, () => {
    let store: Store;
    before(async () => {
      store = await sc.open();
    });
    after(async () => {
      await store.close();
    });

    test('a large result comes in pages, each row once', async () => {
      await store.transaction(async (tx) => {
        await tx.query(
          'CREATE TEMP TABLE spread (env int, id int, label text, PRIMARY KEY (env, id))',
        );
        // two keys' rows side by side in every block, then some of the first moved to the end
        const n = ONE_VALUE_ROWS + 10_000;
        await tx.query(
          `INSERT INTO spread SELECT 1 + i % 2, i, repeat('x', 100) || i
           FROM generate_series(0, $1::int * 2 - 1) i`,
          [n],
        );
        await tx.query("UPDATE spread SET label = 'moved ' || id WHERE env = 1 AND id % 50 = 0");
        const c = counting(tx);
        const rows = await jsonRowsInBlocks<[number, string]>(
          c.db,
          { columns: 'id, label', table: 'spread', where: 'env = $1' },
          [1],
        );
        assert.ok(c.pages() > 1, `read in ${c.pages()} page(s)`);
        assert.equal(rows.length, n);
        const ids = rows.map(([id]) => id).sort((a, b) => a - b);
        assert.deepEqual(
          ids,
          Array.from({ length: n }, (_, i) => i * 2),
        );
        for (const [id, label] of rows)
          assert.equal(label, id % 50 === 0 ? `moved ${id}` : `${'x'.repeat(100)}${id}`);
        await tx.query('DROP TABLE spread');
      });
    });

    test('a small result is one value, read through the index', async () => {
      await store.transaction(async (tx) => {
        await tx.query('CREATE TEMP TABLE few (env int, id int, PRIMARY KEY (env, id))');
        await tx.query('INSERT INTO few SELECT 1 + i % 3, i FROM generate_series(0, 299) i');
        const c = counting(tx);
        const rows = await jsonRowsInBlocks<[number]>(
          c.db,
          { columns: 'id', table: 'few', where: 'env = $1' },
          [3],
        );
        assert.equal(c.pages(), 0);
        assert.deepEqual(
          rows.map(([id]) => id).sort((a, b) => a - b),
          Array.from({ length: 100 }, (_, i) => i * 3 + 2),
        );
        const none = await jsonRowsInBlocks<[number]>(
          tx,
          { columns: 'id', table: 'few', where: 'env = $1' },
          [9],
        );
        assert.deepEqual(none, []);
        await tx.query('DROP TABLE few');
      });
    });
  });
}
