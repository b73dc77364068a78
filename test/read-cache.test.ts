/**
 * Kept answers of read commands (cli/read-cache.ts, store/pglite/generation.ts, decision 56):
 * a read command is answered without opening the store only while the store is as it was, and
 * every way of changing the store ends that.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { EXIT } from '../src/cli/exit-codes.js';
import { importSolution } from '../src/engine/import.js';
import { buildSolutionZip } from '../src/package/build.js';
import { fileNameOf, mayWrite, readGeneration } from '../src/store/pglite/generation.js';
import { openStore } from '../src/store/open.js';
import { contosoV1, fabrikamLinks } from './support/contoso.js';
import { buildPackage } from './support/package-builder.js';
import { runCli, useTempHome } from './support/cli.js';

const home = (): string => process.env.STRATA_HOME!;
/** The kept answers (read-cache/ holds the copy of an environment's layers too: read-copy.test.ts) */
const kept = (): string[] =>
  existsSync(join(home(), 'read-cache'))
    ? readdirSync(join(home(), 'read-cache')).filter((f) => /^[0-9a-f]{32}\.kept$/.test(f))
    : [];
/** A kept answer's first line: its key, generation, exit code and pieces' lengths. */
const keptHead = (f: string): { key: string; generation: string } =>
  JSON.parse(readFileSync(join(home(), 'read-cache', f), 'utf8').split('\n', 1)[0]) as {
    key: string;
    generation: string;
  };

