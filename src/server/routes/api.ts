import type { FastifyInstance, FastifyRequest } from 'fastify';
import { describeLayers } from '../../engine/layers.js';
import { describePackageIn } from '../../engine/inspect.js';
import { planPackage } from '../../engine/import.js';
import { runLifecycle } from '../../engine/lifecycle.js';
import { runClone } from '../../engine/clone.js';
import { customize, removeActive } from '../../engine/customize.js';
import { exportSolution } from '../../engine/export.js';
import { publish } from '../../engine/publish.js';
import { parseDeploymentSettings } from '../../package/deployment-settings.js';
import { rollback, showRevision } from '../../engine/rollback.js';
import type { PlanOptions } from '../../plans/import-plan.js';
import { holdingNameOf } from '../../plans/layer-order.js';
import { queueImport as queueImportJob } from '../../jobs/queue.js';
import { renderLog, type LogFormat } from '../../jobs/log-format.js';
import { resolveComponentType, typeDisplayName } from '../../model/component-types.js';
import { StrataError } from '../../model/errors.js';
import { queryHistory } from '../../store/history.js';
import { importJobExists, jobSummary, listJobs, loadJob } from '../../store/jobs.js';
import { listComponents, listSolutions } from '../../store/queries.js';
import { findEnvironment } from '../../store/environments.js';
import { firstPartySolutionRows } from '../../catalog/template-listing.js';
import { requireToken } from '../auth.js';
import { PACKAGE_TYPES } from '../media.js';
import { environmentRoutes } from './environments.js';
import { environmentVariableRoutes } from './environment-variables.js';
import { retentionRoutes } from './retention.js';
import { tableRoutes } from './tables.js';

const tags = (t: string) => ({ tags: [t] });
const bool = { type: 'boolean' } as const;
const str = { type: 'string' } as const;
const importQuery = {
  type: 'object',
  properties: {
    filename: { type: 'string', description: 'the file name, for messages and the log' },
    action: {
      type: 'string',
      enum: ['upgrade', 'stage', 'update'],
      description: 'for an installed solution: Upgrade (default), Stage for Upgrade, or Update',
    },
    overwrite: {
      ...bool,
      description: 'overwrite unmanaged customizations (default: maintain them)',
    },
    activatePlugins: {
      ...bool,
      description: 'enable the SDK message processing steps and workflows the package holds',
    },
    skipLowerVersion: {
      ...bool,
      description: 'skip (successfully) a package that is not newer than the installed version',
    },
    publishChanges: {
      ...bool,
      description: 'publish the imported drafts when the import succeeded',
    },
    acceptDataLoss: {
      ...bool,
      description:
        'carry out a plan that deletes rows or column values (its dataAtRisk); ' +
        'without it such a plan is refused with DATA_LOSS_NOT_ACCEPTED',
    },
    variant: { type: 'string', enum: ['managed', 'unmanaged'] },
    settings: {
      type: 'string',
      description:
        "a deployment settings file's JSON (strata create-settings): environment variable " +
        'values and connection ids for the import',
    },
    jobId: {
      type: 'string',
      format: 'uuid',
      description:
        'imports: the job id to use (a GUID the client chose). ' +
        'Sending the same id again re-attaches to that job instead of importing twice',
    },
  },
} as const;
const packageBody = {
  description: 'the package: the bytes of a .zip or .cab file',
  content: Object.fromEntries(
    PACKAGE_TYPES.map((t) => [
      t,
      { schema: { description: 'the bytes of the .zip or .cab file (not validated as JSON)' } },
    ]),
  ),
};

type ImportQuery = {
  jobId?: string;
  filename?: string;
  action?: 'upgrade' | 'stage' | 'update';
  overwrite?: boolean;
  activatePlugins?: boolean;
  skipLowerVersion?: boolean;
  publishChanges?: boolean;
  acceptDataLoss?: boolean;
  variant?: 'managed' | 'unmanaged';
  settings?: string;
};

function planOptions(q: ImportQuery): PlanOptions {
  const componentValues = q.settings ? parseDeploymentSettings(q.settings, 'settings') : undefined;
  return {
    ...(componentValues ? { componentValues } : {}),
    action: q.action ?? 'upgrade',
    overwrite: !!q.overwrite,
    activatePlugins: !!q.activatePlugins,
    skipLowerVersion: !!q.skipLowerVersion,
    publishChanges: !!q.publishChanges,
    acceptDataLoss: !!q.acceptDataLoss,
  };
}

