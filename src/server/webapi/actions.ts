import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { runClone } from '../../engine/clone.js';
import { renderLog } from '../../jobs/log-format.js';
import { exportSolution } from '../../engine/export.js';
import { runLifecycle } from '../../engine/lifecycle.js';
import type { PlanOptions } from '../../plans/import-plan.js';
import { publish } from '../../engine/publish.js';
import { identity } from '../../model/component.js';
import { componentType, typeDisplayName } from '../../model/component-types.js';
import type { ComponentValues } from '../../model/environment-variables.js';
import { isErrorCode } from '../../model/error-codes.js';
import { StrataError } from '../../model/errors.js';
import { missingDependenciesOf } from '../../engine/solution-dependencies.js';
import { baseNameOf, holdingNameOf } from '../../plans/layer-order.js';
import { importJobExists, jobSummary, loadJob, type JobSummary } from '../../store/jobs.js';
import { activeDrafts } from '../../store/queries.js';
import { isHoldingSolution } from '../../store/solutions.js';
import { queueImport } from '../routes/api.js';
import type { AsyncOperations } from './async-operations.js';
import type { ApplyState } from './entity-sets.js';
import { environmentBusinessUnitId, environmentUserId } from '../../model/stable-guid.js';
import { componentObjectId, normalizeGuid, solutionId, stableGuid } from './ids.js';

/**
 * The Dataverse actions (POST /api/data/v9.2/NAME with a JSON body) and functions strata
 * implements, with Dataverse's parameter names. A handler returns the response object, or
 * undefined for 204 No Content.
 */
export interface ActionContext {
  app: FastifyInstance;
  req: FastifyRequest;
  reply: FastifyReply;
  applies: Map<string, ApplyState>;
  operations: AsyncOperations;
  isClosing: () => boolean;
}

type Body = Record<string, unknown>;
type Handler = (ctx: ActionContext, body: Body) => Promise<Record<string, unknown> | undefined>;

/**
 * An action: what it does (for the OpenAPI summary), its parameters as Dataverse names them (a
 * parameter not in the list is refused, as Dataverse refuses it), and its handler.
 */
export interface Action {
  summary: string;
  params: readonly string[];
  run: Handler;
}

/**
 * ImportSolution's parameters in Dataverse (those strata does nothing with are accepted);
 * ComponentParameters gives environment variable values and connections (decision 50).
 */
const IMPORT_PARAMS = [
  'CustomizationFile',
  'OverwriteUnmanagedCustomizations',
  'PublishWorkflows',
  'ImportJobId',
  'ConvertToManaged',
  'SkipProductUpdateDependencies',
  'HoldingSolution',
  'SkipQueueRibbonJob',
  'LayerDesiredOrder',
  'AsyncRibbonProcessing',
  'ComponentParameters',
  'SolutionParameters',
  'IsTemplateMode',
  'TemplateSuffix',
  'TemplateDisplayNamePrefix',
] as const;
/** ImportSolutionAsync has no ImportJobId: its response gives the job's key (ImportJobKey). */
const IMPORT_ASYNC_PARAMS = IMPORT_PARAMS.filter((p) => p !== 'ImportJobId');
const STAGE_PARAMS = IMPORT_PARAMS.filter((p) => p !== 'HoldingSolution');
/** ExportSolution's parameters in Dataverse; the Export...Settings ones have no effect here. */
const EXPORT_PARAMS = [
  'SolutionName',
  'Managed',
  'TargetVersion',
  'ExportAutoNumberingSettings',
  'ExportCalendarSettings',
  'ExportCustomizationSettings',
  'ExportEmailTrackingSettings',
  'ExportGeneralSettings',
  'ExportMarketingSettings',
  'ExportOutlookSynchronizationSettings',
  'ExportRelationshipRoles',
  'ExportIsvConfig',
  'ExportSales',
  'ExportExternalApplications',
  'ExportComponentsParams',
] as const;

/**
 * Refuses a body parameter the action does not have, in Dataverse's (OData's) words. Instance
 * annotations (`@odata.type`, ...) are not parameters.
 */
