import { odataError } from './errors.js';
import { decodeSkipToken } from './record-query.js';
import {
  type FilterSyntax,
  type LiteralToken,
  literalValue,
  parseFilterSyntax,
} from './odata-syntax.js';

/**
 * The OData system query options strata supports on its entity sets: $select, $filter (eq, ne,
 * gt, ge, lt, le, and, or, not, parentheses, contains/startswith/endswith), $orderby (asc/desc)
 * and $top. Records are plain objects; queries run on them in memory. String comparisons ignore
 * case, as Dataverse's do.
 */
export type Value = string | number | boolean | null;
export type Row = Record<string, unknown>;

export type Expr =
  | { op: 'and' | 'or'; left: Expr; right: Expr }
  | { op: 'not'; expr: Expr }
  | { op: 'cmp'; cmp: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le'; field: string; value: Value }
  | { op: 'fn'; fn: 'contains' | 'startswith' | 'endswith'; field: string; value: string }
  /** FetchXML's like: % is any run of characters, _ one character (case-insensitive) */
  | { op: 'like'; field: string; pattern: string }
  /** FetchXML's in: equal to one of the values */
  | { op: 'in'; field: string; values: Value[] };

/** A single-valued navigation property of a solution entity set: its lookup and target set. */
export interface Navigation {
  /** the lookup's property, `_x_value` */
  column: string;
  /** the entity set it points into */
  set: string;
}

/** $expand=nav($select=a,b): the navigation property and the target's columns (null: all). */
export interface Expansion {
  navigation: string;
  select: string[] | null;
}

export interface ODataQuery {
  select: string[] | null;
  filter: Expr | null;
  orderby: Array<{ field: string; desc: boolean }>;
  top: number | null;
  /** $count=true: the number of matching rows in @odata.count */
  count: boolean;
  /** where this page starts ($skiptoken, which only strata writes, in @odata.nextLink) */
  skip: number;
  expand: Expansion[];
}

const SUPPORTED = new Set([
  '$select',
  '$filter',
  '$orderby',
  '$top',
  '$count',
  '$expand',
  '$skiptoken',
]);

/**
 * The in-memory sets read literals leniently: a GUID, a date or any other bare word compares as
 * the text it is (`_solutionid_value eq 5f0e...`), since their rows hold text.
 */
function literal(t: LiteralToken): Value {
  const v = literalValue(t);
  switch (v.type) {
    case 'string':
      return v.value;
    case 'null':
      return null;
    case 'boolean':
      return v.value;
    case 'integer':
    case 'decimal':
      return Number(v.text);
    default:
      return t.text;
  }
}

/** Parses a $filter expression; fields are checked against the entity set's columns. */
function parseFilter(text: string, columns: ReadonlySet<string>, setName: string): Expr {
  const field = (name: string): string => {
    if (!columns.has(name))
      throw odataError(
        'ODATA_PROPERTY_NOT_FOUND',
        `Could not find a property named '${name}' on type 'Microsoft.Dynamics.CRM.${setName}'.`,
      );
    return name;
  };
  const expr = (s: FilterSyntax): Expr => {
    switch (s.op) {
      case 'and':
      case 'or':
        return { op: s.op, left: expr(s.left), right: expr(s.right) };
      case 'not':
        return { op: 'not', expr: expr(s.expr) };
      case 'fn':
        return { op: 'fn', fn: s.fn, field: field(s.name.text), value: String(literal(s.value)) };
      case 'cmp':
        return { op: 'cmp', cmp: s.cmp, field: field(s.name.text), value: literal(s.value) };
    }
  };
  return expr(parseFilterSyntax(text));
}

function norm(v: unknown): Value {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v.toLowerCase();
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  return String(v).toLowerCase();
}

function compare(a: Value, b: Value): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const x = String(a),
    y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function matches(row: Row, e: Expr): boolean {
  switch (e.op) {
    case 'and':
      return matches(row, e.left) && matches(row, e.right);
    case 'or':
      return matches(row, e.left) || matches(row, e.right);
    case 'not':
      return !matches(row, e.expr);
    case 'fn': {
      const v = row[e.field];
      if (v === null || v === undefined) return false;
      const s = String(v).toLowerCase(),
        q = e.value.toLowerCase();
      return e.fn === 'contains'
        ? s.includes(q)
        : e.fn === 'startswith'
          ? s.startsWith(q)
          : s.endsWith(q);
    }
    case 'like': {
      const v = row[e.field];
      return v !== null && v !== undefined && likeRegExp(e.pattern).test(String(v));
    }
    case 'in':
      return e.values.some((value) =>
        matches(row, { op: 'cmp', cmp: 'eq', field: e.field, value }),
      );
    case 'cmp': {
      let a = norm(row[e.field]);
      let b = norm(typeof e.value === 'string' ? e.value : e.value);
      // a GUID may be written with braces
      if (typeof a === 'string' && typeof b === 'string') {
        a = a.replace(/^\{(.*)\}$/, '$1');
        b = b.replace(/^\{(.*)\}$/, '$1');
      }
      if (e.cmp === 'eq') return a === null || b === null ? a === b : compare(a, b) === 0;
      if (e.cmp === 'ne') return a === null || b === null ? a !== b : compare(a, b) !== 0;
      if (a === null || b === null) return false;
      const c = compare(a, b);
      return e.cmp === 'gt' ? c > 0 : e.cmp === 'ge' ? c >= 0 : e.cmp === 'lt' ? c < 0 : c <= 0;
    }
  }
}

/** A FetchXML like pattern as a regular expression: % any run, _ one character. */
function likeRegExp(pattern: string): RegExp {
  let out = '';
  for (const ch of pattern) {
    if (ch === '%') out += '[\\s\\S]*';
    else if (ch === '_') out += '[\\s\\S]';
    else out += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`, 'i');
}

/** What a solution entity set offers a query: its columns and navigation properties. */
export interface QueryTarget {
  columns: ReadonlySet<string>;
  /** the entity's logical name, for messages */
  entity: string;
  navigations?: Readonly<Record<string, Navigation>>;
  /** the columns of another set (the target of $expand) */
  columnsOf?: (set: string) => ReadonlySet<string>;
}

const propertyNotFound = (name: string, entity: string) =>
  odataError(
    'ODATA_PROPERTY_NOT_FOUND',
    `Could not find a property named '${name}' on type 'Microsoft.Dynamics.CRM.${entity}'.`,
  );

function selectOf(text: string, columns: ReadonlySet<string>, entity: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      if (!columns.has(s)) throw propertyNotFound(s, entity);
      return s;
    });
}

/**
 * Reads the query options of a request; anything else starting with $ is refused ($skip as
 * Dataverse refuses it). $skiptoken and $top's syntax are the tables' (record-query.ts).
 */
export function parseQuery(q: Record<string, unknown>, target: QueryTarget): ODataQuery {
  const { columns, entity } = target;
  for (const k of Object.keys(q)) {
    if (k === '$skip')
      throw odataError(
        'ODATA_QUERY_INVALID',
        'The query parameter $skip is not supported',
        'Page with Prefer: odata.maxpagesize and follow @odata.nextLink, as with Dataverse.',
      );
    if (k.startsWith('$') && !SUPPORTED.has(k))
      throw odataError(
        'ODATA_QUERY_INVALID',
        `The query option ${k} is not supported by strata.`,
        'Supported: $select, $filter, $orderby, $top, $count, $expand (docs/webapi.md).',
      );
  }
  const one = (k: string): string | undefined => {
    const v = q[k];
    return Array.isArray(v) ? String(v[v.length - 1]) : v === undefined ? undefined : String(v);
  };
  const prop = (name: string): string => {
    if (!columns.has(name)) throw propertyNotFound(name, entity);
    return name;
  };
  const sel = one('$select');
  const select = sel ? selectOf(sel, columns, entity) : null;
  const f = one('$filter');
  const filter = f ? parseFilter(f, columns, entity) : null;
  const ob = one('$orderby');
  const orderby = ob
    ? ob.split(',').map((part) => {
        const [name, dir, ...rest] = part.trim().split(/\s+/);
        const d = (dir ?? 'asc').toLowerCase();
        if (rest.length || (d !== 'asc' && d !== 'desc'))
          throw odataError('ODATA_QUERY_INVALID', `Invalid $orderby: ${ob}`);
        return { field: prop(name), desc: d === 'desc' };
      })
    : [];
  const t = one('$top');
  let top: number | null = null;
  if (t !== undefined) {
    if (!/^\d+$/.exec(t) || Number(t) < 0)
      throw odataError('ODATA_QUERY_INVALID', `Invalid $top: ${t} (a non-negative integer).`);
    top = Number(t);
  }
  const c = one('$count')?.trim().toLowerCase();
  if (c !== undefined && c !== 'true' && c !== 'false')
    throw odataError(
      'ODATA_QUERY_INVALID',
      `'${one('$count')}' is not a valid count option: $count takes true or false.`,
    );
  const token = one('$skiptoken');
  const e = one('$expand');
  return {
    select,
    filter,
    orderby,
    top,
    count: c === 'true',
    skip: token === undefined ? 0 : decodeSkipToken(token),
    expand: e === undefined ? [] : expandOf(e, target),
  };
}

/** $expand=publisherid($select=uniquename): single-valued navigation properties. */
function expandOf(text: string, target: QueryTarget): Expansion[] {
  const out: Expansion[] = [];
  for (const item of text.split(/,(?![^(]*\))/)) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\((.*)\))?\s*$/s.exec(item);
    if (!m)
      throw odataError(
        'ODATA_QUERY_INVALID',
        `Syntax error in $expand: '${text}'.`,
        'Expected nav($select=a,b).',
      );
    const nav = target.navigations?.[m[1]];
    if (!nav) throw propertyNotFound(m[1], target.entity);
    if (out.some((x) => x.navigation === m[1]))
      throw odataError(
        'ODATA_QUERY_INVALID',
        `The navigation property '${m[1]}' is expanded twice.`,
      );
    let select: string[] | null = null;
    if (m[2] !== undefined && m[2].trim() !== '') {
      const eq = m[2].indexOf('=');
      if (eq < 0 || m[2].slice(0, eq).trim().toLowerCase() !== '$select' || m[2].includes(';'))
        throw odataError(
          'ODATA_QUERY_INVALID',
          `The option '${m[2].trim()}' inside $expand of '${m[1]}' is not supported by strata.`,
          'Inside $expand, strata supports $select only: $expand=nav($select=a,b).',
        );
      const columns = target.columnsOf?.(nav.set) ?? new Set<string>();
      select = selectOf(m[2].slice(eq + 1), columns, nav.set);
    }
    out.push({ navigation: m[1], select });
  }
  return out;
}

/** One page of a query's rows, how many rows match, and where the next page starts. */
export interface QueryPage {
  rows: Row[];
  /** rows matching $filter (before $top) */
  count: number;
  nextSkip: number | null;
}

/**
 * Applies $filter, $orderby and $top to a set's records and cuts the page that starts at
 * $skiptoken; $select and $expand are left to the caller (the rows keep every column).
 */
export function applyQuery(rows: Row[], q: ODataQuery, pageSize = Infinity): QueryPage {
  let out = q.filter ? rows.filter((r) => matches(r, q.filter!)) : rows.slice();
  const count = out.length;
  if (q.orderby.length) {
    out.sort((x, y) => {
      for (const o of q.orderby) {
        const c = compare(norm(x[o.field]), norm(y[o.field]));
        if (c !== 0) return o.desc ? -c : c;
      }
      return 0;
    });
  }
  if (q.top !== null) out = out.slice(0, q.top);
  const end = q.skip + pageSize;
  return {
    rows: out.slice(q.skip, end),
    count,
    nextSkip: end < out.length ? end : null,
  };
}

/** The selected columns (the key always comes along, as Dataverse returns it). */
export function project(r: Row, select: string[], keyField: string): Row {
  const o: Row = {};
  for (const k of Object.keys(r)) if (k.startsWith('@odata')) o[k] = r[k];
  for (const s of select) o[s] = r[s] ?? null;
  o[keyField] = r[keyField];
  return o;
}
