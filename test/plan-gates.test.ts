import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { planImport } from '../src/engine/plan.js';
import { buildSolutionZip, type SolutionSpec } from '../src/package/build.js';
import { readPackage, type SolutionPackage } from '../src/package/read.js';
import type { ImportPlan } from '../src/plans/import-plan.js';
import { buildPackage } from './support/package-builder.js';
import { contosoV1, contosoV2 } from './support/contoso.js';
import { environment } from './support/snapshot-builder.js';

/**
 * The solution gates of planImport on packages built here and environments built in memory:
 * unique names compared as Dataverse compares them (ignoring case), a holding import without
 * its base, one reason for a refusal of the solution as a whole, and the state in effect of a
 * routing rule set.
 */
const read = (spec: SolutionSpec): SolutionPackage => readPackage(buildSolutionZip(spec));
const named = (spec: SolutionSpec, uniqueName: string): SolutionSpec => ({ ...spec, uniqueName });
const codes = (plan: ImportPlan): string[] => plan.blocked.map((b) => b.code);

describe('planImport: solution unique names ignore case', () => {
  test('CONTOSOPROJECTS 2.0 upgrades ContosoProjects 1.0, which keeps its spelling', () => {
    const snapshot = environment().installed(read(contosoV1())).build();
    const plan = planImport(snapshot, read(named(contosoV2(), 'CONTOSOPROJECTS')));
    assert.deepEqual(codes(plan), []);
    assert.equal(plan.kind, 'upgrade');
    assert.equal(plan.solution.uniqueName, 'ContosoProjects');
    assert.equal(plan.installed?.uniqueName, 'ContosoProjects');
    assert.deepEqual(
      [plan.solution.installOrder, plan.solution.ordinal],
      [1, 1_000_000],
      "in the installed solution's place",
    );
    assert.ok(plan.deletes.some((d) => d.key === 'cnt_milestone' && d.componentGoes));
  });

  test('an older version spelled differently is refused, not installed beside it', () => {
    const snapshot = environment().installed(read(contosoV2())).build();
    const plan = planImport(snapshot, read(named(contosoV1(), 'contosoprojects')));
    assert.deepEqual(codes(plan), ['VERSION_LOWER']);
    assert.match(plan.blocked[0].message, /^ContosoProjects 2\.0\.0\.0 is installed/);
  });

  test('a staged upgrade is <installed name>_Upgrade, and found whatever its case', () => {
    const snapshot = environment().installed(read(contosoV1())).build();
    const plan = planImport(snapshot, read(named(contosoV2(), 'contosoPROJECTS')), {
      action: 'stage',
    });
    assert.deepEqual([plan.kind, codes(plan)], ['stage', []]);
    assert.equal(plan.solution.uniqueName, 'ContosoProjects_Upgrade');
    const staged = environment()
      .installed(read(contosoV1()))
      .installed(read(contosoV2()), { holding: true })
      .build();
    const again = planImport(staged, read(named(contosoV2('3.0.0.0'), 'CONTOSOPROJECTS')));
    assert.deepEqual(codes(again), ['HOLDING_EXISTS']);
  });

  test("a patch finds its parent whatever the case, and records the parent's spelling", () => {
    const snapshot = environment().installed(read(contosoV1())).build();
    const patch = {
      ...contosoV2('1.0.1.0'),
      uniqueName: 'ContosoProjects_Patch',
      parentUniqueName: 'CONTOSOPROJECTS',
    };
    const plan = planImport(snapshot, read(patch));
    assert.deepEqual([plan.kind, codes(plan)], ['patch', []]);
    assert.equal(plan.solution.parentUniqueName, 'ContosoProjects');
    assert.equal(plan.solution.ordinal, 1_000_001);
  });
});