export function checkParameters(name: string, action: Action, body: Body): void {
  for (const key of Object.keys(body)) {
    if (key.includes('@') || action.params.includes(key)) continue;
    throw new StrataError(
      'RECORD_BODY_INVALID',
      `The parameter '${key}' in the request payload is not a valid parameter for the ` +
        `operation '${name}'.`,
      {
        hint:
          `${name} takes ${action.params.length ? action.params.join(', ') : 'no parameters'} ` +
          '(docs/webapi.md). Parameter names are case-sensitive.',
        details: { parameter: key, operation: name },
      },
    );
  }
}

const bad = (message: string, hint?: string): StrataError =>
  new StrataError('BAD_REQUEST', message, {
    hint: hint ?? 'docs/webapi.md lists the actions and their parameters.',
  });

function boolParam(b: Body, name: string): boolean {
  const v = b[name];
  if (v === undefined || v === null) return false;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  throw bad(`Parameter ${name} must be a boolean (true or false).`);
}

function strParam(b: Body, name: string, required: true): string;
function strParam(b: Body, name: string, required?: false): string | undefined;
function strParam(b: Body, name: string, required = false): string | undefined {
  const v = b[name];
  if (v === undefined || v === null || v === '') {
    if (required) throw bad(`Parameter ${name} is required.`);
    return undefined;
  }
  if (typeof v !== 'string') throw bad(`Parameter ${name} must be a string.`);
  return v;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const finished = (s: JobSummary): boolean => s.status === 'succeeded' || s.status === 'failed';

/**
 * Waits for a queued import to finish (polling every 100 ms, no time limit: an import is never
 * failed for taking long). Returns null when the client went away first; the job goes on.
 */
async function waitForJob(ctx: ActionContext, jobId: string): Promise<JobSummary | null> {
  let gone = false;
  ctx.reply.raw.once('close', () => {
    if (!ctx.reply.raw.writableEnded) gone = true;
  });
  for (;;) {
    const s = await jobSummary(ctx.app.strata.store, ctx.req.environment.id, jobId);
    if (finished(s)) return s;
    if (gone || ctx.isClosing()) return null;
    await sleep(100);
  }
}

/** A log row's "needs X 9.1; this environment has 8.8": a first-party solution too old. */
const TOO_LOW = /needs \S+ \S+; this environment has [\d.]*\d/;

/** A failed import as an error: the job's message, and for missing dependencies their names. */
async function importFailure(
  app: FastifyInstance,
  envId: number,
  s: JobSummary,
): Promise<StrataError> {
  let message = s.message || 'The solution import failed.';
  let missing: Array<{ key: string; name: string; versions?: string }> = [];
  if (s.code === 'MISSING_DEPENDENCIES') {
    const log = await loadJob(app.strata.store, s.jobId, typeDisplayName, envId);
    missing = log.results
      .filter((r) => r.type === 'dependency')
      .map((r) => ({
        key: r.key,
        name: r.name,
        // a Microsoft solution of the template older than the package needs: both versions
        ...(TOO_LOW.test(r.message) && { versions: TOO_LOW.exec(r.message)![0] }),
      }));
    const named = (m: { key: string; name: string; versions?: string }): string =>
      (m.name && m.name !== m.key ? `${m.name} (${m.key})` : m.key) +
      (m.versions ? `, which ${m.versions}` : '');
    if (missing.length) message += ` Missing components: ${missing.map(named).join(', ')}.`;
  }
  const code = s.code && isErrorCode(s.code) ? s.code : 'IMPORT_FAILED';
  return new StrataError(code, message, {
    hint: `The import job's log: GET importjobs(${s.jobId})?$select=data`,
    details: { ImportJobId: s.jobId, ...(missing.length ? { missing } : {}) },
  });
}

/** ImportSolution's parameters as strata's plan options, the package bytes and the job id. */
async function importRequest(
  ctx: ActionContext,
  b: Body,
  stage: boolean,
): Promise<{ bytes: Uint8Array; options: PlanOptions; jobId: string }> {
  const file = strParam(b, 'CustomizationFile', true);
  const bytes = Buffer.from(file, 'base64');
  if (bytes.length === 0)
    throw bad('CustomizationFile is empty: it must hold the solution .zip, base64-encoded.');
  let jobId: string = randomUUID();
  if (b.ImportJobId !== undefined && b.ImportJobId !== null) {
    const id = normalizeGuid(b.ImportJobId);
    if (!id) throw bad(`ImportJobId must be a GUID (got ${JSON.stringify(b.ImportJobId)}).`);
    // (ids are per environment: another environment's is as new here as an unused one)
    if (await importJobExists(ctx.app.strata.store, ctx.req.environment.id, id))
      throw new StrataError('IMPORT_JOB_EXISTS', `An import job ${id} already exists.`, {
        hint: 'Give each import a new ImportJobId (or none).',
      });
    jobId = id;
  }
  // ConvertToManaged (obsolete in Dataverse) and the ribbon options are accepted and have no
  // effect in strata
  for (const p of [
    'ConvertToManaged',
    'SkipQueueRibbonJob',
    'AsyncRibbonProcessing',
    'IsTemplateMode',
  ])
    boolParam(b, p);
  const options: PlanOptions = {
    action: stage || boolParam(b, 'HoldingSolution') ? 'stage' : 'update',
    // StageAndUpgrade stages and applies in one go: a first install of the solution installs it;
    // ImportSolution with HoldingSolution and no base installed is refused, as in Dataverse
    installWithoutBase: stage,
    overwrite: boolParam(b, 'OverwriteUnmanagedCustomizations'),
    activatePlugins: boolParam(b, 'PublishWorkflows'),
    skipLowerVersion: false,
    publishChanges: false,
    // Dataverse deletes data without asking: the Web API proceeds, and the import job records
    // the figures (its data at risk)
    acceptDataLoss: true,
    // a Microsoft solution of the template older than the package needs: imported anyway
    ...(boolParam(b, 'SkipProductUpdateDependencies') && { skipProductUpdateDependencies: true }),
  };
  const componentValues = componentParameters(b.ComponentParameters);
  if (componentValues) options.componentValues = componentValues;
  return { bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length), options, jobId };
}