describe('kept answers of read commands (embedded store)', () => {
  const dir = useTempHome('strata-read-cache-');

  test('a read that wrote nothing is kept; while the store is held elsewhere it still answers', async () => {
    // first use: the default environment is made (a write): nothing is kept of that session
    // as it ran, but the write leaves what list and history now answer (ALWAYS_LEFT)
    const first = await runCli('list');
    assert.equal(first.code, 0, first.err);
    assert.equal(kept().length, 2, 'list and history, left by the write');
    const generation = readGeneration(home());
    assert.notEqual(generation, '', 'making the environment started a generation');

    const components = await runCli('components');
    assert.equal(components.code, 0, components.err);
    assert.equal(kept().length, 3, 'components, which wrote nothing, is kept');
    assert.equal(readGeneration(home()), generation, 'reading changed nothing');

    // with the store open here, a command that needs it is refused (STORE_IN_USE), and the
    // kept list is printed without it
    let layers: { code: number; out: string; err: string };
    const store = await openStore();
    try {
      assert.equal(readGeneration(home()), generation, 'opening a migrated store writes nothing');
      const again = await runCli('list');
      assert.equal(again.code, 0, again.err);
      assert.equal(again.out, first.out);
      assert.equal((await runCli('components')).out, components.out);
      // never asked, and answered all the same: from the copy of the environment's layers that
      // the write left (decision 67)
      layers = await runCli('layers', 'entity', 'account');
      assert.equal(layers.code, 0, layers.err);
      process.env.STRATA_READ_CACHE = '0';
      const off = await runCli('list');
      assert.match(off.err, /STORE_IN_USE/, 'STRATA_READ_CACHE=0 always opens the store');
      const offLayers = await runCli('layers', 'entity', 'account');
      assert.equal(offLayers.code, EXIT.notFound);
      assert.match(offLayers.err, /STORE_IN_USE/, 'and so does layers');
    } finally {
      delete process.env.STRATA_READ_CACHE;
      await store.close();
    }
    process.env.STRATA_READ_CACHE = '0';
    try {
      assert.equal((await runCli('layers', 'entity', 'account')).out, layers.out);
    } finally {
      delete process.env.STRATA_READ_CACHE;
    }
  });

  test('an import through the CLI ends the kept answers; the next list shows it', async () => {
    const zip = join(dir, 'contoso.zip');
    writeFileSync(zip, buildSolutionZip(contosoV1()));
    const before = await runCli('list');
    assert.doesNotMatch(before.out, /ContosoProjects/);
    assert.ok(kept().length >= 1);
    const generation = readGeneration(home());
    const imp = await runCli('import', zip);
    assert.equal(imp.code, 0, imp.err);
    assert.notEqual(readGeneration(home()), generation);
    for (const f of kept())
      assert.equal(
        keptHead(f).generation,
        readGeneration(home()),
        'nothing kept under the old generation is left',
      );
    const after = await runCli('list');
    assert.match(after.out, /ContosoProjects/);
    const layers = await runCli('layers', 'entity', 'cnt_project');
    assert.equal(layers.code, 0, layers.err);
    assert.equal((await runCli('layers', 'entity', 'cnt_project')).out, layers.out);
  });

  test('a write by another way in (the engine on an open store) ends them too', async () => {
    const listed = await runCli('list');
    assert.equal((await runCli('list')).out, listed.out);
    const generation = readGeneration(home());
    const store = await openStore();
    try {
      await importSolution(store, {
        environment: 'default',
        source: buildSolutionZip(fabrikamLinks()),
      });
    } finally {
      await store.close();
    }
    assert.notEqual(readGeneration(home()), generation);
    const after = await runCli('list');
    assert.match(after.out, /FabrikamLinks/i);
    assert.notEqual(after.out, listed.out);
  });

  test('a write that rolls back has already ended them (the generation changes before it)', async () => {
    await runCli('components');
    await runCli('components');
    assert.ok(kept().length >= 1);
    const generation = readGeneration(home());
    const store = await openStore();
    try {
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.query('SELECT count(*) FROM environments');
          assert.equal(readGeneration(home()), generation, 'reads keep it');
          await tx.query("UPDATE environments SET name = name WHERE name = 'default'");
          assert.notEqual(readGeneration(home()), generation, 'before the write ran');
          assert.deepEqual(kept(), []);
          throw new Error('rolled back');
        }),
        /rolled back/,
      );
    } finally {
      await store.close();
    }
  });

  test('a failed read is not kept; the answer after the cause is fixed is the new one', async () => {
    const missing = await runCli('layers', 'entity', 'new_nosuch');
    assert.notEqual(missing.code, 0);
    const files = kept();
    const again = await runCli('layers', 'entity', 'new_nosuch');
    assert.equal(again.code, missing.code);
    assert.deepEqual(kept(), files, 'nothing kept for a failure');
  });

  test('a kept file cut short or naming another command is not printed', async () => {
    const a = await runCli('history');
    await runCli('history');
    const [file] = kept().filter((f) =>
      readFileSync(join(home(), 'read-cache', f), 'utf8').includes('history'),
    );
    assert.ok(file);
    const path = join(home(), 'read-cache', file);
    const whole = readFileSync(path, 'utf8');
    // cut inside the first line, inside the text, and with text after the pieces
    for (const text of [whole.slice(0, 9), whole.slice(0, -10), `${whole}more`]) {
      writeFileSync(path, text);
      const b = await runCli('history');
      assert.equal(b.out, a.out);
      assert.doesNotMatch(b.out, /more$/);
    }
    const head = JSON.parse(whole.split('\n', 1)[0]) as { key: string };
    // the old format (one JSON value) is not an answer either
    writeFileSync(path, JSON.stringify({ ...head, out: ['forged'], err: [], code: 0 }));
    assert.equal((await runCli('history')).out, a.out);
    const forged = { ...head, key: 'other', out: ['forged'.length], err: [] };
    writeFileSync(path, `${JSON.stringify(forged)}\nforged`);
    const c = await runCli('history');
    assert.equal(c.out, a.out, 'a file whose key is another command is not this one');
    // and one whole, of this command and generation, is what is printed, piece by piece
    writeFileSync(path, `${JSON.stringify({ ...head, out: [2, 1], err: [] })}\nabc`);
    assert.equal((await runCli('history')).out, 'ab\nc\n');
  });
  test('a command that wrote leaves the answers of the reads asked lately, as they now are', async () => {
    // asked (and kept) before the change
    for (const args of [['list'], ['history'], ['layers', 'entity', 'cnt_project']]) {
      await runCli(...args);
      assert.equal((await runCli(...args)).code, 0);
    }
    const zip = join(dir, 'library.zip');
    writeFileSync(
      zip,
      buildPackage({
        uniqueName: 'Library',
        version: '1.0.0.0',
        managed: true,
        entities: [{ name: 'new_book', attributes: ['new_bookid', 'new_name'] }],
      }),
    );
    const imp = await runCli('import', zip);
    assert.equal(imp.code, 0, imp.err);
    const generation = readGeneration(home());
    const left = kept().map(keptHead);
    const commands = left.map((k) =>
      (JSON.parse(k.key) as string[][]).slice(1, 3).flat().join(' '),
    );
    for (const c of ['list', 'history', 'layers entity cnt_project'])
      assert.ok(commands.includes(c), `${c} was answered again by the import (${commands})`);

    // answered while the store is held here: without opening it, and as it is now
    const answers: string[] = [];
    const store = await openStore();
    try {
      for (const args of [['list'], ['history'], ['layers', 'entity', 'cnt_project']]) {
        const r = await runCli(...args);
        assert.equal(r.code, 0, `${args.join(' ')}: ${r.err}`);
        answers.push(r.out);
      }
    } finally {
      await store.close();
    }
    assert.match(answers[0], /^Library /m, 'the list left by the import shows it');
    assert.match(answers[1], /Library/, 'so does the history');
    process.env.STRATA_READ_CACHE = '0';
    try {
      assert.equal((await runCli('list')).out, answers[0]);
      assert.equal((await runCli('history')).out, answers[1]);
      assert.equal((await runCli('layers', 'entity', 'cnt_project')).out, answers[2]);
    } finally {
      delete process.env.STRATA_READ_CACHE;
    }
    assert.equal(readGeneration(home()), generation, 'reading them changed nothing');
  });

  test('a write leaves nothing for a long answer, a failing read or another STRATA_ENV', async () => {
    const asked = join(home(), 'read-asked.json');
    const version = JSON.parse(
      readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8'),
    ).version as string;
    const entry = (words: string[], argv: string[], env: string | null, chars: number) => ({
      words,
      argv,
      env,
      version,
      chars,
    });
    writeFileSync(
      asked,
      JSON.stringify([
        entry(['components'], [], null, 1_000_000),
        entry(['layers'], ['entity', 'new_nosuch'], null, 10),
        entry(['list'], [], 'elsewhere', 10),
        entry(['history'], [], null, 10),
      ]),
    );
    const made = await runCli('env', 'create', 'another', '--template', 'bare');
    assert.equal(made.code, 0, made.err);
    const left = kept().map(keptHead);
    assert.deepEqual(
      left.map((k) => JSON.parse(k.key)[1]).sort(),
      [['history'], ['list']],
      'only the short, working read of this STRATA_ENV was answered again, and list (ALWAYS_LEFT)',
    );
    const lists = left.filter((k) => JSON.parse(k.key)[1][0] === 'list');
    assert.deepEqual(
      lists.map((k) => JSON.parse(k.key)[3]),
      [null],
      'list of this STRATA_ENV, not the one asked with another',
    );
  });
});

