import { catalogComponent } from '../catalog/catalog.js';
import { StrataError } from '../model/errors.js';
import type { TableShape } from '../model/table-shape.js';
import { NO_DATA_AT_RISK, type DataAtRisk } from '../plans/data-at-risk.js';
import type { Refusal } from '../plans/refusal.js';
import type { RollbackPlan } from '../plans/rollback-plan.js';
import { findEnvironment } from '../store/environments.js';
import { recordHistory } from '../store/history.js';
import {
  countRecords,
  countValues,
  forgetRecordTables,
  loadTableShapes,
  restoreMissingColumns,
  revertRecordTable,
} from '../store/record-tables.js';
import {
  restoreRetained,
  retainedSince,
  retainRecordTable,
  type RestoredSummary,
} from '../store/retention.js';
import { lockEnvironment } from '../store/revision.js';
import {
  bumpRevision,
  currentRows,
  listRevisions,
  markRollback,
  rollbackMetadata,
  rowChanges,
  shapesAt,
  type CurrentRows,
  type RevisionRow,
  type RowChange,
} from '../store/revisions.js';
import { importRunning } from '../store/queue.js';
import type { Queryable, Store } from '../store/store.js';
import { refusalError } from './refusals.js';

/**
 * Rollback: an environment goes back to an earlier revision. Reading (readRollback) gathers what
 * the undo log says later revisions changed, the rows as they are now, the record tables'
 * shapes and counts, and what retention holds; planning (planRollback) is pure; rollback()
 * applies the plan in one transaction — record tables first, then the metadata, then what
 * retention gives back — and records it as a new revision, which a later rollback can undo.
 */

/** Everything planRollback reads. */
export interface RollbackSnapshot {
  environment: { name: string; revision: number };
  to: number;
  /** every revision the environment recorded, newest first */
  revisions: RevisionRow[];
  /** what revisions after `to` changed, row by row */
  changes: RowChange[];
  current: CurrentRows;
  /** the shapes of the record tables now */
  shapesNow: Map<string, TableShape>;
  /** records in the tables made after `to`; values in the columns added after it */
  rows: Map<string, number>;
  values: Map<string, Map<string, number>>;
  retention: Awaited<ReturnType<typeof retainedSince>>;
}

/** The rows of a keyed table at the revision before a span, from the rows now and its changes. */
function rowsBefore(
  now: Map<string, Record<string, unknown>>,
  changes: RowChange[],
  table: string,
): Map<string, Record<string, unknown>> {
  const out = new Map(now);
  for (const c of changes) {
    if (c.table !== table) continue;
    const k = c.key.join('\u0001');
    if (c.before) out.set(k, c.image ?? {});
    else out.delete(k);
  }
  return out;
}

/** Which components the layer changes touch. */
function touchedComponents(changes: RowChange[]): Array<{ type: string; key: string }> {
  const seen = new Map<string, { type: string; key: string }>();
  for (const c of changes)
    if (c.table === 'layers')
      seen.set(`${c.key[0]}\u0001${c.key[1]}`, { type: c.key[0], key: c.key[1] });
  return [...seen.values()];
}

/** Reads what planRollback needs, in `db` (the rollback's transaction, or a plain read). */
export async function readRollback(
  db: Queryable,
  env: { id: number; name: string; revision: number },
  to: number,
): Promise<RollbackSnapshot> {
  const revisions = await listRevisions(db, env.id);
  const changes = to < env.revision ? await rowChanges(db, env.id, to + 1, env.revision) : [];
  const current = await currentRows(db, env.id, touchedComponents(changes));
  const shapesNow = await loadTableShapes(db, env.id);
  const then = shapesAt(changes);
  const leaving = droppedTables(shapesNow, changes, componentChanges(current, changes));
  const rows = await countRecords(db, env.id, leaving);
  const values = new Map<string, Map<string, number>>();
  for (const [table, shape] of then) {
    const now = shapesNow.get(table);
    if (!shape || !now) continue;
    const added = now.columns.filter((c) => !shape.columns.some((s) => s.name === c.name));
    if (added.length)
      values.set(
        table,
        await countValues(
          db,
          env.id,
          table,
          added.map((c) => c.name),
        ),
      );
  }
  const retention = await retainedSince(db, env.id, to);
  return {
    environment: { name: env.name, revision: env.revision },
    to,
    revisions,
    changes,
    current,
    shapesNow,
    rows,
    values,
    retention,
  };
}

