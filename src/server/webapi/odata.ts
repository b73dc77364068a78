import { odataError } from './errors.js';
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
  | { op: 'fn'; fn: 'contains' | 'startswith' | 'endswith'; field: string; value: string };

export interface ODataQuery {
  select: string[] | null;
  filter: Expr | null;
  orderby: Array<{ field: string; desc: boolean }>;
  top: number | null;
}

const SUPPORTED = new Set(['$select', '$filter', '$orderby', '$top']);

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

/** Reads the query options of a request; anything else starting with $ is refused. */
export function parseQuery(
  q: Record<string, unknown>,
  columns: ReadonlySet<string>,
  setName: string,
): ODataQuery {
  for (const k of Object.keys(q)) {
    if (k.startsWith('$') && !SUPPORTED.has(k))
      throw odataError(
        'ODATA_QUERY_INVALID',
        `The query option ${k} is not supported by strata.`,
        'Supported: $select, $filter, $orderby, $top (docs/webapi.md).',
      );
  }
  const one = (k: string): string | undefined => {
    const v = q[k];
    return Array.isArray(v) ? String(v[v.length - 1]) : v === undefined ? undefined : String(v);
  };
  const prop = (name: string): string => {
    if (!columns.has(name))
      throw odataError(
        'ODATA_PROPERTY_NOT_FOUND',
        `Could not find a property named '${name}' on type 'Microsoft.Dynamics.CRM.${setName}'.`,
      );
    return name;
  };
  const sel = one('$select');
  const select = sel
    ? sel
        .split(',')
        .map((s) => prop(s.trim()))
        .filter(Boolean)
    : null;
  const f = one('$filter');
  const filter = f ? parseFilter(f, columns, setName) : null;
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
  return { select, filter, orderby, top };
}

/** Applies $filter, $orderby, $top and $select to a set's records. */
export function applyQuery(rows: Row[], q: ODataQuery, keyField: string): Row[] {
  let out = q.filter ? rows.filter((r) => matches(r, q.filter!)) : rows.slice();
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
  return q.select ? out.map((r) => project(r, q.select!, keyField)) : out;
}

/** The selected columns (the key always comes along, as Dataverse returns it). */
export function project(r: Row, select: string[], keyField: string): Row {
  const o: Row = {};
  for (const k of Object.keys(r)) if (k.startsWith('@odata')) o[k] = r[k];
  for (const s of select) o[s] = r[s] ?? null;
  o[keyField] = r[keyField];
  return o;
}
