/**
 * The copy of an environment's layers that a write leaves for `strata components` and `strata
 * layers` (store/pglite/read-copy.ts, decision 67). What a read computes from the copy must be
 * exactly what it computes from the database: the component list (and by type) and every
 * component's layers, with and without their XML, on an environment with first-party layers,
 * two managed solutions stacked, an unmanaged Active layer with drafts, workflows shown by their
 * category, forms merged, web resources with files, and keys that COPY's text format escapes or
 * that JavaScript and collation C order differently. Then, through the CLI: the reads are
 * answered from the copy while another process holds the store, a later write replaces it, and a
 * copy whose chunks are gone gives way to the store.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DEFAULT_TEMPLATE } from '../src/catalog/templates.js';
import { EXIT } from '../src/cli/exit-codes.js';
import { describeLayers } from '../src/engine/layers.js';
import { importSolution } from '../src/engine/import.js';
import { createEnvironment, findEnvironment } from '../src/store/environments.js';
import { openStore } from '../src/store/open.js';
import { readGeneration } from '../src/store/pglite/generation.js';
import type { PGliteStore } from '../src/store/pglite/adapter.js';
import { compareCodePoints, readCopy, writeReadCopy } from '../src/store/pglite/read-copy.js';
import { listComponents } from '../src/store/queries.js';
import type { Store } from '../src/store/store.js';
import { runCli, useTempHome } from './support/cli.js';
import { buildPackage } from './support/package-builder.js';

const home = (): string => process.env.STRATA_HOME!;

const BOOK = {
  name: 'new_book',
  attributes: ['new_bookid', 'new_name', 'new_isbn'],
  forms: [{ name: 'Book', fields: ['new_name', 'new_isbn'] }],
  views: [{ name: 'Active Books', columns: ['new_name'] }],
};
const library = buildPackage({
  uniqueName: 'Library',
  version: '1.0.0.0',
  managed: true,
  entities: [BOOK, { name: 'new_shelf', attributes: ['new_shelfid', 'new_name'] }],
  webResources: [
    { name: 'new_/scripts/book.js', content: 'function onLoad() {}\n' },
    { name: 'new_/images/shelf.svg', content: '<svg xmlns="http://www.w3.org/2000/svg"/>' },
  ],
  workflows: [
    { name: 'Notify on new book', category: 5, primaryEntity: 'new_book' },
    { name: 'ISBN required', category: 2, primaryEntity: 'new_book' },
  ],
});
const extras = buildPackage({
  uniqueName: 'LibraryExtras',
  version: '1.0.0.0',
  managed: true,
  entities: [
    {
      ...BOOK,
      displayName: 'Book (extended)',
      attributes: [...BOOK.attributes, 'new_pages'],
      forms: [{ name: 'Book', fields: ['new_name', 'new_isbn', 'new_pages'] }],
    },
  ],
});
const local = buildPackage({
  uniqueName: 'LocalChanges',
  version: '1.0.0.0',
  managed: false,
  entities: [
    { ...BOOK, displayName: 'Book (local)', attributes: [...BOOK.attributes, 'new_pages'] },
  ],
});

/** Keys COPY escapes (tab, newline, backslash) or that `<` orders unlike collation C. */
const ODD_KEYS = [
  'new_/a\tb.js',
  'new_/c\nd.js',
  'new_/e\\f.js',
  'new_/\u{1F600}.js',
  'new_/\uFFFD.js',
  'new_/é.js',
  'new_/\\N',
];

function copySource(store: Store) {
  const pglite = store as PGliteStore;
  return {
    query: store.query.bind(store),
    copyOutToFile: pglite.copyOutToFile.bind(pglite),
  };
}

