import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { after, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  csvField,
  formatOf,
  readCsv,
  readJsonLines,
  readRecords,
  recordWriter,
  writeRecords,
  type DataRecord,
} from '../src/cli/data-files.js';
import { StrataError } from '../src/model/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-data-files-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A stream of the text's bytes in chunks of `size` (1: every byte alone, across every seam). */
function bytes(text: string | Buffer, size = 1 << 16): Readable {
  const all = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const chunks: Buffer[] = [];
  for (let i = 0; i < all.length; i += size) chunks.push(all.subarray(i, i + size));
  return Readable.from(chunks, { objectMode: false });
}

async function all(records: AsyncIterable<DataRecord>): Promise<DataRecord[]> {
  const out: DataRecord[] = [];
  for await (const r of records) out.push(r);
  return out;
}

/** The records with the line each began on, as `position` tells them. */
async function withLines(
  read: (position: { line: number }) => AsyncIterable<DataRecord>,
): Promise<Array<[number, DataRecord]>> {
  const position = { line: 0 };
  const out: Array<[number, DataRecord]> = [];
  for await (const r of read(position)) out.push([position.line, r]);
  return out;
}

/** The StrataError reading `records` ends with. */
async function failure(records: AsyncIterable<DataRecord>): Promise<StrataError> {
  try {
    await all(records);
  } catch (e) {
    assert.ok(e instanceof StrataError, String(e));
    return e;
  }
  assert.fail('the file was read without an error');
}

const TRICKY_CSV =
  '\uFEFFname,note,amount,empty\r\n' +
  '"Smith, John","He said ""hi""\r\nand left",12.50,\r\n' +
  'plain,"",7,x\n' +
  '\n' +
  '" padded ","a\nb\nc",,"q"\r' +
  'last,"é ü 中 🙂",-1,"end"';

const TRICKY_ROWS: DataRecord[] = [
  { name: 'Smith, John', note: 'He said "hi"\r\nand left', amount: '12.50', empty: null },
  { name: 'plain', note: '', amount: '7', empty: 'x' },
  { name: ' padded ', note: 'a\nb\nc', amount: null, empty: 'q' },
  { name: 'last', note: 'é ü 中 🙂', amount: '-1', empty: 'end' },
];

