import { assessDataAtRisk, dataAtRiskOf, touchedTables } from './records/data-at-risk.js';
import { syncRecordTables } from './records/schema-sync.js';
import { identity, splitIdentity } from '../model/component.js';
import { StrataError } from '../model/errors.js';
import { recordHistory } from '../store/history.js';
import { loadTableShapes } from '../store/record-tables.js';
import { writeLifecycle } from '../store/lifecycle-writes.js';
import { loadSnapshot } from '../store/snapshot.js';
import { findEnvironment } from '../store/environments.js';
import { lockEnvironment } from '../store/revision.js';
import type { Queryable, Store } from '../store/store.js';
import type { PlannedDelete } from '../plans/import-plan.js';
import { sameSolutionName } from '../model/solution.js';
import { baseNameOf, holdingNameOf, isHoldingName } from '../plans/layer-order.js';
import type { LifecycleOperation, LifecyclePlan } from '../plans/lifecycle-plan.js';
import type { Refusal } from '../plans/refusal.js';
import type { EnvironmentSnapshot, LayerScope, SolutionInfo } from '../plans/snapshot.js';
import { dependentsRefusal, plannedDeletes, withDisplayTypes } from './deletes.js';
import { ComponentIndex } from './existence.js';
import { firstPartySolutionError, refusalError } from './refusals.js';

/**
 * Plans a solution operation that is not an import: apply a staged upgrade (the holding
 * solution replaces its base and the base's patches), abandon it, or uninstall a solution with
 * its patches. Pure, like planImport: refusals come back in `blocked`; it throws only when the
 * solution (SOLUTION_NOT_FOUND) or its staged upgrade (HOLDING_NOT_FOUND) is not there, or the
 * name is a first-party solution of the environment's template (FIRST_PARTY_SOLUTION).
 */
export function planLifecycle(
  snapshot: EnvironmentSnapshot,
  operation: LifecycleOperation,
  name: string,
): LifecyclePlan {
  const names = namesOf(snapshot, name);
  if (!names.base && !names.holding) {
    const verb = operation === 'uninstall' ? 'uninstalled' : 'upgraded';
    const firstParty = firstPartySolutionError(snapshot.environment, name, verb);
    if (firstParty) throw firstParty;
  }
  const index = new ComponentIndex(snapshot, null);
  const blocked: Refusal[] = [];
  const change =
    operation === 'apply-upgrade'
      ? planPromotion(snapshot, index, names)
      : operation === 'abandon'
        ? planAbandon(snapshot, index, names)
        : planUninstall(snapshot, index, names, blocked);
  const { subject, removes, deletes, renames } = change;
  const leaving = removes.map((s) => s.uniqueName);
  const refusal = dependentsRefusal(
    snapshot,
    deletes,
    leaving,
    describe(operation, names, subject),
  );
  if (refusal) blocked.push(refusal);
  const holding = names.holding;
  return {
    operation,
    environment: snapshot.environment.name,
    environmentRevision: snapshot.environment.revision,
    solution: {
      uniqueName: subject.uniqueName,
      version: subject.version,
      managed: subject.managed,
      publisher: subject.publisher,
    },
    holding: holding ? { uniqueName: holding.uniqueName, version: holding.version } : null,
    removes: removes.map((s) => ({ uniqueName: s.uniqueName, managed: s.managed })),
    deletes,
    renames,
    dataAtRisk: dataAtRiskOf(
      deletes,
      tablesOfSolutions(snapshot, [...leaving, ...renames.map((r) => r.from)]),
    ),
    blocked,
    summary: {
      solutionsRemoved: removes.length,
      layersRemoved: deletes.length,
      componentsDeleted: new Set(
        deletes.filter((d) => d.componentGoes).map((d) => identity(d.type, d.key)),
      ).size,
    },
  };
}

/** The solutions an operation on `name` concerns: the base, and its staged upgrade. */
interface Names {
  name: string;
  env: string;
  baseName: string;
  holdingName: string;
  base: SolutionInfo | undefined;
  holding: SolutionInfo | undefined;
  find(n: string, holding: boolean): SolutionInfo | undefined;
}

/** What naming the solutions needs of a snapshot: its environment's name and its solutions. */
type Solutions = { environment: { name: string }; solutions: SolutionInfo[] };

