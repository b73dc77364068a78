import type { ColumnShape } from '../../model/table-shape.js';

/**
 * `@OData.Community.Display.V1.FormattedValue`: a value as Dataverse shows it to a user. strata
 * has no users, so it formats as an organization whose base language is English (United
 * States) and whose users' time zone is UTC: a choice by its option's label (the value itself
 * when no label is known, as for a global option set), yes/no by its labels (Yes and No by
 * default), numbers with thousands separators and the column's precision, money in dollars
 * with two decimals, dates as M/D/YYYY and date-times as M/D/YYYY h:mm AM. Other columns have
 * no formatted value (undefined).
 */
export function formattedValue(
  column: ColumnShape,
  value: unknown,
  labels: ReadonlyMap<number, string> | undefined,
): string | undefined {
  if (value === null || value === undefined) return undefined;
  const label = (n: number): string => labels?.get(n) ?? String(n);
  switch (column.kind) {
    case 'choice':
      return label(Number(value));
    case 'choices':
      return Array.isArray(value) ? value.map((v) => label(Number(v))).join('; ') : undefined;
    case 'boolean':
      return labels?.get(value ? 1 : 0) ?? (value ? 'Yes' : 'No');
    case 'integer':
    case 'bigint':
      return grouped(Number(value), 0);
    case 'decimal':
    case 'float':
      return grouped(Number(value), column.precision ?? 2);
    case 'money':
      return `${Number(value) < 0 ? '-' : ''}$${grouped(Math.abs(Number(value)), 2)}`;
    case 'datetime':
      return dateText(String(value), column.behavior === 'DateOnly');
    default:
      return undefined;
  }
}

/** One formatter per number of digits: making one costs more than formatting with it. */
const NUMBER_FORMATS = new Map<number, Intl.NumberFormat>();

function grouped(n: number, digits: number): string {
  let f = NUMBER_FORMATS.get(digits);
  if (!f) {
    f = new Intl.NumberFormat('en-US', {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    NUMBER_FORMATS.set(digits, f);
  }
  return f.format(n);
}

/** 11/29/2026 or 11/29/2026 10:30 AM (UTC), written out: Intl's spacing varies with ICU. */
function dateText(iso: string, dateOnly: boolean): string | undefined {
  const d = new Date(/[Z+-]\d{2}:?\d{2}$|Z$/.test(iso) || dateOnly ? iso : `${iso}Z`);
  if (Number.isNaN(d.getTime())) return undefined;
  const date = `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()}`;
  if (dateOnly) return date;
  const h = d.getUTCHours();
  const minutes = String(d.getUTCMinutes()).padStart(2, '0');
  return `${date} ${h % 12 === 0 ? 12 : h % 12}:${minutes} ${h < 12 ? 'AM' : 'PM'}`;
}
