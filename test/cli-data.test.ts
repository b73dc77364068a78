import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { csvField, readCsv, type DataRecord } from '../src/cli/data-files.js';
import { buildPackage, guidFrom } from './support/package-builder.js';
import { PG_URL, STORE_CASES } from './support/stores.js';

/**
 * `strata data` end to end: the real CLI in its own process, on a solution whose table has a
 * column of each common type, with the embedded store (STRATA_HOME in a temporary folder) and
 * with PostgreSQL (DATABASE_URL whose connections use a private schema).
 */
const MAIN = join(import.meta.dirname, '..', 'src', 'cli', 'main.ts');

interface Exit {
  code: number | null;
  out: string;
  err: string;
}

/** `strata ARGS` in its own process, with `input` on its standard input. */
function strata(env: Record<string, string>, args: string[], input?: string): Promise<Exit> {
  const base = { ...process.env };
  delete base.STRATA_ENV;
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    env: { ...base, ...env },
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  child.stdin?.end(input);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, err })));
}

const BOOKS = buildPackage({
  uniqueName: 'Books',
  managed: true,
  entities: [
    {
      name: 'new_book',
      attributes: [
        'new_bookid',
        'new_name',
        'new_oldtitle',
        { name: 'new_pages', type: 'int' },
        { name: 'new_price', type: 'money', precision: 2 },
        { name: 'new_weight', type: 'float' },
        { name: 'new_instock', type: 'bit' },
        { name: 'new_genre', type: 'picklist', options: [1, 2, 3] },
        { name: 'new_tags', type: 'multiselectpicklist', options: [1, 2, 3, 4] },
        { name: 'new_published', type: 'datetime', behavior: 2 },
        { name: 'new_summary', type: 'memo', maxLength: 2000 },
      ],
    },
    {
      name: 'new_archive',
      attributes: ['new_archiveid', 'new_name', { name: 'new_pages', type: 'int' }],
    },
  ],
});

const COLUMNS = [
  'new_bookid',
  'new_name',
  'new_pages',
  'new_price',
  'new_weight',
  'new_instock',
  'new_genre',
  'new_tags',
  'new_published',
  'new_summary',
] as const;

/** Book i as a CSV row holds it: text, with commas, quotes, line breaks and blanks here and there. */
function bookText(i: number): string[] {
  const name =
    i === 42
      ? 'Ünïcødé ✓ 𝄞'
      : i % 7 === 0
        ? `Book ${i}, "the sequel"`
        : i % 11 === 0
          ? `Line one\nline ${i}`
          : i % 13 === 0
            ? `  padded ${i} `
            : `Book ${i}`;
  return [
    guidFrom(`book/${i}`),
    name,
    i % 50 === 0 ? '' : String(i),
    (i * 1.25).toFixed(2),
    (i / 8).toFixed(3),
    ['yes', 'no', '1', '0', 'TRUE', 'false'][i % 6],
    String((i % 3) + 1),
    ['', '1', '2,3', '4,1'][i % 4],
    `${1950 + (i % 70)}-0${(i % 9) + 1}-1${i % 9}`,
    i % 5 === 0 ? `Summary with "quotes", commas\r\nand CRLF ${i}` : `s${i}`,
  ];
}

/** Book i as the record API returns it: typed values, a multi-select as 1,2. */
function bookValues(i: number): Record<string, unknown> {
  const t = bookText(i);
  return {
    new_bookid: t[0],
    new_name: t[1],
    new_pages: t[2] === '' ? null : Number(t[2]),
    new_price: Number(t[3]),
    new_weight: Number(t[4]),
    new_instock: ['yes', '1', 'true'].includes(t[5].toLowerCase()),
    new_genre: Number(t[6]),
    new_tags: t[7] === '' ? null : t[7],
    new_published: t[8],
    new_summary: t[9],
  };
}

function csvOf(rows: string[][]): string {
  return (
    '\uFEFF' +
    rows.map((r) => r.map((f) => csvField(f === '' ? null : f)).join(',')).join('\r\n') +
    '\r\n'
  );
}

const ROWS = 3000;
const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, k) => from + k);

/** A CSV file's records typed as bookValues types them (the export writes text). */
function typedFromCsv(r: DataRecord): Record<string, unknown> {
  const num = (v: unknown): number | null => (v === null ? null : Number(v));
  return {
    ...Object.fromEntries(COLUMNS.map((c) => [c, r[c]])),
    new_pages: num(r.new_pages),
    new_price: num(r.new_price),
    new_weight: num(r.new_weight),
    new_instock: r.new_instock === null ? null : r.new_instock === 'true',
    new_genre: num(r.new_genre),
  };
}

