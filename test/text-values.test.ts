import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  exportColumns,
  fromJsonLine,
  fromText,
  toFileValues,
} from '../src/engine/records/text-values.js';
import { createValues } from '../src/engine/records/records.js';
import { StrataError } from '../src/model/errors.js';
import { ACCOUNT } from './support/record-shapes.js';

const ID = '6f1c2a3b-0000-4000-8000-000000000001';

function refusal(fn: () => unknown): StrataError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof StrataError, String(e));
    return e;
  }
  assert.fail('expected a StrataError');
}

describe('records as CSV holds them: text to each column type', () => {
  test('a row of text takes the type of each column', () => {
    const record = fromText(ACCOUNT, {
      name: '  Contoso, "the" company ',
      numberofemployees: ' 250 ',
      latitude: '47.64',
      revenue: '12345678901234.5678',
      new_population: '9007199254740991',
      exchangerate: '1.0000000001',
      donotemail: 'Yes',
      industrycode: '2',
      new_colors: '1, 3,4',
      new_birthday: '1990-02-28',
      primarycontactid: ID,
      customerid: ID,
      'customerid@table': 'contact',
      description: '',
      new_externalid: null,
    });
    assert.deepEqual(record, {
      name: '  Contoso, "the" company ',
      numberofemployees: 250,
      latitude: 47.64,
      // no digit lost: decimal, money and big integers stay text for the cast
      revenue: '12345678901234.5678',
      new_population: '9007199254740991',
      exchangerate: '1.0000000001',
      donotemail: true,
      industrycode: 2,
      new_colors: [1, 3, 4],
      new_birthday: '1990-02-28',
      primarycontactid: ID,
      customerid: { id: ID, table: 'contact' },
      description: '',
      new_externalid: null,
    });
    // and the record API takes it as it is
    const values = createValues(ACCOUNT, record, 1);
    assert.equal(values.find((v) => v.column === 'new_colors')?.value, '{1,3,4}');
    assert.equal(values.find((v) => v.companion === 'table')?.value, 'contact');
  });

  test('yes/no, true/false and 1/0 in any case; blanks are null for columns other than text', () => {
    const cases: Array<[string, boolean]> = [
      ['true', true],
      ['FALSE', false],
      ['yes', true],
      ['No', false],
      ['1', true],
      ['0', false],
    ];
    for (const [text, value] of cases)
      assert.equal(fromText(ACCOUNT, { donotemail: text }).donotemail, value, text);
    assert.deepEqual(fromText(ACCOUNT, { numberofemployees: '  ', name: '  ' }), {
      numberofemployees: null,
      name: '  ',
    });
  });

  test('a value that is not of its column names the table, the column and the value', () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [
        { numberofemployees: '1,203' },
        /^account\.numberofemployees: expects a number, not "1,203"/,
      ],
      [{ revenue: '0x10' }, /^account\.revenue: expects a number, not "0x10"/],
      [{ donotemail: 'maybe' }, /^account\.donotemail: expects true or false .*"maybe"/],
      [{ industrycode: 'two' }, /^account\.industrycode: expects a choice value, not "two"/],
      [{ new_colors: '1;2' }, /^account\.new_colors: expects a choice value, not "1;2"/],
    ];
    for (const [record, message] of cases) {
      const e = refusal(() => fromText(ACCOUNT, record));
      assert.equal(e.code, 'RECORD_VALUE_INVALID');
      assert.match(e.message, message);
      assert.equal((e.details as { column: string }).column, Object.keys(record)[0]);
    }
  });

  test('names the table lacks are left for the record API, which refuses them', () => {
    const record = fromText(ACCOUNT, { nope: '1', 'name@table': 'x' });
    assert.deepEqual(record, { nope: '1', 'name@table': 'x' });
    assert.equal(refusal(() => createValues(ACCOUNT, record, 1)).code, 'RECORD_COLUMN_UNKNOWN');
  });

  test('JSON Lines values stay as they are; a lookup takes its table from column@table', () => {
    assert.deepEqual(
      fromJsonLine(ACCOUNT, {
        numberofemployees: '250',
        donotemail: 'yes',
        customerid: ID,
        'customerid@table': 'account',
        primarycontactid: null,
        'primarycontactid@table': 'contact',
      }),
      {
        numberofemployees: '250',
        donotemail: 'yes',
        customerid: { id: ID, table: 'account' },
        primarycontactid: null,
      },
    );
  });
});

describe('records as a file holds them: columns and values for export', () => {
  test("the shape's columns in order, a polymorphic lookup's table beside it, no file column", () => {
    const columns = exportColumns(ACCOUNT);
    assert.deepEqual(columns.slice(0, 4), [
      'accountid',
      'createdon',
      'customerid',
      'customerid@table',
    ]);
    assert.ok(!columns.includes('new_document'), 'a file column holds no content to export');
    assert.ok(columns.includes('primarycontactid') && !columns.includes('primarycontactid@table'));
    assert.deepEqual(exportColumns(ACCOUNT, ['revenue', 'customerid', 'name']), [
      'customerid',
      'customerid@table',
      'name',
      'revenue',
    ]);
  });

  test('a multi-select choice is written 1,2 and reads back as the same list', () => {
    const file = toFileValues({ accountid: ID, new_colors: [2, 4], name: null, donotemail: false });
    assert.deepEqual(file, { accountid: ID, new_colors: '2,4', name: null, donotemail: false });
    assert.deepEqual(fromText(ACCOUNT, { new_colors: String(file.new_colors) }).new_colors, [2, 4]);
  });
});
