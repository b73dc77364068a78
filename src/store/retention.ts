import type { ColumnShape, TableShape } from '../model/table-shape.js';
import { StrataError } from '../model/errors.js';
import {
  ensureRecordSchema,
  loadTableShapes,
  recordSchemaOf,
  saveTableShape,
  sqlColumns,
} from './record-tables.js';
import { physicalName, quoteIdent, tableRef } from './record-names.js';
import type { Queryable } from './store.js';

/**
 * Records come back: a table or column that an operation drops is not destroyed at once but
 * kept in the environment's retention area for its last K revisions (default 10), where a
 * rollback past the drop finds it (restoreRetained).
 *
 * - The retention area is one schema per environment beside its record schema (`…__env_7@retained`).
 *   A dropped table is moved there whole: its indexes renamed, then the table renamed and moved
 *   with ALTER TABLE … SET SCHEMA — catalog changes only, as cheap for a million rows as for one.
 * - A dropped column stays where it is, renamed out of the way (`12@new_note`): no shape lists
 *   it, so nothing reads or writes it, and renaming it back restores every value. Copying the
 *   values out was the other choice: it costs a write of every value on the drop and again on
 *   the restore (docs/decisions.md 50). A column kept so moves with its table if the table is
 *   dropped later, and is purged with it.
 * - retained_records (migration 10) names each retained table: environment, the revision whose
 *   operation dropped it, table, column, physical name, rows, the shape to restore, and whether
 *   it is still kept, purged (the physical table gone) or restored.
 *
 * The revision a drop belongs to is the environment's revision when it runs: every operation
 * bumps the revision before its tables follow the definitions (engine/records/schema-sync.ts).
 * Once the environment has moved K revisions past a drop, the drop is purged (expireRetention,
 * run in the operation's transaction).
 */

/** How many revisions retained records are kept when the environment does not say. */
export const DEFAULT_RETENTION_REVISIONS = 10;

/** What restoreRetained brought back, newest drop first. */
export interface RestoredSummary {
  tables: Array<{ table: string; rows: number }>;
  columns: Array<{ table: string; column: string }>;
}

/** A drop since a revision: still restorable, or purged (its records are gone for good). */
export interface RetainedDrop {
  revision: number;
  table: string;
  column?: string;
  rows: number;
}

/** One retained table or column, as `strata retention list` shows it. */
export interface RetentionEntry extends RetainedDrop {
  state: 'kept' | 'purged' | 'restored';
  retainedOn: string;
  /** the revision from which it is purged automatically (kept entries) */
  purgedAtRevision: number | null;
}

type EntryRow = {
  id: string;
  revision: string;
  table_name: string;
  column_name: string | null;
  physical_name: string;
  row_count: string;
  shape: unknown;
  indexes: unknown;
  state: 'kept' | 'purged' | 'restored';
  retained_on: string | Date;
};

/** A retained column: its shape and where it stood among the table's columns. */
interface RetainedColumnShape {
  column: ColumnShape;
  position: number;
}

/** The retention schema of an environment whose records live in `recordSchema`. */
export function retentionSchemaName(recordSchema: string): string {
  return physicalName(`${recordSchema}@retained`);
}

async function ensureRetentionSchema(tx: Queryable, envId: number): Promise<string> {
  const schema = retentionSchemaName(await ensureRecordSchema(tx, envId));
  await tx.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
  return schema;
}

/** How many revisions the environment keeps dropped tables and columns (K). */
export async function retentionRevisions(db: Queryable, envId: number): Promise<number> {
  const [row] = await db.query<{ k: number }>(
    'SELECT retention_revisions AS k FROM environments WHERE id = $1',
    [envId],
  );
  return Number(row?.k ?? DEFAULT_RETENTION_REVISIONS);
}

/**
 * Sets K for the environment; what the new K no longer keeps is purged at once, in the same
 * transaction. 0 keeps nothing: a drop destroys its records as it did before retention.
 */
export async function setRetentionRevisions(
  tx: Queryable,
  envId: number,
  k: number,
): Promise<{ tables: number; columns: number; rows: number }> {
  if (!Number.isInteger(k) || k < 0 || k > 1_000_000)
    throw new StrataError(
      'BAD_REQUEST',
      `The retention must be a whole number of revisions from 0 to 1000000, not ${k}.`,
      { hint: 'strata retention set 10 keeps dropped records for the last 10 revisions.' },
    );
  await tx.query('UPDATE environments SET retention_revisions = $2 WHERE id = $1', [envId, k]);
  return expireRetention(tx, envId);
}

