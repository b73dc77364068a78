import type { Readable, Writable } from 'node:stream';
import { StrataError } from '../model/errors.js';
import {
  BufferedOutput,
  DEFAULT_MAX_RECORD_LENGTH,
  invalidData,
  textChunks,
  tooLong,
  type DataRecord,
  type DataValue,
  type ReadOptions,
} from './data-file-io.js';

/**
 * CSV as RFC 4180 has it, and as Excel and LibreOffice write it: a header row naming the
 * columns, then one record per row; fields separated by commas; a field that holds a comma, a
 * quote or a line break is quoted, its quotes doubled; lines end in CRLF or LF (a lone CR is
 * taken as a line end too). An empty field is null; a quoted empty field ("") is the empty string,
 * so that what the writer writes reads back the same. Every other value is text: the record API
 * converts it to the column's type.
 */
export interface CsvReadOptions extends ReadOptions {
  /** the field separator; a comma by default (`;` for the CSV of some Excel locales) */
  delimiter?: string;
}

/** A row as read, with the line it began on. */
interface CsvRow {
  fields: Array<string | null>;
  line: number;
}

/** Columns a header may name: Dataverse tables have at most a few hundred. */
const MAX_COLUMNS = 10_000;
const QUOTE = 34;
const CR = 13;
const LF = 10;

type State = 'fieldStart' | 'plain' | 'quoted' | 'afterQuote';

/**
 * Splits text into rows as it arrives, chunk by chunk; rows that are complete wait in `rows`
 * until taken. Holds at most one record's text, so memory does not grow with the file.
 */
class CsvScanner {
  rows: CsvRow[] = [];
  /** the physical line being read (1-based) */
  line = 1;
  private state: State = 'fieldStart';
  private fields: Array<string | null> = [];
  private field = '';
  /** the quoted field under way holds doubled quotes */
  private doubled = false;
  private recordLength = 0;
  private rowLine = 1;
  private quoteLine = 1;
  /** a CR ended the last chunk: an LF starting the next belongs to it */
  private skipLF = false;
  private readonly delim: number;

