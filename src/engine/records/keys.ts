import type { TableShape } from '../../model/table-shape.js';
import { storedValue } from '../../store/records.js';
import type { Queryable } from '../../store/store.js';
import { findByKey, idInvalid } from './records.js';
import { GUID, type RecordValues } from './values.js';

/**
 * How a request names one record, as the Web API does: by its id (`accounts(<guid>)`), or by
 * the values of one of its table's alternate keys (`accounts(accountnumber='A-1')`).
 */
export type RecordKey = { id: string } | { key: RecordValues };

/**
 * The id of the record a key names: the id itself (checked to be a GUID, in lower case), or the
 * id of the record with those alternate key values (null when there is none). `shape` is the
 * table as made: a table that was never made holds no record to look for.
 */
export async function idOf(
  db: Queryable,
  envId: number,
  shape: TableShape,
  key: RecordKey,
): Promise<string | null> {
  if ('id' in key) {
    if (!GUID.test(key.id)) throw idInvalid(shape, key.id);
    return key.id.toLowerCase();
  }
  const row = await findByKey(db, envId, shape, key.key);
  return row ? String(storedValue(row, shape.primaryId)) : null;
}
