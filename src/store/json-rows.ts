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

/** More rows than this are read in pages of the table's blocks (jsonRowsInBlocks). */
export const ONE_VALUE_ROWS = 20_000;

/** The table blocks a page of jsonRowsInBlocks covers: 4 MB of the table, ~3 MB of JSON. */
const PAGE_BLOCKS = 512;

/**
 * Rows of `table` matching `where`, in no particular order, as jsonRows reads them, but a large
 * result in pages: each page the rows of a range of the table's blocks (a TID range scan, which
 * needs no statistics and no sort), so no value of more than a few megabytes is built. One large
 * value grows PGlite's WebAssembly memory for good: the 105,001 layers of an upgrade's planning
 * snapshot, 21 MB of JSON, grew it by 134 MB (decision 62). A result of at most ONE_VALUE_ROWS
 * rows is read as one value through the indexes, as the rows of a small environment can be
 * spread across a table that others fill.
 *
 * The pages are separate statements: the caller reads them where nothing else writes those rows
 * (a writer holds its environment's lock, store/revision.ts; a row of another environment that
 * moves is filtered out by `where` wherever it lands).
 */
export async function jsonRowsInBlocks<T extends unknown[]>(
  db: Queryable,
  query: { columns: string; table: string; where: string },
  params: unknown[],
): Promise<T[]> {
  const { columns, table, where } = query;
  const [span] = await db.query<{ n: number | string; first: number | null; last: number | null }>(
    `SELECT count(*) AS n, (min(ctid)::text::point)[0]::int AS first,
       (max(ctid)::text::point)[0]::int AS last
     FROM ${table} WHERE ${where}`,
    params,
  );
  if (Number(span.n) <= ONE_VALUE_ROWS || span.first === null || span.last === null)
    return jsonRows<T>(db, { columns, from: `${table} WHERE ${where}` }, params);
  const out: T[] = [];
  const from = params.length + 1;
  for (let block = span.first; block <= span.last; block += PAGE_BLOCKS) {
    const page = await jsonRows<T>(
      db,
      {
        columns,
        from: `${table} WHERE ${where} AND ctid >= $${from}::tid AND ctid < $${from + 1}::tid`,
      },
      [...params, `(${block},0)`, `(${block + PAGE_BLOCKS},0)`],
    );
    for (const row of page) out.push(row);
  }
  return out;
}
