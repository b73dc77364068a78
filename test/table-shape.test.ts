import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { catalogComponents } from '../src/catalog/catalog.js';
import {
  defaultEntitySetName,
  globalOptionSetOf,
  tableShapeOf,
} from '../src/package/customizations/table-shape.js';
import { readPackage, type SolutionPackage } from '../src/package/read.js';
import {
  columnOf,
  polymorphic,
  type ColumnShape,
  type TableShape,
} from '../src/model/table-shape.js';
import {
  HAVE_REAL_FIXTURES,
  NO_FIXTURES_REASON,
  listRealPackages,
  realFixture,
  relativeToFixtures,
} from './support/fixtures.js';

const KINDS = new Set([
  'id',
  'text',
  'integer',
  'bigint',
  'decimal',
  'money',
  'float',
  'boolean',
  'choice',
  'choices',
  'datetime',
  'lookup',
  'uuid',
  'file',
]);

/** The shapes of every table a package defines, with its global option sets and relationships. */
function shapesOf(pkg: SolutionPackage, withOptionSets = true): Map<string, TableShape> {
  const optionSets = new Map<string, number[]>();
  for (const c of pkg.components)
    if (c.type === 'optionset' && withOptionSets) {
      const set = globalOptionSetOf(c.xml);
      optionSets.set(set.name, set.values);
    }
  const relationships = pkg.components.filter((c) => c.type === 'relationship').map((c) => c.xml);
  const shapes = new Map<string, TableShape>();
  for (const e of pkg.components.filter((c) => c.type === 'entity')) {
    const attributes = pkg.components
      .filter((c) => c.type === 'attribute' && c.parent?.key === e.key)
      .map((c) => c.xml);
    shapes.set(e.key, tableShapeOf({ entity: e.xml, attributes, optionSets, relationships }));
  }
  return shapes;
}

const packages = new Map<string, SolutionPackage>();
function realShapes(rel: string, withOptionSets = true): Map<string, TableShape> {
  let pkg = packages.get(rel);
  if (!pkg) packages.set(rel, (pkg = readPackage(realFixture(rel))));
  return shapesOf(pkg, withOptionSets);
}

function column(shape: TableShape | undefined, name: string): ColumnShape {
  assert.ok(shape, 'table shape');
  const c = columnOf(shape, name);
  assert.ok(c, `${shape.name}.${name}`);
  return c;
}

/** What every shape promises, whatever its definitions left out. */
function assertWellFormed(s: TableShape, where: string): void {
  assert.equal(s.columns[0].name, s.primaryId, `${where}: primary key first`);
  assert.equal(s.columns[0].kind, 'id', `${where}: primary key kind`);
  const names = s.columns.map((c) => c.name);
  assert.equal(new Set(names).size, names.length, `${where}: a column twice`);
  assert.deepEqual(names.slice(1), [...names.slice(1)].sort(), `${where}: columns by name`);
  for (const m of ['createdon', 'modifiedon', 'versionnumber'])
    assert.equal(columnOf(s, m)?.system, true, `${where}: ${m} maintained by strata`);
  if (s.ownership === 'user') assert.equal(columnOf(s, 'ownerid')?.kind, 'lookup', where);
  for (const c of s.columns) {
    assert.ok(KINDS.has(c.kind), `${where}.${c.name}: kind ${c.kind}`);
    assert.match(c.name, /^[a-z0-9_]+$/, `${where}: column name`);
    if (c.system) assert.equal(c.required, false, `${where}.${c.name}: system and required`);
  }
  assert.match(s.entitySetName, /^[A-Za-z0-9_]+$/, `${where}: entity set name`);
}