/**
 * ImportSolution's ComponentParameters: a collection of entities, each an environmentvariablevalue
 * (schemaname, value) or a connectionreference (connectionreferencelogicalname, connectionid),
 * told apart by `@odata.type` (or, without it, by their properties). Anything else is refused.
 */
export function componentParameters(v: unknown): ComponentValues | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v))
    throw bad('ComponentParameters must be a collection of entities.', COMPONENT_PARAMETERS_HINT);
  const out: ComponentValues = { variables: [], connections: [] };
  v.forEach((e: unknown, i) => {
    if (!e || typeof e !== 'object' || Array.isArray(e))
      throw bad(`ComponentParameters[${i}] must be an entity.`, COMPONENT_PARAMETERS_HINT);
    const o = e as Record<string, unknown>;
    const type = String(o['@odata.type'] ?? '')
      .replace(/^#?(Microsoft\.Dynamics\.CRM|mscrm)\./, '')
      .toLowerCase();
    const text = (k: string): string => {
      const x = o[k];
      if (typeof x !== 'string' || x === '')
        throw bad(
          `ComponentParameters[${i}].${k} must be a non-empty string.`,
          COMPONENT_PARAMETERS_HINT,
        );
      return x;
    };
    if (type === 'environmentvariablevalue' || (!type && 'schemaname' in o))
      out.variables.push({ schemaName: text('schemaname'), value: text('value') });
    else if (type === 'connectionreference' || (!type && 'connectionreferencelogicalname' in o))
      out.connections.push({
        logicalName: text('connectionreferencelogicalname'),
        connectionId: text('connectionid'),
      });
    else
      throw bad(
        `ComponentParameters[${i}] is a ${type || 'entity of no type'}: only ` +
          'environmentvariablevalue and connectionreference entities are taken.',
        COMPONENT_PARAMETERS_HINT,
      );
  });
  return out;
}

const COMPONENT_PARAMETERS_HINT =
  '[{"@odata.type": "Microsoft.Dynamics.CRM.environmentvariablevalue", "schemaname": "…", ' +
  '"value": "…"}, {"@odata.type": "Microsoft.Dynamics.CRM.connectionreference", ' +
  '"connectionreferencelogicalname": "…", "connectionid": "…"}]';

