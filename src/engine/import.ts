import { randomUUID } from 'node:crypto';
import { componentType } from '../model/component-types.js';
import { identity } from '../model/component.js';
import { MissingDependenciesError, StrataError } from '../model/errors.js';
import type { ComponentResult, ImportJobLog, Stage } from '../model/job-log.js';
import type { PackageLimits } from '../package/limits.js';
import { readPackage, type SolutionPackage } from '../package/read.js';
import { recordHistory } from '../store/history.js';
import { writeImport, type WriteFaults } from '../store/import-writes.js';
import { createJob, finishJob, packResults, updateJobProgress } from '../store/jobs.js';
import { definitionsBelowActive, publishDrafts } from '../store/queries.js';
import { mergeLayers } from './merge/merge.js';
import { loadSnapshot } from '../store/snapshot.js';
import type { Store } from '../store/store.js';
import { planImport } from './plan.js';
import type { ImportPlan, PlanOptions } from '../plans/import-plan.js';

export interface Progress {
  stage: Stage;
  percent: number;
  message: string;
}

export interface ImportRequest {
  environment: string;
  /** a path (.zip, .cab, folder) or the package bytes */
  source: string | Uint8Array;
  label?: string;
  options?: PlanOptions;
  limits?: PackageLimits;
  variant?: 'unmanaged' | 'managed';
  onProgress?: (p: Progress) => void;
  /** test hook: fail inside the write transaction */
  faults?: WriteFaults;
  /**
   * a plan made earlier (`strata plan -o PLAN.json`): executed exactly, instead of planning again.
   * Refused when it was made for another package or environment; the write refuses it when the
   * environment changed since (ENVIRONMENT_CHANGED).
   */
  plan?: ImportPlan;
  /** the id of a queued job (jobs/runner.ts): the import runs as that job instead of a new one */
  jobId?: string;
}

export interface ImportOutcome {
  jobId: string;
  plan: ImportPlan;
  log: ImportJobLog;
  published: number;
  seconds: { read: number; plan: number; apply: number; total: number };
}

/** Reads a package and plans its import: the dry run. Nothing is written. */
export async function planPackage(
  store: Store,
  environment: string,
  source: string | Uint8Array,
  options: PlanOptions = {},
  read: { limits?: PackageLimits; label?: string; variant?: 'unmanaged' | 'managed' } = {},
): Promise<{ pkg: SolutionPackage; plan: ImportPlan }> {
  const pkg = readPackage(source, read);
  const snapshot = await snapshotFor(store, environment, pkg);
  return { pkg, plan: planImport(snapshot, pkg, options) };
}

/**
 * Imports a solution package: read → validate → plan → apply → publish, as an import job with
 * progress and a per-component log. The environment changes in one transaction or not at all.
 * A package that cannot be read fails before anything is recorded; a plan that is blocked
 * (missing dependencies, publisher conflict, ...) is recorded as a failed job with its log.
 */
