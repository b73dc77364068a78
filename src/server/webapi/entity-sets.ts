import type { FastifyInstance } from 'fastify';
import { renderLog } from '../../jobs/log-format.js';
import { componentType } from '../../model/component-types.js';
import { loadJob } from '../../store/jobs.js';
import type { Queryable } from '../../store/store.js';
import { componentObjectId, publisherId, solutionComponentId, solutionId } from './ids.js';
import type { Row } from './odata.js';

/**
 * The entity sets strata serves, read-only, each scoped to the environment of the request's
 * token: every query filters on env_id, so one environment's records never appear in another's.
 */
export interface ApplyState {
  state: 'waiting' | 'applying' | 'done' | 'failed';
  message: string;
}

export interface SetContext {
  app: FastifyInstance;
  env: { id: number; name: string };
  /** StageAndUpgradeAsync: the apply step after the staged import, by job id */
  applies: Map<string, ApplyState>;
  /** columns asked for ($select), to skip expensive ones (importjob.data) in lists */
  wants: (column: string) => boolean;
}

export interface EntitySet {
  name: string;
  /** the entity's logical name (for @odata.context and error messages) */
  entity: string;
  key: string;
  columns: ReadonlySet<string>;
  /** all records, or only the one with this key (by primary key) */
  rows(ctx: SetContext, key?: string): Promise<Row[]>;
}

const iso = (v: unknown): string | null => (v ? new Date(v as string).toISOString() : null);
const cols = (...c: string[]): ReadonlySet<string> => new Set(c);

const solutions: EntitySet = {
  name: 'solutions',
  entity: 'solution',
  key: 'solutionid',
  columns: cols(
    'solutionid',
    'uniquename',
    'friendlyname',
    'description',
    'version',
    'ismanaged',
    'isvisible',
    'installedon',
    'createdon',
    'modifiedon',
    '_publisherid_value',
    '_parentsolutionid_value',
    'solutiontype',
    'strata_isholding',
    'strata_installorder',
  ),
  async rows(ctx) {
    const rows = await ctx.app.strata.store.query<Record<string, unknown>>(
      'SELECT unique_name, friendly_name, description, version, managed, publisher, parent_unique_name, is_holding, install_order, installed_on, updated_on FROM solutions WHERE env_id = $1 ORDER BY install_order, unique_name',
      [ctx.env.id],
    );
    return rows.map((r) => ({
      solutionid: solutionId(ctx.env.id, String(r.unique_name)),
      uniquename: String(r.unique_name),
      friendlyname: String(r.friendly_name),
      description: (r.description as string) || null,
      version: String(r.version),
      ismanaged: Boolean(r.managed),
      isvisible: true,
      installedon: iso(r.installed_on),
      createdon: iso(r.installed_on),
      modifiedon: iso(r.updated_on),
      _publisherid_value: publisherId(ctx.env.id, String(r.publisher)),
      // a patch's parent; a holding solution (NAME_Upgrade) is not a patch
      _parentsolutionid_value:
        r.parent_unique_name && !r.is_holding
          ? solutionId(ctx.env.id, String(r.parent_unique_name))
          : null,
      solutiontype: 0,
      strata_isholding: Boolean(r.is_holding),
      strata_installorder: Number(r.install_order),
    }));
  },
};

const publishers: EntitySet = {
  name: 'publishers',
  entity: 'publisher',
  key: 'publisherid',
  columns: cols(
    'publisherid',
    'uniquename',
    'friendlyname',
    'customizationprefix',
    'customizationoptionvalueprefix',
    'createdon',
  ),
  async rows(ctx) {
    const rows = await ctx.app.strata.store.query<Record<string, unknown>>(
      'SELECT unique_name, friendly_name, customization_prefix, option_value_prefix, created_on FROM publishers WHERE env_id = $1 ORDER BY unique_name',
      [ctx.env.id],
    );
    return rows.map((r) => ({
      publisherid: publisherId(ctx.env.id, String(r.unique_name)),
      uniquename: String(r.unique_name),
      friendlyname: String(r.friendly_name),
      customizationprefix: String(r.customization_prefix),
      customizationoptionvalueprefix:
        r.option_value_prefix === null || r.option_value_prefix === undefined
          ? null
          : Number(r.option_value_prefix),
      createdon: iso(r.created_on),
    }));
  },
};

async function jobRows(
  db: Queryable,
  envId: number,
  key?: string,
): Promise<Array<Record<string, unknown>>> {
  return db.query<Record<string, unknown>>(
    `SELECT id, solution_name, solution, operation, status, progress, stage, started_on, completed_on, queued_on, result, code, message, options
     FROM import_jobs WHERE env_id = $1${key ? ' AND id::text = $2' : ''} ORDER BY coalesce(queued_on, started_on) DESC`,
    key ? [envId, key] : [envId],
  );
}

/** importjob.data: the SpreadsheetML log, as Dataverse keeps the import's XML log there. */
async function jobData(ctx: SetContext, id: string, status: string): Promise<string | null> {
  if (status === 'queued' || status === 'running') return null;
  const log = await loadJob(ctx.app.strata.store, id, (t) =>
    t === 'dependency' ? 'Dependency' : componentType(t).label,
  );
  return String(renderLog(log, 'xml').body);
}

