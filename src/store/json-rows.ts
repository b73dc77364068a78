import type { Queryable } from './store.js';

/**
 * Rows read as one JSON value: `json_agg` of one JSON array per row (`columns`, in `order`),
 * parsed once. PGlite hands a result over one protocol message and one decoded field at a time:
 * 10,000 rows of seven columns took it 160 ms, as one text 5–10 ms, and `pg` gains too
 * (decision 59). `from` is what follows FROM: a table with its WHERE, or a subquery with its
 * alias.
 */
export async function jsonRows<T extends unknown[]>(
  db: Queryable,
  query: { columns: string; from: string; order?: string },
  params: unknown[],
): Promise<T[]> {
  const order = query.order ? ` ORDER BY ${query.order}` : '';
  const [{ rows }] = await db.query<{ rows: string | null }>(
    `SELECT json_agg(json_build_array(${query.columns})${order})::text AS rows
     FROM ${query.from}`,
    params,
  );
  return rows ? (JSON.parse(rows) as T[]) : [];
}

/** Rows of one page of jsonRowsInPages: a 10,000-layer page is about 2 MB of JSON. */
const PAGE_ROWS = 10_000;

/**
 * jsonRows for a read that may be large, a page at a time: the rows of `table` that match
 * `where`, in the order of `key` (the columns of a unique index, which lead `columns`, plain
 * column names), each page the `pageRows` after the last row of the one before. PostgreSQL builds
 * a JSON value and the message that carries it in memory, and PGlite's WebAssembly memory never
 * shrinks: the 105,001 layers of one environment as one value (21 MB) grew it by 134 MB for the
 * rest of the process; in pages of 10,000 it does not grow (decision 61).
 */
export async function jsonRowsInPages<T extends unknown[]>(
  db: Queryable,
  query: { columns: string; table: string; where: string; key: string[] },
  params: unknown[],
  pageRows = PAGE_ROWS,
): Promise<T[]> {
  const key = query.key.join(', ');
  const all: T[] = [];
  let after: unknown[] | undefined;
  for (;;) {
    const past = after
      ? ` AND (${key}) > (${after.map((_, i) => `$${params.length + i + 1}`).join(', ')})`
      : '';
    const [{ rows }] = await db.query<{ rows: string | null }>(
      `SELECT json_agg(json_build_array(${query.columns}) ORDER BY ${key})::text AS rows
       FROM (SELECT ${query.columns} FROM ${query.table}
             WHERE ${query.where}${past} ORDER BY ${key} LIMIT ${pageRows}) AS page`,
      after ? [...params, ...after] : params,
    );
    if (!rows) break;
    const page = JSON.parse(rows) as T[];
    for (const r of page) all.push(r);
    if (page.length < pageRows) break;
    after = page[page.length - 1].slice(0, query.key.length);
  }
  return all;
}
