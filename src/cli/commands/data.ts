import { statSync } from 'node:fs';
import { copyRecords, type CopyRequest } from '../../engine/records/copy.js';
import { tableRecordCount } from '../../engine/records/counts.js';
import { recordFile } from '../../engine/records/file-export.js';
import { loadRecords } from '../../engine/records/load.js';
import { queryRecords } from '../../engine/records/query.js';
import { shapeOf, tableIn, type TableRef } from '../../engine/records/records.js';
import { environmentTables } from '../../engine/records/tables.js';
import type { RecordValues } from '../../engine/records/values.js';
import type { TableShape } from '../../model/table-shape.js';
import type { Store } from '../../store/store.js';
import { usage, type ArgsOf, type Io } from '../command.js';
import { environmentName, withStore } from '../context.js';
import { formatOf, readRecords, recordWriter, type DataRecord } from '../data-files.js';
import { recordQueryOf } from '../record-flags.js';
import { ProgressBar, table } from '../render.js';
import type { DATA_COPY, DATA_COUNT, DATA_EXPORT, DATA_IMPORT, DATA_QUERY } from './index.js';

/**
 * `strata data`: the records of an environment's tables, from the terminal. Each handler parses
 * its arguments, calls the record API (engine/records/) and renders the answer.
 */

const count = (n: number): string => n.toLocaleString('en-US');
const plural = (n: number, what: string): string => `${count(n)} ${what}${n === 1 ? '' : 's'}`;

/** The positionals a command takes, exactly: their names as its usage line gives them. */
function positionalsOf(positionals: string[], command: string, names: string[]): string[] {
  if (positionals.length !== names.length)
    throw usage(
      `strata data ${command} takes ${names.join(' ')}; got ` +
        `${positionals.length ? positionals.map((p) => JSON.stringify(p)).join(' ') : 'none'}.`,
    );
  return positionals;
}

/** The table named in the environment of --env, with its shape. */
async function tableOf(
  store: Store,
  env: string | undefined,
  name: string,
): Promise<{ ref: TableRef; shape: TableShape }> {
  const ref = await tableIn(store, await environmentName(store, env), name);
  return { ref, shape: (await shapeOf(store, ref.envId, ref.table))! };
}

export async function dataImport(
  { values, positionals }: ArgsOf<typeof DATA_IMPORT>,
  io: Io,
): Promise<number> {
  const [tableName, file] = positionalsOf(positionals, 'import', ['TABLE', 'FILE']);
  const stdin = file === '-';
  const name = stdin ? 'standard input' : file;
  const format = formatOf(stdin ? undefined : file, values.format);
  const size = stdin ? null : sizeOf(file);
  const bar = new ProgressBar(io.isTTY && !values.json);
  const position = { line: 0 };
  let started = performance.now();
  let read = 0;
  const show = (bytes: number): void => {
    const seconds = (performance.now() - started) / 1000;
    bar.update(
      size ? (100 * bytes) / size : null,
      `${count(read)} rows  ${count(Math.round(read / Math.max(seconds, 0.001)))} rows/s`,
    );
  };
  const records = readRecords(stdin ? process.stdin : file, {
    format,
    name,
    position,
    onBytes: show,
  });
  async function* counted(): AsyncGenerator<DataRecord> {
    for await (const r of records) {
      read++;
      yield r;
    }
  }
  const { loaded } = await withStore(async (store) => {
    const { ref } = await tableOf(store, values.env, tableName);
    // the rate is the load's: opening the store is not part of it
    started = performance.now();
    const out = await loadRecords(store, ref, counted(), {
      values: format === 'csv' ? 'text' : 'json',
      origin: () => ({
        text: `${name}, line ${count(position.line)}`,
        details: { file: name, line: position.line },
      }),
    });
    // the bar moves as the file is read, a little ahead of the rows: its last word is the total
    show(size ?? 0);
    return out;
  }).finally(() => bar.done());
  const seconds = (performance.now() - started) / 1000;
  const rate = Math.round(loaded / Math.max(seconds, 0.001));
  if (values.json)
    io.out(JSON.stringify({ table: tableName, loaded, seconds, rowsPerSecond: rate }, null, 2));
  else
    io.out(
      `Loaded ${plural(loaded, 'record')} into ${tableName} in ${seconds.toFixed(1)} s ` +
        `(${count(rate)} rows/s)`,
    );
  return 0;
}

/** The size of a file, for the progress bar; a file that cannot be read is the reader's to report. */
function sizeOf(file: string): number | null {
  try {
    return statSync(file).size;
  } catch {
    return null;
  }
}

export async function dataExport(
  { values, positionals }: ArgsOf<typeof DATA_EXPORT>,
  io: Io,
): Promise<number> {
  const [tableName] = positionalsOf(positionals, 'export', ['TABLE']);
  const toFile = values.out !== undefined;
  // standard output carries the records alone: CSV, or JSON Lines with --json
  const format = formatOf(
    values.out,
    values.format ?? (toFile ? undefined : values.json ? 'jsonl' : 'csv'),
  );
  let started = performance.now();
  const { written, columns } = await withStore(async (store) => {
    const { ref, shape } = await tableOf(store, values.env, tableName);
    started = performance.now();
    const q = recordQueryOf(shape, values);
    const file = await recordFile(store, ref, q);
    const writer = recordWriter(values.out ?? process.stdout, file.columns, { format });
    let n = 0;
    for await (const r of file.records) {
      const full = writer.write(r);
      if (full) await full;
      n++;
    }
    await (toFile ? writer.end() : writer.flush());
    return { written: n, columns: file.columns };
  });
  if (!toFile) return 0;
  const seconds = (performance.now() - started) / 1000;
  if (values.json)
    io.out(
      JSON.stringify(
        { table: tableName, file: values.out, format, exported: written, columns },
        null,
        2,
      ),
    );
  else
    io.out(
      `Exported ${plural(written, 'record')} of ${tableName} to ${values.out} ` +
        `(${format === 'csv' ? 'CSV' : 'JSON Lines'}, ${columns.length} columns) ` +
        `in ${seconds.toFixed(1)} s`,
    );
  return 0;
}

