import type { TableShape } from '../model/table-shape.js';
import { StrataError } from '../model/errors.js';
import { columnIdent, physicalName, tableRef } from './record-names.js';
import { recordSchemaOf, sqlColumns, versionSequence } from './record-tables.js';
import { isDataException, isUniqueViolation } from './sqlstate.js';
import type { Queryable } from './store.js';

/**
 * Records in an environment's tables (store/record-tables.ts has the layout). The engine checks
 * and converts values (engine/records/values.ts) before they come here; each value is sent as a
 * parameter and cast to its column's SQL type, never spliced into the SQL. A row comes back as
 * JSON (`to_jsonb`), so both stores return the same values: ISO dates, numbers, uuid strings.
 */

/** A value for one physical column: a column's own, or one of its companions. */
export interface ColumnValue {
  column: string;
  companion?: 'table' | 'name' | 'size';
  /** text for the cast (numbers, dates, uuids as their text), or null */
  value: string | null;
}

/** A stored row, by physical column name (record-names.ts physicalName) → JSON value. */
export type StoredRow = Record<string, unknown>;

function castOf(shape: TableShape, v: ColumnValue): string {
  const column = shape.columns.find((c) => c.name === v.column);
  if (!column) throw new Error(`no column ${v.column} on ${shape.name}`);
  const ident = columnIdent(v.column, v.companion);
  const found = sqlColumns(column).find(([i]) => i === ident);
  if (!found) throw new Error(`no physical column ${ident} on ${shape.name}`);
  return found[1].startsWith('varchar') ? 'text' : found[1];
}

async function schemaOf(db: Queryable, envId: number, shape: TableShape): Promise<string> {
  const schema = await recordSchemaOf(db, envId);
  if (!schema) throw new Error(`environment ${envId} has no record tables yet (${shape.name})`);
  return schema;
}

/**
 * Inserts rows (every row names the same columns), returning their ids in order. A duplicate id
 * or alternate key is refused with RECORD_KEY_EXISTS naming the table.
 */
export async function insertRecords(
  db: Queryable,
  envId: number,
  shape: TableShape,
  rows: ColumnValue[][],
): Promise<string[]> {
  if (!rows.length) return [];
  const schema = await schemaOf(db, envId, shape);
  // createdon, modifiedon and versionnumber take their defaults (record-tables.ts)
  const first = rows[0];
  const idents = first.map((v) => columnIdent(v.column, v.companion));
  const casts = first.map((v) => castOf(shape, v));
  const params: unknown[] = [];
  const tuples = rows.map(
    (row) =>
      `(${row
        .map((v, i) => {
          params.push(v.value);
          return `$${params.length}::${casts[i]}`;
        })
        .join(', ')})`,
  );
  const sql =
    `INSERT INTO ${tableRef(schema, shape.name)} (${idents.join(', ')}) ` +
    `VALUES ${tuples.join(', ')} RETURNING ${columnIdent(shape.primaryId)}::text AS id`;
  try {
    return (await db.query<{ id: string }>(sql, params)).map((r) => r.id);
  } catch (e) {
    throw keyExists(e, shape);
  }
}

/**
 * Updates one record; false when there is no record with that id, or (given `version`) when its
 * versionnumber is another (optimistic concurrency: If-Match with an etag).
 */
export async function updateRecord(
  db: Queryable,
  envId: number,
  shape: TableShape,
  id: string,
  values: ColumnValue[],
  version?: string,
): Promise<boolean> {
  const schema = await schemaOf(db, envId, shape);
  const params: unknown[] = [id];
  const where = versionCondition(params, version);
  const sets = [
    ...values.map((v) => {
      params.push(v.value);
      return `${columnIdent(v.column, v.companion)} = $${params.length}::${castOf(shape, v)}`;
    }),
    ...maintainedOnUpdate(schema, shape).map(([ident, sql]) => `${ident} = ${sql}`),
  ];
  const sql =
    `UPDATE ${tableRef(schema, shape.name)} SET ${sets.join(', ')} ` +
    `WHERE ${columnIdent(shape.primaryId)} = $1::uuid${where} RETURNING 1 AS done`;
  try {
    return (await db.query(sql, params)).length > 0;
  } catch (e) {
    throw keyExists(e, shape);
  }
}

/** Deletes one record; false when there is none with that id (and, given, that version). */
export async function deleteRecord(
  db: Queryable,
  envId: number,
  shape: TableShape,
  id: string,
  version?: string,
): Promise<boolean> {
  const schema = await schemaOf(db, envId, shape);
  const params: unknown[] = [id];
  const where = versionCondition(params, version);
  const rows = await db.query(
    `DELETE FROM ${tableRef(schema, shape.name)} WHERE ${columnIdent(shape.primaryId)} = $1::uuid
     ${where} RETURNING 1 AS done`,
    params,
  );
  return rows.length > 0;
}

/** ` AND versionnumber = $n` when a version is expected, its value added to the parameters. */
function versionCondition(params: unknown[], version: string | undefined): string {
  if (version === undefined) return '';
  params.push(version);
  return ` AND ${columnIdent('versionnumber')} = $${params.length}::bigint`;
}

/**
 * One record by its id, or by the values of an alternate key (column → value text); null when
 * there is none.
 */