describe('the copy of an environment’s layers answers as the database does', () => {
  useTempHome('strata-read-copy-');

  test('components and every component’s layers, from the copy and from the store', async () => {
    const store = await openStore();
    try {
      await createEnvironment(store, 'rich', DEFAULT_TEMPLATE);
      for (const source of [library, extras, local])
        await importSolution(store, { environment: 'rich', source });
      const env = await findEnvironment(store, 'rich');
      for (const [i, key] of ODD_KEYS.entries()) {
        await store.query(
          `INSERT INTO layers (env_id, type, key, solution, kind, ordinal, xml, name, draft_xml)
           VALUES ($1, 'webresource', $2, 'Active', 'active', 9000000000, $3, $4, $5)`,
          [
            env.id,
            key,
            `<WebResource><Name>${i}</Name><Description>tab\there\nline\\slash</Description></WebResource>`,
            `Odd\t${i}\n\\name`,
            i % 2
              ? `<WebResource><Name>${i}</Name><Description>draft</Description></WebResource>`
              : null,
          ],
        );
      }
      const files = await store.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM layer_files WHERE env_id = $1',
        [env.id],
      );
      assert.ok(files[0].n > 0, 'the web resources brought files: their paths are copied too');

      const generation = readGeneration(home());
      assert.notEqual(generation, '');
      assert.equal(await writeReadCopy(copySource(store), home(), generation, 'rich'), true);
      const copy = readCopy(home(), 'rich');
      assert.ok(copy, 'the copy is read under the generation it was written under');
      assert.equal(readCopy(home(), 'other'), undefined, 'a copy is of one environment');

      const rows = await listComponents(store, env.id);
      assert.deepEqual(await listComponents(copy, env.id), rows);
      for (const type of ['entity', 'workflow', 'webresource', 'systemform'])
        assert.deepEqual(
          await listComponents(copy, env.id, { type }),
          await listComponents(store, env.id, { type }),
          type,
        );
      // what the rows hold, so that the comparison above compares something
      const byKey = new Map(rows.map((r) => [`${r.type} ${r.key}`, r]));
      assert.equal(byKey.get('entity new_book')?.layers, 3);
      assert.equal(byKey.get('entity new_book')?.unpublished, true);
      const flows = rows.filter((r) => r.type === 'workflow');
      assert.equal(flows.length, 2);
      assert.equal(
        new Set(flows.map((r) => r.displayType)).size,
        2,
        'each workflow shown by its category, read from its definition in a chunk',
      );
      const odd = rows.filter((r) => ODD_KEYS.includes(r.key)).map((r) => r.key);
      assert.deepEqual(odd, [...ODD_KEYS].sort(compareCodePoints), 'collation C’s order');
      assert.notDeepEqual(odd, [...ODD_KEYS].sort(), 'which is not JavaScript’s');

      let compared = 0;
      for (const r of rows)
        for (const xml of [false, true]) {
          assert.deepEqual(
            await describeLayers(copy, env, r.type, r.key, { xml }),
            await describeLayers(store, env, r.type, r.key, { xml }),
            `${r.type} ${r.key}`,
          );
          compared++;
        }
      assert.ok(compared > 40, `${compared} views compared`);
      // a component only the template has: no stored layer, and the same answer
      assert.deepEqual(
        await describeLayers(copy, env, 'entity', 'account'),
        await describeLayers(store, env, 'entity', 'account'),
      );
      await assert.rejects(describeLayers(copy, env, 'entity', 'new_nosuch'), /No entity/);
    } finally {
      await store.close();
    }
    // the copy is written as its session ends (cli/read-cache.ts leaveAnswers); the next
    // session that writes starts a new generation, and the copy is of a state that is gone
    const next = await openStore();
    try {
      const env = await findEnvironment(next, 'rich');
      assert.ok(readCopy(home(), 'rich'), 'opening the store changes nothing');
      await next.query(
        `UPDATE layers SET name = 'Renamed' WHERE env_id = $1 AND key = 'new_shelf'`,
        [env.id],
      );
      assert.equal(readCopy(home(), 'rich'), undefined, 'a new generation: the copy is void');
      // an environment larger than the limit is not copied
      assert.equal(
        await writeReadCopy(copySource(next), home(), readGeneration(home()), 'rich', {
          maxLayers: 5,
        }),
        false,
      );
      assert.equal(readCopy(home(), 'rich'), undefined);
      assert.equal(
        await writeReadCopy(copySource(next), home(), readGeneration(home()), 'nosuch'),
        false,
        'nor one that does not exist',
      );
    } finally {
      await next.close();
    }
  });
});