describe('CSV records', () => {
  test('quotes, doubled quotes, separators and line breaks in fields, CRLF, LF, CR, a BOM', async () => {
    const rows = await withLines((position) => readCsv(bytes(TRICKY_CSV), { position }));
    assert.deepEqual(
      rows.map(([, r]) => r),
      TRICKY_ROWS,
    );
    // the line each record began on: line breaks inside quotes count
    assert.deepEqual(
      rows.map(([line]) => line),
      [2, 4, 6, 9],
    );
  });

  test('the same file fed byte by byte (every seam: CRLF, quotes, UTF-8, the BOM) reads the same', async () => {
    assert.deepEqual(await all(readCsv(bytes(TRICKY_CSV, 1))), TRICKY_ROWS);
    assert.deepEqual(await all(readCsv(bytes(TRICKY_CSV, 7))), TRICKY_ROWS);
  });

  test('a quote inside an unquoted field is text; another separator can be given', async () => {
    assert.deepEqual(await all(readCsv(bytes('size,item\n5",screen 15"\n'))), [
      { size: '5"', item: 'screen 15"' },
    ]);
    const semicolons = 'name;amount\r\n"a;b";1,5\r\n';
    assert.deepEqual(await all(readCsv(bytes(semicolons), { delimiter: ';' })), [
      { name: 'a;b', amount: '1,5' },
    ]);
    // Excel's "Unicode text": UTF-16 with a byte order mark, tab-separated
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('a\tb\r\n1\t中\r\n', 'utf16le'),
    ]);
    assert.deepEqual(await all(readCsv(bytes(utf16, 3), { delimiter: '\t' })), [
      { a: '1', b: '中' },
    ]);
  });

  test('a header only is a file of no records; a file without even a header is refused', async () => {
    assert.deepEqual(await all(readCsv(bytes('a,b\r\n'))), []);
    const e = await failure(readCsv(bytes(''), { name: 'empty.csv' }));
    assert.equal(e.code, 'DATA_FILE_INVALID');
    assert.match(e.message, /^empty\.csv, line 1: the file is empty/);
  });

  test('an unclosed quote is refused with the line where it opened', async () => {
    const text = 'id,note\n1,ok\n2,"never closed\n3,more\n4,rows\n';
    const e = await failure(readCsv(bytes(text), { name: 'notes.csv' }));
    assert.equal(e.code, 'DATA_FILE_INVALID');
    assert.match(e.message, /^notes\.csv, line 3: a quoted field is never closed/);
    assert.deepEqual(e.details, { file: 'notes.csv', line: 3 });
  });

  test('a row with more fields than the header is refused with its line', async () => {
    const text = 'id,name\r\n1,"a\r\nb"\r\n2,Smith, John\r\n';
    const e = await failure(readCsv(bytes(text), { name: 'people.csv' }));
    assert.match(
      e.message,
      /^people\.csv, line 4: the row has 3 fields, the header names 2 columns/,
    );
    assert.match(e.hint ?? '', /must be quoted/);
    const fewer = await failure(readCsv(bytes('a,b,c\n1,2\n')));
    assert.match(fewer.message, /line 2: the row has 2 fields, the header names 3/);
  });

  test('text after a closing quote, a nameless or repeated column, bad UTF-8 are refused', async () => {
    const cases: Array<[string | Buffer, RegExp]> = [
      ['a,b\n"x"y,1\n', /line 2: a closing quote is followed by "y"/],
      ['a,,c\n1,2,3\n', /line 1: the header's field 2 names no column/],
      ['a,b,a\n', /line 1: the header names the column a twice/],
      [Buffer.from([0x61, 0x0a, 0xff, 0xfe, 0x41, 0x0a]), /the text is not valid utf-8/],
    ];
    for (const [text, message] of cases) {
      const e = await failure(readCsv(bytes(text)));
      assert.equal(e.code, 'DATA_FILE_INVALID');
      assert.match(e.message, message);
    }
  });

  test('a record over the size limit is refused rather than held', async () => {
    const text = `a\n"${'x'.repeat(5000)}`;
    const e = await failure(readCsv(bytes(text, 100), { maxRecordLength: 1000 }));
    assert.match(e.message, /line 2: the record starting here is longer than 1000 characters/);
  });

  test('a column named __proto__ is a column, not the prototype', async () => {
    const [r] = await all(readCsv(bytes('__proto__,constructor\nx,y\n')));
    assert.deepEqual(Object.keys(r), ['__proto__', 'constructor']);
    assert.equal(Object.getPrototypeOf(r), Object.prototype);
    assert.equal(Object.getOwnPropertyDescriptor(r, '__proto__')?.value, 'x');
  });

  test('a 10 MB field with quotes, commas and line breaks reads back whole', async () => {
    const big = 'ab, "cd"\n'.repeat(1_200_000).slice(0, 10 * 1024 * 1024);
    const path = join(dir, 'big-field.csv');
    await writeRecords(
      path,
      ['id', 'body'],
      [
        { id: 1, body: big },
        { id: 2, body: 'small' },
      ],
    );
    const read = await withLines((position) => readRecords(path, { position }));
    const rows = read.map(([, r]) => r);
    assert.equal(rows.length, 2);
    assert.equal((rows[0].body as string).length, big.length);
    assert.ok(rows[0].body === big);
    assert.deepEqual(rows[1], { id: '2', body: 'small' });
    // the second record begins after the first one's line breaks
    assert.equal(read[1][0], 3 + big.split('\n').length - 1);
  });

  test('written then read back: the same rows (numbers and booleans come back as text)', async () => {
    const columns = ['id', 'name', 'note', 'amount', 'active', 'missing'];
    const rows: DataRecord[] = [
      { id: 1, name: 'Smith, John', note: 'He said "hi"\nand left', amount: 12.5, active: true },
      { id: 2, name: '', note: null, amount: -0.001, active: false, missing: null },
      { id: 3, name: ' x ', note: 'é\r\n中', amount: 1e21, active: null, extra: 'left out' },
    ];
    const path = join(dir, 'round.csv');
    assert.equal(await writeRecords(path, columns, rows), 3);
    const text = readFileSync(path, 'utf8');
    assert.ok(text.startsWith('id,name,note,amount,active,missing\r\n1,"Smith, John",'), text);
    const back = await all(readRecords(path));
    const expected = rows.map((r) =>
      Object.fromEntries(
        columns.map((c) => [c, r[c] === undefined || r[c] === null ? null : String(r[c])]),
      ),
    );
    assert.deepEqual(back, expected);
  });

  test('csvField quotes only what needs it, and empty text apart from null', () => {
    assert.deepEqual(
      ['a', 'a,b', 'say "x"', 'a\nb', '', null, ' a', 7, false].map((v) => csvField(v)),
      ['a', '"a,b"', '"say ""x"""', '"a\nb"', '""', '', '" a"', '7', 'false'],
    );
    assert.equal(csvField('a;b', ';'), '"a;b"');
  });
});

