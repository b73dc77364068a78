import type { FastifyReply, FastifyRequest } from 'fastify';
import { StrataError } from '../../model/errors.js';
import { ENTITY_SETS, type EntitySet, type SetContext } from './entity-sets.js';
import { odataError } from './errors.js';
import { parseFetchXml } from './fetch-xml.js';
import { normalizeGuid } from './ids.js';
import {
  applyQuery,
  parseQuery,
  project,
  type ODataQuery,
  type QueryTarget,
  type Row,
} from './odata.js';
import { parsePrefer } from './prefer.js';
import { applied, COUNT_LIMIT, MAX_PAGE_SIZE } from './record-get.js';
import { nextPageQuery } from './record-path.js';
import { encodeSkipToken } from './record-query.js';
import { JSON_TYPE, serviceRoot } from './service-root.js';

/**
 * GET on a solution entity set (entity-sets.ts): a page of rows ($select, $filter, $orderby,
 * $top, $count, $expand, or a fetchXml query; Prefer: odata.maxpagesize, then @odata.nextLink),
 * `set/$count`, and one row by GUID or alternate key. The paging follows the tables' (record-
 * get.ts): the same page and count limits, the same $skiptoken in the same @odata.nextLink, and
 * Preference-Applied.
 */
const MORE_RECORDS = '@Microsoft.Dynamics.CRM.morerecords';

function targetOf(set: EntitySet): QueryTarget {
  return {
    columns: set.columns,
    entity: set.entity,
    navigations: set.navigations,
    columnsOf: (name) => ENTITY_SETS.get(name)?.columns ?? new Set(),
  };
}

/** The query of a request: its OData options, or its fetchXml (never both). */
function queryOf(
  set: EntitySet,
  query: Record<string, unknown>,
): ODataQuery & { pageSize?: number | null; fetch: boolean } {
  const fetchXml = query.fetchXml;
  if (fetchXml === undefined) return { ...parseQuery(query, targetOf(set)), fetch: false };
  if (typeof fetchXml !== 'string')
    throw odataError(
      'ODATA_QUERY_INVALID',
      'The query parameter fetchXml is given more than once.',
    );
  const others = Object.keys(query).filter((k) => k.startsWith('$'));
  if (others.length)
    throw odataError(
      'ODATA_QUERY_INVALID',
      `The query parameter fetchXml cannot be combined with ${others.join(', ')}.`,
      'Say it all in the FetchXML: <attribute>, <filter>, <order>, top or count.',
    );
  return { ...parseFetchXml(fetchXml, targetOf(set)), fetch: true };
}

/** Adds each $expand's target row (or null) under its navigation property. */
async function expandRows(
  ctx: SetContext,
  set: EntitySet,
  q: ODataQuery,
  rows: Row[],
): Promise<void> {
  for (const e of q.expand) {
    const nav = set.navigations![e.navigation];
    const target = ENTITY_SETS.get(nav.set)!;
    const byKey = new Map(
      (await target.rows({ ...ctx, wants: () => false })).map((r) => [
        String(r[target.key]).toLowerCase(),
        r,
      ]),
    );
    for (const r of rows) {
      const hit = r[nav.column] ? byKey.get(String(r[nav.column]).toLowerCase()) : undefined;
      r[e.navigation] = hit ? (e.select ? project(hit, e.select, target.key) : { ...hit }) : null;
    }
  }
}

function shape(rows: Row[], q: ODataQuery, set: EntitySet): Row[] {
  if (!q.select) return rows;
  return rows.map((r) => {
    const o = project(r, q.select!, set.key);
    for (const e of q.expand) o[e.navigation] = r[e.navigation];
    return o;
  });
}

