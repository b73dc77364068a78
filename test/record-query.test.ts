import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { StrataError } from '../src/model/errors.js';
import type { Filter, Literal, RecordQuery } from '../src/model/record-query.js';
import { dataverseCode } from '../src/server/webapi/errors.js';
import { parseQuery } from '../src/server/webapi/odata.js';
import {
  encodeSkipToken,
  parseRecordQuery,
  tableColumns,
} from '../src/server/webapi/record-query.js';
import { ACCOUNT, shapeOf } from './support/record-shapes.js';

/**
 * OData query options read into a RecordQuery for the account table: names as OData spells
 * them, literals typed by their column, precedence, and the errors Dataverse gives.
 */
const accounts = tableColumns(ACCOUNT, shapeOf);
const parse = (params: Record<string, string>): RecordQuery => parseRecordQuery(params, accounts);
const filter = (text: string): Filter | null => parse({ $filter: text }).filter;

function refused(params: Record<string, string>): StrataError {
  try {
    parse(params);
  } catch (e) {
    assert.ok(e instanceof StrataError, `a StrataError, not ${String(e)}`);
    return e;
  }
  assert.fail(`expected ${JSON.stringify(params)} to be refused`);
}

const GUID = '5F0E8A1C-1D5B-4C1E-9D43-7E0A4F6B2C11';
const eq = (column: string, value: Literal): Filter => ({ op: 'cmp', cmp: 'eq', column, value });

describe('record query: $filter precedence', () => {
  test('and binds tighter than or, on either side', () => {
    assert.deepEqual(filter("name eq 'a' or name eq 'b' and numberofemployees eq 3"), {
      op: 'or',
      left: eq('name', 'a'),
      right: { op: 'and', left: eq('name', 'b'), right: eq('numberofemployees', 3) },
    });
    assert.deepEqual(filter("name eq 'a' and name eq 'b' or numberofemployees eq 3"), {
      op: 'or',
      left: { op: 'and', left: eq('name', 'a'), right: eq('name', 'b') },
      right: eq('numberofemployees', 3),
    });
  });

  test('not binds tighter than and; parentheses regroup', () => {
    assert.deepEqual(filter("not name eq 'a' and donotemail eq true"), {
      op: 'and',
      left: { op: 'not', expr: eq('name', 'a') },
      right: eq('donotemail', true),
    });
    assert.deepEqual(filter("not (name eq 'a' and donotemail eq true)"), {
      op: 'not',
      expr: { op: 'and', left: eq('name', 'a'), right: eq('donotemail', true) },
    });
    assert.deepEqual(filter("(name eq 'a' or name eq 'b') and not contains(name,'x')"), {
      op: 'and',
      left: { op: 'or', left: eq('name', 'a'), right: eq('name', 'b') },
      right: { op: 'not', expr: { op: 'fn', fn: 'contains', column: 'name', value: 'x' } },
    });
  });

  test('a chain of or is read left to right; keywords in any case', () => {
    assert.deepEqual(
      filter('numberofemployees eq 1 OR numberofemployees eq 2 Or numberofemployees EQ 3'),
      {
        op: 'or',
        left: { op: 'or', left: eq('numberofemployees', 1), right: eq('numberofemployees', 2) },
        right: eq('numberofemployees', 3),
      },
    );
  });
});