type Change = 'comes-back' | 'leaves' | 'changes';

/**
 * The rollback plan (pure). Refusals: `to` is no revision of the environment, or one from before
 * revisions were recorded (REVISION_NOT_FOUND); `to` is the current revision
 * (ROLLBACK_NOTHING_TO_UNDO); records would be lost (tables or columns made since, retention
 * purged) and the loss was not accepted (DATA_LOSS_NOT_ACCEPTED).
 */
export function planRollback(
  s: RollbackSnapshot,
  opts: { acceptDataLoss?: boolean } = {},
): RollbackPlan {
  const env = s.environment;
  const blocked: Refusal[] = [];
  const recorded = new Set(s.revisions.map((r) => r.number));
  const complete = Array.from(
    { length: Math.max(env.revision - s.to, 0) },
    (_, i) => s.to + 1 + i,
  ).every((n) => recorded.has(n));
  if (!Number.isInteger(s.to) || s.to < 0 || s.to > env.revision || !complete)
    blocked.push({
      code: 'REVISION_NOT_FOUND',
      message:
        s.to > env.revision || s.to < 0 || !Number.isInteger(s.to)
          ? `${env.name} has no revision ${s.to}: it is at revision ${env.revision}.`
          : `${env.name} cannot go back to revision ${s.to}: revisions before ` +
            `${Math.min(...recorded)} were made before strata kept what they changed.`,
      hint: 'strata history lists the revisions there are.',
    });
  else if (s.to === env.revision)
    blocked.push({
      code: 'ROLLBACK_NOTHING_TO_UNDO',
      message: `${env.name} is at revision ${s.to} already.`,
      hint: 'Name an earlier revision: strata history lists them.',
    });
  const plan = planChanges(s);
  if (
    (plan.dataAtRisk.rows + plan.dataAtRisk.values > 0 || plan.records.purged.length) &&
    !opts.acceptDataLoss &&
    !blocked.length
  )
    blocked.push({
      code: 'DATA_LOSS_NOT_ACCEPTED',
      message:
        `Going back to revision ${s.to} loses records: ` +
        [
          ...plan.records.dropped.map((d) => `table ${d.table} (${d.rows} rows)`),
          ...plan.records.droppedColumns.map(
            (d) => `column ${d.table}.${d.column} (${d.values} values)`,
          ),
          ...plan.records.purged.map(
            (p) =>
              `${p.column ? `column ${p.table}.${p.column}` : `table ${p.table}`} dropped at ` +
              `revision ${p.revision}, whose records were purged from retention`,
          ),
        ].join(', ') +
        '.',
      hint: 'Review the plan (--dry-run), then run it again with --accept-data-loss.',
    });
  return {
    environment: env.name,
    environmentRevision: env.revision,
    to: s.to,
    undone: s.revisions
      .filter((r) => r.number > s.to)
      .map((r) => ({ number: r.number, operation: r.operation, solution: r.solution })),
    ...plan,
    blocked,
  };
}

function planChanges(
  s: RollbackSnapshot,
): Pick<RollbackPlan, 'solutions' | 'publishers' | 'components' | 'records' | 'dataAtRisk'> {
  const solutionsThen = rowsBefore(s.current.solutions, s.changes, 'solutions');
  const solutions: RollbackPlan['solutions'] = [];
  for (const c of s.changes.filter((c) => c.table === 'solutions')) {
    const name = c.key[0];
    const now = s.current.solutions.get(name);
    const then = solutionsThen.get(name);
    if (!now && !then) continue;
    const versionNow = now ? String(now.version) : null;
    const versionThen = then ? String(then.version) : null;
    solutions.push({
      uniqueName: name,
      change: !now
        ? 'comes-back'
        : !then
          ? 'leaves'
          : versionNow !== versionThen
            ? 'version'
            : 'changes',
      versionNow,
      versionThen,
    });
  }
  const publishersThen = rowsBefore(s.current.publishers, s.changes, 'publishers');
  const publishers: RollbackPlan['publishers'] = s.changes
    .filter((c) => c.table === 'publishers')
    .map((c) => ({
      name: c.key[0],
      now: s.current.publishers.has(c.key[0]),
      then: publishersThen.has(c.key[0]),
    }))
    .filter((p) => p.now || p.then)
    .map((p) => ({
      uniqueName: p.name,
      change: !p.now ? 'comes-back' : !p.then ? 'leaves' : 'changes',
    }));
  const components = componentChanges(s.current, s.changes);
  return { solutions, publishers, components, ...recordChanges(s, components) };
}

