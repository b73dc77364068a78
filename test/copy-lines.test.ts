/**
 * The bulk path's writer (engine/records/copy-lines.ts): records checked and written as the
 * bytes of a COPY in PostgreSQL's text format. What the database makes of those bytes is tested
 * on both stores in records-lifecycle.test.ts; here, the bytes themselves.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CopyBatchWriter } from '../src/engine/records/copy-lines.js';
import { plainDateTime, writerValues } from '../src/engine/records/values.js';
import { writeSequentialGuid } from '../src/model/sequential-guid.js';
import { environmentUserId } from '../src/model/stable-guid.js';
import type { TableShape } from '../src/model/table-shape.js';
import { StrataError } from '../src/model/errors.js';

const SHAPE = {
  name: 'new_order',
  primaryId: 'new_orderid',
  keys: [],
  columns: [
    { name: 'new_orderid', kind: 'id', type: 'primarykey', required: false },
    { name: 'new_name', kind: 'text', type: 'nvarchar', maxLength: 40, required: true },
    { name: 'new_count', kind: 'integer', type: 'int', required: false },
    {
      name: 'new_for',
      kind: 'lookup',
      type: 'customer',
      required: false,
      targets: ['account', 'contact'],
    },
    {
      name: 'createdon',
      kind: 'datetime',
      type: 'datetime',
      behavior: 'UserLocal',
      required: false,
      system: true,
    },
    {
      name: 'ownerid',
      kind: 'lookup',
      type: 'owner',
      required: false,
      targets: ['systemuser', 'team'],
      system: true,
    },
    {
      name: 'statecode',
      kind: 'choice',
      type: 'state',
      required: false,
      options: [0, 1],
      system: true,
    },
    {
      name: 'statuscode',
      kind: 'choice',
      type: 'status',
      required: false,
      options: [1, 2],
      system: true,
    },
  ],
} as unknown as TableShape;

function writer(): CopyBatchWriter {
  return new CopyBatchWriter(SHAPE, writerValues(SHAPE, 7, 'create'), writeSequentialGuid);
}

function lines(body: Uint8Array): string[][] {
  const text = Buffer.from(body).toString('utf8');
  assert.ok(text.endsWith('\n'), 'every row ends with a newline');
  return text
    .slice(0, -1)
    .split('\n')
    .map((l) => l.split('\t'));
}

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('a row has the id, state, status and owner, then the columns records name', () => {
  const w = writer();
  assert.equal(w.add({ new_name: 'One', createdon: '2020-01-01T00:00:00Z' }), null);
  assert.equal(w.add({ new_name: 'Two', statecode: null, ownerid: null }), null);
  const batch = w.take()!;
  assert.equal(batch.rows, 2);
  assert.deepEqual(
    batch.columns.map((c) => (c.companion ? `${c.column}@${c.companion}` : c.column)),
    ['new_orderid', 'statecode', 'statuscode', 'ownerid', 'ownerid@table', 'new_name'],
  );
  const [one, two] = lines(batch.body);
  assert.match(one[0], ID);
  assert.match(two[0], ID);
  assert.ok(one[0] < two[0], 'ids are made in order');
  const owner = environmentUserId(7);
  // createdon is strata's: what the record said is ignored; a null state or owner is the default
  assert.deepEqual(one.slice(1), ['0', '1', owner, 'systemuser', 'One']);
  assert.deepEqual(two.slice(1), ['0', '1', owner, 'systemuser', 'Two']);
  assert.equal(w.take(), null, 'nothing is left once taken');
});

test('text is escaped for COPY and written as UTF-8; other values as checked', () => {
  const w = writer();
  const odd = 'a\tb\nc\rd\\e \\N é😀';
  w.add({ new_name: odd, new_count: '  12 ', new_orderid: 'ABCDEF00-0000-4000-8000-000000000001' });
  const body = w.take()!.body;
  const text = Buffer.from(body).toString('utf8');
  assert.ok(text.includes('a\\tb\\nc\\rd\\\\e \\\\N é😀'), text);
  const [row] = lines(body);
  assert.equal(row[0], 'abcdef00-0000-4000-8000-000000000001');
  assert.equal(row.at(-1), '12');
});

test('escapes and UTF-8 hold before and after the first non-ASCII character of a value', () => {
  const w = writer();
  const values = ['a\tb é\tc\\', 'é\n', `${'w'.repeat(20)}\n😀${'v'.repeat(10)}\r`, 'plain\\N'];
  for (const new_name of values) w.add({ new_name });
  const rows = lines(w.take()!.body);
  assert.deepEqual(
    rows.map((r) => r[5]),
    ['a\\tb é\\tc\\\\', 'é\\n', `${'w'.repeat(20)}\\n😀${'v'.repeat(10)}\\r`, 'plain\\\\N'],
  );
});

test('long values take the longer path and are escaped the same', () => {
  const shape = {
    ...SHAPE,
    columns: SHAPE.columns.map((c) => (c.name === 'new_name' ? { ...c, maxLength: 500 } : c)),
  } as TableShape;
  const w = new CopyBatchWriter(shape, writerValues(shape, 7, 'create'), writeSequentialGuid);
  const values = [
    `${'x'.repeat(70)}\t\\N`,
    `${'é'.repeat(70)}\n`,
    `${'a'.repeat(64)}`,
    `${'b'.repeat(65)}`,
    `${'c'.repeat(10)}é${'d'.repeat(100)}\t`,
  ];
  for (const new_name of values) w.add({ new_name });
  const rows = lines(w.take()!.body);
  assert.deepEqual(
    rows.map((r) => r[5]),
    values.map((v) => v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n')),
  );
});

test('the quick date check takes only what the full check (pattern and Date.parse) takes', () => {
  const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
  const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})?$/;
  const full = (v: string): boolean =>
    (DATE_TIME.test(v) || DATE_ONLY.test(v)) && !Number.isNaN(Date.parse(v));
  const two = (n: number): string => String(n).padStart(2, '0');
  let quick = 0;
  const check = (v: string): void => {
    if (!plainDateTime(v)) return;
    quick++;
    assert.ok(full(v), `${v}: taken by the quick check, refused by the full one`);
  };
  for (const year of ['0000', '1900', '2024', '2026', '9999'])
    for (let month = 0; month <= 13; month++)
      for (let day = 0; day <= 32; day++) {
        const date = `${year}-${two(month)}-${two(day)}`;
        check(date);
        for (const time of ['T00:00', 'T23:59', 'T24:00', 'T12:60', 'T25:00', 'T10:30:59'])
          for (const zone of ['', 'Z', '+23:59', '-24:00', '+01:60', 'z', '+0100'])
            check(`${date}${time}${zone}`);
      }
  for (let hour = 0; hour <= 25; hour++)
    for (const minute of [0, 30, 59, 60, 99])
      for (const second of ['', ':00', ':59', ':60', ':5'])
        for (const fraction of ['', '.', '.1', '.123', '.1234567', '.12345678'])
          for (const zone of ['', 'Z', '+00:00', '-23:59', '+24:00', '-05:60', 'ZZ', '+5:00']) {
            const time = `${two(hour)}:${two(minute)}${second}${second.length === 3 ? fraction : ''}`;
            check(`2026-11-29T${time}${zone}`);
          }
  for (const odd of [
    '2026-1-29',
    '2026-11-29 ',
    ' 2026-11-29',
    '2026/11/29',
    '20261129',
    '2026-11-29T',
    '2026-11-29T10',
    '2026-11-29t10:00',
    '２０２６-11-29',
  ])
    check(odd);
  assert.ok(quick > 10_000, `the quick check took ${quick} values`);
  for (const v of [
    '2026-11-29',
    '2026-02-31',
    '2026-11-29T10:30',
    '2026-11-29T10:30:00.1234567+05:30',
    '2026-11-29T23:59:59Z',
  ])
    assert.ok(plainDateTime(v), v);
});

test('a record that names a new column ends the batch of the narrower rows before it', () => {
  const w = writer();
  w.add({ new_name: 'A' });
  w.add({ new_name: 'B' });
  const ended = w.add({
    new_name: 'C',
    new_for: { id: '00000000-0000-4000-8000-0000000000cc', table: 'contact' },
  });
  assert.ok(ended);
  assert.equal(ended.rows, 2);
  assert.equal(ended.columns.length, 6);
  for (const row of lines(ended.body)) assert.equal(row.length, 6);
  w.add({ new_name: 'D' }); // fewer columns: the same width, nulls for the rest
  const rest = w.take()!;
  assert.equal(rest.rows, 2);
  assert.deepEqual(
    rest.columns.slice(6).map((c) => c.companion ?? c.column),
    ['new_for', 'table'],
  );
  const [c, d] = lines(rest.body);
  assert.deepEqual(c.slice(5), ['C', '00000000-0000-4000-8000-0000000000cc', 'contact']);
  assert.deepEqual(d.slice(5), ['D', '\\N', '\\N']);
});

test('a bad record throws the record API error and writes nothing', () => {
  const w = writer();
  w.add({ new_name: 'kept' });
  for (const [bad, code] of [
    [{ new_name: 'x'.repeat(41) }, 'RECORD_VALUE_TOO_LONG'],
    [{ new_name: 'n', new_count: 'many' }, 'RECORD_VALUE_INVALID'],
    [{ new_count: 1 }, 'RECORD_REQUIRED_MISSING'],
    [{ new_name: 'n', new_colour: 'red' }, 'RECORD_COLUMN_UNKNOWN'],
    [
      { new_name: 'n', new_for: { id: '00000000-0000-4000-8000-0000000000cc' } },
      'RECORD_VALUE_INVALID',
    ],
  ] as const) {
    assert.throws(
      () => w.add(bad),
      (e: unknown) => e instanceof StrataError && e.code === code,
      JSON.stringify(bad),
    );
  }
  const batch = w.take()!;
  assert.equal(batch.rows, 1);
  assert.equal(lines(batch.body).length, 1);
});

test('a batch larger than the first buffer grows it and keeps every byte', () => {
  const w = writer();
  const long = 'ü'.repeat(40);
  for (let i = 0; i < 20_000; i++) w.add({ new_name: long });
  const batch = w.take()!;
  assert.ok(batch.body.length > 1 << 20);
  const rows = lines(batch.body);
  assert.equal(rows.length, 20_000);
  assert.ok(rows.every((r) => r[5] === long && ID.test(r[0])));
  assert.equal(new Set(rows.map((r) => r[0])).size, 20_000);
});