describe('record query: $filter literals', () => {
  test('strings, with a doubled quote for a quote', () => {
    assert.deepEqual(filter("name eq 'O''Brien''s'"), eq('name', "O'Brien's"));
    assert.deepEqual(filter("name eq ''"), eq('name', ''));
    assert.deepEqual(
      filter("name eq '''; DROP TABLE account; --'"),
      eq('name', "'; DROP TABLE account; --"),
    );
    assert.deepEqual(filter("name eq 'a (b), c'"), eq('name', 'a (b), c'));
  });

  test('null, true, false, integers and decimals, negative too', () => {
    assert.deepEqual(filter('name eq null'), eq('name', null));
    assert.deepEqual(filter('donotemail eq false'), eq('donotemail', false));
    assert.deepEqual(filter('numberofemployees eq -12'), eq('numberofemployees', -12));
    assert.deepEqual(filter('revenue eq 1234.5678'), eq('revenue', 1234.5678));
    assert.deepEqual(filter('latitude eq -1.5e3'), eq('latitude', -1500));
    assert.deepEqual(filter('industrycode eq 2'), eq('industrycode', 2));
    // beyond a double's integers: kept as written, to the last digit
    assert.deepEqual(
      filter('new_population eq 9007199254740993'),
      eq('new_population', '9007199254740993'),
    );
  });

  test('bare GUIDs, for the id, a uuid column and a lookup as _x_value', () => {
    const lower = GUID.toLowerCase();
    assert.deepEqual(filter(`accountid eq ${GUID}`), eq('accountid', lower));
    assert.deepEqual(filter(`new_externalid ne ${GUID}`), {
      op: 'cmp',
      cmp: 'ne',
      column: 'new_externalid',
      value: lower,
    });
    assert.deepEqual(filter(`_primarycontactid_value eq ${GUID}`), eq('primarycontactid', lower));
    assert.deepEqual(filter('_customerid_value eq null'), eq('customerid', null));
  });

  test('ISO dates and date-times', () => {
    assert.deepEqual(filter('createdon ge 2024-02-29'), {
      op: 'cmp',
      cmp: 'ge',
      column: 'createdon',
      value: '2024-02-29',
    });
    assert.deepEqual(filter('createdon lt 2024-05-01T08:30:00.123Z'), {
      op: 'cmp',
      cmp: 'lt',
      column: 'createdon',
      value: '2024-05-01T08:30:00.123Z',
    });
    assert.deepEqual(filter('new_birthday eq 1990-12-31'), eq('new_birthday', '1990-12-31'));
    assert.deepEqual(filter('new_localtime gt 2024-05-01T08:30:00+02:00'), {
      op: 'cmp',
      cmp: 'gt',
      column: 'new_localtime',
      value: '2024-05-01T08:30:00+02:00',
    });
  });

  test('a multi-select compares with a set, sorted and without repeats', () => {
    assert.deepEqual(filter("new_colors eq '3,1, 3'"), eq('new_colors', '1,3'));
    assert.deepEqual(filter('new_colors ne 2'), {
      op: 'cmp',
      cmp: 'ne',
      column: 'new_colors',
      value: '2',
    });
    assert.deepEqual(filter("new_colors eq ''"), eq('new_colors', ''));
  });

  test('string functions keep their value as written', () => {
    assert.deepEqual(filter("startswith(name,'50%_off')"), {
      op: 'fn',
      fn: 'startswith',
      column: 'name',
      value: '50%_off',
    });
    assert.deepEqual(filter("endswith( description , 'x''y' )"), {
      op: 'fn',
      fn: 'endswith',
      column: 'description',
      value: "x'y",
    });
  });
});

