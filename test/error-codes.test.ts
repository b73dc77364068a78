import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { exitCodeFor } from '../src/cli/exit-codes.js';
import { categoryOf, ERROR_CODES, isErrorCode, type ErrorCode } from '../src/model/error-codes.js';
import { PackageError, StrataError } from '../src/model/errors.js';
import { httpStatusFor } from '../src/server/errors.js';
import { dataverseCode } from '../src/server/webapi/errors.js';

const error = (code: ErrorCode): StrataError => new StrataError(code, 'x');

/** The error codes docs/cli.md lists, each with the exit code in the brackets of its group. */
function documentedExitCodes(): Map<string, number | null> {
  const text = readFileSync(join(import.meta.dirname, '..', 'docs', 'cli.md'), 'utf8');
  const section = text.slice(text.indexOf('## Error codes'));
  const out = new Map<string, number | null>();
  let group: number | null = null;
  for (const line of section.split('\n')) {
    const heading = /^\*\*.*\[(\d)\]\*\*$/.exec(line);
    if (heading) group = Number(heading[1]);
    else if (line.startsWith('**')) group = null;
    if (!line.startsWith('| `')) continue;
    const cell = line.split('|')[1];
    for (const m of cell.matchAll(/`([A-Z_]+)`/g)) out.set(m[1], group);
  }
  return out;
}

describe('error codes', () => {
  test('every code has a category, and a string that is no code is internal', () => {
    assert.ok(ERROR_CODES.length >= 80, `${ERROR_CODES.length} codes`);
    for (const code of ERROR_CODES) assert.notEqual(categoryOf(code), undefined, code);
    assert.equal(isErrorCode('VERSION_INVALID'), true);
    assert.equal(isErrorCode('toString'), false);
    assert.equal(categoryOf('NOT_A_CODE'), 'internal');
  });

  test('a bad package is exit 3, HTTP 422 and a Dataverse import failure whatever its code', () => {
    for (const code of [
      'PACKAGE_CORRUPT',
      'XML_MALFORMED',
      'CAB_CHECKSUM',
      'VERSION_INVALID',
    ] as const) {
      const e = new PackageError(code, 'x');
      assert.deepEqual(
        [exitCodeFor(e), httpStatusFor(e), dataverseCode(code)],
        [3, 422, '0x80048060'],
        code,
      );
    }
    const tooLarge = new PackageError('PACKAGE_TOO_LARGE', 'x');
    assert.deepEqual([exitCodeFor(tooLarge), httpStatusFor(tooLarge)], [3, 413]);
  });

  test('each category maps to one exit code, one HTTP status and one Dataverse code', () => {
    const cases: Array<[ErrorCode, number, number, string]> = [
      ['USAGE', 2, 400, '0x80040203'],
      ['PLAN_INVALID', 2, 400, '0x80040203'],
      ['UNSUPPORTED_MEDIA_TYPE', 2, 415, '0x80040203'],
      ['UNAUTHORIZED', 4, 401, '0x80072560'],
      ['SOLUTION_NOT_FOUND', 5, 404, '0x80040217'],
      ['STORE_IN_USE', 5, 503, '0x80040265'],
      ['VERSION_LOWER', 4, 409, '0x80040265'],
      ['ENVIRONMENT_EXISTS', 4, 409, '0x80040265'],
      ['ENVIRONMENT_CHANGED', 6, 409, '0x80040265'],
      ['RECORD_VERSION_MISMATCH', 4, 412, '0x80060882'],
      ['IMPORT_FAILED', 4, 409, '0x80040265'],
      ['INTERNAL', 1, 500, '0x80040216'],
    ];
    for (const [code, exit, status, dataverse] of cases) {
      const e = error(code);
      assert.deepEqual(
        [exitCodeFor(e), httpStatusFor(e), dataverseCode(code)],
        [exit, status, dataverse],
        code,
      );
    }
  });

  test('Dataverse has codes of its own for missing dependencies and OData errors', () => {
    assert.equal(dataverseCode('MISSING_DEPENDENCIES'), '0x80048042');
    assert.equal(dataverseCode('ODATA_QUERY_INVALID'), '0x80060888');
    assert.equal(httpStatusFor(error('ODATA_QUERY_INVALID')), 400);
    assert.equal(httpStatusFor(error('ODATA_SEGMENT_NOT_FOUND')), 404);
    assert.equal(dataverseCode('ODATA_SEGMENT_NOT_FOUND'), '0x8006088a');
  });

  test('record errors carry the codes Dataverse gives the same failures', () => {
    const cases: Array<[ErrorCode, number, string]> = [
      ['RECORD_COLUMN_UNKNOWN', 400, '0x80060888'],
      ['RECORD_VALUE_INVALID', 400, '0x80048d19'],
      ['RECORD_BODY_INVALID', 400, '0x80048d19'],
      ['RECORD_VALUE_TOO_LONG', 400, '0x80044331'],
      ['RECORD_CHOICE_INVALID', 400, '0x8004431a'],
      ['RECORD_REQUIRED_MISSING', 400, '0x80040203'],
      ['RECORD_NOT_FOUND', 404, '0x80040217'],
      ['RECORD_KEY_EXISTS', 409, '0x80040237'],
      ['RECORD_ALREADY_EXISTS', 412, '0x80040237'],
    ];
    for (const [code, status, dataverse] of cases)
      assert.deepEqual(
        [httpStatusFor(error(code)), dataverseCode(code)],
        [status, dataverse],
        code,
      );
  });

  test('an error that is not a StrataError is internal: exit 1, HTTP 500', () => {
    assert.equal(exitCodeFor(new Error('boom')), 1);
    assert.equal(httpStatusFor(new TypeError('boom')), 500);
  });

  test('docs/cli.md lists every code, each under the exit code it has', () => {
    const documented = documentedExitCodes();
    const text = readFileSync(join(import.meta.dirname, '..', 'docs', 'cli.md'), 'utf8');
    const missing = ERROR_CODES.filter((c) => !text.includes(`\`${c}\``));
    assert.deepEqual(missing, [], 'codes docs/cli.md does not mention');
    const wrong = [...documented]
      .filter(([code, exit]) => exit !== null && isErrorCode(code))
      .filter(([code, exit]) => exitCodeFor(error(code as ErrorCode)) !== exit)
      .map(
        ([code, exit]) =>
          `${code} documented [${exit}], is ${exitCodeFor(error(code as ErrorCode))}`,
      );
    assert.deepEqual(wrong, []);
    assert.ok(documented.size > 60, `read ${documented.size} documented codes`);
  });

  test('a failure recorded by an import job carries its id as a field', () => {
    const e = new StrataError('MISSING_DEPENDENCIES', 'x', { jobId: 'a4405a17' });
    assert.equal(e.jobId, 'a4405a17');
    assert.equal(e.toJSON().jobId, 'a4405a17');
  });
});
