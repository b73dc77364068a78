/**
 * The one interface the rest of strata uses to reach a database. Two adapters implement it:
 * PGlite (embedded, the default) and PostgreSQL (`DATABASE_URL`). They run the same SQL: the
 * rest of store/ never asks which one it is talking to.
 */
export type Row = Record<string, unknown>;

export interface Queryable {
  query<T extends Row = Row>(sql: string, params?: unknown[]): Promise<T[]>;
  /**
   * Each row of a result is decoded on this thread (PGlite's protocol runs in-process): a read
   * of many small rows does better as one value (a page as one JSON array). A server's rows
   * come from another process, where many rows are the cheaper form.
   */
  rowsDecodedHere?: boolean;
  /**
   * Bulk load: `COPY table (columns) FROM` a tab-separated text body (PostgreSQL's COPY text
   * format, one row per line), as a string or its UTF-8 bytes. Optional: adapters that cannot
   * stream COPY leave it out and store/bulk.ts falls back to one INSERT per chunk.
   */
  copyText?(table: string, columns: string[], body: string | Uint8Array): Promise<void>;
  /**
   * Runs `fn` with `bytes` in a file the database itself reads (`pg_read_binary_file(path)`),
   * removed after: megabytes of binary go in without a text form (base64 is a third larger, and
   * PGlite holds the message that carries it). Optional: a server's adapter leaves it out.
   */
  withFile?<T>(bytes: Uint8Array, fn: (path: string) => Promise<T>): Promise<T>;
}

export interface Store extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** a description for messages: the folder or the server */
  readonly location: string;
  /** Runs `fn` in one transaction: everything it wrote commits together, or nothing does. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Claims `key` for this process until the returned function releases it, or until the process
   * ends, however it ends (kill -9 included): how a running import job shows that someone still
   * works on it (store/queue.ts failInterruptedImports).
   */
  claim(key: string): Promise<() => Promise<void>>;
  /** Whether a live process, this one included, holds the claim `key`. */
  isClaimed(key: string): Promise<boolean>;
  close(): Promise<void>;
}