describe('JSON Lines records', () => {
  test('one object per line; blank lines, CRLF and a BOM are fine; values keep their types', async () => {
    const text =
      '\uFEFF{"id":1,"name":"a, \\"b\\"","ok":true,"x":null}\r\n\r\n' +
      '{"id":2.5,"name":"line\\nbreak","ok":false}\n' +
      '{"__proto__":"kept","parentaccountid@odata.bind":"/accounts(1)"}';
    for (const size of [1 << 16, 3]) {
      const read = await withLines((position) => readJsonLines(bytes(text, size), { position }));
      const rows = read.map(([, r]) => r);
      assert.deepEqual(rows.slice(0, 2), [
        { id: 1, name: 'a, "b"', ok: true, x: null },
        { id: 2.5, name: 'line\nbreak', ok: false },
      ]);
      assert.deepEqual(Object.keys(rows[2]), ['__proto__', 'parentaccountid@odata.bind']);
      assert.deepEqual(
        read.map(([line]) => line),
        [1, 3, 4],
      );
    }
  });

  test('a line that is not JSON, not an object, or holds a nested value is refused with its line', async () => {
    const cases: Array<[string, RegExp]> = [
      ['{"a":1}\n{"a":\n', /^rows\.jsonl, line 2: not JSON/],
      ['{"a":1}\n\n[{"a":1}]\n', /^rows\.jsonl, line 3: a JSON array where a record/],
      ['"text"\n', /line 1: a JSON value where a record/],
      ['{"a":1}\n{"a":{"b":2}}\n', /line 2: the value of a is an object/],
      ['{"a":[1]}', /line 1: the value of a is an array/],
    ];
    for (const [text, message] of cases) {
      const e = await failure(readJsonLines(bytes(text), { name: 'rows.jsonl' }));
      assert.equal(e.code, 'DATA_FILE_INVALID');
      assert.match(e.message, message);
    }
  });

  test('written then read back: the same records, keys in the columns order', async () => {
    const rows: DataRecord[] = [
      { name: 'x\ny', id: 1, ok: true },
      { id: 2, name: null, ok: false },
    ];
    const path = join(dir, 'round.ndjson');
    await writeRecords(path, ['id', 'name', 'ok'], rows);
    const back = await all(readRecords(path));
    assert.deepEqual(back, [
      { id: 1, name: 'x\ny', ok: true },
      { id: 2, name: null, ok: false },
    ]);
    assert.deepEqual(Object.keys(back[0]), ['id', 'name', 'ok']);
  });

  test('a 10 MB string value reads back whole', async () => {
    const big = 'é"\\\n'.repeat(2_621_440);
    const path = join(dir, 'big.jsonl');
    await writeRecords(path, ['id', 'body'], [{ id: 1, body: big }]);
    const [r] = await all(readRecords(path));
    assert.ok(r.body === big);
  });
});

