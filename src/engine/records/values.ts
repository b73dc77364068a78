import { StrataError } from '../../model/errors.js';
import { polymorphic, type ColumnShape, type TableShape } from '../../model/table-shape.js';
import { environmentBusinessUnitId, environmentUserId } from '../../model/stable-guid.js';
import type { ColumnValue, StoredRow } from '../../store/records.js';
import { physicalName } from '../../store/record-names.js';

/**
 * Values going into and out of records. In: a JSON value per column, checked against the column
 * shape as Dataverse checks it (type, length, range, option set, GUID) and turned into the text
 * the store casts. Out: the stored JSON turned back into the value a client sent. A lookup is
 * written as its record id, or `{ id, table }` when it may name several tables; it reads back as
 * the id, with the table under `column@table` when the lookup is polymorphic.
 */
export type RecordValues = Record<string, unknown>;

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** System columns a client may still set (Dataverse takes them on create and update). */
export const CLIENT_SET = new Set(['statecode', 'statuscode', 'ownerid']);

/** The most characters strata takes in one value of a column without a maximum length. */
const UNBOUNDED_TEXT = 1_048_576;

function invalid(
  table: TableShape,
  column: string,
  message: string,
  code:
    | 'RECORD_VALUE_INVALID'
    | 'RECORD_VALUE_TOO_LONG'
    | 'RECORD_CHOICE_INVALID' = 'RECORD_VALUE_INVALID',
): StrataError {
  return new StrataError(code, `${table.name}.${column}: ${message}`, {
    hint: 'The table browser (strata data query) and $metadata show each column and its type.',
    details: { table: table.name, column },
  });
}

/** The columns a create or update may name, and the values it gives them, checked. */
export function columnValues(
  table: TableShape,
  values: RecordValues,
  op: 'create' | 'update',
): ColumnValue[] {
  const out: ColumnValue[] = [];
  const { byName } = facts(table);
  for (const name in values) {
    const value = values[name];
    const column = byName.get(name);
    if (!column) throw unknownColumn(table, name);
    // maintained by strata (createdon, versionnumber, ...): what a client sends is ignored, as
    // Dataverse ignores it; state, status and owner a client may set
    if (column.system && name !== table.primaryId && !CLIENT_SET.has(name)) continue;
    if (name === table.primaryId && op === 'update') continue;
    valueOf(table, column, value, out);
  }
  if (op === 'create') checkRequired(table, values);
  return out;
}

export function unknownColumn(table: TableShape, name: string): StrataError {
  return new StrataError(
    'RECORD_COLUMN_UNKNOWN',
    `${table.name} has no column named ${JSON.stringify(name)}.`,
    {
      hint: `Column names are logical names in lower case; $metadata lists ${table.name}'s.`,
      details: { table: table.name, column: name },
    },
  );
}

/** What every value of a table is checked against, worked out once per shape (bulk loads). */
export interface ShapeFacts {
  byName: Map<string, ColumnShape>;
  /** the columns a create must give (a yes/no column has a default: never missing) */
  required: ColumnShape[];
}
const FACTS = new WeakMap<TableShape, ShapeFacts>();

export function facts(table: TableShape): ShapeFacts {
  let f = FACTS.get(table);
  if (!f) {
    f = {
      byName: new Map(table.columns.map((c) => [c.name, c])),
      required: table.columns.filter(
        (c) => c.required && !c.system && c.kind !== 'boolean' && c.name !== table.primaryId,
      ),
    };
    FACTS.set(table, f);
  }
  return f;
}

export function checkRequired(table: TableShape, values: RecordValues): void {
  const { required } = facts(table);
  if (!required.length) return;
  const missing = required.filter((c) => values[c.name] == null);
  if (missing.length)
    throw new StrataError(
      'RECORD_REQUIRED_MISSING',
      `${table.name}: ${missing.map((c) => c.name).join(', ')} ` +
        `${missing.length === 1 ? 'is' : 'are'} required.`,
      {
        hint: 'Give a value for each required column when you create the record.',
        details: { table: table.name, columns: missing.map((c) => c.name) },
      },
    );
}

/** One column's value as the store's columns (its own, and its companions), added to `out`. */
export function valueOf(table: TableShape, c: ColumnShape, v: unknown, out: ColumnValue[]): void {
  if (v === null || v === undefined) {
    out.push({ column: c.name, value: null });
    if (c.kind === 'lookup' && polymorphic(c))
      out.push({ column: c.name, companion: 'table', value: null });
    return;
  }
  if (c.kind === 'lookup') {
    out.push(...lookup(table, c, v));
    return;
  }
  out.push({ column: c.name, value: scalar(table, c, v) });
}

/** The text of a value of a column that is one SQL column. */
export function scalar(table: TableShape, c: ColumnShape, v: unknown): string {
  switch (c.kind) {
    case 'id':
    case 'uuid':
      return guid(table, c, v);
    case 'text':
      return text(table, c, v);
    case 'integer':
    case 'bigint':
    case 'decimal':
    case 'money':
    case 'float':
      return number(table, c, v);
    case 'boolean':
      if (typeof v !== 'boolean')
        throw invalid(table, c.name, `expects true or false, not ${show(v)}.`);
      return v ? 'true' : 'false';
    case 'choice':
      return String(choice(table, c, v));
    case 'choices':
      return choices(table, c, v);
    case 'datetime':
      return datetime(table, c, v);
    default:
      throw invalid(table, c.name, 'is a file column: its content is not stored by strata.');
  }
}

