import { StrataError } from '../model/errors.js';
import type { Expansion, Filter, Literal, RecordQuery } from '../model/record-query.js';
import { columnOf, polymorphic, type ColumnShape, type TableShape } from '../model/table-shape.js';
import { columnIdent, physicalName, quoteIdent, tableRef } from './record-names.js';
import { sqlColumns } from './record-tables.js';

/**
 * A record query (model/record-query.ts) as SQL over the tables of store/record-tables.ts
 * (whose doc comment gives the layout: one column per column shape, the SQL type from its
 * kind, companions `x@table`, `x@name`, `x@size`). Every value is a parameter ($1, $2, ...)
 * cast to its column's type; every name goes through store/record-names.ts.
 *
 * What the SQL means, as Dataverse means it:
 * - text compares and sorts without regard to case (Dataverse's collation is case-insensitive):
 *   both sides are lower()ed, and ordered by code point (COLLATE "C") so that PGlite and every
 *   PostgreSQL server sort alike; contains/startswith/endswith are LIKE on lower()ed text with
 *   the pattern's % _ and \ escaped, so that a value is only ever matched as written;
 * - comparisons follow SQL: a row whose column is null matches neither `eq 'x'` nor `ne 'x'`
 *   (nor `not (...)` of them), as in Dataverse; `eq null` / `ne null` are IS [NOT] NULL;
 * - a multi-select `eq` holds when the sets are equal, whatever their order; an empty set
 *   compares as null;
 * - a date without a time or offset compared with a UserLocal (timestamptz) column is that day
 *   at 00:00 UTC, and a date-time without an offset is UTC, whatever the session's time zone;
 * - rows come in the requested order, nulls first ascending and last descending (as SQL Server
 *   sorts them), then by primary id, so that pages taken with OFFSET neither skip nor repeat
 *   a row while the table stands still.
 *
 * What comes back: one column, `row`, a JSON object of the record (json, not jsonb: cheaper to build) as findRecord (store/records.ts)
 * gives one, keyed by physical name (read it with storedValue): the selected columns with their
 * companions, and the primary id and versionnumber (for @odata.etag) always. An expansion is
 * one more key, expansionKey(navigation): null when the lookup is empty or its record is gone,
 * else the target's selected columns, primary id and versionnumber (Dataverse gives an expanded
 * record an etag too). A page asks for one row more than `pageSize`: more rows than the page
 * size means there is a next page (record-reads.ts drops the extra one).
 */
export interface RecordSqlOptions {
  /** rows in one page; the SQL fetches one more, to tell whether another page follows */
  pageSize: number;
  /** the shapes of the tables that $expand reaches */
  shapeOf?: (table: string) => TableShape | undefined;
  /**
   * The page as one value, `page` (a JSON array in text), instead of a row each, `row` (JSON):
   * for a store whose rows are decoded in-process (Queryable.rowsDecodedHere)
   */
  oneValue?: boolean;
}

export interface SqlText {
  sql: string;
  params: unknown[];
}

/** The key of an expansion's jsonb in a result row (`@` keeps it apart from every column). */
export function expansionKey(navigation: string): string {
  return physicalName(`${navigation}@expand`);
}

