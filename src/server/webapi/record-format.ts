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
 */
export const FORMATTED = 'OData.Community.Display.V1.FormattedValue';
export const LOOKUP_TABLE = 'Microsoft.Dynamics.CRM.lookuplogicalname';
export const NAVIGATION = 'Microsoft.Dynamics.CRM.associatednavigationproperty';

export interface RecordFormat {
  /** the shape of a table, for the records $expand brought */
  shapeOf(table: string): TableShape | undefined;
  optionLabels(table: string, column: string): ReadonlyMap<number, string> | undefined;
  wantsAnnotation(name: string): boolean;
  /** $expand: navigation property → the table it leads to */
  expand: ReadonlyArray<{ navigation: string; table: string }>;
}

export function formatRecord(
  shape: TableShape,
  record: ReadRecord,
  f: RecordFormat,
): Record<string, unknown> {
  const out = odataValues(shape, record.values, record.version, f);
  for (const e of f.expand) {
    const nested = record.expanded[e.navigation];
    const target = f.shapeOf(e.table);
    out[e.navigation] =
      nested && target ? odataValues(target, nested.values, nested.version, f) : null;
  }
  return out;
}

function odataValues(
  shape: TableShape,
  values: RecordValues,
  version: string | null,
  f: RecordFormat,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (version !== null) out['@odata.etag'] = `W/"${version}"`;
  for (const c of shape.columns) {
    if (!(c.name in values)) continue;
    const v = values[c.name];
    if (c.kind === 'lookup') {
      lookupValue(out, c, v, values[`${c.name}@table`], f);
      continue;
    }
    const value = odataValue(c, v);
    if (f.wantsAnnotation(FORMATTED)) {
      const text = formattedValue(c, v, f.optionLabels(shape.name, c.name));
      if (text !== undefined) out[`${c.name}@${FORMATTED}`] = text;
    }
    out[c.name] = value;
    if (c.kind === 'file') out[`${c.name}_name`] = values[`${c.name}@name`] ?? null;
  }
  return out;
}

function lookupValue(
  out: Record<string, unknown>,
  c: ColumnShape,
  id: unknown,
  storedTable: unknown,
  f: RecordFormat,
): void {
  const name = `_${c.name}_value`;
  const table =
    typeof storedTable === 'string' ? storedTable : polymorphic(c) ? null : c.targets?.[0];
  if (id !== null && id !== undefined && table) {
    if (f.wantsAnnotation(NAVIGATION))
      out[`${name}@${NAVIGATION}`] = polymorphic(c) ? `${c.name}_${table}` : c.name;
    if (f.wantsAnnotation(LOOKUP_TABLE)) out[`${name}@${LOOKUP_TABLE}`] = table;
  }
  out[name] = id ?? null;
}

/** A stored JSON value as OData writes it. */
function odataValue(c: ColumnShape, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (c.kind === 'choices') return Array.isArray(v) && v.length ? v.join(',') : null;
  if (c.kind === 'datetime' && c.behavior !== 'DateOnly') return utcDateTime(String(v));
  if (c.kind === 'datetime') return String(v).slice(0, 10);
  return v;
}

/** 2026-11-29T10:30:00Z: UTC, whole seconds, as Dataverse writes date-times. */
function utcDateTime(text: string): string {
  const withZone = /(Z|[+-]\d{2}(:?\d{2})?)$/.test(text) ? text : `${text}Z`;
  const d = new Date(withZone);
  return Number.isNaN(d.getTime()) ? text : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
