import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sequentialGuid } from '../src/model/sequential-guid.js';

test('new record ids are GUIDs of version 7 that sort in the order they were made', () => {
  const ids = Array.from({ length: 50_000 }, () => sequentialGuid());
  assert.equal(new Set(ids).size, ids.length, 'no id twice');
  assert.deepEqual([...ids].sort(), ids, 'each sorts after the one before');
  for (const id of [ids[0], ids[ids.length - 1]]) {
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // the first 48 bits are the time it was made, in milliseconds
    const ms = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    assert.ok(Math.abs(ms - Date.now()) < 60_000, `${id} carries the time`);
  }
});