describe(
  'table shapes of real packages',
  { skip: HAVE_REAL_FIXTURES ? false : NO_FIXTURES_REASON },
  () => {
    test('every entity of every real package derives a well-formed shape', () => {
      let tables = 0;
      for (const p of listRealPackages()) {
        for (const [key, s] of shapesOf(readPackage(p))) {
          assertWellFormed(s, `${relativeToFixtures(p)}: ${key}`);
          assert.equal(s.name, key);
          tables++;
        }
      }
      assert.ok(tables >= 269, `${tables} tables`);
    });

    test('BinaryStorageOptions 2.0.0.0: the settings table that 3.1.0.0 removes', () => {
      const s = realShapes(
        'binary-storage-options-series/BinaryStorageOptions_2_0_0_0_managed.zip',
      ).get('bso_binarystorageoptionsconfigurationsettin');
      assert.ok(s);
      assert.equal(s.primaryId, 'bso_binarystorageoptionsconfigurationsettinid');
      // real exports carry neither PrimaryIdAttribute nor PrimaryNameAttribute: the DisplayMask does
      assert.equal(s.primaryName, 'bso_key');
      assert.equal(s.ownership, 'org');
      assert.equal(s.entitySetName, 'bso_binarystorageoptionsconfigurationsettins');
      assert.deepEqual(column(s, 'bso_key'), {
        name: 'bso_key',
        kind: 'text',
        type: 'nvarchar',
        required: true,
        maxLength: 100,
      });
      assert.deepEqual(column(s, 'bso_value'), {
        name: 'bso_value',
        kind: 'text',
        type: 'nvarchar',
        required: false,
        maxLength: 1000,
      });
      assert.deepEqual(column(s, 'statecode').options, [0, 1]);
      assert.deepEqual(column(s, 'statuscode').options, [1, 2]);
      assert.equal(column(s, 'statecode').system, true);
      // createdby's LookupTypes is empty: every table's own lookups have known targets
      assert.deepEqual(column(s, 'createdby').targets, ['systemuser']);
      assert.deepEqual(column(s, 'utcconversiontimezonecode'), {
        name: 'utcconversiontimezonecode',
        kind: 'integer',
        type: 'int',
        required: false,
        min: -1,
        max: 2147483647,
      });
      // an org-owned table has no owner
      assert.equal(columnOf(s, 'ownerid'), undefined);
    });

    test("a picklist's options come from its own option set", () => {
      const s = realShapes(
        'dynamics365-apps-samples/DependentOptionSetsSample_2_0_0_0_target_CRM_8.0_managed.zip',
      ).get('sample_ticket');
      assert.deepEqual(column(s, 'sample_category'), {
        name: 'sample_category',
        kind: 'choice',
        type: 'picklist',
        required: false,
        options: [727000000, 727000001],
        optionSet: 'sample_ticket_sample_category',
      });
    });

    test('a picklist on a global option set takes its values from the set, when it is known', () => {
      const rel = 'fasttrack-p2c/P2CFieldService.zip';
      const poststatus = column(
        realShapes(rel).get('msdyn_inventoryadjustment'),
        'msdynce_poststatus',
      );
      assert.equal(poststatus.required, true);
      assert.equal(poststatus.optionSet, 'msdynce_poststatus');
      assert.deepEqual(poststatus.options, [1, 2]);
      const unknown = column(
        realShapes(rel, false).get('msdyn_inventoryadjustment'),
        'msdynce_poststatus',
      );
      assert.deepEqual(unknown.options, [], 'no set: any value');
    });

    test("a lookup's targets: its relationships, LookupTypes as type codes, a polymorphic lookup", () => {
      const media = realShapes('powerapps-samples/polymorphiclookupexamplesolution.zip').get(
        'sample_media',
      );
      const poly = column(media, 'sample_mediapolymorphiclookup');
      assert.deepEqual(poly.targets, ['sample_audio', 'sample_book', 'sample_video']);
      assert.ok(polymorphic(poly));
      // ownerid's LookupTypes are 8 and 9; its relationship names the abstract `owner` table
      assert.deepEqual(column(media, 'ownerid').targets, ['systemuser', 'team']);
      assert.equal(column(media, 'ownerid').system, true);
      const history = realShapes(
        'newsman-sync-series/2017-09-03_2319_1a5c09b/NewsmanSync_1_0_0_6_managed.zip',
      ).get('nmc_newsmanhistory');
      const newsletter = column(history, 'nmc_newsletterid');
      assert.deepEqual(newsletter.targets, ['nmc_newsmannewsletter']);
      assert.ok(!polymorphic(newsletter));
    });

    test('a customer column is polymorphic over account and contact', () => {
      const s = realShapes(
        'newsman-sync-series/2017-09-06_0011_d0bb7a8/NewsmanSync_1_1_0_1_managed.zip',
      ).get('nmc_newsmanhistory');
      const customer = column(s, 'nmc_customerid');
      assert.equal(customer.kind, 'lookup');
      assert.equal(customer.type, 'customer');
      assert.deepEqual(customer.targets, ['account', 'contact']);
      assert.ok(polymorphic(customer));
    });

    test('date and time behaviours: DateOnly, TimeZoneIndependent, and UserLocal without one', () => {
      const invoice = realShapes('fasttrack-p2c/CRMP2C.zip').get('invoice');
      assert.deepEqual(column(invoice, 'msdynce_invoicedate'), {
        name: 'msdynce_invoicedate',
        kind: 'datetime',
        type: 'datetime',
        required: false,
        behavior: 'DateOnly',
      });
      const key = realShapes('rollbackmanagerlab/RollBackManagerLab_1_0_0_0.zip').get(
        'cr70c_rollbackmanagerapikey',
      );
      assert.equal(column(key, 'cr70c_expiresinutc').behavior, 'TimeZoneIndependent');
      // 2.0.0.0 predates date behaviours: <Format>date</Format> and no <Behavior> is UserLocal
      const settings = realShapes(
        'binary-storage-options-series/BinaryStorageOptions_2_0_0_0_managed.zip',
      ).get('bso_binarystorageoptionsconfigurationsettin');
      assert.equal(column(settings, 'overriddencreatedon').behavior, 'UserLocal');
    });

    test('alternate keys, from EntityKeys', () => {
      const upsert = realShapes('powerapps-samples/UpsertSample_1_0_0_0_managed.zip');
      assert.deepEqual(upsert.get('sample_product')?.keys, [
        { name: 'sample_productcode', columns: ['sample_productcode'] },
      ]);
      const p2c = realShapes('fasttrack-p2c/P2CFieldService.zip');
      assert.deepEqual(p2c.get('msdynce_externalproductinventory')?.keys, [
        {
          name: 'msdynce_productwarehouse',
          columns: ['msdynce_productnumber', 'msdynce_warehouseid'],
        },
      ]);
    });

    test("a lookup's name, yomi name and type companions hold no value of their own", () => {
      const s = realShapes(
        'newsman-sync-series/2017-09-06_0011_d0bb7a8/NewsmanSync_1_1_0_1_managed.zip',
      ).get('nmc_newsmanhistory');
      assert.ok(s);
      for (const gone of [
        'owneridname',
        'owneridyominame',
        'owneridtype',
        'owninguser',
        'owningteam',
      ])
        assert.equal(columnOf(s, gone), undefined, gone);
      assert.equal(column(s, 'versionnumber').kind, 'bigint');
    });

    test('every EntitySetName of the real packages is the default the logical name gives', () => {
      let checked = 0;
      for (const p of listRealPackages()) {
        const pkg = readPackage(p);
        for (const e of pkg.components.filter((c) => c.type === 'entity')) {
          const set = /<EntitySetName>([^<]+)<\/EntitySetName>/.exec(e.xml)?.[1];
          if (!set) continue;
          assert.equal(defaultEntitySetName(e.key), set, e.key);
          checked++;
        }
      }
      assert.ok(checked > 60, `${checked} entity set names`);
    });
  },
);

