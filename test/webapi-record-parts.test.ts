import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ColumnShape } from '../src/model/table-shape.js';
import { optionLabelsOf } from '../src/package/customizations/option-labels.js';
import { formattedValue } from '../src/server/webapi/formatted-values.js';
import { parsePrefer } from '../src/server/webapi/prefer.js';
import { entityReference, recordKeyOf } from '../src/server/webapi/record-body.js';
import { recordFormatter } from '../src/server/webapi/record-format.js';
import { nextPageQuery, recordPath } from '../src/server/webapi/record-path.js';
import { ACCOUNT, shapeOf } from './support/record-shapes.js';

/**
 * The pieces the tables' entity sets read requests with and write records with, on their own:
 * the Prefer header, paths with keys, record addresses in bindings, formatted values, option
 * labels read from definitions as real exports write them.
 */
const col = (kind: ColumnShape['kind'], more: Partial<ColumnShape> = {}): ColumnShape => ({
  name: 'x',
  kind,
  type: kind,
  required: false,
  ...more,
});

describe('the parts of the record entity sets', () => {
  test('Prefer: several preferences, quoted lists, patterns and exclusions', () => {
    const p = parsePrefer(
      'return=representation, odata.maxpagesize=50,' +
        'odata.include-annotations="Microsoft.Dynamics.CRM.*,-Microsoft.Dynamics.CRM.associatednavigationproperty"',
    );
    assert.equal(p.returnRepresentation, true);
    assert.equal(p.maxPageSize, 50);
    assert.equal(p.wantsAnnotation('Microsoft.Dynamics.CRM.lookuplogicalname'), true);
    assert.equal(p.wantsAnnotation('Microsoft.Dynamics.CRM.associatednavigationproperty'), false);
    assert.equal(p.wantsAnnotation('OData.Community.Display.V1.FormattedValue'), false);
    const none = parsePrefer(undefined);
    assert.deepEqual(
      [none.returnRepresentation, none.maxPageSize, none.annotations],
      [false, null, null],
    );
    assert.equal(parsePrefer(['odata.include-annotations="*"']).wantsAnnotation('any.thing'), true);
    assert.equal(parsePrefer('odata.maxpagesize=many').maxPageSize, null);
  });

  test('paths: keys with quoted parentheses and slashes, what follows them', () => {
    assert.deepEqual(recordPath('accounts'), { set: 'accounts', key: null, rest: null });
    assert.deepEqual(recordPath("accounts(name='a/b (c)')"), {
      set: 'accounts',
      key: "name='a/b (c)'",
      rest: null,
    });
    assert.deepEqual(recordPath('accounts/$count'), { set: 'accounts', key: null, rest: '$count' });
    assert.throws(() => recordPath('accounts(x'), /Resource not found/);
    assert.throws(() => recordPath('accounts/'), /Resource not found/);
    assert.equal(
      nextPageQuery('/api/data/v9.2/accounts?$select=name&%24skiptoken=abc&$top=9', 'T'),
      '$select=name&$top=9&$skiptoken=T',
    );
  });

  test('keys and record addresses', () => {
    const id = '5f0e8a1c-1d5b-4c1e-9d43-7e0a4f6b2c11';
    assert.deepEqual(recordKeyOf(`{${id.toUpperCase()}}`, ACCOUNT), { id });
    assert.deepEqual(recordKeyOf("name='O''Brien',numberofemployees=5", ACCOUNT), {
      key: { name: "O'Brien", numberofemployees: 5 },
    });
    assert.deepEqual(recordKeyOf(`_primarycontactid_value=${id}`, ACCOUNT), {
      key: { primarycontactid: id },
    });
    assert.deepEqual(recordKeyOf('not-a-guid', ACCOUNT), { id: 'not-a-guid' });
    assert.throws(() => recordKeyOf("colour='red'", ACCOUNT), /Invalid property 'colour'/);
    for (const text of [
      `/accounts(${id})`,
      `accounts(${id})`,
      `https://org.example/api/data/v9.2/accounts({${id}})`,
    ])
      assert.deepEqual(entityReference(text), { set: 'accounts', id }, text);
    assert.equal(entityReference('/accounts(42)'), null);
    assert.equal(entityReference("/accounts(name='x')"), null);
  });

  test('formatted values as an English (United States) user in UTC sees them', () => {
    const labels = new Map([[1, 'Preferred']]);
    assert.equal(formattedValue(col('choice'), 1, labels), 'Preferred');
    assert.equal(formattedValue(col('choice'), 2, labels), '2');
    assert.equal(formattedValue(col('choices'), [1, 2], labels), 'Preferred; 2');
    assert.equal(formattedValue(col('boolean'), false, undefined), 'No');
    assert.equal(formattedValue(col('integer'), 1234567, undefined), '1,234,567');
    assert.equal(formattedValue(col('decimal', { precision: 3 }), 2.5, undefined), '2.500');
    assert.equal(formattedValue(col('money'), -1234.5, undefined), '-$1,234.50');
    assert.equal(
      formattedValue(
        col('datetime', { behavior: 'UserLocal' }),
        '2026-11-29T00:05:00+00:00',
        undefined,
      ),
      '11/29/2026 12:05 AM',
    );
    assert.equal(
      formattedValue(col('datetime', { behavior: 'DateOnly' }), '2026-02-03', undefined),
      '2/3/2026',
    );
    assert.equal(formattedValue(col('text'), 'x', undefined), undefined);
    assert.equal(formattedValue(col('integer'), null, undefined), undefined);
  });

  test('option labels as real exports write them: options, states, a yes/no pair', () => {
    const picklist = `<attribute PhysicalName="new_Stage"><Type>picklist</Type>
      <optionset Name="new_stage"><OptionSetType>picklist</OptionSetType><options>
        <option value="100000000"><labels><label description="Neu" languagecode="1031" />
          <label description="New" languagecode="1033" /></labels></option>
        <option value="100000001"><labels><label description="Nur" languagecode="1031" /></labels></option>
      </options></optionset></attribute>`;
    assert.deepEqual(
      [...optionLabelsOf(picklist)],
      [
        [100000000, 'New'],
        [100000001, 'Nur'],
      ],
    );
    const state = `<attribute><Type>state</Type><optionset><states>
      <state value="0" defaultstatus="1"><labels><label description="Active" languagecode="1033" /></labels></state>
      <state value="1" defaultstatus="2"><labels><label description="Inactive" languagecode="1033" /></labels></state>
      </states></optionset></attribute>`;
    assert.deepEqual(
      [...optionLabelsOf(state)],
      [
        [0, 'Active'],
        [1, 'Inactive'],
      ],
    );
    const global =
      '<attribute><Type>picklist</Type><OptionSetName>new_colours</OptionSetName></attribute>';
    assert.equal(optionLabelsOf(global).size, 0);
  });

  test('a record as the Web API writes it: etag, _x_value, dates, choices, annotations on request', () => {
    const record = {
      values: {
        accountid: 'a0000000-0000-7000-8000-000000000001',
        name: 'Contoso',
        industrycode: 2,
        new_colors: [1, 3],
        new_birthday: '1990-05-17',
        new_localtime: '2026-11-29T10:30:00',
        createdon: '2026-11-29T10:30:00.123+00:00',
        primarycontactid: 'c0000000-0000-7000-8000-000000000002',
        customerid: 'c0000000-0000-7000-8000-000000000003',
        'customerid@table': 'contact',
      },
      version: '42',
      expanded: {
        primarycontactid: {
          values: { contactid: 'c0000000-0000-7000-8000-000000000002', fullname: 'Ann' },
          version: '7',
        },
      },
    };
    const plain = recordFormatter(ACCOUNT, {
      shapeOf,
      optionLabels: () => undefined,
      wantsAnnotation: () => false,
      select: ['name', 'new_colors', 'new_birthday', 'new_localtime', 'createdon', 'customerid'],
      expand: [],
    })(record);
    assert.deepEqual(plain, {
      '@odata.etag': 'W/"42"',
      accountid: 'a0000000-0000-7000-8000-000000000001',
      createdon: '2026-11-29T10:30:00Z',
      _customerid_value: 'c0000000-0000-7000-8000-000000000003',
      name: 'Contoso',
      new_birthday: '1990-05-17',
      new_colors: '1,3',
      new_localtime: '2026-11-29T10:30:00Z',
    });
    const annotated = recordFormatter(ACCOUNT, {
      shapeOf,
      optionLabels: (t, c) =>
        t === 'account' && c === 'industrycode' ? new Map([[2, 'Consulting']]) : undefined,
      wantsAnnotation: () => true,
      select: ['industrycode', 'customerid', 'primarycontactid'],
      expand: [{ navigation: 'primarycontactid', table: 'contact', select: ['fullname'] }],
    })(record);
    assert.equal(annotated['industrycode@OData.Community.Display.V1.FormattedValue'], 'Consulting');
    assert.equal(annotated.industrycode, 2);
    assert.equal(
      annotated['_customerid_value@Microsoft.Dynamics.CRM.lookuplogicalname'],
      'contact',
    );
    assert.equal(
      annotated['_customerid_value@Microsoft.Dynamics.CRM.associatednavigationproperty'],
      'customerid_contact',
    );
    assert.equal(
      annotated['_primarycontactid_value@Microsoft.Dynamics.CRM.lookuplogicalname'],
      'contact',
    );
    assert.deepEqual(annotated.primarycontactid, {
      '@odata.etag': 'W/"7"',
      contactid: 'c0000000-0000-7000-8000-000000000002',
      fullname: 'Ann',
    });
  });
});
