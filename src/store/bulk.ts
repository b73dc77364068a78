import type { Queryable } from './store.js';

export type ColumnSpec = [name: string, sqlType: string];

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
  rows: unknown[][],
  conflict = '',
  chunkBytes = 8 * 1024 * 1024,
): Promise<void> {
  if (rows.length === 0) return;
  const names = columns.map(([n]) => n);
  if (db.copyText) {
    const body = copyBody(columns, rows);
    if (!conflict) {
      await db.copyText(table, names, body);
      return;
    }
    const staging = `strata_bulk_${table}`;
    await db.query(
      `CREATE TEMP TABLE IF NOT EXISTS ${staging} (LIKE ${table} INCLUDING DEFAULTS)
       ON COMMIT DELETE ROWS`,
    );
    await db.query(`TRUNCATE ${staging}`);
    await db.copyText(staging, names, body);
    await db.query(
      `INSERT INTO ${table} (${names.join(', ')})
       SELECT ${names.join(', ')} FROM ${staging} ${conflict}`,
    );
    await db.query(`TRUNCATE ${staging}`);
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
  for (const r of rows) {
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

/** Rows in PostgreSQL's COPY text format: tab-separated, \N for null, backslash escapes. */
export function copyBody(columns: ColumnSpec[], rows: unknown[][]): string {
  const types = columns.map(([, t]) => t);
  const lines: string[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    let line = copyValue(r[0], types[0]);
    for (let c = 1; c < types.length; c++) line += '\t' + copyValue(r[c], types[c]);
    lines[i] = line;
  }
  return lines.join('\n');
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
