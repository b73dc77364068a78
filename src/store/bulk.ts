import type { Queryable } from './store.js';

/**
 * Inserts many rows in one statement: the rows travel as one JSON parameter and are unpacked
 * with json_to_recordset, which PGlite and PostgreSQL both run fast. Rows are sent in chunks so
 * a single parameter stays a reasonable size.
 */
export async function insertRows(
  db: Queryable,
  table: string,
  columns: Array<[name: string, sqlType: string]>,
  rows: Array<Record<string, unknown>>,
  conflict = '',
  chunkBytes = 8 * 1024 * 1024,
): Promise<void> {
  if (rows.length === 0) return;
  const names = columns.map(([n]) => n).join(', ');
  const recordDef = columns.map(([n, t]) => `${n} ${t === 'bytea' ? 'text' : t}`).join(', ');
  const select = columns.map(([n, t]) => (t === 'bytea' ? `decode(x.${n}, 'base64')` : `x.${n}`)).join(', ');
  const sql = `INSERT INTO ${table} (${names}) SELECT ${select} FROM json_to_recordset($1::json) AS x(${recordDef}) ${conflict}`;
  // each row is serialized once; a chunk is those strings joined into one JSON array
  let chunk: string[] = [];
  let size = 0;
  for (const r of rows) {
    const s = JSON.stringify(r);
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