async function queue(ctx: ActionContext, b: Body, stage: boolean, via: string): Promise<string> {
  const r = await importRequest(ctx, b, stage);
  return queueImport(ctx.app, ctx.req, r.bytes, 'CustomizationFile', r.options, via, {
    jobId: r.jobId,
  });
}

/**
 * After a staged import: promote NAME_Upgrade when the import staged one (a first install
 * stages nothing).
 */
async function applyIfStaged(
  app: FastifyInstance,
  env: { id: number; name: string },
  imported: string,
): Promise<string> {
  // the job names the solution it wrote: NAME_Upgrade when the import staged an upgrade
  const name = baseNameOf(imported);
  if (await isHoldingSolution(app.strata.store, env.id, holdingNameOf(name)))
    await runLifecycle(app.strata.store, env.name, 'apply-upgrade', name, { acceptDataLoss: true });
  return name;
}

/** StageAndUpgradeAsync's second step, after the request returned. */
function applyInBackground(ctx: ActionContext, jobId: string): void {
  const { app } = ctx;
  const env = { ...ctx.req.environment };
  ctx.applies.set(jobId, { state: 'waiting', message: '' });
  void (async () => {
    try {
      for (;;) {
        if (ctx.isClosing()) return;
        const s = await jobSummary(app.strata.store, env.id, jobId);
        if (s.status === 'failed') {
          ctx.applies.delete(jobId);
          return;
        }
        if (s.status === 'succeeded') {
          ctx.applies.set(jobId, { state: 'applying', message: '' });
          const name = await applyIfStaged(app, env, s.solution.uniqueName);
          ctx.applies.set(jobId, { state: 'done', message: `Applied the upgrade of ${name}.` });
          return;
        }
        await sleep(100);
      }
    } catch (e) {
      if (ctx.isClosing()) return;
      ctx.applies.set(jobId, {
        state: 'failed',
        message: `Apply upgrade failed: ${(e as Error).message}`,
      });
      app.log.warn({ err: e, jobId }, 'StageAndUpgradeAsync: apply upgrade failed');
    }
  })();
}

/** <importexportxml> of PublishXml: the components to publish, per section. */
const PUBLISH_SECTIONS: Record<string, { item: string; type: string }> = {
  entities: { item: 'entity', type: 'entity' },
  webresources: { item: 'webresource', type: 'webresource' },
  optionsets: { item: 'optionset', type: 'optionset' },
  dashboards: { item: 'dashboard', type: 'systemform' },
  sitemaps: { item: 'sitemap', type: 'sitemap' },
  appmodules: { item: 'appmodule', type: 'appmodule' },
};

async function publishTargets(
  ctx: ActionContext,
  xml: string,
): Promise<Array<{ type: string; key: string }>> {
  const root = /<importexportxml\b[^>]*>([\s\S]*)<\/importexportxml>/i.exec(xml);
  if (!root)
    throw bad(
      'ParameterXml must be an <importexportxml> document.',
      '<importexportxml><entities><entity>account</entity></entities></importexportxml>',
    );
  const drafts = await activeDrafts(ctx.app.strata.store, ctx.req.environment.id);
  const out = new Map<string, { type: string; key: string }>();
  const add = (type: string, key: string): void => {
    out.set(identity(type, key), { type, key });
  };
  for (const section of root[1].matchAll(/<(\w+)>([\s\S]*?)<\/\1>/g)) {
    const name = section[1].toLowerCase();
    if (name === 'ribbons') {
      for (const d of drafts) if (d.type === 'ribbon') add(d.type, d.key);
      continue;
    }
    const spec = PUBLISH_SECTIONS[name];
    if (!spec)
      throw bad(
        `PublishXml: the section <${section[1]}> is not supported.`,
        `Supported: ${Object.keys(PUBLISH_SECTIONS).join(', ')}, ribbons.`,
      );
    for (const m of section[2].matchAll(new RegExp(`<${spec.item}>([^<]*)</${spec.item}>`, 'gi'))) {
      const value = m[1].trim().toLowerCase();
      if (!value) continue;
      const guid = normalizeGuid(value);
      if (spec.type === 'entity') {
        // a table is published with its columns, forms, views, ... (its drafts under it)
        add('entity', value);
        for (const d of drafts)
          if (
            d.key.startsWith(`${value}.`) ||
            d.parentKey === value ||
            (d.type === 'entityribbon' && d.key === value)
          )
            add(d.type, d.key);
      } else if (guid) {
        const hits = drafts.filter(
          (d) =>
            d.type === spec.type &&
            (normalizeGuid(d.key) === guid || d.draftXml.toLowerCase().includes(guid)),
        );
        for (const d of hits) add(d.type, d.key);
        // a GUID that names no draft has nothing to publish
      } else add(spec.type, value);
    }
  }
  return [...out.values()];
}

