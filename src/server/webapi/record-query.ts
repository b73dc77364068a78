import type { Expansion, RecordQuery } from '../../model/record-query.js';
import { odataError } from './errors.js';
import { type ColumnResolver, columnNamed, propertyNotFound } from './record-columns.js';
import { recordFilter } from './record-filter.js';

export { type ColumnResolver, type Navigation, tableColumns } from './record-columns.js';

/**
 * The OData query options of a GET on a table's entity set, read into a RecordQuery that the
 * store turns into SQL (store/record-sql.ts). What Dataverse supports, strata supports: $select,
 * $filter (record-filter.ts), $orderby, $top, $count, $expand of single-valued lookups with a
 * $select inside, and $skiptoken, which only strata writes (in @odata.nextLink). Dataverse
 * refuses $skip, and so does strata; any other system option is refused too, never ignored.
 * Names are OData's: a lookup is `_x_value`. Options that are not system options (`@p`, custom
 * parameters) are left to the route.
 */
const OPTIONS = new Set([
  '$select',
  '$filter',
  '$orderby',
  '$top',
  '$count',
  '$expand',
  '$skiptoken',
]);

export function parseRecordQuery(
  params: Record<string, string>,
  resolve: ColumnResolver,
): RecordQuery {
  const opt: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    if (!key.startsWith('$')) continue;
    const k = key.toLowerCase();
    if (k === '$skip')
      throw odataError(
        'ODATA_QUERY_INVALID',
        'The query parameter $skip is not supported',
        'Page with Prefer: odata.maxpagesize and follow @odata.nextLink, as with Dataverse.',
      );
    if (!OPTIONS.has(k))
      throw odataError(
        'ODATA_QUERY_INVALID',
        `The query parameter ${key} is not supported by strata.`,
        'Supported: $select, $filter, $orderby, $top, $count, $expand (docs/webapi.md).',
      );
    opt[k] = value;
  }
  return {
    select: opt.$select === undefined ? null : selectList(opt.$select, resolve),
    filter: opt.$filter === undefined ? null : recordFilter(opt.$filter, resolve),
    orderBy: opt.$orderby === undefined ? [] : orderBy(opt.$orderby, resolve),
    top: opt.$top === undefined ? null : top(opt.$top),
    skip: opt.$skiptoken === undefined ? 0 : decodeSkipToken(opt.$skiptoken),
    count: opt.$count === undefined ? false : count(opt.$count),
    expand: opt.$expand === undefined ? [] : expand(opt.$expand, resolve),
  };
}

/** $select=name,_parentaccountid_value → the columns, in order, each once; `*` is all. */
function selectList(text: string, resolve: ColumnResolver): string[] | null {
  const names = text.split(',').map((n) => n.trim());
  if (names.length === 1 && names[0] === '*') return null;
  const out: string[] = [];
  for (const n of names) {
    if (n === '')
      throw odataError(
        'ODATA_QUERY_INVALID',
        `Syntax error in $select: '${text}'.`,
        'Expected a property name.',
      );
    const c = columnNamed(resolve, n).name;
    if (!out.includes(c)) out.push(c);
  }
  return out;
}

function orderBy(text: string, resolve: ColumnResolver): RecordQuery['orderBy'] {
  return text.split(',').map((part) => {
    const [name, dir = 'asc', ...rest] = part.trim().split(/\s+/);
    const d = dir.toLowerCase();
    if (!name || rest.length || (d !== 'asc' && d !== 'desc'))
      throw odataError(
        'ODATA_QUERY_INVALID',
        `Syntax error in $orderby: '${text}'.`,
        'Expected property names, each followed by asc or desc: $orderby=name asc,createdon desc.',
      );
    const column = columnNamed(resolve, name);
    if (column.kind === 'choices')
      throw odataError(
        'ODATA_QUERY_INVALID',
        `Ordering by the multi-select choice column '${name}' is not supported.`,
      );
    return { column: column.name, desc: d === 'desc' };
  });
}

