import { columnChangeRefusals } from './records/column-changes.js';
import { assessDataAtRisk, tableOf } from './records/data-at-risk.js';
import { syncRecordTables } from './records/schema-sync.js';
import { randomUUID } from 'node:crypto';
import {
  componentTitle,
  componentType,
  componentTypeName,
  typeDisplayName,
} from '../model/component-types.js';
import { identity } from '../model/component.js';
import { missingSource, StrataError, type MissingComponent } from '../model/errors.js';
import { displayName } from '../model/solution.js';
import type { ComponentResult, ImportJobLog, ResultKind, Stage } from '../model/job-log.js';
import type { PackageLimits } from '../package/limits.js';
import { readPackage, releaseText, type SolutionPackage } from '../package/read.js';
import { recordHistory } from '../store/history.js';
import { fault, readsDefinition, writeImport, type WriteFaults } from '../store/import-writes.js';
import { findEnvironment } from '../store/environments.js';
import {
  createJob,
  finishJob,
  importJobClaim,
  packResults,
  type PackedResults,
} from '../store/jobs.js';
import { dequeue } from '../store/queue.js';
import { lockEnvironment } from '../store/revision.js';
import { definitionsBelowActive, publishDrafts } from '../store/queries.js';
import { mergeLayers } from './merge/merge.js';
import { madeTableNames } from '../store/record-tables.js';
import { activeIdentities, loadSnapshot } from '../store/snapshot.js';
import type { Queryable, Store } from '../store/store.js';
import { collectLarge, textRelease } from './collect.js';
import { withDisplayTypes } from './deletes.js';
import { assessParameters, writeParameters } from './environment-variables.js';
import { planImport, PLATFORM_COLUMN } from './plan.js';
import { refusalError } from './refusals.js';
import type { ImportPlan, PlanOptions } from '../plans/import-plan.js';

export interface Progress {
  stage: Stage;
  percent: number;
  message: string;
}

