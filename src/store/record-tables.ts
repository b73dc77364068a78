import type { ColumnShape, TableShape } from '../model/table-shape.js';
import { polymorphic } from '../model/table-shape.js';
import type { Queryable } from './store.js';
import {
  columnIdent,
  physicalName,
  quoteIdent,
  recordSchemaName,
  tableRef,
} from './record-names.js';

/**
 * The SQL tables that hold an environment's records, made from table shapes
 * (model/table-shape.ts). The layout, which store/record-sql.ts reads:
 *
 * - one schema per environment (record-names.ts), made with its first table;
 * - a table per shape, named after its logical name, its primary key a uuid;
 * - a column per column shape: id/uuid uuid; text varchar(max length); integer, choice integer;
 *   bigint bigint; decimal numeric; money numeric(38,4); float double precision; boolean
 *   boolean; choices integer[]; datetime timestamptz (User Local), date (Date Only) or timestamp
 *   (Time-Zone Independent); lookup uuid, with `name@table` text beside it when the lookup is
 *   polymorphic; file uuid, with `name@name` text and `name@size` bigint;
 * - a unique index per alternate key.
 *
 * Ranges, required values and option values are checked by the record API, not by the table:
 * a definition that changes them changes no table. record_tables keeps the shape each table was
 * made with.
 */

/** The SQL columns of one column shape: the value's own, then its companions. */
export function sqlColumns(c: ColumnShape): Array<[ident: string, sqlType: string]> {
  const own = columnIdent(c.name);
  switch (c.kind) {
    case 'id':
    case 'uuid':
      return [[own, 'uuid']];
    case 'text':
      return [[own, c.maxLength ? `varchar(${c.maxLength})` : 'text']];
    case 'integer':
    case 'choice':
      return [[own, 'integer']];
    case 'bigint':
      return [[own, 'bigint']];
    case 'decimal':
      return [[own, 'numeric']];
    case 'money':
      return [[own, 'numeric(38,4)']];
    case 'float':
      return [[own, 'double precision']];
    case 'boolean':
      return [[own, 'boolean']];
    case 'choices':
      return [[own, 'integer[]']];
    case 'datetime':
      return [[own, DATETIME_TYPES[c.behavior ?? 'UserLocal']]];
    case 'lookup':
      return polymorphic(c)
        ? [
            [own, 'uuid'],
            [columnIdent(c.name, 'table'), 'text'],
          ]
        : [[own, 'uuid']];
    case 'file':
      return [
        [own, 'uuid'],
        [columnIdent(c.name, 'name'), 'text'],
        [columnIdent(c.name, 'size'), 'bigint'],
      ];
  }
}

const DATETIME_TYPES = {
  UserLocal: 'timestamptz',
  DateOnly: 'date',
  TimeZoneIndependent: 'timestamp',
} as const;

/** The environment's record schema, made (and named in environments) on first use. */
export async function ensureRecordSchema(tx: Queryable, envId: number): Promise<string> {
  const known = await recordSchemaOf(tx, envId);
  if (known) return known;
  const [{ base }] = await tx.query<{ base: string }>('SELECT current_schema() AS base');
  const schema = recordSchemaName(base, envId);
  await tx.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
  // versionnumber: one counter per environment, as Dataverse's rowversion is per organization
  await tx.query(`CREATE SEQUENCE IF NOT EXISTS ${versionSequence(schema)}`);
  await tx.query('UPDATE environments SET records_schema = $2 WHERE id = $1', [envId, schema]);
  return schema;
}

/** The sequence that numbers the versions of an environment's records. */
export function versionSequence(schema: string): string {
  return `${quoteIdent(schema)}."strata@versionnumber"`;
}

/** The environment's record schema, or null while it has no table yet. */
export async function recordSchemaOf(db: Queryable, envId: number): Promise<string | null> {
  const rows = await db.query<{ records_schema: string | null }>(
    'SELECT records_schema FROM environments WHERE id = $1',
    [envId],
  );
  return rows[0]?.records_schema ?? null;
}