function top(text: string): number {
  if (!/^\d{1,15}$/.test(text.trim()))
    throw odataError(
      'ODATA_QUERY_INVALID',
      `Invalid value '${text}' for $top query option found. The $top query option requires a ` +
        'non-negative integer value.',
    );
  return Number(text);
}

function count(text: string): boolean {
  const t = text.trim().toLowerCase();
  if (t !== 'true' && t !== 'false')
    throw odataError(
      'ODATA_QUERY_INVALID',
      `'${text}' is not a valid count option: $count takes true or false.`,
    );
  return t === 'true';
}

/**
 * $expand=parentaccountid($select=name,revenue),primarycontactid: single-valued navigation
 * properties, each at most once, with nothing but $select inside.
 */
function expand(text: string, resolve: ColumnResolver): Expansion[] {
  const out: Expansion[] = [];
  for (const item of topLevelItems(text)) {
    const m = /^\s*([^\s(]+)\s*(?:\((.*)\))?\s*$/s.exec(item);
    if (!m)
      throw odataError(
        'ODATA_QUERY_INVALID',
        `Syntax error in $expand: '${text}'.`,
        'Expected nav($select=a,b).',
      );
    const nav = resolve.navigation(m[1]);
    if (!nav)
      throw propertyNotFound(
        resolve,
        m[1],
        '$expand follows the single-valued navigation property of a lookup (strata has no ' +
          'collection-valued ones).',
      );
    if (out.some((e) => e.navigation === m[1]))
      throw odataError(
        'ODATA_QUERY_INVALID',
        `The navigation property '${m[1]}' is expanded twice.`,
      );
    const select = m[2] === undefined ? null : expandSelect(m[1], m[2], nav.target);
    out.push({ column: nav.column, navigation: m[1], table: nav.table, select });
  }
  return out;
}

function expandSelect(nav: string, inner: string, target: ColumnResolver): string[] | null {
  let select: string[] | null = null;
  for (const o of inner.split(';')) {
    const eq = o.indexOf('=');
    const key = o.slice(0, eq).trim().toLowerCase();
    if (eq < 0 || key !== '$select')
      throw odataError(
        'ODATA_QUERY_INVALID',
        `The option '${o.trim()}' inside $expand of '${nav}' is not supported by strata.`,
        'Inside $expand, strata supports $select only: $expand=nav($select=a,b).',
      );
    select = selectList(o.slice(eq + 1), target);
  }
  return select;
}

/** Splits at the commas that are outside parentheses. */
function topLevelItems(text: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
    else if (text[i] === ',' && depth === 0) {
      items.push(text.slice(start, i));
      start = i + 1;
    }
    if (depth < 0) break;
  }
  if (depth !== 0)
    throw odataError(
      'ODATA_QUERY_INVALID',
      `Syntax error in $expand: '${text}'.`,
      'Unbalanced parentheses.',
    );
  items.push(text.slice(start));
  return items;
}

/**
 * $skiptoken is strata's own: where the next page starts, opaque to clients, who only copy the
 * @odata.nextLink that holds it (Dataverse's paging cookie is opaque to them likewise).
 */
const TOKEN_PREFIX = 'strata:skip:';

export function encodeSkipToken(skip: number): string {
  return Buffer.from(`${TOKEN_PREFIX}${skip}`).toString('base64url');
}

export function decodeSkipToken(token: string): number {
  const text = Buffer.from(token.trim(), 'base64url').toString();
  const m = new RegExp(`^${TOKEN_PREFIX}(\\d{1,15})$`).exec(text);
  if (!m)
    throw odataError(
      'ODATA_QUERY_INVALID',
      `The $skiptoken '${token}' is not valid.`,
      'A $skiptoken comes from an @odata.nextLink: follow the link as it is.',
    );
  return Number(m[1]);
}
