import { StrataError } from '../../model/errors.js';
import type { TableShape } from '../../model/table-shape.js';
import { writeSequentialGuid } from '../../model/sequential-guid.js';
import { analyzeRecordTable } from '../../store/record-tables.js';
import { copyRecordsIn } from '../../store/records.js';
import type { Store } from '../../store/store.js';
import { writableShape, type TableRef } from './records.js';
import { fromJsonLine, fromText, type FileRecord } from './text-values.js';
import { CopyBatchWriter, type CopyBatch } from './copy-lines.js';
import { writerValues, type RecordValues } from './values.js';

/**
 * The bulk path for records: `strata data import`, CreateMultiple with many targets, the
 * benchmark's million rows. Every record is checked as a single create is (values.ts), then
 * batches go to the table as COPY. All of it is one transaction: a bad record (its number, or
 * where it came from, in the message) and nothing is loaded.
 */
export interface LoadOptions {
  /** records per COPY (default 20,000) */
  batch?: number;
  /** called after each batch with the records loaded so far */
  onProgress?: (loaded: number) => void;
  /**
   * What the records are: `typed` (the default), JSON values as the record API takes them;
   * `text`, a CSV file's, every value text, to take its column's type first (text-values.ts);
   * `json`, a JSON Lines file's, JSON values with a polymorphic lookup's table in `column@table`
   */
  values?: 'typed' | 'text' | 'json';
  /**
   * Where the n-th record (from 1) comes from, for its errors: `books.csv, line 1,203`, and
   * what the error's details add (file, line). By default errors say `Record n`.
   */
  origin?: (n: number) => RecordOrigin;
}

export interface RecordOrigin {
  text: string;
  details?: Record<string, unknown>;
}

/** records checked between two turns of the event loop (the COPY under way sends meanwhile) */
const YIELD_EVERY = 250;

function yieldToIo(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
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
    const writer = new CopyBatchWriter(
      shape,
      writerValues(shape, ref.envId, 'create'),
      writeSequentialGuid,
    );
    let loaded = 0;
    // one COPY at a time, but the next batch is checked while the database takes the last
    let pending: Promise<void> = Promise.resolve();
    const flush = async (batch: CopyBatch | null): Promise<void> => {
      if (!batch) return;
      const previous = pending;
      pending = previous.then(async () => {
        await copyRecordsIn(tx, ref.envId, shape, batch.columns, batch.body);
        loaded += batch.rows;
        opts.onProgress?.(loaded);
      });
      // never more than one batch ahead: the next one is checked while this one is taken
      await previous;
      // a failure is taken up by the next await of pending, not reported as unhandled
      pending.catch(() => undefined);
    };
    const source: RecordSource = {
      read: READERS[opts.values ?? 'typed'],
      origin: opts.origin ?? ((n) => ({ text: `Record ${n}`, details: { record: n } })),
    };
    let n = 0;
    /** takes one record; what to wait for before the next, or null (most records) */
    const step = (record: RecordValues): Promise<void> | null => {
      n++;
      // a record that named a column no earlier one did ends the batch of the rows before it
      const ended = added(shape, source, record, n, writer);
      if (ended) return flush(ended).then(async () => next() ?? undefined);
      return next();
    };
    const next = (): Promise<void> | null =>
      writer.rows >= size
        ? flush(writer.take())
        : // a COPY under way is fed from this thread (a server's socket): let it take more bytes
          // between records now and then, or it starves while a whole batch is checked
          n % YIELD_EVERY === 0
          ? yieldToIo()
          : null;
    try {
      if (Symbol.asyncIterator in records) {
        for await (const record of records) await step(record);
      } else {
        // an array or a generator: no promise per record (for await makes one for each)
        for (const record of records) {
          const wait = step(record);
          if (wait) await wait;
        }
      }
    } catch (e) {
      // the COPY under way ends before the transaction rolls back
      await pending.catch(() => undefined);
      throw e;
    }
    await flush(writer.take());
    await pending;
    if (loaded >= ANALYZE_AFTER) await analyzeRecordTable(tx, ref.envId, ref.table);
    return { loaded };
  });
}

/** How the records of a load are read, and how their errors say where each came from. */
interface RecordSource {
  read: (shape: TableShape, record: RecordValues) => RecordValues;
  origin: (n: number) => RecordOrigin;
}

const READERS: Record<NonNullable<LoadOptions['values']>, RecordSource['read']> = {
  typed: (_, record) => record,
  text: (shape, record) => fromText(shape, record as FileRecord),
  json: (shape, record) => fromJsonLine(shape, record as FileRecord),
};

function added(
  shape: TableShape,
  source: RecordSource,
  record: RecordValues,
  n: number,
  writer: CopyBatchWriter,
): CopyBatch | null {
  try {
    return writer.add(source.read(shape, record));
  } catch (e) {
    if (!(e instanceof StrataError)) throw e;
    const where = source.origin(n);
    throw new StrataError(e.code, `${where.text}${aboutColumn(shape, e)}`, {
      hint: `Nothing was loaded. ${e.hint ?? ''}`.trim(),
      details: { ...(e.details as object), ...where.details },
    });
  }
}

/**
 * The rest of a record's error after where it came from: `, column new_pages: expects a number`
 * when it is about one column (the record API's messages then begin `table.column: `), else
 * `: ` and the message.
 */
function aboutColumn(shape: TableShape, e: StrataError): string {
  const column = (e.details as { column?: unknown } | undefined)?.column;
  const prefix = `${shape.name}.${String(column)}: `;
  if (typeof column === 'string' && e.message.startsWith(prefix))
    return `, column ${column}: ${e.message.slice(prefix.length)}`;
  return `: ${e.message}`;
}