function componentChanges(current: CurrentRows, changes: RowChange[]): RollbackPlan['components'] {
  const s = { current, changes };
  const then = rowsBefore(s.current.layers, s.changes, 'layers');
  const items = new Map<string, RollbackPlan['components']['items'][number]>();
  for (const c of s.changes) {
    if (c.table !== 'layers') continue;
    const [type, key, solution] = c.key;
    const k = c.key.join('\u0001');
    const now = s.current.layers.get(k);
    const was = then.get(k);
    if (!now && !was) continue;
    const id = `${type}\u0001${key}`;
    const item = items.get(id) ?? {
      type,
      key,
      name: String(now?.name ?? was?.name ?? key),
      change: 'changes' as Change,
      layers: [],
    };
    item.layers.push({ solution, change: !now ? 'comes-back' : !was ? 'leaves' : 'changes' });
    items.set(id, item);
  }
  // a component is there while it has a layer (the components view)
  const nowComponents = new Set(
    [...s.current.layers.keys()].map((k) => k.split('\u0001').slice(0, 2).join('\u0001')),
  );
  const thenComponents = new Set(
    [...then.keys()].map((k) => k.split('\u0001').slice(0, 2).join('\u0001')),
  );
  for (const [id, item] of items)
    item.change = !nowComponents.has(id)
      ? 'comes-back'
      : !thenComponents.has(id)
        ? 'leaves'
        : 'changes';
  const list = [...items.values()].sort((a, b) =>
    a.type === b.type ? (a.key < b.key ? -1 : 1) : a.type < b.type ? -1 : 1,
  );
  return {
    comesBack: list.filter((i) => i.change === 'comes-back').length,
    leaves: list.filter((i) => i.change === 'leaves').length,
    changes: list.filter((i) => i.change === 'changes').length,
    items: list,
  };
}

/**
 * The record tables a rollback drops: those made since (their shape was recorded in a later
 * revision), and those whose table definition leaves — a table is made with its first record,
 * which is no revision, so its entity says whether it was there.
 */
function droppedTables(
  shapesNow: Map<string, TableShape>,
  changes: RowChange[],
  components: RollbackPlan['components'],
): string[] {
  const then = shapesAt(changes);
  const leaves = new Set(
    components.items
      .filter((i) => i.type === 'entity' && i.change === 'leaves')
      .map((i) => i.key)
      .filter((t) => !catalogComponent('entity', t)),
  );
  return [...shapesNow.keys()].filter((t) => then.get(t) === null || leaves.has(t)).sort();
}

function recordChanges(
  s: RollbackSnapshot,
  components: RollbackPlan['components'],
): Pick<RollbackPlan, 'records' | 'dataAtRisk'> {
  const then = shapesAt(s.changes);
  const gone = droppedTables(s.shapesNow, s.changes, components);
  const dropped = gone.map((table) => ({ table, rows: s.rows.get(table) ?? 0 }));
  const droppedColumns = [...s.values].flatMap(([table, cols]) =>
    [...cols].map(([column, values]) => ({ table, column, values })),
  );
  const kept = [...s.shapesNow.keys()].filter((t) => !gone.includes(t)).sort();
  const dataAtRisk: DataAtRisk = {
    ...NO_DATA_AT_RISK,
    tables: dropped,
    columns: droppedColumns,
    rows: dropped.reduce((n, d) => n + d.rows, 0),
    values: droppedColumns.reduce((n, d) => n + d.values, 0),
    touched: [...then.keys()].sort(),
  };
  return {
    records: {
      dropped,
      droppedColumns,
      restored: {
        tables: s.retention.restorable
          .filter((d) => d.column === undefined)
          .map((d) => ({ table: d.table, rows: d.rows })),
        columns: s.retention.restorable
          .filter((d) => d.column !== undefined)
          .map((d) => ({ table: d.table, column: d.column! })),
      },
      purged: s.retention.purged,
      kept,
    },
    dataAtRisk,
  };
}

