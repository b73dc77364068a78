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
  /** what a slot holds when the record leaves it empty (state, status, writer), else null */
  private readonly defaults: Array<string | null> = [];
  /** slots whose values are free text: escaped for COPY */
  private readonly escaped: boolean[] = [];
  private readonly idSlot: number;
  private readonly values: Array<string | null | undefined> = [];
  private readonly scratch: ColumnValue[] = [];

  constructor(
    private readonly table: TableShape,
    /** writerValues(table, envId, 'create') */
    writer: ColumnValue[],
    /** writes a new id's 36 characters at `at`, returns where it ends */
    private readonly newId: (out: Uint8Array, at: number) => number,
  ) {
    const { byName } = facts(table);
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
        else this.defaults[known.companion] = v.value;
      } else if (known && !v.companion) {
        if (known.slot < 0) known.slot = this.addColumn(v, v.value);
        else this.defaults[known.slot] = v.value;
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
    checkRequired(this.table, record);
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
    for (let i = 0; i < width; i++) {
      let v = values[i];
      // left empty, or null: a new id, the default state and status, the writer (as before)
      if (v == null) {
        if (i === this.idSlot) {
          this.room(37);
          this.at = this.newId(this.out, this.at);
          this.out[this.at++] = i + 1 < width ? TAB : NEWLINE;
          continue;
        }
        v = this.defaults[i];
      }
      if (v === null) {
        this.room(3);
        this.out[this.at++] = BACKSLASH;
        this.out[this.at++] = N;
      } else {
        if (this.escaped[i] && COPY_SPECIAL.test(v)) v = v.replace(COPY_SPECIAL_ALL, escape);
        // at most three bytes of UTF-8 for each UTF-16 unit
        this.room(v.length * 3 + 1);
        this.at += this.out.write(v, this.at);
      }
      this.out[this.at++] = i + 1 < width ? TAB : NEWLINE;
    }
    this.count++;
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
    this.columns.push(column);
    this.defaults.push(fallback);
    this.escaped.push(escaped);
    this.values.push(undefined);
    return this.columns.length - 1;
  }
}

const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_SPECIAL_ALL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const escape = (ch: string): string => ESCAPES[ch];
const TAB = 0x09;
const NEWLINE = 0x0a;
const BACKSLASH = 0x5c;
const N = 0x4e;
