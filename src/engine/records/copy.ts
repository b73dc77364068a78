import { StrataError } from '../../model/errors.js';
import type { TableShape } from '../../model/table-shape.js';
import { copyColumnValues, copyTableRecords } from '../../store/records.js';
import type { Store } from '../../store/store.js';
import { lockEnvironment } from '../../store/revision.js';
import { ensureRecordTable } from './schema-sync.js';
import type { TableRef } from './records.js';

/**
 * `strata data copy`: the common migration while an upgrade is staged — one column's values
 * into another column, or one table's records into another table, before Apply Solution Upgrade
 * drops the old ones. One transaction: a value that does not fit its new column stops the copy,
 * and nothing is written.
 */
export interface CopyRequest {
  from: { table: string; column?: string };
  to: { table: string; column?: string };
  /** table to table: source column → target column (default: the columns both tables have) */
  columns?: Array<[string, string]>;
}

export async function copyRecords(
  store: Store,
  envId: number,
  req: CopyRequest,
): Promise<{ rows: number; columns: Array<[string, string]> }> {
  return store.transaction(async (tx) => {
    await lockEnvironment(tx, envId);
    const from = await made(tx, { envId, table: req.from.table });
    const to = await made(tx, { envId, table: req.to.table });
    if (req.from.column || req.to.column) {
      const source = columnOf(from, req.from.column);
      const target = columnOf(to, req.to.column);
      if (from.name !== to.name)
        throw copyInvalid(
          'a column is copied into a column of the same table; name two tables to copy records.',
        );
      return {
        rows: await copyColumnValues(tx, envId, from, source, target),
        columns: [[source, target]],
      };
    }
    const columns = req.columns ?? sharedColumns(from, to);
    for (const [s, t] of columns) {
      columnOf(from, s);
      columnOf(to, t);
    }
    return { rows: await copyTableRecords(tx, envId, from, to, columns), columns };
  });
}

/** Columns of the same name in both tables that a client writes (not the ids, not strata's). */
function sharedColumns(from: TableShape, to: TableShape): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const c of from.columns) {
    if (c.system || c.kind === 'id' || c.kind === 'file') continue;
    const t = to.columns.find((x) => x.name === c.name);
    if (t && !t.system && t.kind === c.kind) out.push([c.name, t.name]);
  }
  // a primary name column of another name takes the source's primary name
  if (from.primaryName && to.primaryName && !out.some(([, t]) => t === to.primaryName))
    out.push([from.primaryName, to.primaryName]);
  if (!out.length)
    throw copyInvalid(
      `${from.name} and ${to.name} have no column in common: map them with --map a=b.`,
    );
  return out;
}

async function made(
  tx: Parameters<typeof ensureRecordTable>[0],
  ref: TableRef,
): Promise<TableShape> {
  const shape = await ensureRecordTable(tx, ref.envId, ref.table);
  if (!shape)
    throw new StrataError(
      'RECORD_TABLE_NOT_FOUND',
      `There is no table named ${JSON.stringify(ref.table)}.`,
      {
        hint: 'strata data count lists the tables.',
        details: { table: ref.table },
      },
    );
  return shape;
}

function columnOf(shape: TableShape, name: string | undefined): string {
  if (!name) throw copyInvalid('name a column on both sides (TABLE.COLUMN), or none.');
  if (!shape.columns.some((c) => c.name === name))
    throw new StrataError(
      'RECORD_COLUMN_UNKNOWN',
      `${shape.name} has no column named ${JSON.stringify(name)}.`,
      {
        hint: `$metadata, or strata data query ${shape.name} --top 1, shows its columns.`,
        details: { table: shape.name, column: name },
      },
    );
  return name;
}

function copyInvalid(message: string): StrataError {
  return new StrataError('USAGE', `strata data copy: ${message}`, {
    hint: 'strata data copy FROM_TABLE TO_TABLE [--map a=b ...], or FROM_TABLE.COLUMN TO_TABLE.COLUMN.',
  });
}