/**
 * RetrieveMissingDependencies: what an installed solution requires that the environment lacks
 * (engine/solution-dependencies.ts), as Dataverse's dependency records.
 */
async function missingDependencies(
  ctx: ActionContext,
  name: string,
): Promise<Record<string, unknown>[]> {
  const { id: envId, name: environment } = ctx.req.environment;
  const found = await missingDependenciesOf(ctx.app.strata.store, environment, name);
  if (!found)
    throw new StrataError('SOLUTION_NOT_FOUND', `No solution ${name} in this environment.`, {
      hint: 'GET solutions?$select=uniquename lists them.',
    });
  const solution = found.solution.toLowerCase();
  return found.missing.map(({ required: r, dependent: d }) => ({
    dependencyid: stableGuid(envId, 'dependency', solution, r.type, r.key, d.type, d.key),
    dependencytype: 2,
    requiredcomponentobjectid: componentObjectId(r.type, r.key),
    requiredcomponenttype: componentType(r.type).code,
    dependentcomponentobjectid: componentObjectId(d.type, d.key),
    dependentcomponenttype: componentType(d.type).code,
    strata_requiredtype: r.type,
    strata_requiredkey: r.key,
    strata_dependenttype: d.type,
    strata_dependentkey: d.key,
  }));
}

/** DeleteAndPromote: applies NAME's staged upgrade; the name as installed. */
async function promote(app: FastifyInstance, env: { name: string }, name: string): Promise<string> {
  const plan = await runLifecycle(app.strata.store, env.name, 'apply-upgrade', name, {
    acceptDataLoss: true,
  });
  return plan.solution.uniqueName;
}