/** The names of the tables the environment has made (those that have held records). */
export async function madeTableNames(db: Queryable, envId: number): Promise<Set<string>> {
  const rows = await db.query<{ name: string }>(
    'SELECT name FROM record_tables WHERE env_id = $1',
    [envId],
  );
  return new Set(rows.map((r) => r.name));
}

/** The shapes the environment's tables were made with, by table name. */
export async function loadTableShapes(
  db: Queryable,
  envId: number,
  names?: string[],
): Promise<Map<string, TableShape>> {
  const rows = await db.query<{ name: string; shape: TableShape | string }>(
    names
      ? 'SELECT name, shape FROM record_tables WHERE env_id = $1 AND name = ANY($2::text[])'
      : 'SELECT name, shape FROM record_tables WHERE env_id = $1',
    names ? [envId, names] : [envId],
  );
  return new Map(
    rows.map((r) => [r.name, typeof r.shape === 'string' ? JSON.parse(r.shape) : r.shape]),
  );
}

/** Makes the table of a shape. */
export async function createRecordTable(
  tx: Queryable,
  envId: number,
  shape: TableShape,
): Promise<void> {
  const schema = await ensureRecordSchema(tx, envId);
  const columns = shape.columns.flatMap((c) =>
    sqlColumns(c).map(([ident, type], i) =>
      c.name === shape.primaryId && i === 0
        ? `${ident} uuid PRIMARY KEY DEFAULT gen_random_uuid()`
        : `${ident} ${type}${i === 0 ? maintainedDefault(schema, c.name) : ''}`,
    ),
  );
  await tx.query(`CREATE TABLE ${tableRef(schema, shape.name)} (${columns.join(', ')})`);
  for (const key of shape.keys) await createKeyIndex(tx, schema, shape, key.name, key.columns);
  await saveTableShape(tx, envId, shape);
}

/**
 * The columns strata maintains fill themselves: a bulk load (COPY) that leaves them out gets the
 * time of the load and a new version per row.
 */
export function maintainedDefault(schema: string, column: string): string {
  if (column === 'createdon' || column === 'modifiedon') return ' DEFAULT now()';
  if (column === 'versionnumber')
    return ` DEFAULT nextval('${versionSequence(schema).replace(/'/g, "''")}')`;
  return '';
}

/**
 * Brings a table from the shape it was made with to a new one: new columns are added, columns
 * the new shape lacks are dropped with their values, columns whose storage changed (a maximum
 * length, a date behaviour, a lookup's companions) are altered, and alternate keys follow.
 * The caller has refused a change that cannot keep data (engine/records/data-impact.ts), and
 * has retained the values of the columns that go (store/retention.ts retainDroppedColumns).
 * A table that goes is never dropped here: retention.ts moves it, records and all.
 */
export async function alterRecordTable(
  tx: Queryable,
  envId: number,
  from: TableShape,
  to: TableShape,
): Promise<void> {
  const schema = await ensureRecordSchema(tx, envId);
  const table = tableRef(schema, to.name);
  const before = new Map(from.columns.map((c) => [c.name, c]));
  const after = new Map(to.columns.map((c) => [c.name, c]));
  const steps: string[] = [];
  for (const c of from.columns) {
    const next = after.get(c.name);
    const old = sqlColumns(c);
    const now = next ? sqlColumns(next) : [];
    for (const [ident] of old)
      if (!now.some(([i]) => i === ident)) steps.push(`DROP COLUMN ${ident}`);
    for (const [ident, type] of now) {
      const was = old.find(([i]) => i === ident);
      if (!was) steps.push(`ADD COLUMN ${ident} ${type}`);
      else if (was[1] !== type)
        steps.push(`ALTER COLUMN ${ident} TYPE ${type} USING ${ident}::${type}`);
    }
  }
  for (const c of to.columns)
    if (!before.has(c.name))
      for (const [ident, type] of sqlColumns(c))
        steps.push(`ADD COLUMN ${ident} ${type}${maintainedDefault(schema, c.name)}`);
  const oldKeys = new Map(from.keys.map((k) => [k.name, k.columns.join(',')]));
  const newKeys = new Map(to.keys.map((k) => [k.name, k.columns.join(',')]));
  for (const [name, cols] of oldKeys)
    if (newKeys.get(name) !== cols)
      await tx.query(`DROP INDEX IF EXISTS ${quoteIdent(schema)}.${keyIndex(to.name, name)}`);
  if (steps.length) await tx.query(`ALTER TABLE ${table} ${steps.join(', ')}`);
  for (const k of to.keys)
    if (oldKeys.get(k.name) !== newKeys.get(k.name))
      await createKeyIndex(tx, schema, to, k.name, k.columns);
  await saveTableShape(tx, envId, to);
}

