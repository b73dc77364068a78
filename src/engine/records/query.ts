import { EMPTY_QUERY, type RecordQuery } from '../../model/record-query.js';
import type { TableShape } from '../../model/table-shape.js';
import { loadTableShapes } from '../../store/record-tables.js';
import { readPrimaryNames, readRecordPage } from '../../store/record-reads.js';
import { expansionKey } from '../../store/record-sql.js';
import { storedValue, type StoredRow } from '../../store/records.js';
import type { Queryable } from '../../store/store.js';
import { idOf, type RecordKey } from './keys.js';
import { shapeOf, type TableRef } from './records.js';
import { recordValues, type RecordValues } from './values.js';

/**
 * One page of a table's records for a query (the Web API's GET on an entity set, `strata data
 * query` and `export`): the values as a client reads them, where the next page starts, and the
 * count when asked. A table whose SQL table was never made (a standard table nobody wrote to)
 * holds no records.
 */
export interface RecordPageOut {
  records: RecordValues[];
  /** the stored rows, for callers that need the expanded targets (store/record-sql.ts) */
  rows: StoredRow[];
  nextSkip: number | null;
  count: number | null;
}

export async function queryRecords(
  db: Queryable,
  ref: TableRef,
  q: RecordQuery,
  opts: { pageSize: number },
): Promise<RecordPageOut> {
  const shape = (await loadTableShapes(db, ref.envId, [ref.table])).get(ref.table);
  if (!shape) {
    if (!(await shapeOf(db, ref.envId, ref.table)))
      throw new Error(`no table ${ref.table} in environment ${ref.envId}`);
    return { records: [], rows: [], nextSkip: null, count: q.count ? 0 : null };
  }
  const page = await readRecordPage(db, ref.envId, shape, q, opts);
  return {
    records: page.rows.map((r) => recordValues(shape, r, q.select)),
    rows: page.rows,
    nextSkip: page.nextSkip,
    count: page.count,
  };
}

/** Every record a query matches, page by page (exports): memory stays one page. */
export async function* allRecords(
  db: Queryable,
  ref: TableRef,
  q: RecordQuery,
  pageSize = 5000,
): AsyncGenerator<RecordValues> {
  let skip = q.skip;
  for (;;) {
    const page = await queryRecords(db, ref, { ...q, skip, count: false }, { pageSize });
    yield* page.records;
    if (page.nextSkip === null) return;
    skip = page.nextSkip;
  }
}

/** A record as the Web API reads it: its values, its version, the records it expands to. */
export interface ReadRecord {
  values: RecordValues;
  /** versionnumber: the record's etag */
  version: string | null;
  /** navigation property → the record the lookup points to, or null (none, or gone) */
  expanded: Record<string, { values: RecordValues; version: string | null } | null>;
}

export interface RecordsRead {
  records: ReadRecord[];
  /** where the next page starts (a `skip`), or null when this is the last page */
  nextSkip: number | null;
  /** the rows the filter matches, up to the count limit, when the query asked for it */
  count: number | null;
}

export interface ReadOptions {
  pageSize: number;
  /** count no further than this (Dataverse's @odata.count stops at 5,000) */
  countLimit?: number;
}

/**
 * The Web API's read: a page as queryRecords reads it, each record with its version (the etag)
 * and the records its expanded lookups point to — a lookup to a table that was never made points
 * to no record, and expands as null — and the count stopping at a limit (Dataverse's 5,000).
 */
export async function readRecords(
  db: Queryable,
  envId: number,
  table: string,
  q: RecordQuery,
  opts: ReadOptions,
): Promise<RecordsRead> {
  const wanted = [table, ...q.expand.map((e) => e.table)];
  const made = await loadTableShapes(db, envId, [...new Set(wanted)]);
  const shape = made.get(table);
  if (!shape) return { records: [], nextSkip: null, count: q.count ? 0 : null };
  // a lookup whose table has no SQL table yet points to no record: expanded as null
  const expand = q.expand.filter((e) => made.has(e.table));
  const page = await readRecordPage(db, envId, shape, { ...q, expand }, opts);
  const view = selected(shape, q.select);
  const targets = q.expand.map((e) => {
    const target = made.get(e.table);
    return { e, key: expansionKey(e.navigation), view: target && selected(target, e.select) };
  });
  const records = page.rows.map((row) => {
    const expanded: ReadRecord['expanded'] = {};
    for (const { e, key, view: target } of targets) {
      const nested = row[key] as StoredRow | null | undefined;
      expanded[e.navigation] =
        target && nested
          ? { values: recordValues(target, nested), version: versionOf(nested) }
          : null;
    }
    return { values: recordValues(view, row), version: versionOf(row), expanded };
  });
  return { records, nextSkip: page.nextSkip, count: page.count };
}

/**
 * The shape cut to the selected columns (the primary id always), worked out once for a page
 * rather than once per row.
 */
function selected(shape: TableShape, select: string[] | null): TableShape {
  if (select === null) return shape;
  const wanted = new Set([shape.primaryId, ...select]);
  return { ...shape, columns: shape.columns.filter((c) => wanted.has(c.name)) };
}

function versionOf(row: StoredRow): string | null {
  const v = storedValue(row, 'versionnumber');
  return v === null ? null : String(v);
}

/**
 * One record, by id or alternate key, with the columns and expansions the query asks for; null
 * when there is none (a table never made has none). `defined` is the table's shape as its
 * definitions give it.
 */
export async function readRecord(
  db: Queryable,
  envId: number,
  defined: TableShape,
  key: RecordKey,
  q: Pick<RecordQuery, 'select' | 'expand'>,
): Promise<ReadRecord | null> {
  const made = (await loadTableShapes(db, envId, [defined.name])).get(defined.name);
  if (!made) {
    if ('id' in key) await idOf(db, envId, defined, key);
    return null;
  }
  const id = await idOf(db, envId, made, key);
  if (id === null) return null;
  const byId: RecordQuery = {
    ...EMPTY_QUERY,
    select: q.select,
    expand: q.expand,
    filter: { op: 'cmp', cmp: 'eq', column: made.primaryId, value: id },
  };
  return (await readRecords(db, envId, defined.name, byId, { pageSize: 1 })).records[0] ?? null;
}

/**
 * What lookups show: the primary name of each record they point to, by table and id (a
 * lookup's formatted value). A table never made, an id with no record, a record without a name:
 * no name.
 */
export async function lookupNames(
  db: Queryable,
  envId: number,
  wanted: ReadonlyMap<string, ReadonlySet<string>>,
): Promise<Map<string, Map<string, string>>> {
  const out = new Map<string, Map<string, string>>();
  const made = await loadTableShapes(db, envId, [...wanted.keys()]);
  for (const [table, ids] of wanted) {
    const shape = made.get(table);
    if (shape && ids.size) out.set(table, await readPrimaryNames(db, envId, shape, [...ids]));
  }
  return out;
}
