import type { FastifyInstance } from 'fastify';
import { componentType, typeDisplayName } from '../../model/component-types.js';
import { queryHistory } from '../../store/history.js';
import { importJobRecords, loadJob } from '../../store/jobs.js';
import { publisherRecords, solutionMemberRecords, solutionRecords } from '../../store/solutions.js';
import {
  firstPartySolutionRows,
  type FirstPartySolutionRow,
} from '../../catalog/template-listing.js';
import { MICROSOFT_PUBLISHER } from '../../catalog/templates.js';
import { findEnvironment } from '../../store/environments.js';
import { componentObjectId, publisherId, solutionComponentId, solutionId } from './ids.js';
import type { AsyncOperations } from './async-operations.js';
import { importResultXml } from './import-result.js';
import type { Navigation, Row } from './odata.js';
import { stableGuid } from '../../model/stable-guid.js';
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
  /** ExportSolutionAsync's and DeleteAndPromoteAsync's system jobs */
  operations: AsyncOperations;
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
  /** single-valued navigation properties ($expand), by name */
  navigations?: Readonly<Record<string, Navigation>>;
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
  navigations: {
    publisherid: { column: '_publisherid_value', set: 'publishers' },
    parentsolutionid: { column: '_parentsolutionid_value', set: 'solutions' },
  },
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

/**
 * importjob.data: the import's result document (<importexportxml>, import-result.ts), as
 * Dataverse keeps it there; RetrieveFormattedImportJobResults gives the spreadsheet.
 */
async function jobData(ctx: SetContext, id: string, status: string): Promise<string | null> {
  if (status === 'queued' || status === 'running') return null;
  return importResultXml(await loadJob(ctx.app.strata.store, id, typeDisplayName, ctx.env.id));
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
  navigations: { solutionid: { column: '_solutionid_value', set: 'solutions' } },
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
    const imports: Row[] = rows.map((r) => {
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
    // ExportSolutionAsync, DeleteAndPromoteAsync: in progress (2 Locked, 20) until they end
    const ops = key
      ? [ctx.operations.get(ctx.env.id, key)].filter((o) => o !== undefined)
      : ctx.operations.list(ctx.env.id);
    const others: Row[] = ops.map((o) => {
      const statuscode = o.status === 'running' ? 20 : o.status === 'succeeded' ? 30 : 31;
      return {
        asyncoperationid: o.id,
        name: o.name,
        statecode: statuscode === 20 ? 2 : 3,
        statuscode,
        message: statuscode === 31 ? o.message : null,
        friendlymessage: o.message,
        createdon: o.createdOn,
        startedon: o.createdOn,
        completedon: o.completedOn,
        modifiedon: o.completedOn ?? o.createdOn,
        strata_importjobid: null,
      };
    });
    return [...imports, ...others];
  },
};

/** msdyn_solutionhistory's choices, as Dataverse documents them. */
const HISTORY_OPERATION: Record<string, number> = {
  import: 0,
  uninstall: 1,
  export: 2,
  publish: 3,
};
const HISTORY_SUBOPERATION: Record<string, number> = {
  none: 0,
  new: 1,
  upgrade: 2,
  apply: 2,
  holding: 2,
  update: 3,
  patch: 1,
};

/** One history entry as Dataverse's operation (msdyn_operation) and suboperation. */
function historyChoices(operation: string, sub: string): { op: number; sub: number } {
  if (operation === 'publish') return { op: sub === 'publish-all' ? 4 : 3, sub: 0 };
  // applying a staged upgrade is the end of an import (Dataverse's DeleteAndPromote); abandoning
  // it uninstalls the holding solution
  if (operation === 'upgrade') return sub === 'abandon' ? { op: 1, sub: 4 } : { op: 0, sub: 2 };
  if (operation === 'uninstall') return { op: 1, sub: 4 };
  return { op: HISTORY_OPERATION[operation] ?? 9, sub: HISTORY_SUBOPERATION[sub] ?? 0 };
}

/**
 * msdyn_solutionhistories: the environment's operation history (store/history.ts) as
 * Dataverse's Solution History rows, newest first. Entries are written when an operation ends,
 * so every row is Completed (msdyn_status 1); msdyn_result is true for a success.
 */
const msdyn_solutionhistories: EntitySet = {
  name: 'msdyn_solutionhistories',
  entity: 'msdyn_solutionhistory',
  key: 'msdyn_solutionhistoryid',
  ...describe('msdyn_solutionhistory', 'msdyn_solutionhistories', {
    msdyn_solutionhistoryid: 'id',
    msdyn_name: text(100),
    msdyn_solutionid: text(100),
    msdyn_solutionversion: text(100),
    msdyn_publishername: text(1000),
    msdyn_ismanaged: 'boolean',
    msdyn_ispatch: 'boolean',
    msdyn_isoverwritecustomizations: 'boolean',
    msdyn_operation: 'choice',
    msdyn_suboperation: 'choice',
    msdyn_status: 'choice',
    msdyn_result: 'boolean',
    msdyn_starttime: 'datetime',
    msdyn_endtime: 'datetime',
    msdyn_totaltime: 'integer',
    msdyn_errorcode: text(100),
    msdyn_exceptionmessage: text(10000),
    msdyn_activityid: text(100),
    strata_operation: text(),
    strata_suboperation: text(),
  }),
  async rows(ctx) {
    const { rows } = await queryHistory(ctx.app.strata.store, ctx.env.id, {
      limit: 100_000,
      count: false,
    });
    return rows.map((h) => {
      const c = historyChoices(h.operation, h.subOperation);
      return {
        msdyn_solutionhistoryid: stableGuid(ctx.env.id, 'history', h.id),
        msdyn_name: h.solutionName,
        msdyn_solutionid: solutionId(ctx.env.id, h.solutionName),
        msdyn_solutionversion: h.solutionVersion,
        msdyn_publishername: h.publisher,
        msdyn_ismanaged: h.managed,
        msdyn_ispatch: h.subOperation === 'patch',
        msdyn_isoverwritecustomizations: h.options.overwrite === true,
        msdyn_operation: c.op,
        msdyn_suboperation: c.sub,
        msdyn_status: 1,
        msdyn_result: h.result === 'success',
        msdyn_starttime: h.startedOn.toISOString(),
        msdyn_endtime: h.endedOn.toISOString(),
        msdyn_totaltime: Math.round((h.endedOn.getTime() - h.startedOn.getTime()) / 1000),
        msdyn_errorcode: h.errorCode ?? null,
        msdyn_exceptionmessage: h.result === 'failure' ? (h.message ?? null) : null,
        // the import's job, where there is one (its log: importjobs(id))
        msdyn_activityid: h.jobId ?? null,
        strata_operation: h.operation,
        strata_suboperation: h.subOperation,
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
  navigations: { solutionid: { column: '_solutionid_value', set: 'solutions' } },
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
  [
    solutions,
    publishers,
    importjobs,
    asyncoperations,
    solutioncomponents,
    msdyn_solutionhistories,
  ].map((s) => [s.name, s]),
);

/** What $metadata describes of the solution entity sets. */
export const SOLUTION_SET_SHAPES: readonly TableShape[] = [...ENTITY_SETS.values()].map(
  (s) => s.shape,
);
