import type { RecordQuery } from '../../model/record-query.js';
import { loadTableShapes } from '../../store/record-tables.js';
import { readRecordPage } from '../../store/record-reads.js';
import type { StoredRow } from '../../store/records.js';
import type { Queryable } from '../../store/store.js';
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