/**
 * Moves a table the definitions no longer have into the retention area, with its records,
 * instead of dropping it. `rows` is its row count when the caller has just counted it (the
 * plan's data at risk, under the same lock); otherwise it is counted here.
 */
export async function retainRecordTable(
  tx: Queryable,
  envId: number,
  table: string,
  rows?: number,
): Promise<void> {
  const recordSchema = await recordSchemaOf(tx, envId);
  const shape = (await loadTableShapes(tx, envId, [table])).get(table);
  await tx.query('DELETE FROM record_tables WHERE env_id = $1 AND name = $2', [envId, table]);
  if (!recordSchema || !shape) return;
  const ref = tableRef(recordSchema, table);
  const [{ oid }] = await tx.query<{ oid: string | null }>('SELECT to_regclass($1)::oid AS oid', [
    ref,
  ]);
  if (!oid) return;
  if ((await retentionRevisions(tx, envId)) === 0) {
    await tx.query(`DROP TABLE ${ref} CASCADE`);
    return;
  }
  const count =
    rows ?? Number((await tx.query<{ n: string }>(`SELECT count(*) AS n FROM ${ref}`))[0].n);
  const retention = await ensureRetentionSchema(tx, envId);
  const id = await register(tx, envId, { table, column: null, rows: count, shape });
  const physical = physicalName(`${id}@${table}`);
  // index names are unique per schema: each takes a name of the entry's before the move
  const indexes = await tx.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
     WHERE i.indrelid = $1::oid ORDER BY c.relname`,
    [oid],
  );
  const renamed = indexes.map((ix, n) => ({ from: ix.name, to: physicalName(`${id}@${n}`) }));
  for (const r of renamed)
    await tx.query(
      `ALTER INDEX ${quoteIdent(recordSchema)}.${quoteIdent(r.from)} RENAME TO ${quoteIdent(r.to)}`,
    );
  await tx.query(`ALTER TABLE ${ref} RENAME TO ${quoteIdent(physical)}`);
  await tx.query(
    `ALTER TABLE ${quoteIdent(recordSchema)}.${quoteIdent(physical)} SET SCHEMA ${quoteIdent(retention)}`,
  );
  await tx.query(
    'UPDATE retained_records SET physical_name = $2, indexes = $3::jsonb WHERE id = $1',
    [id, physical, JSON.stringify(renamed)],
  );
}

/**
 * Keeps the columns `from` has and `to` lacks, with their values, before alterRecordTable
 * changes the table: each column's SQL columns are renamed in place to names of the entry's
 * (`12@new_note`: `@` never appears in a logical name, and no shape lists them, so nothing reads
 * or writes them) — a catalog change, as cheap for a million values as for one. Returns the
 * shape alterRecordTable should start from: `from` without the retained columns, which it must
 * not drop. `values` are the columns' non-empty values when the caller has just counted them
 * (the plan's data at risk). With K = 0 nothing is kept and `from` comes back unchanged.
 */
export async function retainDroppedColumns(
  tx: Queryable,
  envId: number,
  from: TableShape,
  to: TableShape,
  values?: ReadonlyMap<string, number>,
): Promise<TableShape> {
  const recordSchema = await recordSchemaOf(tx, envId);
  if (!recordSchema) return from;
  const keep = new Set(to.columns.map((c) => c.name));
  const dropped = from.columns
    .map((column, position) => ({ column, position }))
    .filter(({ column }) => !keep.has(column.name) && column.name !== from.primaryId);
  if (!dropped.length || (await retentionRevisions(tx, envId)) === 0) return from;
  const ref = tableRef(recordSchema, from.name);
  for (const d of dropped) {
    const own = sqlColumns(d.column)[0][0];
    const rows =
      values?.get(d.column.name) ??
      Number((await tx.query<{ n: string }>(`SELECT count(${own}) AS n FROM ${ref}`))[0].n);
    const id = await register(tx, envId, {
      table: from.name,
      column: d.column.name,
      rows,
      shape: d satisfies RetainedColumnShape,
    });
    const renamed = sqlColumns(d.column).map(([ident]) => {
      const name = unquote(ident);
      return { from: name, to: physicalName(`${id}@${name}`) };
    });
    for (const r of renamed)
      await tx.query(
        `ALTER TABLE ${ref} RENAME COLUMN ${quoteIdent(r.from)} TO ${quoteIdent(r.to)}`,
      );
    await tx.query(
      'UPDATE retained_records SET physical_name = $2, indexes = $3::jsonb WHERE id = $1',
      [id, renamed[0].to, JSON.stringify(renamed)],
    );
  }
  const gone = new Set(dropped.map((d) => d.column.name));
  return { ...from, columns: from.columns.filter((c) => !gone.has(c.name)) };
}

function unquote(ident: string): string {
  return ident.slice(1, -1).replace(/""/g, '"');
}

/**
 * Where a retained column's values are now: the table that holds its renamed SQL columns (the
 * environment's table, or that table retained since), or null once that table was purged.
 */
async function columnHolder(
  db: Queryable,
  recordSchema: string,
  e: EntryRow,
): Promise<string | null> {
  const rows = await db.query<{ schema: string; name: string }>(
    `SELECT n.nspname AS schema, c.relname AS name FROM pg_attribute a
     JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE a.attname = $1 AND NOT a.attisdropped AND c.relkind = 'r'
       AND n.nspname IN ($2, $3)`,
    [e.physical_name, recordSchema, retentionSchemaName(recordSchema)],
  );
  return rows[0] ? `${quoteIdent(rows[0].schema)}.${quoteIdent(rows[0].name)}` : null;
}

async function register(
  tx: Queryable,
  envId: number,
  e: { table: string; column: string | null; rows: number; shape: unknown },
): Promise<string> {
  const [{ id }] = await tx.query<{ id: string }>(
    `INSERT INTO retained_records (env_id, revision, table_name, column_name, row_count, shape)
     SELECT id, revision, $2, $3, $4, $5::jsonb FROM environments WHERE id = $1
     RETURNING id`,
    [envId, e.table, e.column, e.rows, JSON.stringify(e.shape)],
  );
  return String(id);
}

/**
 * What a rollback to `toRevision` would bring back (the drops of later revisions still kept),
 * and what it cannot (those purged since), newest first.
 */
export async function retainedSince(
  db: Queryable,
  envId: number,
  toRevision: number,
): Promise<{
  restorable: RetainedDrop[];
  purged: Array<Omit<RetainedDrop, 'rows'>>;
}> {
  const rows = await db.query<EntryRow>(
    `SELECT * FROM retained_records
     WHERE env_id = $1 AND revision > $2 AND state IN ('kept', 'purged')
     ORDER BY revision DESC, id DESC`,
    [envId, toRevision],
  );
  return {
    restorable: rows.filter((r) => r.state === 'kept').map(dropOf),
    purged: rows
      .filter((r) => r.state === 'purged')
      .map((r) => {
        const { rows: _rows, ...rest } = dropOf(r);
        return rest;
      }),
  };
}

function dropOf(r: EntryRow): RetainedDrop {
  return {
    revision: Number(r.revision),
    table: r.table_name,
    ...(r.column_name ? { column: r.column_name } : {}),
    rows: Number(r.row_count),
  };
}

/** Every retained table and column of the environment, newest first, purged ones included. */
export async function listRetention(db: Queryable, envId: number): Promise<RetentionEntry[]> {
  const k = await retentionRevisions(db, envId);
  const rows = await db.query<EntryRow>(
    `SELECT * FROM retained_records WHERE env_id = $1 AND state IN ('kept', 'purged')
     ORDER BY revision DESC, id DESC`,
    [envId],
  );
  return rows.map((r) => ({
    ...dropOf(r),
    state: r.state,
    retainedOn: new Date(r.retained_on).toISOString(),
    purgedAtRevision: r.state === 'kept' ? Number(r.revision) + k : null,
  }));
}

/**
 * Brings back, newest drop first, every table and column dropped at revisions after
 * `toRevision` that is still kept, with its records, and the shape it had (record_tables): the
 * caller then makes the tables follow the definitions of `toRevision` as usual. A table of the
 * same name made since is retained first (at `opts.revision`, default the environment's
 * revision: call this after the rollback's own revision bump), so the rollback can be undone
 * too. A column whose table is not there is left retained. Purged drops are not restored:
 * retainedSince names them, for the plan to refuse.
 */
export async function restoreRetained(
  tx: Queryable,
  envId: number,
  toRevision: number,
  opts: { revision?: number; before?: number } = {},
): Promise<RestoredSummary> {
  // `before`: the rollback's own revision, whose drops (made by this same rollback) stay kept
  const entries = await tx.query<EntryRow>(
    `SELECT * FROM retained_records
     WHERE env_id = $1 AND revision > $2 AND state = 'kept'
       AND ($3::bigint IS NULL OR revision < $3::bigint)
     ORDER BY revision DESC, id DESC`,
    [envId, toRevision, opts.before ?? null],
  );
  const out: RestoredSummary = { tables: [], columns: [] };
  const since = await tx.query<{ id: string }>(
    'SELECT COALESCE(max(id), 0) AS id FROM retained_records WHERE env_id = $1',
    [envId],
  );
  const firstNew = Number(since[0].id);
  for (const e of entries) {
    if (e.column_name === null) {
      await restoreTable(tx, envId, e);
      out.tables.push({ table: e.table_name, rows: Number(e.row_count) });
    } else if (await restoreColumn(tx, envId, e)) {
      out.columns.push({ table: e.table_name, column: e.column_name });
    }
  }
  // what the restore itself retained belongs to the rollback's revision
  if (opts.revision !== undefined)
    await tx.query('UPDATE retained_records SET revision = $3 WHERE env_id = $1 AND id > $2', [
      envId,
      firstNew,
      opts.revision,
    ]);
  return out;
}

async function restoreTable(tx: Queryable, envId: number, e: EntryRow): Promise<void> {
  const shape = shapeOf<TableShape>(e.shape);
  // a table of that name made after the drop is not the one that was there: it goes, retained
  if ((await loadTableShapes(tx, envId, [e.table_name])).has(e.table_name))
    await retainRecordTable(tx, envId, e.table_name);
  const recordSchema = await ensureRecordSchema(tx, envId);
  const retention = retentionSchemaName(recordSchema);
  await tx.query(
    `ALTER TABLE ${quoteIdent(retention)}.${quoteIdent(e.physical_name)}
     SET SCHEMA ${quoteIdent(recordSchema)}`,
  );
  await tx.query(
    `ALTER TABLE ${quoteIdent(recordSchema)}.${quoteIdent(e.physical_name)}
     RENAME TO ${quoteIdent(physicalName(e.table_name))}`,
  );
  for (const r of shapeOf<Array<{ from: string; to: string }>>(e.indexes))
    await tx.query(
      `ALTER INDEX ${quoteIdent(recordSchema)}.${quoteIdent(r.to)} RENAME TO ${quoteIdent(r.from)}`,
    );
  await saveTableShape(tx, envId, shape);
  await ended(tx, e.id, 'restored');
}

async function restoreColumn(tx: Queryable, envId: number, e: EntryRow): Promise<boolean> {
  const { column, position } = shapeOf<RetainedColumnShape>(e.shape);
  const recordSchema = await recordSchemaOf(tx, envId);
  let table = (await loadTableShapes(tx, envId, [e.table_name])).get(e.table_name);
  if (!table || !recordSchema) return false;
  const ref = tableRef(recordSchema, table.name);
  // its values must be in this table (not in one retained or purged since)
  if ((await columnHolder(tx, recordSchema, e)) !== ref) return false;
  // a column of that name in the shape and in the table itself: a rollback may have put the
  // shape back (record_tables) before the column's values come back here
  const inShape = table.columns.find((c) => c.name === column.name);
  const current =
    inShape && (await hasPhysicalColumn(tx, recordSchema, table.name, physicalName(column.name)))
      ? inShape
      : undefined;
  if (inShape && !current)
    table = { ...table, columns: table.columns.filter((c) => c !== inShape) };
  if (current) {
    // the column was added again since: it is retained in turn before the old one returns
    const without = { ...table, columns: table.columns.filter((c) => c !== current) };
    table = await retainDroppedColumns(tx, envId, table, without);
    if (table.columns.includes(current)) {
      await tx.query(
        `ALTER TABLE ${ref} ${sqlColumns(current)
          .map(([ident]) => `DROP COLUMN ${ident}`)
          .join(', ')}`,
      );
      table = without;
    }
  }
  for (const r of shapeOf<Array<{ from: string; to: string }>>(e.indexes))
    await tx.query(`ALTER TABLE ${ref} RENAME COLUMN ${quoteIdent(r.to)} TO ${quoteIdent(r.from)}`);
  const others = table.columns.filter((c) => c.name !== column.name);
  others.splice(Math.min(position, others.length), 0, column);
  await saveTableShape(tx, envId, { ...table, columns: others });
  await ended(tx, e.id, 'restored');
  return true;
}

/** Whether the table has a column of that physical name now (whatever its shape says). */
async function hasPhysicalColumn(
  tx: Queryable,
  schema: string,
  table: string,
  column: string,
): Promise<boolean> {
  const rows = await tx.query(
    `SELECT 1 FROM information_schema.columns
     WHERE table_schema = $1 AND table_name = $2 AND column_name = $3`,
    [schema, physicalName(table), column],
  );
  return rows.length > 0;
}

function shapeOf<T>(v: unknown): T {
  return (typeof v === 'string' ? JSON.parse(v) : v) as T;
}

async function ended(tx: Queryable, id: string, state: 'purged' | 'restored'): Promise<void> {
  await tx.query('UPDATE retained_records SET state = $2, ended_on = now() WHERE id = $1', [
    id,
    state,
  ]);
}

/**
 * Frees retained records: all of them (`all`), those older than the last `keepRevisions`
 * revisions, or by default those older than the environment's own K. Their physical tables are
 * dropped; their entries stay, marked purged, so that a plan can say what it cannot restore.
 */
export async function purgeRetention(
  tx: Queryable,
  envId: number,
  opts: { keepRevisions?: number; all?: boolean } = {},
): Promise<{ tables: number; columns: number; rows: number }> {
  const due = await purgeable(tx, envId, opts);
  const out = { tables: 0, columns: 0, rows: 0 };
  if (!due.length) return out;
  const recordSchema = (await recordSchemaOf(tx, envId))!;
  const retention = retentionSchemaName(recordSchema);
  for (const e of due) {
    if (e.column_name === null) {
      await tx.query(
        `DROP TABLE IF EXISTS ${quoteIdent(retention)}.${quoteIdent(e.physical_name)} CASCADE`,
      );
      out.tables++;
    } else {
      const holder = await columnHolder(tx, recordSchema, e);
      if (holder)
        await tx.query(
          `ALTER TABLE ${holder} ${shapeOf<Array<{ to: string }>>(e.indexes)
            .map((r) => `DROP COLUMN ${quoteIdent(r.to)}`)
            .join(', ')}`,
        );
      out.columns++;
    }
    await ended(tx, e.id, 'purged');
    out.rows += Number(e.row_count);
  }
  // a column kept inside a table that is now purged went with it
  if (out.tables)
    for (const e of await tx.query<EntryRow>(
      `SELECT * FROM retained_records
       WHERE env_id = $1 AND state = 'kept' AND column_name IS NOT NULL`,
      [envId],
    ))
      if (!(await columnHolder(tx, recordSchema, e))) await ended(tx, e.id, 'purged');
  return out;
}

/** What purgeRetention would free with these options, without freeing it. */
export async function purgeableRetention(
  db: Queryable,
  envId: number,
  opts: { keepRevisions?: number; all?: boolean } = {},
): Promise<{ tables: number; columns: number; rows: number }> {
  const due = await purgeable(db, envId, opts);
  return {
    tables: due.filter((e) => e.column_name === null).length,
    columns: due.filter((e) => e.column_name !== null).length,
    rows: due.reduce((n, e) => n + Number(e.row_count), 0),
  };
}

async function purgeable(
  db: Queryable,
  envId: number,
  opts: { keepRevisions?: number; all?: boolean },
): Promise<EntryRow[]> {
  if (opts.all)
    return db.query<EntryRow>(
      `SELECT * FROM retained_records WHERE env_id = $1 AND state = 'kept' ORDER BY id`,
      [envId],
    );
  const k = opts.keepRevisions ?? (await retentionRevisions(db, envId));
  // kept for the last K revisions: a drop at revision r goes once the environment reaches r + K
  return db.query<EntryRow>(
    `SELECT r.* FROM retained_records r JOIN environments e ON e.id = r.env_id
     WHERE r.env_id = $1 AND r.state = 'kept' AND r.revision <= e.revision - $2
     ORDER BY r.id`,
    [envId, k],
  );
}

/**
 * Purges what the environment's K no longer keeps: run at the end of every operation that
 * changes tables, in its transaction (engine/records/schema-sync.ts). One indexed read when
 * nothing is due.
 */
export async function expireRetention(
  tx: Queryable,
  envId: number,
): Promise<{ tables: number; columns: number; rows: number }> {
  return purgeRetention(tx, envId);
}

/** Drops the environment's retention area: it goes with the environment. */
export async function dropRetentionSchema(tx: Queryable, envId: number): Promise<void> {
  const recordSchema = await recordSchemaOf(tx, envId);
  if (recordSchema)
    await tx.query(
      `DROP SCHEMA IF EXISTS ${quoteIdent(retentionSchemaName(recordSchema))} CASCADE`,
    );
}
