import type { Filter, Literal } from '../../model/record-query.js';
import type { ColumnShape } from '../../model/table-shape.js';
import { odataError } from './errors.js';
import {
  type Comparison,
  type FilterSyntax,
  type LiteralToken,
  type LiteralValue,
  literalValue,
  parseFilterSyntax,
  syntaxError,
} from './odata-syntax.js';
import { type ColumnResolver, columnNamed } from './record-columns.js';

/**
 * $filter over a table's records. Each comparison is checked against its column's type as
 * Dataverse checks it, so that the SQL built from the answer never meets a value its column
 * cannot hold: text takes 'strings', ids and lookups bare GUIDs, numbers numbers, yes/no true
 * or false, dates ISO dates or date-times, a multi-select choice `eq`/`ne` a set written
 * '1,3' (or one number). null compares with eq and ne only.
 *
 * Values in the answer: strings as written; GUIDs in lower case; numbers as numbers, or as
 * their text when an integer is beyond what a double holds exactly; dates as their ISO text;
 * a multi-select set as its values sorted, '1,3'.
 */
export function recordFilter(text: string, resolve: ColumnResolver): Filter {
  const walk = (s: FilterSyntax): Filter => {
    switch (s.op) {
      case 'and':
      case 'or':
        return { op: s.op, left: walk(s.left), right: walk(s.right) };
      case 'not':
        return { op: 'not', expr: walk(s.expr) };
      case 'fn':
        return functionFilter(text, resolve, s);
      case 'cmp':
        return comparisonFilter(text, resolve, s);
    }
  };
  return walk(parseFilterSyntax(text));
}

type Leaf<Op> = Extract<FilterSyntax, { op: Op }>;

function functionFilter(text: string, resolve: ColumnResolver, s: Leaf<'fn'>): Filter {
  const column = columnNamed(resolve, s.name.text);
  if (column.kind === 'choices')
    throw odataError(
      'ODATA_QUERY_INVALID',
      `The function '${s.fn}' is not supported on the multi-select choice column ` +
        `'${column.name}'.`,
      `Compare the whole set instead: ${column.name} eq '1,3'.`,
    );
  if (column.kind !== 'text')
    throw odataError(
      'ODATA_QUERY_INVALID',
      `The function '${s.fn}' takes a text column; '${s.name.text}' is ${edmType(column)}.`,
    );
  const v = operand(text, resolve, s.value);
  if (v.type !== 'string') throw incompatible(column, v, s.fn, s.name.text);
  return { op: 'fn', fn: s.fn, column: column.name, value: v.value };
}

function comparisonFilter(text: string, resolve: ColumnResolver, s: Leaf<'cmp'>): Filter {
  const column = columnNamed(resolve, s.name.text);
  const v = operand(text, resolve, s.value);
  const leaf = (value: Literal): Filter => ({ op: 'cmp', cmp: s.cmp, column: column.name, value });
  if (v.type === 'null') {
    if (s.cmp !== 'eq' && s.cmp !== 'ne')
      throw odataError(
        'ODATA_QUERY_INVALID',
        `null can only be compared with eq or ne ('${s.name.text} ${s.cmp} null').`,
      );
    return leaf(null);
  }
  if (column.kind === 'choices') return leaf(choiceSet(column, s.cmp, v, s.name.text));
  const value = typedValue(column, v);
  if (value === undefined) throw incompatible(column, v, s.cmp, s.name.text);
  return leaf(value);
}

/** A literal, or the reason a bare word is none: OData reads an identifier as a property. */
function operand(text: string, resolve: ColumnResolver, t: LiteralToken): LiteralValue {
  const v = literalValue(t);
  if (v.type !== 'word') return v;
  if (!/^[A-Za-z_][\w]*$/.test(v.text))
    throw syntaxError(
      text,
      t.pos,
      `Expected a value: 'text', a number, a GUID, a date, true, false or null.`,
    );
  columnNamed(resolve, v.text);
  throw odataError(
    'ODATA_QUERY_INVALID',
    `Comparing a column with another column ('${v.text}') is not supported by strata.`,
    "Compare a column with a value: 'text', a number, a GUID, a date, true, false or null.",
  );
}

const NUMERIC = new Set(['integer', 'bigint', 'decimal', 'money', 'float', 'choice']);

