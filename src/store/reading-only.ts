import { mayWrite } from './pglite/generation.js';
import type { Queryable, Row, Store } from './store.js';

/**
 * `store` for reads only: a statement that may write (generation.ts mayWrite) is refused, and
 * closing it leaves the store open. The CLI lends it to the reads a write leaves behind
 * (cli/context.ts, decision 60): they answer what the write made and must not change it.
 */
export function readingOnly(store: Store): Store {
  const reads = (db: Queryable): Queryable => ({
    rowsDecodedHere: db.rowsDecodedHere,
    query: <T extends Row = Row>(sql: string, params?: unknown[]): Promise<T[]> => {
      if (mayWrite(sql))
        return Promise.reject(new Error(`this use of the store only reads; refused: ${sql}`));
      return db.query<T>(sql, params);
    },
  });
  return {
    ...reads(store),
    kind: store.kind,
    location: store.location,
    transaction: (fn) => store.transaction((tx) => fn(reads(tx))),
    claim: (key) => store.claim(key),
    isClaimed: (key) => store.isClaimed(key),
    close: async () => undefined, // the lender closes it
  };
}
