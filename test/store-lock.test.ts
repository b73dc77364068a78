/**
 * The embedded store's folder is opened by one process at a time (a long-running server holds
 * it).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { PGliteStore } from '../src/store/pglite/adapter.js';

test('a second open is refused while the first is open, and allowed after close', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-lock-'));
  try {
    const a = await PGliteStore.open(dir);
    assert.ok(existsSync(join(dir, 'strata.lock')));
    await assert.rejects(
      PGliteStore.open(dir),
      (e: Error & { code?: string }) => e.code === 'STORE_IN_USE',
    );
    await a.close();
    assert.ok(!existsSync(join(dir, 'strata.lock')));
    const b = await PGliteStore.open(dir);
    await b.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a live process's lock refuses; a lock left by a dead process is taken over", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-lock-'));
  try {
    writeFileSync(join(dir, 'strata.lock'), String(process.ppid));
    await assert.rejects(
      PGliteStore.open(dir),
      (e: Error & { code?: string; hint?: string }) =>
        e.code === 'STORE_IN_USE' &&
        e.message.includes(`pid ${process.ppid}`) &&
        /DATABASE_URL/.test(e.hint ?? ''),
    );
    writeFileSync(join(dir, 'strata.lock'), '2147483646'); // no such process
    const s = await PGliteStore.open(dir);
    assert.deepEqual(await s.query('SELECT 1 AS one'), [{ one: 1 }]);
    await s.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
