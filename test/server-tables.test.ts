/**
 * The table browser's JSON API: GET /api/v1/tables (the environment's tables with their row
 * counts) and GET /api/v1/tables/:table/records (a page of records, the columns, the count and
 * the next page), over a real listening socket, scoped to the token's environment. Both stores.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { importSolution } from '../src/engine/import.js';
import { createRecords, tableIn } from '../src/engine/records/records.js';
import type { Store } from '../src/store/store.js';
import { buildPackage } from './support/package-builder.js';
import { environmentsWithTokens, startServer } from './support/server.js';
import { STORE_CASES } from './support/stores.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const LIBRARY = buildPackage({
  uniqueName: 'Library',
  version: '1.0.0.0',
  managed: true,
  entities: [
    {
      name: 'new_book',
      displayName: 'Book',
      attributes: [
        'new_bookid',
        'new_name',
        { name: 'new_pages', type: 'int', minValue: 1, maxValue: 5000 },
        { name: 'new_readon', type: 'datetime', behavior: 2 },
      ],
    },
  ],
});

for (const sc of STORE_CASES) {
  describe(`table browser API (${sc.name})`, { skip: sc.skip }, () => {
    let store: Store;
    let app: FastifyInstance;
    let base: string;
    let tokens: Record<string, string>;
    const get = async (path: string, env = 'alpha'): Promise<{ status: number; json: Json }> => {
      const res = await fetch(base + path, {
        headers: env ? { authorization: `Bearer ${tokens[env]}` } : {},
      });
      return { status: res.status, json: (await res.json()) as Json };
    };

    before(async () => {
      store = await sc.open();
      tokens = await environmentsWithTokens(store, ['alpha', 'beta']);
      ({ app, base } = await startServer(store));
      await importSolution(store, { environment: 'alpha', source: LIBRARY });
      const ref = await tableIn(store, 'alpha', 'new_book');
      await createRecords(
        store,
        ref,
        Array.from({ length: 120 }, (_, i) => ({
          new_name: `Book ${String(i).padStart(3, '0')}`,
          new_pages: i + 1,
          new_readon: '2024-03-05',
        })),
      );
    });
    after(async () => {
      await app?.close();
      await store?.close();
    });

    test('the tables: standard ones unmade and empty, a solution table made with its rows', async () => {
      const r = await get('/api/v1/tables');
      assert.equal(r.status, 200);
      const byName = new Map((r.json as Json[]).map((t) => [t.table, t]));
      assert.deepEqual(byName.get('new_book'), {
        table: 'new_book',
        entitySetName: 'new_books',
        displayName: 'Book',
        standard: false,
        made: true,
        rows: 120,
      });
      assert.deepEqual(byName.get('account'), {
        table: 'account',
        entitySetName: 'accounts',
        displayName: 'Account',
        standard: true,
        made: false,
        rows: 0,
      });
      const names = (r.json as Json[]).map((t) => t.table as string);
      assert.deepEqual(names, [...names].sort(), 'in logical name order');
      assert.ok(names.length > 50, `the catalog's standard tables are listed (${names.length})`);
    });

    test('a page of records: 50 by default, the columns, the count, and a next link to follow', async () => {
      const first = await get('/api/v1/tables/new_book/records');
      assert.equal(first.status, 200, JSON.stringify(first.json));
      assert.equal(first.json.records.length, 50);
      assert.equal(first.json.count, 120);
      assert.equal(first.json.primaryId, 'new_bookid');
      assert.equal(first.json.previousLink, null);
      const kinds = Object.fromEntries((first.json.columns as Json[]).map((c) => [c.name, c.kind]));
      assert.equal(kinds.new_bookid, 'id');
      assert.equal(kinds.new_name, 'text');
      assert.equal(kinds.new_pages, 'integer');
      assert.equal(kinds.new_readon, 'datetime');
      assert.equal(kinds.createdon, 'datetime');
      assert.equal(first.json.records[0].new_readon, '2024-03-05');
      assert.equal(first.json.nextLink, '/api/v1/tables/new_book/records?top=50&skip=50');

      const seen = new Set<string>();
      let link: string | null = '/api/v1/tables/new_book/records';
      const sizes: number[] = [];
      while (link) {
        const page = await get(link);
        assert.equal(page.status, 200);
        sizes.push(page.json.records.length);
        for (const rec of page.json.records as Json[]) seen.add(rec.new_bookid as string);
        link = page.json.nextLink as string | null;
      }
      assert.deepEqual(sizes, [50, 50, 20]);
      assert.equal(seen.size, 120, 'every record once, none twice');

      const last = await get('/api/v1/tables/new_book/records?top=50&skip=100');
      assert.equal(last.json.previousLink, '/api/v1/tables/new_book/records?top=50&skip=50');
      const all = await get('/api/v1/tables/NEW_BOOK/records?top=5000');
      assert.equal(all.json.records.length, 120);
      assert.equal(all.json.nextLink, null);
    });

    test('a page size out of bounds, and a table the environment lacks, are errors in words', async () => {
      for (const bad of ['top=0', 'top=5001', 'skip=-1', 'top=ten']) {
        const r = await get(`/api/v1/tables/new_book/records?${bad}`);
        assert.equal(r.status, 400, bad);
        assert.equal(r.json.error.code, 'BAD_REQUEST');
      }
      const none = await get('/api/v1/tables/new_nothing/records');
      assert.equal(none.status, 404);
      assert.equal(none.json.error.code, 'RECORD_TABLE_NOT_FOUND');
      assert.match(none.json.error.message, /new_nothing/);
    });

    test('a standard table nobody wrote to has its columns and no records', async () => {
      const r = await get('/api/v1/tables/contact/records');
      assert.equal(r.status, 200);
      assert.deepEqual(r.json.records, []);
      assert.equal(r.json.count, 0);
      assert.equal(r.json.nextLink, null);
      assert.ok((r.json.columns as Json[]).some((c) => c.name === 'contactid'));
    });

    test('tokens scope to their environment', async () => {
      const tables = await get('/api/v1/tables', 'beta');
      assert.equal(tables.status, 200);
      assert.ok(!(tables.json as Json[]).some((t) => t.table === 'new_book'));
      const records = await get('/api/v1/tables/new_book/records', 'beta');
      assert.equal(records.status, 404);
      assert.equal(records.json.error.code, 'RECORD_TABLE_NOT_FOUND');
      const anon = await get('/api/v1/tables', '');
      assert.equal(anon.status, 401);
    });

    test('the routes are in the OpenAPI document under the records tag', async () => {
      const res = await fetch(`${base}/openapi.json`);
      const doc = (await res.json()) as Json;
      assert.deepEqual(doc.paths['/api/v1/tables'].get.tags, ['records']);
      assert.deepEqual(doc.paths['/api/v1/tables/{table}/records'].get.tags, ['records']);
    });
  });
}
