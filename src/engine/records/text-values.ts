import { StrataError } from '../../model/errors.js';
import { polymorphic, type ColumnShape, type TableShape } from '../../model/table-shape.js';
import type { RecordValues } from './values.js';

/**
 * Records as flat files hold them (`strata data import` and `export`): every value a scalar, a
 * polymorphic lookup's table in a `column@table` column beside it. A CSV file holds text only,
 * so fromText gives each value its column's type before the record API checks it as it checks
 * any other (values.ts); exportColumns and toFileValues lay records out for such a file, so that
 * what export writes, import reads back.
 */
export type FileValue = string | number | boolean | null;
export type FileRecord = Record<string, FileValue>;

/** A choice column's values in a file: `1,2` (the order kept, spaces allowed). */
const CHOICES_SEPARATOR = ',';

/** The column beside a polymorphic lookup that names the table of its record. */
const TABLE_SUFFIX = '@table';

const BOOLEANS: Record<string, boolean> = {
  true: true,
  false: false,
  yes: true,
  no: false,
  '1': true,
  '0': false,
};

/** A number as CSV holds it: digits, an optional point and exponent; no 0x, no thousands commas. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A record read from text (CSV): each value in the type its column takes. Numbers for whole
 * number, float and choice columns; decimal, money and big integer values stay text, so no digit
 * is lost to floating point (the record API checks them as numbers all the same);
 * true/false/yes/no/1/0 for yes/no; a list of numbers for multi-select choice (`1,2`); a lookup's
 * GUID with the table from `column@table` when the lookup is polymorphic. An empty value is null.
 * Names the table lacks are left for the record API to refuse. Errors are RECORD_VALUE_INVALID
 * naming the table, the column and the value.
 */
export function fromText(shape: TableShape, record: FileRecord): RecordValues {
  return fromFile(shape, record, true);
}

/**
 * A record read from JSON Lines: its values are JSON values already, and stay as they are for
 * the record API to check; only a polymorphic lookup's `column@table` joins its id.
 */
export function fromJsonLine(shape: TableShape, record: FileRecord): RecordValues {
  return fromFile(shape, record, false);
}

function fromFile(shape: TableShape, record: FileRecord, text: boolean): RecordValues {
  const out: RecordValues = {};
  for (const name in record) {
    const value = record[name];
    // a polymorphic lookup's table goes with its id (withTable)
    if (name.endsWith(TABLE_SUFFIX) && isLookup(shape, name.slice(0, -TABLE_SUFFIX.length)))
      continue;
    const column = columnOf(shape, name);
    out[name] =
      column && text && typeof value === 'string' ? typedValue(shape, column, value) : value;
    if (column?.kind === 'lookup') out[name] = withTable(record, column, out[name]);
  }
  return out;
}

function typedValue(shape: TableShape, c: ColumnShape, text: string): unknown {
  if (c.kind === 'text') return text;
  const t = text.trim();
  if (t === '') return null;
  switch (c.kind) {
    case 'integer':
    case 'float':
    case 'choice':
      return Number(numberText(shape, c, t));
    case 'bigint':
    case 'decimal':
    case 'money':
      return numberText(shape, c, t);
    case 'boolean': {
      const b = BOOLEANS[t.toLowerCase()];
      if (b === undefined)
        throw invalid(shape, c, `expects true or false (yes/no, 1/0), not ${show(text)}.`);
      return b;
    }
    case 'choices':
      return t
        .split(CHOICES_SEPARATOR)
        .map((s) => s.trim())
        .filter((s) => s !== '')
        .map((s) => Number(numberText(shape, c, s)));
    default:
      return t;
  }
}

function numberText(shape: TableShape, c: ColumnShape, t: string): string {
  if (!DECIMAL.test(t)) {
    const what = c.kind === 'choice' || c.kind === 'choices' ? 'a choice value' : 'a number';
    throw invalid(shape, c, `expects ${what}, not ${show(t)}.`);
  }
  return t;
}

/** A lookup's id, with its table when a `column@table` value names one. */
function withTable(record: FileRecord, c: ColumnShape, id: unknown): unknown {
  const table = record[c.name + TABLE_SUFFIX];
  if (id === null || id === undefined || typeof table !== 'string' || table.trim() === '')
    return id;
  return { id, table: table.trim() };
}

/** Each shape's columns by name, worked out once: a load converts every field of every row. */
const BY_NAME = new WeakMap<TableShape, Map<string, ColumnShape>>();

function columnOf(shape: TableShape, name: string): ColumnShape | undefined {
  let byName = BY_NAME.get(shape);
  if (!byName) BY_NAME.set(shape, (byName = new Map(shape.columns.map((c) => [c.name, c]))));
  return byName.get(name);
}

function isLookup(shape: TableShape, name: string): boolean {
  return columnOf(shape, name)?.kind === 'lookup';
}

function show(text: string): string {
  const s = JSON.stringify(text);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function invalid(shape: TableShape, c: ColumnShape, message: string): StrataError {
  return new StrataError('RECORD_VALUE_INVALID', `${shape.name}.${c.name}: ${message}`, {
    hint: `strata data query ${shape.name} --top 1 --json shows its columns and their values.`,
    details: { table: shape.name, column: c.name },
  });
}

/**
 * The columns a file of the table's records has, in the shape's order: each column (or those of
 * `select`), a polymorphic lookup's `@table` right after it. File and image columns are left
 * out: strata keeps no content for them, and nothing could load it back.
 */
export function exportColumns(shape: TableShape, select?: readonly string[] | null): string[] {
  const out: string[] = [];
  for (const c of shape.columns) {
    if (c.kind === 'file' || (select && !select.includes(c.name))) continue;
    out.push(c.name);
    if (c.kind === 'lookup' && polymorphic(c)) out.push(c.name + TABLE_SUFFIX);
  }
  return out;
}

/** A record as a file holds it: a multi-select choice as `1,2`, every other value as it is. */
export function toFileValues(record: RecordValues): FileRecord {
  const out: FileRecord = {};
  for (const name in record) {
    const v = record[name];
    out[name] = Array.isArray(v) ? v.join(CHOICES_SEPARATOR) : ((v ?? null) as FileValue);
  }
  return out;
}
