import { createWriteStream } from 'node:fs';
import { extname } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { StrataError } from '../model/errors.js';
import { CsvWriter, readCsv, type CsvReadOptions, type CsvWriteOptions } from './csv-records.js';
import type { DataRecord } from './data-file-io.js';
import { JsonLinesWriter, readJsonLines } from './json-lines.js';

/**
 * The record files of `strata data import` and `strata data export`: CSV (csv-records.ts) and
 * JSON Lines (json-lines.ts), read and written as streams, so that a table of millions of rows
 * goes through in constant memory. The format follows the file's extension, or is given.
 */
export { csvField, CsvWriter, readCsv } from './csv-records.js';
export type { CsvReadOptions, CsvWriteOptions } from './csv-records.js';
export { JsonLinesWriter, readJsonLines } from './json-lines.js';
export type { DataRecord, DataValue, ReadOptions } from './data-file-io.js';

export type DataFormat = 'csv' | 'jsonl';

const BY_NAME: Record<string, DataFormat> = {
  csv: 'csv',
  jsonl: 'jsonl',
  ndjson: 'jsonl',
  json: 'jsonl',
};

/**
 * The format of a record file: `explicit` (csv, jsonl, ndjson or json) when given, else the
 * file's extension (.csv; .jsonl, .ndjson and .json are JSON Lines).
 */
export function formatOf(path: string | undefined, explicit?: string): DataFormat {
  if (explicit !== undefined) {
    const f = BY_NAME[explicit.toLowerCase()];
    if (f) return f;
    throw new StrataError('DATA_FORMAT_UNKNOWN', `Unknown record file format: ${explicit}.`, {
      hint: 'Use --format csv or --format jsonl.',
    });
  }
  const ext = path ? extname(path).slice(1).toLowerCase() : '';
  const f = Object.hasOwn(BY_NAME, ext) ? BY_NAME[ext] : undefined;
  if (f) return f;
  throw new StrataError(
    'DATA_FORMAT_UNKNOWN',
    path && path !== '-'
      ? `Cannot tell the format of ${path} from its extension.`
      : 'The format of standard input or output must be given.',
    { hint: 'Name the file .csv or .jsonl, or give --format csv or --format jsonl.' },
  );
}

export interface RecordReadOptions extends CsvReadOptions {
  /** csv or jsonl; by default, from the path's (or name's) extension */
  format?: string;
}

/**
 * The records of a file (a path) or a stream, as an async generator: CSV values are text or
 * null (an empty field), JSON Lines values what the JSON says. Errors are StrataErrors:
 * DATA_FILE_NOT_FOUND, DATA_FORMAT_UNKNOWN, and DATA_FILE_INVALID with the file and line.
 */
export function readRecords(
  source: string | Readable,
  opts: RecordReadOptions = {},
): AsyncGenerator<DataRecord> {
  const name = opts.name ?? (typeof source === 'string' ? source : undefined);
  const format = formatOf(name, opts.format);
  const o = { ...opts, name: name ?? 'input' };
  return format === 'csv' ? readCsv(source, o) : readJsonLines(source, o);
}

/** A stream of records going out: write each, then end. */
export interface RecordWriter {
  /** buffers a record; the promise, when there is one, resolves once the output can take more */
  write(record: DataRecord): Promise<void> | undefined;
  /** writes out what is buffered, leaving the output open (standard output) */
  flush(): Promise<void>;
  /** writes out what is buffered and ends the output (a file is then closed) */
  end(): Promise<void>;
}

export interface RecordWriteOptions extends CsvWriteOptions {
  format?: string;
}

/**
 * A writer of records to a file (a path, created or replaced) or a stream, in the format of
 * `opts.format` or of the path's extension. `columns` are the CSV header and the order of
 * JSON Lines keys.
 */
export function recordWriter(
  target: string | Writable,
  columns: readonly string[],
  opts: RecordWriteOptions = {},
): RecordWriter {
  const format = formatOf(typeof target === 'string' ? target : undefined, opts.format);
  const out = typeof target === 'string' ? createWriteStream(target) : target;
  return format === 'csv' ? new CsvWriter(out, columns, opts) : new JsonLinesWriter(out, columns);
}

/** Writes all `records` to `target` and ends it; returns how many were written. */
export async function writeRecords(
  target: string | Writable,
  columns: readonly string[],
  records: AsyncIterable<DataRecord> | Iterable<DataRecord>,
  opts: RecordWriteOptions = {},
): Promise<number> {
  const writer = recordWriter(target, columns, opts);
  let n = 0;
  // a write returns a promise only when the output is full: awaiting every row costs a tick
  if (Symbol.iterator in records)
    for (const r of records) {
      const full = writer.write(r);
      if (full) await full;
      n++;
    }
  else
    for await (const r of records) {
      const full = writer.write(r);
      if (full) await full;
      n++;
    }
  await writer.end();
  return n;
}
