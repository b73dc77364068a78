import { sequentialGuid } from '../../model/sequential-guid.js';
import { StrataError } from '../../model/errors.js';
import type { TableShape } from '../../model/table-shape.js';
import { findEnvironment } from '../../store/environments.js';
import { loadTableShapes } from '../../store/record-tables.js';
import {
  deleteRecord as deleteRow,
  findRecord,
  insertRecords,
  updateRecord as updateRow,
  type ColumnValue,
  type StoredRow,
} from '../../store/records.js';
import { lockEnvironment } from '../../store/revision.js';
import type { Queryable, Store } from '../../store/store.js';
import { effectiveShapes, ensureRecordTable } from './schema-sync.js';
import { columnValues, GUID, recordValues, writerValues, type RecordValues } from './values.js';

/**
 * The record API: create, retrieve, update, upsert and delete records of an environment's
 * tables, each call one transaction. The Web API entity sets and `strata data` translate to
 * these. A table's SQL table is made the first time a record is written to it (decision 36);
 * reading it before then finds no records.
 */

export interface TableRef {
  envId: number;
  table: string;
}

/** The environment and table a call names, checked: RECORD_TABLE_NOT_FOUND when it has none. */
export async function tableIn(
  db: Queryable,
  environment: string,
  table: string,
): Promise<TableRef> {
  const env = await findEnvironment(db, environment);
  const shape = await shapeOf(db, env.id, table);
  if (!shape) throw tableNotFound(environment, table);
  return { envId: env.id, table };
}

/** The shape records of `table` have: as its SQL table was made, or as it would be made. */
export async function shapeOf(
  db: Queryable,
  envId: number,
  table: string,
): Promise<TableShape | null> {
  const made = (await loadTableShapes(db, envId, [table])).get(table);
  return made ?? (await effectiveShapes(db, envId, [table])).get(table) ?? null;
}

function tableNotFound(environment: string, table: string): StrataError {
  return new StrataError(
    'RECORD_TABLE_NOT_FOUND',
    `${environment} has no table named ${JSON.stringify(table)}.`,
    {
      hint: 'Tables are named by their logical name (account, new_project); strata data count lists them.',
      details: { table },
    },
  );
}

/** The table's shape, its SQL table made if it was not yet (under the environment's lock). */
export async function writableShape(tx: Queryable, ref: TableRef): Promise<TableShape> {
  const made = (await loadTableShapes(tx, ref.envId, [ref.table])).get(ref.table);
  if (made) return made;
  await lockEnvironment(tx, ref.envId);
  const shape = await ensureRecordTable(tx, ref.envId, ref.table);
  if (!shape) throw tableNotFound(String(ref.envId), ref.table);
  return shape;
}

/**
 * Creates records; returns their ids in order. Each record is checked first (RECORD_* errors
 * name the table, column and value): one bad record and none is written.
 */
export async function createRecords(
  store: Store,
  ref: TableRef,
  records: RecordValues[],
): Promise<string[]> {
  return store.transaction(async (tx) => {
    const shape = await writableShape(tx, ref);
    return createIn(tx, ref.envId, shape, records);
  });
}

/** createRecords inside a transaction the caller holds (bulk loads, upserts). */
export async function createIn(
  tx: Queryable,
  envId: number,
  shape: TableShape,
  records: RecordValues[],
): Promise<string[]> {
  const checked = records.map((r) => createValues(shape, r, envId));
  const names = [
    ...new Map(checked.flat().map((v) => [`${v.column}@${v.companion ?? ''}`, v])).values(),
  ].map((v) => ({ column: v.column, companion: v.companion }));
  // every row names the same columns: the ones it lacks are null
  const padded: ColumnValue[][] = checked.map((row) =>
    names.map(
      (n) =>
        row.find((v) => v.column === n.column && v.companion === n.companion) ?? {
          ...n,
          value: null,
        },
    ),
  );
  const ids: string[] = [];
  for (let i = 0; i < padded.length; i += CHUNK)
    ids.push(...(await insertRecords(tx, envId, shape, padded.slice(i, i + CHUNK))));
  return ids;
}

/** Rows per INSERT: PostgreSQL takes at most 65,535 parameters in one statement. */
const CHUNK = 500;

/**
 * A new record's values, checked, with what Dataverse gives a record that lacks them: an id,
 * state 0 (Active) and status 1.
 */
