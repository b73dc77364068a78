import { catalogComponents } from '../../catalog/catalog.js';
import { EMPTY_QUERY } from '../../model/record-query.js';
import type { ColumnKind } from '../../model/table-shape.js';
import { tableShapeOf } from '../../package/customizations/table-shape.js';
import { findEnvironment } from '../../store/environments.js';
import { listComponents } from '../../store/queries.js';
import { countRecords, loadTableShapes } from '../../store/record-tables.js';
import type { Queryable } from '../../store/store.js';
import { queryRecords } from './query.js';
import { shapeOf, tableIn } from './records.js';
import { effectiveDefinitions } from './schema-sync.js';
import type { RecordValues } from './values.js';

/**
 * The tables of an environment, as a table browser lists them: every table with an entity
 * definition — the catalog's standard tables and the tables the solutions bring — whether its
 * SQL table is made yet (a standard table's is made by its first record: decision 36), and how
 * many records it holds.
 */
export interface EnvironmentTable {
  /** the logical name */
  table: string;
  /** the Web API entity set name */
  entitySetName: string;
  /** the display name of its top entity layer (the catalog's for an untouched standard table) */
  displayName: string;
  /** a standard table of the System layer (catalog) */
  standard: boolean;
  /** its SQL table exists */
  made: boolean;
  /** its records (0 when not made) */
  rows: number;
}

/** The environment's tables in logical name order. */
export async function environmentTables(
  db: Queryable,
  environment: string,
): Promise<EnvironmentTable[]> {
  const env = await findEnvironment(db, environment);
  const display = new Map<string, string>();
  const standard = new Set<string>();
  for (const c of catalogComponents())
    if (c.type === 'entity') {
      display.set(c.key, c.name);
      standard.add(c.key);
    }
  // the top layer names a table a solution brings or customizes
  for (const c of await listComponents(db, env.id, { type: 'entity' })) display.set(c.key, c.name);

  const made = await loadTableShapes(db, env.id);
  const unmade = [...display.keys()].filter((t) => !made.has(t));
  const sets = new Map([...made.values()].map((s) => [s.name, s.entitySetName]));
  // the entity set name is the entity's alone: its columns need not be parsed (that would cost
  // a tenth of a second per hundred standard tables)
  for (const [table, d] of await effectiveDefinitions(db, env.id, unmade))
    sets.set(table, tableShapeOf({ entity: d.entity, attributes: [] }).entitySetName);
  const rows = await countRecords(db, env.id, [...made.keys()]);
  return [...sets]
    .map(([table, entitySetName]) => ({
      table,
      entitySetName,
      displayName: display.get(table) ?? table,
      standard: standard.has(table),
      made: made.has(table),
      rows: rows.get(table) ?? 0,
    }))
    .sort((a, b) => (a.table < b.table ? -1 : a.table > b.table ? 1 : 0));
}

/** A column as the table browser shows it. */
export interface BrowsedColumn {
  name: string;
  kind: ColumnKind;
  /** the attribute type (nvarchar, picklist, lookup, ...) */
  type: string;
  /** lookup: the tables it may point to */
  targets?: string[];
  /** maintained by strata (createdon, modifiedon, versionnumber, ...) */
  system?: boolean;
}

/** One page of a table's records, in primary id order, with the count of them all. */
export interface BrowsedPage {
  table: string;
  entitySetName: string;
  primaryId: string;
  primaryName: string | null;
  columns: BrowsedColumn[];
  records: RecordValues[];
  /** every record of the table */
  count: number;
  skip: number;
  top: number;
  /** the `skip` of the next page, or null on the last */
  nextSkip: number | null;
}

/** The most records one page may hold (the Web API's odata.maxpagesize limit). */
export const MAX_BROWSE_PAGE = 5000;

/**
 * A page of `table`'s records for browsing: RECORD_TABLE_NOT_FOUND when the environment has no
 * such table; no records when its SQL table is not made.
 */
export async function browseRecords(
  db: Queryable,
  environment: string,
  table: string,
  page: { top: number; skip: number },
): Promise<BrowsedPage> {
  const ref = await tableIn(db, environment, table);
  const shape = (await shapeOf(db, ref.envId, table))!;
  const top = Math.max(1, Math.min(MAX_BROWSE_PAGE, Math.floor(page.top)));
  const skip = Math.max(0, Math.floor(page.skip));
  const out = await queryRecords(db, ref, { ...EMPTY_QUERY, skip, count: true }, { pageSize: top });
  return {
    table: shape.name,
    entitySetName: shape.entitySetName,
    primaryId: shape.primaryId,
    primaryName: shape.primaryName ?? null,
    columns: shape.columns.map((c) => ({
      name: c.name,
      kind: c.kind,
      type: c.type,
      ...(c.targets?.length ? { targets: c.targets } : {}),
      ...(c.system ? { system: true } : {}),
    })),
    records: out.records,
    count: out.count ?? 0,
    skip,
    top,
    nextSkip: out.nextSkip,
  };
}