/**
 * `name` may be the base's or the holding solution's (`<base>_Upgrade`), in any case (Dataverse
 * compares unique names ignoring case); the names reported are the installed solutions' own.
 */
function namesOf(snapshot: Solutions, name: string): Names {
  const find = (n: string, holding: boolean): SolutionInfo | undefined =>
    snapshot.solutions.find((s) => sameSolutionName(s.uniqueName, n) && s.isHolding === holding);
  const named = find(name, false);
  const base = named ?? find(baseNameOf(name), false);
  const baseName = base?.uniqueName ?? baseNameOf(name);
  const holding = find(!named && isHoldingName(name) ? name : holdingNameOf(baseName), true);
  return {
    name,
    env: snapshot.environment.name,
    baseName,
    holdingName: holding?.uniqueName ?? holdingNameOf(baseName),
    base,
    holding,
    find,
  };
}

/** What an operation does to the solutions and layers, before dependents are checked. */
interface Change {
  /** the solution the plan reports on */
  subject: SolutionInfo;
  removes: SolutionInfo[];
  deletes: PlannedDelete[];
  renames: LifecyclePlan['renames'];
}

/**
 * Apply Solution Upgrade: the base and its patches go, with the layers of components the new
 * version lacks; the holding solution takes the base's name and place.
 */
function planPromotion(snapshot: EnvironmentSnapshot, index: ComponentIndex, n: Names): Change {
  const holding = stagedUpgrade(n);
  const base = n.base;
  if (!base)
    throw new StrataError(
      'SOLUTION_NOT_FOUND',
      `${n.baseName}, the solution ${n.holdingName} upgrades, is not installed in ${n.env}.`,
      { hint: `Drop the holding solution with: strata upgrade ${n.baseName} --abandon` },
    );
  const removes = withPatches(snapshot, base);
  const keep = new Set<string>();
  for (const [id, ls] of snapshot.layers)
    if (ls.some((l) => l.solution === holding.uniqueName)) keep.add(id);
  const deletes = plannedDeletes(
    snapshot,
    index,
    removes.map((s) => s.uniqueName),
    keep,
  );
  const renames = [
    {
      from: holding.uniqueName,
      to: base.uniqueName,
      ordinal: base.ordinal,
      installOrder: base.installOrder,
    },
  ];
  return { subject: base, removes, deletes, renames };
}

/** Abandoning a staged upgrade: the holding solution goes with its layers. */
function planAbandon(snapshot: EnvironmentSnapshot, index: ComponentIndex, n: Names): Change {
  const holding = stagedUpgrade(n);
  const deletes = plannedDeletes(snapshot, index, [holding.uniqueName], new Set());
  return { subject: holding, removes: [holding], deletes, renames: [] };
}

/**
 * Uninstall: a solution goes with its patches; a managed one takes its layers (and the
 * components only it had), an unmanaged one is a container and leaves its components.
 */
function planUninstall(
  snapshot: EnvironmentSnapshot,
  index: ComponentIndex,
  n: Names,
  blocked: Refusal[],
): Change {
  const target = uninstallTarget(n);
  if (!target)
    throw new StrataError(
      'SOLUTION_NOT_FOUND',
      `There is no solution named ${n.name} in ${n.env}.`,
      {
        hint: 'strata list shows the installed solutions.',
      },
    );
  if (!target.isHolding && n.holding) blocked.push(holdingExists(target, n.holding));
  // deleting a parent deletes its patches with it
  const removes = withPatches(snapshot, target);
  const deletes = target.managed
    ? plannedDeletes(
        snapshot,
        index,
        removes.map((s) => s.uniqueName),
        new Set(),
      )
    : [];
  return { subject: target, removes, deletes, renames: [] };
}

function stagedUpgrade(n: Names): SolutionInfo {
  if (n.holding) return n.holding;
  throw new StrataError(
    'HOLDING_NOT_FOUND',
    `${n.baseName} has no solution staged for upgrade in ${n.env} (no ${n.holdingName}).`,
    {
      hint:
        'Stage one first: strata import PKG --import-as-holding   ' +
        '(strata list shows what is installed)',
    },
  );
}

function holdingExists(target: SolutionInfo, holding: SolutionInfo): Refusal {
  return {
    code: 'HOLDING_EXISTS',
    message:
      `${target.uniqueName} has a staged upgrade (${holding.uniqueName}); ` +
      'finish or abandon it before uninstalling.',
    hint:
      `strata upgrade ${target.uniqueName}   or   ` +
      `strata upgrade ${target.uniqueName} --abandon`,
  };
}

