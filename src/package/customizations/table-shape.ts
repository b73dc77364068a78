import type { AlternateKey, ColumnShape, TableShape } from '../../model/table-shape.js';
import { MAINTAINED_COLUMNS } from '../../model/table-shape.js';
import { child, childI, childText, children, parseXml, type XmlElement } from '../xml.js';
import {
  attributeNameOf,
  columnOf,
  lookupNames,
  optionValues,
  type ColumnContext,
} from './column-shape.js';

/** A table's effective definitions, as stored components hold them. */
export interface TableDefinitions {
  /** the `<Entity>` fragment of the entity component */
  entity: string;
  /** the `<attribute>` fragments of its attribute components */
  attributes: string[];
  /** global option sets by name: their values (globalOptionSetOf reads a component) */
  optionSets?: ReadonlyMap<string, number[]>;
  /**
   * `<EntityRelationship>` fragments (any; those whose referencing table is this one count):
   * where real exports name a lookup's targets
   */
  relationships?: string[];
  /** tables by object type code, for LookupTypes given as codes (a few standard ones are known) */
  tablesByTypeCode?: ReadonlyMap<number, string>;
}

/**
 * The shape of a table, derived from its effective definitions: the `<Entity>` fragment of the
 * entity component and the `<attribute>` fragments of its attribute components, as the package
 * reader stores them (customizations/entities.ts) and as the catalog writes the System layer's
 * standard tables (catalog/catalog.ts). Pure: the caller gathers the definitions.
 *
 * Real exports leave out much of what a shape needs, so the rest is inferred the way Dataverse
 * fills it in: no PrimaryIdAttribute (the primarykey column, or `<name>id`), no
 * PrimaryNameAttribute (the column whose DisplayMask says PrimaryName), empty LookupTypes (the
 * table's 1:N relationships name the targets), LookupTypes by object type code (8, 9), no
 * EntitySetName (the logical name pluralized).
 */
export function tableShapeOf(input: TableDefinitions): TableShape {
  const entity = parseXml(input.entity, 'entity definition');
  const name = tableNameOf(entity);
  const def = childI(child(entity, 'EntityInfo'), 'entity');
  const attributes = input.attributes.map((a) => parseXml(a, `attribute of ${name}`));
  const ctx: ColumnContext = {
    optionSets: lowerKeys(input.optionSets),
    relationshipTargets: relationshipTargets(name, input.relationships ?? []),
    tablesByTypeCode: input.tablesByTypeCode,
    lookups: lookupNames(attributes),
  };
  const byName = new Map<string, ColumnShape>();
  for (const a of attributes) {
    const column = columnOf(a, ctx);
    // a column listed twice keeps its first definition
    if (column && !byName.has(column.name)) byName.set(column.name, column);
  }
  const ownership = ownershipOf(childText(def, 'OwnershipTypeMask'), byName);
  const primaryId = primaryIdOf(name, def, attributes);
  const columns = completeColumns(byName, primaryId, ownership);
  return {
    name,
    entitySetName:
      childText(def, 'EntitySetName') ||
      childText(def, 'LogicalCollectionName')?.toLowerCase() ||
      defaultEntitySetName(name),
    primaryId,
    ...optional('primaryName', primaryNameOf(def, attributes, byName)),
    ownership,
    columns,
    // a key over a column the definitions do not hold (a partial definition of a standard table)
    // cannot be an index: it is left out until its columns are there
    keys: alternateKeysOf(def).filter((k) =>
      k.columns.every((c) => columns.some((x) => x.name === c)),
    ),
  };
}

/** The entity's logical name, read as the package reader reads it (entities.ts readEntity). */
function tableNameOf(entity: XmlElement): string {
  return (
    child(entity, 'Name')?.text.trim() ||
    childI(child(entity, 'EntityInfo'), 'entity')?.attrs.Name ||
    ''
  ).toLowerCase();
}

/**
 * Standard tables whose entity set name is not the plural rule's (their table/entity reference
 * pages on Microsoft Learn give these EntitySetNames).
 */
const IRREGULAR_ENTITY_SETS: Record<string, string> = {
  principalobjectattributeaccess: 'principalobjectattributeaccessset',
  languagelocale: 'languagelocale',
};

/**
 * Dataverse's default entity set name: the logical name made plural by its simple rule — `y`
 * becomes `ies` (even after a vowel: te_key → te_keies), `s`, `x`, `z`, `ch` and `sh` take
 * `es`, anything else `s`. Every EntitySetName of the real packages follows it.
 */