describe('record query: errors name what is wrong, as Dataverse words them', () => {
  test('an unknown column, wherever it is named', () => {
    const message =
      "Could not find a property named 'nosuch' on type 'Microsoft.Dynamics.CRM.account'.";
    const cases: Array<Record<string, string>> = [
      { $select: 'name,nosuch' },
      { $filter: "nosuch eq 'x'" },
      { $filter: "contains(nosuch,'x')" },
      { $orderby: 'name,nosuch desc' },
      { $expand: 'primarycontactid($select=fullname,nosuch)' },
    ];
    for (const params of cases) {
      const e = refused(params);
      assert.equal(e.code, 'ODATA_PROPERTY_NOT_FOUND', JSON.stringify(params));
      assert.equal(dataverseCode(e.code), '0x80060888');
      if (!params.$expand) assert.equal(e.message, message);
      else
        assert.equal(
          e.message,
          "Could not find a property named 'nosuch' on type 'Microsoft.Dynamics.CRM.contact'.",
        );
    }
  });

  test('a lookup is _x_value: its plain name is a navigation property, not a column', () => {
    const e = refused({ $select: 'primarycontactid' });
    assert.equal(e.code, 'ODATA_PROPERTY_NOT_FOUND');
    assert.match(e.message, /'primarycontactid'/);
    assert.match(e.hint ?? '', /_primarycontactid_value/);
    assert.equal(refused({ $select: '_name_value' }).code, 'ODATA_PROPERTY_NOT_FOUND');
    assert.deepEqual(parse({ $select: '_primarycontactid_value,name' }).select, [
      'primarycontactid',
      'name',
    ]);
  });

  test('syntax errors give the position, as Microsoft.OData does', () => {
    let e = refused({ $filter: "name eqq 'x'" });
    assert.equal(e.code, 'ODATA_QUERY_INVALID');
    assert.equal(e.message, "Syntax error at position 5 in 'name eqq 'x''.");
    assert.match(e.hint ?? '', /operator/);
    e = refused({ $filter: "(name eq 'x'" });
    assert.equal(e.message, "Syntax error at position 12 in '(name eq 'x''.");
    e = refused({ $filter: "name eq 'x' name eq 'y'" });
    assert.equal(e.message, "Syntax error at position 12 in 'name eq 'x' name eq 'y''.");
    e = refused({ $filter: "name eq 'O'Brien'" });
    assert.equal(e.code, 'ODATA_QUERY_INVALID');
    assert.match(e.message, /position 16/);
    e = refused({ $filter: "name eq 'unterminated" });
    assert.equal(
      e.message,
      "There is an unterminated literal at position 8 in 'name eq 'unterminated'.",
    );
    e = refused({ $filter: 'numberofemployees eq 12abc' });
    assert.equal(e.message, "Syntax error at position 21 in 'numberofemployees eq 12abc'.");
    e = refused({ $filter: "substringof('x',name)" });
    assert.match(e.message, /unknown function with name 'substringof'/);
  });

  test('a value of the wrong type, naming the column', () => {
    const cases: Array<[string, RegExp]> = [
      ['name eq 5', /'Edm.String' and 'Edm.Int32' for operator kind 'Equal' \(column 'name'\)/],
      [`accountid eq '${GUID}'`, /'Edm.Guid' and 'Edm.String'.*column 'accountid'/],
      ["numberofemployees gt '5'", /'Edm.Int32' and 'Edm.String' for operator kind 'GreaterThan'/],
      ['donotemail eq 1', /'Edm.Boolean' and 'Edm.Int32'/],
      ["createdon lt 'yesterday'", /'Edm.DateTimeOffset' and 'Edm.String'/],
      ['createdon lt 2023-02-30', /Syntax error/],
      ['contains(name, 5)', /contains.*Edm.Int32.*column 'name'/],
      [
        'contains(numberofemployees, 5)',
        /'contains' takes a text column; 'numberofemployees' is Edm.Int32/,
      ],
      ['name gt null', /null can only be compared with eq or ne/],
    ];
    for (const [text, re] of cases) {
      const e = refused({ $filter: text });
      assert.equal(e.code, 'ODATA_QUERY_INVALID', text);
      assert.match(e.message, re, text);
    }
  });

  test('a multi-select: contains and ordering are refused, sets are checked', () => {
    let e = refused({ $filter: "contains(new_colors,'1')" });
    assert.equal(e.code, 'ODATA_QUERY_INVALID');
    assert.match(
      e.message,
      /'contains' is not supported on the multi-select choice column 'new_colors'/,
    );
    e = refused({ $filter: 'new_colors gt 1' });
    assert.match(e.message, /'new_colors' can only be compared with eq or ne/);
    e = refused({ $filter: "new_colors eq 'red'" });
    assert.match(e.message, /set of choice values.*'red'/);
    e = refused({ $orderby: 'new_colors' });
    assert.match(e.message, /multi-select choice column 'new_colors'/);
  });

  test('a column compared with a column, and a path into a lookup, are refused by name', () => {
    let e = refused({ $filter: 'name eq description' });
    assert.match(e.message, /Comparing a column with another column \('description'\)/);
    e = refused({ $filter: 'name eq nosuch' });
    assert.equal(e.code, 'ODATA_PROPERTY_NOT_FOUND');
    e = refused({ $filter: "primarycontactid/fullname eq 'x'" });
    assert.match(e.message, /'primarycontactid\/fullname' is not supported/);
  });

  test('$skip is refused as Dataverse refuses it; so is any option strata does not know', () => {
    let e = refused({ $skip: '10' });
    assert.equal(e.code, 'ODATA_QUERY_INVALID');
    assert.equal(e.message, 'The query parameter $skip is not supported');
    assert.match(e.hint ?? '', /odata.maxpagesize/);
    e = refused({ $apply: 'groupby((name))' });
    assert.match(e.message, /\$apply is not supported/);
    e = refused({ $top: '-1' });
    assert.match(e.message, /\$top query option requires a non-negative integer/);
    e = refused({ $top: 'ten' });
    assert.equal(e.code, 'ODATA_QUERY_INVALID');
    e = refused({ $count: 'yes' });
    assert.match(e.message, /'yes' is not a valid count option/);
    e = refused({ $orderby: 'name sideways' });
    assert.match(e.message, /Syntax error in \$orderby/);
    e = refused({ $skiptoken: 'bm90IGEgdG9rZW4' });
    assert.match(e.message, /\$skiptoken 'bm90IGEgdG9rZW4' is not valid/);
  });

  test('$expand: only single-valued lookups, each once, with $select inside only', () => {
    let e = refused({ $expand: 'contact_customer_accounts' });
    assert.equal(e.code, 'ODATA_PROPERTY_NOT_FOUND');
    assert.match(e.message, /'contact_customer_accounts'/);
    e = refused({ $expand: 'primarycontactid($filter=fullname eq 1)' });
    assert.match(e.message, /'\$filter=fullname eq 1' inside \$expand of 'primarycontactid'/);
    e = refused({ $expand: 'primarycontactid,primarycontactid' });
    assert.match(e.message, /expanded twice/);
    e = refused({ $expand: 'primarycontactid($select=fullname' });
    assert.match(e.message, /Syntax error in \$expand/);
  });
});

