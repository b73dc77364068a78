import { polymorphic, type ColumnShape, type TableShape } from '../../model/table-shape.js';
import type { ColumnValue } from '../../store/records.js';
import {
  CLIENT_SET,
  checkRequired,
  facts,
  scalar,
  unknownColumn,
  valueOf,
  type RecordValues,
} from './values.js';

/** A physical column of a COPY: a column's own, or one of its companions. */
export type CopyColumn = Pick<ColumnValue, 'column' | 'companion'>;

/** What the encoder knows of a column a record may name. */
interface Slotted {
  shape: ColumnShape;
  /** its slot, once a record has named it (-1 before) */
  slot: number;
  /** a polymorphic lookup's table companion's slot (-1 before, or none) */
  companion: number;
  /** its values go to one SQL column as scalar() returns them */
  plain: boolean;
}

/** Rows ready for one COPY: their columns, and the body in COPY text format (UTF-8). */
export interface CopyBatch {
  columns: CopyColumn[];
  body: Buffer;
  rows: number;
}

/**
 * New records straight into the bytes of a COPY in PostgreSQL's text format, checked on the way
 * as a single create is checked (values.ts): the bulk path's hot loop (engine/records/load.ts).
 * No object per value and no string per line (a million lines held as strings until their COPY
 * keep the collector busy for longer than the checks take); new ids are written as bytes; only
 * text can need escaping (the other kinds are digits, GUIDs and dates their checks let through).
 *
 * The columns are the record's id, state, status and the writer lookups (always written), then
 * every other column in the order records first name it. A record that names a column no
 * earlier one did widens the rows: the rows before it end as a batch of their own (`add`
 * returns it). Records of one file name the same columns: one width.
 */
export class CopyBatchWriter {
  readonly columns: CopyColumn[] = [];
  private readonly byName = new Map<string, Slotted>();
  /**
   * what a slot holds when the record leaves it empty (state, status, writer), else null; as
   * the bytes a row takes (escaped, UTF-8), written once
   */
  private readonly defaults: Array<Uint8Array | null> = [];
  /** slots whose values are free text: escaped for COPY */
  private readonly escaped: boolean[] = [];
  private readonly idSlot: number;
  private readonly values: Array<string | null | undefined> = [];
  private readonly scratch: ColumnValue[] = [];
  /** whether the table has columns a create must give */
  private readonly requires: boolean;

  constructor(
    private readonly table: TableShape,
    /** writerValues(table, envId, 'create') */
    writer: ColumnValue[],
    /** writes a new id's 36 characters at `at`, returns where it ends */
    private readonly newId: (out: Uint8Array, at: number) => number,
  ) {
    const { byName, required } = facts(table);
    this.requires = required.length > 0;
    for (const [name, shape] of byName) {
      // maintained by strata (createdon, versionnumber, ...): a record's value is ignored
      if (shape.system && name !== table.primaryId && !CLIENT_SET.has(name)) continue;
      // file content is not stored: a value for it is refused by scalar(), null is nothing
      this.byName.set(name, {
        shape,
        slot: -1,
        companion: -1,
        plain: shape.kind !== 'lookup' && shape.kind !== 'file',
      });
    }
    this.idSlot = this.slotted(table.primaryId).slot;
    if (byName.has('statecode')) this.slotted('statecode', '0');
    if (byName.has('statuscode')) this.slotted('statuscode', '1');
    for (const v of writer) {
      const known = this.byName.get(v.column);
      if (known && v.companion === 'table') {
        if (known.companion < 0) known.companion = this.addColumn(v, v.value);
        else this.defaults[known.companion] = this.encoded(known.companion, v.value);
      } else if (known && !v.companion) {
        if (known.slot < 0) known.slot = this.addColumn(v, v.value);
        else this.defaults[known.slot] = this.encoded(known.slot, v.value);
      } else this.addColumn(v, v.value);
    }
  }

  private out = Buffer.allocUnsafe(1 << 20);
  private at = 0;
  private count = 0;
  /** the width of the rows written so far */
  private width = 0;

  /** how many rows the batch under way has */
  get rows(): number {
    return this.count;
  }

  /**
   * Checks one record and writes its row (throws the record API's errors, and writes nothing
   * then). Returns the batch of the rows before it when it named a column they did not have.
   */
  add(record: RecordValues): CopyBatch | null {
    const values = this.values;
    values.fill(undefined);
    for (const name in record) {
      const value = record[name];
      let c = this.byName.get(name);
      if (!c) {
        if (!facts(this.table).byName.has(name)) throw unknownColumn(this.table, name);
        continue; // a column strata maintains
      }
      if (c.slot < 0) c = this.slotted(name);
      if (c.plain && value !== null && value !== undefined) {
        values[c.slot] = scalar(this.table, c.shape, value);
        continue;
      }
      const out = this.scratch;
      out.length = 0;
      valueOf(this.table, c.shape, value, out);
      for (const v of out) values[v.companion ? c.companion : c.slot] = v.value;
    }
    if (this.requires) checkRequired(this.table, record);
    const ended = this.columns.length !== this.width && this.count ? this.take() : null;
    this.width = this.columns.length;
    this.write(values);
    return ended;
  }

