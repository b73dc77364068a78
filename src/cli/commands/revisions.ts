import { rollback, showRevision, type RevisionReport } from '../../engine/rollback.js';
import type { RollbackPlan } from '../../plans/rollback-plan.js';
import { usage, type ArgsOf, type Io } from '../command.js';
import { environmentName, withStore } from '../context.js';
import type { REVISION_SHOW, ROLLBACK } from './index.js';

/** strata rollback --to N [--dry-run] [--accept-data-loss]: the plan, then the rollback. */
export async function rollbackCommand(
  { values }: ArgsOf<typeof ROLLBACK>,
  io: Io,
): Promise<number> {
  const to = Number(values.to);
  if (values.to === undefined || !Number.isInteger(to))
    throw usage('rollback takes the revision to go back to: strata rollback --to N');
  const dryRun = !!values['dry-run'];
  const result = await withStore(async (store) =>
    rollback(store, await environmentName(store, values.env), to, {
      dryRun,
      acceptDataLoss: !!values['accept-data-loss'],
    }),
  );
  if (values.json) io.out(JSON.stringify(result, null, 2));
  else {
    io.out(describePlan(result.plan));
    if (!dryRun) io.out(`Rolled back to revision ${to}: now at revision ${result.revision}.`);
    else if (result.plan.blocked.length)
      io.out(`Refused: ${result.plan.blocked.map((b) => b.message).join(' ')}`);
    else io.out('Dry run: nothing was changed.');
  }
  return dryRun && result.plan.blocked.length ? 4 : 0;
}

const SHOWN = 20;

function some<T>(items: T[], line: (t: T) => string): string[] {
  const lines = items.slice(0, SHOWN).map((t) => `  ${line(t)}`);
  if (items.length > SHOWN) lines.push(`  ... and ${items.length - SHOWN} more (--json lists all)`);
  return lines;
}

/** The plan as text: what comes back, what leaves, the records at risk and what stays. */
export function describePlan(p: RollbackPlan): string {
  const out = [
    `Rollback of ${p.environment} from revision ${p.environmentRevision} to ${p.to}: ` +
      `undoes ${p.undone.length} revision(s).`,
  ];
  out.push(
    ...some(p.undone, (u) => `revision ${u.number}: ${u.operation ?? '?'} ${u.solution ?? ''}`),
  );
  if (p.solutions.length) {
    out.push('Solutions:');
    out.push(
      ...some(p.solutions, (s) =>
        s.change === 'comes-back'
          ? `${s.uniqueName} ${s.versionThen} comes back`
          : s.change === 'leaves'
            ? `${s.uniqueName} ${s.versionNow} leaves`
            : s.change === 'version'
              ? `${s.uniqueName} goes from ${s.versionNow} back to ${s.versionThen}`
              : `${s.uniqueName} ${s.versionNow} changes`,
      ),
    );
  }
  for (const pub of p.publishers) out.push(`Publisher ${pub.uniqueName} ${pub.change}`);
  const c = p.components;
  out.push(`Components: ${c.comesBack} come back, ${c.leaves} leave, ${c.changes} change layers.`);
  out.push(...some(c.items, (i) => `${i.type} ${i.key}: ${i.change}`));
  const r = p.records;
  for (const d of r.dropped) out.push(`Table ${d.table} is dropped with its ${d.rows} record(s).`);
  for (const d of r.droppedColumns)
    out.push(`Column ${d.table}.${d.column} is dropped with its ${d.values} value(s).`);
  for (const t of r.restored.tables)
    out.push(`Table ${t.table} comes back with its ${t.rows} record(s).`);
  for (const col of r.restored.columns)
    out.push(`Column ${col.table}.${col.column} comes back with its values.`);
  for (const x of r.purged)
    out.push(
      `Cannot restore ${x.column ? `column ${x.table}.${x.column}` : `table ${x.table}`} ` +
        `(dropped at revision ${x.revision}): its records were purged from retention.`,
    );
  if (r.kept.length)
    out.push(`Records written since revision ${p.to} stay as they are in: ${r.kept.join(', ')}.`);
  return out.join('\n');
}

/** strata revision show N: what revision N changed. */
export async function revisionShowCommand(
  { values, positionals }: ArgsOf<typeof REVISION_SHOW>,
  io: Io,
): Promise<number> {
  const n = Number(positionals[0]);
  if (positionals.length !== 1 || !Number.isInteger(n))
    throw usage('revision show takes a revision number: strata revision show N');
  const report = await withStore(async (store) =>
    showRevision(store, await environmentName(store, values.env), n),
  );
  io.out(values.json ? JSON.stringify(report, null, 2) : describeRevision(report));
  return 0;
}

function describeRevision(r: RevisionReport): string {
  const out = [
    `Revision ${r.number} of ${r.environment}: ${r.operation ?? '?'} ${r.subOperation ?? ''} ` +
      `${r.solution ?? ''} (${r.createdOn.slice(0, 19).replace('T', ' ')})` +
      (r.rolledBackTo !== null ? `, a rollback to revision ${r.rolledBackTo}` : ''),
  ];
  for (const s of r.solutions)
    out.push(
      s.change === 'version'
        ? `Solution ${s.uniqueName}: ${s.versionBefore} -> ${s.versionAfter}`
        : `Solution ${s.uniqueName} ${s.versionAfter ?? s.versionBefore}: ${s.change}`,
    );
  for (const p of r.publishers) out.push(`Publisher ${p.uniqueName}: ${p.change}`);
  const c = r.components;
  out.push(`Components: ${c.added} added, ${c.changed} changed, ${c.removed} removed.`);
  out.push(...some(c.items, (i) => `${i.type} ${i.key}: ${i.change}`));
  if (r.tables.made.length) out.push(`Tables made: ${r.tables.made.join(', ')}`);
  if (r.tables.changed.length) out.push(`Tables changed: ${r.tables.changed.join(', ')}`);
  if (r.tables.dropped.length) out.push(`Tables dropped: ${r.tables.dropped.join(', ')}`);
  return out.join('\n');
}