/** Drops every table of the environment: its schema goes with the environment. */
export async function dropRecordSchema(tx: Queryable, envId: number): Promise<void> {
  const schema = await recordSchemaOf(tx, envId);
  if (schema) await tx.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
  await tx.query('DELETE FROM record_tables WHERE env_id = $1', [envId]);
}

/** How many records each of the given tables holds (a table not made yet holds none). */
export async function countRecords(
  db: Queryable,
  envId: number,
  tables: string[],
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const schema = await recordSchemaOf(db, envId);
  const made = await loadTableShapes(db, envId, tables);
  for (const t of tables) {
    if (!schema || !made.has(t)) {
      out.set(t, 0);
      continue;
    }
    const [{ n }] = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${tableRef(schema, t)}`,
    );
    out.set(t, Number(n));
  }
  return out;
}

/** How many records of `table` have a value in each of `columns` (one scan of the table). */
export async function countValues(
  db: Queryable,
  envId: number,
  table: string,
  columns: string[],
): Promise<Map<string, number>> {
  const out = new Map(columns.map((c) => [c, 0]));
  const schema = await recordSchemaOf(db, envId);
  const shape = (await loadTableShapes(db, envId, [table])).get(table);
  const made = columns.filter((c) => shape?.columns.some((s) => s.name === c));
  if (!schema || !made.length) return out;
  const counts = made.map((c, i) => `count(${columnIdent(c)}) AS c${i}`).join(', ');
  const [row] = await db.query<Record<string, string>>(
    `SELECT ${counts} FROM ${tableRef(schema, table)}`,
  );
  made.forEach((c, i) => out.set(c, Number(row[`c${i}`])));
  return out;
}

/** How many values of a text column are longer than `length` characters. */
export async function countLongerThan(
  db: Queryable,
  envId: number,
  table: string,
  column: string,
  length: number,
): Promise<number> {
  const schema = await recordSchemaOf(db, envId);
  if (!schema) return 0;
  const [{ n }] = await db.query<{ n: string }>(
    `SELECT count(*) AS n FROM ${tableRef(schema, table)}
     WHERE char_length(${columnIdent(column)}) > $1`,
    [length],
  );
  return Number(n);
}

function keyIndex(table: string, key: string): string {
  return quoteIdent(physicalName(`${table}@key@${key}`));
}

async function createKeyIndex(
  tx: Queryable,
  schema: string,
  shape: TableShape,
  name: string,
  columns: string[],
): Promise<void> {
  const cols = columns.map((c) => columnIdent(c)).join(', ');
  await tx.query(
    `CREATE UNIQUE INDEX ${keyIndex(shape.name, name)} ON ${tableRef(schema, shape.name)} (${cols})`,
  );
}

/** Records the shape a table now has. */
export async function saveTableShape(
  tx: Queryable,
  envId: number,
  shape: TableShape,
): Promise<void> {
  await tx.query(
    `INSERT INTO record_tables (env_id, name, shape) VALUES ($1, $2, $3::jsonb)
     ON CONFLICT (env_id, name) DO UPDATE SET shape = EXCLUDED.shape`,
    [envId, shape.name, JSON.stringify(shape)],
  );
}

/**
 * Refreshes the planner's statistics of a table after a bulk load, as PostgreSQL's manual
 * advises: without them a page of a table just loaded is read by a sort of the whole table, not
 * by its primary key's index.
 */
export async function analyzeRecordTable(
  tx: Queryable,
  envId: number,
  table: string,
): Promise<void> {
  const schema = await recordSchemaOf(tx, envId);
  if (schema) await tx.query(`ANALYZE ${tableRef(schema, table)}`);
}

/** Rollback: the shapes of tables whose definitions are gone (their tables were dropped). */
export async function forgetRecordTables(
  tx: Queryable,
  envId: number,
  names: string[],
): Promise<void> {
  if (names.length)
    await tx.query('DELETE FROM record_tables WHERE env_id = $1 AND name = ANY($2::text[])', [
      envId,
      names,
    ]);
}

/**
 * Rollback: takes a table back from the shape it has now to the one it had: columns added since
 * are dropped with their values, columns whose storage changed get their old type back, and
 * alternate keys follow. Columns dropped since are not added here: retention brings them back
 * with their values (store/retention.ts), and restoreMissingColumns makes what it could not.
 */
export async function revertRecordTable(
  tx: Queryable,
  envId: number,
  now: TableShape,
  then: TableShape,
): Promise<void> {
  const schema = await ensureRecordSchema(tx, envId);
  const was = new Map(then.columns.flatMap((c) => sqlColumns(c)));
  const steps: string[] = [];
  for (const c of now.columns)
    for (const [ident, type] of sqlColumns(c)) {
      const old = was.get(ident);
      if (old === undefined) steps.push(`DROP COLUMN IF EXISTS ${ident}`);
      else if (old !== type) steps.push(`ALTER COLUMN ${ident} TYPE ${old} USING ${ident}::${old}`);
    }
  const oldKeys = new Map(now.keys.map((k) => [k.name, k.columns.join(',')]));
  const newKeys = new Map(then.keys.map((k) => [k.name, k.columns.join(',')]));
  for (const [name, cols] of oldKeys)
    if (newKeys.get(name) !== cols)
      await tx.query(`DROP INDEX IF EXISTS ${quoteIdent(schema)}.${keyIndex(now.name, name)}`);
  if (steps.length) await tx.query(`ALTER TABLE ${tableRef(schema, now.name)} ${steps.join(', ')}`);
}

/**
 * Rollback, after retention gave back what it had: makes the table of `shape` if it is missing,
 * and adds (empty) the columns it lacks, so the table matches its definition again. What had to
 * be made empty is what the plan listed as purged.
 */
export async function restoreMissingColumns(
  tx: Queryable,
  envId: number,
  shape: TableShape,
): Promise<void> {
  const schema = await ensureRecordSchema(tx, envId);
  const [{ present }] = await tx.query<{ present: string | null }>(
    'SELECT to_regclass($1) AS present',
    [tableRef(schema, shape.name)],
  );
  if (!present) {
    await createRecordTable(tx, envId, shape);
    return;
  }
  const have = new Set(
    (
      await tx.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns
         WHERE table_schema = $1 AND table_name = $2`,
        [schema, physicalName(shape.name)],
      )
    ).map((r) => quoteIdent(r.column_name)),
  );
  const steps = shape.columns.flatMap((c) =>
    sqlColumns(c)
      .filter(([ident]) => !have.has(ident))
      .map(
        ([ident, type], i) =>
          `ADD COLUMN ${ident} ${type}${i === 0 ? maintainedDefault(schema, c.name) : ''}`,
      ),
  );
  if (steps.length)
    await tx.query(`ALTER TABLE ${tableRef(schema, shape.name)} ${steps.join(', ')}`);
  const indexes = new Set(
    (
      await tx.query<{ indexname: string }>(
        'SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND tablename = $2',
        [schema, physicalName(shape.name)],
      )
    ).map((r) => quoteIdent(r.indexname)),
  );
  for (const k of shape.keys)
    if (!indexes.has(keyIndex(shape.name, k.name)))
      await createKeyIndex(tx, schema, shape, k.name, k.columns);
}