  constructor(
    private readonly name: string,
    delimiter: string,
    private readonly maxRecordLength: number,
  ) {
    if (delimiter.length !== 1 || /["\r\n]/.test(delimiter))
      throw new StrataError('USAGE', `Not a CSV separator: ${JSON.stringify(delimiter)}.`, {
        hint: 'A separator is one character other than a quote or a line break: , ; or a tab.',
      });
    this.delim = delimiter.charCodeAt(0);
  }

  push(s: string): void {
    let i = 0;
    if (this.skipLF) {
      this.skipLF = false;
      if (s.charCodeAt(0) === LF) i = 1;
    }
    while (i < s.length) {
      if (this.state === 'quoted') i = this.quoted(s, i);
      else if (this.state === 'afterQuote') i = this.afterQuote(s, i);
      else {
        if (this.state === 'fieldStart' && s.charCodeAt(i) === QUOTE) {
          this.state = 'quoted';
          this.quoteLine = this.line;
          i++;
          continue;
        }
        this.state = 'plain';
        i = this.plain(s, i);
      }
    }
  }

  /** The end of the text: the last record needs no line end; an open quote is an error. */
  end(): void {
    if (this.state === 'quoted')
      throw invalidData(
        this.name,
        this.quoteLine,
        'a quoted field is never closed',
        'Each quote that opens a field needs one that closes it; quotes inside it are doubled ("").',
      );
    if (this.state === 'afterQuote') this.endField(true);
    else if (this.state === 'plain' || this.fields.length > 0) this.endField(false);
    else return;
    this.endRow();
  }

  /**
   * Inside quotes: everything up to the closing quote belongs to the field. Doubled quotes are
   * kept as they are and undone once when the field ends: a field full of them is not cut into
   * pieces at each.
   */
  private quoted(s: string, i: number): number {
    let j = s.indexOf('"', i);
    while (j >= 0 && s.charCodeAt(j + 1) === QUOTE) {
      this.doubled = true;
      j = s.indexOf('"', j + 2);
    }
    // j: the closing quote, or a quote ending the chunk (the next chunk tells which), or none
    const end = j < 0 ? s.length : j;
    for (let k = s.indexOf('\n', i); k >= 0 && k < end; k = s.indexOf('\n', k + 1)) this.line++;
    this.append(s, i, end);
    if (j < 0) return s.length;
    this.state = 'afterQuote';
    return j + 1;
  }

  /** After a quote inside a quoted field: a second quote is a quote; else the field ends. */
  private afterQuote(s: string, i: number): number {
    const c = s.charCodeAt(i);
    if (c === QUOTE) {
      this.append('""', 0, 2);
      this.doubled = true;
      this.state = 'quoted';
      return i + 1;
    }
    if (c !== this.delim && c !== CR && c !== LF)
      throw invalidData(
        this.name,
        this.line,
        `a closing quote is followed by ${JSON.stringify(s[i])}, not by a separator or a line end`,
        'A quote inside a quoted field is written twice ("").',
      );
    this.endField(true);
    return this.separator(s, i);
  }

  /** An unquoted field: up to the next separator or line end. */
  private plain(s: string, i: number): number {
    let j = i;
    const d = this.delim;
    for (; j < s.length; j++) {
      const c = s.charCodeAt(j);
      if (c === d || c === CR || c === LF) break;
    }
    this.append(s, i, j);
    if (j === s.length) return j;
    this.endField(false);
    return this.separator(s, j);
  }

  /** At a separator or a line end, just after a field ended. */
  private separator(s: string, i: number): number {
    this.state = 'fieldStart';
    const c = s.charCodeAt(i);
    if (c === this.delim) return i + 1;
    this.endRow();
    this.line++;
    this.rowLine = this.line;
    if (c === LF) return i + 1;
    if (i + 1 === s.length) this.skipLF = true;
    return s.charCodeAt(i + 1) === LF ? i + 2 : i + 1;
  }

  private append(s: string, from: number, to: number): void {
    if (to === from) return;
    this.recordLength += to - from;
    if (this.recordLength > this.maxRecordLength)
      throw tooLong(this.name, this.rowLine, this.maxRecordLength);
    this.field += from === 0 && to === s.length ? s : s.slice(from, to);
  }

  private endField(quoted: boolean): void {
    if (this.fields.length >= MAX_COLUMNS)
      throw invalidData(this.name, this.rowLine, `a row has more than ${MAX_COLUMNS} fields`);
    let value: string | null = this.field;
    if (quoted) {
      if (this.doubled) value = undoubleQuotes(value);
    } else if (value === '') value = null;
    this.fields.push(value);
    this.field = '';
    this.doubled = false;
  }

  private endRow(): void {
    const f = this.fields;
    // a blank line is no record
    if (!(f.length === 1 && f[0] === null)) this.rows.push({ fields: f, line: this.rowLine });
    this.fields = [];
    this.recordLength = 0;
  }
}

/**
 * A quoted field's text with each doubled quote made one. A regular expression takes a second
 * for a 10 MB field of many quotes; copying code units into an array takes a tenth of that.
 */
export function undoubleQuotes(text: string): string {
  if (text.length < 4096) return text.replace(/""/g, '"');
  const out = new Uint16Array(text.length);
  let w = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[w++] = c;
    if (c === QUOTE) i++;
  }
  return UTF16.decode(out.subarray(0, w));
}

const UTF16 = new TextDecoder('utf-16le');

/** The header's column names: each present and named once. */
function headerOf(row: CsvRow | undefined, name: string): string[] {
  if (!row)
    throw invalidData(name, 1, 'the file is empty', 'The first line names the columns: name,email');
  const seen = new Set<string>();
  return row.fields.map((f, i) => {
    const column = (f ?? '').trim();
    if (!column) throw invalidData(name, row.line, `the header's field ${i + 1} names no column`);
    if (seen.has(column))
      throw invalidData(name, row.line, `the header names the column ${column} twice`);
    seen.add(column);
    return column;
  });
}

/** Makes the records of one header: its column names are checked once, not on every row. */
function recordMaker(header: string[], name: string): (row: CsvRow) => DataRecord {
  // an assignment to __proto__ would set the prototype: fromEntries defines a property instead
  const safe = !header.includes('__proto__');
  return (row) => {
    const f = row.fields;
    if (f.length !== header.length)
      throw invalidData(
        name,
        row.line,
        `the row has ${f.length} field${f.length === 1 ? '' : 's'}, ` +
          `the header names ${header.length} column${header.length === 1 ? '' : 's'}`,
        'A field that holds a comma or a line break must be quoted ("a, b").',
      );
    if (!safe) return Object.fromEntries(header.map((h, i): [string, DataValue] => [h, f[i]]));
    const record: DataRecord = {};
    for (let i = 0; i < header.length; i++) record[header[i]] = f[i];
    return record;
  };
}

/** The records of a CSV file or stream, one by one, in constant memory. */
export async function* readCsv(
  source: string | Readable,
  opts: CsvReadOptions = {},
): AsyncGenerator<DataRecord> {
  const name = opts.name ?? (typeof source === 'string' ? source : 'input');
  const scanner = new CsvScanner(
    name,
    opts.delimiter ?? ',',
    opts.maxRecordLength ?? DEFAULT_MAX_RECORD_LENGTH,
  );
  let make: ((row: CsvRow) => DataRecord) | null = null;
  const at = opts.position;
  const drain = function* (): Generator<DataRecord> {
    const rows = scanner.rows;
    scanner.rows = [];
    for (const row of rows) {
      if (!make) make = recordMaker(headerOf(row, name), name);
      else {
        const record = make(row);
        if (at) at.line = row.line;
        yield record;
      }
    }
  };
  for await (const text of textChunks(source, name, opts, () => scanner.line)) {
    scanner.push(text);
    yield* drain();
  }
  scanner.end();
  yield* drain();
  if (!make) headerOf(undefined, name);
}

export interface CsvWriteOptions {
  delimiter?: string;
  /** start with a UTF-8 byte order mark, which Excel needs to read UTF-8 CSV as such */
  bom?: boolean;
}

/** A field as CSV writes it: quoted when it must be, and when it is empty text (not null). */
export function csvField(value: DataValue | undefined, delimiter = ','): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : String(value);
  return mustQuote(text, delimiter.charCodeAt(0)) ? `"${text.replace(/"/g, '""')}"` : text;
}