describe('planImport: a holding import needs its base', () => {
  test('HOLDING_BASE_NOT_INSTALLED: --import-as-holding with no base installed', () => {
    const plan = planImport(environment('prod').build(), read(contosoV2()), { action: 'stage' });
    assert.deepEqual(plan.blocked, [
      {
        code: 'HOLDING_BASE_NOT_INSTALLED',
        message:
          'ContosoProjects 2.0.0.0 cannot be imported as a holding solution: its base ' +
          'solution ContosoProjects is not installed in prod. A holding solution ' +
          '(ContosoProjects_Upgrade) stages an upgrade of an installed solution.',
        hint:
          'Import it without --import-as-holding (HoldingSolution) to install ContosoProjects, ' +
          'or install ContosoProjects first and then stage this upgrade.',
      },
    ]);
    assert.equal(plan.solution.isHolding, false);
  });

  test('stage and apply in one go (StageAndUpgrade) installs a first version normally', () => {
    const plan = planImport(environment().build(), read(contosoV2()), {
      action: 'stage',
      installWithoutBase: true,
    });
    assert.deepEqual([plan.kind, codes(plan)], ['new', []]);
    assert.equal(plan.solution.uniqueName, 'ContosoProjects');
  });

  test('a new patch cannot be imported as a holding solution either', () => {
    const snapshot = environment().installed(read(contosoV1())).build();
    const patch = { ...contosoV2('1.0.1.0'), uniqueName: 'P', parentUniqueName: 'ContosoProjects' };
    const plan = planImport(snapshot, read(patch), { action: 'stage' });
    assert.deepEqual(codes(plan), ['HOLDING_REQUIRES_BASE']);
  });
});

describe('planImport: a refusal of the solution as a whole is its only reason', () => {
  // ContosoProjects with a lookup to a table nothing provides: MISSING_DEPENDENCIES on its own
  const needsRegion = (version: string): SolutionSpec => {
    const spec = contosoV2(version);
    spec.tables[0].columns.push({
      name: 'cnt_RegionId',
      display: 'Region',
      type: 'lookup',
      target: 'fab_region',
    });
    return spec;
  };

  test('VERSION_LOWER alone: no missing dependencies, nothing deleted, nothing at risk', () => {
    assert.deepEqual(codes(planImport(environment().build(), read(needsRegion('1.0.0.0')))), [
      'MISSING_DEPENDENCIES',
    ]);
    const snapshot = environment()
      .installed(read(contosoV2('3.0.0.0')))
      .build();
    const plan = planImport(snapshot, read(needsRegion('1.0.0.0')));
    assert.deepEqual(codes(plan), ['VERSION_LOWER']);
    assert.deepEqual(plan.missing, []);
    assert.equal(plan.summary.missing, 0);
    assert.deepEqual(plan.deletes, []);
  });

  test('the other refusals of the solution are exclusive too; the rest add up', () => {
    const snapshot = environment().installed(read(contosoV2())).build();
    const same = planImport(snapshot, read(needsRegion('2.0.0.0')));
    assert.deepEqual(codes(same), ['VERSION_NOT_HIGHER']);
    const noBase = planImport(environment().build(), read(needsRegion('2.0.0.0')), {
      action: 'stage',
    });
    assert.deepEqual(codes(noBase), ['HOLDING_BASE_NOT_INSTALLED']);
    // a higher version: the import would run, so what it lacks is reported
    const higher = planImport(snapshot, read(needsRegion('3.0.0.0')));
    assert.deepEqual(codes(higher), ['MISSING_DEPENDENCIES']);
  });
});

describe('planImport: a routing rule set is judged by the state in effect', () => {
  const key = '{11111111-2222-3333-4444-555555555555}';
  const pkg = readPackage(
    buildPackage({
      uniqueName: 'Routing2',
      managed: true,
      extraCustomizations:
        '<RoutingRules><RoutingRule>' +
        `<RoutingRuleId>${key}</RoutingRuleId><Name>Cases</Name><StateCode>1</StateCode>` +
        '</RoutingRule></RoutingRules>',
    }),
  );

  test('deactivated in the Active layer above an active managed layer: not refused', () => {
    const snapshot = environment()
      .solution('Routing1')
      .layer('routingrule', key, 'Routing1', { state: 'active' })
      .layer('routingrule', key, 'Active', { state: 'inactive' })
      .build();
    assert.deepEqual(codes(planImport(snapshot, pkg)), []);
  });

  test('activated in the Active layer above an inactive managed layer: refused', () => {
    const snapshot = environment()
      .solution('Routing1')
      .layer('routingrule', key, 'Routing1', { state: 'inactive' })
      .layer('routingrule', key, 'Active', { state: 'active' })
      .build();
    assert.deepEqual(codes(planImport(snapshot, pkg)), ['ROUTING_RULE_SET_ACTIVE']);
  });
});
