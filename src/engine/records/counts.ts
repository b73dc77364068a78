import { catalogComponents } from '../../catalog/catalog.js';
import { findEnvironment } from '../../store/environments.js';
import { listComponents } from '../../store/queries.js';
import { countRecords, loadTableShapes } from '../../store/record-tables.js';
import type { Queryable } from '../../store/store.js';
import type { TableRef } from './records.js';

/**
 * How many records tables hold (`strata data count`). A table whose SQL table was never made (a
 * standard table nobody wrote to) holds none.
 */
export interface TableCount {
  table: string;
  records: number;
}

/** The records of one table. */
export async function tableRecordCount(db: Queryable, ref: TableRef): Promise<number> {
  return (await countRecords(db, ref.envId, [ref.table])).get(ref.table) ?? 0;
}

/**
 * The tables of an environment that hold records, by name, with how many; with `all`, every
 * table it has — those its solutions bring and, unless it was created empty, the standard
 * tables of the catalog — with 0 for the empty ones.
 */
export async function recordCounts(
  db: Queryable,
  environment: string,
  opts: { all?: boolean } = {},
): Promise<TableCount[]> {
  const env = await findEnvironment(db, environment);
  const names = new Set((await loadTableShapes(db, env.id)).keys());
  if (opts.all) {
    for (const c of await listComponents(db, env.id, { type: 'entity' })) names.add(c.key);
    if (env.base !== 'empty')
      for (const c of catalogComponents()) if (c.type === 'entity') names.add(c.key);
  }
  const counts = await countRecords(db, env.id, [...names].sort());
  return [...counts]
    .map(([table, records]) => ({ table, records }))
    .filter((c) => opts.all || c.records > 0);
}
