import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { planLifecycle } from '../src/engine/lifecycle.js';
import { buildSolutionZip, sampleSolution, type SolutionSpec } from '../src/package/build.js';
import { readPackage, type SolutionPackage } from '../src/package/read.js';
import type { LifecyclePlan } from '../src/plans/lifecycle-plan.js';
import { environment } from './support/snapshot-builder.js';

/**
 * planLifecycle on environments built in memory: applying a staged upgrade, abandoning it, and
 * uninstalling managed and unmanaged solutions, with their refusals. test/lifecycle.test.ts
 * checks the writes. ContosoProjects 2.0.0.0 drops cnt_Notes and the cnt_Milestone table and
 * adds cnt_Priority.
 */
const read = (spec: SolutionSpec): SolutionPackage => readPackage(buildSolutionZip(spec));
const v1 = (): SolutionSpec => sampleSolution();
function v2(): SolutionSpec {
  const s = sampleSolution();
  const project = s.tables[0];
  project.columns = project.columns.filter((c) => c.name !== 'cnt_Notes');
  project.columns.push({ name: 'cnt_Priority', display: 'Priority', type: 'int' });
  return { ...s, version: '2.0.0.0', tables: [project] };
}
const PATCH = 'ContosoProjects_Patch_1';
/** v1 with a patch that adds a column of its own, and 2.0 staged for upgrade */
const staged = () =>
  environment()
    .installed(read(v1()))
    .solution(PATCH, { version: '1.0.1.0', parent: 'ContosoProjects' })
    .layer('attribute', 'cnt_project.cnt_extra', PATCH)
    .layer('attribute', 'cnt_project.cnt_budget', PATCH)
    .installed(read(v2()), { holding: true });

const deleted = (plan: LifecyclePlan): string[] =>
  plan.deletes.map((d) => `${d.solution} ${d.type} ${d.key}${d.componentGoes ? '' : ' (stays)'}`);
const codes = (plan: LifecyclePlan): string[] => plan.blocked.map((b) => b.code);
/** Fabrikam's lookup needs `[type, key]` */
const dependent = (type: string, key: string) => ({
  requires: [[type, key]] as Array<[string, string]>,
});

function throwsCode(f: () => unknown, code: string, message?: RegExp): void {
  assert.throws(f, (e: { code?: string; message?: string }) => {
    assert.equal(e.code, code);
    if (message) assert.match(e.message ?? '', message);
    return true;
  });
}