export async function getSetRows(
  base: Omit<SetContext, 'wants'>,
  req: FastifyRequest,
  reply: FastifyReply,
  set: EntitySet,
  rest: string | null,
): Promise<unknown> {
  const query = req.query as Record<string, unknown>;
  const q = queryOf(set, query);
  const ctx: SetContext = { ...base, wants: (c) => !!q.select?.includes(c) };
  if (rest === '$count') {
    if (q.fetch) throw odataError('ODATA_QUERY_INVALID', 'set/$count does not take fetchXml.');
    const { count } = applyQuery(await set.rows(ctx), q, 0);
    return reply.type('text/plain; charset=utf-8').send(String(Math.min(count, COUNT_LIMIT)));
  }
  const prefer = parsePrefer(req.headers.prefer);
  const pageSize = q.fetch
    ? (q.pageSize ?? MAX_PAGE_SIZE)
    : Math.min(Math.max(prefer.maxPageSize ?? MAX_PAGE_SIZE, 1), MAX_PAGE_SIZE);
  const page = applyQuery(await set.rows(ctx), q, pageSize);
  await expandRows(ctx, set, q, page.rows);
  const root = serviceRoot(req);
  const selected = q.select ? `(${q.select.join(',')})` : '';
  const body: Record<string, unknown> = {
    '@odata.context': `${root}/$metadata#${set.name}${selected}`,
  };
  if (q.count) body['@odata.count'] = Math.min(page.count, COUNT_LIMIT);
  if (q.fetch) body[MORE_RECORDS] = page.nextSkip !== null;
  body.value = shape(page.rows, q, set);
  if (!q.fetch && page.nextSkip !== null)
    body['@odata.nextLink'] =
      `${root}/${set.name}?${nextPageQuery(req.url, encodeSkipToken(page.nextSkip))}`;
  applied(
    { prefer, reply },
    !q.fetch && prefer.maxPageSize !== null ? [`odata.maxpagesize=${pageSize}`] : [],
  );
  return reply.type(JSON_TYPE).send(body);
}

/** A literal in a key: 'text' (with '' escapes), or the bare value. */
function keyLiteral(v: string): string {
  const t = v.trim();
  if (t.length >= 2 && t.startsWith("'") && t.endsWith("'"))
    return t.slice(1, -1).replace(/''/g, "'");
  return t;
}

/** The row `set(args)` names: by GUID, or by a column (`solutions(uniquename='X')`). */
export async function findSetRow(
  ctx: SetContext,
  set: EntitySet,
  args: string,
): Promise<Row | undefined> {
  let match: (r: Row) => boolean;
  let key: string | undefined;
  const guid = normalizeGuid(args);
  if (guid) {
    match = (r) => String(r[set.key]).toLowerCase() === guid;
    key = guid;
  } else {
    const m = /^\s*(\w+)\s*=\s*(.+)$/s.exec(args);
    if (!m || !set.columns.has(m[1]))
      throw odataError(
        'ODATA_QUERY_INVALID',
        `Invalid key for ${set.name}: (${args}) — give the record's GUID.`,
      );
    const want = keyLiteral(m[2]).toLowerCase();
    match = (r) => String(r[m[1]] ?? '').toLowerCase() === want;
  }
  const byKey = set.name === 'importjobs' || set.name === 'asyncoperations';
  return (await set.rows(ctx, byKey ? key : undefined)).find(match);
}

export async function getSetRow(
  base: Omit<SetContext, 'wants'>,
  req: FastifyRequest,
  reply: FastifyReply,
  set: EntitySet,
  args: string,
): Promise<unknown> {
  const query = req.query as Record<string, unknown>;
  if (query.fetchXml !== undefined)
    throw odataError('ODATA_QUERY_INVALID', 'fetchXml queries an entity set, not one record.');
  const q = parseQuery(query, targetOf(set));
  const ctx: SetContext = { ...base, wants: (c) => !q.select || q.select.includes(c) };
  const row = await findSetRow(ctx, set, args);
  if (!row)
    throw new StrataError('RECORD_NOT_FOUND', `${set.entity} With Id = ${args} Does Not Exist`, {
      hint: `GET ${set.name} lists this environment's records.`,
    });
  await expandRows(ctx, set, q, [row]);
  return reply.type(JSON_TYPE).send({
    '@odata.context': `${serviceRoot(req)}/$metadata#${set.name}/$entity`,
    ...shape([row], q, set)[0],
  });
}