class Params {
  readonly values: unknown[] = [];
  add(v: unknown): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

export function selectRecordsSql(
  schema: string,
  shape: TableShape,
  q: RecordQuery,
  opts: RecordSqlOptions,
): SqlText {
  const p = new Params();
  const select = columnList('r', selectedColumns(shape, q.select));
  const joins: string[] = [];
  q.expand.forEach((e, i) => {
    const x = expansionSql(schema, shape, e, `x${i}`, p, opts.shapeOf);
    select.push(x.select);
    joins.push(x.join);
  });
  const where = q.filter ? `\nWHERE ${filterSql(shape, q.filter, p)}` : '';
  const order = [
    ...q.orderBy.map(({ column, desc }) => {
      const expr = sortExpression(mustColumn(shape, column));
      return desc ? `${expr} DESC NULLS LAST` : `${expr} ASC NULLS FIRST`;
    }),
    `r.${columnIdent(shape.primaryId)} ASC`,
  ];
  const remaining = q.top === null ? Infinity : Math.max(0, q.top - q.skip);
  const limit = Math.min(opts.pageSize + 1, remaining);
  // the page is chosen first, and only its rows are turned into JSON: rows that OFFSET passes
  // over are not built (a page 20 deep built 100,000 objects it threw away)
  const page =
    `SELECT r.* FROM ${tableRef(schema, shape.name)} AS r${where}` +
    `\nORDER BY ${order.join(', ')}\nLIMIT ${p.add(limit)} OFFSET ${p.add(q.skip)}`;
  const from = `\nFROM (${page}) AS r` + joins.map((j) => `\n${j}`).join('');
  const sorted = `\nORDER BY ${order.join(', ')}`;
  // the page as one JSON array in one value: one row to send and one text to parse, not 5,000;
  // json_agg of the rows themselves (their columns are the keys), with no subquery per row to
  // make each one's object (5,000 rows: 54 → 45 ms on PGlite). json_agg takes the rows in the
  // order the sorted subquery gives them (PostgreSQL's documentation shows ordered aggregates
  // so); an ORDER BY inside it would sort them again
  if (opts.oneValue)
    return {
      sql: `SELECT json_agg(rec)::text AS page FROM (SELECT ${select.join(', ')}${from}${sorted}) AS rec`,
      params: p.values,
    };
  return { sql: `SELECT ${asJson('rec', select)} AS row${from}${sorted}`, params: p.values };
}

/**
 * How many rows the filter matches, as `count` (an integer); with `limit`, counting stops there
 * (Dataverse counts up to 5,000), so a count over a large table reads no more than that.
 */
export function countRecordsSql(
  schema: string,
  shape: TableShape,
  filter: Filter | null,
  limit?: number,
): SqlText {
  const p = new Params();
  const where = filter ? ` WHERE ${filterSql(shape, filter, p)}` : '';
  const from = `${tableRef(schema, shape.name)} AS r${where}`;
  if (limit === undefined)
    return { sql: `SELECT count(*)::integer AS count FROM ${from}`, params: p.values };
  return {
    sql: `SELECT count(*)::integer AS count FROM (SELECT 1 FROM ${from} LIMIT ${p.add(limit)}) AS c`,
    params: p.values,
  };
}

function mustColumn(shape: TableShape, name: string): ColumnShape {
  const c = columnOf(shape, name);
  if (!c)
    throw new StrataError('BAD_REQUEST', `The table ${shape.name} has no column '${name}'.`, {
      hint: `The columns of ${shape.name}: ${shape.columns.map((x) => x.name).join(', ')}.`,
    });
  return c;
}

/** The columns a query reads: all, or the selection with the primary id and versionnumber. */
function selectedColumns(shape: TableShape, select: string[] | null): ColumnShape[] {
  if (select === null) return shape.columns;
  const always = [shape.primaryId, ...(columnOf(shape, 'versionnumber') ? ['versionnumber'] : [])];
  return [...new Set([...always, ...select])].map((n) => mustColumn(shape, n));
}

function sortExpression(c: ColumnShape): string {
  return c.kind === 'text'
    ? `lower(r.${columnIdent(c.name)}) COLLATE "C"`
    : `r.${columnIdent(c.name)}`;
}

/** The LEFT JOIN of a lookup's target, and the jsonb of its columns. */
function expansionSql(
  schema: string,
  shape: TableShape,
  e: Expansion,
  alias: string,
  p: Params,
  shapeOf: RecordSqlOptions['shapeOf'],
): { join: string; select: string } {
  const lookup = mustColumn(shape, e.column);
  const target = shapeOf?.(e.table);
  if (lookup.kind !== 'lookup' || !target || !(lookup.targets ?? []).includes(e.table))
    throw new StrataError(
      'BAD_REQUEST',
      `The column ${shape.name}.${e.column} is not a lookup to a table strata knows as ${e.table}.`,
    );
  const key = `${alias}.${columnIdent(target.primaryId)}`;
  const kind = polymorphic(lookup)
    ? ` AND r.${columnIdent(lookup.name, 'table')} = ${p.add(e.table)}::text`
    : '';
  const join =
    `LEFT JOIN ${tableRef(schema, e.table)} AS ${alias} ` +
    `ON ${key} = r.${columnIdent(lookup.name)}${kind}`;
  const names = e.select === null ? null : [target.primaryId, ...e.select];
  const fields = columnList(alias, selectedColumns(target, names));
  const select =
    `CASE WHEN ${key} IS NULL THEN NULL ELSE ${asJson(`${alias}_row`, fields)} END ` +
    `AS ${quoteIdent(expansionKey(e.navigation))}`;
  return { join, select };
}

/** `alias."col"` for each physical column of the columns, companions included. */
function columnList(alias: string, columns: ColumnShape[]): string[] {
  return columns.flatMap((c) => sqlColumns(c).map(([ident]) => `${alias}.${ident}`));
}

/**
 * One JSON object of the fields, keyed by their column names: to_json of a one-row subquery, which
 * needs no key written into the SQL and has no limit on the number of fields.
 */
function asJson(alias: string, fields: string[]): string {
  return `(SELECT to_json(${alias}) FROM (SELECT ${fields.join(', ')}) AS ${alias})`;
}

const SQL_OPERATOR = { eq: '=', ne: '<>', gt: '>', ge: '>=', lt: '<', le: '<=' } as const;

function filterSql(shape: TableShape, f: Filter, p: Params): string {
  switch (f.op) {
    case 'and':
    case 'or':
      return `(${filterSql(shape, f.left, p)} ${f.op.toUpperCase()} ${filterSql(shape, f.right, p)})`;
    case 'not':
      return `(NOT ${filterSql(shape, f.expr, p)})`;
    case 'fn':
      return stringFunctionSql(mustColumn(shape, f.column), f.fn, f.value, p);
    case 'cmp':
      return comparisonSql(mustColumn(shape, f.column), f.cmp, f.value, p);
  }
}

/** LIKE with the value's own %, _ and \ escaped: the value is matched as written. */
function stringFunctionSql(
  c: ColumnShape,
  fn: 'contains' | 'startswith' | 'endswith',
  value: string,
  p: Params,
): string {
  if (c.kind !== 'text' || typeof value !== 'string')
    throw badValue(c, value, `${fn} works on text columns`);
  const escaped = value.replace(/[\\%_]/g, (ch) => `\\${ch}`);
  const pattern =
    fn === 'contains' ? `%${escaped}%` : fn === 'startswith' ? `${escaped}%` : `%${escaped}`;
  return `(lower(r.${columnIdent(c.name)}) LIKE lower(${p.add(pattern)}::text) ESCAPE '\\')`;
}

function comparisonSql(
  c: ColumnShape,
  cmp: keyof typeof SQL_OPERATOR,
  value: Literal,
  p: Params,
): string {
  const col = `r.${columnIdent(c.name)}`;
  if (c.kind === 'choices') return choicesSql(c, col, cmp, value, p);
  if (value === null) {
    if (cmp === 'eq') return `(${col} IS NULL)`;
    if (cmp === 'ne') return `(${col} IS NOT NULL)`;
    throw badValue(c, value, 'null compares with eq and ne only');
  }
  const op = SQL_OPERATOR[cmp];
  if (c.kind === 'text') {
    if (typeof value !== 'string') throw badValue(c, value, 'a text column takes a string');
    return `(lower(${col}) COLLATE "C" ${op} lower(${p.add(value)}::text))`;
  }
  return `(${col} ${op} ${typedParam(c, value, p)})`;
}

/** Set equality: each contains the other; an empty set is "no choice", as null is. */
function choicesSql(
  c: ColumnShape,
  col: string,
  cmp: keyof typeof SQL_OPERATOR,
  value: Literal,
  p: Params,
): string {
  if (cmp !== 'eq' && cmp !== 'ne')
    throw badValue(c, value, 'a multi-select compares with eq and ne');
  const text = value === null ? '' : String(value);
  if (!/^(-?\d+(,-?\d+)*)?$/.test(text.replace(/\s/g, '')))
    throw badValue(c, value, "a multi-select takes a set written '1,3'");
  const values = text.replace(/\s/g, '');
  if (values === '')
    return cmp === 'eq'
      ? `(${col} IS NULL OR cardinality(${col}) = 0)`
      : `(cardinality(${col}) > 0)`;
  const set = `${p.add(`{${values}}`)}::integer[]`;
  const equal = `(${col} @> ${set} AND ${col} <@ ${set})`;
  return cmp === 'eq' ? equal : `(cardinality(${col}) > 0 AND NOT ${equal})`;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;
const INT32 = 2 ** 31;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/i;

/** The value as a parameter cast to what the column compares with. */
function typedParam(c: ColumnShape, value: Literal, p: Params): string {
  switch (c.kind) {
    case 'id':
    case 'uuid':
    case 'lookup':
    case 'file':
      if (typeof value !== 'string' || !GUID.test(value)) throw badValue(c, value, 'a GUID');
      return `${p.add(value)}::uuid`;
    case 'boolean':
      if (typeof value !== 'boolean') throw badValue(c, value, 'true or false');
      return `${p.add(value)}::boolean`;
    case 'datetime':
      return datetimeParam(c, value, p);
    default:
      return numberParam(c, value, p);
  }
}

/**
 * A number compares in the column's own type when it fits (so that an index serves it), else
 * as numeric, so that 1e20 against an integer column is simply false, never an overflow.
 */
function numberParam(c: ColumnShape, value: Literal, p: Params): string {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== 'string' || !NUMBER.test(text)) throw badValue(c, value, 'a number');
  if (c.kind === 'float') return `${p.add(text)}::double precision`;
  const integral = /^-?\d+$/.test(text);
  if ((c.kind === 'integer' || c.kind === 'choice') && integral && Math.abs(Number(text)) < INT32)
    return `${p.add(text)}::integer`;
  if (c.kind === 'bigint' && integral && BigInt(text) < 2n ** 63n && BigInt(text) >= -(2n ** 63n))
    return `${p.add(text)}::bigint`;
  return `${p.add(text)}::numeric`;
}

function datetimeParam(c: ColumnShape, value: Literal, p: Params): string {
  if (typeof value !== 'string' || !(ISO_DATE.test(value) || ISO_DATETIME.test(value)))
    throw badValue(c, value, 'an ISO date or date-time');
  if (c.behavior === 'DateOnly') return `${p.add(value)}::date`;
  if (c.behavior === 'TimeZoneIndependent') return `${p.add(value)}::timestamp`;
  const utc = ISO_DATE.test(value)
    ? `${value}T00:00:00Z`
    : /(Z|[+-]\d{2}:\d{2})$/i.test(value)
      ? value
      : `${value}Z`;
  return `${p.add(utc)}::timestamptz`;
}

function badValue(c: ColumnShape, value: unknown, wanted: string): StrataError {
  return new StrataError(
    'BAD_REQUEST',
    `The column '${c.name}' cannot be compared with ${JSON.stringify(value)}: ${wanted}.`,
  );
}