describe('record files', () => {
  test('the format follows the extension or is given; an unknown one is refused', () => {
    assert.equal(formatOf('a/b.CSV'), 'csv');
    for (const p of ['x.jsonl', 'x.ndjson', 'x.json']) assert.equal(formatOf(p), 'jsonl');
    assert.equal(formatOf('data.txt', 'csv'), 'csv');
    assert.equal(formatOf('-', 'NDJSON'), 'jsonl');
    for (const [p, f] of [['data.txt'], ['-'], [undefined], ['x.csv', 'xlsx']] as const) {
      assert.throws(
        () => formatOf(p, f),
        (e: unknown) => e instanceof StrataError && e.code === 'DATA_FORMAT_UNKNOWN',
      );
    }
  });

  test('a file that is not there is DATA_FILE_NOT_FOUND', async () => {
    const e = await failure(readRecords(join(dir, 'nope.csv')));
    assert.equal(e.code, 'DATA_FILE_NOT_FOUND');
    assert.match(e.message, /There is no file at .*nope\.csv/);
    const d = await failure(readRecords(dir, { format: 'csv' }));
    assert.equal(d.code, 'DATA_FILE_NOT_FOUND');
  });

  test('a writer into a folder that does not exist fails instead of hanging', async () => {
    await assert.rejects(writeRecords(join(dir, 'no', 'such', 'x.csv'), ['a'], [{ a: 1 }]), {
      code: 'ENOENT',
    });
  });

  test('the writer waits for a slow output instead of piling rows up in memory', async () => {
    let most = 0;
    const slow = new Writable({
      highWaterMark: 1 << 16,
      write(_chunk, _enc, done) {
        most = Math.max(most, slow.writableLength);
        setImmediate(done);
      },
    });
    const writer = recordWriter(slow, ['id', 'text'], { format: 'csv' });
    for (let i = 0; i < 50_000; i++) await writer.write({ id: i, text: 'some text, quoted' });
    await writer.end();
    assert.ok(most <= 1 << 17, `the stream held ${most} bytes at most`);
  });

  test('rows stream through in constant memory: 200,000 rows written, read and counted', async (t) => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const path = join(dir, 'many.csv');
    const columns = ['accountid', 'name', 'description', 'revenue', 'active'];
    function* rows(): Generator<DataRecord> {
      for (let i = 0; i < 200_000; i++)
        yield {
          accountid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
          name: `Account ${i}, "quoted"`,
          description: `line one of ${i}\nline two of ${i} with some more text to make it longer`,
          revenue: i * 1.25,
          active: i % 2 === 0,
        };
    }
    assert.equal(await writeRecords(path, columns, rows()), 200_000);
    const size = statSync(path).size;
    assert.ok(size > 30_000_000, `${size} bytes`);

    gc();
    const base = process.memoryUsage().heapUsed;
    let peak = 0;
    let count = 0;
    let last: DataRecord | undefined;
    const position = { line: 0 };
    for await (const r of readRecords(path, { position })) {
      count++;
      last = r;
      if (count % 25_000 === 0) {
        gc();
        peak = Math.max(peak, process.memoryUsage().heapUsed - base);
      }
    }
    assert.equal(count, 200_000);
    assert.equal(last?.name, 'Account 199999, "quoted"');
    assert.equal(position.line, 2 + 199_999 * 2);
    t.diagnostic(`${size} bytes; the heap grew by ${(peak / 1048576).toFixed(2)} MB at most`);
    // the file is over 30 MB; holding its rows would take several times that
    assert.ok(peak < 8 * 1024 * 1024, `the heap grew by ${(peak / 1048576).toFixed(1)} MB`);
  });
});

describe('CSV and LibreOffice', () => {
  const exec = promisify(execFile);

  async function soffice(): Promise<string | null> {
    try {
      await exec('soffice', ['--version'], { timeout: 60_000 });
      return 'soffice';
    } catch {
      return null;
    }
  }

  test('LibreOffice opens what the writer wrote and gets the same cells back', async (t) => {
    const bin = await soffice();
    if (!bin) {
      t.skip('soffice (LibreOffice) is not installed');
      console.log('# skipped: soffice (LibreOffice) is not installed');
      return;
    }
    const columns = ['name', 'note', 'amount', 'city'];
    const rows: DataRecord[] = [
      { name: 'Smith, John', note: 'He said "hi"\nand left', amount: '007', city: 'Zürich' },
      { name: ' padded ', note: 'a,b,"c"', amount: '12.50', city: '東京' },
      { name: 'plain', note: null, amount: '-1', city: 'x\ny\nz' },
    ];
    const work = mkdtempSync(join(dir, 'lo-'));
    const csv = join(work, 'rows.csv');
    await writeRecords(csv, columns, rows);
    // a private profile: LibreOffice locks its profile, and other processes may run it too
    const profile = `-env:UserInstallation=file://${join(work, 'profile')}`;
    // comma, double quote, UTF-8 (76), header from line 1, every column as text (2)
    const textColumns = columns.map((_, i) => `${i + 1}/2`).join('/');
    await exec(
      bin,
      [
        profile,
        '--headless',
        `--infilter=CSV:44,34,76,1,${textColumns}`,
        '--convert-to',
        'xlsx',
        '--outdir',
        join(work, 'xlsx'),
        csv,
      ],
      { timeout: 120_000 },
    );
    const xlsx = join(work, 'xlsx', 'rows.xlsx');
    assert.ok(statSync(xlsx).size > 0);
    await exec(
      bin,
      [
        profile,
        '--headless',
        '--convert-to',
        'csv:Text - txt - csv (StarCalc):44,34,76,1',
        '--outdir',
        join(work, 'back'),
        xlsx,
      ],
      { timeout: 120_000 },
    );
    const back = await all(readRecords(join(work, 'back', 'rows.csv')));
    // a spreadsheet cell is empty or not: null and '' are one there
    const cells = (r: DataRecord) => columns.map((c) => r[c] ?? '');
    assert.deepEqual(back.map(cells), rows.map(cells));
  });
});

test('a stream that decodes itself (setEncoding) reads the same', async () => {
  const s = new PassThrough();
  s.setEncoding('utf8');
  s.end(TRICKY_CSV);
  assert.deepEqual(await all(readCsv(s)), TRICKY_ROWS);
});