async function csvRecords(file: string): Promise<DataRecord[]> {
  const out: DataRecord[] = [];
  for await (const r of readCsv(file)) out.push(r);
  return out;
}

function jsonLines(text: string): Array<Record<string, unknown>> {
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

const byId = <T extends Record<string, unknown>>(rows: T[], id = 'new_bookid'): Map<unknown, T> =>
  new Map(rows.map((r) => [r[id], r]));

const pick = (r: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(COLUMNS.map((c) => [c, r[c]]));

/** Where the store of one run lives: a PGlite folder, or a private PostgreSQL schema. */
async function storeFor(
  name: 'pglite' | 'postgres',
  dir: string,
): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  if (name === 'pglite')
    return { env: { STRATA_HOME: join(dir, 'home'), DATABASE_URL: '' }, drop: async () => {} };
  const schema = `strata_data_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const sep = PG_URL.includes('?') ? '&' : '?';
  const url = `${PG_URL}${sep}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  return {
    env: { DATABASE_URL: url },
    drop: async () => {
      const a = new pg.Client({ connectionString: PG_URL });
      await a.connect();
      // the environments' record schemas (store/record-names.ts) go with it
      const records = await a.query<{ nspname: string }>(
        'SELECT nspname FROM pg_namespace WHERE nspname LIKE $1',
        [`${schema}\\_\\_env\\_%`],
      );
      for (const r of records.rows) await a.query(`DROP SCHEMA "${r.nspname}" CASCADE`);
      await a.query(`DROP SCHEMA ${schema} CASCADE`);
      await a.end();
    },
  };
}

for (const sc of STORE_CASES) {
  describe(`strata data end to end (${sc.name})`, { skip: sc.skip }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-data-'));
    const file = (name: string): string => join(dir, name);
    let env: Record<string, string> = {};
    let drop = async (): Promise<void> => {};
    const run = (...args: string[]): Promise<Exit> => strata(env, args);
    const ok = async (...args: string[]): Promise<string> => {
      const r = await run(...args);
      assert.equal(r.code, 0, `strata ${args.join(' ')}: ${r.err}${r.out}`);
      return r.out;
    };
    const count = async (table: string): Promise<number> =>
      JSON.parse(await ok('data', 'count', table, '--json')).records;

    before(async () => {
      ({ env, drop } = await storeFor(sc.name, dir));
      writeFileSync(file('books.zip'), BOOKS);
      await ok('import', file('books.zip'));
    });
    after(async () => {
      await drop();
      rmSync(dir, { recursive: true, force: true });
    });

    test(`a CSV of ${ROWS} rows (BOM, CRLF, quotes, commas, line breaks) loads, counts and queries`, async () => {
      writeFileSync(file('books.csv'), csvOf([[...COLUMNS], ...range(1, ROWS).map(bookText)]));
      const load = await run('data', 'import', 'new_book', file('books.csv'));
      assert.equal(load.code, 0, load.err);
      // without a terminal (as these tests run the CLI), no progress bar: the summary alone
      assert.equal(load.err, '');
      const loaded = load.out;
      assert.match(
        loaded,
        new RegExp(`^Loaded 3,000 records into new_book in [\\d.]+ s \\([\\d,]+ rows/s\\)\\n$`),
      );
      assert.equal(await count('new_book'), ROWS);
      assert.deepEqual(JSON.parse(await ok('data', 'count', '--json')), [
        { table: 'new_book', records: ROWS },
      ]);
      const all = JSON.parse(await ok('data', 'count', '--all', '--json')) as Array<{
        table: string;
        records: number;
      }>;
      assert.deepEqual(
        all.find((t) => t.table === 'new_archive'),
        { table: 'new_archive', records: 0 },
      );
      assert.ok(
        all.some((t) => t.table === 'account'),
        'the standard tables are listed with --all',
      );

      const top = JSON.parse(
        await ok(
          'data',
          'query',
          'new_book',
          '--filter',
          'new_pages gt 2990 and new_genre ne 1',
          '--orderby',
          'new_pages desc',
          '--top',
          '3',
          '--json',
        ),
      ) as Array<Record<string, unknown>>;
      // 2999: genre 3, 2998: genre 2, 2997: genre 1 (passed over), 2996: genre 3
      // the record API's values: a multi-select choice is a list
      const api = (i: number) => {
        const v = bookValues(i);
        return {
          ...v,
          new_tags: v.new_tags === null ? null : String(v.new_tags).split(',').map(Number),
        };
      };
      assert.deepEqual(top.map(pick), [2999, 2998, 2996].map(api));

      const shown = await ok(
        'data',
        'query',
        'new_book',
        '--select',
        'new_pages,new_name',
        '--filter',
        "startswith(new_name,'Line one') and new_pages ne null",
        '--orderby',
        'new_pages',
        '--top',
        '2',
      );
      assert.deepEqual(shown.split('\n').slice(0, 4), [
        'new_pages  new_name',
        '---------  ----------------',
        '11         Line one↵line 11',
        '22         Line one↵line 22',
      ]);
      assert.match(shown, /\n2 records\.\n$/);
      const first = await ok('data', 'query', 'new_book');
      assert.match(first, /The first 50 records; --top N shows more/);
    });

    // the bar is the CLI's, the same whichever store is under it: tested once, on the default
    if (sc.name === 'pglite')
      test('on a terminal, a long load shows a progress bar that reaches 100 %', async () => {
        // script(1) gives the CLI a terminal (stderr a TTY), as a user at a shell has
        const rows = 30_000;
        writeFileSync(
          file('archive.csv'),
          csvOf([
            ['new_name', 'new_pages'],
            ...range(1, rows).map((i) => [`Archived ${i}`, String(i)]),
          ]),
        );
        await ok('env', 'create', 'progress');
        await ok('import', file('books.zip'), '--env', 'progress');
        const args = ['data', 'import', 'new_archive', file('archive.csv'), '--env', 'progress'];
        const command = [process.execPath, '--import', 'tsx', MAIN, ...args]
          .map((a) => `'${a.replace(/'/g, `'\\''`)}'`)
          .join(' ');
        const child = spawn('script', ['-qec', command, '/dev/null'], {
          env: { ...process.env, ...env, COLUMNS: '120' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let shown = '';
        child.stdout.on('data', (d: Buffer) => (shown += d.toString()));
        const code = await new Promise((resolve) => child.on('close', resolve));
        assert.equal(code, 0, shown);
        const updates = shown.split('\r').filter((u) => /\[[#.]{30}\]/.test(u));
        assert.ok(updates.length >= 3, `the bar moves as the file is read:\n${shown}`);
        assert.match(updates.at(-1)!, /\[#{30}\] 100%  30,000 rows  [\d,]+ rows\/s/);
        assert.match(shown, /Loaded 30,000 records into new_archive/);
        const counted = await ok('data', 'count', 'new_archive', '--env', 'progress', '--json');
        assert.equal(JSON.parse(counted).records, rows);
      });

    test('export to CSV and JSON Lines gives back what was loaded; the CSV loads into another environment', async () => {
      const expected = range(1, ROWS).map(bookValues);
      const csvOut = await ok('data', 'export', 'new_book', '-o', file('out.csv'));
      assert.match(
        csvOut,
        /^Exported 3,000 records of new_book to .*out\.csv \(CSV, \d+ columns\)/,
      );
      const csv = await csvRecords(file('out.csv'));
      assert.deepEqual(Object.keys(csv[0]).slice(0, 3), ['new_bookid', 'createdon', 'modifiedon']);
      assert.ok(Object.keys(csv[0]).includes('ownerid@table'), "a polymorphic lookup's table");
      const fromCsv = byId(csv.map(typedFromCsv));
      assert.equal(fromCsv.size, ROWS);
      for (const e of expected) assert.deepEqual(fromCsv.get(e.new_bookid), e);

      await ok('data', 'export', 'new_book', '-o', file('out.jsonl'));
      const fromJson = byId(jsonLines(readFileSync(file('out.jsonl'), 'utf8')));
      for (const e of expected) assert.deepEqual(pick(fromJson.get(e.new_bookid)!), e);

      const piped = await ok(
        'data',
        'export',
        'new_book',
        '--select',
        'new_pages,new_name',
        '--filter',
        'new_pages le 3',
      );
      // in the order of their ids
      const [header, ...lines] = piped.split('\r\n');
      assert.equal(header, 'new_name,new_pages');
      assert.deepEqual(lines.sort(), ['', 'Book 1,1', 'Book 2,2', 'Book 3,3']);

      // what export writes, import reads: the CSV into a second environment, all of it
      await ok('env', 'create', 'two');
      await ok('import', file('books.zip'), '--env', 'two');
      assert.match(
        await ok('data', 'import', 'new_book', file('out.csv'), '--env', 'two'),
        /^Loaded 3,000 records/,
      );
      const again = jsonLines(await ok('data', 'export', 'new_book', '--env', 'two', '--json'));
      assert.equal(again.length, ROWS);
      const maintained = ['createdon', 'modifiedon', 'versionnumber'];
      const strip = (r: Record<string, unknown>) =>
        Object.fromEntries(Object.entries(r).filter(([k]) => !maintained.includes(k)));
      for (const r of again) assert.deepEqual(strip(r), strip(fromJson.get(r.new_bookid)!));
    });

    test('copy a column into another, and a table into another with --map', async () => {
      assert.equal(
        await ok('data', 'copy', 'new_book.new_name', 'new_book.new_oldtitle'),
        'Copied 3,000 values from new_book.new_name to new_book.new_oldtitle.\n',
      );
      const titles = JSON.parse(
        await ok(
          'data',
          'query',
          'new_book',
          '--select',
          'new_name,new_oldtitle',
          '--top',
          '100',
          '--json',
        ),
      ) as Array<Record<string, unknown>>;
      assert.equal(titles.length, 100);
      for (const t of titles) assert.equal(t.new_oldtitle, t.new_name);

      // text that is not a number does not fit a whole number column: nothing is written
      const unfit = await run('data', 'copy', 'new_book.new_name', 'new_book.new_pages');
      assert.equal(unfit.code, 2);
      assert.match(
        unfit.err,
        /^error RECORD_VALUE_INVALID: new_book: a value does not fit its column/,
      );
      assert.equal(await count('new_book'), ROWS);
      const kept = JSON.parse(
        await ok('data', 'query', 'new_book', '--filter', 'new_pages eq 42', '--json'),
      ) as Array<Record<string, unknown>>;
      assert.deepEqual(
        kept.map((r) => r.new_name),
        ['Ünïcødé ✓ 𝄞'],
      );

      const copied = JSON.parse(
        await ok(
          'data',
          'copy',
          'new_book',
          'new_archive',
          '--map',
          'new_name=new_name',
          '--map',
          'new_pages=new_pages',
          '--json',
        ),
      );
      assert.deepEqual(copied, {
        rows: ROWS,
        columns: [
          ['new_name', 'new_name'],
          ['new_pages', 'new_pages'],
        ],
      });
      assert.equal(await count('new_archive'), ROWS);
      const archived = JSON.parse(
        await ok('data', 'query', 'new_archive', '--filter', 'new_pages eq 42', '--json'),
      ) as Array<Record<string, unknown>>;
      assert.deepEqual(
        archived.map((r) => r.new_name),
        ['Ünïcødé ✓ 𝄞'],
      );

      const mixed = await run('data', 'copy', 'new_book.new_name', 'new_archive.new_name');
      assert.equal(mixed.code, 2);
      assert.match(
        mixed.err,
        /error USAGE: strata data copy: a column is copied into a column of the same table/,
      );
      const unknown = await run(
        'data',
        'copy',
        'new_book',
        'new_archive',
        '--map',
        'new_nope=new_name',
        '--json',
      );
      assert.equal(unknown.code, 2);
      assert.equal(JSON.parse(unknown.out).error.code, 'RECORD_COLUMN_UNKNOWN');
      assert.equal(await count('new_archive'), ROWS, 'a refused copy writes nothing');
    });

    test('a bad value on line 25,002 names the line and the column, and nothing is loaded', async () => {
      // more rows than one COPY batch (20,000): the rows before the bad one were sent already
      const rows = range(ROWS + 1, ROWS + 25_000).map(bookText);
      const bad = oneLine(bookText(ROWS + 25_001));
      bad[2] = 'many';
      writeFileSync(file('bad-value.csv'), csvOf([[...COLUMNS], ...rows.map(oneLine), bad]));
      const r = await run('data', 'import', 'new_book', file('bad-value.csv'), '--json');
      assert.equal(r.code, 2, r.err);
      const { error } = JSON.parse(r.out);
      assert.equal(error.code, 'RECORD_VALUE_INVALID');
      assert.equal(
        error.message,
        `${file('bad-value.csv')}, line 25,002, column new_pages: expects a number, not "many".`,
      );
      assert.match(error.hint, /^Nothing was loaded\./);
      assert.deepEqual(error.details, {
        table: 'new_book',
        column: 'new_pages',
        file: file('bad-value.csv'),
        line: 25_002,
      });
      assert.equal(await count('new_book'), ROWS);

      const choice = bookText(ROWS + 1);
      choice[6] = '7';
      writeFileSync(file('bad-choice.csv'), csvOf([[...COLUMNS], bookText(ROWS + 2), choice]));
      const c = await run('data', 'import', 'new_book', file('bad-choice.csv'));
      assert.equal(c.code, 2);
      assert.match(
        c.err,
        /^error RECORD_CHOICE_INVALID: .*bad-choice\.csv, line 3, column new_genre: 7 is not one of its choices \(1, 2, 3\)\.\n→ Nothing was loaded\./,
      );
      assert.equal(await count('new_book'), ROWS);
    });

    test('a malformed CSV names its line, and nothing is loaded', async () => {
      const rows = range(ROWS + 1, ROWS + 25_000).map((i) => bookText(i).map(csvCell).join(','));
      const text = `${COLUMNS.join(',')}\n${rows.join('\n')}\n"Unclosed,1\nmore,2\n`;
      writeFileSync(file('malformed.csv'), text);
      const r = await run('data', 'import', 'new_book', file('malformed.csv'));
      assert.equal(r.code, 2);
      assert.match(
        r.err,
        /^error DATA_FILE_INVALID: .*malformed\.csv, line 25002: a quoted field is never closed\n/,
      );
      assert.equal(await count('new_book'), ROWS);
    });

    test('an unknown table, a file that is not there, and a format that cannot be told', async () => {
      const table = await run('data', 'import', 'new_nope', file('books.csv'));
      assert.equal(table.code, 5);
      assert.match(
        table.err,
        /^error RECORD_TABLE_NOT_FOUND: default has no table named "new_nope"\./,
      );
      const query = await run('data', 'query', 'new_nope', '--json');
      assert.equal(query.code, 5);
      assert.equal(JSON.parse(query.out).error.code, 'RECORD_TABLE_NOT_FOUND');
      const missing = await run('data', 'import', 'new_book', file('none.csv'));
      assert.equal(missing.code, 5);
      assert.match(missing.err, /^error DATA_FILE_NOT_FOUND: There is no file at .*none\.csv/);
      const format = await run('data', 'import', 'new_book', file('books.zip'));
      assert.equal(format.code, 2);
      assert.match(format.err, /^error DATA_FORMAT_UNKNOWN: /);
      const bad = await run('data', 'query', 'new_book', '--filter', 'new_pages gt');
      assert.equal(bad.code, 2);
      assert.match(bad.err, /^error ODATA_QUERY_INVALID: /);
    });

    test('JSON Lines from standard input, a polymorphic lookup with its table', async () => {
      const owner = guidFrom('owner');
      const lines = [
        { new_name: 'From stdin', new_pages: 7, ownerid: owner, 'ownerid@table': 'systemuser' },
        { new_name: 'No owner', new_pages: null },
      ];
      const input = lines.map((l) => JSON.stringify(l)).join('\n');
      const before = await count('new_archive');
      const r = await strata(
        env,
        ['data', 'import', 'new_archive', '-', '--format', 'jsonl', '--json'],
        input,
      );
      assert.equal(r.code, 0, r.err);
      assert.equal(JSON.parse(r.out).loaded, 2);
      assert.equal(await count('new_archive'), before + 2);
      const [read] = JSON.parse(
        await ok('data', 'query', 'new_archive', '--filter', "new_name eq 'From stdin'", '--json'),
      ) as Array<Record<string, unknown>>;
      assert.equal(read.ownerid, owner);
      assert.equal(read['ownerid@table'], 'systemuser');
    });
  });
}

/** A field of the malformed file: its line breaks made spaces, so each row is one line. */
function csvCell(f: string): string {
  return csvField(f.replace(/\r?\n/g, ' ') || null);
}

/** A row whose fields hold no line break, so that line numbers are row numbers plus one. */
function oneLine(row: string[]): string[] {
  return row.map((f) => f.replace(/\r?\n/g, ' '));
}