export function defaultEntitySetName(logicalName: string): string {
  const irregular = IRREGULAR_ENTITY_SETS[logicalName];
  if (irregular) return irregular;
  if (logicalName.endsWith('y')) return `${logicalName.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(logicalName)) return `${logicalName}es`;
  return `${logicalName}s`;
}

const OWNERSHIP: Record<string, TableShape['ownership']> = {
  userowned: 'user',
  teamowned: 'user',
  orgowned: 'org',
  organizationowned: 'org',
  businessowned: 'business',
  none: 'none',
};

/**
 * OwnershipTypeMask; a definition without it (a standard table's partial customization) is
 * read from its columns: an owner column means user-owned, an organization column org-owned.
 */
function ownershipOf(
  mask: string | undefined,
  columns: Map<string, ColumnShape>,
): TableShape['ownership'] {
  const known = mask ? OWNERSHIP[mask.toLowerCase()] : undefined;
  if (known) return known;
  if (columns.get('ownerid')?.type === 'owner') return 'user';
  if (columns.has('organizationid')) return 'org';
  return 'none';
}

/** PrimaryIdAttribute, else the primarykey column, else `activityid` (activities), `<name>id`. */
function primaryIdOf(name: string, def: XmlElement | undefined, attributes: XmlElement[]): string {
  const declared = childText(def, 'PrimaryIdAttribute');
  if (declared) return declared.toLowerCase();
  const key = attributes.find((a) => childText(a, 'Type')?.toLowerCase() === 'primarykey');
  if (key && attributeNameOf(key)) return attributeNameOf(key);
  return childText(def, 'IsActivity') === '1' ? 'activityid' : `${name}id`;
}

/** PrimaryNameAttribute, else the column whose DisplayMask carries PrimaryName (real exports). */
function primaryNameOf(
  def: XmlElement | undefined,
  attributes: XmlElement[],
  columns: Map<string, ColumnShape>,
): string | undefined {
  const declared = childText(def, 'PrimaryNameAttribute')?.toLowerCase();
  if (declared) return declared;
  const named = attributes.find((a) =>
    (childText(a, 'DisplayMask') ?? '').split('|').includes('PrimaryName'),
  );
  const n = named && attributeNameOf(named);
  return n && columns.has(n) ? n : undefined;
}

const USER_LOCAL = { kind: 'datetime', type: 'datetime', behavior: 'UserLocal' } as const;

/** What strata keeps in the columns it maintains when the definitions do not list them. */
const MAINTAINED: Record<(typeof MAINTAINED_COLUMNS)[number], ColumnShape> = {
  createdon: { name: 'createdon', ...USER_LOCAL, required: false, system: true },
  modifiedon: { name: 'modifiedon', ...USER_LOCAL, required: false, system: true },
  versionnumber: {
    name: 'versionnumber',
    kind: 'bigint',
    type: 'bigint',
    required: false,
    system: true,
  },
};

const OWNER: ColumnShape = {
  name: 'ownerid',
  kind: 'lookup',
  type: 'owner',
  required: false,
  targets: ['systemuser', 'team'],
  system: true,
};

/**
 * The shape's columns: the primary key first, then the rest by logical name; the columns strata
 * maintains on every table added when the definitions lack them, and the owner on a user- or
 * team-owned table.
 */
function completeColumns(
  byName: Map<string, ColumnShape>,
  primaryId: string,
  ownership: TableShape['ownership'],
): ColumnShape[] {
  byName.delete(primaryId);
  for (const m of MAINTAINED_COLUMNS) if (!byName.has(m)) byName.set(m, { ...MAINTAINED[m] });
  if (ownership === 'user' && !byName.has('ownerid')) byName.set('ownerid', { ...OWNER });
  const rest = [...byName.values()].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  return [{ name: primaryId, kind: 'id', type: 'primarykey', required: false }, ...rest];
}

/** `<EntityKeys><EntityKey>`: a key's logical name and the columns it makes unique. */
function alternateKeysOf(def: XmlElement | undefined): AlternateKey[] {
  const keys: AlternateKey[] = [];
  for (const k of children(child(def, 'EntityKeys'), 'EntityKey')) {
    const name = (childText(k, 'LogicalName') || childText(k, 'Name') || '').toLowerCase();
    const columns = children(child(k, 'EntityKeyAttributes'), 'AttributeName')
      .map((c) => c.text.trim().toLowerCase())
      .filter((c) => c !== '');
    if (name && columns.length) keys.push({ name, columns });
  }
  return keys;
}

/**
 * The targets of this table's lookups as its 1:N relationships give them: referencing column →
 * referenced tables (more than one for a polymorphic lookup).
 */
function relationshipTargets(table: string, relationships: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const xml of relationships) {
    const r = parseXml(xml, 'relationship definition');
    if (childText(r, 'EntityRelationshipType') === 'ManyToMany') continue;
    if (childText(r, 'ReferencingEntityName')?.toLowerCase() !== table) continue;
    const column = childText(r, 'ReferencingAttributeName')?.toLowerCase();
    const target = childText(r, 'ReferencedEntityName')?.toLowerCase();
    if (!column || !target) continue;
    const targets = out.get(column) ?? [];
    if (!targets.includes(target)) targets.push(target);
    out.set(column, targets);
  }
  return out;
}

/**
 * A global option set component (`<optionset Name=... IsGlobal 1>`): its name and values, for
 * tableShapeOf's `optionSets`.
 */
export function globalOptionSetOf(xml: string): { name: string; values: number[] } {
  const el = parseXml(xml, 'option set definition');
  return { name: (el.attrs.Name ?? '').toLowerCase(), values: optionValues(el) };
}

function lowerKeys(m: ReadonlyMap<string, number[]> | undefined): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const [k, v] of m ?? []) out.set(k.toLowerCase(), v);
  return out;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
