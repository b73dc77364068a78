import type { ReadRecord } from '../../engine/records/query.js';
import type { RecordValues } from '../../engine/records/values.js';
import { polymorphic, type ColumnShape, type TableShape } from '../../model/table-shape.js';
import { formattedValue } from './formatted-values.js';

/**
 * A record as the Dataverse Web API writes it: `@odata.etag` (W/"versionnumber") first, then
 * each column by its OData name — a lookup as `_x_value`, a file column as `x` (the file's id)
 * and `x_name` — and the records $expand brought, under their navigation properties. Values are
 * JSON as Dataverse gives them: numbers as numbers, a multi-select choice as text ('1,3'),
 * date-times in UTC ending in Z, dates as YYYY-MM-DD. Annotations come before the value they
 * annotate, and only when the request's Prefer header asks for them (`*`, or their names):
 * FormattedValue (formatted-values.ts); a lookup's `lookuplogicalname` (the table it points to)
 * and `associatednavigationproperty`.
 *
 * A page holds up to 5,000 records: what each column needs is worked out once per page
 * (recordFormatter), not once per value.
 */
export const FORMATTED = 'OData.Community.Display.V1.FormattedValue';
export const LOOKUP_TABLE = 'Microsoft.Dynamics.CRM.lookuplogicalname';
export const NAVIGATION = 'Microsoft.Dynamics.CRM.associatednavigationproperty';

export interface RecordFormat {
  /** the shape of a table, for the records $expand brought */
  shapeOf(table: string): TableShape | undefined;
  optionLabels(table: string, column: string): ReadonlyMap<number, string> | undefined;
  wantsAnnotation(name: string): boolean;
  /** the columns read ($select; null: all) */
  select: readonly string[] | null;
  /** $expand: navigation property → the table it leads to, and the columns read there */
  expand: ReadonlyArray<{ navigation: string; table: string; select: string[] | null }>;
  /** the name of the record a lookup points to (its formatted value), when it was read */
  lookupName?(table: string, id: string): string | undefined;
}

type Out = Record<string, unknown>;
type Writer = (out: Out, values: RecordValues) => void;

/** The function that writes each record of a page of `shape`. */
export function recordFormatter(shape: TableShape, f: RecordFormat): (r: ReadRecord) => Out {
  const own = valuesWriter(shape, f.select, f);
  const expanded = f.expand.map((e) => {
    const target = f.shapeOf(e.table);
    return { navigation: e.navigation, write: target && valuesWriter(target, e.select, f) };
  });
  return (record) => {
    const out = own(record.values, record.version);
    for (const e of expanded) {
      const nested = record.expanded[e.navigation];
      out[e.navigation] = nested && e.write ? e.write(nested.values, nested.version) : null;
    }
    return out;
  };
}

function valuesWriter(
  shape: TableShape,
  select: readonly string[] | null,
  f: RecordFormat,
): (values: RecordValues, version: string | null) => Out {
  const columns = select
    ? shape.columns.filter((c) => c.name === shape.primaryId || select.includes(c.name))
    : shape.columns;
  const writers = columns.map((c) => columnWriter(shape, c, f));
  return (values, version) => {
    const out: Out = {};
    if (version !== null) out['@odata.etag'] = `W/"${version}"`;
    for (const w of writers) w(out, values);
    return out;
  };
}

function columnWriter(shape: TableShape, c: ColumnShape, f: RecordFormat): Writer {
  const name = c.name;
  if (c.kind === 'lookup') return lookupWriter(c, f);
  const labels = f.wantsAnnotation(FORMATTED) ? f.optionLabels(shape.name, name) : undefined;
  const formatted = f.wantsAnnotation(FORMATTED) ? `${name}@${FORMATTED}` : null;
  const fileName = c.kind === 'file' ? `${name}_name` : null;
  return (out, values) => {
    if (!(name in values)) return;
    const v = values[name];
    if (formatted) {
      const text = formattedValue(c, v, labels);
      if (text !== undefined) out[formatted] = text;
    }
    out[name] = odataValue(c, v);
    if (fileName) out[fileName] = values[`${name}@name`] ?? null;
  };
}