export async function findRecord(
  db: Queryable,
  envId: number,
  shape: TableShape,
  by: { id: string } | { key: ColumnValue[] },
): Promise<StoredRow | null> {
  const schema = await recordSchemaOf(db, envId);
  if (!schema) return null;
  const where =
    'id' in by
      ? { sql: `${columnIdent(shape.primaryId)} = $1::uuid`, params: [by.id] }
      : {
          sql: by.key
            .map((v, i) => `${columnIdent(v.column)} = $${i + 1}::${castOf(shape, v)}`)
            .join(' AND '),
          params: by.key.map((v) => v.value),
        };
  const rows = await db.query<{ row: StoredRow | string }>(
    `SELECT to_jsonb(t.*) AS row FROM ${tableRef(schema, shape.name)} t WHERE ${where.sql}`,
    where.params,
  );
  if (!rows[0]) return null;
  const row = rows[0].row;
  return typeof row === 'string' ? (JSON.parse(row) as StoredRow) : row;
}

/**
 * The columns strata keeps on every update: when, and which version (a new record takes them
 * from the columns' defaults, record-tables.ts).
 */
function maintainedOnUpdate(
  schema: string,
  shape: TableShape,
): Array<[ident: string, sql: string]> {
  const has = (name: string): boolean => shape.columns.some((c) => c.name === name);
  const out: Array<[string, string]> = [];
  if (has('modifiedon')) out.push([columnIdent('modifiedon'), 'now()']);
  if (has('versionnumber'))
    out.push([
      columnIdent('versionnumber'),
      `nextval('${versionSequence(schema).replace(/'/g, "''")}')`,
    ]);
  return out;
}

/** The value of a logical column (or a companion) in a stored row. */
export function storedValue(
  row: StoredRow,
  column: string,
  companion?: 'table' | 'name' | 'size',
): unknown {
  return row[physicalName(companion ? `${column}@${companion}` : column)] ?? null;
}

function keyExists(e: unknown, shape: TableShape): unknown {
  if (isDataException(e))
    return new StrataError(
      'RECORD_VALUE_INVALID',
      `${shape.name}: a value does not fit its column: ${(e as Error).message}.`,
      {
        hint: 'Nothing was written. Check the values (or the columns a copy maps).',
        details: { table: shape.name },
      },
    );
  if (!isUniqueViolation(e)) return e;
  return new StrataError(
    'RECORD_KEY_EXISTS',
    `A record with the same ${shape.primaryId} or alternate key already exists in ${shape.name}.`,
    {
      hint: 'Update that record instead (PATCH), or change the key values.',
      details: { table: shape.name },
    },
  );
}

/**
 * Copies records from one table into another, column to column (`mapping`: source → target),
 * in one statement: `INSERT … SELECT`, each value cast to its target column's type. Rows keep
 * their ids when `keepIds` (the primary id is then mapped too). Returns how many were copied.
 */
export async function copyTableRecords(
  db: Queryable,
  envId: number,
  from: TableShape,
  to: TableShape,
  mapping: Array<[source: string, target: string]>,
): Promise<number> {
  const schema = await schemaOf(db, envId, to);
  const targets = mapping.map(([, t]) => columnIdent(t));
  const sources = mapping.map(([s, t]) => {
    const column = to.columns.find((c) => c.name === t)!;
    const type = sqlColumns(column)[0][1];
    return `${columnIdent(s)}::${type.startsWith('varchar') ? 'text' : type}`;
  });
  // the id, createdon, modifiedon and versionnumber take their defaults (record-tables.ts)
  const sql =
    `INSERT INTO ${tableRef(schema, to.name)} (${targets.join(', ')}) ` +
    `SELECT ${sources.join(', ')} FROM ${tableRef(schema, from.name)} RETURNING 1 AS done`;
  try {
    return (await db.query(sql)).length;
  } catch (e) {
    throw keyExists(e, to);
  }
}

/** Copies one column's values into another column of the same table; returns how many rows. */
export async function copyColumnValues(
  db: Queryable,
  envId: number,
  shape: TableShape,
  source: string,
  target: string,
): Promise<number> {
  const schema = await schemaOf(db, envId, shape);
  const column = shape.columns.find((c) => c.name === target)!;
  const type = sqlColumns(column)[0][1];
  try {
    const rows = await db.query(
      `UPDATE ${tableRef(schema, shape.name)}
     SET ${columnIdent(target)} = ${columnIdent(source)}::${type.startsWith('varchar') ? 'text' : type}
     WHERE ${columnIdent(source)} IS NOT NULL RETURNING 1 AS done`,
    );
    return rows.length;
  } catch (e) {
    // a value that does not fit the target (too long, out of range) is the caller's to fix
    throw keyExists(e, shape);
  }
}

/**
 * The bulk path: rows in COPY text format (UTF-8, one per line, the values of `columns` in
 * order, escaped: engine/records/copy-lines.ts) go into the table as one COPY; createdon,
 * modifiedon and versionnumber take their defaults. Both adapters can COPY; records need it.
 */
export async function copyRecordsIn(
  db: Queryable,
  envId: number,
  shape: TableShape,
  columns: Array<Pick<ColumnValue, 'column' | 'companion'>>,
  body: Uint8Array,
): Promise<void> {
  if (!db.copyText) throw new Error('copyRecordsIn: this store cannot COPY');
  const idents = columns.map((c) => columnIdent(c.column, c.companion));
  const schema = await schemaOf(db, envId, shape);
  try {
    await db.copyText(tableRef(schema, shape.name), idents, body);
  } catch (e) {
    throw keyExists(e, shape);
  }
}