export const ACTIONS: ReadonlyMap<string, Action> = new Map<string, Action>([
  [
    'ImportSolution',
    {
      params: IMPORT_PARAMS,
      summary:
        'Import a solution (base64 CustomizationFile) and wait for it; 204 when it succeeded',
      run: async (ctx, b) => {
        const jobId = await queue(ctx, b, false, 'webapi');
        const s = await waitForJob(ctx, jobId);
        if (s && s.status === 'failed')
          throw await importFailure(ctx.app, ctx.req.environment.id, s);
        return undefined;
      },
    },
  ],
  [
    'ImportSolutionAsync',
    {
      params: IMPORT_ASYNC_PARAMS,
      summary:
        'Queue a solution import; returns AsyncOperationId and ImportJobKey (both the job id)',
      run: async (ctx, b) => {
        const jobId = await queue(ctx, b, false, 'webapi-async');
        return { AsyncOperationId: jobId, ImportJobKey: jobId };
      },
    },
  ],
  [
    'StageAndUpgrade',
    {
      params: STAGE_PARAMS,
      summary:
        'Import as a holding solution and apply the upgrade, waiting for both; returns SolutionId',
      run: async (ctx, b) => {
        const jobId = await queue(ctx, b, true, 'webapi');
        const s = await waitForJob(ctx, jobId);
        if (!s) return undefined;
        if (s.status === 'failed') throw await importFailure(ctx.app, ctx.req.environment.id, s);
        const name = await applyIfStaged(ctx.app, ctx.req.environment, s.solution.uniqueName);
        return { SolutionId: solutionId(ctx.req.environment.id, name) };
      },
    },
  ],
  [
    'StageAndUpgradeAsync',
    {
      params: STAGE_PARAMS,
      summary:
        'Queue a stage + apply upgrade; ' +
        'returns AsyncOperationId (poll asyncoperations) and ImportJobKey',
      run: async (ctx, b) => {
        const jobId = await queue(ctx, b, true, 'webapi-async');
        applyInBackground(ctx, jobId);
        return { AsyncOperationId: jobId, ImportJobKey: jobId };
      },
    },
  ],
  [
    'DeleteAndPromote',
    {
      params: ['UniqueName'],
      summary: 'Apply a staged upgrade: NAME_Upgrade replaces NAME; returns SolutionId',
      run: async (ctx, b) => {
        const name = await promote(ctx.app, ctx.req.environment, strParam(b, 'UniqueName', true));
        // the solution's id is made from its name as installed (any case finds it)
        return { SolutionId: solutionId(ctx.req.environment.id, name) };
      },
    },
  ],
  [
    'DeleteAndPromoteAsync',
    {
      params: ['UniqueName'],
      summary:
        'Apply a staged upgrade in the background; returns AsyncOperationId (poll asyncoperations)',
      run: async (ctx, b) => {
        const name = strParam(b, 'UniqueName', true);
        const env = { ...ctx.req.environment };
        const op = ctx.operations.start(env.id, 'DeleteAndPromote', async () => ({
          message: `Applied the upgrade of ${await promote(ctx.app, env, name)}.`,
        }));
        return { AsyncOperationId: op.id };
      },
    },
  ],
  [
    'ExportSolution',
    {
      params: EXPORT_PARAMS,
      summary: 'Export a solution; returns ExportSolutionFile (the .zip, base64)',
      run: async (ctx, b) => {
        const out = await exportSolution(
          ctx.app.strata.store,
          ctx.req.environment.name,
          strParam(b, 'SolutionName', true),
          { managed: boolParam(b, 'Managed') },
        );
        return { ExportSolutionFile: Buffer.from(out.zip).toString('base64') };
      },
    },
  ],
  [
    'ExportSolutionAsync',
    {
      params: EXPORT_PARAMS,
      summary:
        'Export a solution in the background; returns AsyncOperationId and ExportJobId ' +
        '(DownloadSolutionExportData gives the file)',
      run: async (ctx, b) => {
        const name = strParam(b, 'SolutionName', true);
        const managed = boolParam(b, 'Managed');
        const env = { ...ctx.req.environment };
        const exportJobId = randomUUID();
        const op = ctx.operations.start(
          env.id,
          'ExportSolution',
          async () => {
            const out = await exportSolution(ctx.app.strata.store, env.name, name, { managed });
            return {
              message: `Exported ${out.solution} ${out.version} (${managed ? 'managed' : 'unmanaged'}).`,
              file: out.zip,
            };
          },
          { exportJobId },
        );
        return { AsyncOperationId: op.id, ExportJobId: exportJobId };
      },
    },
  ],
  [
    'DownloadSolutionExportData',
    {
      params: ['ExportJobId'],
      summary:
        "The file of an ExportSolutionAsync job: ExportSolutionFile (base64), once it's done",
      run: async (ctx, b) => {
        const id = normalizeGuid(strParam(b, 'ExportJobId', true));
        const op = id ? ctx.operations.byExportJob(ctx.req.environment.id, id) : undefined;
        if (!op)
          throw new StrataError(
            'JOB_NOT_FOUND',
            `No solution export job ${String(b.ExportJobId)} in this environment.`,
            {
              hint:
                'ExportSolutionAsync returns the ExportJobId; export jobs are kept while the ' +
                'server runs.',
            },
          );
        if (op.status === 'running')
          throw bad(
            `The solution export job ${id} has not completed yet.`,
            `Poll asyncoperations(${op.id}) until statecode is 3 (Completed).`,
          );
        if (op.status === 'failed')
          throw bad(
            `The solution export job ${id} failed: ${op.message}`,
            `asyncoperations(${op.id}) has its message; export again once the cause is fixed.`,
          );
        if (!op.file)
          throw new StrataError(
            'JOB_NOT_FOUND',
            `The file of export job ${id} is no longer kept: export the solution again.`,
            { hint: 'strata keeps the files of the 20 newest exports of an environment.' },
          );
        return { ExportSolutionFile: Buffer.from(op.file).toString('base64') };
      },
    },
  ],
  [
    'PublishAllXml',
    {
      params: [],
      summary: 'Publish all customizations',
      run: async (ctx) => {
        await publish(ctx.app.strata.store, ctx.req.environment.name);
        return undefined;
      },
    },
  ],
  [
    'PublishXml',
    {
      params: ['ParameterXml'],
      summary: 'Publish the components named in ParameterXml (<importexportxml>)',
      run: async (ctx, b) => {
        const targets = await publishTargets(ctx, strParam(b, 'ParameterXml', true));
        if (targets.length) await publish(ctx.app.strata.store, ctx.req.environment.name, targets);
        return undefined;
      },
    },
  ],
  [
    'CloneAsPatch',
    {
      params: ['ParentSolutionUniqueName', 'DisplayName', 'VersionNumber'],
      summary: 'Create a patch of an unmanaged solution; returns SolutionId of the patch',
      run: async (ctx, b) => {
        const plan = await runClone(
          ctx.app.strata.store,
          ctx.req.environment.name,
          'clone-patch',
          strParam(b, 'ParentSolutionUniqueName', true),
          strParam(b, 'VersionNumber'),
        );
        return { SolutionId: solutionId(ctx.req.environment.id, plan.result.uniqueName) };
      },
    },
  ],
  [
    'CloneAsSolution',
    {
      params: ['ParentSolutionUniqueName', 'DisplayName', 'VersionNumber'],
      summary: "Roll an unmanaged solution's patches into a new version; returns SolutionId",
      run: async (ctx, b) => {
        const plan = await runClone(
          ctx.app.strata.store,
          ctx.req.environment.name,
          'clone',
          strParam(b, 'ParentSolutionUniqueName', true),
          strParam(b, 'VersionNumber'),
        );
        return { SolutionId: solutionId(ctx.req.environment.id, plan.result.uniqueName) };
      },
    },
  ],
]);

