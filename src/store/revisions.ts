import type { TableShape } from '../model/table-shape.js';
import { sqlKeys } from './component-keys.js';
import type { Queryable } from './store.js';
import { imageRow, keyText, undoEntries, UNDONE_TABLES } from './undo-log.js';

/**
 * Revisions: every operation that changes an environment makes the next one, once per
 * transaction (bumpRevision), and owns the undo-log rows its transaction wrote (store/undo-log.ts).
 * The history row the operation records names it (recordHistory links the two).
 */

export interface RevisionRow {
  number: number;
  operation: string | null;
  subOperation: string | null;
  solution: string | null;
  historyId: number | null;
  /** for a rollback: the revision it went back to */
  rolledBackTo: number | null;
  createdOn: Date;
}

/**
 * The environment's next revision, made by the transaction `tx` the first time it asks: an
 * operation that writes in several steps (an import that publishes) is one revision. Returns it.
 */
export async function bumpRevision(tx: Queryable, envId: number): Promise<number> {
  const rows = await tx.query<{ number: string }>(
    `WITH mine AS (SELECT number FROM revisions WHERE env_id = $1 AND xid = txid_current()),
     up AS (
       UPDATE environments SET revision = revision + 1
       WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM mine) RETURNING id, revision),
     made AS (
       INSERT INTO revisions (env_id, number, xid)
       SELECT id, revision, txid_current() FROM up RETURNING number)
     SELECT number FROM made UNION ALL SELECT number FROM mine`,
    [envId],
  );
  return Number(rows[0]?.number);
}

/** Names the revision this transaction made (if any) after the history row that tells of it. */
export async function nameRevision(
  tx: Queryable,
  envId: number,
  h: { historyId: number; operation: string; subOperation: string; solution: string },
): Promise<void> {
  await tx.query(
    `UPDATE revisions SET history_id = $2, operation = $3, sub_operation = $4, solution = $5
     WHERE env_id = $1 AND xid = txid_current() AND history_id IS NULL`,
    [envId, h.historyId, h.operation, h.subOperation, h.solution],
  );
}

/** Marks this transaction's revision as a rollback to `to`. */
export async function markRollback(tx: Queryable, envId: number, to: number): Promise<void> {
  await tx.query(
    'UPDATE revisions SET rolled_back_to = $2 WHERE env_id = $1 AND xid = txid_current()',
    [envId, to],
  );
}

