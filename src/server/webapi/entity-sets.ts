import type { FastifyInstance } from 'fastify';
import { renderLog } from '../../jobs/log-format.js';
import { componentType, typeDisplayName } from '../../model/component-types.js';
import { importJobRecords, loadJob } from '../../store/jobs.js';
import { publisherRecords, solutionMemberRecords, solutionRecords } from '../../store/solutions.js';
import {
  firstPartySolutionRows,
  type FirstPartySolutionRow,
} from '../../catalog/template-listing.js';
import { MICROSOFT_PUBLISHER } from '../../catalog/templates.js';
import { findEnvironment } from '../../store/environments.js';
import { componentObjectId, publisherId, solutionComponentId, solutionId } from './ids.js';
import type { Row } from './odata.js';
import type { ColumnKind, ColumnShape, TableShape } from '../../model/table-shape.js';

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
  /** the properties a row has (a lookup as `_name_value`), as $select and $filter name them */
  columns: ReadonlySet<string>;
  /** what $metadata says of the set: its columns' kinds, lookups and alternate keys */
  shape: TableShape;
  /** all records, or only the one with this key (by primary key) */
  rows(ctx: SetContext, key?: string): Promise<Row[]>;
}

/**
 * A column of a solution entity set: its kind, or its kind with a maximum length (text, as
 * Dataverse sizes the column) or a target table (lookup).
 */
type SetColumn = ColumnKind | { kind: ColumnKind; maxLength?: number; target?: string };

const text = (maxLength?: number): SetColumn => ({ kind: 'text', maxLength });
const lookup = (target: string): SetColumn => ({ kind: 'lookup', target });

/** The shape of a solution entity set, and the properties its rows have. */
function describe(
  entity: string,
  entitySetName: string,
  described: Record<string, SetColumn>,
  keys: string[] = [],
): Pick<EntitySet, 'columns' | 'shape'> {
  const columns = Object.entries(described).map(([name, d]): ColumnShape => {
    const { kind, maxLength, target } = typeof d === 'string' ? { kind: d } : d;
    return {
      name,
      kind,
      type: kind,
      required: false,
      system: true,
      ...(maxLength ? { maxLength } : {}),
      ...(target ? { targets: [target] } : {}),
    };
  });
  const shape: TableShape = {
    name: entity,
    entitySetName,
    primaryId: `${entity}id`,
    ownership: 'none',
    columns,
    keys: keys.map((k) => ({ name: k, columns: [k] })),
  };
  const names = columns.map((c) => (c.kind === 'lookup' ? `_${c.name}_value` : c.name));
  return { columns: new Set(names), shape };
}

const solutions: EntitySet = {
  name: 'solutions',
  entity: 'solution',
  key: 'solutionid',
  ...describe(
    'solution',
    'solutions',
    {
      solutionid: 'id',
      uniquename: text(65),
      friendlyname: text(256),
      description: text(2000),
      version: text(256),
      ismanaged: 'boolean',
      isvisible: 'boolean',
      installedon: 'datetime',
      createdon: 'datetime',
      modifiedon: 'datetime',
      publisherid: lookup('publisher'),
      parentsolutionid: lookup('solution'),
      solutiontype: 'choice',
      strata_isholding: 'boolean',
      strata_installorder: 'integer',
    },
    ['uniquename'],
  ),
  async rows(ctx) {
    const rows = await solutionRecords(ctx.app.strata.store, ctx.env.id);
    const firstParty = (await templateOf(ctx)).solutions.map((r) => ({
      solutionid: solutionId(ctx.env.id, r.uniqueName),
      uniquename: r.uniqueName,
      friendlyname: r.friendlyName,
      description: null,
      version: r.version,
      ismanaged: true,
      // Dataverse lists its own managed solutions among the visible ones: isvisible is false
      // only for the platform's internal solutions (Active, Basic, System), which strata has not
      isvisible: true,
      installedon: r.installedOn,
      createdon: r.installedOn,
      modifiedon: r.installedOn,
      _publisherid_value: publisherId(ctx.env.id, r.publisher),
      _parentsolutionid_value: null,
      solutiontype: 0,
      strata_isholding: false,
      strata_installorder: 0,
    }));
    return [
      ...firstParty,
      ...rows.map((r) => ({
        solutionid: solutionId(ctx.env.id, r.uniqueName),
        uniquename: r.uniqueName,
        friendlyname: r.friendlyName,
        description: r.description || null,
        version: r.version,
        ismanaged: r.managed,
        isvisible: true,
        installedon: r.installedOn,
        createdon: r.installedOn,
        modifiedon: r.updatedOn,
        _publisherid_value: publisherId(ctx.env.id, r.publisher),
        // a patch's parent; a holding solution (NAME_Upgrade) is not a patch
        _parentsolutionid_value:
          r.parentUniqueName && !r.isHolding ? solutionId(ctx.env.id, r.parentUniqueName) : null,
        solutiontype: 0,
        strata_isholding: r.isHolding,
        strata_installorder: r.installOrder,
      })),
    ];
  },
};

/**
 * The first-party solutions of the environment's template (virtual: not rows of the store; they
 * came with the environment, so they were installed when it was made).
 */
async function templateOf(
  ctx: SetContext,
): Promise<{ solutions: FirstPartySolutionRow[]; createdOn: string }> {
  const env = await findEnvironment(ctx.app.strata.store, ctx.env.name);
  const createdOn = new Date(env.created_on as unknown as string).toISOString();
  return { solutions: firstPartySolutionRows(env.base, createdOn), createdOn };
}

