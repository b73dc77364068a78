import { EMPTY_QUERY, type Filter } from '../../model/record-query.js';
import type { Queryable } from '../../store/store.js';
import { allRecords } from './query.js';
import { shapeOf, type TableRef } from './records.js';
import { exportColumns, toFileValues, type FileRecord } from './text-values.js';

/**
 * `strata data export`: the records of a table that a filter matches, as a CSV or JSON Lines
 * file holds them (text-values.ts), in the order of their ids, read page by page so that memory
 * stays one page whatever the table's size.
 */
export interface RecordFile {
  /** the file's columns: the table's (or those selected) in the shape's order */
  columns: string[];
  records: AsyncGenerator<FileRecord>;
}

export async function recordFile(
  db: Queryable,
  ref: TableRef,
  q: { select?: string[] | null; filter?: Filter | null } = {},
): Promise<RecordFile> {
  const shape = await shapeOf(db, ref.envId, ref.table);
  if (!shape) throw new Error(`no table ${ref.table} in environment ${ref.envId}`);
  const select = q.select ?? null;
  const query = { ...EMPTY_QUERY, select, filter: q.filter ?? null };
  async function* records(): AsyncGenerator<FileRecord> {
    for await (const r of allRecords(db, ref, query)) yield toFileValues(r);
  }
  return { columns: exportColumns(shape, select), records: records() };
}
