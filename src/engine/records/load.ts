import { StrataError } from '../../model/errors.js';
import type { TableShape } from '../../model/table-shape.js';
import { randomUUID } from 'node:crypto';
import { analyzeRecordTable } from '../../store/record-tables.js';
import { copyRecordsIn, type ColumnValue } from '../../store/records.js';
import type { Store } from '../../store/store.js';
import { writableShape, type TableRef } from './records.js';
import { ColumnSlots, encodeCreate, writerValues, type RecordValues } from './values.js';

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

/** Loads this large refresh the table's statistics (a few hundred ms on a million rows). */
const ANALYZE_AFTER = 10_000;

export async function loadRecords(
  store: Store,
  ref: TableRef,
  records: Iterable<RecordValues> | AsyncIterable<RecordValues>,
  opts: LoadOptions = {},
): Promise<{ loaded: number }> {
  const size = opts.batch ?? 20_000;
  return store.transaction(async (tx) => {
    const shape = await writableShape(tx, ref);
    const writer = writerValues(shape, ref.envId, 'create');
    let slots = new ColumnSlots();
    let batch: Array<Array<string | null>> = [];
    let loaded = 0;
    // one COPY at a time, but the next batch is checked while the database takes the last
    let pending: Promise<void> = Promise.resolve();
    const flush = async (): Promise<void> => {
      if (!batch.length) return;
      const rows = batch;
      const columns = slots.columns;
      batch = [];
      slots = new ColumnSlots();
      await pending;
      pending = copyRecordsIn(tx, ref.envId, shape, columns, rows).then(() => {
        loaded += rows.length;
        opts.onProgress?.(loaded);
      });
      // a failure is taken up by the next await of pending, not reported as unhandled
      pending.catch(() => undefined);
    };
    let n = 0;
    try {
      for await (const record of records) {
        n++;
        batch.push(encoded(shape, record, slots, n, writer));
        if (batch.length >= size) await flush();
      }
    } catch (e) {
      // the COPY under way ends before the transaction rolls back
      await pending.catch(() => undefined);
      throw e;
    }
    await flush();
    await pending;
    if (loaded >= ANALYZE_AFTER) await analyzeRecordTable(tx, ref.envId, ref.table);
    return { loaded };
  });
}

function encoded(
  shape: TableShape,
  record: RecordValues,
  slots: ColumnSlots,
  n: number,
  writer: ColumnValue[],
): Array<string | null> {
  try {
    return encodeCreate(shape, record, slots, randomUUID, writer);
  } catch (e) {
    if (!(e instanceof StrataError)) throw e;
    throw new StrataError(e.code, `Record ${n}: ${e.message}`, {
      hint: `Nothing was loaded. ${e.hint ?? ''}`.trim(),
      details: { ...(e.details as object), record: n },
    });
  }
}