const publishers: EntitySet = {
  name: 'publishers',
  entity: 'publisher',
  key: 'publisherid',
  ...describe(
    'publisher',
    'publishers',
    {
      publisherid: 'id',
      uniquename: text(256),
      friendlyname: text(256),
      customizationprefix: text(8),
      customizationoptionvalueprefix: 'integer',
      createdon: 'datetime',
    },
    ['uniquename'],
  ),
  async rows(ctx) {
    const rows = await publisherRecords(ctx.app.strata.store, ctx.env.id);
    // the publisher of the template's solutions, unless a package brought it already
    const template = await templateOf(ctx);
    const microsoft = MICROSOFT_PUBLISHER.uniqueName.toLowerCase();
    if (template.solutions.length && !rows.some((r) => r.uniqueName.toLowerCase() === microsoft))
      rows.unshift({
        uniqueName: MICROSOFT_PUBLISHER.uniqueName,
        friendlyName: MICROSOFT_PUBLISHER.friendlyName,
        customizationPrefix: MICROSOFT_PUBLISHER.customizationPrefix,
        optionValuePrefix: null,
        createdOn: template.createdOn,
      });
    return rows.map((r) => ({
      publisherid: publisherId(ctx.env.id, r.uniqueName),
      uniquename: r.uniqueName,
      friendlyname: r.friendlyName,
      customizationprefix: r.customizationPrefix,
      customizationoptionvalueprefix: r.optionValuePrefix,
      createdon: r.createdOn,
    }));
  },
};

/** importjob.data: the SpreadsheetML log, as Dataverse keeps the import's XML log there. */
async function jobData(ctx: SetContext, id: string, status: string): Promise<string | null> {
  if (status === 'queued' || status === 'running') return null;
  const log = await loadJob(ctx.app.strata.store, id, typeDisplayName, ctx.env.id);
  return String(renderLog(log, 'xml').body);
}

const importjobs: EntitySet = {
  name: 'importjobs',
  entity: 'importjob',
  key: 'importjobid',
  ...describe('importjob', 'importjobs', {
    importjobid: 'id',
    name: text(),
    solutionname: text(256),
    solutionid: lookup('solution'),
    progress: 'float',
    startedon: 'datetime',
    completedon: 'datetime',
    createdon: 'datetime',
    modifiedon: 'datetime',
    data: text(),
    operationcontext: text(),
    strata_status: text(),
    strata_stage: text(),
    strata_result: text(),
    strata_code: text(),
    strata_message: text(),
  }),
  async rows(ctx, key) {
    const rows = await importJobRecords(ctx.app.strata.store, ctx.env.id, key);
    const out: Row[] = [];
    for (const r of rows) {
      out.push({
        importjobid: r.jobId,
        name: `${r.solution.uniqueName} ${r.solution.version}`,
        solutionname: r.solutionName,
        _solutionid_value: solutionId(ctx.env.id, r.solutionName),
        progress: r.progress,
        startedon: r.status === 'queued' ? null : r.startedOn,
        completedon: r.completedOn,
        createdon: r.queuedOn ?? r.startedOn,
        modifiedon: r.completedOn ?? r.startedOn,
        // the XML log is rendered only when asked for: by $select, or for a single record
        data: ctx.wants('data') ? await jobData(ctx, r.jobId, r.status) : undefined,
        operationcontext: String(r.options.action ?? 'upgrade'),
        strata_status: r.status,
        strata_stage: r.stage,
        strata_result: r.result,
        strata_code: r.code || null,
        strata_message: r.message,
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
  ...describe('asyncoperation', 'asyncoperations', {
    asyncoperationid: 'id',
    name: text(),
    statecode: 'choice',
    statuscode: 'choice',
    message: text(),
    friendlymessage: text(),
    createdon: 'datetime',
    startedon: 'datetime',
    completedon: 'datetime',
    modifiedon: 'datetime',
    strata_importjobid: 'uuid',
  }),
  async rows(ctx, key) {
    const rows = await importJobRecords(ctx.app.strata.store, ctx.env.id, key);
    return rows.map((r) => {
      const id = r.jobId;
      const apply = ctx.applies.get(id);
      let status: string = r.status;
      let message = r.message;
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
        createdon: r.queuedOn ?? r.startedOn,
        startedon: status === 'queued' ? null : r.startedOn,
        completedon: statuscode >= 30 ? r.completedOn : null,
        modifiedon: r.completedOn ?? r.startedOn,
        strata_importjobid: id,
      };
    });
  },
};

const solutioncomponents: EntitySet = {
  name: 'solutioncomponents',
  entity: 'solutioncomponent',
  key: 'solutioncomponentid',
  ...describe('solutioncomponent', 'solutioncomponents', {
    solutioncomponentid: 'id',
    componenttype: 'choice',
    objectid: 'uuid',
    solutionid: lookup('solution'),
    rootcomponentbehavior: 'choice',
    ismetadata: 'boolean',
    strata_type: text(),
    strata_key: text(),
    strata_solution: text(),
  }),
  async rows(ctx) {
    const rows = await solutionMemberRecords(ctx.app.strata.store, ctx.env.id);
    return rows.map(({ solution: sol, type, key, rootBehavior }) => {
      const t = componentType(type);
      return {
        solutioncomponentid: solutionComponentId(ctx.env.id, sol, type, key),
        componenttype: t.code,
        objectid: componentObjectId(type, key),
        _solutionid_value: solutionId(ctx.env.id, sol),
        rootcomponentbehavior: rootBehavior,
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

/** What $metadata describes of the solution entity sets. */
export const SOLUTION_SET_SHAPES: readonly TableShape[] = [...ENTITY_SETS.values()].map(
  (s) => s.shape,
);