describe('planLifecycle: apply a staged upgrade', () => {
  test('the base and its patches go, the holding solution takes their name and place', () => {
    const plan = planLifecycle(staged().build(), 'apply-upgrade', 'ContosoProjects');
    assert.deepEqual(plan.solution, {
      uniqueName: 'ContosoProjects',
      version: '1.0.0.0',
      managed: true,
      publisher: 'contoso',
    });
    assert.deepEqual(plan.holding, { uniqueName: 'ContosoProjects_Upgrade', version: '2.0.0.0' });
    assert.deepEqual(
      plan.removes.map((s) => s.uniqueName),
      [PATCH, 'ContosoProjects'],
    );
    assert.deepEqual(plan.renames, [
      {
        from: 'ContosoProjects_Upgrade',
        to: 'ContosoProjects',
        ordinal: 1_000_000,
        installOrder: 1,
      },
    ]);
    assert.deepEqual(plan.blocked, []);
  });

  test('it deletes what the new version lacks, from the base and from the patches', () => {
    const plan = planLifecycle(staged().build(), 'apply-upgrade', 'ContosoProjects');
    const goes = deleted(plan);
    assert.ok(goes.includes('ContosoProjects attribute cnt_project.cnt_notes'));
    assert.ok(goes.includes('ContosoProjects entity cnt_milestone'));
    assert.ok(goes.includes(`${PATCH} attribute cnt_project.cnt_extra`));
    assert.ok(
      !goes.some((d) => d.includes('cnt_project.cnt_budget')),
      'the new version has the budget: its old layers go with the solutions, not as deletes',
    );
    assert.deepEqual(plan.summary, {
      solutionsRemoved: 2,
      layersRemoved: plan.deletes.length,
      componentsDeleted: 10,
    });
  });

  test('the holding name works as well as the base name', () => {
    const snapshot = staged().build();
    assert.deepEqual(
      planLifecycle(snapshot, 'apply-upgrade', 'ContosoProjects_Upgrade'),
      planLifecycle(snapshot, 'apply-upgrade', 'ContosoProjects'),
    );
  });

  test('DEPENDENTS_EXIST: the upgrade may not delete a table another solution needs', () => {
    const snapshot = staged()
      .solution('FabrikamLinks', { publisher: 'fabrikam' })
      .layer(
        'attribute',
        'fab_link.fab_milestoneid',
        'FabrikamLinks',
        dependent('entity', 'cnt_milestone'),
      )
      .build();
    const plan = planLifecycle(snapshot, 'apply-upgrade', 'ContosoProjects');
    assert.deepEqual(codes(plan), ['DEPENDENTS_EXIST']);
    assert.equal(
      plan.blocked[0].message,
      'Cannot apply the upgrade of ContosoProjects: 1 component(s) of other solutions depend on ' +
        'components it would delete: Column fab_link.fab_milestoneid (FabrikamLinks) needs ' +
        'Table cnt_milestone.',
    );
  });

  test('HOLDING_NOT_FOUND without a staged upgrade; SOLUTION_NOT_FOUND without its base', () => {
    const installed = environment('dev').installed(read(v1())).build();
    throwsCode(
      () => planLifecycle(installed, 'apply-upgrade', 'ContosoProjects'),
      'HOLDING_NOT_FOUND',
      /^ContosoProjects has no solution staged for upgrade in dev \(no ContosoProjects_Upgrade/,
    );
    const orphan = environment('dev')
      .solution('ContosoProjects')
      .installed(read(v2()), { holding: true })
      .build();
    orphan.solutions = orphan.solutions.filter((s) => s.isHolding);
    throwsCode(
      () => planLifecycle(orphan, 'apply-upgrade', 'ContosoProjects_Upgrade'),
      'SOLUTION_NOT_FOUND',
      /^ContosoProjects, the solution ContosoProjects_Upgrade upgrades, is not installed in dev\.$/,
    );
  });
});

describe('planLifecycle: abandon a staged upgrade', () => {
  test('the holding solution goes; only what it alone had is deleted', () => {
    const plan = planLifecycle(staged().build(), 'abandon', 'ContosoProjects');
    assert.deepEqual(plan.solution.uniqueName, 'ContosoProjects_Upgrade');
    assert.deepEqual(plan.removes, [{ uniqueName: 'ContosoProjects_Upgrade', managed: true }]);
    assert.deepEqual(plan.renames, []);
    const goes = deleted(plan);
    assert.ok(goes.includes('ContosoProjects_Upgrade attribute cnt_project.cnt_priority'));
    assert.ok(goes.includes('ContosoProjects_Upgrade attribute cnt_project.cnt_budget (stays)'));
    assert.equal(
      plan.summary.componentsDeleted,
      1,
      'cnt_priority: only the holding solution had it',
    );
  });

  test('DEPENDENTS_EXIST: abandoning may not delete what another solution already needs', () => {
    const snapshot = staged()
      .solution('FabrikamLinks', { publisher: 'fabrikam' })
      .layer(
        'savedquery',
        '{fab-view}',
        'FabrikamLinks',
        dependent('attribute', 'cnt_project.cnt_priority'),
      )
      .build();
    const plan = planLifecycle(snapshot, 'abandon', 'ContosoProjects');
    assert.deepEqual(codes(plan), ['DEPENDENTS_EXIST']);
    assert.match(plan.blocked[0].message, /^Cannot abandon ContosoProjects_Upgrade: 1 component/);
  });

  test('HOLDING_NOT_FOUND: there is nothing staged to abandon', () => {
    const snapshot = environment().installed(read(v1())).build();
    throwsCode(() => planLifecycle(snapshot, 'abandon', 'ContosoProjects'), 'HOLDING_NOT_FOUND');
  });
});

describe('planLifecycle: uninstall', () => {
  test('a managed solution takes its layers; a component with another layer stays', () => {
    const snapshot = environment()
      .solution('Other')
      .layer('attribute', 'cnt_project.cnt_budget', 'Other')
      .installed(read(v1()))
      .layer('attribute', 'cnt_project.cnt_name', 'Active')
      .layer('entity', 'account', 'ContosoProjects')
      .build();
    const plan = planLifecycle(snapshot, 'uninstall', 'ContosoProjects');
    assert.deepEqual(plan.removes, [{ uniqueName: 'ContosoProjects', managed: true }]);
    const goes = deleted(plan);
    assert.equal(goes.length, 22, 'every layer of the solution');
    assert.ok(goes.includes('ContosoProjects attribute cnt_project.cnt_budget (stays)'));
    assert.ok(goes.includes('ContosoProjects entity account (stays)'), 'the catalog has account');
    assert.ok(
      goes.includes('ContosoProjects attribute cnt_project.cnt_name'),
      'an Active layer alone does not keep a component',
    );
    assert.deepEqual(plan.summary, {
      solutionsRemoved: 1,
      layersRemoved: 22,
      componentsDeleted: 20,
    });
  });

  test('an unmanaged solution is a container: it goes alone, its components stay', () => {
    const snapshot = environment()
      .installed(read({ ...v1(), managed: false }))
      .build();
    const plan = planLifecycle(snapshot, 'uninstall', 'ContosoProjects');
    assert.deepEqual(plan.removes, [{ uniqueName: 'ContosoProjects', managed: false }]);
    assert.deepEqual([plan.deletes, plan.blocked], [[], []]);
  });

  test('a parent goes with its patches, and what they need of it does not hold it back', () => {
    const snapshot = environment()
      .installed(read(v1()))
      .solution(PATCH, { version: '1.0.1.0', parent: 'ContosoProjects' })
      .layer('attribute', 'cnt_project.cnt_extra', PATCH, dependent('entity', 'cnt_milestone'))
      .build();
    const plan = planLifecycle(snapshot, 'uninstall', 'ContosoProjects');
    assert.deepEqual(
      plan.removes.map((s) => s.uniqueName),
      [PATCH, 'ContosoProjects'],
    );
    assert.ok(deleted(plan).includes(`${PATCH} attribute cnt_project.cnt_extra`));
    assert.deepEqual(plan.blocked, []);
  });

  test('HOLDING_EXISTS: a base with a staged upgrade is not uninstalled', () => {
    const plan = planLifecycle(staged().build(), 'uninstall', 'ContosoProjects');
    assert.deepEqual(plan.blocked[0], {
      code: 'HOLDING_EXISTS',
      message:
        'ContosoProjects has a staged upgrade (ContosoProjects_Upgrade); ' +
        'finish or abandon it before uninstalling.',
      hint: 'strata upgrade ContosoProjects   or   strata upgrade ContosoProjects --abandon',
    });
  });

  test('DEPENDENTS_EXIST: a solution another one needs is not uninstalled', () => {
    const snapshot = environment()
      .installed(read(v1()))
      .solution('FabrikamLinks', { publisher: 'fabrikam' })
      .layer(
        'attribute',
        'fab_link.fab_milestoneid',
        'FabrikamLinks',
        dependent('entity', 'cnt_milestone'),
      )
      .layer(
        'attribute',
        'fab_link.fab_projectid',
        'FabrikamLinks',
        dependent('entity', 'cnt_project'),
      )
      .build();
    const plan = planLifecycle(snapshot, 'uninstall', 'ContosoProjects');
    assert.deepEqual(codes(plan), ['DEPENDENTS_EXIST']);
    assert.match(plan.blocked[0].message, /^Cannot uninstall ContosoProjects: 2 component\(s\)/);
    assert.equal(
      plan.blocked[0].hint,
      'Remove or change the dependent components first (or uninstall the solutions that hold ' +
        'them), then try again.',
    );
  });

  test('SOLUTION_NOT_FOUND: there is no such solution', () => {
    throwsCode(
      () => planLifecycle(environment('dev').build(), 'uninstall', 'Nope'),
      'SOLUTION_NOT_FOUND',
      /^There is no solution named Nope in dev\.$/,
    );
  });
});