  /** The rows written since the last batch, as a batch (null when there are none). */
  take(): CopyBatch | null {
    if (!this.count) return null;
    const batch = {
      columns: this.columns.slice(0, this.width),
      body: this.out.subarray(0, this.at),
      rows: this.count,
    };
    this.out = Buffer.allocUnsafe(Math.max(1 << 20, this.at + (this.at >> 2)));
    this.at = 0;
    this.count = 0;
    return batch;
  }

  private write(values: Array<string | null | undefined>): void {
    const width = this.width;
    // room for the row when its values are short (a long one makes its own, encode)
    this.room(width * SLOT);
    let out = this.out;
    let at = this.at;
    for (let i = 0; i < width; i++) {
      const v = values[i];
      if (v != null) {
        // short ASCII values (digits, GUIDs, dates, names) a character at a time: less than a
        // call into Buffer's native write for each; a long value, or the rest of one from its
        // first non-ASCII character, takes Buffer's UTF-8 encoder
        const length = v.length;
        const escaped = this.escaped[i];
        let k = 0;
        if (length <= SHORT)
          for (; k < length; k++) {
            const c = v.charCodeAt(k);
            if (c >= 0x80) break;
            if (escaped && c < ESCAPE_OF.length && ESCAPE_OF[c] !== 0) {
              out[at++] = BACKSLASH;
              out[at++] = ESCAPE_OF[c];
            } else out[at++] = c;
          }
        if (k < length) {
          this.at = at;
          this.encode(k ? v.slice(k) : v, escaped);
          out = this.out;
          at = this.at;
        }
      } else if (i === this.idSlot) {
        // left empty, or null: a new id, the default state and status, the writer (as before)
        at = this.newId(out, at);
      } else {
        const d = this.defaults[i];
        if (d === null) {
          out[at++] = BACKSLASH;
          out[at++] = N;
        } else if (d.length <= SLOT - 1) {
          for (let k = 0; k < d.length; k++) out[at++] = d[k];
        } else {
          this.at = at;
          this.room(d.length + width * SLOT);
          out = this.out;
          out.set(d, this.at);
          at = this.at + d.length;
        }
      }
      out[at++] = i + 1 < width ? TAB : NEWLINE;
    }
    this.at = at;
    this.count++;
  }

  /**
   * A value (or its rest) through Buffer's UTF-8 encoder, escaped for COPY where it is free
   * text; keeps room for the row's other values after it.
   */
  private encode(v: string, escaped: boolean): void {
    if (escaped && COPY_SPECIAL.test(v)) v = v.replace(COPY_SPECIAL_ALL, escape);
    // at most three bytes of UTF-8 for each UTF-16 unit
    this.room(v.length * 3 + this.width * SLOT);
    this.at += this.out.write(v, this.at);
  }

  /** the bytes of a slot's default (escaped as its values are) */
  private encoded(slot: number, value: string | null): Uint8Array | null {
    if (value === null) return null;
    const text = this.escaped[slot] ? value.replace(COPY_SPECIAL_ALL, escape) : value;
    return Buffer.from(text, 'utf8');
  }

  /** makes room for `bytes` more */
  private room(bytes: number): void {
    if (this.at + bytes <= this.out.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.out.length * 2, this.at + bytes));
    this.out.copy(bigger, 0, 0, this.at);
    this.out = bigger;
  }

  private slotted(name: string, fallback: string | null = null): Slotted {
    const c = this.byName.get(name)!;
    if (c.slot < 0) {
      c.slot = this.addColumn({ column: name }, fallback, c.shape.kind === 'text');
      if (c.shape.kind === 'lookup' && polymorphic(c.shape))
        c.companion = this.addColumn({ column: name, companion: 'table' }, null, true);
    }
    return c;
  }

  private addColumn(column: CopyColumn, fallback: string | null, escaped = false): number {
    const slot = this.columns.length;
    this.columns.push(column);
    this.escaped.push(escaped);
    this.defaults.push(this.encoded(slot, fallback));
    this.values.push(undefined);
    return slot;
  }
}

const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_SPECIAL_ALL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const escape = (ch: string): string => ESCAPES[ch];
/** the letter after the backslash for each character COPY's text format escapes, else 0 */
const ESCAPE_OF = new Uint8Array(0x5d);
ESCAPE_OF[0x5c] = 0x5c;
ESCAPE_OF[0x09] = 0x74; // t
ESCAPE_OF[0x0a] = 0x6e; // n
ESCAPE_OF[0x0d] = 0x72; // r
/** values up to this long are written a character at a time (write) */
const SHORT = 64;
/** the most bytes a short value takes in a row (each character escaped, and its separator) */
const SLOT = 2 * SHORT + 1;
const TAB = 0x09;
const NEWLINE = 0x0a;
const BACKSLASH = 0x5c;
const N = 0x4e;
