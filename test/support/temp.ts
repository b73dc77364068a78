import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * Runs `fn` with a new temporary folder, removed afterwards (once its promise settles, for async
 * `fn`).
 */
export function withTempDir<T>(fn: (dir: string) => T, prefix = 'strata-test-'): T {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  let result: T;
  try {
    result = fn(dir);
  } catch (e) {
    remove();
    throw e;
  }
  if (result instanceof Promise) return result.finally(remove) as T;
  remove();
  return result;
}

/** Writes package entries (path with '/' → bytes) as files under `dir`. */
export function writeEntries(dir: string, entries: Record<string, Uint8Array>): void {
  for (const [name, bytes] of Object.entries(entries)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), bytes);
  }
}