describe('the CLI reads the copy a write left', () => {
  const dir = useTempHome('strata-read-copy-cli-');
  const copyFiles = (): string[] =>
    existsSync(join(home(), 'read-cache'))
      ? readdirSync(join(home(), 'read-cache')).filter((f) => f.startsWith('layers-'))
      : [];
  const contentDir = (): string => join(home(), 'read-copy-content');
  const fromStore = async (...args: string[]) => {
    process.env.STRATA_READ_CACHE = '0';
    try {
      return await runCli(...args);
    } finally {
      delete process.env.STRATA_READ_CACHE;
    }
  };

  test('after an import, components and layers answer without the store, as it would', async () => {
    const zip = join(dir, 'library.zip');
    writeFileSync(zip, library);
    assert.equal((await runCli('env', 'create', 'lib', '--template', 'bare')).code, 0);
    const imp = await runCli('import', zip, '--env', 'lib');
    assert.equal(imp.code, 0, imp.err);
    assert.equal(copyFiles().length, 2, 'the copy: its header and its rows');

    const listed = await runCli('components', '--env', 'lib', '--json');
    const form = (JSON.parse(listed.out) as Array<{ type: string; key: string }>).find(
      (c) => c.type === 'systemform',
    );
    assert.ok(form, listed.out);
    const asked = [
      ['components', '--env', 'lib'],
      ['components', '--env', 'lib', '--type', 'workflow'],
      ['layers', 'entity', 'new_book', '--env', 'lib'],
      ['layers', 'systemform', form.key, '--env', 'lib', '--xml'],
      ['layers', 'webresource', 'new_/scripts/book.js', '--env', 'lib', '--json'],
    ];
    const answers: string[] = [];
    const store = await openStore();
    try {
      for (const args of asked) {
        const r = await runCli(...args);
        assert.equal(r.code, 0, `${args.join(' ')}: ${r.err}`);
        answers.push(r.out);
      }
      // one solution's components need its members: the store, held here
      const one = await runCli('components', '--env', 'lib', '--solution', 'Library');
      assert.equal(one.code, EXIT.notFound);
      assert.match(one.err, /STORE_IN_USE/);
      // another environment has no copy
      const other = await runCli('components', '--env', 'default');
      assert.match(other.err, /STORE_IN_USE/);
    } finally {
      await store.close();
    }
    for (const [i, args] of asked.entries())
      assert.equal((await fromStore(...args)).out, answers[i], args.join(' '));
    assert.match(answers[0], /new_book/);
    assert.match(answers[2], /Library/);
  });

  test('a later write replaces the copy; a chunk no copy names goes after a while', async () => {
    const header = (): { generation: string; content: string[][] } => {
      const [f] = copyFiles().filter((n) => n.endsWith('.json'));
      return JSON.parse(readFileSync(join(home(), 'read-cache', f), 'utf8'));
    };
    const first = header();
    // a chunk file no copy names, written long ago, and one written just now (a read of an
    // older copy may still want it)
    writeFileSync(join(contentDir(), 'stale.bin'), 'x');
    utimesSync(join(contentDir(), 'stale.bin'), new Date(0), new Date(0));
    writeFileSync(join(contentDir(), 'recent.bin'), 'x');
    const v2 = join(dir, 'library-2.zip');
    writeFileSync(
      v2,
      buildPackage({
        uniqueName: 'Library',
        version: '2.0.0.0',
        managed: true,
        entities: [{ ...BOOK, displayName: 'Book v2' }],
      }),
    );
    const up = await runCli('import', v2, '--env', 'lib');
    assert.equal(up.code, 0, up.err);
    const second = header();
    assert.notEqual(second.generation, first.generation);
    assert.equal(copyFiles().length, 2, 'one copy: the one of the store as it is now');
    const layers = await runCli('layers', 'entity', 'new_book', '--env', 'lib');
    assert.equal(layers.out, (await fromStore('layers', 'entity', 'new_book', '--env', 'lib')).out);
    assert.match(layers.out, /2\.0\.0\.0/);
    const files = readdirSync(contentDir());
    for (const [, , , f] of second.content) assert.ok(files.includes(f), `${f} is kept`);
    assert.ok(!files.includes('stale.bin'), 'a chunk no copy names, old, is gone');
    assert.ok(files.includes('recent.bin'), 'a recent one stays a while');
  });

  test('a copy whose chunks are gone gives way to the store', async () => {
    const expected = await fromStore('layers', 'entity', 'new_book', '--env', 'lib', '--xml');
    rmSync(contentDir(), { recursive: true, force: true });
    const r = await runCli('layers', 'entity', 'new_book', '--env', 'lib', '--xml');
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, expected.out);
  });
});