/** Test seam: fail after a named step of the rollback, inside its transaction. */
export type RollbackFault = 'tables' | 'metadata' | 'retention';

export interface RollbackResult {
  plan: RollbackPlan;
  /** the revision the rollback made (the plan's when a dry run) */
  revision: number;
  restored: RestoredSummary;
}

/**
 * Plans the rollback of `environment` to revision `to` and, unless a dry run, applies it: one
 * transaction that holds the environment's lock, refuses while an import runs in it
 * (IMPORT_RUNNING), plans again under the lock, and writes exactly that plan. Throws the plan's
 * first refusal.
 */
export async function rollback(
  store: Store,
  environment: string,
  to: number,
  opts: { dryRun?: boolean; acceptDataLoss?: boolean; faultAfter?: RollbackFault } = {},
): Promise<RollbackResult> {
  const env = await findEnvironment(store, environment);
  if (opts.dryRun) {
    const plan = planRollback(await readRollback(store, env, to), opts);
    return { plan, revision: env.revision, restored: { tables: [], columns: [] } };
  }
  const started = new Date();
  let refused: StrataError | undefined;
  let result: RollbackResult | undefined;
  await store.transaction(async (tx) => {
    if (await importRunning(tx, env.id))
      throw new StrataError('IMPORT_RUNNING', `An import is running in ${environment}.`, {
        hint: 'Wait for it to finish (strata history), then roll back.',
      });
    const revision = await lockEnvironment(tx, env.id);
    const snapshot = await readRollback(tx, { ...env, revision }, to);
    const plan = planRollback(snapshot, opts);
    if (plan.blocked.length) {
      refused = refusalError(plan.blocked);
      return;
    }
    const fault = (step: RollbackFault): void => {
      if (opts.faultAfter === step)
        throw new StrataError('FAULT_INJECTED', `Injected failure after ${step}.`);
    };
    // the revision this rollback makes, first: what it drops is retained under it, so that
    // rolling the rollback back brings those records back (bumpRevision is once a transaction)
    const made = await bumpRevision(tx, env.id);
    await revertTables(tx, env.id, snapshot, plan);
    fault('tables');
    await rollbackMetadata(tx, env.id, to);
    // a table is made with its first record, in no revision: the log may hold a shape of a
    // table whose definition the rollback takes away, which goes again
    const gone = new Set(plan.records.dropped.map((d) => d.table));
    await forgetRecordTables(tx, env.id, [...gone]);
    fault('metadata');
    const restored = await restoreRetained(tx, env.id, to, { revision: made, before: made });
    for (const [table, shape] of shapesAt(snapshot.changes))
      if (shape && !gone.has(table)) await restoreMissingColumns(tx, env.id, shape);
    fault('retention');
    await markRollback(tx, env.id, to);
    await recordHistory(tx, env.id, {
      solutionName: '(environment)',
      solutionVersion: null,
      publisher: null,
      managed: null,
      operation: 'rollback',
      subOperation: `to ${to}`,
      options: { to, acceptDataLoss: !!opts.acceptDataLoss, undone: plan.undone.length },
      startedOn: started,
      endedOn: new Date(),
      result: 'success',
    });
    result = { plan, revision: made, restored };
  });
  if (refused) throw refused;
  return result!;
}

/** Tables made since `to` go; tables changed since take their old shape back (store side). */
async function revertTables(
  tx: Queryable,
  envId: number,
  s: RollbackSnapshot,
  plan: RollbackPlan,
): Promise<void> {
  // dropped as an upgrade drops a table: into the retention area, with their records
  for (const { table, rows } of plan.records.dropped)
    await retainRecordTable(tx, envId, table, rows);
  const gone = new Set(plan.records.dropped.map((d) => d.table));
  for (const [table, then] of shapesAt(s.changes)) {
    const now = s.shapesNow.get(table);
    if (now && then && !gone.has(table)) await revertRecordTable(tx, envId, now, then);
  }
}