/** Rows `strata data query` shows when --top does not say. */
const QUERY_ROWS = 50;

export async function dataQuery(
  { values, positionals }: ArgsOf<typeof DATA_QUERY>,
  io: Io,
): Promise<number> {
  const [tableName] = positionalsOf(positionals, 'query', ['TABLE']);
  const { records, more, shape, select } = await withStore(async (store) => {
    const { ref, shape } = await tableOf(store, values.env, tableName);
    const q = recordQueryOf(shape, values);
    const page = await queryRecords(store, ref, q, { pageSize: q.top ?? QUERY_ROWS });
    return { records: page.records, more: page.nextSkip !== null, shape, select: q.select };
  });
  if (values.json) {
    io.out(JSON.stringify(records, null, 2));
    return 0;
  }
  if (!records.length) {
    io.out(`No records in ${tableName}${values.filter ? ' match the filter' : ''}.`);
    return 0;
  }
  const columns = select ?? shownColumns(shape, records);
  io.out(
    table(
      columns,
      records.map((r) => columns.map((c) => cell(r[c]))),
    ),
  );
  io.out(
    more
      ? `\nThe first ${count(records.length)} records; --top N shows more ` +
          `(strata data count ${tableName} counts them all).`
      : `\n${plural(records.length, 'record')}.`,
  );
  return 0;
}

/**
 * The columns a table of records shows without --select: the primary key, then the columns
 * that strata does not maintain and that hold a value in at least one of the records.
 */
function shownColumns(shape: TableShape, records: RecordValues[]): string[] {
  return shape.columns
    .filter(
      (c) =>
        c.name === shape.primaryId ||
        (!c.system && c.kind !== 'file' && records.some((r) => r[c.name] != null)),
    )
    .map((c) => c.name);
}

/** A value in one line of a table: a line break shows as ↵. */
function cell(v: unknown): string | number | boolean | null {
  if (Array.isArray(v)) return v.join(',');
  if (typeof v === 'string') return v.replace(/\r\n|\r|\n/g, '↵');
  if (v === undefined) return null;
  return v as string | number | boolean | null;
}

export async function dataCount(
  { values, positionals }: ArgsOf<typeof DATA_COUNT>,
  io: Io,
): Promise<number> {
  if (positionals.length > 1) throw usage('strata data count takes one TABLE at most.');
  const [tableName] = positionals;
  if (tableName !== undefined && values.all)
    throw usage('--all counts every table: name no TABLE with it.');
  return withStore(async (store) => {
    if (tableName !== undefined) {
      const { ref } = await tableOf(store, values.env, tableName);
      const records = await tableRecordCount(store, ref);
      if (values.json) io.out(JSON.stringify({ table: tableName, records }, null, 2));
      else io.out(`${tableName}: ${plural(records, 'record')}`);
      return 0;
    }
    const env = await environmentName(store, values.env);
    const counts = (await environmentTables(store, env))
      .filter((t) => values.all || t.rows > 0)
      .map((t) => ({ table: t.table, records: t.rows }));
    if (values.json) io.out(JSON.stringify(counts, null, 2));
    else if (!counts.length)
      io.out(`No table of ${env} holds records yet (--all lists every table).`);
    else
      io.out(
        table(
          ['Table', 'Records'],
          counts.map((c) => [c.table, count(c.records)]),
        ),
      );
    return 0;
  });
}

export async function dataCopy(
  { values, positionals }: ArgsOf<typeof DATA_COPY>,
  io: Io,
): Promise<number> {
  const [from, to] = positionalsOf(positionals, 'copy', ['FROM', 'TO']).map(tableAndColumn);
  const req: CopyRequest = { from, to };
  if (values.map?.length) {
    if (from.column || to.column)
      throw usage('--map maps the columns of a table-to-table copy: name two tables with it.');
    req.columns = values.map.map(columnPair);
  }
  const result = await withStore(async (store) => {
    const { ref } = await tableOf(store, values.env, from.table);
    return copyRecords(store, ref.envId, req);
  });
  if (values.json) {
    io.out(JSON.stringify(result, null, 2));
    return 0;
  }
  const pairs = result.columns.map(([s, t]) => (s === t ? s : `${s} → ${t}`)).join(', ');
  io.out(
    from.column
      ? `Copied ${plural(result.rows, 'value')} from ${from.table}.${from.column} ` +
          `to ${to.table}.${to.column}.`
      : `Copied ${plural(result.rows, 'record')} from ${from.table} to ${to.table} (${pairs}).`,
  );
  return 0;
}

/** TABLE or TABLE.COLUMN. */
function tableAndColumn(text: string): { table: string; column?: string } {
  const parts = text.split('.');
  if (parts.length > 2 || parts.some((p) => !p.trim()))
    throw usage(`${JSON.stringify(text)} is neither TABLE nor TABLE.COLUMN.`);
  return parts.length === 2 ? { table: parts[0], column: parts[1] } : { table: parts[0] };
}

/** --map a=b: source column a into target column b. */
function columnPair(text: string): [string, string] {
  const m = /^\s*([^=\s]+)\s*=\s*([^=\s]+)\s*$/.exec(text);
  if (!m) throw usage(`--map takes SOURCE=TARGET column names, not ${JSON.stringify(text)}.`);
  return [m[1], m[2]];
}