export async function importSolution(store: Store, req: ImportRequest): Promise<ImportOutcome> {
  const progress = req.onProgress ?? (() => undefined);
  const t0 = performance.now();
  progress({ stage: 'read', percent: 2, message: 'Reading package' });
  const pkg = readPackage(req.source, {
    limits: req.limits,
    label: req.label,
    variant: req.variant,
  });
  const tRead = performance.now();
  progress({
    stage: 'validate',
    percent: 15,
    message: `Checking ${pkg.manifest.uniqueName} ${pkg.manifest.version.text} against ${req.environment}`,
  });
  const snapshot = await snapshotFor(store, req.environment, pkg);
  const plan = req.plan
    ? checkSavedPlan(req.plan, pkg, req.environment)
    : planImport(snapshot, pkg, req.options ?? {});
  if (req.plan) req = { ...req, options: plan.options };
  const tPlan = performance.now();
  progress({
    stage: 'plan',
    percent: 30,
    message: `${plan.summary.add} to add, ${plan.summary.update} to update, ${plan.summary.skip} unchanged`,
  });

  const jobId = req.jobId ?? randomUUID();
  const started = new Date();
  const solutionInfo = {
    uniqueName: plan.solution.uniqueName,
    displayName: plan.solution.friendlyName,
    version: plan.solution.version,
    managed: plan.solution.managed,
    publisher: plan.solution.publisher,
  };
  const envId = snapshot.environment.id;
  await createJob(store, {
    id: jobId,
    envId,
    solution: solutionInfo,
    operation: 'import',
    options: { ...req.options },
  });
  const history = async (
    result: 'success' | 'failure',
    code?: string,
    message?: string,
  ): Promise<void> =>
    recordHistory(store, envId, {
      solutionName: plan.solution.uniqueName,
      solutionVersion: plan.solution.version,
      publisher: plan.solution.publisher,
      managed: plan.solution.managed,
      operation: 'import',
      subOperation: SUB_OPERATION[plan.kind],
      options: { ...req.options },
      startedOn: started,
      endedOn: new Date(),
      result,
      errorCode: code ?? null,
      message: message ?? null,
      jobId,
    });

  if (plan.blocked.length) {
    const first = plan.blocked[0];
    const results = failureResults(plan);
    const message = plan.blocked.map((b) => b.message).join(' ');
    await finishJob(store, jobId, 'failed', 'failure', first.code, message, results);
    await history('failure', first.code, message);
    if (first.code === 'MISSING_DEPENDENCIES') {
      const e = new MissingDependenciesError(plan.solution.uniqueName, plan.missing);
      (e as { jobId?: string }).jobId = jobId;
      throw e;
    }
    const e = new StrataError(first.code, message, {
      hint: first.hint,
      component: first.component,
      details: { jobId, blocked: plan.blocked },
    });
    (e as { jobId?: string }).jobId = jobId;
    throw e;
  }

  if (plan.kind === 'skip') {
    const message = `Skipped ${plan.solution.uniqueName} ${plan.solution.version}: ${plan.installed?.version} is installed and --skip-lower-version skips packages that are not newer.`;
    const results = plan.components.map((p, i) => result(p, i, 'success', '', p.reason));
    await finishJob(
      store,
      jobId,
      'succeeded',
      'success',
      'SKIPPED_LOWER_VERSION',
      message,
      results,
    );
    await history('success', 'SKIPPED_LOWER_VERSION', message);
    progress({ stage: 'publish', percent: 100, message: 'Skipped' });
    const log: ImportJobLog = {
      jobId,
      environment: req.environment,
      solution: solutionInfo,
      operation: 'import',
      status: 'succeeded',
      progress: 100,
      startedOn: started.toISOString(),
      completedOn: new Date().toISOString(),
      result: 'success',
      code: 'SKIPPED_LOWER_VERSION',
      message,
      results,
    };
    const now = performance.now();
    return {
      jobId,
      plan,
      log,
      published: 0,
      seconds: {
        read: (tRead - t0) / 1000,
        plan: (tPlan - tRead) / 1000,
        apply: 0,
        total: (now - t0) / 1000,
      },
    };
  }

  progress({
    stage: 'apply',
    percent: 40,
    message: `Writing ${plan.components.length} components`,
  });
  await updateJobProgress(store, jobId, 40, 'apply');
  // the log of a successful import follows from the plan: it is packed while the write runs
  const results = plan.components.map((p, i) =>
    result(
      p,
      i,
      p.warnings.length ? 'warning' : 'success',
      p.warnings.length ? 'WARNING' : '',
      p.warnings.join(' ') || p.reason,
    ),
  );
  const packed = packResults(results);
  let published = 0;
  try {
    published = await store.transaction(async (tx) => {
      await writeImport(tx, envId, plan, pkg, req.faults);
      if (req.options?.publishChanges) {
        progress({ stage: 'publish', percent: 90, message: 'Publishing the imported components' });
        return publishDrafts(
          tx,
          envId,
          plan.components
            .filter((p) => p.layer === 'active')
            .map((p) => ({ type: p.type, key: p.key })),
        );
      }
      return 0;
    });
  } catch (e) {
    const code = e instanceof StrataError ? e.code : 'IMPORT_FAILED';
    const message = `Solution import: FAILURE: ${(e as Error).message}`;
    await finishJob(
      store,
      jobId,
      'failed',
      'failure',
      code,
      message,
      plan.components.map((p, i) =>
        result(p, i, 'failure', code, 'Not imported: the import was rolled back.'),
      ),
    );
    await history('failure', code, message);
    if (e instanceof StrataError) {
      (e as { jobId?: string }).jobId = jobId;
      throw e;
    }
    throw new StrataError('IMPORT_FAILED', message, {
      hint: 'Nothing was changed. The import log has the details: strata log ' + jobId,
      cause: e,
      details: { jobId },
    });
  }
  const tApply = performance.now();
  const message = `${IMPORTED[plan.kind]} ${plan.solution.uniqueName} ${plan.solution.version}${plan.installed && plan.kind !== 'stage' ? ` (was ${plan.installed.version})` : ''}${plan.deletes.length ? `; ${plan.deletes.length} layer(s) removed` : ''}${plan.rolledUp.length ? `; patches rolled up: ${plan.rolledUp.join(', ')}` : ''}${published ? `; published ${published} components` : ''}.`;
  const resultKind = plan.warnings.length ? 'warning' : 'success';
  await finishJob(store, jobId, 'succeeded', resultKind, '', message, packed);
  await history('success');
  progress({ stage: 'publish', percent: 100, message: 'Done' });
  // the log as stored (strata log JOB reads the same rows back)
  const log: ImportJobLog = {
    jobId,
    environment: req.environment,
    solution: solutionInfo,
    operation: 'import',
    status: 'succeeded',
    progress: 100,
    startedOn: started.toISOString(),
    completedOn: new Date().toISOString(),
    result: resultKind,
    code: '',
    message,
    results,
  };
  return {
    jobId,
    plan,
    log,
    published,
    seconds: {
      read: (tRead - t0) / 1000,
      plan: (tPlan - tRead) / 1000,
      apply: (tApply - tPlan) / 1000,
      total: (performance.now() - t0) / 1000,
    },
  };
}

