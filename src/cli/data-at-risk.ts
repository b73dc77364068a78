import type { DataAtRisk } from '../plans/data-at-risk.js';

/**
 * The data-at-risk block every plan prints first: what records the operation would delete. A
 * plan that deletes none says so in one line, so that "no data at risk" is visible, not assumed.
 */
export function dataAtRiskLines(d: DataAtRisk, accepted: boolean): string[] {
  if (d.rows + d.values === 0) {
    const dropped = d.tables.length + d.columns.length;
    return [
      dropped
        ? `Data at risk: none (${dropped} table(s) or column(s) to drop, all empty).`
        : 'Data at risk: none.',
    ];
  }
  const amount = [d.rows ? `${d.rows} row(s)` : '', d.values ? `${d.values} column value(s)` : '']
    .filter(Boolean)
    .join(' and ');
  const out = [
    `Data at risk: ${amount} would be deleted` +
      (accepted ? ' (accepted with --accept-data-loss):' : ':'),
  ];
  if (d.retainedFor)
    out.push(
      `  They are kept in the environment's retention area for ${d.retainedFor} revision(s) ` +
        'first (strata retention list), then purged.',
    );
  for (const t of d.tables) if (t.rows) out.push(`  table ${t.table}: ${t.rows} row(s)`);
  for (const c of d.columns)
    if (c.values) out.push(`  column ${c.table}.${c.column}: ${c.values} value(s)`);
  if (!accepted) out.push('  Move what you need first; then run again with --accept-data-loss.');
  return out;
}
