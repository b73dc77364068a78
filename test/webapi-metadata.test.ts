import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { convert } from '@sap-ux/annotation-converter';
import { parse } from '@sap-ux/edmx-parser';
import type { EntitySet, NavigationProperty } from '@sap-ux/vocabularies-types';
import { catalogComponents } from '../src/catalog/catalog.js';
import type { ColumnShape, TableShape } from '../src/model/table-shape.js';
import { tableShapeOf } from '../src/package/customizations/table-shape.js';
import { readPackage } from '../src/package/read.js';
import { children, descendant, parseXml, type XmlElement } from '../src/package/xml.js';
import { ENTITY_SETS, SOLUTION_SET_SHAPES } from '../src/server/webapi/entity-sets.js';
import {
  HAVE_REAL_FIXTURES,
  NO_FIXTURES_REASON,
  listRealPackages,
  relativeToFixtures,
} from './support/fixtures.js';
import {
  lookupNavigations,
  metadataDocument,
  type LookupNavigation,
} from '../src/server/webapi/metadata.js';

const col = (name: string, kind: ColumnShape['kind'], more: Partial<ColumnShape> = {}) =>
  ({ name, kind, type: kind, required: false, ...more }) as ColumnShape;

const account: TableShape = {
  name: 'account',
  entitySetName: 'accounts',
  primaryId: 'accountid',
  primaryName: 'name',
  ownership: 'user',
  columns: [
    col('accountid', 'id'),
    col('accountnumber', 'text', { maxLength: 20 }),
    col('creditlimit', 'money', { precision: 2 }),
    col('description', 'text', { maxLength: 2000 }),
    col('exchangerate', 'decimal', { precision: 10 }),
    col('industrycode', 'choice', { options: [1, 2, 3] }),
    col('lastonholdtime', 'datetime', { behavior: 'UserLocal' }),
    col('name', 'text', { maxLength: 160, required: true }),
    col('new_birthday', 'datetime', { behavior: 'DateOnly' }),
    col('new_contract', 'file'),
    col('new_interests', 'choices', { options: [10, 20] }),
    col('new_legacy', 'lookup', { targets: ['new_legacytable'] }),
    col('new_ratio', 'float', { precision: 2 }),
    col('new_vip', 'boolean'),
    col('numberofemployees', 'integer'),
    col('ownerid', 'lookup', { type: 'owner', targets: ['systemuser', 'team'] }),
    col('parentaccountid', 'lookup', { targets: ['account'] }),
    col('primarycontactid', 'lookup', { targets: ['contact'] }),
    col('processid', 'uuid'),
    col('versionnumber', 'bigint', { system: true }),
  ],
  keys: [{ name: 'accountnumberkey', columns: ['accountnumber'] }],
};

const contact: TableShape = {
  name: 'contact',
  entitySetName: 'contacts',
  primaryId: 'contactid',
  ownership: 'user',
  columns: [
    col('contactid', 'id'),
    col('fullname', 'text', { maxLength: 160 }),
    col('parentcustomerid', 'lookup', { type: 'customer', targets: ['account', 'contact'] }),
  ],
  keys: [],
};

/** The catalog's standard solution table: the solution entity set must be described instead. */
const catalogSolution: TableShape = {
  name: 'solution',
  entitySetName: 'solutions',
  primaryId: 'solutionid',
  ownership: 'org',
  columns: [col('solutionid', 'id'), col('catalogonly', 'text')],
  keys: [],
};

const TABLES = [account, contact, catalogSolution];

function schemaOf(doc: string): XmlElement {
  const root = parseXml(doc, '$metadata');
  assert.equal(root.name, 'edmx:Edmx');
  assert.equal(root.attrs.Version, '4.0');
  const schema = descendant(root, 'Schema')!;
  assert.equal(schema.attrs.Namespace, 'Microsoft.Dynamics.CRM');
  return schema;
}

const byName = (els: XmlElement[], name: string): XmlElement | undefined =>
  els.find((e) => e.attrs.Name === name);

function entityType(schema: XmlElement, name: string): XmlElement {
  const t = byName(children(schema, 'EntityType'), name);
  assert.ok(t, `EntityType ${name}`);
  return t;
}

/** A type's properties as name → [type, facets...]. */
function propertiesOf(type: XmlElement): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of children(type, 'Property')) {
    const { Name, Type, ...facets } = p.attrs;
    const f = Object.entries(facets).map(([k, v]) => ` ${k}=${v}`);
    out[Name] = Type + f.join('');
  }
  return out;
}