export interface ImportRequest {
  environment: string;
  /** a path (.zip, .cab, folder), the package bytes, or the package already read */
  source: PackageSource;
  label?: string;
  options?: PlanOptions;
  limits?: PackageLimits;
  variant?: 'unmanaged' | 'managed';
  onProgress?: (p: Progress) => void;
  /**
   * told, once, when another import or change holds the environment and this import waits for
   * its turn (the CLI prints it; a server job's queue says as much already)
   */
  onWait?: () => void;
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

/**
 * What an import or a plan starts from: a path (.zip, .cab, folder), the package bytes, or a
 * package read elsewhere (the server reads on reader threads, jobs/read-pool.ts).
 */
export type PackageSource = string | Uint8Array | SolutionPackage;

type ReadOptions = { limits?: PackageLimits; label?: string; variant?: 'unmanaged' | 'managed' };

function packageOf(source: PackageSource, read: ReadOptions): SolutionPackage {
  return typeof source === 'string' || source instanceof Uint8Array
    ? readPackage(source, read)
    : source;
}

/**
 * Reads a package (unless it was read already) and plans its import: the dry run. Nothing is
 * written.
 */
export async function planPackage(
  store: Store,
  environment: string,
  source: PackageSource,
  options: PlanOptions = {},
  read: ReadOptions = {},
): Promise<{ pkg: SolutionPackage; plan: ImportPlan }> {
  const pkg = packageOf(source, read);
  const snapshot = await snapshotFor(store, environment, pkg);
  const plan = await assessRecords(
    store,
    snapshot.environment.id,
    planImport(snapshot, pkg, options),
    pkg,
  );
  return { pkg, plan };
}

/**
 * Imports a solution package: read → validate → plan → apply → publish, as an import job with
 * progress and a per-component log. A package that cannot be read fails before anything is
 * recorded. Every other import ends one of four ways — refused by its plan, skipped
 * (--skip-lower-version), applied, or failed while writing — and the job's end and its history
 * row commit with the import itself (runJob): a job is never left running by an import that
 * committed, and one whose process died is ended by the next process to look
 * (store/queue.ts failInterruptedImports, which knows it by the claim taken here).
 */
export async function importSolution(store: Store, req: ImportRequest): Promise<ImportOutcome> {
  const progress = req.onProgress ?? (() => undefined);
  const clock: Clock = { start: performance.now(), read: 0, plan: 0 };
  progress({ stage: 'read', percent: 2, message: 'Reading package' });
  const pkg = packageOf(req.source, {
    limits: req.limits,
    label: req.label,
    variant: req.variant,
  });
  clock.read = performance.now();
  const saved = req.plan ? checkSavedPlan(req.plan, pkg, req.environment) : undefined;
  const env = await findEnvironment(store, req.environment);
  const job = newJob(req, env.id, pkg, saved);
  // claimed before the job shows 'running', released once its end committed
  const release = await store.claim(importJobClaim(job.envId, job.id));
  try {
    await createJob(store, {
      id: job.id,
      envId: job.envId,
      solution: job.solution,
      operation: 'import',
      options: { ...job.options },
    });
    const ending = await runJob(store, job, pkg, req, progress, clock);
    return outcomeOf(job, ending, progress, clock);
  } finally {
    await release();
  }
}

/** When the stages of an import ended (performance.now()), for the outcome's seconds. */
interface Clock {
  start: number;
  read: number;
  plan: number;
}

/** The import job being run: what the job row and history record about it, and its plan. */
interface ImportJob {
  id: string;
  envId: number;
  environment: string;
  started: Date;
  /** a saved plan (checked to fit), or, once planned, the plan made under the lock */
  plan?: ImportPlan;
  /** the options the plan was made with (a saved plan's own) */
  options: PlanOptions;
  /** from the package until planned; then as planned (a staged upgrade is NAME_Upgrade) */
  solution: ImportJobLog['solution'];
}

function newJob(
  req: ImportRequest,
  envId: number,
  pkg: SolutionPackage,
  saved: ImportPlan | undefined,
): ImportJob {
  const m = pkg.manifest;
  return {
    id: req.jobId ?? randomUUID(),
    envId,
    environment: req.environment,
    started: new Date(),
    plan: saved,
    options: saved ? saved.options : (req.options ?? {}),
    solution: saved
      ? solutionOfPlan(saved)
      : {
          uniqueName: m.uniqueName,
          displayName: displayName(m.localizedNames, m.uniqueName, m.languageCode),
          version: m.version.text,
          managed: m.managed,
          publisher: m.publisher.uniqueName,
        },
  };
}

function solutionOfPlan(plan: ImportPlan): ImportJobLog['solution'] {
  return {
    uniqueName: plan.solution.uniqueName,
    displayName: plan.solution.friendlyName,
    version: plan.solution.version,
    managed: plan.solution.managed,
    publisher: plan.solution.publisher,
  };
}

/**
 * The import's one transaction. The environment is locked first, so the snapshot, the plan and
 * the write all see the same environment: an Apply Upgrade or another import waits its turn
 * instead of changing it between plan and write, and only a saved plan can find the environment
 * changed (ENVIRONMENT_CHANGED). The job's end, its history row and its leaving the queue
 * commit in the same transaction. Anything that fails rolls it all back; the failure is then
 * recorded in a transaction of its own.
 */
async function runJob(
  store: Store,
  job: ImportJob,
  pkg: SolutionPackage,
  req: ImportRequest,
  progress: (p: Progress) => void,
  clock: Clock,
): Promise<ImportEnding> {
  try {
    return await store.transaction(async (tx) => {
      await lockEnvironment(tx, job.envId, req.onWait);
      // a saved plan's figures are counted again: records may have come since it was made
      const plan = await assessRecords(
        tx,
        job.envId,
        job.plan ?? (await planUnderLock(tx, req, pkg, progress)),
        pkg,
      );
      job.plan = plan;
      job.solution = solutionOfPlan(plan);
      clock.plan = performance.now();
      const ending = plan.blocked.length
        ? refused(job, plan)
        : plan.kind === 'skip'
          ? skipped(plan)
          : await applied(tx, job, plan, pkg, req.faults, progress);
      await recordEnd(tx, job, ending);
      return ending;
    });
  } catch (e) {
    const ending = failed(job, e);
    // a job that cannot even record its failure is left to failInterruptedImports
    await store.transaction((tx) => recordEnd(tx, job, ending)).catch(() => undefined);
    return ending;
  }
}

/**
 * What the plan does to records, measured in the environment as it is: the data at risk counted
 * (and refused unless accepted), and column changes that cannot keep their values refused.
 */
async function assessRecords(
  db: Queryable,
  envId: number,
  planned: ImportPlan,
  pkg: SolutionPackage,
): Promise<ImportPlan> {
  const plan = await assessDataAtRisk(db, envId, planned, planned.options.acceptDataLoss);
  const columns = await columnChangeRefusals(db, envId, plan, pkg);
  const others = plan.blocked.filter(
    (b) => b.code !== 'COLUMN_TYPE_CHANGED' && b.code !== 'COLUMN_VALUES_TOO_LONG',
  );
  // environment variable values are records too: those the environment has count
  return assessParameters(
    db,
    envId,
    {
      ...plan,
      blocked: [...columns, ...others],
      deletes: await withDisplayTypes(db, envId, plan.deletes),
    },
    pkg,
  );
}

/** The package checked against the environment, as it is while the import holds it. */
async function planUnderLock(
  tx: Queryable,
  req: ImportRequest,
  pkg: SolutionPackage,
  progress: (p: Progress) => void,
): Promise<ImportPlan> {
  const m = pkg.manifest;
  progress({
    stage: 'validate',
    percent: 15,
    message: `Checking ${m.uniqueName} ${m.version.text} against ${req.environment}`,
  });
  const plan = planImport(await snapshotFor(tx, req.environment, pkg), pkg, req.options ?? {});
  const s = plan.summary;
  progress({
    stage: 'plan',
    percent: 30,
    message: `${s.add} to add, ${s.update} to update, ${s.skip} unchanged`,
  });
  return plan;
}

/**
 * How an import ends: what the job and history record (status, result, code, message, the
 * per-component results), and then the error to throw, or what the outcome reports.
 */
interface ImportEnding {
  end: 'refused' | 'skipped' | 'applied' | 'failed';
  result: ResultKind;
  code: string;
  message: string;
  results: ComponentResult[];
  /** the same results, packed for the job's row */
  packed?: PackedResults;
  /** thrown once the job and history are recorded (refused, failed) */
  error?: StrataError;
  published: number;
  /** when the write ended (applied) */
  appliedAt?: number;
}

/** A plan with refusals is not applied: the job fails with them, and refusalError is thrown. */
function refused(job: ImportJob, plan: ImportPlan): ImportEnding {
  const error = refusalError(plan.blocked, {
    jobId: job.id,
    missing: { solution: plan.solution.uniqueName, components: plan.missing },
  });
  return {
    end: 'refused',
    result: 'failure',
    code: plan.blocked[0].code,
    message: plan.blocked.map((b) => b.message).join(' '),
    results: failureResults(plan),
    error,
    published: 0,
  };
}

/** --skip-lower-version and a package that is not newer: nothing is written; the job succeeds. */
function skipped(plan: ImportPlan): ImportEnding {
  return {
    end: 'skipped',
    result: 'success',
    code: 'SKIPPED_LOWER_VERSION',
    message:
      `Skipped ${plan.solution.uniqueName} ${plan.solution.version}: ` +
      `${plan.installed?.version} is installed and --skip-lower-version skips packages that ` +
      'are not newer.',
    results: plan.components.map((p, i) => result(p, i, 'success', '', p.reason)),
    published: 0,
  };
}

/** The plan applied (applyImportPlan); a write that fails throws, and runJob rolls it back. */
async function applied(
  tx: Queryable,
  job: ImportJob,
  plan: ImportPlan,
  pkg: SolutionPackage,
  faults: WriteFaults | undefined,
  progress: (p: Progress) => void,
): Promise<ImportEnding> {
  progress({
    stage: 'apply',
    percent: 40,
    message: `Writing ${plan.components.length} components`,
  });
  // planned, a large package's write reads definitions from the compressed document, not its
  // text (a managed package let go of it before planning: releaseForPlanning; here it lets go of
  // the copies planning kept that the write does not read). An unmanaged package's write reads
  // its Active definitions, and so the document, again: once, not beside the copy planning read.
  // A smaller package keeps its text to the end (textRelease)
  if (releasesText(pkg)) releaseText(pkg, pkg.manifest.managed ? readsDefinition(plan) : undefined);
  // what planning left behind goes before the write adds its own
  collectLarge(pkg.totalBytes);
  const published = await applyImportPlan(tx, job, plan, pkg, faults, progress);
  const appliedAt = performance.now();
  // what the write made to send goes before the log is made on top of it (decision 73)
  collectLarge(pkg.totalBytes);
  // the log of a successful import follows from the plan; made after the write, which is the
  // import's peak of memory (at 105,001 components the results are 11 MB of objects, their text
  // 25 MB)
  const results = plan.components.map((p, i) =>
    result(
      p,
      i,
      p.warnings.length ? 'warning' : 'success',
      p.warnings.length ? 'WARNING' : '',
      p.warnings.join(' ') || p.reason,
    ),
  );
  return {
    end: 'applied',
    result: plan.warnings.length ? 'warning' : 'success',
    code: '',
    message: appliedMessage(plan, published),
    results,
    packed: packResults(results),
    published,
    appliedAt,
  };
}

/**
 * Writes the plan (store/import-writes.ts) and, with --publish-changes, publishes what it wrote
 * to the Active layer. Returns how many components were published. The write refuses a saved
 * plan made against an older revision of the environment.
 */
async function applyImportPlan(
  tx: Queryable,
  job: ImportJob,
  plan: ImportPlan,
  pkg: SolutionPackage,
  faults: WriteFaults | undefined,
  progress: (p: Progress) => void,
): Promise<number> {
  await writeImport(tx, job.envId, plan, pkg, faults);
  // the tables follow the definitions in the same transaction (engine/records/schema-sync.ts)
  await syncRecordTables(tx, job.envId, plan.dataAtRisk);
  fault(faults, 'tables');
  // the values and connections given to the import (decision 50)
  await writeParameters(tx, job.envId, plan.parameters);
  fault(faults, 'parameters');
  if (!job.options.publishChanges) return 0;
  progress({ stage: 'publish', percent: 90, message: 'Publishing the imported components' });
  return publishDrafts(
    tx,
    job.envId,
    plan.components.filter((p) => p.layer === 'active').map((p) => ({ type: p.type, key: p.key })),
  );
}

/** An import that failed was rolled back: every component fails, and the error names the job. */
function failed(job: ImportJob, e: unknown): ImportEnding {
  const code = e instanceof StrataError ? e.code : 'IMPORT_FAILED';
  const message = `Solution import: FAILURE: ${(e as Error).message}`;
  // the error that reaches the caller names the job whose log has the details
  const error =
    e instanceof StrataError
      ? new StrataError(e.code, e.message, {
          hint: e.hint,
          component: e.component,
          details: e.details,
          jobId: job.id,
          cause: e,
        })
      : new StrataError('IMPORT_FAILED', message, {
          hint: 'Nothing was changed. The import log has the details: strata log ' + job.id,
          cause: e,
          details: { jobId: job.id },
          jobId: job.id,
        });
  return {
    end: 'failed',
    result: 'failure',
    code,
    message,
    results: (job.plan?.components ?? []).map((p, i) =>
      result(p, i, 'failure', code, 'Not imported: the import was rolled back.'),
    ),
    error,
    published: 0,
  };
}

function appliedMessage(plan: ImportPlan, published: number): string {
  const was = plan.installed && plan.kind !== 'stage' ? ` (was ${plan.installed.version})` : '';
  const removed = plan.deletes.length ? `; ${plan.deletes.length} layer(s) removed` : '';
  const rolledUp = plan.rolledUp.length ? `; patches rolled up: ${plan.rolledUp.join(', ')}` : '';
  const publishedText = published ? `; published ${published} components` : '';
  // the data at risk the import carried out, in its job and history (the Web API's ImportSolution
  // proceeds as Dataverse does: this is where its figures stay)
  const d = plan.dataAtRisk;
  const dataText =
    d.rows + d.values ? `; records deleted: ${d.rows} rows, ${d.values} column values` : '';
  return (
    `${IMPORTED[plan.kind]} ${plan.solution.uniqueName} ${plan.solution.version}` +
    `${was}${removed}${rolledUp}${publishedText}${dataText}.`
  );
}

/**
 * The job's end and the history row, in the transaction `tx` (the import's own, or the one that
 * records its failure); a queued import leaves the queue with them.
 */
async function recordEnd(tx: Queryable, job: ImportJob, ending: ImportEnding): Promise<void> {
  const succeeded = ending.end === 'skipped' || ending.end === 'applied';
  await finishJob(tx, {
    envId: job.envId,
    id: job.id,
    status: succeeded ? 'succeeded' : 'failed',
    result: ending.result,
    code: ending.code,
    message: ending.message,
    results: ending.packed ?? ending.results,
    solution: job.solution,
    options: { ...job.options },
  });
  await recordHistory(tx, job.envId, {
    solutionName: job.solution.uniqueName,
    solutionVersion: job.solution.version,
    publisher: job.solution.publisher,
    managed: job.solution.managed,
    operation: 'import',
    subOperation: job.plan ? SUB_OPERATION[job.plan.kind] : 'none',
    options: { ...job.options },
    startedOn: job.started,
    endedOn: new Date(),
    result: succeeded ? 'success' : 'failure',
    // an import that did what was asked records no code or message; a skip says why
    errorCode: ending.code || null,
    message: ending.code ? ending.message : null,
    jobId: job.id,
  });
  await dequeue(tx, job.envId, job.id);
}

/**
 * Where every import ends, once its end is recorded: a refused or failed import throws its
 * error, and any other returns its log (as stored: strata log JOB reads the same rows back).
 */
function outcomeOf(
  job: ImportJob,
  ending: ImportEnding,
  progress: (p: Progress) => void,
  clock: Clock,
): ImportOutcome {
  if (ending.error) throw ending.error;
  const plan = job.plan!;
  progress({
    stage: 'publish',
    percent: 100,
    message: ending.end === 'skipped' ? 'Skipped' : 'Done',
  });
  const log: ImportJobLog = {
    jobId: job.id,
    environment: job.environment,
    solution: job.solution,
    operation: 'import',
    status: 'succeeded',
    progress: 100,
    startedOn: job.started.toISOString(),
    completedOn: new Date().toISOString(),
    result: ending.result,
    code: ending.code,
    message: ending.message,
    results: ending.results,
  };
  const applied = ending.appliedAt;
  return {
    jobId: job.id,
    plan,
    log,
    published: ending.published,
    seconds: {
      read: (clock.read - clock.start) / 1000,
      plan: (clock.plan - clock.read) / 1000,
      apply: applied === undefined ? 0 : (applied - clock.plan) / 1000,
      total: (performance.now() - clock.start) / 1000,
    },
  };
}

/**
 * The snapshot planning needs for this package: the environment's layers, the Active definitions
 * of the components the package brings (per-property reports), and, for an unmanaged package's
 * merge components, the merged definition of their managed layers (their changes are kept).
 * A managed package lets go of its document's text first (releaseForPlanning).
 */
async function snapshotFor(db: Queryable, environment: string, pkg: SolutionPackage) {
  if (pkg.manifest.managed) await releaseForPlanning(db, environment, pkg);
  const snapshot = await loadSnapshot(db, environment, {
    activeXmlFor: () => new Set(pkg.components.map((c) => identity(c.type, c.key))),
  });
  if (!pkg.manifest.managed) {
    const merges = pkg.components.filter(
      (c) =>
        componentType(c.type).merge &&
        (snapshot.layers.get(identity(c.type, c.key)) ?? []).some((l) => l.kind !== 'active'),
    );
    if (merges.length) {
      const below = await definitionsBelowActive(db, snapshot.environment.id, merges);
      snapshot.mergeBelow = new Map([...below].map(([id, defs]) => [id, mergeLayers(defs).xml!]));
    }
  }
  return snapshot;
}

/** Definitions planning reads from a managed package whatever the environment. */
const READ_BY_PLANNING = new Set(['environmentvariabledefinition', 'connectionreference']);

/**
 * A large managed package's document text (textRelease) goes before planning, not after it
 * (releaseText): its layers are written from the compressed copy, and at 105,001 components the
 * text is 108 MB of the upgrade's peak (decision 62). It goes before the snapshot is read, and is
 * collected at once where the process allows (collectLarge). Kept are the definitions planning
 * and its checks may still read: those compared with an Active layer, platform columns (a System
 * layer), deployment settings, and the tables and columns of a table that holds records (column
 * changes). Anything else asked for reads the document again, as after releaseText.
 */
async function releaseForPlanning(
  db: Queryable,
  environment: string,
  pkg: SolutionPackage,
): Promise<void> {
  if (!pkg.customizationsDeflated || !releasesText(pkg)) return;
  const env = await findEnvironment(db, environment);
  const made = await madeTableNames(db, env.id);
  const active = await activeIdentities(db, env.id);
  const released = releaseText(pkg, (c) => {
    if (READ_BY_PLANNING.has(c.type) || active.has(identity(c.type, c.key))) return true;
    if (c.type === 'attribute' && c.xml.includes(PLATFORM_COLUMN)) return true;
    const table = tableOf(c);
    return table !== null && made.has(table);
  });
  collectLarge(released);
}

/** Whether an import lets go of the package's text: a large package only (textRelease). */
function releasesText(pkg: SolutionPackage): boolean {
  return pkg.totalBytes >= textRelease.from;
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
      `The plan was made for another package (${plan.solution.uniqueName} ` +
        `${plan.solution.version}, hash ${plan.packageHash.slice(0, 12)}…); ` +
        `this package's hash is ${pkg.hash.slice(0, 12)}….`,
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
    typeLabel: componentTypeName(p),
    ...(p.displayType ? { displayType: p.displayType } : {}),
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
        ? `${message}${message ? ' ' : ''}State: ${STATE_WORD[p.state]}.`
        : message,
    durationMs: Math.round(p.ms * 1000) / 1000,
  };
}

