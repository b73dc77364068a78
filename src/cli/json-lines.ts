import type { Readable, Writable } from 'node:stream';
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
 * JSON Lines (also called NDJSON): one JSON object per line, its values strings, numbers,
 * booleans or null, as the Web API's records are (a lookup is set with a string:
 * `"parentaccountid@odata.bind": "/accounts(...)"`). Blank lines are passed over; lines may
 * end in CRLF. A line is held whole before it is parsed, so a record may be as long as
 * maxRecordLength, and the file any size.
 */
const JSON_ARRAY_HINT =
  'Write one JSON object per line (JSON Lines), not one array: jq -c ".[]" FILE.json > FILE.jsonl';

function parseLine(text: string, line: number, name: string): DataRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const hint = text.trimStart().startsWith('[') ? JSON_ARRAY_HINT : undefined;
    throw invalidData(name, line, `not JSON: ${(e as Error).message}`, hint);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalidData(
      name,
      line,
      `a ${Array.isArray(value) ? 'JSON array' : 'JSON value'} where a record (an object) belongs`,
      JSON_ARRAY_HINT,
    );
  for (const [key, v] of Object.entries(value))
    if (typeof v === 'object' && v !== null)
      throw invalidData(
        name,
        line,
        `the value of ${key} is ${Array.isArray(v) ? 'an array' : 'an object'}; ` +
          'a column holds a string, a number, a boolean or null',
      );
  return value as DataRecord;
}

/** The records of a JSON Lines file or stream, one by one, in constant memory. */
export async function* readJsonLines(
  source: string | Readable,
  opts: ReadOptions = {},
): AsyncGenerator<DataRecord> {
  const name = opts.name ?? (typeof source === 'string' ? source : 'input');
  const max = opts.maxRecordLength ?? DEFAULT_MAX_RECORD_LENGTH;
  let line = 1;
  // the text of the line under way, in pieces
  let carry: string[] = [];
  let carried = 0;
  const take = (last: string): string => {
    const text = carry.length ? carry.join('') + last : last;
    carry = [];
    carried = 0;
    return text.endsWith('\r') ? text.slice(0, -1) : text;
  };
  for await (const chunk of textChunks(source, name, opts, () => line)) {
    let from = 0;
    for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', from)) {
      const text = take(chunk.slice(from, nl));
      if (text.trim()) {
        const record = parseLine(text, line, name);
        if (opts.position) opts.position.line = line;
        yield record;
      }
      line++;
      from = nl + 1;
    }
    if (from < chunk.length) {
      carried += chunk.length - from;
      if (carried > max) throw tooLong(name, line, max);
      carry.push(chunk.slice(from));
    }
  }
  const text = take('');
  if (!text.trim()) return;
  const record = parseLine(text, line, name);
  if (opts.position) opts.position.line = line;
  yield record;
}

/** Writes records as JSON Lines: the columns given, in their order, or each record whole. */
export class JsonLinesWriter {
  private readonly out: BufferedOutput;

  constructor(
    stream: Writable,
    private readonly columns?: readonly string[],
  ) {
    this.out = new BufferedOutput(stream);
  }

  write(record: DataRecord): Promise<void> | undefined {
    let row: Record<string, DataValue> = record;
    if (this.columns)
      row = Object.fromEntries(
        this.columns.map((c) => [c, Object.hasOwn(record, c) ? record[c] : null]),
      );
    return this.out.add(JSON.stringify(row) + '\n');
  }

  flush(): Promise<void> {
    return this.out.flush();
  }

  end(): Promise<void> {
    return this.out.end();
  }
}
