import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { CATALOG_ID } from '../src/catalog/catalog.js';
import { createEnvironment, listEnvironments } from '../src/store/environments.js';
import { MIGRATION_IDS } from '../src/store/migrations.js';
import { openStore } from '../src/store/open.js';
import { PGliteStore } from '../src/store/pglite/adapter.js';
import { storeTemplate } from '../src/store/pglite/template.js';

/** New embedded stores start from a cached template of a migrated store (decision 55). */
describe('the template of new embedded stores', () => {
  const root = mkdtempSync(join(tmpdir(), 'strata-template-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  async function appliedMigrations(store: PGliteStore): Promise<number[]> {
    return (await store.query<{ id: number }>('SELECT id FROM strata_migrations ORDER BY id')).map(
      (r) => Number(r.id),
    );
  }

  test('is made once in the cache, migrated, as a folder and a tar file', async () => {
    const cache = join(root, 'cache');
    const t = await storeTemplate(cache);
    assert.ok(t, 'a writable cache gets a template');
    assert.ok(existsSync(join(t.dir, 'PG_VERSION')), 'the folder holds a database');
    assert.ok(existsSync(t.tarball));
    assert.ok(!existsSync(join(t.dir, 'strata.lock')), 'the template is not left locked');
    // one template, no work folder left behind
    assert.deepEqual(
      readdirSync(cache).filter((e) => !e.startsWith('pglite-')),
      [],
    );
    assert.equal(await storeTemplate(cache), t, 'asked again, the same template');

    const fromFolder = await PGliteStore.open(join(root, 'a'), { template: t });
    const fromTar = await PGliteStore.open(null, { template: t });
    try {
      for (const s of [fromFolder, fromTar])
        assert.deepEqual(await appliedMigrations(s), [...MIGRATION_IDS]);
    } finally {
      await fromFolder.close();
      await fromTar.close();
    }
  });

  test('a new store from it is independent of the template and of other stores', async () => {
    const cache = join(root, 'cache');
    const t = (await storeTemplate(cache))!;
    const a = await PGliteStore.open(join(root, 'one'), { template: t });
    await createEnvironment(a, 'only-in-one', CATALOG_ID);
    await a.close();
    const b = await PGliteStore.open(join(root, 'two'), { template: t });
    const again = await PGliteStore.open(null, { template: t });
    try {
      assert.deepEqual(
        (await listEnvironments(b)).map((e) => e.name),
        [],
      );
      assert.deepEqual(
        (await listEnvironments(again)).map((e) => e.name),
        [],
      );
    } finally {
      await b.close();
      await again.close();
    }
    // reopened, the first store keeps what it was given: an existing store is never replaced
    const reopened = await PGliteStore.open(join(root, 'one'), { template: t });
    try {
      assert.deepEqual(
        (await listEnvironments(reopened)).map((e) => e.name),
        ['only-in-one'],
      );
    } finally {
      await reopened.close();
    }
  });

  test('openStore starts a new home from the template and migrates nothing', async () => {
    const saved = process.env.STRATA_CACHE_DIR;
    process.env.STRATA_CACHE_DIR = join(root, 'cache');
    try {
      await storeTemplate(join(root, 'cache'));
      const opened = new Date();
      const home = join(root, 'home');
      const store = await openStore({ home, databaseUrl: '' });
      try {
        // every migration is there, run when the template was made, none since
        const rows = await store.query<{ id: number; applied_on: Date }>(
          'SELECT id, applied_on FROM strata_migrations ORDER BY id',
        );
        assert.deepEqual(
          rows.map((r) => Number(r.id)),
          [...MIGRATION_IDS],
        );
        for (const r of rows) assert.ok(new Date(r.applied_on) < opened, `migration ${r.id}`);
        assert.ok(existsSync(join(home, 'PG_VERSION')));
      } finally {
        await store.close();
      }
    } finally {
      if (saved === undefined) delete process.env.STRATA_CACHE_DIR;
      else process.env.STRATA_CACHE_DIR = saved;
    }
  });

  test('without a writable cache there is no template, and stores are made as before', async () => {
    const blocked = join(root, 'blocked');
    writeFileSync(blocked, 'a file where the cache folder should be');
    chmodSync(blocked, 0o444);
    assert.equal(await storeTemplate(join(blocked, 'cache')), null);
    const store = await PGliteStore.open(join(root, 'plain'), { template: null });
    try {
      assert.equal((await store.query('SELECT 1 AS one'))[0].one, 1);
    } finally {
      await store.close();
    }
  });
});