/** The environment's revisions, newest first (all, or from `from` on). */
export async function listRevisions(
  db: Queryable,
  envId: number,
  from = 0,
): Promise<RevisionRow[]> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT number, operation, sub_operation, solution, history_id, rolled_back_to, created_on
     FROM revisions WHERE env_id = $1 AND number >= $2 ORDER BY number DESC`,
    [envId, from],
  );
  return rows.map((r) => ({
    number: Number(r.number),
    operation: (r.operation as string) ?? null,
    subOperation: (r.sub_operation as string) ?? null,
    solution: (r.solution as string) ?? null,
    historyId: r.history_id === null ? null : Number(r.history_id),
    rolledBackTo: r.rolled_back_to === null ? null : Number(r.rolled_back_to),
    createdOn: new Date(r.created_on as string),
  }));
}

/**
 * What a span of revisions changed, key by key, as the undo log tells it: for every row one of
 * them touched, whether it existed before the span and after it, and the parts of its
 * before-image a plan shows (solutions, publishers and table shapes whole; a layer's name).
 */
export interface RowChange {
  table: string;
  /** the key columns' values, in UNDONE_TABLES order */
  key: string[];
  before: boolean;
  after: boolean;
  /** the row before the span (the parts a plan reads), when it existed */
  image: Record<string, unknown> | null;
}

/** The row changes of revisions `from` through `to` (inclusive). */
export async function rowChanges(
  db: Queryable,
  envId: number,
  from: number,
  to: number,
): Promise<RowChange[]> {
  const rows = await db.query<{
    tbl: string;
    k: string;
    first_op: string;
    last_op: string;
    img: Record<string, unknown> | string | null;
  }>(
    `WITH span AS (
       SELECT xid FROM revisions WHERE env_id = $1 AND number BETWEEN $2 AND $3),
     u AS (
       SELECT tbl, k, stmt, op, img, rec FROM ${undoEntries('env_id = $1 AND xid IN (SELECT xid FROM span)')} e),
     first AS (
       SELECT DISTINCT ON (tbl, k) tbl, k, op, img, rec FROM u ORDER BY tbl, k, stmt, op),
     last AS (
       SELECT DISTINCT ON (tbl, k) tbl, k, op FROM u ORDER BY tbl, k, stmt DESC, op DESC)
     SELECT f.tbl, f.k, f.op AS first_op, l.op AS last_op,
       CASE
         WHEN f.op <> 'D' THEN NULL
         WHEN f.tbl = 'solutions' THEN to_jsonb(${imageRow('solutions', 'f')})
         WHEN f.tbl = 'publishers' THEN to_jsonb(${imageRow('publishers', 'f')})
         WHEN f.tbl = 'record_tables' THEN to_jsonb(${imageRow('record_tables', 'f')})
         WHEN f.tbl = 'layers' THEN (SELECT jsonb_build_object('name', (l.r).name, 'kind', (l.r).kind)
           FROM (SELECT ${imageRow('layers', 'f')} AS r OFFSET 0) l)
       END AS img
     FROM first f JOIN last l USING (tbl, k)
     WHERE f.tbl IN ('solutions', 'publishers', 'record_tables', 'layers')
     ORDER BY f.tbl, f.k`,
    [envId, from, to],
  );
  return rows.map((r) => ({
    table: r.tbl,
    key: r.k.split('\u0001'),
    before: r.first_op === 'D',
    after: r.last_op === 'I',
    image: typeof r.img === 'string' ? JSON.parse(r.img) : r.img,
  }));
}

/**
 * Puts the metadata back as it was at revision `to`: for each table the log covers, every row a
 * later revision touched goes, and the first before-image of each key that existed at `to`
 * comes back. Two statements a table, whatever the number of revisions; the statements are
 * themselves logged, so the rollback can be rolled back.
 */
export async function rollbackMetadata(tx: Queryable, envId: number, to: number): Promise<void> {
  const span = `SELECT xid FROM revisions WHERE env_id = $1 AND number > $2`;
  for (const { table } of UNDONE_TABLES) {
    const entries = undoEntries(`env_id = $1 AND tbl = '${table}' AND xid IN (${span})`);
    await tx.query(
      `DELETE FROM ${table} t
       USING (SELECT DISTINCT k FROM ${entries} e) u
       WHERE t.env_id = $1 AND ${keyText(table, 't')} = u.k`,
      [envId, to],
    );
    await tx.query(
      // (a lateral subquery behind OFFSET 0: `(f(x)).*` would read the image once per column)
      `INSERT INTO ${table}
       SELECT (x.r).* FROM (
         SELECT DISTINCT ON (k) op, img, rec FROM ${entries} e
         ORDER BY k, stmt, op) f,
         LATERAL (SELECT ${imageRow(table, 'f')} AS r OFFSET 0) x
       WHERE f.op = 'D'`,
      [envId, to],
    );
  }
}

/** The table shapes at revision `to` of the tables later revisions touched (null: no table). */
export function shapesAt(changes: RowChange[]): Map<string, TableShape | null> {
  const out = new Map<string, TableShape | null>();
  for (const c of changes)
    if (c.table === 'record_tables') {
      const shape = c.image?.shape;
      out.set(
        c.key[0],
        c.before ? ((typeof shape === 'string' ? JSON.parse(shape) : shape) as TableShape) : null,
      );
    }
  return out;
}

/** Forgets the undo log and revisions of an environment that goes (store/environments.ts). */
export async function forgetRevisions(tx: Queryable, envId: number): Promise<void> {
  await tx.query('DELETE FROM undo_log WHERE env_id = $1', [envId]);
  await tx.query('DELETE FROM revisions WHERE env_id = $1', [envId]);
}

/** The current rows of the tables a plan compares, keyed as the undo log keys them. */
export interface CurrentRows {
  solutions: Map<string, Record<string, unknown>>;
  publishers: Map<string, Record<string, unknown>>;
  /** the layers of the given components only */
  layers: Map<string, Record<string, unknown>>;
}

/** Solutions, publishers, and the layers of `components` (type and key), as they are now. */
export async function currentRows(
  db: Queryable,
  envId: number,
  components: Array<{ type: string; key: string }>,
): Promise<CurrentRows> {
  // one query at a time: a transaction's connection runs them in turn anyway
  const solutions = await db.query<Record<string, unknown>>(
    'SELECT unique_name, version, managed FROM solutions WHERE env_id = $1',
    [envId],
  );
  const publishers = await db.query<Record<string, unknown>>(
    'SELECT unique_name FROM publishers WHERE env_id = $1',
    [envId],
  );
  const layers = components.length
    ? await db.query<Record<string, unknown>>(
        // a hash join on the keys: `= ANY(array)` would compare each layer with every key
        `SELECT l.type, l.key, l.solution, l.name, l.kind
         FROM layers l JOIN (SELECT DISTINCT unnest($2::text[]) AS k) c
           ON (l.type || chr(1) || l.key) = c.k
         WHERE l.env_id = $1`,
        [envId, sqlKeys(components)],
      )
    : [];
  const by = (rows: Record<string, unknown>[], cols: string[]) =>
    new Map(rows.map((r) => [cols.map((c) => String(r[c])).join('\u0001'), r]));
  return {
    solutions: by(solutions, ['unique_name']),
    publishers: by(publishers, ['unique_name']),
    layers: by(layers, ['type', 'key', 'solution']),
  };
}
