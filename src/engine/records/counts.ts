import { countRecords } from '../../store/record-tables.js';
import type { Queryable } from '../../store/store.js';
import type { TableRef } from './records.js';

/**
 * How many records one table holds (`strata data count TABLE`; environmentTables in tables.ts
 * counts every table). A table whose SQL table was never made holds none.
 */
export async function tableRecordCount(db: Queryable, ref: TableRef): Promise<number> {
  return (await countRecords(db, ref.envId, [ref.table])).get(ref.table) ?? 0;
}
