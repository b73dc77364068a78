import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { planClone } from '../src/engine/clone.js';
import type { ClonePlan } from '../src/plans/clone-plan.js';
import { environment } from './support/snapshot-builder.js';

/**
 * planClone on environments built in memory: a patch of an unmanaged solution, a clone that
 * rolls the patches up, and their refusals. The suffix of a patch's name is given, so the plan
 * is the same every time. test/lifecycle.test.ts checks the writes (runClone).
 */
const dev = () => environment('dev').solution('Books', { version: '1.2.0.0', managed: false });
const withPatch = () =>
  dev().solution('Books_Patch_1', { version: '1.2.1.0', managed: false, parent: 'Books' });
const patch = (snapshot = dev().build(), version?: string): ClonePlan =>
  planClone(snapshot, 'clone-patch', 'Books', { version, patchSuffix: 'c0ffee00' });
const clone = (snapshot = dev().build(), version?: string): ClonePlan =>
  planClone(snapshot, 'clone', 'Books', { version, patchSuffix: 'c0ffee00' });
const codes = (plan: ClonePlan): string[] => plan.blocked.map((b) => b.code);

describe('planClone: clone-patch', () => {
  test('a new patch is named after its parent and raises the build', () => {
    const plan = patch();
    assert.deepEqual(plan, {
      operation: 'clone-patch',
      environment: 'dev',
      environmentRevision: plan.environmentRevision,
      parent: { uniqueName: 'Books', version: '1.2.0.0' },
      result: { uniqueName: 'Books_Patch_c0ffee00', version: '1.2.1.0' },
      rolledUp: [],
      blocked: [],
    });
  });

  test('the next patch goes above the highest one; a version asked for is kept', () => {
    assert.equal(patch(withPatch().build()).result.version, '1.2.2.0');
    assert.equal(patch(withPatch().build(), '1.2.1.5').result.version, '1.2.1.5');
  });

  test("PATCH_VERSION_INVALID: a patch keeps its parent's major.minor, above every patch", () => {
    const other = patch(dev().build(), '1.3.0.0');
    assert.deepEqual(other.blocked, [
      {
        code: 'PATCH_VERSION_INVALID',
        message:
          'Patch version 1.3.0.0 is invalid for Books 1.2.0.0: ' +
          'a patch keeps 1.2 and raises the build or revision.',
        hint: 'For example --version 1.2.1.0',
      },
    ]);
    const below = patch(withPatch().build(), '1.2.1.0');
    assert.deepEqual(codes(below), ['PATCH_VERSION_INVALID']);
    assert.match(below.blocked[0].message, /and its patches \(highest 1\.2\.1\.0\)/);
    assert.equal(below.blocked[0].hint, 'For example --version 1.2.2.0');
  });
});

describe('planClone: clone', () => {
  test('a clone rolls the patches into the next minor version', () => {
    const plan = clone(withPatch().build());
    assert.deepEqual(
      [plan.result, plan.rolledUp, plan.blocked],
      [{ uniqueName: 'Books', version: '1.3.0.0' }, ['Books_Patch_1'], []],
    );
    assert.equal(clone(dev().build(), '2.0.0.0').result.version, '2.0.0.0');
  });

  test('CLONE_VERSION_INVALID: a clone raises the major or minor version', () => {
    const plan = clone(withPatch().build(), '1.2.5.0');
    assert.deepEqual(plan.blocked, [
      {
        code: 'CLONE_VERSION_INVALID',
        message:
          'Version 1.2.5.0 is invalid for a clone of Books 1.2.0.0: ' +
          'a clone raises the major or minor version.',
        hint: 'For example --version 1.3.0.0',
      },
    ]);
  });
});

describe('planClone: refusals of the solution', () => {
  for (const operation of ['clone-patch', 'clone'] as const) {
    test(`CLONE_REQUIRES_UNMANAGED: a managed solution is not cloned (${operation})`, () => {
      const snapshot = environment().solution('Books', { version: '1.2.0.0' }).build();
      const plan = planClone(snapshot, operation, 'Books', { patchSuffix: 'c0ffee00' });
      assert.deepEqual(codes(plan), ['CLONE_REQUIRES_UNMANAGED']);
      assert.match(plan.blocked[0].message, /^Books is managed; patches and clones are made/);
    });

    test(`CLONE_OF_PATCH: a patch is not cloned, its parent is (${operation})`, () => {
      const plan = planClone(withPatch().build(), operation, 'Books_Patch_1', {
        patchSuffix: 'c0ffee00',
      });
      assert.deepEqual(plan.blocked, [
        {
          code: 'CLONE_OF_PATCH',
          message: 'Books_Patch_1 is a patch of Books; clone its parent instead.',
          hint: `strata ${operation} Books`,
        },
      ]);
    });
  }

  test('VERSION_INVALID: a --version that is not a version is refused, not thrown', () => {
    const plan = patch(dev().build(), '1.x');
    assert.deepEqual(codes(plan), ['VERSION_INVALID']);
    assert.equal(plan.blocked[0].message, '"1.x" is not a valid solution version.');
    assert.equal(plan.result.version, '1.x');
    assert.deepEqual(codes(clone(dev().build(), 'two')), ['VERSION_INVALID']);
  });

  test('the solution is refused before its version: one refusal, the first that applies', () => {
    const snapshot = environment().solution('Books', { version: '1.2.0.0' }).build();
    assert.deepEqual(codes(patch(snapshot, '1.x')), ['CLONE_REQUIRES_UNMANAGED']);
  });

  test('SOLUTION_NOT_FOUND: there is no such solution (thrown)', () => {
    assert.throws(
      () => planClone(dev().build(), 'clone', 'Nope', { patchSuffix: 'c0ffee00' }),
      (e: { code?: string; message?: string }) =>
        e.code === 'SOLUTION_NOT_FOUND' && e.message === 'There is no solution named Nope in dev.',
    );
  });
});
