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
    return new PostgresStore(pool, url.replace(/\/\/[^@/]*@/, '//***@'));
  }

  async query<T extends Row = Row>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pool.query(sql, params)).rows as T[];
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const out = await fn({
        query: async <R extends Row = Row>(sql: string, params: unknown[] = []) =>
          (await client.query(sql, params)).rows as R[],
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

  async close(): Promise<void> {
    await this.pool.end();
  }
}