const STATE_WORD = { active: 'activated', inactive: 'deactivated' } as const;

/**
 * A refused plan's log, the cause first: the components a refusal names, then the missing
 * components (one row each, naming what needs it), then the components that need something
 * missing (each naming what it lacks), and last the components that were not processed, each
 * naming the refusal that stopped the import. Rows are numbered in that order.
 */
function failureResults(plan: ImportPlan): ComponentResult[] {
  const needs = new Map<string, string[]>();
  for (const m of plan.missing)
    for (const by of [...(m.requiredBy ? [m.requiredBy] : []), ...(m.alsoRequiredBy ?? [])]) {
      const k = identity(by.type, by.key);
      needs.set(k, [...(needs.get(k) ?? []), missingTitle(m)]);
    }
  const named = new Map(
    plan.blocked
      .filter((b) => b.component)
      .map((b) => [identity(b.component!.type, b.component!.key), b] as const),
  );
  const refusedRows: ComponentResult[] = [];
  const needRows: ComponentResult[] = [];
  const otherRows: ComponentResult[] = [];
  const stopped = stoppedBy(plan);
  plan.components.forEach((p, i) => {
    const k = identity(p.type, p.key);
    const b = named.get(k);
    const missing = needs.get(k);
    if (b) refusedRows.push(result(p, i, 'failure', b.code, b.message));
    else if (missing)
      needRows.push(
        result(
          p,
          i,
          'failure',
          'MISSING_DEPENDENCIES',
          `Missing required components (${missing.length}): ${missing.join('; ')}`,
        ),
      );
    else otherRows.push(result(p, i, 'failure', 'NOT_PROCESSED', stopped));
  });
  const missingRows = plan.missing.map((m, i): ComponentResult => {
    const by = [...(m.requiredBy ? [m.requiredBy] : []), ...(m.alsoRequiredBy ?? [])];
    return {
      seq: i,
      type: 'dependency',
      typeLabel: typeDisplayName('dependency'),
      key: m.key,
      name: m.name ?? m.key,
      result: 'failure',
      action: 'missing',
      code: 'MISSING_DEPENDENCIES',
      message:
        `Required ${componentTitle(m.type, m.key, m.name)}` +
        `${m.id && !m.key.includes(m.id) ? ` (${m.id})` : ''} ` +
        `is not in the environment${sourceOf(m)}` +
        (by.length
          ? `; needed by ${by
              .slice(0, 5)
              .map((r) => componentTitle(r.displayType ?? r.type, r.key, r.name))
              .join(', ')}${by.length > 5 ? ` and ${by.length - 5} more` : ''}`
          : '') +
        '.',
      durationMs: 0,
    };
  });
  return [...refusedRows, ...missingRows, ...needRows, ...otherRows].map((r, i) => ({
    ...r,
    seq: i + 1,
  }));
}

/** Where a missing component comes from, as the log says it ('' when the package does not say). */
function sourceOf(m: MissingComponent): string {
  if (m.versionTooLow) return `; the package ${missingSource(m)}`;
  return m.solution ? `; it is provided by ${m.solution}` : '';
}

/** A missing component as the log names it: "Table Work Order (msdyn_workorder)". */
function missingTitle(m: MissingComponent): string {
  return componentTitle(m.type, m.key, m.name) + (m.solution ? ` (from ${m.solution})` : '');
}

/** Why a component the refusals do not name was not imported: the first refusal, named. */
function stoppedBy(plan: ImportPlan): string {
  const [first, ...others] = plan.blocked;
  const more = others.length ? ` (and ${others.length} more refusal(s))` : '';
  return (
    `Not imported: the import was refused: ${first.code}: ${first.message}${more}` +
    (first.code === 'MISSING_DEPENDENCIES' ? ' The missing components are listed first.' : '')
  );
}