/**
 * Functions (GET NAME(params)): parameters already resolved from the URL; @odata.context is
 * relative to $metadata#.
 */
type FunctionHandler = (
  ctx: ActionContext,
  params: Record<string, string>,
) => Promise<Record<string, unknown>>;
export const FUNCTIONS: ReadonlyMap<string, FunctionHandler> = new Map<string, FunctionHandler>([
  [
    'RetrieveMissingDependencies',
    async (ctx: ActionContext, p: Record<string, string>) => {
      const name = p.SolutionUniqueName;
      if (!name)
        throw bad(
          'RetrieveMissingDependencies needs SolutionUniqueName.',
          "RetrieveMissingDependencies(SolutionUniqueName=@p1)?@p1='MySolution'",
        );
      return {
        '@odata.context': 'Collection(Microsoft.Dynamics.CRM.crmbaseentity)',
        value: await missingDependencies(ctx, name),
      };
    },
  ],
  [
    'RetrieveFormattedImportJobResults',
    async (ctx: ActionContext, p: Record<string, string>) => {
      const id = normalizeGuid(p.ImportJobId ?? '');
      if (!id)
        throw bad(
          'RetrieveFormattedImportJobResults needs ImportJobId, a GUID.',
          'RetrieveFormattedImportJobResults(ImportJobId=@p1)?@p1=<the import job id>',
        );
      const log = await loadJob(ctx.app.strata.store, id, typeDisplayName, ctx.req.environment.id);
      if (log.jobId !== id)
        throw new StrataError('JOB_NOT_FOUND', `importjob With Id = ${id} Does Not Exist`, {
          hint: 'GET importjobs lists the import jobs of this environment.',
        });
      return {
        '@odata.context': 'Microsoft.Dynamics.CRM.RetrieveFormattedImportJobResultsResponse',
        // the spreadsheet the CLI's `strata log` and the web UI's download give (SpreadsheetML)
        FormattedResults: renderLog(log, 'xml').body,
      };
    },
  ],
  [
    'WhoAmI',
    async (ctx: ActionContext) => {
      const id = ctx.req.environment.id;
      return {
        '@odata.context': 'Microsoft.Dynamics.CRM.WhoAmIResponse',
        BusinessUnitId: environmentBusinessUnitId(id),
        UserId: environmentUserId(id),
        OrganizationId: stableGuid(id, 'organization'),
      };
    },
  ],
]);