type Shown = 'added' | 'removed' | 'changed';

/** What `strata revision show N` tells: the revision, and what it changed. */
export interface RevisionReport {
  environment: string;
  number: number;
  operation: string | null;
  subOperation: string | null;
  solution: string | null;
  historyId: number | null;
  rolledBackTo: number | null;
  createdOn: string;
  solutions: Array<{
    uniqueName: string;
    change: Shown | 'version';
    versionBefore: string | null;
    versionAfter: string | null;
  }>;
  publishers: Array<{ uniqueName: string; change: Shown }>;
  components: {
    added: number;
    removed: number;
    changed: number;
    items: Array<{
      type: string;
      key: string;
      name: string;
      change: Shown;
      layers: Array<{ solution: string; change: Shown }>;
    }>;
  };
  tables: { made: string[]; dropped: string[]; changed: string[] };
}

const TURNED: Record<Change, Shown> = {
  'comes-back': 'removed',
  leaves: 'added',
  changes: 'changed',
};

/**
 * What revision `n` changed: the state before it against the state after it, both derived from
 * the rows now and the undo log of the revisions since (the plan of going from n back to n - 1,
 * read the other way round).
 */
export async function showRevision(
  store: Store,
  environment: string,
  n: number,
): Promise<RevisionReport> {
  const env = await findEnvironment(store, environment);
  const revisions = await listRevisions(store, env.id);
  const row = revisions.find((r) => r.number === n);
  if (!row)
    throw new StrataError('REVISION_NOT_FOUND', `${environment} has no revision ${n}.`, {
      hint: 'strata history lists the revisions there are.',
    });
  const since = await rowChanges(store, env.id, n + 1, env.revision);
  const own = await rowChanges(store, env.id, n, n);
  const current = await currentRows(store, env.id, touchedComponents(own));
  // the state right after n: now, taken back over the revisions since
  const after: CurrentRows = {
    solutions: rowsBefore(current.solutions, since, 'solutions'),
    publishers: rowsBefore(current.publishers, since, 'publishers'),
    layers: rowsBefore(current.layers, since, 'layers'),
  };
  const shapesAfter = new Map(await loadTableShapes(store, env.id));
  for (const [t, shape] of shapesAt(since)) {
    if (shape) shapesAfter.set(t, shape);
    else shapesAfter.delete(t);
  }
  const back = planChanges({
    environment: { name: environment, revision: n },
    to: n - 1,
    revisions,
    changes: own,
    current: after,
    shapesNow: shapesAfter,
    rows: new Map(),
    values: new Map(),
    retention: { restorable: [], purged: [] },
  });
  const before = shapesAt(own);
  return {
    environment,
    number: n,
    operation: row.operation,
    subOperation: row.subOperation,
    solution: row.solution,
    historyId: row.historyId,
    rolledBackTo: row.rolledBackTo,
    createdOn: row.createdOn.toISOString(),
    solutions: back.solutions.map((x) => ({
      uniqueName: x.uniqueName,
      change: x.change === 'version' ? 'version' : TURNED[x.change],
      versionBefore: x.versionThen,
      versionAfter: x.versionNow,
    })),
    publishers: back.publishers.map((x) => ({
      uniqueName: x.uniqueName,
      change: TURNED[x.change],
    })),
    components: {
      added: back.components.leaves,
      removed: back.components.comesBack,
      changed: back.components.changes,
      items: back.components.items.map((i) => ({
        type: i.type,
        key: i.key,
        name: i.name,
        change: TURNED[i.change],
        layers: i.layers.map((l) => ({ solution: l.solution, change: TURNED[l.change] })),
      })),
    },
    tables: {
      made: [...before].filter(([t, x]) => x === null && shapesAfter.has(t)).map(([t]) => t),
      dropped: [...before].filter(([t, x]) => x && !shapesAfter.has(t)).map(([t]) => t),
      changed: [...before].filter(([t, x]) => x && shapesAfter.has(t)).map(([t]) => t),
    },
  };
}