export function createValues(shape: TableShape, r: RecordValues, envId: number): ColumnValue[] {
  const out = columnValues(shape, r, 'create');
  for (const v of writerValues(shape, envId, 'create'))
    if (!out.some((o) => o.column === v.column && o.companion === v.companion)) out.push(v);
  if (r[shape.primaryId] == null) out.push({ column: shape.primaryId, value: sequentialGuid() });
  if (r.statecode == null && hasColumn(shape, 'statecode'))
    out.push({ column: 'statecode', value: '0' });
  if (r.statuscode == null && hasColumn(shape, 'statuscode'))
    out.push({ column: 'statuscode', value: '1' });
  return out;
}

function hasColumn(shape: TableShape, name: string): boolean {
  return shape.columns.some((c) => c.name === name);
}

/** One record by id, or null. */
export async function retrieveRecord(
  db: Queryable,
  ref: TableRef,
  id: string,
  select?: string[] | null,
): Promise<RecordValues | null> {
  const shape = await shapeOf(db, ref.envId, ref.table);
  if (!shape) return null;
  if (!GUID.test(id)) throw idInvalid(shape, id);
  const row = await findRecord(db, ref.envId, shape, { id });
  return row ? recordValues(shape, row, select) : null;
}

/** One record by the values of an alternate key (column → value), or null. */
export async function retrieveByKey(
  db: Queryable,
  ref: TableRef,
  key: RecordValues,
  select?: string[] | null,
): Promise<RecordValues | null> {
  const shape = await shapeOf(db, ref.envId, ref.table);
  if (!shape) return null;
  const row = await findByKey(db, ref.envId, shape, key);
  return row ? recordValues(shape, row, select) : null;
}

/** The stored row with these alternate key values; RECORD_KEY_UNKNOWN when no key has them. */
export async function findByKey(
  db: Queryable,
  envId: number,
  shape: TableShape,
  key: RecordValues,
): Promise<StoredRow | null> {
  const names = Object.keys(key).sort();
  const known = shape.keys.some((k) => [...k.columns].sort().join() === names.join());
  if (!known)
    throw new StrataError(
      'RECORD_KEY_UNKNOWN',
      `${shape.name} has no alternate key of ${names.join(', ')}.`,
      {
        hint: `Its keys: ${shape.keys.map((k) => k.columns.join('+')).join('; ') || 'none'}.`,
        details: { table: shape.name },
      },
    );
  return findRecord(db, envId, shape, { key: columnValues(shape, key, 'update') });
}

/**
 * Updates a record; with `upsert`, creates it under that id when there is none (Dataverse's
 * PATCH). Returns whether it was created. Without `upsert`, a missing record is
 * RECORD_NOT_FOUND.
 */
export async function updateRecord(
  store: Store,
  ref: TableRef,
  id: string,
  values: RecordValues,
  opts: { upsert?: boolean } = {},
): Promise<{ created: boolean }> {
  return store.transaction(async (tx) => {
    const shape = await writableShape(tx, ref);
    if (!GUID.test(id)) throw idInvalid(shape, id);
    const checked = [
      ...columnValues(shape, values, 'update'),
      ...writerValues(shape, ref.envId, 'update'),
    ];
    if (await updateRow(tx, ref.envId, shape, id, checked)) return { created: false };
    if (!opts.upsert) throw recordNotFound(shape, id);
    await createIn(tx, ref.envId, shape, [{ ...values, [shape.primaryId]: id }]);
    return { created: true };
  });
}

/** Deletes a record: RECORD_NOT_FOUND when there is none. */
export async function deleteRecord(store: Store, ref: TableRef, id: string): Promise<void> {
  await store.transaction(async (tx) => {
    const shape = await shapeOf(tx, ref.envId, ref.table);
    if (!shape) throw tableNotFound(String(ref.envId), ref.table);
    if (!GUID.test(id)) throw idInvalid(shape, id);
    // a table whose SQL table was never made holds no record to delete
    const made = (await loadTableShapes(tx, ref.envId, [ref.table])).get(ref.table);
    if (!made || !(await deleteRow(tx, ref.envId, made, id))) throw recordNotFound(shape, id);
  });
}

export function recordNotFound(shape: TableShape, id: string): StrataError {
  return new StrataError('RECORD_NOT_FOUND', `${shape.name} With Id = ${id} Does Not Exist`, {
    hint: 'Check the id, or create the record (PATCH creates it).',
    details: { table: shape.name, id },
  });
}

export function idInvalid(shape: TableShape, id: string): StrataError {
  return new StrataError(
    'RECORD_ID_INVALID',
    `${JSON.stringify(id)} is not a valid id for ${shape.name}: ids are GUIDs.`,
    {
      hint: 'A GUID is 32 hexadecimal digits as 8-4-4-4-12.',
      details: { table: shape.name },
    },
  );
}