describe('table shapes of the catalog', () => {
  const components = catalogComponents();
  const tables = components.filter((c) => c.type === 'entity');
  const shapeOf = (table: string): TableShape => {
    const entity = tables.find((t) => t.key === table);
    assert.ok(entity, table);
    const attributes = components.filter((c) => c.parent?.key === table).map((c) => c.xml);
    return tableShapeOf({ entity: entity.xml, attributes });
  };

  test('every standard table derives a well-formed shape', () => {
    assert.ok(tables.length >= 90);
    for (const t of tables) assertWellFormed(shapeOf(t.key), `catalog ${t.key}`);
  });

  test('account: ownership, names, an owner, lookups and no companion columns', () => {
    const account = shapeOf('account');
    assert.equal(account.entitySetName, 'accounts');
    assert.equal(account.primaryId, 'accountid');
    assert.equal(account.primaryName, 'name');
    assert.equal(account.ownership, 'user');
    assert.deepEqual(column(account, 'ownerid').targets, ['systemuser', 'team']);
    assert.deepEqual(column(account, 'parentaccountid').targets, ['account']);
    assert.equal(column(account, 'name').maxLength, 100, 'nvarchar without MaxLength');
    assert.equal(column(account, 'description').maxLength, 2000, 'memo without MaxLength');
    assert.deepEqual(column(account, 'statecode').options, [0, 1]);
    for (const gone of ['createdbyname', 'owneridtype', 'primarycontactidyominame'])
      assert.equal(columnOf(account, gone), undefined, gone);
  });

  test('activities key by activityid; a few standard entity sets are irregular', () => {
    assert.equal(shapeOf('email').primaryId, 'activityid');
    assert.equal(shapeOf('email').columns[0].name, 'activityid');
    assert.equal(shapeOf('opportunity').entitySetName, 'opportunities');
    assert.equal(shapeOf('fax').entitySetName, 'faxes');
    assert.equal(
      shapeOf('principalobjectattributeaccess').entitySetName,
      'principalobjectattributeaccessset',
    );
    assert.equal(shapeOf('languagelocale').entitySetName, 'languagelocale');
  });
});

