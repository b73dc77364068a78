import { randomUUID } from 'node:crypto';
import { loadRecords } from '../../engine/records/load.js';
import { readRecord } from '../../engine/records/query.js';
import { createRecords } from '../../engine/records/records.js';
import type { RecordValues } from '../../engine/records/values.js';
import {
  removeRecord,
  writeRecord,
  writeRecords,
  type RecordKey,
  type RecordWrite,
  type WriteMode,
} from '../../engine/records/writes.js';
import { odataError } from './errors.js';
import { applied, formatRead } from './record-get.js';
import { bodyInvalid, entityReference, recordKeyOf, recordOfBody } from './record-body.js';
import { recordFormatter } from './record-format.js';
import { queryOptions } from './record-path.js';
import { parseRecordQuery, tableColumns } from './record-query.js';
import type { RecordContext } from './record-routes.js';
import { JSON_TYPE } from './service-root.js';

/**
 * Writes to a table's entity set, as Dataverse takes them: POST creates (204 with
 * OData-EntityId, or 201 with the record for `Prefer: return=representation`); PATCH updates or
 * creates (upsert), `If-Match: *` only updates, `If-None-Match: *` only creates, `If-Match:
 * W/"n"` only updates version n; DELETE deletes; CreateMultiple, UpdateMultiple and
 * UpsertMultiple write many records of the set in one transaction.
 */
const ref = (ctx: RecordContext) => ({ envId: ctx.envId, table: ctx.shape.name });

const valuesOf = (ctx: RecordContext, body: unknown): RecordValues =>
  recordOfBody(body, { shape: ctx.shape, tableOfSet: (s) => ctx.tables.bySet(s) });

export async function postRecord(ctx: RecordContext): Promise<unknown> {
  const values = valuesOf(ctx, ctx.req.body);
  const [id] = await createRecords(ctx.store, ref(ctx), [values]);
  return answerWrite(ctx, id, 201);
}

export async function patchRecord(ctx: RecordContext, keyText: string): Promise<unknown> {
  const key = recordKeyOf(keyText, ctx.shape);
  const values = valuesOf(ctx, ctx.req.body);
  const { mode, version } = conditions(ctx);
  const out = await writeRecord(ctx.store, ref(ctx), { key, values }, { mode, version });
  return answerWrite(ctx, out.id, out.created ? 201 : 200);
}

export async function deleteRecord(ctx: RecordContext, keyText: string): Promise<unknown> {
  const key = recordKeyOf(keyText, ctx.shape);
  await removeRecord(ctx.store, ref(ctx), key, { version: conditions(ctx).version });
  return ctx.reply.status(204).send();
}

/** If-Match and If-None-Match, as Dataverse reads them on PATCH and DELETE. */
function conditions(ctx: RecordContext): { mode: WriteMode; version?: string } {
  const match = header(ctx, 'if-match');
  const noneMatch = header(ctx, 'if-none-match');
  if (match !== undefined && noneMatch !== undefined)
    throw odataError(
      'ODATA_QUERY_INVALID',
      'If-Match and If-None-Match cannot both be given.',
      'If-Match: * updates only; If-None-Match: * creates only; neither updates or creates.',
    );
  if (noneMatch === '*') return { mode: 'create' };
  if (match === undefined || match === '*') return { mode: match ? 'update' : 'upsert' };
  const etag = /^(?:W\/)?"(\d{1,19})"$/.exec(match);
  if (!etag)
    throw odataError(
      'ODATA_QUERY_INVALID',
      `If-Match takes * or a record's @odata.etag (W/"123"), not ${match}.`,
    );
  return { mode: 'update', version: etag[1] };
}

function header(ctx: RecordContext, name: string): string | undefined {
  const v = ctx.req.headers[name];
  return (Array.isArray(v) ? v[0] : v)?.trim() || undefined;
}

