import { escapeXml } from '../../package/xml.js';
import { polymorphic, type ColumnShape, type TableShape } from '../../model/table-shape.js';
import { SOLUTION_SET_SHAPES } from './entity-sets.js';

/**
 * The Web API's `$metadata`: an OData v4 CSDL document (EDMX 4.0) describing the environment's
 * tables and strata's solution entity sets, shaped as Dataverse's is, so that OData clients
 * (dynamics-web-api, code generators) find the types, keys, lookups and entity sets without
 * being told anything by hand:
 *
 * - one Schema, namespace Microsoft.Dynamics.CRM (alias mscrm), where every table is an
 *   EntityType named by its logical name, derived from the abstract `crmbaseentity`, with its
 *   primary id as Key and a Property per column;
 * - a lookup is a `_name_value` Edm.Guid property plus a single-valued NavigationProperty per
 *   target table (named after the column; `column_target` when the lookup is polymorphic, as
 *   Dataverse names customerid_account / customerid_contact) whose ReferentialConstraint ties it
 *   to the `_value` property;
 * - alternate keys are OData.Community.Keys.V1.AlternateKeys annotations, as Dataverse gives them;
 * - one EntityContainer, `System`, with an EntitySet per table (its EntitySetName) and a
 *   NavigationPropertyBinding per navigation property.
 *
 * Navigation properties are emitted only towards tables the document describes: a CSDL reader
 * refuses a type it cannot resolve, and a lookup to a table that is not there (a target the
 * definitions name but the environment lacks) keeps its `_value` property.
 */
export const CRM_NAMESPACE = 'Microsoft.Dynamics.CRM';
const ALIAS = 'mscrm';
const KEYS_VOCABULARY = 'OData.Community.Keys.V1';

export interface MetadataOptions {
  /**
   * The entity sets strata serves for solutions (solutions, publishers, importjobs, ...), described
   * besides the tables; the default is every set of entity-sets.ts. Where a table has the same
   * logical name or entity set name, the solution set wins: it is what the route serves.
   */
  solutionSets?: readonly TableShape[];
}

/** A single-valued navigation property: how `$expand` and `@odata.bind` name a lookup's target. */
export interface LookupNavigation {
  /** the navigation property's name */
  name: string;
  /** the lookup column (its logical name) */
  column: string;
  /** the target table (logical name) */
  target: string;
}

/** The property a lookup's value is read from: `_parentaccountid_value`. */
export function lookupValueName(column: string): string {
  return `_${column}_value`;
}

/** The navigation properties of a table's lookups, one per target table. */
export function lookupNavigations(table: TableShape): LookupNavigation[] {
  const out: LookupNavigation[] = [];
  for (const c of table.columns) {
    if (c.kind !== 'lookup') continue;
    const targets = c.targets ?? [];
    const several = polymorphic(c);
    for (const target of targets)
      out.push({ name: several ? `${c.name}_${target}` : c.name, column: c.name, target });
  }
  return out;
}

/** An EDM property: its name, type and facets. */
export interface EdmProperty {
  name: string;
  type: string;
  facets: Record<string, string>;
}

/**
 * The EDM property of a column, with Dataverse's types: Edm.Guid for ids, lookups (as
 * `_name_value`) and file columns (the file's id); Edm.String with MaxLength for text and for
 * multi-select choices (sent as a comma-separated string of values); Edm.Int32 for whole numbers
 * and choices; Edm.Decimal with the column's Scale for decimal and money; Edm.Date for a
 * DateOnly column and Edm.DateTimeOffset for other dates.
 */
export function edmProperty(c: ColumnShape): EdmProperty {
  const p = (type: string, facets: Record<string, string> = {}): EdmProperty => ({
    name: c.kind === 'lookup' ? lookupValueName(c.name) : c.name,
    type,
    facets,
  });
  switch (c.kind) {
    case 'id':
    case 'uuid':
    case 'lookup':
    case 'file':
      return p('Edm.Guid');
    case 'text':
      return p('Edm.String', c.maxLength ? { MaxLength: String(c.maxLength) } : {});
    case 'choices':
      return p('Edm.String');
    case 'integer':
    case 'choice':
      return p('Edm.Int32');
    case 'bigint':
      return p('Edm.Int64');
    case 'decimal':
    case 'money':
      return p('Edm.Decimal', {
        Scale: c.precision === undefined ? 'Variable' : String(c.precision),
      });
    case 'float':
      return p('Edm.Double');
    case 'boolean':
      return p('Edm.Boolean');
    case 'datetime':
      return p(c.behavior === 'DateOnly' ? 'Edm.Date' : 'Edm.DateTimeOffset');
  }
}