const isSpace = (text: string, i: number): boolean => {
  const c = text.charCodeAt(i);
  return c <= 32 || (c > 127 && /\s/.test(text[i]));
};

/**
 * Whether a field needs quotes: it holds a separator, a quote or a line break, it is empty text
 * (an empty field is null), or it has spaces at either end (which survive a spreadsheet's import
 * only inside quotes). A loop over the code units: this runs for every field of every row.
 */
function mustQuote(text: string, delim: number): boolean {
  if (text === '' || isSpace(text, 0) || isSpace(text, text.length - 1)) return true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE || c === CR || c === LF || c === delim) return true;
  }
  return false;
}

/** Writes records as CSV, header first, rows in CRLF lines (RFC 4180). */
export class CsvWriter {
  private readonly out: BufferedOutput;
  private readonly delimiter: string;
  private headerWritten = false;

  constructor(
    stream: Writable,
    private readonly columns: readonly string[],
    private readonly opts: CsvWriteOptions = {},
  ) {
    this.out = new BufferedOutput(stream);
    this.delimiter = opts.delimiter ?? ',';
  }

  /** Writes a record's values for the columns (a missing value is null); others are left out. */
  write(record: DataRecord): Promise<void> | undefined {
    this.header();
    const values = this.columns.map((c) => (Object.hasOwn(record, c) ? record[c] : null));
    return this.out.add(this.line(values));
  }

  /** Writes out what is buffered (the header at least), leaving the stream open. */
  flush(): Promise<void> {
    this.header();
    return this.out.flush();
  }

  /** Writes out what is buffered and ends the stream. */
  end(): Promise<void> {
    this.header();
    return this.out.end();
  }

  private header(): void {
    if (this.headerWritten) return;
    this.headerWritten = true;
    const text = (this.opts.bom ? '\uFEFF' : '') + this.line(this.columns);
    // a failure of the stream is reported again by the next write, flush or end
    this.out.add(text)?.catch(() => undefined);
  }

  private line(values: ReadonlyArray<DataValue | undefined>): string {
    let line = '';
    for (let i = 0; i < values.length; i++)
      line += (i ? this.delimiter : '') + csvField(values[i], this.delimiter);
    return line + '\r\n';
  }
}