/** The uploaded package bytes (raw body), or a clear error when there are none. */
function packageBytes(req: FastifyRequest): Uint8Array {
  const body = req.body;
  if (!Buffer.isBuffer(body) || body.length === 0) {
    throw new StrataError(
      'BAD_REQUEST',
      'The request has no package: send the .zip or .cab file as the body, ' +
        'with Content-Type: application/zip (or application/octet-stream).',
      {
        hint: 'curl --data-binary @MySolution.zip -H "Content-Type: application/zip" ...',
      },
    );
  }
  return new Uint8Array(body.buffer, body.byteOffset, body.length);
}

function typeParam(input: string): string {
  const t = resolveComponentType(input);
  if (!t)
    throw new StrataError('BAD_REQUEST', `Unknown component type "${input}".`, {
      hint:
        'Use a type name (entity, attribute, systemform, ...) ' +
        'or a Dataverse type code (1, 2, 60, ...).',
    });
  return t.name;
}

/** Queues an uploaded package's import in the request's environment (jobs/queue.ts). */
export async function queueImport(
  app: FastifyInstance,
  req: FastifyRequest,
  bytes: Uint8Array,
  label: string,
  options: PlanOptions,
  via: string,
  opts: { jobId?: string; variant?: 'managed' | 'unmanaged' } = {},
): Promise<string> {
  const { store, limits, runner, reader } = app.strata;
  const jobId = await queueImportJob(
    store,
    { envId: req.environment.id, bytes, label, options, via, limits, ...opts },
    reader,
  );
  runner?.nudge();
  return jobId;
}