describe('table shapes of hand-written definitions', () => {
  const attribute = (name: string, type: string, extra = ''): string =>
    `<attribute PhysicalName="${name}"><Type>${type}</Type><Name>${name}</Name>` +
    `<LogicalName>${name}</LogicalName>${extra}</attribute>`;
  const entity = (name: string, mask: string, extra = ''): string =>
    `<Entity><Name>${name}</Name><EntityInfo><entity Name="${name}"><attributes />` +
    `<OwnershipTypeMask>${mask}</OwnershipTypeMask>${extra}</entity></EntityInfo></Entity>`;

  test('a table gets the maintained columns and, when user-owned, an owner', () => {
    const s = tableShapeOf({
      entity: entity('new_thing', 'UserOwned'),
      attributes: [attribute('new_thingid', 'primarykey'), attribute('new_name', 'nvarchar')],
    });
    assert.deepEqual(
      s.columns.map((c) => c.name),
      ['new_thingid', 'createdon', 'modifiedon', 'new_name', 'ownerid', 'versionnumber'],
    );
    assert.deepEqual(column(s, 'ownerid'), {
      name: 'ownerid',
      kind: 'lookup',
      type: 'owner',
      required: false,
      targets: ['systemuser', 'team'],
      system: true,
    });
    assert.deepEqual(column(s, 'createdon').behavior, 'UserLocal');
    assert.equal(columnOf(s, 'statecode'), undefined, 'no state unless defined');
    const org = tableShapeOf({ entity: entity('new_org', 'OrgOwned'), attributes: [] });
    assert.equal(org.columns[0].name, 'new_orgid', 'a primary key even when not defined');
    assert.equal(columnOf(org, 'ownerid'), undefined);
  });

  test('kinds, ranges and defaults from the attribute types', () => {
    const s = tableShapeOf({
      entity: entity('new_t', 'None', '<EntitySetName>new_things</EntitySetName>'),
      attributes: [
        attribute('new_n', 'int', '<MinValue>0</MinValue><MaxValue>10</MaxValue>'),
        attribute('new_i', 'int'),
        attribute('new_d', 'decimal', '<Precision>5</Precision>'),
        attribute('new_m', 'money'),
        attribute('new_f', 'float', '<Accuracy>3</Accuracy>'),
        attribute('new_b', 'bit', '<RequiredLevel>systemrequired</RequiredLevel>'),
        attribute('new_u', 'uniqueidentifier'),
        attribute('new_e', 'entityname'),
        attribute('new_file', 'file'),
        attribute('new_many', 'multiselectpicklist', '<OptionSetName>new_colors</OptionSetName>'),
        attribute('new_v', 'virtual'),
        attribute('new_p', 'partylist'),
        attribute('new_x', 'nvarchar', '<AttributeOf>new_y</AttributeOf>'),
        attribute('new_tz', 'datetime', '<Behavior>3</Behavior>'),
        attribute(
          'new_contact',
          'lookup',
          '<LookupTypes><LookupType>contact</LookupType></LookupTypes>',
        ),
        attribute('new_contactyominame', 'nvarchar'),
        attribute('new_contactname', 'nvarchar', '<IsCustomField>1</IsCustomField>'),
      ],
      optionSets: new Map([['New_Colors', [1, 2, 3]]]),
    });
    assert.equal(s.entitySetName, 'new_things');
    assert.equal(s.ownership, 'none');
    const pick = (n: string): Partial<ColumnShape> => {
      const { name: _n, ...rest } = column(s, n);
      return rest;
    };
    assert.deepEqual(pick('new_n'), {
      kind: 'integer',
      type: 'int',
      required: false,
      min: 0,
      max: 10,
    });
    assert.deepEqual([pick('new_i').min, pick('new_i').max], [-2147483648, 2147483647]);
    assert.deepEqual(pick('new_d'), {
      kind: 'decimal',
      type: 'decimal',
      required: false,
      min: -100000000000,
      max: 100000000000,
      precision: 5,
    });
    assert.deepEqual(
      [pick('new_m').precision, pick('new_m').min, pick('new_m').max],
      [4, -922337203685477, 922337203685477],
    );
    assert.equal(pick('new_f').precision, 3);
    assert.deepEqual(pick('new_b'), { kind: 'boolean', type: 'bit', required: true });
    assert.equal(pick('new_u').kind, 'uuid');
    assert.equal(pick('new_e').kind, 'text');
    assert.equal(pick('new_file').kind, 'file');
    assert.deepEqual(pick('new_many'), {
      kind: 'choices',
      type: 'multiselectpicklist',
      required: false,
      options: [1, 2, 3],
      optionSet: 'new_colors',
    });
    assert.equal(pick('new_tz').behavior, 'TimeZoneIndependent');
    assert.deepEqual(pick('new_contact').targets, ['contact']);
    for (const gone of ['new_v', 'new_p', 'new_x', 'new_contactyominame'])
      assert.equal(columnOf(s, gone), undefined, gone);
    assert.equal(pick('new_contactname').kind, 'text', 'a custom column is never a companion');
  });
});
