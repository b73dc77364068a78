import { StrataError } from '../../model/errors.js';
import type { TableShape } from '../../model/table-shape.js';
import { copyRecordsIn, type ColumnValue } from '../../store/records.js';
import type { Store } from '../../store/store.js';
import { createValues, writableShape, type TableRef } from './records.js';
import type { RecordValues } from './values.js';

/**
 * The bulk path for records: `strata data import`, CreateMultiple with many targets, the
 * benchmark's million rows. Every record is checked as a single create is (values.ts), then
 * batches go to the table as COPY. All of it is one transaction: a bad record (its number in
 * the message) and nothing is loaded.
 */
export interface LoadOptions {
  /** records per COPY (default 20,000) */
  batch?: number;
  /** called after each batch with the records loaded so far */
  onProgress?: (loaded: number) => void;
}

export async function loadRecords(
  store: Store,
  ref: TableRef,
  records: Iterable<RecordValues> | AsyncIterable<RecordValues>,
  opts: LoadOptions = {},
): Promise<{ loaded: number }> {
  const size = opts.batch ?? 20_000;
  return store.transaction(async (tx) => {
    const shape = await writableShape(tx, ref);
    let batch: ColumnValue[][] = [];
    let loaded = 0;
    const flush = async (): Promise<void> => {
      if (!batch.length) return;
      const { columns, rows } = aligned(batch);
      await copyRecordsIn(tx, ref.envId, shape, columns, rows);
      loaded += batch.length;
      batch = [];
      opts.onProgress?.(loaded);
    };
    let n = 0;
    for await (const record of records) {
      n++;
      batch.push(checked(shape, record, n));
      if (batch.length >= size) await flush();
    }
    await flush();
    return { loaded };
  });
}

function checked(shape: TableShape, record: RecordValues, n: number): ColumnValue[] {
  try {
    return createValues(shape, record);
  } catch (e) {
    if (!(e instanceof StrataError)) throw e;
    throw new StrataError(e.code, `Record ${n}: ${e.message}`, {
      hint: `Nothing was loaded. ${e.hint ?? ''}`.trim(),
      details: { ...(e.details as object), record: n },
    });
  }
}

/** The batch as one list of columns (in first-seen order) and rows of values in that order. */
function aligned(batch: ColumnValue[][]): {
  columns: Array<Pick<ColumnValue, 'column' | 'companion'>>;
  rows: Array<Array<string | null>>;
} {
  // a column's own value by its name; a companion's by name and companion (rarer)
  const own = new Map<string, number>();
  const companions = new Map<string, number>();
  const columns: Array<Pick<ColumnValue, 'column' | 'companion'>> = [];
  const indexOf = (v: ColumnValue): number => {
    const map = v.companion ? companions : own;
    const key = v.companion ? `${v.column}\u0000${v.companion}` : v.column;
    let i = map.get(key);
    if (i === undefined) {
      i = columns.length;
      map.set(key, i);
      columns.push({ column: v.column, companion: v.companion });
    }
    return i;
  };
  const placed = batch.map((row) => row.map(indexOf));
  return {
    columns,
    rows: batch.map((row, r) => {
      const out: Array<string | null> = new Array<string | null>(columns.length).fill(null);
      const at = placed[r];
      for (let i = 0; i < row.length; i++) out[at[i]] = row[i].value;
      return out;
    }),
  };
}
