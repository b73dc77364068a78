import { StrataError } from '../model/errors.js';
import { recordHistory } from '../store/history.js';
import { writeLifecycle } from '../store/lifecycle-writes.js';
import { loadSnapshot } from '../store/snapshot.js';
import type { Store } from '../store/store.js';
import { ComponentIndex } from './existence.js';
import { dependentsBlocking, plannedDeletes } from './plan.js';
import { HOLDING_SUFFIX } from '../plans/layer-order.js';
import type { LifecycleOperation, LifecyclePlan } from '../plans/lifecycle-plan.js';
import type { PlanIssue, PlannedDelete } from '../plans/import-plan.js';
import type { EnvironmentSnapshot, SolutionInfo } from '../plans/snapshot.js';

export function planLifecycle(
  snapshot: EnvironmentSnapshot,
  operation: LifecycleOperation,
  name: string,
): LifecyclePlan {
  const env = snapshot.environment.name;
  const find = (n: string, holding: boolean): SolutionInfo | undefined =>
    snapshot.solutions.find((s) => s.uniqueName === n && s.isHolding === holding);
  const holdingName = name.endsWith(HOLDING_SUFFIX) ? name : `${name}${HOLDING_SUFFIX}`;
  const baseName =
    name.endsWith(HOLDING_SUFFIX) && !find(name, false)
      ? name.slice(0, -HOLDING_SUFFIX.length)
      : name;
  const base = find(baseName, false);
  const holding = find(holdingName, true);
  const patchesOf = (n: string): SolutionInfo[] =>
    snapshot.solutions.filter((s) => s.parentUniqueName === n);
  const index = new ComponentIndex(snapshot, null);
  const blocked: PlanIssue[] = [];
  let subject: SolutionInfo;
  let removes: SolutionInfo[] = [];
  let deletes: PlannedDelete[] = [];
  const renames: LifecyclePlan['renames'] = [];

  if (operation === 'apply-upgrade' || operation === 'abandon') {
    if (!holding) {
      throw new StrataError(
        'HOLDING_NOT_FOUND',
        `${baseName} has no solution staged for upgrade in ${env} (no ${holdingName}).`,
        {
          hint: `Stage one first: strata import PKG --import-as-holding   (strata list shows what is installed)`,
        },
      );
    }
    if (operation === 'apply-upgrade') {
      if (!base)
        throw new StrataError(
          'SOLUTION_NOT_FOUND',
          `${baseName}, the solution ${holdingName} upgrades, is not installed in ${env}.`,
          { hint: `Drop the holding solution with: strata upgrade ${baseName} --abandon` },
        );
      subject = base;
      removes = [...patchesOf(base.uniqueName), base];
      const keep = new Set(
        [...snapshot.layers]
          .filter(([, ls]) => ls.some((l) => l.solution === holding.uniqueName))
          .map(([id]) => id),
      );
      deletes = plannedDeletes(
        snapshot,
        index,
        removes.map((s) => s.uniqueName),
        keep,
      );
      renames.push({
        from: holding.uniqueName,
        to: base.uniqueName,
        ordinal: base.ordinal,
        installOrder: base.installOrder,
      });
    } else {
      subject = holding;
      removes = [holding];
      deletes = plannedDeletes(snapshot, index, [holding.uniqueName], new Set());
    }
  } else {
    const target = find(name, false) ?? find(name, true);
    if (!target)
      throw new StrataError('SOLUTION_NOT_FOUND', `There is no solution named ${name} in ${env}.`, {
        hint: 'strata list shows the installed solutions.',
      });
    subject = target;
    if (!target.isHolding && holding) {
      blocked.push({
        code: 'HOLDING_EXISTS',
        message: `${target.uniqueName} has a staged upgrade (${holding.uniqueName}); finish or abandon it before uninstalling.`,
        hint: `strata upgrade ${target.uniqueName}   or   strata upgrade ${target.uniqueName} --abandon`,
      });
    }
    // deleting a parent deletes its patches with it
    removes = [...patchesOf(target.uniqueName), target];
    if (target.managed)
      deletes = plannedDeletes(
        snapshot,
        index,
        removes.map((s) => s.uniqueName),
        new Set(),
      );
  }
  blocked.push(
    ...dependentsBlocking(
      snapshot,
      deletes,
      removes.map((s) => s.uniqueName),
      operation === 'uninstall'
        ? `uninstall ${subject.uniqueName}`
        : operation === 'abandon'
          ? `abandon ${holdingName}`
          : `apply the upgrade of ${baseName}`,
    ),
  );
  return {
    operation,
    environment: env,
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
    blocked,
    summary: {
      solutionsRemoved: removes.length,
      layersRemoved: deletes.length,
      componentsDeleted: new Set(
        deletes.filter((d) => d.componentGoes).map((d) => `${d.type}\u0000${d.key}`),
      ).size,
    },
  };
}

const HISTORY: Record<LifecycleOperation, [string, string]> = {
  'apply-upgrade': ['upgrade', 'apply'],
  abandon: ['upgrade', 'abandon'],
  uninstall: ['uninstall', 'none'],
};

/** Plans and (unless `dryRun`) runs a lifecycle operation in one transaction, with history. */
export async function runLifecycle(
  store: Store,
  environment: string,
  operation: LifecycleOperation,
  name: string,
  opts: { dryRun?: boolean; faultAfter?: string } = {},
): Promise<LifecyclePlan> {
  const started = new Date();
  const snapshot = await loadSnapshot(store, environment);
  const plan = planLifecycle(snapshot, operation, name);
  if (opts.dryRun) return plan;
  const [op, sub] = HISTORY[operation];
  const history = (result: 'success' | 'failure', code?: string, message?: string): Promise<void> =>
    recordHistory(store, snapshot.environment.id, {
      solutionName: plan.solution.uniqueName,
      solutionVersion:
        plan.holding && operation !== 'uninstall' ? plan.holding.version : plan.solution.version,
      publisher: plan.solution.publisher,
      managed: plan.solution.managed,
      operation: op,
      subOperation: sub,
      options: {},
      startedOn: started,
      endedOn: new Date(),
      result,
      errorCode: code ?? null,
      message: message ?? null,
      jobId: null,
    });
  if (plan.blocked.length) {
    const message = plan.blocked.map((b) => b.message).join(' ');
    await history('failure', plan.blocked[0].code, message);
    throw new StrataError(plan.blocked[0].code, message, {
      hint: plan.blocked[0].hint,
      details: { blocked: plan.blocked },
    });
  }
  try {
    await store.transaction((tx) =>
      writeLifecycle(tx, snapshot.environment.id, plan, opts.faultAfter),
    );
  } catch (e) {
    const code = e instanceof StrataError ? e.code : 'LIFECYCLE_FAILED';
    await history('failure', code, (e as Error).message);
    if (e instanceof StrataError) throw e;
    throw new StrataError(
      'LIFECYCLE_FAILED',
      `${operation} of ${name} failed and was rolled back: ${(e as Error).message}`,
      { hint: 'Nothing was changed.', cause: e },
    );
  }
  await history('success');
  return plan;
}