/**
 * The snapshot planning needs for this package: the environment's layers, the Active definitions
 * of the components the package brings (per-property reports), and, for an unmanaged package's
 * merge components, the merged definition of their managed layers (their changes are kept).
 */
async function snapshotFor(store: Store, environment: string, pkg: SolutionPackage) {
  const snapshot = await loadSnapshot(
    store,
    environment,
    undefined,
    () => new Set(pkg.components.map((c) => identity(c.type, c.key))),
  );
  if (!pkg.manifest.managed) {
    const merges = pkg.components.filter(
      (c) =>
        componentType(c.type).merge &&
        (snapshot.layers.get(identity(c.type, c.key)) ?? []).some((l) => l.kind !== 'active'),
    );
    if (merges.length) {
      const below = await definitionsBelowActive(store, snapshot.environment.id, merges);
      snapshot.mergeBelow = new Map([...below].map(([id, defs]) => [id, mergeLayers(defs).xml!]));
    }
  }
  return snapshot;
}

/** A saved plan is executed only for the package and environment it was made for. */
function checkSavedPlan(plan: ImportPlan, pkg: SolutionPackage, environment: string): ImportPlan {
  if (
    !plan ||
    plan.planVersion !== 1 ||
    !Array.isArray(plan.components) ||
    typeof plan.packageHash !== 'string'
  ) {
    throw new StrataError(
      'PLAN_INVALID',
      'The plan file is not a plan strata wrote (planVersion 1).',
      { hint: 'Make one with: strata plan PKG -o PLAN.json' },
    );
  }
  if (plan.packageHash !== pkg.hash) {
    throw new StrataError(
      'PLAN_PACKAGE_MISMATCH',
      `The plan was made for another package (${plan.solution.uniqueName} ${plan.solution.version}, hash ${plan.packageHash.slice(0, 12)}…); this package's hash is ${pkg.hash.slice(0, 12)}….`,
      { hint: 'Plan this package again: strata plan PKG -o PLAN.json' },
    );
  }
  if (plan.environment !== environment) {
    throw new StrataError(
      'PLAN_ENVIRONMENT_MISMATCH',
      `The plan was made for environment ${plan.environment}, not ${environment}.`,
      { hint: `Run it with --env ${plan.environment}, or plan again for ${environment}.` },
    );
  }
  return plan;
}

