/**
 * store/open.ts loads the PostgreSQL adapter with a `navigator` lent to `pg` while it loads (its
 * Cloudflare check would otherwise load Node's fetch implementation): the loan ends with the load.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { test } from 'node:test';
import pg from 'pg';
import { PG_URL, STORE_CASES } from './support/stores.js';

const postgres = STORE_CASES.find((c) => c.name === 'postgres')!;

test('opening a PostgreSQL store leaves no navigator behind', { skip: postgres.skip }, async () => {
  const schema = `strata_open_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  try {
    const url = `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    const open = join(import.meta.dirname, '..', 'src', 'store', 'open.ts');
    // a process of its own: pg must not be loaded before openStore loads it
    const script = `
      const had = 'navigator' in globalThis;
      const { openStore } = await import(${JSON.stringify(open)});
      const store = await openStore({ databaseUrl: ${JSON.stringify(url)} });
      const [{ one }] = await store.query('SELECT 1 AS one');
      await store.close();
      console.log(JSON.stringify({ had, has: 'navigator' in globalThis, one }));`;
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        encoding: 'utf8',
      },
    );
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
    assert.equal(out.one, 1, 'the store works');
    assert.equal(out.has, out.had, 'a navigator is there exactly when Node has its own');
  } finally {
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  }
});
