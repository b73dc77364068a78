import assert from 'node:assert/strict';
import { PackageError } from '../../src/model/errors.js';

/**
 * Runs `fn`, which must throw a PackageError with `code` (and a message matching `message`);
 * returns it.
 */
export function assertPackageError(
  fn: () => unknown,
  code: string,
  message?: RegExp,
): PackageError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(
    caught instanceof PackageError,
    `expected a PackageError ${code}, got ${caught === undefined ? 'no error' : String(caught)}`,
  );
  assert.equal(caught.code, code, `expected ${code}, got ${caught.code}: ${caught.message}`);
  if (message) assert.match(caught.message, message);
  return caught;
}
