import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RecordQuery } from '../src/model/record-query.js';
import type { TableShape } from '../src/model/table-shape.js';
import { CATALOG_ID } from '../src/catalog/catalog.js';
import {
  encodeSkipToken,
  parseRecordQuery,
  tableColumns,
} from '../src/server/webapi/record-query.js';
import { createEnvironment, findEnvironment } from '../src/store/environments.js';
import { quoteIdent, recordSchemaName, tableRef } from '../src/store/record-names.js';
import { readRecordPage, type RecordPage } from '../src/store/record-reads.js';
import { countRecordsSql, expansionKey, selectRecordsSql } from '../src/store/record-sql.js';
import { sqlColumns } from '../src/store/record-tables.js';
import { storedValue, type StoredRow } from '../src/store/records.js';
import type { Store } from '../src/store/store.js';
import { ACCOUNT, CONTACT } from './support/record-shapes.js';
import { STORE_CASES } from './support/stores.js';

/**
 * Record queries run as SQL on both stores, over tables laid out by hand as
 * store/record-layout.ts says they are: every kind of filter, case, quotes and LIKE's own
 * characters in values, strings that look like SQL, paging over 2,500 rows, $count, $expand.
 */

/** account's physical columns, written out here rather than derived, to check the layout. */
const ACCOUNT_COLUMNS: Array<[string, string]> = [
  ['accountid', 'uuid'],
  ['createdon', 'timestamptz'],
  ['customerid', 'uuid'],
  ['customerid@table', 'text'],
  ['description', 'text'],
  ['donotemail', 'boolean'],
  ['exchangerate', 'numeric'],
  ['industrycode', 'integer'],
  ['latitude', 'double precision'],
  ['name', 'varchar(160)'],
  ['new_birthday', 'date'],
  ['new_colors', 'integer[]'],
  ['new_document', 'uuid'],
  ['new_document@name', 'text'],
  ['new_document@size', 'bigint'],
  ['new_externalid', 'uuid'],
  ['new_localtime', 'timestamp'],
  ['new_population', 'bigint'],
  ['numberofemployees', 'integer'],
  ['primarycontactid', 'uuid'],
  ['revenue', 'numeric(38,4)'],
  ['versionnumber', 'bigint'],
];
const CONTACT_COLUMNS: Array<[string, string]> = [
  ['contactid', 'uuid'],
  ['annualincome', 'numeric(38,4)'],
  ['fullname', 'varchar(160)'],
  ['parentcustomerid', 'uuid'],
  ['parentcustomerid@table', 'text'],
  ['versionnumber', 'bigint'],
];

/** A copy of account under another name, for the 2,500 rows of the paging tests. */
const BULK: TableShape = { ...ACCOUNT, name: 'new_bulkaccount', entitySetName: 'new_bulkaccounts' };
const SHAPES = [ACCOUNT, CONTACT, BULK];
const shapeOf = (t: string) => SHAPES.find((s) => s.name === t);

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const A = {
  contoso: id(1),
  fabrikam: id(2),
  obrien: id(3),
  fifty: id(4),
  fivehundred: id(5),
  droptable: id(6),
  noname: id(7),
  contosoEast: id(8),
};
const ALICE = id(101);
const BOB = id(102);
const EXTERNAL = 'c0ffee00-1d5b-4c1e-9d43-7e0a4f6b2c11';
const DOCUMENT = 'd0c00000-1d5b-4c1e-9d43-7e0a4f6b2c11';
const DROP = "'; DROP TABLE account; --";

