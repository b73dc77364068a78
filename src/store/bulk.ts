import type { Queryable } from './store.js';

export type ColumnSpec = [name: string, sqlType: string];

/**
 * Rows to insert: arrays of values in the columns' order, or made one at a time as they are sent
 * (`row(i)` for i below `length`), so that 105,001 layer rows are never all held at once.
 */
export type Rows = unknown[][] | { length: number; row(i: number): unknown[] };

const rowAt = (rows: Rows, i: number): unknown[] => (Array.isArray(rows) ? rows[i] : rows.row(i));

/**
 * Inserts many rows at once. Where the adapter can COPY (PGlite), rows go as one COPY text
 * body: straight into the table, or, when a conflict clause is given, into a temporary table
 * first and from there with `INSERT ... SELECT ... <conflict>`. Otherwise (node-postgres) rows
 * travel as one JSON parameter per chunk, unpacked with json_to_recordset.
 */
export async function insertRows(
  db: Queryable,
  table: string,
  columns: ColumnSpec[],
  /** one array per row, values in `columns` order */
  rows: Rows,
  conflict = '',
  chunkBytes = 8 * 1024 * 1024,
  /**
   * the most characters of COPY text sent at once (a row longer than this goes alone): 1 M, not
   * 4 M, keeps the 105,001-component install's peak 25–50 MB lower, where each piece's text, its
   * bytes and what made them wait for a collection; Apply at 10,501 layers took the same (three
   * pieces instead of one, 0.177 against 0.179 s in twelve alternating rounds; decision 73)
   */
  copyChars = 1024 * 1024,
): Promise<void> {
  if (rows.length === 0) return;
  const names = columns.map(([n]) => n);
  if (db.copyText) {
    const staging = `strata_bulk_${table}`;
    if (conflict) {
      await db.query(
        `CREATE TEMP TABLE IF NOT EXISTS ${staging} (LIKE ${table} INCLUDING DEFAULTS)
         ON COMMIT DELETE ROWS`,
      );
      await db.query(`TRUNCATE ${staging}`);
    }
    // a COPY per piece of the rows, not one body for all: the 105,001 layers of the largest
    // package are 21 MB of text, held again as bytes and once more in PGlite's file system
    for (let from = 0; from < rows.length;) {
      const piece = copyPiece(columns, rows, from, copyChars);
      from = piece.end;
      if (!conflict) {
        await db.copyText(table, names, piece.body);
        continue;
      }
      await db.copyText(staging, names, piece.body);
      await db.query(
        `INSERT INTO ${table} (${names.join(', ')})
         SELECT ${names.join(', ')} FROM ${staging} ${conflict}`,
      );
      // emptied after each piece (not before it as well): the next piece finds it empty
      await db.query(`TRUNCATE ${staging}`);
    }
    return;
  }
  const recordDef = columns.map(([n, t]) => `${n} ${t === 'bytea' ? 'text' : t}`).join(', ');
  const select = columns
    .map(([n, t]) => (t === 'bytea' ? `decode(x.${n}, 'base64')` : `x.${n}`))
    .join(', ');
  const sql = `INSERT INTO ${table} (${names.join(', ')})
    SELECT ${select} FROM json_to_recordset($1::json) AS x(${recordDef}) ${conflict}`;
  // each row is serialized once; a chunk is those strings joined into one JSON array
  let chunk: string[] = [];
  let size = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rowAt(rows, i);
    const s = JSON.stringify(
      Object.fromEntries(
        columns.map(([n, t], i) => [
          n,
          t === 'bytea' && r[i] != null ? Buffer.from(r[i] as Uint8Array).toString('base64') : r[i],
        ]),
      ),
    );
    if (chunk.length && size + s.length > chunkBytes) {
      await db.query(sql, [`[${chunk.join(',')}]`]);
      chunk = [];
      size = 0;
    }
    chunk.push(s);
    size += s.length;
  }
  if (chunk.length) await db.query(sql, [`[${chunk.join(',')}]`]);
}

const encoder = new TextEncoder();

/**
 * The rows from `from` on, as many as fit in `maxChars` characters (at least one), in
 * PostgreSQL's COPY text format (tab-separated, \N for null, backslash escapes) as UTF-8 bytes,
 * and where the next piece starts. Each line is encoded into the piece's bytes as it is made.
 * Joined into one text and encoded after, the 10,501 layer rows of the 10,000-component install
 * took 12 ms against 8 (the join flattens 10,501 strings of 33 parts each, and the bytes are a
 * second pass over the text), and allocated 18 MB more.
 */
function copyPiece(
  columns: ColumnSpec[],
  rows: Rows,
  from: number,
  maxChars: number,
): { body: Uint8Array; end: number } {
  const types = columns.map(([, t]) => t);
  // room for the piece as it most likely is (a layer row is 100–200 bytes); grown when not
  let bytes = new Uint8Array(Math.min(maxChars, (rows.length - from) * 256) + 1024);
  let written = 0;
  let size = 0;
  let i = from;
  for (; i < rows.length; i++) {
    const r = rowAt(rows, i);
    let line = copyValue(r[0], types[0]);
    for (let c = 1; c < types.length; c++) line += '\t' + copyValue(r[c], types[c]);
    line += '\n';
    if (i > from && size + line.length > maxChars) break;
    size += line.length;
    // a character is at most 3 bytes (a surrogate pair, two characters, is 4)
    if (bytes.length - written < line.length * 3) {
      const grown = new Uint8Array(Math.max(bytes.length * 2, written + line.length * 3));
      grown.set(bytes.subarray(0, written));
      bytes = grown;
    }
    written += encoder.encodeInto(line, bytes.subarray(written)).written;
  }
  return { body: bytes.subarray(0, written), end: i };
}

const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_SPECIAL_ALL = /[\\\t\n\r]/g;
const COPY_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
};

function copyValue(v: unknown, type: string): string {
  if (v === null || v === undefined) return '\\N';
  if (type === 'bytea') return `\\\\x${Buffer.from(v as Uint8Array).toString('hex')}`;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 't' : 'f';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return COPY_SPECIAL.test(s) ? s.replace(COPY_SPECIAL_ALL, (ch) => COPY_ESCAPES[ch]) : s;
}