describe('$metadata (CSDL)', () => {
  const doc = metadataDocument(TABLES);
  const schema = schemaOf(doc);

  test('a table is an entity type keyed on its primary id, with its columns in Dataverse types', () => {
    const t = entityType(schema, 'account');
    assert.equal(t.attrs.BaseType, 'mscrm.crmbaseentity');
    const key = children(children(t, 'Key')[0], 'PropertyRef').map((r) => r.attrs.Name);
    assert.deepEqual(key, ['accountid']);
    assert.deepEqual(propertiesOf(t), {
      accountid: 'Edm.Guid Nullable=false',
      accountnumber: 'Edm.String MaxLength=20',
      creditlimit: 'Edm.Decimal Scale=2',
      description: 'Edm.String MaxLength=2000',
      exchangerate: 'Edm.Decimal Scale=10',
      industrycode: 'Edm.Int32',
      lastonholdtime: 'Edm.DateTimeOffset',
      name: 'Edm.String MaxLength=160',
      new_birthday: 'Edm.Date',
      new_contract: 'Edm.Guid',
      new_interests: 'Edm.String',
      _new_legacy_value: 'Edm.Guid',
      new_ratio: 'Edm.Double',
      new_vip: 'Edm.Boolean',
      numberofemployees: 'Edm.Int32',
      _ownerid_value: 'Edm.Guid',
      _parentaccountid_value: 'Edm.Guid',
      _primarycontactid_value: 'Edm.Guid',
      processid: 'Edm.Guid',
      versionnumber: 'Edm.Int64',
    });
  });

  test('a lookup is a navigation property tied to its _value property, bound to the target set', () => {
    const t = entityType(schema, 'contact');
    const navs = children(t, 'NavigationProperty').map((n) => {
      const rc = children(n, 'ReferentialConstraint')[0].attrs;
      return `${n.attrs.Name} ${n.attrs.Type} ${rc.Property}→${rc.ReferencedProperty}`;
    });
    // a customer lookup is polymorphic: one navigation property per target, as Dataverse has
    assert.deepEqual(navs, [
      'parentcustomerid_account mscrm.account _parentcustomerid_value→accountid',
      'parentcustomerid_contact mscrm.contact _parentcustomerid_value→contactid',
    ]);
    const container = descendant(schema, 'EntityContainer')!;
    assert.equal(container.attrs.Name, 'System');
    const contacts = byName(children(container, 'EntitySet'), 'contacts')!;
    assert.equal(contacts.attrs.EntityType, 'Microsoft.Dynamics.CRM.contact');
    assert.deepEqual(
      children(contacts, 'NavigationPropertyBinding').map(
        (b) => `${b.attrs.Path}→${b.attrs.Target}`,
      ),
      ['parentcustomerid_account→accounts', 'parentcustomerid_contact→contacts'],
    );
  });

  test('a lookup to a table the document lacks keeps its _value but gets no navigation', () => {
    const navs = children(entityType(schema, 'account'), 'NavigationProperty').map(
      (n) => n.attrs.Name,
    );
    assert.deepEqual(navs, ['parentaccountid', 'primarycontactid']);
    const names = lookupNavigations(account).map((n: LookupNavigation) => n.name);
    assert.deepEqual(names, [
      'new_legacy',
      'ownerid_systemuser',
      'ownerid_team',
      'parentaccountid',
      'primarycontactid',
    ]);
  });

  test('alternate keys are annotated as Dataverse does', () => {
    const note = children(entityType(schema, 'account'), 'Annotation')[0];
    assert.equal(note.attrs.Term, 'OData.Community.Keys.V1.AlternateKeys');
    const paths = [...doc.matchAll(/PropertyPath="([^"]+)"/g)].map((m) => m[1]);
    assert.ok(paths.includes('accountnumber'));
    assert.ok(paths.includes('uniquename'), 'solutions(uniquename=...) is a key too');
  });

  test('the solution entity sets are described, with the properties their rows have', () => {
    const container = descendant(schema, 'EntityContainer')!;
    const sets = children(container, 'EntitySet').map((s) => s.attrs.Name);
    for (const set of ENTITY_SETS.values()) {
      assert.ok(sets.includes(set.name), set.name);
      const props = Object.keys(propertiesOf(entityType(schema, set.entity)));
      assert.deepEqual(props.sort(), [...set.columns].sort(), set.name);
    }
    // the route serves the solution set, not the catalog's table of the same name
    assert.equal(propertiesOf(entityType(schema, 'solution')).catalogonly, undefined);
    assert.equal(sets.length, new Set(sets).size, 'one entity set per name');
    assert.equal(
      children(schema, 'EntityType').filter((t) => t.attrs.Name === 'solution').length,
      1,
    );
  });

  test('an OData CSDL reader (@sap-ux/edmx-parser) reads it into the expected types', () => {
    const model = convert(parse(doc, '$metadata'));
    assert.deepEqual(model.diagnostics, []);
    assert.equal(model.namespace, 'Microsoft.Dynamics.CRM');
    assert.equal(model.entityContainer.name, 'System');
    const accounts = model.entitySets.find((s) => s.name === 'accounts')!;
    assert.equal(accounts.entityType.name, 'account');
    assert.deepEqual(
      accounts.entityType.keys.map((k) => k.name),
      ['accountid'],
    );
    const prop = (name: string) =>
      accounts.entityType.entityProperties.find((p) => p.name === name);
    assert.equal(prop('name')?.type, 'Edm.String');
    assert.equal(prop('name')?.maxLength, 160);
    assert.equal(prop('creditlimit')?.type, 'Edm.Decimal');
    assert.equal(prop('creditlimit')?.scale, 2);
    assert.equal(prop('new_birthday')?.type, 'Edm.Date');
    assert.equal(prop('versionnumber')?.type, 'Edm.Int64');
    const nav = accounts.entityType.navigationProperties.find(
      (n) => n.name === 'primarycontactid',
    )!;
    assert.equal(nav.isCollection, false);
    assert.equal(nav.targetType.name, 'contact');
    assert.deepEqual(
      nav.referentialConstraint.map((c) => [c.sourceProperty, c.targetProperty]),
      [['_primarycontactid_value', 'contactid']],
    );
    assert.equal(accounts.navigationPropertyBinding.primarycontactid.name, 'contacts');
    const jobs = model.entitySets.find((s) => s.name === 'importjobs')!;
    assert.equal(jobs.navigationPropertyBinding.solutionid.name, 'solutions');
    const expected = new Set([...TABLES.map((t) => t.entitySetName), ...ENTITY_SETS.keys()]);
    assert.deepEqual(new Set(model.entitySets.map((s) => s.name)), expected);
  });

  test('an environment without tables still describes the solution entity sets', () => {
    const model = convert(parse(metadataDocument([]), '$metadata'));
    assert.deepEqual(model.diagnostics, []);
    assert.deepEqual(model.entitySets.map((s) => s.name).sort(), [...ENTITY_SETS.keys()].sort());
  });
});