/** The CSDL document describing `tables` and the solution entity sets. */
export function metadataDocument(
  tables: readonly TableShape[],
  opts: MetadataOptions = {},
): string {
  const described = describedTables(tables, opts.solutionSets ?? SOLUTION_SET_SHAPES);
  const present = new Map(described.map((t) => [t.name, t]));
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">',
    `  <edmx:Reference Uri="http://vocabularies.odata.org/${KEYS_VOCABULARY}.xml">`,
    `    <edmx:Include Namespace="${KEYS_VOCABULARY}" Alias="Keys"/>`,
    `    <edmx:IncludeAnnotations TermNamespace="${KEYS_VOCABULARY}"/>`,
    '  </edmx:Reference>',
    '  <edmx:DataServices>',
    `    <Schema Namespace="${CRM_NAMESPACE}" Alias="${ALIAS}"` +
      ' xmlns="http://docs.oasis-open.org/odata/ns/edm">',
    '      <EntityType Name="crmbaseentity" Abstract="true"/>',
    ...described.flatMap((t) => entityType(t, present)),
    '      <EntityContainer Name="System">',
    ...described.flatMap((t) => entitySet(t, present)),
    '      </EntityContainer>',
    '    </Schema>',
    '  </edmx:DataServices>',
    '</edmx:Edmx>',
    '',
  ];
  return lines.join('\n');
}

/**
 * The tables the document describes, by logical name: the solution sets, then every table that
 * neither shares a name with one nor repeats an entity set name already taken.
 */
function describedTables(
  tables: readonly TableShape[],
  solutionSets: readonly TableShape[],
): TableShape[] {
  const names = new Set<string>();
  const sets = new Set<string>();
  const out: TableShape[] = [];
  for (const t of [...solutionSets, ...tables]) {
    if (names.has(t.name) || sets.has(t.entitySetName)) continue;
    names.add(t.name);
    sets.add(t.entitySetName);
    out.push(t);
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

const attrs = (a: Record<string, string>): string =>
  Object.entries(a)
    .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
    .join('');

const typeName = (table: string): string => `${ALIAS}.${table}`;

function entityType(t: TableShape, present: ReadonlyMap<string, TableShape>): string[] {
  const props = t.columns.map(edmProperty);
  if (!t.columns.some((c) => c.name === t.primaryId))
    props.unshift({ name: t.primaryId, type: 'Edm.Guid', facets: {} });
  const out = [
    `      <EntityType${attrs({ Name: t.name, BaseType: typeName('crmbaseentity') })}>`,
    `        <Key><PropertyRef${attrs({ Name: t.primaryId })}/></Key>`,
  ];
  for (const p of props) {
    const key: Record<string, string> = p.name === t.primaryId ? { Nullable: 'false' } : {};
    out.push(`        <Property${attrs({ Name: p.name, Type: p.type, ...key, ...p.facets })}/>`);
  }
  for (const n of lookupNavigations(t)) {
    const target = present.get(n.target);
    if (!target) continue;
    out.push(
      `        <NavigationProperty${attrs({ Name: n.name, Type: typeName(n.target) })}>`,
      `          <ReferentialConstraint${attrs({
        Property: lookupValueName(n.column),
        ReferencedProperty: target.primaryId,
      })}/>`,
      '        </NavigationProperty>',
    );
  }
  out.push(...alternateKeys(t), '      </EntityType>');
  return out;
}

/** Dataverse's annotation of a table's alternate keys (GET by key: accounts(accountnumber='A1')). */
function alternateKeys(t: TableShape): string[] {
  if (t.keys.length === 0) return [];
  const property = (column: string): string => {
    const c = t.columns.find((x) => x.name === column);
    return c?.kind === 'lookup' ? lookupValueName(column) : column;
  };
  const refs = (columns: string[]): string[] =>
    columns.flatMap((column) => [
      `                  <Record Type="${KEYS_VOCABULARY}.PropertyRef">`,
      `                    <PropertyValue Property="Alias"${attrs({ String: column })}/>`,
      `                    <PropertyValue Property="Name"${attrs({ PropertyPath: property(column) })}/>`,
      '                  </Record>',
    ]);
  return [
    `        <Annotation Term="${KEYS_VOCABULARY}.AlternateKeys">`,
    '          <Collection>',
    ...t.keys.flatMap((k) => [
      `            <Record Type="${KEYS_VOCABULARY}.AlternateKey">`,
      '              <PropertyValue Property="Key">',
      '                <Collection>',
      ...refs(k.columns),
      '                </Collection>',
      '              </PropertyValue>',
      '            </Record>',
    ]),
    '          </Collection>',
    '        </Annotation>',
  ];
}

function entitySet(t: TableShape, present: ReadonlyMap<string, TableShape>): string[] {
  const bindings = lookupNavigations(t).flatMap((n) => {
    const target = present.get(n.target);
    return target
      ? [
          `          <NavigationPropertyBinding${attrs({ Path: n.name, Target: target.entitySetName })}/>`,
        ]
      : [];
  });
  const set = attrs({ Name: t.entitySetName, EntityType: `${CRM_NAMESPACE}.${t.name}` });
  if (bindings.length === 0) return [`        <EntitySet${set}/>`];
  return [`        <EntitySet${set}>`, ...bindings, '        </EntitySet>'];
}
