/**
 * The embedded store tells PGlite the array types of PostgreSQL's built-in types
 * (store/pglite/array-types.ts) instead of letting it query the catalog as it starts. The table
 * must be what that query finds in this PGlite's catalog, and arrays must still travel both ways.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { BUILTIN_ARRAY_TYPES } from '../src/store/pglite/array-types.js';
import { PGliteStore } from '../src/store/pglite/adapter.js';

test("the built-in array types are those of this PGlite's catalog", async () => {
  const db = new PGlite();
  try {
    // PGlite's own query (BasePGlite._initArrayTypes)
    const rows = await db.query<{ oid: number; typarray: number }>(`
      SELECT b.oid, b.typarray
      FROM pg_catalog.pg_type a
      LEFT JOIN pg_catalog.pg_type b ON b.oid = a.typelem
      WHERE a.typcategory = 'A'
      GROUP BY b.oid, b.typarray
      ORDER BY b.oid`);
    const builtIn = rows.rows.filter((r) => r.oid < 10_000).map((r) => [r.oid, r.typarray]);
    assert.ok(builtIn.length > 50, `${builtIn.length} built-in array types`);
    assert.deepEqual(
      BUILTIN_ARRAY_TYPES.map(([e, a]) => [e, a]),
      builtIn,
    );
  } finally {
    await db.close();
  }
});

test('arrays are passed and read back by the embedded store', async () => {
  const store = await PGliteStore.open(null);
  try {
    const [row] = await store.query<{
      texts: string[];
      ints: number[];
      bools: boolean[];
      stamps: Date[];
      n: number;
    }>(
      `SELECT $1::text[] AS texts, ARRAY[1, 2, 3]::int4[] AS ints, ARRAY[true, false] AS bools,
         ARRAY['2026-11-29T10:00:00Z'::timestamptz] AS stamps,
         cardinality($1::text[]) AS n`,
      [['a', 'b,c', 'd"e', null]],
    );
    assert.deepEqual(row.texts, ['a', 'b,c', 'd"e', null]);
    assert.equal(row.n, 4);
    assert.deepEqual(row.ints, [1, 2, 3]);
    assert.deepEqual(row.bools, [true, false]);
    assert.ok(row.stamps[0] instanceof Date, 'timestamps inside an array are parsed');
    assert.equal(row.stamps[0].toISOString(), '2026-11-29T10:00:00.000Z');
  } finally {
    await store.close();
  }
});