/** The JSON API: everything the CLI does, for the environment the request's token opens. */
export async function apiRoutes(app: FastifyInstance): Promise<void> {
  const { store } = app.strata;
  app.addHook('onRequest', requireToken(store));
  await app.register(environmentRoutes);
  await app.register(tableRoutes);
  await app.register(environmentVariableRoutes);
  await app.register(retentionRoutes);

  app.post(
    '/packages/inspect',
    {
      schema: {
        ...tags('packages'),
        summary: 'Read a package and say what it holds (strata inspect)',
        querystring: importQuery,
        body: packageBody,
      },
    },
    async (req) => {
      const q = req.query as ImportQuery;
      const pkg = await app.strata.reader.readPackage(packageBytes(req), {
        label: q.filename ?? 'package',
        limits: app.strata.limits,
        variant: q.variant,
      });
      return describePackageIn(store, req.environment.id, pkg);
    },
  );

  app.post(
    '/packages/plan',
    {
      schema: {
        ...tags('packages'),
        summary: 'Plan an import without writing anything (strata plan)',
        querystring: importQuery,
        body: packageBody,
      },
    },
    async (req) => {
      const q = req.query as ImportQuery;
      const pkg = await app.strata.reader.readPackage(packageBytes(req), {
        label: q.filename ?? 'package',
        limits: app.strata.limits,
        variant: q.variant,
      });
      const { plan } = await planPackage(store, req.environment.name, pkg, planOptions(q));
      return plan;
    },
  );

  app.post(
    '/imports',
    {
      schema: {
        ...tags('imports'),
        summary: 'Queue an import; returns the job to poll (202)',
        querystring: importQuery,
        body: packageBody,
      },
    },
    async (req, reply) => {
      const q = req.query as ImportQuery;
      // a client that lost the answer sends the same job id again: it gets that job, not a
      // second import
      // (job ids are per environment: another environment's id is as new here as an unused one)
      const reattach = (id: string) => jobSummary(store, req.environment.id, id);
      if (q.jobId && (await importJobExists(store, req.environment.id, q.jobId)))
        return reattach(q.jobId);
      let jobId: string;
      try {
        jobId = await queueImport(
          app,
          req,
          packageBytes(req),
          q.filename ?? 'package',
          planOptions(q),
          'api',
          { variant: q.variant, jobId: q.jobId },
        );
      } catch (e) {
        // the same job id arrived twice at once (a retry racing its lost original): one queued it
        if (!q.jobId || !(e instanceof StrataError) || e.code !== 'IMPORT_JOB_EXISTS') throw e;
        return reattach(q.jobId);
      }
      void reply.status(202).header('location', `/api/v1/jobs/${jobId}`);
      return jobSummary(store, req.environment.id, jobId);
    },
  );

  app.get(
    '/jobs',
    {
      schema: {
        ...tags('imports'),
        summary: "This environment's import jobs, newest first",
        querystring: {
          type: 'object',
          properties: { top: { type: 'integer', minimum: 1, maximum: 1000 } },
        },
      },
    },
    async (req) => {
      return listJobs(store, req.environment.id, (req.query as { top?: number }).top ?? 50);
    },
  );

  app.get(
    '/jobs/:id',
    {
      schema: {
        ...tags('imports'),
        summary: 'A job: status, stage, progress, position in the queue, result',
        params: { type: 'object', properties: { id: str }, required: ['id'] },
      },
    },
    async (req) => {
      const { id } = req.params as { id: string };
      return jobSummary(store, req.environment.id, id);
    },
  );

  app.get(
    '/jobs/:id/log',
    {
      schema: {
        ...tags('imports'),
        summary: 'The import log: SpreadsheetML 2003 (opens in Excel) or JSON',
        params: { type: 'object', properties: { id: str }, required: ['id'] },
        querystring: {
          type: 'object',
          properties: { format: { type: 'string', enum: ['xml', 'json'] } },
        },
      },
    },
    async (req, reply) => {
      const { id } = req.params as { id: string };
      const summary = await jobSummary(store, req.environment.id, id);
      const format = ((req.query as { format?: LogFormat }).format ?? 'xml') as LogFormat;
      const log = await loadJob(store, summary.jobId, typeDisplayName, req.environment.id);
      const r = renderLog(log, format);
      const version = log.solution.version.replace(/\./g, '_');
      const file = `${log.solution.uniqueName}_${version}_import_log${r.extension}`;
      void reply
        .header('content-type', r.contentType)
        .header('content-disposition', `attachment; filename="${file}"`);
      return r.body;
    },
  );

  app.get(
    '/solutions',
    {
      schema: {
        ...tags('solutions'),
        summary: 'Installed solutions, in install order (strata list)',
        querystring: {
          type: 'object',
          properties: {
            all: {
              ...bool,
              description:
                "also the Microsoft solutions of the environment's template, first " +
                '(firstParty: true; strata list --all)',
            },
          },
        },
      },
    },
    async (req) => {
      const installed = await listSolutions(store, req.environment.id);
      if (!(req.query as { all?: boolean }).all) return installed;
      const env = await findEnvironment(store, req.environment.name);
      const createdOn = new Date(env.created_on as unknown as string).toISOString();
      return [
        ...firstPartySolutionRows(env.base, createdOn),
        ...installed.map((r) => ({ ...r, firstParty: false })),
      ];
    },
  );

  const nameParams = { type: 'object', properties: { name: str }, required: ['name'] } as const;
  const dryRun = {
    type: 'object',
    properties: {
      dryRun: bool,
      acceptDataLoss: {
        ...bool,
        description: 'carry out a plan that deletes rows or column values (its dataAtRisk)',
      },
    },
  } as const;
  const lifecycleOptions = (req: FastifyRequest) => {
    const q = req.query as { dryRun?: boolean; acceptDataLoss?: boolean };
    return { dryRun: !!q.dryRun, acceptDataLoss: !!q.acceptDataLoss };
  };
  app.post(
    '/solutions/:name/apply-upgrade',
    {
      schema: {
        ...tags('solutions'),
        summary: 'Apply Solution Upgrade: promote NAME_Upgrade (DeleteAndPromote)',
        params: nameParams,
        querystring: dryRun,
      },
    },
    async (req) => {
      return runLifecycle(
        store,
        req.environment.name,
        'apply-upgrade',
        (req.params as { name: string }).name,
        lifecycleOptions(req),
      );
    },
  );
  app.post(
    '/solutions/:name/abandon-upgrade',
    {
      schema: {
        ...tags('solutions'),
        summary: 'Drop the staged NAME_Upgrade holding solution',
        params: nameParams,
        querystring: dryRun,
      },
    },
    async (req) => {
      return runLifecycle(
        store,
        req.environment.name,
        'abandon',
        (req.params as { name: string }).name,
        lifecycleOptions(req),
      );
    },
  );
  app.delete(
    '/solutions/:name',
    {
      schema: {
        ...tags('solutions'),
        summary: 'Uninstall a solution (strata delete)',
        params: nameParams,
        querystring: dryRun,
      },
    },
    async (req) => {
      return runLifecycle(
        store,
        req.environment.name,
        'uninstall',
        (req.params as { name: string }).name,
        lifecycleOptions(req),
      );
    },
  );
  app.get(
    '/solutions/:name/export',
    {
      schema: {
        ...tags('solutions'),
        summary: 'Export a solution package (.zip)',
        params: nameParams,
        querystring: { type: 'object', properties: { managed: bool } },
      },
    },
    async (req, reply) => {
      const { name } = req.params as { name: string };
      const out = await exportSolution(store, req.environment.name, name, {
        managed: (req.query as { managed?: boolean }).managed,
      });
      const version = out.version.replace(/\./g, '_');
      const file = `${out.solution}_${version}${out.managed ? '_managed' : ''}.zip`;
      void reply
        .header('content-type', 'application/zip')
        .header('content-disposition', `attachment; filename="${file}"`)
        .header('x-strata-components', String(out.components))
        .header('x-strata-skipped', String(out.skipped.length));
      return Buffer.from(out.zip);
    },
  );
  const cloneBody = {
    type: 'object',
    properties: { version: str },
    additionalProperties: false,
  } as const;
  app.post(
    '/solutions/:name/clone-patch',
    {
      schema: {
        ...tags('solutions'),
        summary: 'Create a patch of an unmanaged solution (CloneAsPatch)',
        params: nameParams,
        body: cloneBody,
      },
    },
    async (req) => {
      return runClone(
        store,
        req.environment.name,
        'clone-patch',
        (req.params as { name: string }).name,
        (req.body as { version?: string } | undefined)?.version,
      );
    },
  );
  app.post(
    '/solutions/:name/clone',
    {
      schema: {
        ...tags('solutions'),
        summary: "Roll an unmanaged solution's patches into a new version (CloneAsSolution)",
        params: nameParams,
        body: cloneBody,
      },
    },
    async (req) => {
      return runClone(
        store,
        req.environment.name,
        'clone',
        (req.params as { name: string }).name,
        (req.body as { version?: string } | undefined)?.version,
      );
    },
  );

  app.post(
    '/publish',
    {
      schema: {
        ...tags('customizations'),
        summary: 'Publish all customizations, or the named components',
        body: {
          type: 'object',
          properties: {
            components: {
              type: 'array',
              items: {
                type: 'object',
                properties: { type: str, key: str },
                required: ['type', 'key'],
              },
            },
          },
          additionalProperties: false,
        },
      },
    },
    async (req) => {
      const only = (req.body as { components?: Array<{ type: string; key: string }> } | undefined)
        ?.components;
      const out = await publish(
        store,
        req.environment.name,
        only?.map((c) => ({ type: typeParam(c.type), key: c.key.toLowerCase() })),
      );
      return { environment: req.environment.name, ...out };
    },
  );

  app.post(
    '/customize',
    {
      schema: {
        ...tags('customizations'),
        summary: 'Change a component in the Active layer (strata customize)',
        body: {
          type: 'object',
          required: ['type', 'key'],
          additionalProperties: false,
          properties: {
            type: str,
            key: str,
            set: { type: 'object', additionalProperties: { type: 'string' } },
            definition: str,
            removeActive: bool,
            acceptDataLoss: {
              ...bool,
              description: 'removeActive: carry it out even when a table or column with data goes',
            },
          },
        },
      },
    },
    async (req) => {
      const b = req.body as {
        type: string;
        key: string;
        set?: Record<string, string>;
        definition?: string;
        removeActive?: boolean;
        acceptDataLoss?: boolean;
      };
      const type = typeParam(b.type);
      if (b.removeActive)
        return {
          type,
          key: b.key,
          ...(await removeActive(store, req.environment.name, type, b.key.toLowerCase(), {
            acceptDataLoss: !!b.acceptDataLoss,
          })),
        };
      const set = Object.entries(b.set ?? {});
      if (!set.length && !b.definition)
        throw new StrataError(
          'BAD_REQUEST',
          'customize needs "set" (property: value) or "definition" (the whole XML).',
          { hint: '{"type":"attribute","key":"account.name","set":{"displayname":"Company"}}' },
        );
      return customize(store, req.environment.name, {
        type,
        key: b.key.toLowerCase(),
        set: set.length ? set : undefined,
        definition: b.definition,
      });
    },
  );

  app.get(
    '/components',
    {
      schema: {
        ...tags('components'),
        summary: 'Components (strata components)',
        querystring: {
          type: 'object',
          properties: { solution: str, type: str, top: { type: 'integer', minimum: 1 } },
        },
      },
    },
    async (req) => {
      const q = req.query as { solution?: string; type?: string; top?: number };
      return listComponents(store, req.environment.id, {
        solution: q.solution,
        type: q.type ? typeParam(q.type) : undefined,
        limit: q.top,
      });
    },
  );

  app.get(
    '/components/:type/:key/layers',
    {
      schema: {
        ...tags('components'),
        summary: "A component's layers and what each changes (strata layers)",
        params: { type: 'object', properties: { type: str, key: str }, required: ['type', 'key'] },
        querystring: { type: 'object', properties: { xml: bool } },
      },
    },
    async (req) => {
      const p = req.params as { type: string; key: string };
      const env = await findEnvironment(store, req.environment.name);
      return describeLayers(store, env, typeParam(p.type), p.key.toLowerCase(), {
        xml: !!(req.query as { xml?: boolean }).xml,
      });
    },
  );

  app.get(
    '/history',
    {
      schema: {
        ...tags('history'),
        summary:
          'Solution history: every operation, newest first (filter by solution, operation, ' +
          'result; page with top and skip; the X-Total-Count header counts every match)',
        querystring: {
          type: 'object',
          properties: {
            solution: { ...str, description: "a solution's unique name (with its NAME_Upgrade)" },
            operation: {
              ...str,
              description: 'import, upgrade, uninstall, clone, customize, publish, export',
            },
            result: { type: 'string', enum: ['success', 'failure'] },
            top: { type: 'integer', minimum: 1, maximum: 1000 },
            skip: { type: 'integer', minimum: 0 },
          },
        },
      },
    },
    async (req, reply) => {
      const q = req.query as {
        solution?: string;
        operation?: string;
        result?: 'success' | 'failure';
        top?: number;
        skip?: number;
      };
      // a solution's history includes that of its staged upgrades (NAME_Upgrade)
      const { rows, total } = await queryHistory(store, req.environment.id, {
        solutions: q.solution ? [q.solution, holdingNameOf(q.solution)] : undefined,
        operation: q.operation,
        result: q.result,
        limit: q.top ?? 100,
        offset: q.skip ?? 0,
      });
      void reply.header('x-total-count', String(total ?? rows.length));
      return rows.map((h) => ({
        ...h,
        startedOn: h.startedOn.toISOString(),
        endedOn: h.endedOn.toISOString(),
      }));
    },
  );

  app.post(
    '/rollback',
    {
      schema: {
        ...tags('history'),
        summary:
          'Return the environment to an earlier revision (strata rollback): the plan, and ' +
          'unless dryRun the rollback, one transaction and itself a new revision',
        body: {
          type: 'object',
          required: ['to'],
          additionalProperties: false,
          properties: {
            to: { type: 'integer', minimum: 0, description: 'the revision to go back to' },
            dryRun: { ...bool, description: 'only the plan; nothing is changed' },
            acceptDataLoss: {
              ...bool,
              description:
                'carry out a plan that drops tables or columns with records, or cannot ' +
                'restore what retention purged; without it such a plan is refused with ' +
                'DATA_LOSS_NOT_ACCEPTED',
            },
          },
        },
      },
    },
    async (req) => {
      const b = req.body as { to: number; dryRun?: boolean; acceptDataLoss?: boolean };
      return rollback(store, req.environment.name, b.to, {
        dryRun: !!b.dryRun,
        acceptDataLoss: !!b.acceptDataLoss,
      });
    },
  );

  app.get(
    '/revisions/:n',
    {
      schema: {
        ...tags('history'),
        summary: 'What one revision changed (strata revision show N)',
        params: {
          type: 'object',
          properties: { n: { type: 'integer', minimum: 0 } },
          required: ['n'],
        },
      },
    },
    async (req) => showRevision(store, req.environment.name, (req.params as { n: number }).n),
  );
}
