import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import type { Queryable, Row, Store } from '../store.js';

// bigint and numeric come back as strings by default; counts and ordinals here fit in a double.
pg.types.setTypeParser(20, (v) => Number(v));

/** The server store: PostgreSQL through node-postgres, for `DATABASE_URL`. */
export class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  private constructor(
    private readonly pool: pg.Pool,
    readonly location: string,
    private readonly url: string,
  ) {}

  /** `schema` puts every table in that schema (tests use a private one per run). */
  static async open(url: string, schema?: string): Promise<PostgresStore> {
    const pool = new pg.Pool({
      connectionString: url,
      max: 4,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    // fail early, with the server named, if it cannot be reached
    const c = await pool.connect();
    c.release();
    return new PostgresStore(pool, url.replace(/\/\/[^@/]*@/, '//***@'), url);
  }

  async query<T extends Row = Row>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pool.query(sql, params)).rows as T[];
  }

  async copyText(table: string, columns: string[], body: string | Uint8Array): Promise<void> {
    const client = await this.pool.connect();
    try {
      await copyInto(client, table, columns, body);
    } finally {
      client.release();
    }
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const out = await fn({
        query: async <R extends Row = Row>(sql: string, params: unknown[] = []) =>
          (await client.query(sql, params)).rows as R[],
        copyText: (table, columns, body) => copyInto(client, table, columns, body),
      });
      await client.query('COMMIT');
      return out;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }

  /**
   * Claims are session advisory locks held by one connection of this process's own, outside the
   * pool: when the process dies, however it dies, PostgreSQL sees the connection close and lets
   * its locks go.
   */
  private claimer: Promise<pg.Client> | null = null;

  private claimConnection(): Promise<pg.Client> {
    if (!this.claimer) {
      const connecting = (async () => {
        const c = new pg.Client({ connectionString: this.url });
        // a lost connection lost its locks too: the next claim opens another one
        c.on('error', () => {
          if (this.claimer === connecting) this.claimer = null;
        });
        await c.connect();
        return c;
      })();
      this.claimer = connecting;
      connecting.catch(() => {
        if (this.claimer === connecting) this.claimer = null;
      });
    }
    return this.claimer;
  }

  async claim(key: string): Promise<() => Promise<void>> {
    const c = await this.claimConnection();
    await c.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [key]);
    return async () => {
      await c
        .query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key])
        .catch(() => undefined);
    };
  }

  async isClaimed(key: string): Promise<boolean> {
    // taking the lock for a moment (until this transaction ends) succeeds only if nobody holds it
    return this.transaction(async (tx) => {
      const rows = await tx.query<{ free: boolean }>(
        'SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS free',
        [key],
      );
      return !rows[0].free;
    });
  }

  async close(): Promise<void> {
    const claimer = this.claimer;
    this.claimer = null;
    if (claimer) await (await claimer.catch(() => null))?.end().catch(() => undefined);
    await this.pool.end();
  }
}

/**
 * COPY … FROM STDIN on one connection: the body streams to the server in pieces (PGlite reads
 * it whole from a file in memory). The bulk path of layers and of records (store/bulk.ts).
 */
async function copyInto(
  client: pg.PoolClient,
  table: string,
  columns: string[],
  body: string | Uint8Array,
): Promise<void> {
  // loaded with the first COPY: most commands make none (≈ 13 ms to load)
  const { from: copyFrom } = await import('pg-copy-streams');
  const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(pieces(body)), stream);
}

/**
 * The body in pieces of about 1 MB: one write per piece, not one per row nor one of the whole.
 * Bytes are cut anywhere (the server reads a stream); a string's piece never ends between the two halves of a surrogate pair (each is encoded on its own).
 */
function* pieces(body: string | Uint8Array): Generator<string | Uint8Array> {
  const size = 1 << 20;
  if (typeof body !== 'string') {
    for (let i = 0; i < body.length; i += size) yield body.subarray(i, i + size);
    return;
  }
  for (let i = 0; i < body.length;) {
    let end = Math.min(i + size, body.length);
    const last = body.charCodeAt(end - 1);
    if (end < body.length && last >= 0xd800 && last <= 0xdbff) end--;
    yield body.slice(i, end);
    i = end;
  }
}