const SUB_OPERATION: Record<ImportPlan['kind'], string> = {
  new: 'new',
  patch: 'patch',
  upgrade: 'upgrade',
  stage: 'holding',
  update: 'update',
  skip: 'skip',
};
const IMPORTED: Record<ImportPlan['kind'], string> = {
  new: 'Imported',
  patch: 'Imported the patch',
  upgrade: 'Upgraded to',
  stage: 'Staged for upgrade:',
  update: 'Updated to',
  skip: 'Skipped',
};

function result(
  p: ImportPlan['components'][number],
  i: number,
  kind: ComponentResult['result'],
  code: string,
  message: string,
): ComponentResult {
  return {
    seq: i + 1,
    type: p.type,
    typeLabel: componentType(p.type).label,
    key: p.key,
    name: p.name,
    result: kind,
    action:
      kind === 'failure'
        ? 'not imported'
        : p.action === 'skip'
          ? 'skipped'
          : p.action === 'add'
            ? p.draft
              ? 'added (draft)'
              : 'added'
            : p.draft
              ? 'updated (draft)'
              : 'updated',
    // steps and workflows: the state they end up in (--activate-plugins, spec §5)
    code,
    message:
      kind !== 'failure' &&
      p.action !== 'skip' &&
      p.state &&
      (p.type === 'sdkmessageprocessingstep' || p.type === 'workflow')
        ? `${message}${message ? ' ' : ''}State: ${p.state === 'active' ? 'activated' : 'deactivated'}.`
        : message,
    durationMs: Math.round(p.ms * 1000) / 1000,
  };
}

/** A blocked plan's log: the components that need something missing fail; the others were not processed. */
function failureResults(plan: ImportPlan): ComponentResult[] {
  const needs = new Map<string, string[]>();
  for (const m of plan.missing) {
    if (!m.requiredBy) continue;
    const k = identity(m.requiredBy.type, m.requiredBy.key);
    needs.set(k, [
      ...(needs.get(k) ?? []),
      `${m.type} ${m.name ?? m.key}${m.solution ? ` (from ${m.solution})` : ''}`,
    ]);
  }
  const blockedComponents = new Set(
    plan.blocked
      .filter((b) => b.component)
      .map((b) => identity(b.component!.type, b.component!.key)),
  );
  const out = plan.components.map((p, i) => {
    const k = identity(p.type, p.key);
    const missing = needs.get(k);
    if (missing)
      return result(
        p,
        i,
        'failure',
        'MISSING_DEPENDENCIES',
        `Missing required components: ${missing.join('; ')}`,
      );
    const b = plan.blocked.find(
      (x) => x.component && identity(x.component.type, x.component.key) === k,
    );
    if (b && blockedComponents.has(k)) return result(p, i, 'failure', b.code, b.message);
    return result(p, i, 'failure', 'NOT_PROCESSED', 'Not imported: the solution import failed.');
  });
  // declared dependencies whose dependent is not a component of the package still belong in the log
  let seq = out.length;
  for (const m of plan.missing) {
    if (
      m.requiredBy &&
      plan.components.some((p) => p.type === m.requiredBy!.type && p.key === m.requiredBy!.key)
    )
      continue;
    out.push({
      seq: ++seq,
      type: 'dependency',
      typeLabel: m.type,
      key: m.key,
      name: m.name ?? m.key,
      result: 'failure',
      action: 'missing',
      code: 'MISSING_DEPENDENCIES',
      message: `Required ${m.type} ${m.name ?? m.key}${m.id ? ` (${m.id})` : ''} is not in the environment${m.solution ? `; it is provided by ${m.solution}` : ''}${m.requiredBy ? `; needed by ${m.requiredBy.type} ${m.requiredBy.key}` : ''}.`,
      durationMs: 0,
    });
  }
  return out;
}
