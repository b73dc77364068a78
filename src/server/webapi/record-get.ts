import {
  lookupNames,
  readRecord,
  readRecords,
  type ReadRecord,
} from '../../engine/records/query.js';
import type { RecordQuery } from '../../model/record-query.js';
import { StrataError } from '../../model/errors.js';
import { odataError } from './errors.js';
import { recordKeyOf } from './record-body.js';
import { FORMATTED, lookupTargets, recordFormatter, type RecordFormat } from './record-format.js';
import { nextPageQuery, queryOptions } from './record-path.js';
import { encodeSkipToken, parseRecordQuery, tableColumns } from './record-query.js';
import type { RecordContext } from './record-routes.js';
import { JSON_TYPE } from './service-root.js';

/**
 * GET on a table's entity set: a page of records ($select, $filter, $orderby, $top, $count,
 * $expand; Prefer: odata.maxpagesize, then @odata.nextLink), one record by id or alternate key,
 * or `set/$count`. Pages hold at most 5,000 records and @odata.count stops at 5,000, as
 * Dataverse's do.
 */
export const MAX_PAGE_SIZE = 5000;
export const COUNT_LIMIT = 5000;
const TOTAL_COUNT = 'Microsoft.Dynamics.CRM.totalrecordcount';
const COUNT_EXCEEDED = 'Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded';

function queryOf(ctx: RecordContext): RecordQuery {
  // a FetchXML query is refused rather than ignored: ignored, it would answer every record
  if ((ctx.req.query as Record<string, unknown> | undefined)?.fetchXml !== undefined)
    throw odataError(
      'ODATA_QUERY_INVALID',
      `FetchXML queries on the records of tables (${ctx.set}) are not supported by strata.`,
      'Query records with $select, $filter, $orderby, $top, $count and $expand ' +
        '(docs/webapi.md); the solution entity sets take simple FetchXML.',
    );
  const resolve = tableColumns(ctx.shape, (t) => ctx.tables.byName(t));
  return parseRecordQuery(queryOptions(ctx.req.query), resolve);
}

/** How the records of this request are written: its $select, $expand and annotations. */
export function formatOf(
  ctx: RecordContext,
  q: Pick<RecordQuery, 'select' | 'expand'>,
): RecordFormat {
  return {
    shapeOf: (t) => ctx.tables.byName(t),
    optionLabels: (t, c) => ctx.tables.optionLabels(t, c),
    wantsAnnotation: (n) => ctx.prefer.wantsAnnotation(n),
    select: q.select,
    expand: q.expand,
  };
}

/**
 * formatOf for records read: with formatted values asked for, the names of the records their
 * lookups point to are read (one query per table they point to) for the lookups' annotations.
 */
export async function formatRead(
  ctx: RecordContext,
  q: Pick<RecordQuery, 'select' | 'expand'>,
  records: readonly ReadRecord[],
): Promise<RecordFormat> {
  const f = formatOf(ctx, q);
  if (!f.wantsAnnotation(FORMATTED) || !records.length) return f;
  const names = await lookupNames(ctx.store, ctx.envId, lookupTargets(ctx.shape, records, f));
  return { ...f, lookupName: (table, id) => names.get(table)?.get(id) };
}

/** What `#set(a,b)` says in @odata.context: the selection by OData names. */
function contextOf(ctx: RecordContext, q: Pick<RecordQuery, 'select'>): string {
  const names = q.select?.map((c) =>
    ctx.shape.columns.find((s) => s.name === c)?.kind === 'lookup' ? `_${c}_value` : c,
  );
  return `${ctx.root}/$metadata#${ctx.set}${names ? `(${names.join(',')})` : ''}`;
}

export async function getCollection(ctx: RecordContext): Promise<unknown> {
  const q = queryOf(ctx);
  const pageSize = Math.min(Math.max(ctx.prefer.maxPageSize ?? MAX_PAGE_SIZE, 1), MAX_PAGE_SIZE);
  // one more than the limit tells "more than 5,000" from "exactly 5,000"
  const read = await readRecords(ctx.store, ctx.envId, ctx.shape.name, q, {
    pageSize,
    countLimit: COUNT_LIMIT + 1,
  });
  const format = recordFormatter(ctx.shape, await formatRead(ctx, q, read.records));
  const body: Record<string, unknown> = { '@odata.context': contextOf(ctx, q) };
  if (read.count !== null) {
    body['@odata.count'] = Math.min(read.count, COUNT_LIMIT);
    if (ctx.prefer.wantsAnnotation(TOTAL_COUNT))
      body[`@${TOTAL_COUNT}`] = Math.min(read.count, COUNT_LIMIT);
    if (ctx.prefer.wantsAnnotation(COUNT_EXCEEDED))
      body[`@${COUNT_EXCEEDED}`] = read.count > COUNT_LIMIT;
  }
  body.value = read.records.map(format);
  if (read.nextSkip !== null)
    body['@odata.nextLink'] =
      `${ctx.root}/${ctx.set}?${nextPageQuery(ctx.req.url, encodeSkipToken(read.nextSkip))}`;
  applied(ctx, ctx.prefer.maxPageSize !== null ? [`odata.maxpagesize=${pageSize}`] : []);
  return ctx.reply.type(JSON_TYPE).send(body);
}

export async function getRecord(ctx: RecordContext, keyText: string): Promise<unknown> {
  const q = queryOf(ctx);
  if (q.filter || q.orderBy.length || q.top !== null || q.count || q.skip)
    throw odataError(
      'ODATA_QUERY_INVALID',
      'A single record takes $select and $expand only.',
      'Query the entity set to filter, order, count or page records.',
    );
  const key = recordKeyOf(keyText, ctx.shape);
  const record = await readRecord(ctx.store, ctx.envId, ctx.shape, key, q);
  if (!record)
    throw new StrataError(
      'RECORD_NOT_FOUND',
      `${ctx.shape.name} With ${'id' in key ? `Id = ${key.id}` : keyText} Does Not Exist`,
      {
        hint: `GET ${ctx.set} lists this environment's records.`,
        details: { table: ctx.shape.name },
      },
    );
  const etag = record.version === null ? null : `W/"${record.version}"`;
  if (etag && ctx.req.headers['if-none-match'] === etag)
    return ctx.reply.status(304).header('etag', etag).send();
  applied(ctx, []);
  if (etag) void ctx.reply.header('etag', etag);
  return ctx.reply.type(JSON_TYPE).send({
    '@odata.context': `${contextOf(ctx, q)}/$entity`,
    ...recordFormatter(ctx.shape, await formatRead(ctx, q, [record]))(record),
  });
}

/** `set/$count`: the number of records (that $filter matches), up to 5,000, as plain text. */
export async function getCount(ctx: RecordContext): Promise<unknown> {
  const q = queryOf(ctx);
  const read = await readRecords(
    ctx.store,
    ctx.envId,
    ctx.shape.name,
    { ...q, count: true, select: [ctx.shape.primaryId], expand: [] },
    { pageSize: 0, countLimit: COUNT_LIMIT },
  );
  return ctx.reply.type('text/plain; charset=utf-8').send(String(read.count ?? 0));
}

/** Preference-Applied: the preferences honoured, with the annotations when asked for. */
export function applied(ctx: Pick<RecordContext, 'prefer' | 'reply'>, prefs: string[]): void {
  const all = [...prefs];
  if (ctx.prefer.annotations !== null)
    all.push(`odata.include-annotations="${ctx.prefer.annotations}"`);
  if (all.length) void ctx.reply.header('preference-applied', all.join(','));
}