/** The tables a package defines (or the catalog's), as their definitions shape them. */
function shapesOf(
  components: Array<{ type: string; key: string; xml: string; parent?: { key: string } }>,
) {
  return components
    .filter((c) => c.type === 'entity')
    .map((e) =>
      tableShapeOf({
        entity: e.xml,
        attributes: components
          .filter((c) => c.type === 'attribute' && c.parent?.key === e.key)
          .map((c) => c.xml),
      }),
    );
}

/** Reads the document with the CSDL reader: every type, key, target and binding resolves. */
function assertReadable(tables: TableShape[], where: string): void {
  const model = convert(parse(metadataDocument(tables), '$metadata'));
  assert.deepEqual(model.diagnostics, [], where);
  const sets = new Map<string, EntitySet>(model.entitySets.map((s) => [s.name, s]));
  const types = new Set(model.entitySets.map((s) => s.entityType.name));
  for (const t of tables) {
    const set = sets.get(t.entitySetName);
    assert.ok(set, `${where}: entity set ${t.entitySetName}`);
    // a solution set of that name or entity set name is described instead
    if (SOLUTION_SET_SHAPES.some((x) => x.name === t.name || x.entitySetName === t.entitySetName))
      continue;
    assert.deepEqual(
      set.entityType.keys.map((k) => k.name),
      [t.primaryId],
      `${where}: ${t.name} key`,
    );
    for (const n of lookupNavigations(t)) {
      if (!types.has(n.target)) continue;
      const navs: NavigationProperty[] = set.entityType.navigationProperties;
      const nav = navs.find((p) => p.name === n.name);
      assert.equal(nav?.targetType?.name, n.target, `${where}: ${t.name}.${n.name}`);
      assert.ok(set.navigationPropertyBinding[n.name], `${where}: ${t.name} binds ${n.name}`);
    }
  }
}

describe('$metadata of real definitions', () => {
  const standard = shapesOf(catalogComponents());

  test('the standard tables of the catalog, with their lookups among them', () => {
    assert.ok(standard.length >= 90, `${standard.length} standard tables`);
    assertReadable(standard, 'catalog');
    const doc = metadataDocument(standard);
    assert.match(doc, /<NavigationProperty Name="parentcustomerid_account" Type="mscrm.account">/);
    assert.match(doc, /<NavigationPropertyBinding Path="primarycontactid" Target="contacts"\/>/);
  });

  test(
    "every real package's tables beside the standard ones",
    { skip: HAVE_REAL_FIXTURES ? false : NO_FIXTURES_REASON },
    () => {
      let tables = 0;
      for (const path of listRealPackages()) {
        const own = shapesOf(readPackage(path).components);
        if (own.length === 0) continue;
        tables += own.length;
        // with the standard tables its lookups point to (the others would only slow the test)
        const names = new Set(own.map((t) => t.name));
        const targets = new Set(own.flatMap((t) => lookupNavigations(t).map((n) => n.target)));
        const used = standard.filter((t) => targets.has(t.name) && !names.has(t.name));
        assertReadable([...own, ...used], relativeToFixtures(path));
      }
      assert.ok(tables > 20, `${tables} tables`);
    },
  );
});