describe('the reads a write leaves behind never write', () => {
  useTempHome('strata-read-left-');
  const names = async (): Promise<string[]> => {
    process.env.STRATA_READ_CACHE = '0';
    try {
      const r = await runCli('env', 'list', '--json');
      assert.equal(r.code, 0, r.err);
      return (JSON.parse(r.out) as Array<{ name: string }>).map((e) => e.name).sort();
    } finally {
      delete process.env.STRATA_READ_CACHE;
    }
  };

  test('env create in a new home makes no default environment; a deleted one stays deleted', async () => {
    // `list` is left by every write, and on first use it makes the default environment: left
    // behind a write it must not
    const made = await runCli('env', 'create', 'foo', '--template', 'bare');
    assert.equal(made.code, 0, made.err);
    assert.deepEqual(await names(), ['foo']);
    assert.equal((await runCli('list')).code, 0);
    assert.deepEqual(await names(), ['default', 'foo'], 'list itself makes it, as on first use');
    const gone = await runCli('env', 'delete', 'default');
    assert.equal(gone.code, 0, gone.err);
    assert.deepEqual(await names(), ['foo']);
  });
});

describe('the names of kept files (store/pglite/generation.ts fileNameOf)', () => {
  test('32 hex digits, the same for the same text, different for texts that differ a little', () => {
    const texts = [
      '',
      'bench',
      'Bench',
      'bench1',
      'bench2',
      '1bench',
      '["0.1.0",["list"],[],"default"]',
      '["0.1.0",["list"],[],"defaulu"]',
      '["0.1.0",["history"],[],"default"]',
      'ワークオーダー',
      ...Array.from({ length: 2000 }, (_, i) => `env${i}`),
    ];
    const names = texts.map(fileNameOf);
    for (const n of names) assert.match(n, /^[0-9a-f]{32}$/);
    assert.equal(new Set(names).size, texts.length);
    assert.equal(fileNameOf('bench'), names[1]);
    // the four parts are not one hash four times
    const parts = names[1].match(/.{8}/g)!;
    assert.equal(new Set(parts).size, 4, names[1]);
  });
});

describe('which statements may write (store/pglite/generation.ts)', () => {
  test('reads', () => {
    for (const sql of [
      'SELECT 1',
      '  select * from layers where env_id = $1',
      '-- a comment\nSELECT x FROM t',
      '/* c */ WITH a AS (SELECT 1) SELECT * FROM a',
      'BEGIN',
      'COMMIT',
      "SET LOCAL statement_timeout = '1s'",
      'SHOW server_version',
      'SELECT updated_on FROM solutions',
      "SELECT pg_advisory_xact_lock(hashtextextended('x', 0))",
    ])
      assert.equal(mayWrite(sql), false, sql);
  });
  test('writes', () => {
    for (const sql of [
      'INSERT INTO t VALUES (1)',
      'update t set a = 1',
      'DELETE FROM t',
      'CREATE TABLE t (a int)',
      'ALTER TABLE t ADD b int',
      'DROP TABLE t',
      'TRUNCATE t',
      'COPY t FROM stdin',
      'ANALYZE t',
      'WITH d AS (DELETE FROM t RETURNING *) SELECT count(*) FROM d',
      "SELECT nextval('s')",
      'SELECT * INTO t2 FROM t',
      'SELECT revision FROM environments WHERE id = $1 FOR NO KEY UPDATE',
      'EXPLAIN ANALYZE INSERT INTO t VALUES (1)',
      'VACUUM',
      '',
    ])
      assert.equal(mayWrite(sql), true, sql);
  });
});