function lookupWriter(c: ColumnShape, f: RecordFormat): Writer {
  const name = `_${c.name}_value`;
  const several = polymorphic(c);
  const fixed = several ? null : (c.targets?.[0] ?? null);
  const companion = `${c.name}@table`;
  const navigation = f.wantsAnnotation(NAVIGATION) ? `${name}@${NAVIGATION}` : null;
  const lookupTable = f.wantsAnnotation(LOOKUP_TABLE) ? `${name}@${LOOKUP_TABLE}` : null;
  const formatted = f.wantsAnnotation(FORMATTED) && f.lookupName ? `${name}@${FORMATTED}` : null;
  return (out, values) => {
    if (!(c.name in values)) return;
    const id = values[c.name] ?? null;
    const stored = values[companion];
    const table = typeof stored === 'string' ? stored : fixed;
    if (id !== null && table) {
      const shown = formatted ? f.lookupName!(table, String(id)) : undefined;
      if (shown !== undefined) out[formatted!] = shown;
      if (navigation) out[navigation] = several ? `${c.name}_${table}` : c.name;
      if (lookupTable) out[lookupTable] = table;
    }
    out[name] = id;
  };
}

/**
 * The records the lookups of a page point to, by table, for their names (lookupNames): read
 * only when the request asks for formatted values. Expanded records' lookups count too.
 */
export function lookupTargets(
  shape: TableShape,
  records: readonly ReadRecord[],
  f: Pick<RecordFormat, 'shapeOf' | 'expand'>,
): Map<string, Set<string>> {
  const wanted = new Map<string, Set<string>>();
  const collect = (s: TableShape, values: RecordValues): void => {
    for (const c of s.columns) {
      if (c.kind !== 'lookup') continue;
      const id = values[c.name];
      if (typeof id !== 'string') continue;
      const stored = values[`${c.name}@table`];
      const table = typeof stored === 'string' ? stored : polymorphic(c) ? null : c.targets?.[0];
      if (!table) continue;
      let ids = wanted.get(table);
      if (!ids) wanted.set(table, (ids = new Set()));
      ids.add(id);
    }
  };
  const expanded = f.expand.map((e) => ({ navigation: e.navigation, shape: f.shapeOf(e.table) }));
  for (const r of records) {
    collect(shape, r.values);
    for (const e of expanded) {
      const nested = r.expanded[e.navigation];
      if (nested && e.shape) collect(e.shape, nested.values);
    }
  }
  return wanted;
}

/** A stored JSON value as OData writes it. */
function odataValue(c: ColumnShape, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (c.kind === 'choices') return Array.isArray(v) && v.length ? v.join(',') : null;
  if (c.kind === 'datetime' && c.behavior !== 'DateOnly') return utcDateTime(String(v));
  if (c.kind === 'datetime') return String(v).slice(0, 10);
  return v;
}

const UTC_TEXT = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|\+00:00)?$/;

/**
 * 2026-11-29T10:30:00Z: UTC, whole seconds, as Dataverse writes date-times. A value stored
 * without an offset (Time-Zone Independent) is read as UTC.
 */
function utcDateTime(text: string): string {
  // the common case first (how both stores write a UTC time of whole seconds): no match object
  if (text.length === 25 && text.endsWith('+00:00') && text.charCodeAt(10) === 0x54)
    return `${text.slice(0, 19)}Z`;
  const utc = UTC_TEXT.exec(text);
  if (utc) return `${utc[1]}Z`;
  const withZone = /(Z|[+-]\d{2}(:?\d{2})?)$/.test(text) ? text : `${text}Z`;
  const d = new Date(withZone);
  return Number.isNaN(d.getTime()) ? text : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