describe('record query: the other options', () => {
  test('nothing asked: every column, no filter, the first page', () => {
    assert.deepEqual(parse({}), {
      select: null,
      filter: null,
      orderBy: [],
      top: null,
      skip: 0,
      count: false,
      expand: [],
    });
    // options that are not system options belong to the route
    assert.deepEqual(parse({ foo: 'bar' }).select, null);
  });

  test('$select in order, each once, with * for all', () => {
    assert.deepEqual(parse({ $select: ' name , revenue,name' }).select, ['name', 'revenue']);
    assert.equal(parse({ $select: '*' }).select, null);
  });

  test('$orderby of several columns, asc by default, desc on request', () => {
    assert.deepEqual(
      parse({ $orderby: 'name, revenue desc,_primarycontactid_value ASC' }).orderBy,
      [
        { column: 'name', desc: false },
        { column: 'revenue', desc: true },
        { column: 'primarycontactid', desc: false },
      ],
    );
  });

  test('$top and $count', () => {
    const q = parse({ $top: '25', $count: 'true' });
    assert.equal(q.top, 25);
    assert.equal(q.count, true);
    assert.equal(parse({ $count: 'false' }).count, false);
    assert.equal(parse({ $top: '0' }).top, 0);
  });

  test('$expand of a lookup and of one target of a polymorphic lookup', () => {
    assert.deepEqual(
      parse({
        $expand: 'primarycontactid($select=fullname,_parentcustomerid_value),customerid_account',
      }).expand,
      [
        {
          column: 'primarycontactid',
          navigation: 'primarycontactid',
          table: 'contact',
          select: ['fullname', 'parentcustomerid'],
        },
        { column: 'customerid', navigation: 'customerid_account', table: 'account', select: null },
      ],
    );
    // custom navigation properties are spelt with the schema name in Dataverse
    assert.equal(parse({ $expand: 'PrimaryContactId' }).expand[0].column, 'primarycontactid');
  });

  test('$skiptoken carries the skip of the next page, opaque to the client', () => {
    const token = encodeSkipToken(5000);
    assert.doesNotMatch(token, /5000/);
    assert.equal(parse({ $skiptoken: token }).skip, 5000);
    assert.equal(parse({ $skiptoken: encodeSkipToken(0) }).skip, 0);
  });
});

describe('the entity sets of solutions still read their queries in memory', () => {
  test('bare GUIDs and other words compare as text there; errors read as Dataverse', () => {
    const cols = new Set(['solutionid', 'uniquename', 'version']);
    const q = parseQuery(
      { $filter: `solutionid eq ${GUID} and not (version eq '1.0' or startswith(uniquename,'x'))` },
      { columns: cols, entity: 'solution' },
    );
    assert.deepEqual(q.filter, {
      op: 'and',
      left: { op: 'cmp', cmp: 'eq', field: 'solutionid', value: GUID },
      right: {
        op: 'not',
        expr: {
          op: 'or',
          left: { op: 'cmp', cmp: 'eq', field: 'version', value: '1.0' },
          right: { op: 'fn', fn: 'startswith', field: 'uniquename', value: 'x' },
        },
      },
    });
    assert.throws(
      () => parseQuery({ $filter: "version eqq '1'" }, { columns: cols, entity: 'solution' }),
      {
        message: "Syntax error at position 8 in 'version eqq '1''.",
      },
    );
  });
});