function choices(table: TableShape, c: ColumnShape, v: unknown): string {
  const list =
    typeof v === 'string'
      ? v
          .split(',')
          .filter((s) => s.trim() !== '')
          .map((s) => Number(s.trim()))
      : Array.isArray(v)
        ? v
        : null;
  if (!list) throw invalid(table, c.name, `expects a list of choice values, not ${show(v)}.`);
  return `{${list.map((x) => choice(table, c, x)).join(',')}}`;
}

function show(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function guid(table: TableShape, c: ColumnShape, v: unknown): string {
  if (typeof v !== 'string' || !GUID.test(v))
    throw new StrataError(
      'RECORD_ID_INVALID',
      `${table.name}.${c.name}: ${show(v)} is not a GUID.`,
      {
        hint: 'A GUID is 32 hexadecimal digits as 8-4-4-4-12, e.g. 00000000-0000-0000-0000-000000000001.',
        details: { table: table.name, column: c.name },
      },
    );
  return v.toLowerCase();
}

function text(table: TableShape, c: ColumnShape, v: unknown): string {
  if (typeof v !== 'string') throw invalid(table, c.name, `expects text, not ${show(v)}.`);
  const max = c.maxLength ?? UNBOUNDED_TEXT;
  // characters are code points: a value of no more UTF-16 units than the limit fits
  const length = v.length <= max ? v.length : [...v].length;
  if (length > max)
    throw invalid(
      table,
      c.name,
      `the value has ${length} characters; the column takes at most ${max}.`,
      'RECORD_VALUE_TOO_LONG',
    );
  if (v.includes('\u0000')) throw invalid(table, c.name, 'text cannot hold the NUL character.');
  return v;
}

function number(table: TableShape, c: ColumnShape, v: unknown): string {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n)) throw invalid(table, c.name, `expects a number, not ${show(v)}.`);
  if ((c.kind === 'integer' || c.kind === 'bigint') && !Number.isInteger(n))
    throw invalid(table, c.name, `expects a whole number, not ${show(v)}.`);
  const min = c.min ?? (c.kind === 'integer' ? -2147483648 : -Number.MAX_SAFE_INTEGER);
  const max = c.max ?? (c.kind === 'integer' ? 2147483647 : Number.MAX_SAFE_INTEGER);
  if (n < min || n > max)
    throw invalid(table, c.name, `${n} is outside the column's range, ${min} to ${max}.`);
  return typeof v === 'string' ? v.trim() : String(n);
}

function choice(table: TableShape, c: ColumnShape, v: unknown): number {
  const n = typeof v === 'number' ? v : NaN;
  if (!Number.isInteger(n))
    throw invalid(table, c.name, `expects a choice value (a whole number), not ${show(v)}.`);
  if (c.options?.length && !c.options.includes(n))
    throw invalid(
      table,
      c.name,
      `${n} is not one of its choices (${c.options.slice(0, 12).join(', ')}` +
        `${c.options.length > 12 ? ', ...' : ''}).`,
      'RECORD_CHOICE_INVALID',
    );
  return n;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})?$/;

function datetime(table: TableShape, c: ColumnShape, v: unknown): string {
  const ok =
    typeof v === 'string' &&
    (plainDateTime(v) ||
      ((DATE_TIME.test(v) || DATE_ONLY.test(v)) && !Number.isNaN(Date.parse(v))));
  if (!ok)
    throw invalid(
      table,
      c.name,
      `expects ${c.behavior === 'DateOnly' ? 'a date (2026-11-29)' : 'a date and time (2026-11-29T10:30:00Z)'}, not ${show(v)}.`,
    );
  return c.behavior === 'DateOnly' ? (v as string).slice(0, 10) : (v as string);
}

/**
 * The common dates, checked without a regular expression or Date.parse (a bulk load checks a
 * million): `2026-11-29`, then optionally `T10:30`, `:00`, `.123` (1 to 7 digits), `Z` or
 * `+01:00`, each field within the range every month and day take (day 31 included: Date.parse
 * takes 2026-02-31 too). true only for a value datetime() takes; false sends the value to the
 * full check (DATE_ONLY or DATE_TIME, then Date.parse), which decides.
 */
