import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CATALOG_ID } from '../src/catalog/catalog.js';
import { importSolution } from '../src/engine/import.js';
import { buildSolutionZip, sampleSolution, type SolutionSpec } from '../src/package/build.js';
import { readPackage } from '../src/package/read.js';
import { insertRows, type ColumnSpec } from '../src/store/bulk.js';
import { createEnvironment, deleteEnvironment } from '../src/store/environments.js';
import { loadJob } from '../src/store/jobs.js';
import { packContent } from '../src/store/layer-content.js';
import { migrate } from '../src/store/migrations.js';
import { componentLayers, listComponents, listSolutions } from '../src/store/queries.js';
import { findEnvironment } from '../src/store/environments.js';
import type { Store } from '../src/store/store.js';
import { STORE_CASES } from './support/stores.js';

/** Values that break naive COPY or JSON encodings. */
const AWKWARD = [
  'plain',
  'tab\there',
  'line\nbreak',
  'carriage\rreturn',
  'back\\slash',
  '\\N',
  '\\.',
  '',
  'ünïcødé ✓ 𝄞',
  '"quoted" \'single\'',
  'a\\tb',
];

/**
 * 2,000 components of generated tables: customizations.xml over 2 MB, so managed XML spans several
 * chunks.
 */
function bigSpec(): SolutionSpec {
  return {
    uniqueName: 'BigOne',
    displayName: 'Big One',
    version: '1.0.0.0',
    managed: true,
    publisher: {
      uniqueName: 'bigpub',
      displayName: 'Big',
      prefix: 'big',
      optionValuePrefix: 41000,
    },
    tables: Array.from({ length: 100 }, (_, t) => ({
      name: `big_Table${t}`,
      display: `Table ${t}`,
      forms: 1,
      views: 2,
      columns: Array.from({ length: 16 }, (_, c) => ({
        name: `big_Col${c}`,
        display: `Column ${c} – “ü”`,
        type: c % 2 ? ('nvarchar' as const) : ('int' as const),
      })),
    })),
  };
}

describe('layer content packing', () => {
  test('packs definitions into chunks and points at each one exactly', () => {
    const xmls = Array.from({ length: 3000 }, (_, i) => `<x i="${i}">${'é'.repeat(i % 700)}</x>`);
    const { refs, chunks } = packContent(xmls, 64 * 1024);
    assert.ok(chunks.length > 5, 'several chunks');
    assert.ok(
      chunks.every(
        (c) =>
          c.length <= 64 * 1024 || c.length === xmls.find((x) => x.length === c.length)?.length,
      ),
      'chunks stay within the size unless one definition is larger',
    );
    xmls.forEach((x, i) =>
      assert.equal(chunks[refs[i].chunk].slice(refs[i].start, refs[i].start + refs[i].length), x),
    );
  });
});