/** The rows of account, column → value; the rest are null. */
const ACCOUNTS: Array<Record<string, unknown>> = [
  {
    accountid: A.contoso,
    name: 'Contoso Ltd',
    description: 'Big customer',
    numberofemployees: 100,
    revenue: '1000.5',
    exchangerate: '1.25',
    latitude: 47.6,
    donotemail: false,
    industrycode: 1,
    new_colors: '{1,3}',
    createdon: '2024-01-15T10:00:00Z',
    new_birthday: '1990-05-01',
    new_localtime: '2024-01-15 08:00:00',
    new_population: '9007199254740993',
    primarycontactid: ALICE,
    customerid: BOB,
    'customerid@table': 'contact',
    new_externalid: EXTERNAL,
    new_document: DOCUMENT,
    'new_document@name': 'a.pdf',
    'new_document@size': 1234,
  },
  {
    accountid: A.fabrikam,
    name: 'FABRIKAM, Inc.',
    numberofemployees: 50,
    donotemail: true,
    industrycode: 2,
    new_colors: '{3,1}',
    latitude: 12.5,
    createdon: '2024-03-01T00:00:00Z',
    customerid: A.contoso,
    'customerid@table': 'account',
  },
  { accountid: A.obrien, name: "O'Brien & Sons", new_colors: '{2}', numberofemployees: null },
  { accountid: A.fifty, name: '50% off_sale', description: '100%', numberofemployees: 5 },
  { accountid: A.fivehundred, name: '500 people', numberofemployees: 500, new_colors: '{}' },
  { accountid: A.droptable, name: DROP, numberofemployees: 7 },
  { accountid: A.noname, name: null, numberofemployees: 10 },
  { accountid: A.contosoEast, name: 'CONTOSO East', numberofemployees: 20 },
];

const CONTACTS: Array<Record<string, unknown>> = [
  { contactid: ALICE, fullname: 'Alice Smith', annualincome: '50000.1234' },
  {
    contactid: BOB,
    fullname: 'Bob Jones',
    parentcustomerid: A.contoso,
    'parentcustomerid@table': 'account',
  },
];

const LABEL = new Map(Object.entries(A).map(([k, v]) => [v, k]));

async function createTable(
  store: Store,
  schema: string,
  table: string,
  cols: Array<[string, string]>,
) {
  const defs = cols.map(([n, t], i) => `${quoteIdent(n)} ${t}${i === 0 ? ' PRIMARY KEY' : ''}`);
  await store.query(`CREATE TABLE ${tableRef(schema, table)} (${defs.join(', ')})`);
}

async function insert(store: Store, schema: string, table: string, row: Record<string, unknown>) {
  const names = Object.keys(row);
  await store.query(
    `INSERT INTO ${tableRef(schema, table)} (${names.map(quoteIdent).join(', ')})
     VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')})`,
    Object.values(row),
  );
}