/** A solution and its patches, which go with it: the patches first. */
function withPatches(snapshot: Solutions, solution: SolutionInfo): SolutionInfo[] {
  const patches = snapshot.solutions.filter((s) =>
    sameSolutionName(s.parentUniqueName, solution.uniqueName),
  );
  return [...patches, solution];
}

/** What `strata uninstall NAME` names: the installed solution, else a holding solution. */
function uninstallTarget(n: Names): SolutionInfo | undefined {
  return n.find(n.name, false) ?? n.find(n.name, true);
}

/** The operation as DEPENDENTS_EXIST names it ("Cannot …"). */
function describe(operation: LifecycleOperation, n: Names, subject: SolutionInfo): string {
  if (operation === 'uninstall') return `uninstall ${subject.uniqueName}`;
  if (operation === 'abandon') return `abandon ${n.holdingName}`;
  return `apply the upgrade of ${n.baseName}`;
}

/**
 * What a lifecycle operation plans from: the layers' places, not their hashes (decision 70), of
 * the components it may change and of those that may need them (decision 72).
 */
function snapshotFor(
  db: Queryable,
  environment: string,
  operation: LifecycleOperation,
  name: string,
): Promise<EnvironmentSnapshot> {
  return loadSnapshot(db, environment, {
    hashes: false,
    scope: (s) => lifecycleScope(s.environment, s.solutions, operation, name),
  });
}

const HISTORY: Record<LifecycleOperation, [string, string]> = {
  'apply-upgrade': ['upgrade', 'apply'],
  abandon: ['upgrade', 'abandon'],
  uninstall: ['uninstall', 'none'],
};

/**
 * Plans and (unless `dryRun`) runs a lifecycle operation in one transaction, with history. The
 * environment is locked before the snapshot is read (store/revision.ts), so the operation plans
 * against what it writes over: imports and other operations on the environment wait for it, or
 * it waits for them, and none finds the environment changed under its plan. A refused plan is
 * recorded as a failure and thrown (refusalError); a write that fails is rolled back, recorded and
 * thrown. `faultAfter` (tests) fails the write after the named step.
 */
export async function runLifecycle(
  store: Store,
  environment: string,
  operation: LifecycleOperation,
  name: string,
  opts: { dryRun?: boolean; faultAfter?: string; acceptDataLoss?: boolean } = {},
): Promise<LifecyclePlan> {
  if (opts.dryRun) {
    // in a transaction of its own, which writes nothing: the scope's statement plans its joins
    // with a setting of the transaction (store/snapshot.ts)
    return store.transaction((tx) =>
      planWithData(tx, environment, operation, name, opts.acceptDataLoss),
    );
  }
  const started = new Date();
  let planned: { envId: number; plan: LifecyclePlan } | undefined;
  const history = (
    db: Queryable,
    result: 'success' | 'failure',
    code?: string,
    message?: string,
  ): Promise<void> => {
    const { envId, plan } = planned!;
    return recordHistory(db, envId, {
      solutionName: plan.solution.uniqueName,
      solutionVersion:
        plan.holding && operation !== 'uninstall' ? plan.holding.version : plan.solution.version,
      publisher: plan.solution.publisher,
      managed: plan.solution.managed,
      operation: HISTORY[operation][0],
      subOperation: HISTORY[operation][1],
      options: {},
      startedOn: started,
      endedOn: new Date(),
      result,
      errorCode: code ?? null,
      message: message ?? null,
      jobId: null,
    });
  };
  let refused: StrataError | undefined;
  try {
    await store.transaction(async (tx) => {
      const env = await findEnvironment(tx, environment);
      await lockEnvironment(tx, env.id);
      const plan = await planWithData(tx, environment, operation, name, opts.acceptDataLoss);
      planned = { envId: env.id, plan };
      if (plan.blocked.length) {
        refused = refusalError(plan.blocked);
        await history(tx, 'failure', refused.code, refused.message);
        return;
      }
      await writeLifecycle(tx, env.id, plan, opts.faultAfter);
      await syncRecordTables(tx, env.id, plan.dataAtRisk);
      await history(tx, 'success');
    });
  } catch (e) {
    // not planned (no such solution, no staged upgrade): nothing to record
    if (!planned) throw e;
    const code = e instanceof StrataError ? e.code : 'LIFECYCLE_FAILED';
    await store.transaction((tx) => history(tx, 'failure', code, (e as Error).message));
    if (e instanceof StrataError) throw e;
    throw new StrataError(
      'LIFECYCLE_FAILED',
      `${operation} of ${name} failed and was rolled back: ${(e as Error).message}`,
      { hint: 'Nothing was changed.', cause: e },
    );
  }
  if (refused) throw refused;
  return planned!.plan;
}