/** 204 with OData-EntityId, or the record ($select applies) for return=representation. */
async function answerWrite(ctx: RecordContext, id: string, status: number): Promise<unknown> {
  void ctx.reply.header('odata-entityid', `${ctx.root}/${ctx.set}(${id})`);
  if (!ctx.prefer.returnRepresentation) {
    applied(ctx, []);
    return ctx.reply.status(204).send();
  }
  const resolve = tableColumns(ctx.shape, (t) => ctx.tables.byName(t));
  const q = parseRecordQuery(queryOptions(ctx.req.query), resolve);
  const record = await readRecord(ctx.store, ctx.envId, ctx.shape, { id }, q);
  applied(ctx, ['return=representation']);
  const names = q.select ? `(${q.select.join(',')})` : '';
  return ctx.reply
    .status(status)
    .type(JSON_TYPE)
    .send({
      '@odata.context': `${ctx.root}/$metadata#${ctx.set}${names}/$entity`,
      ...(record ? recordFormatter(ctx.shape, await formatRead(ctx, q, [record]))(record) : {}),
    });
}

const BULK = ['CreateMultiple', 'UpdateMultiple', 'UpsertMultiple'] as const;

/** `set/Microsoft.Dynamics.CRM.CreateMultiple` (and Update-, Upsert-): the action it names. */
export function bulkActionOf(segment: string): (typeof BULK)[number] | undefined {
  const name = segment.replace(/^Microsoft\.Dynamics\.CRM\./, '');
  return BULK.find((b) => b === name);
}

export async function postBulk(
  ctx: RecordContext,
  action: (typeof BULK)[number],
): Promise<unknown> {
  const targets = targetsOf(ctx);
  if (action === 'CreateMultiple') {
    // the bulk path (COPY) returns no ids: each record gets its id here, unless it has one
    const records = targets.map((t) => valuesOf(ctx, t));
    for (const r of records) r[ctx.shape.primaryId] ??= randomUUID();
    await loadRecords(ctx.store, ref(ctx), records);
    const ids = records.map((r) => String(r[ctx.shape.primaryId]).toLowerCase());
    return ctx.reply.type(JSON_TYPE).send({
      '@odata.context': `${ctx.root}/$metadata#Microsoft.Dynamics.CRM.CreateMultipleResponse`,
      Ids: ids,
    });
  }
  const writes = targets.map((t) => targetWrite(ctx, t));
  await writeRecords(
    ctx.store,
    ref(ctx),
    writes,
    action === 'UpdateMultiple' ? 'update' : 'upsert',
  );
  return ctx.reply.status(204).send();
}

/** `{ Targets: [...] }`, each target typed `Microsoft.Dynamics.CRM.<table>` as Dataverse asks. */
function targetsOf(ctx: RecordContext): Array<Record<string, unknown>> {
  const body = ctx.req.body as { Targets?: unknown } | null | undefined;
  const targets = body && typeof body === 'object' ? body.Targets : undefined;
  if (!Array.isArray(targets))
    throw bodyInvalid(ctx.shape, 'The body must be { "Targets": [ records ] }.');
  const type = `Microsoft.Dynamics.CRM.${ctx.shape.name}`;
  targets.forEach((t: unknown, i) => {
    const given = (t as Record<string, unknown> | null)?.['@odata.type'];
    if (typeof given !== 'string' || given.replace(/^#/, '') !== type)
      throw bodyInvalid(
        ctx.shape,
        `Targets[${i}] must carry "@odata.type": "${type}" (found ${JSON.stringify(given)}).`,
      );
  });
  return targets as Array<Record<string, unknown>>;
}

/** A target of UpdateMultiple or UpsertMultiple: its primary id, or its @odata.id. */
function targetWrite(ctx: RecordContext, t: Record<string, unknown>): RecordWrite {
  const values = valuesOf(ctx, t);
  const address = t['@odata.id'];
  let key: RecordKey | undefined;
  if (typeof values[ctx.shape.primaryId] === 'string')
    key = { id: values[ctx.shape.primaryId] as string };
  else if (typeof address === 'string') key = addressKey(ctx, address);
  if (!key)
    throw bodyInvalid(
      ctx.shape,
      `Each target names its record: ${ctx.shape.primaryId}, or "@odata.id": ` +
        `"${ctx.set}(<id>)" or "${ctx.set}(<key>='<value>')".`,
    );
  return { key, values };
}

function addressKey(ctx: RecordContext, address: string): RecordKey | undefined {
  const byId = entityReference(address);
  if (byId) return byId.set === ctx.set ? { id: byId.id } : undefined;
  const m = new RegExp(`^/?${ctx.set}\\((.+)\\)$`, 's').exec(
    address.replace(/^.*\/api\/data\/v[\d.]+\//, ''),
  );
  return m ? recordKeyOf(m[1], ctx.shape) : undefined;
}
