import { odataError } from './errors.js';

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

type Token =
  | { kind: 'str'; text: string }
  | { kind: 'word'; text: string }
  | { kind: 'punct'; text: '(' | ')' | ',' };

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      out.push({ kind: 'punct', text: c });
      i++;
      continue;
    }
    if (c === "'") {
      let s = '';
      i++;
      for (;;) {
        if (i >= text.length)
          throw odataError(
            'ODATA_QUERY_INVALID',
            `Unterminated string literal in $filter: ${text}`,
          );
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            s += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        s += text[i++];
      }
      out.push({ kind: 'str', text: s });
      continue;
    }
    const m = /^[^\s(),']+/.exec(text.slice(i));
    if (!m)
      throw odataError('ODATA_QUERY_INVALID', `Syntax error at position ${i} in $filter: ${text}`);
    out.push({ kind: 'word', text: m[0] });
    i += m[0].length;
  }
  return out;
}

const CMP = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const FNS = new Set(['contains', 'startswith', 'endswith']);

function literal(t: Token | undefined, source: string): Value {
  if (!t || t.kind === 'punct')
    throw odataError('ODATA_QUERY_INVALID', `Expected a value in $filter: ${source}`);
  if (t.kind === 'str') return t.text;
  const w = t.text;
  if (w === 'null') return null;
  if (w === 'true') return true;
  if (w === 'false') return false;
  if (/^-?\d+(\.\d+)?$/.exec(w)) return Number(w);
  // GUIDs, dates and other bare literals compare as text
  return w;
}

/** Parses a $filter expression; fields are checked against the entity set's columns. */
function parseFilter(text: string, columns: ReadonlySet<string>, setName: string): Expr {
  const toks = tokenize(text);
  let pos = 0;
  const peekWord = (): string | null =>
    toks[pos]?.kind === 'word' ? toks[pos].text.toLowerCase() : null;
  const field = (t: Token | undefined): string => {
    if (!t || t.kind !== 'word')
      throw odataError('ODATA_QUERY_INVALID', `Expected a property name in $filter: ${text}`);
    if (!columns.has(t.text))
      throw odataError(
        'ODATA_PROPERTY_NOT_FOUND',
        `Could not find a property named '${t.text}' on type 'Microsoft.Dynamics.CRM.${setName}'.`,
      );
    return t.text;
  };
  const expect = (p: '(' | ')' | ','): void => {
    const t = toks[pos++];
    if (!t || t.kind !== 'punct' || t.text !== p)
      throw odataError('ODATA_QUERY_INVALID', `Expected '${p}' in $filter: ${text}`);
  };
  const primary = (): Expr => {
    const t = toks[pos];
    if (!t) throw odataError('ODATA_QUERY_INVALID', `Unexpected end of $filter: ${text}`);
    if (t.kind === 'punct' && t.text === '(') {
      pos++;
      const e = orExpr();
      expect(')');
      return e;
    }
    if (t.kind === 'word' && t.text.toLowerCase() === 'not') {
      pos++;
      return { op: 'not', expr: primary() };
    }
    if (
      t.kind === 'word' &&
      FNS.has(t.text.toLowerCase()) &&
      toks[pos + 1]?.kind === 'punct' &&
      toks[pos + 1].text === '('
    ) {
      const fn = t.text.toLowerCase() as 'contains' | 'startswith' | 'endswith';
      pos += 2;
      const f = field(toks[pos++]);
      expect(',');
      const v = literal(toks[pos++], text);
      expect(')');
      return { op: 'fn', fn, field: f, value: String(v) };
    }
    const f = field(toks[pos++]);
    const op = peekWord();
    if (!op || !CMP.has(op))
      throw odataError(
        'ODATA_QUERY_INVALID',
        `Expected an operator (eq, ne, gt, ge, lt, le) after ${f} in $filter: ${text}`,
      );
    pos++;
    return { op: 'cmp', cmp: op as 'eq', field: f, value: literal(toks[pos++], text) };
  };
  const andExpr = (): Expr => {
    let left = primary();
    while (peekWord() === 'and') {
      pos++;
      left = { op: 'and', left, right: primary() };
    }
    return left;
  };
  const orExpr = (): Expr => {
    let left = andExpr();
    while (peekWord() === 'or') {
      pos++;
      left = { op: 'or', left, right: andExpr() };
    }
    return left;
  };
  const e = orExpr();
  if (pos < toks.length)
    throw odataError('ODATA_QUERY_INVALID', `Unexpected '${toks[pos].text}' in $filter: ${text}`);
  return e;
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