const importjobs: EntitySet = {
  name: 'importjobs',
  entity: 'importjob',
  key: 'importjobid',
  columns: cols(
    'importjobid',
    'name',
    'solutionname',
    '_solutionid_value',
    'progress',
    'startedon',
    'completedon',
    'createdon',
    'modifiedon',
    'data',
    'operationcontext',
    'strata_status',
    'strata_stage',
    'strata_result',
    'strata_code',
    'strata_message',
  ),
  async rows(ctx, key) {
    const rows = await jobRows(ctx.app.strata.store, ctx.env.id, key);
    const out: Row[] = [];
    for (const r of rows) {
      const sol = r.solution as { uniqueName: string; version: string };
      const id = String(r.id);
      out.push({
        importjobid: id,
        name: `${sol.uniqueName} ${sol.version}`,
        solutionname: String(r.solution_name),
        _solutionid_value: solutionId(ctx.env.id, String(r.solution_name)),
        progress: Number(r.progress),
        startedon: r.status === 'queued' ? null : iso(r.started_on),
        completedon: iso(r.completed_on),
        createdon: iso(r.queued_on ?? r.started_on),
        modifiedon: iso(r.completed_on ?? r.started_on),
        // the XML log is rendered only when asked for: by $select, or for a single record
        data: ctx.wants('data') ? await jobData(ctx, id, String(r.status)) : undefined,
        operationcontext: String((r.options as Record<string, unknown>)?.action ?? 'upgrade'),
        strata_status: String(r.status),
        strata_stage: (r.stage as string) ?? null,
        strata_result: (r.result as string) ?? null,
        strata_code: (r.code as string) || null,
        strata_message: (r.message as string) ?? null,
      });
    }
    for (const r of out) if (r.data === undefined) delete r.data;
    return out;
  },
};

/**
 * asyncoperations: the import jobs seen as Dataverse's system jobs, for clients of
 * ImportSolutionAsync / StageAndUpgradeAsync that poll statecode / statuscode.
 * statecode 0 Ready, 3 Completed; statuscode 0 Waiting For Resources, 20 In Progress,
 * 30 Succeeded, 31 Failed.
 */
const asyncoperations: EntitySet = {
  name: 'asyncoperations',
  entity: 'asyncoperation',
  key: 'asyncoperationid',
  columns: cols(
    'asyncoperationid',
    'name',
    'statecode',
    'statuscode',
    'message',
    'friendlymessage',
    'createdon',
    'startedon',
    'completedon',
    'modifiedon',
    'strata_importjobid',
  ),
  async rows(ctx, key) {
    const rows = await jobRows(ctx.app.strata.store, ctx.env.id, key);
    return rows.map((r) => {
      const id = String(r.id);
      const apply = ctx.applies.get(id);
      let status = String(r.status);
      let message = (r.message as string) ?? null;
      if (status === 'succeeded' && apply) {
        if (apply.state === 'failed') {
          status = 'failed';
          message = apply.message;
        } else if (apply.state !== 'done') status = 'running';
        else if (apply.message) message = `${message ?? ''} ${apply.message}`.trim();
      }
      const statuscode =
        status === 'queued' ? 0 : status === 'running' ? 20 : status === 'succeeded' ? 30 : 31;
      return {
        asyncoperationid: id,
        name: apply ? 'StageAndUpgrade' : 'ImportSolution',
        statecode: statuscode >= 30 ? 3 : statuscode === 20 ? 2 : 0,
        statuscode,
        message: statuscode === 31 ? message : null,
        friendlymessage: message,
        createdon: iso(r.queued_on ?? r.started_on),
        startedon: status === 'queued' ? null : iso(r.started_on),
        completedon: statuscode >= 30 ? iso(r.completed_on) : null,
        modifiedon: iso(r.completed_on ?? r.started_on),
        strata_importjobid: id,
      };
    });
  },
};

const solutioncomponents: EntitySet = {
  name: 'solutioncomponents',
  entity: 'solutioncomponent',
  key: 'solutioncomponentid',
  columns: cols(
    'solutioncomponentid',
    'componenttype',
    'objectid',
    '_solutionid_value',
    'rootcomponentbehavior',
    'ismetadata',
    'strata_type',
    'strata_key',
    'strata_solution',
  ),
  async rows(ctx) {
    const rows = await ctx.app.strata.store.query<Record<string, unknown>>(
      'SELECT solution, type, key, root_behavior FROM solution_members WHERE env_id = $1 ORDER BY solution, type, key',
      [ctx.env.id],
    );
    return rows.map((r) => {
      const type = String(r.type),
        key = String(r.key),
        sol = String(r.solution);
      const t = componentType(type);
      return {
        solutioncomponentid: solutionComponentId(ctx.env.id, sol, type, key),
        componenttype: t.code,
        objectid: componentObjectId(type, key),
        _solutionid_value: solutionId(ctx.env.id, sol),
        rootcomponentbehavior:
          r.root_behavior === null || r.root_behavior === undefined
            ? null
            : Number(r.root_behavior),
        ismetadata: ['entity', 'attribute', 'relationship', 'optionset', 'entitykey'].includes(
          type,
        ),
        strata_type: type,
        strata_key: key,
        strata_solution: sol,
      };
    });
  },
};

export const ENTITY_SETS: ReadonlyMap<string, EntitySet> = new Map(
  [solutions, publishers, importjobs, asyncoperations, solutioncomponents].map((s) => [s.name, s]),
);