export function plainDateTime(v: string): boolean {
  const length = v.length;
  if (length < 10) return false;
  if (!digits(v, 0, 4) || v.charCodeAt(4) !== DASH || v.charCodeAt(7) !== DASH) return false;
  if (!within(v, 5, 1, 12) || !within(v, 8, 1, 31)) return false;
  if (length === 10) return true;
  if (length < 16 || v.charCodeAt(10) !== T || v.charCodeAt(13) !== COLON) return false;
  if (!within(v, 11, 0, 23) || !within(v, 14, 0, 59)) return false;
  let at = 16;
  if (at < length && v.charCodeAt(at) === COLON) {
    if (!within(v, at + 1, 0, 59)) return false;
    at += 3;
    if (at < length && v.charCodeAt(at) === DOT) {
      let end = at + 1;
      // 1 to 7 digits (an eighth is left for the zone's check, which refuses it)
      while (end < length && end - at <= 7 && isDigit(v.charCodeAt(end))) end++;
      if (end === at + 1) return false;
      at = end;
    }
  }
  if (at === length) return true;
  const zone = v.charCodeAt(at);
  if (zone === Z) return at + 1 === length;
  if (zone !== PLUS && zone !== MINUS) return false;
  return (
    at + 6 === length &&
    within(v, at + 1, 0, 23) &&
    v.charCodeAt(at + 3) === COLON &&
    within(v, at + 4, 0, 59)
  );
}

const DASH = 0x2d;
const COLON = 0x3a;
const DOT = 0x2e;
const PLUS = 0x2b;
const MINUS = 0x2d;
const T = 0x54;
const Z = 0x5a;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function digits(v: string, at: number, count: number): boolean {
  for (let i = at; i < at + count; i++) if (!isDigit(v.charCodeAt(i))) return false;
  return true;
}

/** whether the two digits at `at` are a number from min to max */
function within(v: string, at: number, min: number, max: number): boolean {
  const a = v.charCodeAt(at);
  const b = v.charCodeAt(at + 1);
  if (!isDigit(a) || !isDigit(b)) return false;
  const n = (a - 0x30) * 10 + (b - 0x30);
  return n >= min && n <= max;
}

function lookup(table: TableShape, c: ColumnShape, v: unknown): ColumnValue[] {
  const ref =
    typeof v === 'string'
      ? { id: v, table: c.targets?.length === 1 ? c.targets[0] : undefined }
      : (v as { id?: unknown; table?: unknown });
  const id = guid(table, c, ref?.id);
  const target = typeof ref?.table === 'string' ? ref.table : undefined;
  if (target && c.targets?.length && !c.targets.includes(target))
    throw invalid(table, c.name, `may name a record of ${c.targets.join(', ')}, not of ${target}.`);
  if (!polymorphic(c)) return [{ column: c.name, value: id }];
  if (!target)
    throw invalid(
      table,
      c.name,
      `names records of several tables (${(c.targets ?? []).join(', ')}): say which.`,
    );
  return [
    { column: c.name, value: id },
    { column: c.name, companion: 'table', value: target },
  ];
}

/** A stored row as the values a client reads: logical names, polymorphic lookups' tables. */
export function recordValues(
  table: TableShape,
  row: StoredRow,
  select?: string[] | null,
): RecordValues {
  const out: RecordValues = {};
  for (const [name, stored] of readPlan(table, select ?? null)) out[name] = row[stored] ?? null;
  return out;
}

/**
 * Each value a record reads, and the key of the stored row it comes from (physical names
 * worked out once per shape and selection, not once per value: a page reads 50,000 values).
 */
function readPlan(table: TableShape, select: string[] | null): Array<[string, string]> {
  let plans = READ_PLANS.get(table);
  if (!plans) READ_PLANS.set(table, (plans = new Map()));
  const key = select ? select.join(',') : '';
  let plan = plans.get(key);
  if (!plan) {
    plan = [];
    for (const c of table.columns) {
      if (select && !select.includes(c.name) && c.name !== table.primaryId) continue;
      plan.push([c.name, physicalName(c.name)]);
      const companions =
        c.kind === 'lookup' && polymorphic(c)
          ? (['table'] as const)
          : c.kind === 'file'
            ? (['name', 'size'] as const)
            : [];
      for (const companion of companions)
        plan.push([`${c.name}@${companion}`, physicalName(`${c.name}@${companion}`)]);
    }
    // a few selections per shape are kept (a page's, the CLI's); not every one ever asked for
    if (plans.size > 32) plans.clear();
    plans.set(key, plan);
  }
  return plan;
}
const READ_PLANS = new WeakMap<TableShape, Map<string, Array<[string, string]>>>();

/**
 * The lookups strata fills from who writes: created by, modified by, owner and owning business
 * unit, as Dataverse fills them from the caller. strata has one user per environment (the one
 * WhoAmI answers with, model/stable-guid.ts); a client may still set the owner.
 */
export function writerValues(
  table: TableShape,
  envId: number,
  op: 'create' | 'update',
): ColumnValue[] {
  const { byName } = facts(table);
  const user = environmentUserId(envId);
  const out: ColumnValue[] = [];
  const add = (name: string, id: string, target: string): void => {
    const c = byName.get(name);
    if (!c || c.kind !== 'lookup') return;
    out.push({ column: name, value: id });
    if (polymorphic(c)) out.push({ column: name, companion: 'table', value: target });
  };
  if (op === 'create') {
    add('createdby', user, 'systemuser');
    add('ownerid', user, 'systemuser');
    add('owninguser', user, 'systemuser');
    add('owningbusinessunit', environmentBusinessUnitId(envId), 'businessunit');
  }
  add('modifiedby', user, 'systemuser');
  return out;
}
