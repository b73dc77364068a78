import type { RecordQuery } from '../model/record-query.js';
import type { TableShape } from '../model/table-shape.js';
import { columnIdent, tableRef } from './record-names.js';
import { countRecordsSql, selectRecordsSql, type SqlText } from './record-sql.js';
import { loadTableShapes, recordSchemaOf } from './record-tables.js';
import type { StoredRow } from './records.js';
import type { Queryable } from './store.js';

/**
 * One page of a table's records, as a GET on its entity set asks for it: the rows, where the
 * next page starts (for @odata.nextLink), and the count when $count asked for it (up to
 * `countLimit` when one is given).
 */
export interface RecordPage {
  /** at most `pageSize` rows, as findRecord returns one (read with storedValue) */
  rows: StoredRow[];
  /** the `skip` of the next page, or null when this is the last */
  nextSkip: number | null;
  /** the rows the filter matches in all, when the query asked for the count; else null */
  count: number | null;
}

export async function readRecordPage(
  db: Queryable,
  envId: number,
  shape: TableShape,
  q: RecordQuery,
  opts: { pageSize: number; countLimit?: number },
): Promise<RecordPage> {
  const schema = await recordSchemaOf(db, envId);
  if (!schema) return { rows: [], nextSkip: null, count: q.count ? 0 : null };
  const targets = q.expand.length
    ? await loadTableShapes(db, envId, [...new Set(q.expand.map((e) => e.table))])
    : new Map<string, TableShape>();
  const select = selectRecordsSql(schema, shape, q, {
    pageSize: opts.pageSize,
    shapeOf: (t) => targets.get(t),
    oneValue: db.rowsDecodedHere,
  });
  const found = await pageRows(db, select);
  const rows = found.length > opts.pageSize ? found.slice(0, opts.pageSize) : found;
  const nextSkip = found.length > opts.pageSize ? q.skip + opts.pageSize : null;
  if (!q.count) return { rows, nextSkip, count: null };
  const c = countRecordsSql(schema, shape, q.filter, opts.countLimit);
  const [{ count }] = await db.query<{ count: number }>(c.sql, c.params);
  return { rows, nextSkip, count: Number(count) };
}

/** The rows of a page, from a row each or from one value (RecordSqlOptions.oneValue). */
async function pageRows(db: Queryable, select: SqlText): Promise<StoredRow[]> {
  if (db.rowsDecodedHere) {
    const [{ page }] = await db.query<{ page: string | null }>(select.sql, select.params);
    return page === null ? [] : (JSON.parse(page) as StoredRow[]);
  }
  const found = await db.query<{ row: StoredRow | string }>(select.sql, select.params);
  return found.map((r) => (typeof r.row === 'string' ? (JSON.parse(r.row) as StoredRow) : r.row));
}

/**
 * The primary names of records of one table, by id: what a lookup to them shows (its formatted
 * value). Ids with no record, or a record without a name, are left out.
 */
export async function readPrimaryNames(
  db: Queryable,
  envId: number,
  shape: TableShape,
  ids: string[],
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const schema = await recordSchemaOf(db, envId);
  if (!schema || !ids.length || !shape.primaryName) return names;
  const rows = await db.query<{ id: string; name: string | null }>(
    `SELECT ${columnIdent(shape.primaryId)}::text AS id, ${columnIdent(shape.primaryName)}::text AS name
     FROM ${tableRef(schema, shape.name)} WHERE ${columnIdent(shape.primaryId)} = ANY($1::uuid[])`,
    [ids],
  );
  for (const r of rows) if (r.name !== null) names.set(r.id, r.name);
  return names;
}
