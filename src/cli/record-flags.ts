import { StrataError } from '../model/errors.js';
import type { RecordQuery } from '../model/record-query.js';
import type { TableShape } from '../model/table-shape.js';
import { parseRecordQuery, tableColumns } from '../server/webapi/record-query.js';

/**
 * The flags of `strata data query` and `export` as a RecordQuery. --filter, --orderby and --top
 * are the Web API's $filter, $orderby and $top, read by the same parser, so a filter that works
 * in one works in the other (a lookup is `_x_value` there). --select takes logical names, as the
 * header of a CSV file does (`_x_value` is taken too).
 */
export interface RecordQueryFlags {
  select?: string;
  filter?: string;
  orderby?: string;
  top?: string;
}

export function recordQueryOf(shape: TableShape, flags: RecordQueryFlags): RecordQuery {
  const options: Record<string, string> = {};
  if (flags.filter !== undefined) options.$filter = flags.filter;
  if (flags.orderby !== undefined) options.$orderby = flags.orderby;
  if (flags.top !== undefined) options.$top = flags.top;
  const q = parseRecordQuery(
    options,
    tableColumns(shape, () => undefined),
  );
  return { ...q, select: flags.select === undefined ? null : selectedColumns(shape, flags.select) };
}

const LOOKUP_VALUE = /^_(.+)_value$/;

/** `a,b` → the columns, in the order given, each once. */
export function selectedColumns(shape: TableShape, text: string): string[] {
  const out: string[] = [];
  for (const item of text.split(',')) {
    const name = item.trim();
    if (!name) continue;
    const lookup = LOOKUP_VALUE.exec(name)?.[1];
    const column =
      shape.columns.find((c) => c.name === name) ??
      shape.columns.find((c) => c.name === lookup && c.kind === 'lookup');
    if (!column)
      throw new StrataError(
        'RECORD_COLUMN_UNKNOWN',
        `${shape.name} has no column named ${JSON.stringify(name)}.`,
        {
          hint: `strata data query ${shape.name} --top 1 --json shows its columns.`,
          details: { table: shape.name, column: name },
        },
      );
    if (!out.includes(column.name)) out.push(column.name);
  }
  if (!out.length)
    throw new StrataError('USAGE', '--select names no column.', {
      hint: 'Give logical names separated by commas: --select new_name,new_pages',
    });
  return out;
}