/**
 * The tables whose definitions have a layer of one of `solutions`: their effective shape can
 * change when those layers go or are renamed.
 */
function tablesOfSolutions(snapshot: EnvironmentSnapshot, solutions: string[]): string[] {
  // a snapshot of the operation's scope names them already: those whose records are made
  if (snapshot.scope) {
    if (!sameSet(snapshot.scope.tablesOf, solutions))
      throw new Error(`the snapshot's tables are of ${snapshot.scope.tablesOf.join(', ')}`);
    return snapshot.scope.tables;
  }
  const names = new Set(solutions);
  const refs: Array<{ type: string; key: string }> = [];
  for (const [id, layers] of snapshot.layers) {
    if (!layers.some((l) => names.has(l.solution))) continue;
    const [type, key] = splitIdentity(id);
    if (type === 'entity' || type === 'attribute') refs.push({ type, key });
  }
  return touchedTables(refs);
}

/**
 * The operation planned from its part of the environment, with the records it would drop
 * counted (and refused unless accepted), and its touched tables those whose records are made.
 */
async function planWithData(
  tx: Queryable,
  environment: string,
  operation: LifecycleOperation,
  name: string,
  acceptDataLoss: boolean | undefined,
): Promise<LifecyclePlan> {
  const snapshot = await snapshotFor(tx, environment, operation, name);
  const envId = snapshot.environment.id;
  const planned = planLifecycle(snapshot, operation, name);
  const plan = { ...planned, deletes: await withDisplayTypes(tx, envId, planned.deletes) };
  return madeTablesOnly(tx, envId, await assessDataAtRisk(tx, envId, plan, acceptDataLoss));
}

/**
 * The plan's touched tables, of those whose records are made: the only ones whose shape the
 * operation can change (engine/records/schema-sync.ts). The snapshot of the operation's scope
 * names no others, the whole environment's names every table of its solutions: the same plan
 * either way (decision 72).
 */
async function madeTablesOnly(
  db: Queryable,
  envId: number,
  plan: LifecyclePlan,
): Promise<LifecyclePlan> {
  const { touched } = plan.dataAtRisk;
  if (!touched.length) return plan;
  const made = await loadTableShapes(db, envId, touched);
  return {
    ...plan,
    dataAtRisk: { ...plan.dataAtRisk, touched: touched.filter((t) => made.has(t)) },
  };
}

function sameSet(a: string[], b: string[]): boolean {
  const x = new Set(a);
  return x.size === new Set(b).size && b.every((n) => x.has(n));
}

/**
 * The part of the environment an operation plans from (decision 72), given its solutions: the
 * components whose layers may go (the stacks of the solutions that leave, less the components
 * the staged upgrade keeps), and the solutions whose tables it touches. It names the solutions
 * as planLifecycle does (the same functions); null when they do not resolve, so that
 * planLifecycle, with every layer, says why.
 */
export function lifecycleScope(
  environment: string,
  solutions: SolutionInfo[],
  operation: LifecycleOperation,
  name: string,
): LayerScope | null {
  const shown: Solutions = { environment: { name: environment }, solutions };
  const n = namesOf(shown, name);
  if (operation === 'apply-upgrade') {
    if (!n.base || !n.holding) return null;
    const leaving = withPatches(shown, n.base).map((s) => s.uniqueName);
    return {
      going: leaving,
      staying: [n.holding.uniqueName],
      tablesOf: [...leaving, n.holding.uniqueName],
    };
  }
  if (operation === 'abandon') {
    if (!n.holding) return null;
    return { going: [n.holding.uniqueName], staying: [], tablesOf: [n.holding.uniqueName] };
  }
  const target = uninstallTarget(n);
  if (!target) return null;
  const leaving = withPatches(shown, target).map((s) => s.uniqueName);
  return { going: target.managed ? leaving : [], staying: [], tablesOf: leaving };
}
