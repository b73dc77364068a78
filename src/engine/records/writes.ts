import { StrataError } from '../../model/errors.js';
import type { TableShape } from '../../model/table-shape.js';
import {
  deleteRecord as deleteRow,
  findRecord,
  updateRecord as updateRow,
} from '../../store/records.js';
import { loadTableShapes } from '../../store/record-tables.js';
import type { Queryable, Store } from '../../store/store.js';
import { idOf, type RecordKey } from './keys.js';
import { createIn, recordNotFound, writableShape, type TableRef } from './records.js';
import { columnValues, writerValues, type RecordValues } from './values.js';

/**
 * Writes that name their record the ways the Web API does: by id or by alternate key, with
 * Dataverse's conditions — PATCH updates or creates (upsert), `If-Match: *` only updates,
 * `If-None-Match: *` only creates, `If-Match: W/"n"` updates only version n — one record or
 * many (UpdateMultiple, UpsertMultiple), each call one transaction: one refused record and
 * none is written.
 */
export type { RecordKey } from './keys.js';

/** upsert: update, else create; update: RECORD_NOT_FOUND when missing; create: when missing. */
export type WriteMode = 'upsert' | 'update' | 'create';

export interface RecordWrite {
  key: RecordKey;
  values: RecordValues;
}

export interface WriteOutcome {
  id: string;
  created: boolean;
}

/** One record written under `mode`; `version` (an etag's number) makes it conditional. */
export async function writeRecord(
  store: Store,
  ref: TableRef,
  write: RecordWrite,
  opts: { mode: WriteMode; version?: string },
): Promise<WriteOutcome> {
  return store.transaction(async (tx) => {
    const shape = await writableShape(tx, ref);
    return writeIn(tx, ref.envId, shape, write, opts.mode, opts.version);
  });
}

/** Many records of one table written under one mode, in one transaction, in order. */
export async function writeRecords(
  store: Store,
  ref: TableRef,
  writes: RecordWrite[],
  mode: WriteMode,
): Promise<WriteOutcome[]> {
  return store.transaction(async (tx) => {
    const shape = await writableShape(tx, ref);
    const out: WriteOutcome[] = [];
    for (const w of writes) out.push(await writeIn(tx, ref.envId, shape, w, mode));
    return out;
  });
}

async function writeIn(
  tx: Queryable,
  envId: number,
  shape: TableShape,
  w: RecordWrite,
  mode: WriteMode,
  version?: string,
): Promise<WriteOutcome> {
  const id = await idOf(tx, envId, shape, w.key);
  if (id !== null && mode !== 'create') {
    const checked = [
      ...columnValues(shape, w.values, 'update'),
      ...writerValues(shape, envId, 'update'),
    ];
    if (await updateRow(tx, envId, shape, id, checked, version)) return { id, created: false };
    if (version !== undefined && (await findRecord(tx, envId, shape, { id })))
      throw versionMismatch(shape, id, version);
  } else if (id !== null && (await findRecord(tx, envId, shape, { id }))) {
    throw alreadyExists(shape, id);
  }
  if (mode === 'update' || version !== undefined) throw missing(shape, w.key);
  const values =
    'id' in w.key ? { ...w.values, [shape.primaryId]: id } : { ...w.values, ...w.key.key };
  const [created] = await createIn(tx, envId, shape, [values]);
  return { id: created, created: true };
}

/** Deletes a record named by id or alternate key; `version` makes it conditional. */
export async function removeRecord(
  store: Store,
  ref: TableRef,
  key: RecordKey,
  opts: { version?: string } = {},
): Promise<string> {
  return store.transaction(async (tx) => {
    // a table that was never made holds no record (decision 36)
    const shape = (await loadTableShapes(tx, ref.envId, [ref.table])).get(ref.table) ?? null;
    const id = shape ? await idOf(tx, ref.envId, shape, key) : null;
    if (!shape || id === null) throw missing(shape, key, ref.table);
    if (await deleteRow(tx, ref.envId, shape, id, opts.version)) return id;
    if (opts.version !== undefined && (await findRecord(tx, ref.envId, shape, { id })))
      throw versionMismatch(shape, id, opts.version);
    throw recordNotFound(shape, id);
  });
}

function missing(shape: TableShape | null, key: RecordKey, table?: string): StrataError {
  if (shape && 'id' in key) return recordNotFound(shape, key.id);
  const name = shape?.name ?? table ?? '?';
  const what =
    'id' in key
      ? `Id = ${key.id}`
      : Object.entries(key.key)
          .map(([k, v]) => `${k} = ${String(v)}`)
          .join(', ');
  return new StrataError('RECORD_NOT_FOUND', `${name} With ${what} Does Not Exist`, {
    hint: 'Check the key values, or create the record (PATCH without If-Match creates it).',
    details: { table: name },
  });
}

function alreadyExists(shape: TableShape, id: string): StrataError {
  return new StrataError(
    'RECORD_ALREADY_EXISTS',
    `A record with matching key values already exists: ${shape.name} ${id}.`,
    {
      hint: 'If-None-Match: * creates only; drop it to update the record (upsert).',
      details: { table: shape.name, id },
    },
  );
}

function versionMismatch(shape: TableShape, id: string, version: string): StrataError {
  return new StrataError(
    'RECORD_VERSION_MISMATCH',
    `The version of the existing record doesn't match the RowVersion property provided ` +
      `(${shape.name} ${id}, expected version ${version}).`,
    {
      hint: 'Another write changed the record: read it again and repeat the change.',
      details: { table: shape.name, id },
    },
  );
}
