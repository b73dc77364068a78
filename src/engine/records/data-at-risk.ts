import type { Refusal } from '../../plans/refusal.js';
import type { DataAtRisk } from '../../plans/data-at-risk.js';
import type { PlannedDelete } from '../../plans/import-plan.js';
import { countRecords, countValues } from '../../store/record-tables.js';
import { retentionRevisions } from '../../store/retention.js';
import type { Queryable } from '../../store/store.js';

/**
 * What a plan does to records. Planning stays pure: the planners name the tables and columns
 * that leave (dataAtRiskOf, from the components a plan deletes) and the tables whose shape may
 * change; the engine then counts what those hold (countDataAtRisk), under the same lock as the
 * write that would drop them, and refuses a loss nobody accepted (dataLossRefusal).
 */

/** The table an entity or attribute component belongs to (attribute keys are `table.column`). */
export function tableOf(ref: { type: string; key: string }): string | null {
  if (ref.type === 'entity') return ref.key;
  if (ref.type === 'attribute') return ref.key.slice(0, ref.key.indexOf('.'));
  return null;
}

/** The tables whose shape the given components can change, in name order. */
export function touchedTables(refs: Iterable<{ type: string; key: string }>): string[] {
  const out = new Set<string>();
  for (const r of refs) {
    const t = tableOf(r);
    if (t) out.add(t);
  }
  return [...out].sort();
}

/** The tables and columns that leave with a plan's deletes, before anything is counted. */
export function dataAtRiskOf(deletes: PlannedDelete[], touched: string[]): DataAtRisk {
  const gone = deletes.filter((d) => d.componentGoes);
  const tables = new Set(gone.filter((d) => d.type === 'entity').map((d) => d.key));
  const columns = gone
    .filter((d) => d.type === 'attribute' && !tables.has(tableOf(d)!))
    .map((d) => ({ table: tableOf(d)!, column: d.key.slice(d.key.indexOf('.') + 1), values: 0 }));
  return {
    tables: [...tables].sort().map((table) => ({ table, rows: 0 })),
    columns: columns.sort((a, b) =>
      `${a.table}.${a.column}`.localeCompare(`${b.table}.${b.column}`),
    ),
    rows: 0,
    values: 0,
    touched: [...new Set([...touched, ...tables, ...columns.map((c) => c.table)])].sort(),
  };
}

/** The same figures, counted in the environment's tables as they are now. */
export async function countDataAtRisk(
  db: Queryable,
  envId: number,
  d: DataAtRisk,
): Promise<DataAtRisk> {
  const rows = await countRecords(
    db,
    envId,
    d.tables.map((t) => t.table),
  );
  const byTable = new Map<string, string[]>();
  for (const c of d.columns) byTable.set(c.table, [...(byTable.get(c.table) ?? []), c.column]);
  const values = new Map<string, number>();
  for (const [table, cols] of byTable)
    for (const [col, n] of await countValues(db, envId, table, cols))
      values.set(`${table}.${col}`, n);
  const tables = d.tables.map((t) => ({ table: t.table, rows: rows.get(t.table) ?? 0 }));
  const columns = d.columns.map((c) => ({
    ...c,
    values: values.get(`${c.table}.${c.column}`) ?? 0,
  }));
  return {
    ...d,
    tables,
    columns,
    rows: tables.reduce((n, t) => n + t.rows, 0),
    values: columns.reduce((n, c) => n + c.values, 0),
    retainedFor: await retentionRevisions(db, envId),
  };
}

/** A plan that would drop records or values is refused unless the loss was accepted. */
export function dataLossRefusal(d: DataAtRisk, accepted: boolean | undefined): Refusal | null {
  if (accepted || d.rows + d.values === 0) return null;
  const parts = [
    ...d.tables.filter((t) => t.rows).map((t) => `table ${t.table} (${t.rows} rows)`),
    ...d.columns
      .filter((c) => c.values)
      .map((c) => `column ${c.table}.${c.column} (${c.values} values)`),
  ];
  return {
    code: 'DATA_LOSS_NOT_ACCEPTED',
    message:
      `This would delete ${[d.rows ? `${d.rows} rows` : '', d.values ? `${d.values} column values` : ''].filter(Boolean).join(' and ')}: ` +
      `${parts.slice(0, 5).join(', ')}${parts.length > 5 ? `, and ${parts.length - 5} more` : ''}.`,
    hint:
      'Move the data you need first (strata data copy, or the record API), then run again ' +
      'with --accept-data-loss (acceptDataLoss: true in the JSON API).',
  };
}

/**
 * Counts a plan's data at risk where it stands, and adds the refusal of a loss not accepted to
 * the plan's refusals (once). Runs under the environment's lock when the plan is carried out,
 * so the figures are those of the records the write would take.
 */
export async function assessDataAtRisk<P extends { dataAtRisk: DataAtRisk; blocked: Refusal[] }>(
  db: Queryable,
  envId: number,
  plan: P,
  accepted: boolean | undefined,
): Promise<P> {
  const dataAtRisk = await countDataAtRisk(db, envId, plan.dataAtRisk);
  const refusal = dataLossRefusal(dataAtRisk, accepted);
  const blocked = plan.blocked.filter((b) => b.code !== 'DATA_LOSS_NOT_ACCEPTED');
  return { ...plan, dataAtRisk, blocked: refusal ? [...blocked, refusal] : blocked };
}