for (const sc of STORE_CASES) {
  describe(`record SQL (${sc.name})`, { skip: sc.skip }, () => {
    let store: Store;
    let schema: string;
    let envId: number;

    before(async () => {
      store = await sc.open();
      await createEnvironment(store, 'records', CATALOG_ID);
      envId = (await findEnvironment(store, 'records')).id;
      const [{ base }] = await store.query<{ base: string }>('SELECT current_schema() AS base');
      schema = recordSchemaName(base, envId);
      await store.query(`CREATE SCHEMA ${quoteIdent(schema)}`);
      // what the DDL records beside the tables: where they are, and the shapes they were made with
      await store.query('UPDATE environments SET records_schema = $2 WHERE id = $1', [
        envId,
        schema,
      ]);
      for (const s of SHAPES)
        await store.query('INSERT INTO record_tables (env_id, name, shape) VALUES ($1, $2, $3)', [
          envId,
          s.name,
          JSON.stringify(s),
        ]);
      await createTable(store, schema, 'account', ACCOUNT_COLUMNS);
      await createTable(store, schema, 'contact', CONTACT_COLUMNS);
      await createTable(store, schema, BULK.name, ACCOUNT_COLUMNS);
      for (const r of ACCOUNTS) await insert(store, schema, 'account', { versionnumber: 1, ...r });
      for (const r of CONTACTS) await insert(store, schema, 'contact', { versionnumber: 1, ...r });
      await store.query(
        `INSERT INTO ${tableRef(schema, BULK.name)} (accountid, name, numberofemployees, versionnumber)
         SELECT md5(i::text)::uuid,
                CASE WHEN i % 10 = 0 THEN NULL
                     ELSE (CASE WHEN i % 2 = 0 THEN 'Name ' ELSE 'NAME ' END) || (i % 37) END,
                CASE WHEN i % 7 = 0 THEN NULL ELSE i % 13 END,
                i
         FROM generate_series(1, 2500) AS i`,
      );
    });

    after(async () => {
      if (schema) await store.query(`DROP SCHEMA ${quoteIdent(schema)} CASCADE`);
      await store?.close();
    });

    const query = (shape: TableShape, params: Record<string, string>): RecordQuery =>
      parseRecordQuery(params, tableColumns(shape, shapeOf));

    const page = (shape: TableShape, q: RecordQuery, pageSize = 5000): Promise<RecordPage> =>
      readRecordPage(store, envId, shape, q, { pageSize });
    const run = async (shape: TableShape, q: RecordQuery): Promise<StoredRow[]> =>
      (await page(shape, q)).rows;

    /** The accounts a $filter matches, by label, sorted. */
    async function matching(filter: string): Promise<string[]> {
      const rows = await run(ACCOUNT, query(ACCOUNT, { $filter: filter }));
      return rows.map((r) => LABEL.get(String(r.accountid)) ?? String(r.accountid)).sort();
    }

    test('the hand-made tables are the layout record-layout.ts describes', () => {
      const layout = (s: TableShape) => s.columns.flatMap(sqlColumns);
      const quoted = (cols: Array<[string, string]>) => cols.map(([n, t]) => [quoteIdent(n), t]);
      assert.deepEqual(layout(ACCOUNT), quoted(ACCOUNT_COLUMNS));
      assert.deepEqual(layout(CONTACT), quoted(CONTACT_COLUMNS));
    });

    test('text: eq and ne ignore case; ne and eq never match a null', async () => {
      assert.deepEqual(await matching("name eq 'contoso ltd'"), ['contoso']);
      assert.deepEqual(await matching("name eq 'CONTOSO LTD'"), ['contoso']);
      assert.deepEqual(await matching("name ne 'contoso ltd'"), [
        'contosoEast',
        'droptable',
        'fabrikam',
        'fifty',
        'fivehundred',
        'obrien',
      ]);
      assert.deepEqual(await matching('name eq null'), ['noname']);
      assert.equal((await matching('name ne null')).length, 7);
      assert.deepEqual(await matching("name gt 'contoso z' and name lt 'g'"), ['fabrikam']);
    });

    test('contains, startswith, endswith ignore case', async () => {
      assert.deepEqual(await matching("contains(name,'CONTOSO')"), ['contoso', 'contosoEast']);
      assert.deepEqual(await matching("startswith(name,'fab')"), ['fabrikam']);
      assert.deepEqual(await matching("endswith(name,'SONS')"), ['obrien']);
      assert.deepEqual(await matching("not contains(name,'o')"), ['fabrikam']);
    });

    test("a quote, % and _ in a value are matched as written, never as LIKE's wildcards", async () => {
      assert.deepEqual(await matching("name eq 'O''Brien & Sons'"), ['obrien']);
      assert.deepEqual(await matching("contains(name,'''')"), ['droptable', 'obrien']);
      assert.deepEqual(await matching("contains(name,'50%')"), ['fifty']);
      assert.deepEqual(await matching("startswith(name,'50%_')"), []);
      assert.deepEqual(await matching("startswith(name,'50% off_')"), ['fifty']);
      assert.deepEqual(await matching("contains(name,'_')"), ['fifty']);
      assert.deepEqual(await matching("contains(name,'%')"), ['fifty']);
      assert.deepEqual(await matching("endswith(description,'0%')"), ['fifty']);
      assert.deepEqual(await matching("contains(name,'\\')"), []);
    });

    test('strings that look like SQL are values: found as themselves, nothing runs', async () => {
      const filter = `name eq '${DROP.replace(/'/g, "''")}' or contains(description,'''); DELETE FROM account; --')`;
      const q = query(ACCOUNT, { $filter: filter });
      const { sql } = selectRecordsSql(schema, ACCOUNT, q, { pageSize: 10 });
      assert.doesNotMatch(sql, /DROP|DELETE/);
      assert.deepEqual(await matching(filter), ['droptable']);
      assert.deepEqual(await matching("contains(name,'; DROP TABLE')"), ['droptable']);
      const [{ count }] = await store.query<{ count: number }>(
        `SELECT count(*)::integer AS count FROM ${tableRef(schema, 'account')}`,
      );
      assert.equal(count, ACCOUNTS.length);
    });

    test('numbers: integers, decimals, money, floats, and integers past a double', async () => {
      assert.deepEqual(await matching('numberofemployees gt 50'), ['contoso', 'fivehundred']);
      assert.deepEqual(await matching('numberofemployees ge 50 and numberofemployees le 100'), [
        'contoso',
        'fabrikam',
      ]);
      assert.deepEqual(await matching('numberofemployees lt 10'), ['droptable', 'fifty']);
      assert.deepEqual(await matching('numberofemployees eq 99999999999'), []);
      assert.deepEqual(await matching('numberofemployees lt 99999999999.5'), [
        'contoso',
        'contosoEast',
        'droptable',
        'fabrikam',
        'fifty',
        'fivehundred',
        'noname',
      ]);
      assert.deepEqual(await matching('revenue eq 1000.5'), ['contoso']);
      assert.deepEqual(await matching('revenue gt 1000.49'), ['contoso']);
      assert.deepEqual(await matching('exchangerate eq 1.25'), ['contoso']);
      assert.deepEqual(await matching('latitude gt 20'), ['contoso']);
      assert.deepEqual(await matching('new_population eq 9007199254740993'), ['contoso']);
      assert.deepEqual(await matching('new_population eq 9007199254740992'), []);
    });

    test('yes/no, choice, and a multi-select compared as a set', async () => {
      assert.deepEqual(await matching('donotemail eq true'), ['fabrikam']);
      assert.deepEqual(await matching('donotemail ne true'), ['contoso']);
      assert.deepEqual(await matching('industrycode eq 2'), ['fabrikam']);
      assert.deepEqual(await matching("new_colors eq '3,1'"), ['contoso', 'fabrikam']);
      assert.deepEqual(await matching("new_colors eq '1'"), []);
      assert.deepEqual(await matching('new_colors eq 2'), ['obrien']);
      assert.deepEqual(await matching("new_colors ne '1,3'"), ['obrien']);
      // an empty set is no choice, as null is
      assert.deepEqual(await matching('new_colors eq null'), [
        'contosoEast',
        'droptable',
        'fifty',
        'fivehundred',
        'noname',
      ]);
      assert.deepEqual(await matching('new_colors ne null'), ['contoso', 'fabrikam', 'obrien']);
    });

    test('dates in each behaviour; a date alone is midnight UTC', async () => {
      assert.deepEqual(await matching('createdon ge 2024-02-01'), ['fabrikam']);
      assert.deepEqual(await matching('createdon eq 2024-03-01'), ['fabrikam']);
      assert.deepEqual(await matching('createdon lt 2024-01-15T11:00:00+01:00'), []);
      assert.deepEqual(await matching('createdon le 2024-01-15T11:00:00+01:00'), ['contoso']);
      assert.deepEqual(await matching('createdon eq 2024-01-15T10:00:00'), ['contoso']);
      assert.deepEqual(await matching('new_birthday eq 1990-05-01'), ['contoso']);
      assert.deepEqual(await matching('new_birthday lt 1990-05-01'), []);
      assert.deepEqual(await matching('new_localtime eq 2024-01-15T08:00:00'), ['contoso']);
    });

    test('ids, uuids, files and lookups as _x_value', async () => {
      assert.deepEqual(await matching(`accountid eq ${A.fabrikam.toUpperCase()}`), ['fabrikam']);
      assert.deepEqual(await matching(`new_externalid eq ${EXTERNAL}`), ['contoso']);
      assert.deepEqual(await matching(`_primarycontactid_value eq ${ALICE}`), ['contoso']);
      assert.deepEqual(await matching(`_customerid_value eq ${A.contoso}`), ['fabrikam']);
      assert.deepEqual(await matching('_customerid_value ne null'), ['contoso', 'fabrikam']);
      assert.deepEqual(await matching('new_document ne null'), ['contoso']);
    });

    test('and, or, not in their precedence', async () => {
      assert.deepEqual(
        await matching("name eq 'x' or numberofemployees eq 100 and donotemail eq false"),
        ['contoso'],
      );
      assert.deepEqual(
        await matching("(name eq 'x' or numberofemployees eq 50) and donotemail eq true"),
        ['fabrikam'],
      );
      assert.deepEqual(await matching('not numberofemployees ge 10 and numberofemployees ne 7'), [
        'fifty',
      ]);
      assert.deepEqual(
        await matching('not (numberofemployees ge 10 or numberofemployees eq null)'),
        ['droptable', 'fifty'],
      );
    });

    test('$select: the columns asked, their companions, the id and versionnumber', async () => {
      const q = query(ACCOUNT, {
        $select: 'name,_customerid_value,new_document',
        $filter: `accountid eq ${A.contoso}`,
      });
      const [row] = await run(ACCOUNT, q);
      assert.deepEqual(Object.keys(row).sort(), [
        'accountid',
        'customerid',
        'customerid@table',
        'name',
        'new_document',
        'new_document@name',
        'new_document@size',
        'versionnumber',
      ]);
      assert.equal(storedValue(row, 'customerid', 'table'), 'contact');
      assert.equal(storedValue(row, 'new_document', 'name'), 'a.pdf');
      assert.equal(storedValue(row, 'new_document', 'size'), 1234);
    });

    test('$orderby: nulls first ascending, text without case, then the id', async () => {
      const rows = await run(ACCOUNT, query(ACCOUNT, { $orderby: 'name' }));
      assert.deepEqual(
        rows.map((r) => LABEL.get(String(r.accountid))),
        [
          'noname',
          'droptable',
          'fifty',
          'fivehundred',
          'contosoEast',
          'contoso',
          'fabrikam',
          'obrien',
        ],
      );
      const desc = await run(ACCOUNT, query(ACCOUNT, { $orderby: 'numberofemployees desc,name' }));
      assert.deepEqual(
        desc.map((r) => LABEL.get(String(r.accountid))),
        [
          'fivehundred',
          'contoso',
          'fabrikam',
          'contosoEast',
          'noname',
          'droptable',
          'fifty',
          'obrien',
        ],
      );
    });

    test('2,500 rows in pages of 100 by nextLink: each once, in order, none missing', async () => {
      const params = {
        $orderby: 'name asc,numberofemployees desc',
        $select: 'name,numberofemployees',
      };
      const seen: StoredRow[] = [];
      let token: string | undefined;
      let pages = 0;
      for (;;) {
        const q = query(BULK, token ? { ...params, $skiptoken: token } : params);
        const { rows, nextSkip } = await page(BULK, q, 100);
        pages++;
        assert.ok(rows.length <= 100);
        seen.push(...rows);
        if (nextSkip === null) break;
        token = encodeSkipToken(nextSkip);
      }
      assert.equal(pages, 25);
      assert.equal(seen.length, 2500);
      assert.equal(new Set(seen.map((r) => r.accountid)).size, 2500);
      const key = (r: StoredRow) =>
        [
          r.name === null ? null : String(r.name).toLowerCase(),
          r.numberofemployees as number | null,
          String(r.accountid),
        ] as const;
      const before = (a: StoredRow, b: StoredRow): number => {
        const [an, ae, ai] = key(a);
        const [bn, be, bi] = key(b);
        if (an !== bn) return an === null ? -1 : bn === null ? 1 : an < bn ? -1 : 1;
        if (ae !== be) return ae === null ? 1 : be === null ? -1 : be - ae;
        return ai < bi ? -1 : ai > bi ? 1 : 0;
      };
      assert.deepEqual(seen, [...seen].sort(before));
    });

    test('$top caps the rows in all, across pages', async () => {
      const params = { $top: '250', $orderby: 'numberofemployees' };
      let q = query(BULK, params);
      const sizes: number[] = [];
      for (;;) {
        const { rows, nextSkip } = await page(BULK, q, 100);
        sizes.push(rows.length);
        if (nextSkip === null) break;
        q = query(BULK, { ...params, $skiptoken: encodeSkipToken(nextSkip) });
      }
      assert.deepEqual(sizes, [100, 100, 50]);
      assert.deepEqual(await run(BULK, query(BULK, { $top: '0' })), []);
    });

    test('$count: the rows the filter matches, besides the page', async () => {
      const count = async (shape: TableShape, params: Record<string, string>) =>
        (await page(shape, query(shape, { ...params, $count: 'true' }), 10)).count;
      assert.equal(await count(BULK, {}), 2500);
      assert.equal(await count(ACCOUNT, {}), ACCOUNTS.length);
      assert.equal(await count(ACCOUNT, { $filter: "contains(name,'contoso')", $top: '1' }), 2);
      assert.equal((await page(ACCOUNT, query(ACCOUNT, {}))).count, null);
      let paged = 0;
      let q = query(BULK, { $filter: 'numberofemployees ge 5' });
      for (;;) {
        const { rows, nextSkip } = await page(BULK, q, 500);
        paged += rows.length;
        if (nextSkip === null) break;
        q = { ...q, skip: nextSkip };
      }
      assert.equal(await count(BULK, { $filter: 'numberofemployees ge 5' }), paged);
      // the count's own SQL, as the store builds it
      const c = countRecordsSql(
        schema,
        BULK,
        query(BULK, { $filter: 'numberofemployees eq null' }).filter,
      );
      const [{ count: nulls }] = await store.query<{ count: number }>(c.sql, c.params);
      assert.equal(Number(nulls), (2500 / 7) | 0);
    });

    test("$expand of a lookup: the target record (with its etag's version), or null", async () => {
      const q = query(ACCOUNT, {
        $select: 'name',
        $expand: 'primarycontactid($select=fullname,annualincome)',
        $filter: `accountid eq ${A.contoso} or accountid eq ${A.fabrikam}`,
        $orderby: 'name',
      });
      const [contoso, fabrikam] = await run(ACCOUNT, q);
      assert.deepEqual(contoso[expansionKey('primarycontactid')], {
        contactid: ALICE,
        fullname: 'Alice Smith',
        annualincome: 50000.1234,
        versionnumber: 1,
      });
      assert.equal(fabrikam[expansionKey('primarycontactid')], null);
      assert.equal(contoso.name, 'Contoso Ltd');
    });

    test('$expand of a polymorphic lookup follows only the table it names', async () => {
      const q = query(ACCOUNT, {
        $select: 'name',
        $expand: 'customerid_account($select=name),customerid_contact($select=fullname)',
        $orderby: 'name',
        $filter: '_customerid_value ne null',
      });
      const [contoso, fabrikam] = await run(ACCOUNT, q);
      assert.equal(contoso[expansionKey('customerid_account')], null);
      assert.deepEqual(contoso[expansionKey('customerid_contact')], {
        contactid: BOB,
        fullname: 'Bob Jones',
        versionnumber: 1,
      });
      assert.deepEqual(fabrikam[expansionKey('customerid_account')], {
        accountid: A.contoso,
        name: 'Contoso Ltd',
        versionnumber: 1,
      });
      assert.equal(fabrikam[expansionKey('customerid_contact')], null);
      // without a $select inside: every column of the target, companions too
      const all = await run(
        CONTACT,
        query(CONTACT, { $expand: 'parentcustomerid_account', $filter: `contactid eq ${BOB}` }),
      );
      const parent = all[0][expansionKey('parentcustomerid_account')] as Record<string, unknown>;
      assert.equal(parent.name, 'Contoso Ltd');
      assert.equal(parent['customerid@table'], 'contact');
      assert.equal(parent.revenue, 1000.5);
    });
  });
}