for (const sc of STORE_CASES) {
  describe(`store (${sc.name})`, { skip: sc.skip }, () => {
    let store: Store;
    before(async () => {
      store = await sc.open();
    });
    after(async () => {
      await store?.close();
    });

    test('bulk insert round-trips awkward values, with and without a conflict clause', async () => {
      await store.query(
        'CREATE TABLE bulk_probe (id int PRIMARY KEY, t text, n bigint, b bytea, f boolean)',
      );
      const cols: ColumnSpec[] = [
        ['id', 'int'],
        ['t', 'text'],
        ['n', 'bigint'],
        ['b', 'bytea'],
        ['f', 'boolean'],
      ];
      const bytes = new Uint8Array(256).map((_, i) => i);
      const rows = AWKWARD.map((t, i) => [
        i,
        t,
        i === 3 ? null : Number.MAX_SAFE_INTEGER - i,
        i === 0 ? bytes : i === 1 ? null : new Uint8Array([i, 0, 92, 9, 10]),
        i % 2 === 0,
      ]);
      await store.transaction((tx) => insertRows(tx, 'bulk_probe', cols, rows));
      // the conflict path: same keys again with other text, upserted
      await store.transaction((tx) =>
        insertRows(
          tx,
          'bulk_probe',
          cols,
          rows.map((r) => [r[0], `${r[1]}!`, r[2], r[3], r[4]]),
          'ON CONFLICT (id) DO UPDATE SET t = EXCLUDED.t',
        ),
      );
      const back = await store.query<{
        id: number;
        t: string;
        n: number | string | null;
        b: string | null;
        f: boolean;
      }>("SELECT id, t, n, encode(b, 'hex') AS b, f FROM bulk_probe ORDER BY id");
      assert.equal(back.length, AWKWARD.length);
      back.forEach((r, i) => {
        assert.equal(r.t, `${AWKWARD[i]}!`, `text of row ${i}`);
        assert.equal(
          r.n === null ? null : Number(r.n),
          i === 3 ? null : Number.MAX_SAFE_INTEGER - i,
        );
        const want = rows[i][3] as Uint8Array | null;
        assert.equal(
          r.b,
          want === null ? null : Buffer.from(want).toString('hex'),
          `bytes of row ${i}`,
        );
        assert.equal(r.f, i % 2 === 0);
      });
      await store.query('DROP TABLE bulk_probe');
    });

    test('a managed import keeps every definition exactly across compressed chunks', async () => {
      await createEnvironment(store, 'chunks', CATALOG_ID);
      const zip = buildSolutionZip(bigSpec());
      const pkg = readPackage(zip);
      assert.ok(
        pkg.customizationsXml.length > 2 * 1024 * 1024,
        'the package spans more than two chunks',
      );
      await importSolution(store, { environment: 'chunks', source: zip });
      const env = await findEnvironment(store, 'chunks');
      const chunks = await store.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM layer_content WHERE env_id = $1',
        [env.id],
      );
      assert.ok(chunks[0].n >= 2, `chunks: ${chunks[0].n}`);
      const layered = pkg.components.filter((c) => !(c as { shell?: boolean }).shell);
      // every 97th component plus the first and last of the package
      for (const c of [
        layered[0],
        ...layered.filter((_, i) => i % 97 === 0),
        layered[layered.length - 1],
      ]) {
        const { layers } = await componentLayers(store, env.id, c.type, c.key);
        const managed = layers.find((l) => l.solution === 'BigOne');
        assert.ok(managed, `${c.type} ${c.key} has its managed layer`);
        assert.equal(managed.xml, c.xml, `${c.type} ${c.key}: stored XML equals the package's`);
        assert.equal(managed.hash, c.hash);
      }
      const [solution] = await listSolutions(store, env.id);
      assert.equal(
        solution.components,
        pkg.components.length,
        'membership counts every component of the package',
      );
      assert.equal(
        (await listComponents(store, env.id, { solution: 'BigOne' })).length,
        layered.length,
      );
    });

    test("deleting an environment removes its rows in every table, no one else's", async () => {
      await createEnvironment(store, 'doomed', CATALOG_ID);
      await createEnvironment(store, 'kept', CATALOG_ID);
      await importSolution(store, {
        environment: 'doomed',
        source: buildSolutionZip(sampleSolution()),
      });
      await importSolution(store, {
        environment: 'kept',
        source: buildSolutionZip(sampleSolution()),
      });
      const doomed = (await findEnvironment(store, 'doomed')).id;
      const kept = (await findEnvironment(store, 'kept')).id;
      const count = async (id: number): Promise<number[]> =>
        Promise.all(
          [
            'layers',
            'layer_files',
            'layer_content',
            'solution_components',
            'solutions',
            'publishers',
            'import_jobs',
            'history',
          ].map(async (t) =>
            Number(
              (
                await store.query<{ n: number }>(
                  `SELECT count(*)::int AS n FROM ${t} WHERE env_id = $1`,
                  [id],
                )
              )[0].n,
            ),
          ),
        );
      const before = await count(kept);
      assert.ok(
        (await count(doomed)).every((n, i) => i === 3 || n > 0),
        'the doomed environment had rows to lose',
      );
      await deleteEnvironment(store, 'doomed');
      assert.deepEqual(await count(doomed), [0, 0, 0, 0, 0, 0, 0, 0]);
      assert.deepEqual(await count(kept), before);
    });
  });

  describe(
    `migration 2 keeps data written under migration 1 (${sc.name})`,
    { skip: sc.skip },
    () => {
      let store: Store;
      before(async () => {
        store = await sc.open({ upTo: 1 });
      });
      after(async () => {
        await store?.close();
      });

      test('components, names, membership and job results survive the move', async () => {
        await store.query("INSERT INTO environments (name, base) VALUES ('old', 'empty')");
        const env = Number(
          (await store.query<{ id: number }>("SELECT id FROM environments WHERE name = 'old'"))[0]
            .id,
        );
        await store.query(
          `INSERT INTO solutions
             (env_id, unique_name, friendly_name, version, managed, publisher, install_order,
              manifest)
           VALUES ($1, 'Man', 'Man', '1.0.0.0', true, 'p', 1, '{}'),
             ($1, 'Unman', 'Unman', '1.0.0.0', false, 'p', 2, '{}')`,
          [env],
        );
        await store.query(
          `INSERT INTO components (env_id, type, key, name, parent_type, parent_key) VALUES
        ($1, 'entity', 'p_t', 'T', NULL, NULL), ($1, 'attribute', 'p_t.p_c', 'C', 'entity', 'p_t')`,
          [env],
        );
        await store.query(
          `INSERT INTO layers (env_id, type, key, solution, kind, ordinal, xml, hash) VALUES
        ($1, 'entity', 'p_t', 'Man', 'managed', 1000000, '<Entity/>', 'h1'),
        ($1, 'attribute', 'p_t.p_c', 'Man', 'managed', 1000000, '<attribute/>', 'h2'),
        ($1, 'attribute', 'p_t.p_c', 'Active', 'active', 9007199254740991, '<attribute a="1"/>',
         'h3')`,
          [env],
        );
        await store.query(
          `INSERT INTO solution_components (env_id, solution, type, key, root_behavior) VALUES
        ($1, 'Man', 'entity', 'p_t', 0), ($1, 'Man', 'attribute', 'p_t.p_c', NULL),
        ($1, 'Unman', 'attribute', 'p_t.p_c', NULL)`,
          [env],
        );
        await store.query(
          `INSERT INTO import_jobs
             (id, env_id, solution_name, operation, status, solution, options)
           VALUES ('00000000-0000-0000-0000-000000000001', $1, 'Man', 'import', 'succeeded',
             '{"uniqueName":"Man"}', '{}')`,
          [env],
        );
        await store.query(`INSERT INTO import_job_results
             (job_id, seq, type, key, name, result, action, code, message, duration_ms)
           VALUES
             ('00000000-0000-0000-0000-000000000001', 1, 'entity', 'p_t', 'T', 'success', 'added',
              '', 'ok', 1.5),
             ('00000000-0000-0000-0000-000000000001', 2, 'attribute', 'p_t.p_c', 'C', 'success',
              'added', '', 'ok', 0.5)`);

        await migrate(store);

        assert.deepEqual(
          (
            await store.query(
              'SELECT type, key, name, parent_type, parent_key FROM components ORDER BY type, key',
            )
          ).map((r) => Object.values(r)),
          [
            ['attribute', 'p_t.p_c', 'C', 'entity', 'p_t'],
            ['entity', 'p_t', 'T', null, null],
          ],
        );
        assert.deepEqual(
          (
            await store.query(
              'SELECT solution, type, key, root_behavior FROM solution_members ' +
                'ORDER BY solution, type, key',
            )
          ).map((r) => Object.values(r)),
          [
            ['Man', 'attribute', 'p_t.p_c', null],
            ['Man', 'entity', 'p_t', 0],
            ['Unman', 'attribute', 'p_t.p_c', null],
          ],
        );
        assert.equal(
          Number(
            (await store.query<{ n: number }>('SELECT count(*) AS n FROM solution_components'))[0]
              .n,
          ),
          1,
          'managed members now live on their layers',
        );
        const job = await loadJob(store, '00000000-0000-0000-0000-000000000001', (t) => t);
        assert.deepEqual(
          job.results.map((r) => [r.seq, r.key, r.durationMs]),
          [
            [1, 'p_t', 1.5],
            [2, 'p_t.p_c', 0.5],
          ],
        );
        const { layers } = await componentLayers(store, env, 'attribute', 'p_t.p_c');
        assert.deepEqual(
          layers.map((l) => [l.solution, l.xml]),
          [
            ['Active', '<attribute a="1"/>'],
            ['Man', '<attribute/>'],
          ],
        );
      });
    },
  );
}
