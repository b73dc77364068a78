import { catalogComponent, catalogComponents } from '../../catalog/catalog.js';
import { StrataError } from '../../model/errors.js';
import { changesType, type TableShape } from '../../model/table-shape.js';
import { globalOptionSetOf, tableShapeOf } from '../../package/customizations/table-shape.js';
import type { DataAtRisk } from '../../plans/data-at-risk.js';
import { alterRecordTable, createRecordTable, loadTableShapes } from '../../store/record-tables.js';
import { expireRetention, retainDroppedColumns, retainRecordTable } from '../../store/retention.js';
import { storedDefinitionsOfType, storedTableDefinitions } from '../../store/table-definitions.js';
import type { Queryable } from '../../store/store.js';

/**
 * Makes the environment's SQL tables follow its definitions, inside the transaction that changed
 * the definitions: each table a plan touched that is made is altered or dropped to match the
 * effective entity and attribute definitions as they now stand. A table is made when it first
 * needs to hold a record (ensureRecordTable, decision 36), so an import of 500 tables writes
 * none until records come. It drops only what the plan's data at risk named (anything else
 * would be a defect, and rolls the whole change back), so the records a plan said it would take
 * are exactly the ones that go — into the environment's retention area, where they stay for its
 * last K revisions (store/retention.ts); what K no longer keeps is purged here too.
 */
export async function syncRecordTables(
  tx: Queryable,
  envId: number,
  data: DataAtRisk,
): Promise<void> {
  await followDefinitions(tx, envId, data);
  await expireRetention(tx, envId);
}

async function followDefinitions(tx: Queryable, envId: number, data: DataAtRisk): Promise<void> {
  if (!data.touched.length) return;
  const made = await loadTableShapes(tx, envId, data.touched);
  if (!made.size) return;
  const desired = await effectiveShapes(tx, envId, [...made.keys()]);
  const droppable = new Map(data.tables.map((t) => [t.table, t.rows]));
  const droppableColumns = new Set(data.columns.map((c) => `${c.table}.${c.column}`));
  for (const [table, have] of made) {
    const want = desired.get(table) ?? null;
    if (!want) {
      if (!droppable.has(table)) throw unplanned(`drop table ${table}`);
      await retainRecordTable(tx, envId, table, droppable.get(table));
    } else if (JSON.stringify(want) !== JSON.stringify(have)) {
      for (const c of have.columns) {
        const next = want.columns.find((w) => w.name === c.name);
        if (!next && !droppableColumns.has(`${table}.${c.name}`) && !c.system)
          throw unplanned(`drop column ${table}.${c.name}`);
        if (next && changesType(c, next)) throw unplanned(`change the type of ${table}.${c.name}`);
      }
      const values = new Map(
        data.columns.filter((c) => c.table === table).map((c) => [c.column, c.values]),
      );
      const kept = await retainDroppedColumns(tx, envId, have, want, values);
      await alterRecordTable(tx, envId, kept, want);
    }
  }
}

/** A table's shape is needed for records to be written to it: it is made on first use. */
export async function ensureRecordTable(
  tx: Queryable,
  envId: number,
  table: string,
): Promise<TableShape | null> {
  const made = (await loadTableShapes(tx, envId, [table])).get(table);
  if (made) return made;
  const want = (await effectiveShapes(tx, envId, [table])).get(table);
  if (!want) return null;
  await createRecordTable(tx, envId, want);
  return want;
}

/** A table's effective definitions: its entity's, and its attributes' by logical name. */
export interface TableDefinitionSet {
  entity: string;
  attributes: Map<string, string>;
  /** the environment's global option sets (name → values), shared by every table */
  optionSets: ReadonlyMap<string, number[]>;
  /** the environment's relationships: a lookup's targets come from its table's 1:N ones */
  relationships: string[];
}

/**
 * The effective definitions of the tables, by name; a table with no entity definition (stored,
 * or the catalog's for a standard table) has none. Stored layers hide the catalog's.
 */
export async function effectiveDefinitions(
  db: Queryable,
  envId: number,
  tables: string[],
): Promise<Map<string, TableDefinitionSet>> {
  const stored = await storedTableDefinitions(db, envId, tables);
  const out = new Map<string, TableDefinitionSet>();
  if (!tables.length) return out;
  const optionSets = new Map<string, number[]>();
  for (const xml of (await storedDefinitionsOfType(db, envId, 'optionset')).values()) {
    const set = globalOptionSetOf(xml);
    optionSets.set(set.name, set.values);
  }
  const relationships = [...(await storedDefinitionsOfType(db, envId, 'relationship')).values()];
  for (const table of tables) {
    const s = stored.get(table)!;
    const entity = s.entity ?? catalogComponent('entity', table)?.xml ?? null;
    if (!entity) continue;
    const attributes = new Map<string, string>();
    if (catalogComponent('entity', table))
      for (const c of catalogComponents())
        if (c.type === 'attribute' && c.parent?.key === table)
          attributes.set(c.key.slice(table.length + 1), c.xml);
    for (const [name, xml] of s.attributes) attributes.set(name, xml);
    out.set(table, { entity, attributes, optionSets, relationships });
  }
  return out;
}

/** The shapes the effective definitions give the tables, by name. */
export async function effectiveShapes(
  db: Queryable,
  envId: number,
  tables: string[],
): Promise<Map<string, TableShape>> {
  const out = new Map<string, TableShape>();
  for (const [table, d] of await effectiveDefinitions(db, envId, tables))
    out.set(table, shapeOfDefinitions(d));
  return out;
}

export function shapeOfDefinitions(d: TableDefinitionSet): TableShape {
  return tableShapeOf({
    entity: d.entity,
    attributes: [...d.attributes.values()],
    optionSets: d.optionSets,
    relationships: d.relationships,
  });
}

function unplanned(what: string): StrataError {
  return new StrataError(
    'INTERNAL',
    `The definitions would ${what}, which the plan did not say; nothing was changed.`,
    { hint: 'This is a defect in strata: please report it with the package and the plan.' },
  );
}