/** The value a column of this kind takes from this literal, or undefined when it takes none. */
function typedValue(column: ColumnShape, v: LiteralValue): Literal | undefined {
  switch (column.kind) {
    case 'text':
      return v.type === 'string' ? v.value : undefined;
    case 'boolean':
      return v.type === 'boolean' ? v.value : undefined;
    case 'id':
    case 'uuid':
    case 'lookup':
    case 'file':
      return v.type === 'guid' ? v.text : undefined;
    case 'datetime':
      return v.type === 'date' || v.type === 'datetime' ? v.text : undefined;
    default:
      if (!NUMERIC.has(column.kind)) return undefined;
      if (v.type !== 'integer' && v.type !== 'decimal') return undefined;
      return v.type === 'integer' && !Number.isSafeInteger(Number(v.text))
        ? v.text
        : Number(v.text);
  }
}

/** A multi-select value: eq and ne compare the whole set, whatever the order it is written in. */
function choiceSet(column: ColumnShape, cmp: Comparison, v: LiteralValue, name: string): string {
  if (cmp !== 'eq' && cmp !== 'ne')
    throw odataError(
      'ODATA_QUERY_INVALID',
      `The multi-select choice column '${name}' can only be compared with eq or ne.`,
    );
  const text = v.type === 'integer' ? v.text : v.type === 'string' ? v.value : null;
  const parts = text === null ? [] : text.split(',').map((p) => p.trim());
  if (text === null || (text.trim() !== '' && !parts.every((p) => /^-?\d{1,10}$/.test(p))))
    throw odataError(
      'ODATA_QUERY_INVALID',
      `The multi-select choice column '${name}' is compared with a set of choice values ` +
        `written as '1,3'; got ${v.type === 'string' ? `'${v.value}'` : describe(v)}.`,
    );
  const values = text.trim() === '' ? [] : [...new Set(parts.map(Number))].sort((a, b) => a - b);
  return values.join(',');
}

const OPERATOR_KIND: Record<string, string> = {
  eq: 'Equal',
  ne: 'NotEqual',
  gt: 'GreaterThan',
  ge: 'GreaterThanOrEqual',
  lt: 'LessThan',
  le: 'LessThanOrEqual',
};

/** Microsoft.OData's message for a value of the wrong type, naming the column. */
function incompatible(column: ColumnShape, v: LiteralValue, op: string, name: string) {
  const what = OPERATOR_KIND[op]
    ? `A binary operator with incompatible types was detected. Found operand types ` +
      `'${edmType(column)}' and '${literalType(v)}' for operator kind '${OPERATOR_KIND[op]}'`
    : `The function '${op}' takes a string; found '${literalType(v)}'`;
  return odataError(
    'ODATA_QUERY_INVALID',
    `${what} (column '${name}').`,
    `Write ${column.name}'s values as ${EXAMPLE[column.kind] ?? 'numbers'}.`,
  );
}

const EXAMPLE: Partial<Record<ColumnShape['kind'], string>> = {
  text: "quoted strings ('Contoso', 'O''Brien')",
  boolean: 'true or false',
  id: 'bare GUIDs (5f0e8a1c-1d5b-4c1e-9d43-7e0a4f6b2c11)',
  uuid: 'bare GUIDs (5f0e8a1c-1d5b-4c1e-9d43-7e0a4f6b2c11)',
  lookup: 'bare GUIDs (5f0e8a1c-1d5b-4c1e-9d43-7e0a4f6b2c11)',
  file: 'bare GUIDs (5f0e8a1c-1d5b-4c1e-9d43-7e0a4f6b2c11)',
  datetime: 'ISO dates or date-times (2024-05-01, 2024-05-01T08:30:00Z)',
};

function edmType(c: ColumnShape): string {
  switch (c.kind) {
    case 'text':
    case 'choices':
      return 'Edm.String';
    case 'integer':
    case 'choice':
      return 'Edm.Int32';
    case 'bigint':
      return 'Edm.Int64';
    case 'decimal':
    case 'money':
      return 'Edm.Decimal';
    case 'float':
      return 'Edm.Double';
    case 'boolean':
      return 'Edm.Boolean';
    case 'datetime':
      return c.behavior === 'DateOnly' ? 'Edm.Date' : 'Edm.DateTimeOffset';
    default:
      return 'Edm.Guid';
  }
}

function literalType(v: LiteralValue): string {
  switch (v.type) {
    case 'string':
    case 'word':
      return 'Edm.String';
    case 'integer':
      return Number.isSafeInteger(Number(v.text)) && Math.abs(Number(v.text)) < 2 ** 31
        ? 'Edm.Int32'
        : 'Edm.Int64';
    case 'decimal':
      return 'Edm.Decimal';
    case 'guid':
      return 'Edm.Guid';
    case 'date':
      return 'Edm.Date';
    case 'datetime':
      return 'Edm.DateTimeOffset';
    case 'boolean':
      return 'Edm.Boolean';
    case 'null':
      return 'null';
  }
}

function describe(v: LiteralValue): string {
  return 'text' in v ? v.text : v.type;
}
