import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { strFromU8, strToU8 } from 'fflate';
import { planImport } from '../src/engine/plan.js';
import { buildSolutionZip, sampleSolution, type SolutionSpec } from '../src/package/build.js';
import { readPackage, type SolutionPackage } from '../src/package/read.js';
import type { ImportPlan, PlannedComponent } from '../src/plans/import-plan.js';
import { packageEntries, zipEntries, type BuildOptions } from './support/package-builder.js';
import { contosoV1, contosoV2, fabrikamLinks } from './support/contoso.js';
import { environment } from './support/snapshot-builder.js';

/**
 * planImport on packages built here and environments built in memory: no store. Every refusal
 * of an import, every kind of import, and each component's action and layer against what the
 * environment already has. test/import.test.ts and test/lifecycle.test.ts check the writes.
 *
 * ContosoProjects 1.0.0.0 is the sample (two tables, a web resource, a lookup to account);
 * 2.0.0.0 changes cnt_Budget, drops cnt_Notes and the whole cnt_Milestone table, and adds
 * cnt_Priority.
 */
const read = (spec: SolutionSpec): SolutionPackage => readPackage(buildSolutionZip(spec));
const v1 = contosoV1;
const v2 = contosoV2;
const unmanaged = (s: SolutionSpec): SolutionSpec => ({ ...s, managed: false });
const patchOf = (
  parent: string,
  version: string,
  uniqueName = `${parent}_Patch`,
): SolutionSpec => ({
  ...v2(version),
  uniqueName,
  parentUniqueName: parent,
});
const fabrikam = fabrikamLinks;
/** An unmanaged solution that renames the sample's Budget column (Active layer). */
const tweaks = (): SolutionSpec => {
  const s = sampleSolution();
  const budget = s.tables[0].columns.find((c) => c.name === 'cnt_Budget')!;
  return {
    ...s,
    uniqueName: 'LocalTweaks',
    managed: false,
    tables: [
      { ...s.tables[0], forms: 0, views: 0, columns: [{ ...budget, display: 'My budget' }] },
    ],
    webResources: [],
  };
};

/** A package from test/support/package-builder, its XML edited before it is zipped. */
function built(
  o: BuildOptions,
  edit: { solution?: (xml: string) => string; customizations?: (xml: string) => string } = {},
): SolutionPackage {
  const entries = packageEntries(o);
  const apply = (name: string, f?: (xml: string) => string): void => {
    if (f) entries[name] = strToU8(f(strFromU8(entries[name])));
  };
  apply('solution.xml', edit.solution);
  apply('customizations.xml', edit.customizations);
  return readPackage(zipEntries(entries));
}

function component(plan: ImportPlan, type: string, key: string): PlannedComponent {
  const c = plan.components.find((x) => x.type === type && x.key === key);
  assert.ok(c, `${type} ${key} is in the plan`);
  return c;
}
/** action, layer, draft: what happens to a component, in one line */
const fate = (plan: ImportPlan, type: string, key: string): [string, string, boolean] => {
  const c = component(plan, type, key);
  return [c.action, c.layer, c.draft];
};
const codes = (plan: ImportPlan): string[] => plan.blocked.map((b) => b.code);

const BUDGET = 'cnt_project.cnt_budget';
const FORM_RULE = `<RoutingRules><RoutingRule>
  <RoutingRuleId>{11111111-2222-3333-4444-555555555555}</RoutingRuleId>
  <Name>Cases</Name><StateCode>1</StateCode>
</RoutingRule></RoutingRules>`;
const WORKFLOW = `<Workflows><Workflow WorkflowId="{aaaaaaaa-0000-0000-0000-000000000001}"
  Name="Notify owner"><PrimaryEntity>none</PrimaryEntity><StateCode>1</StateCode></Workflow>
</Workflows>`;

describe('planImport: what kind of import, and where the layer goes', () => {
  test('a first install is new, at the next install order, a managed layer each', () => {
    const snapshot = environment()
      .solution('First', { publisher: 'fabrikam' })
      .solution('Second', { publisher: 'fabrikam' })
      .build();
    const plan = planImport(snapshot, read(v1()));
    assert.equal(plan.kind, 'new');
    assert.deepEqual(
      [plan.solution.uniqueName, plan.solution.installOrder, plan.solution.ordinal],
      ['ContosoProjects', 3, 3_000_000],
    );
    assert.equal(plan.installed, null);
    assert.deepEqual(fate(plan, 'attribute', BUDGET), ['add', 'managed', false]);
    assert.equal(
      component(plan, 'attribute', BUDGET).reason,
      'new component: gets a managed layer, published',
    );
    assert.deepEqual(plan.summary, {
      add: 21,
      update: 0,
      skip: 0,
      delete: 0,
      drafts: 0,
      warnings: 0,
      missing: 0,
      customizationsKept: 0,
      customizationsOverwritten: 0,
    });
    assert.deepEqual([plan.blocked, plan.deletes, plan.rolledUp], [[], [], []]);
    assert.equal(plan.publisher.action, 'create');
  });

  test('a patch sits directly above its parent and the patches it already has', () => {
    const snapshot = environment()
      .solution('Other')
      .installed(read(v1()))
      .installed(read(patchOf('ContosoProjects', '1.0.1.0', 'ContosoProjects_Patch_1')))
      .build();
    const plan = planImport(snapshot, read(patchOf('ContosoProjects', '1.0.2.0')));
    assert.equal(plan.kind, 'patch');
    assert.deepEqual(
      [plan.solution.parentUniqueName, plan.solution.installOrder, plan.solution.ordinal],
      ['ContosoProjects', 2, 2_000_002],
    );
    // a patch adds its own layer over the parent's: nothing is replaced
    assert.deepEqual(fate(plan, 'attribute', BUDGET), ['update', 'managed', false]);
    assert.equal(
      component(plan, 'attribute', BUDGET).reason,
      'existing component: gets a managed layer, published',
    );
    assert.deepEqual(plan.blocked, []);
  });

  test('an upgrade replaces the layer in place: changed update, unchanged skip, new add', () => {
    const snapshot = environment().installed(read(v1())).build();
    const plan = planImport(snapshot, read(v2()));
    assert.equal(plan.kind, 'upgrade');
    assert.deepEqual(
      [plan.solution.uniqueName, plan.solution.ordinal, plan.solution.isHolding],
      ['ContosoProjects', 1_000_000, false],
    );
    assert.deepEqual(plan.installed, {
      uniqueName: 'ContosoProjects',
      version: '1.0.0.0',
      managed: true,
      patches: [],
      holding: null,
    });
    const budget = component(plan, 'attribute', BUDGET);
    assert.deepEqual(
      [budget.action, budget.layer, budget.reason],
      ['update', 'managed', "changed: replaces ContosoProjects's layer, in place, published"],
    );
    const name = component(plan, 'attribute', 'cnt_project.cnt_name');
    assert.deepEqual(
      [name.action, name.layer, name.reason],
      ['skip', 'none', 'unchanged: ContosoProjects 1.0.0.0 has the same definition'],
    );
    const priority = component(plan, 'attribute', 'cnt_project.cnt_priority');
    assert.deepEqual(
      [priority.action, priority.reason],
      ['add', 'added to ContosoProjects: gets a managed layer, published'],
    );
  });

  test('an upgrade deletes the column and the table the new version dropped', () => {
    const snapshot = environment().installed(read(v1())).build();
    const plan = planImport(snapshot, read(v2()));
    assert.deepEqual(
      plan.deletes.map((d) => `${d.type} ${d.key}`),
      [
        'attribute cnt_milestone.cnt_duedate',
        'attribute cnt_milestone.cnt_milestoneid',
        'attribute cnt_milestone.cnt_name',
        'attribute cnt_milestone.cnt_projectid',
        'attribute cnt_project.cnt_notes',
        'entity cnt_milestone',
        'relationship cnt_cnt_project_cnt_milestone_cnt_projectid',
        'savedquery {2f718824-c2d4-4285-acbf-73e7ba020797}',
        'systemform {c0a47884-bca4-4aab-a221-78a74e7da39c}',
      ],
    );
    assert.ok(plan.deletes.every((d) => d.solution === 'ContosoProjects' && d.componentGoes));
    assert.equal(plan.summary.delete, 9);
  });

  test('an upgrade rolls up the patches: their layers go where the new version lacks them', () => {
    const patch = patchOf('ContosoProjects', '1.0.1.0', 'ContosoProjects_Patch_1');
    const snapshot = environment()
      .installed(read(v1()))
      .installed(read(patch))
      .layer('attribute', 'cnt_project.cnt_extra', 'ContosoProjects_Patch_1')
      .build();
    const plan = planImport(snapshot, read(v2()));
    assert.deepEqual(plan.rolledUp, ['ContosoProjects_Patch_1']);
    assert.deepEqual(plan.installed?.patches, ['ContosoProjects_Patch_1']);
    const extra = plan.deletes.filter((d) => d.key === 'cnt_project.cnt_extra');
    assert.deepEqual(
      extra.map((d) => [d.solution, d.componentGoes]),
      [['ContosoProjects_Patch_1', true]],
    );
    assert.ok(
      !plan.deletes.some((d) => d.key === BUDGET),
      'a component the new version has keeps its place: the patch layer goes with the rollup',
    );
  });

  test('stage installs <name>_Upgrade above the base, every layer, deleting nothing', () => {
    const snapshot = environment().solution('Other').installed(read(v1())).build();
    const plan = planImport(snapshot, read(v2()), { action: 'stage' });
    assert.equal(plan.kind, 'stage');
    assert.deepEqual(
      [
        plan.solution.uniqueName,
        plan.solution.isHolding,
        plan.solution.installOrder,
        plan.solution.ordinal,
      ],
      ['ContosoProjects_Upgrade', true, 2, 2_500_000],
    );
    assert.deepEqual(fate(plan, 'attribute', 'cnt_project.cnt_name'), ['update', 'managed', false]);
    assert.deepEqual(fate(plan, 'attribute', 'cnt_project.cnt_priority'), [
      'add',
      'managed',
      false,
    ]);
    assert.deepEqual([plan.deletes, plan.rolledUp], [[], []]);
  });

  test('update replaces the layer content of the same version and deletes nothing', () => {
    const snapshot = environment().installed(read(v1())).build();
    const plan = planImport(snapshot, read(v2('1.0.0.0')), { action: 'update' });
    assert.equal(plan.kind, 'update');
    assert.deepEqual(fate(plan, 'attribute', BUDGET), ['update', 'managed', false]);
    assert.deepEqual(fate(plan, 'attribute', 'cnt_project.cnt_name'), ['skip', 'none', false]);
    assert.deepEqual(plan.deletes, [], 'cnt_notes stays, though the package lacks it');
  });

  test('--skip-lower-version skips a package that is not newer: every component, no checks', () => {
    const snapshot = environment().installed(read(v2())).build();
    const older = v1();
    older.tables[1].columns.push({ name: 'cnt_X', display: 'X', type: 'lookup', target: 'fab_x' });
    const plan = planImport(snapshot, read(older), { skipLowerVersion: true });
    assert.equal(plan.kind, 'skip');
    assert.ok(
      plan.components.every(
        (c) =>
          c.action === 'skip' &&
          c.layer === 'none' &&
          c.reason === 'skipped: the package is not newer than the installed version',
      ),
    );
    assert.equal(plan.summary.skip, plan.components.length);
    assert.deepEqual([plan.missing, plan.blocked], [[], []], 'dependencies are not checked');
  });

  test('an unmanaged solution imported again is an update of its Active-layer definitions', () => {
    const snapshot = environment()
      .installed(read(unmanaged(v1())))
      .build();
    const plan = planImport(snapshot, read(unmanaged(v2('1.1.0.0'))));
    assert.equal(plan.kind, 'update');
    assert.deepEqual(fate(plan, 'attribute', BUDGET), ['update', 'active', true]);
    assert.equal(
      component(plan, 'attribute', 'cnt_project.cnt_name').reason,
      'unchanged: the Active layer already holds this definition',
    );
    assert.deepEqual(plan.deletes, [], 'an unmanaged solution is a container: nothing is deleted');
  });
});

describe('planImport: each component against the layers it already has', () => {
  test('no layer: a managed package adds a managed layer, an unmanaged one an Active draft', () => {
    const snapshot = environment().build();
    const managed = planImport(snapshot, read(v1()));
    const plain = planImport(snapshot, read(unmanaged(v1())));
    assert.deepEqual(fate(managed, 'attribute', BUDGET), ['add', 'managed', false]);
    assert.deepEqual(fate(plain, 'attribute', BUDGET), ['add', 'active', true]);
    assert.equal(
      component(plain, 'attribute', BUDGET).reason,
      'new component: written to the Active layer as a draft until published',
    );
    // a type that is not published (a language) is live at once
    assert.deepEqual(fate(plain, 'language', '1033'), ['add', 'active', false]);
    assert.equal(
      component(plain, 'language', '1033').reason,
      'new component: written to the Active layer, live at once',
    );
    assert.equal(plain.summary.drafts, 20);
  });

  test('only the System layer (account, from the catalog): the package updates it', () => {
    const pkg = (managed: boolean): SolutionPackage =>
      built({
        uniqueName: 'AccountExt',
        managed,
        entities: [{ name: 'account', attributes: ['new_rating'] }],
      });
    const snapshot = environment().build();
    const managed = planImport(snapshot, pkg(true));
    assert.deepEqual(fate(managed, 'entity', 'account'), ['update', 'managed', false]);
    assert.equal(
      component(managed, 'entity', 'account').reason,
      'existing component: gets a managed layer, published',
    );
    assert.deepEqual(fate(managed, 'attribute', 'account.new_rating'), ['add', 'managed', false]);
    const plain = planImport(snapshot, pkg(false));
    assert.deepEqual(fate(plain, 'entity', 'account'), ['update', 'active', true]);
    // without the standard base there is no account to update
    const empty = planImport(environment('bare', { base: 'empty' }).build(), pkg(true));
    assert.deepEqual(fate(empty, 'entity', 'account'), ['add', 'managed', false]);
  });

  test("another solution's managed layer: the package adds its own layer above it", () => {
    const ext = (name: string): SolutionPackage =>
      built({
        uniqueName: name,
        managed: true,
        entities: [{ name: 'new_book', attributes: ['new_name'] }],
      });
    const snapshot = environment().installed(ext('Books')).build();
    const plan = planImport(snapshot, ext('MoreBooks'));
    assert.equal(plan.kind, 'new');
    assert.deepEqual(fate(plan, 'attribute', 'new_book.new_name'), ['update', 'managed', false]);
    assert.equal(
      component(plan, 'attribute', 'new_book.new_name').reason,
      'existing component: gets a managed layer, published',
    );
    assert.deepEqual(plan.deletes, []);
  });

  test('an Active layer is kept on top by default (maintain), with the properties it hides', () => {
    const snapshot = environment().installed(read(v1())).installed(read(tweaks())).build();
    const plan = planImport(snapshot, read(v2()));
    const budget = plan.customizations.find((c) => c.key === BUDGET);
    assert.equal(budget?.effect, 'kept');
    assert.deepEqual(
      budget?.properties?.find((p) => p.path.endsWith('displayname/@description')),
      {
        path: 'attribute/displaynames/displayname/@description',
        active: 'My budget',
        incoming: 'Budget (2.0.0.0)',
      },
    );
    assert.deepEqual(fate(plan, 'attribute', BUDGET), ['update', 'managed', false]);
    assert.match(component(plan, 'attribute', BUDGET).warnings.join(' '), /stays on top/);
    assert.equal(plan.summary.customizationsKept, plan.customizations.length);
    assert.ok(plan.warnings.some((w) => w.startsWith(`attribute ${BUDGET}: The Active layer`)));
  });

  test('--force-overwrite overwrites the Active layer, and re-applies unchanged components', () => {
    const snapshot = environment().installed(read(v1())).installed(read(tweaks())).build();
    const plan = planImport(snapshot, read(v2()), { overwrite: true });
    assert.equal(plan.customizations.find((c) => c.key === BUDGET)?.effect, 'overwritten');
    assert.equal(plan.summary.customizationsOverwritten, plan.customizations.length);
    assert.equal(plan.summary.customizationsKept, 0);
    assert.deepEqual(fate(plan, 'attribute', 'cnt_project.cnt_name'), ['update', 'managed', false]);
  });

  test('a merge component (form) under an Active layer is merged, not kept or overwritten', () => {
    const form = read(v1()).components.find((c) => c.type === 'systemform')!;
    const snapshot = environment()
      .installed(read(v1()))
      .layer('systemform', form.key, 'Active', { draftHash: 'local', xml: form.xml })
      .build();
    for (const options of [{}, { overwrite: true }]) {
      const plan = planImport(snapshot, read(v2()), options);
      const merged = plan.customizations.find((c) => c.key === form.key);
      assert.equal(merged?.effect, 'merged');
      assert.equal(merged?.properties, undefined);
    }
  });

  test('an unmanaged form over managed layers keeps only its changes, if any', () => {
    const managedForm = read(v1()).components.find((c) => c.type === 'systemform')!;
    const changed = v1();
    changed.tables[0].columns = changed.tables[0].columns.map((c) =>
      c.name === 'cnt_Budget' ? { ...c, display: 'Money' } : c,
    );
    const snapshot = environment()
      .installed(read(v1()))
      .mergedBelow('systemform', managedForm.key, managedForm.xml)
      .build();
    const same = planImport(snapshot, read({ ...unmanaged(v1()), uniqueName: 'Local' }));
    const equal = component(same, 'systemform', managedForm.key);
    assert.deepEqual(
      [equal.action, equal.layer, equal.reason],
      ['skip', 'none', 'unchanged: the managed layers below already define it this way'],
    );
    const plan = planImport(snapshot, read({ ...unmanaged(changed), uniqueName: 'Local' }));
    const form = component(plan, 'systemform', managedForm.key);
    assert.deepEqual([form.action, form.layer, form.draft], ['update', 'active', true]);
    // the Active layer gets the label it changes, not the whole form
    assert.match(form.definition ?? '', /description="Money" solutionaction="Modified"/);
    assert.doesNotMatch(form.definition ?? '', /datafieldname/);
  });

  test('a standard table the catalog lacks: its System layer is taken from the package', () => {
    const pkg = built({
      uniqueName: 'Std',
      managed: true,
      entities: [{ name: 'bookableresource', attributes: ['new_skill'] }],
    });
    const plan = planImport(environment().build(), pkg);
    const table = component(plan, 'entity', 'bookableresource');
    assert.equal(table.systemLayer, true);
    assert.equal(
      table.reason,
      'new component, System layer taken from the package: gets a managed layer, published',
    );
    assert.match(table.warnings[0], /standard table the System catalog does not list/);
    assert.equal(component(plan, 'attribute', 'bookableresource.new_skill').systemLayer, undefined);
    const bare = planImport(environment('bare', { base: 'empty' }).build(), pkg);
    assert.equal(component(bare, 'entity', 'bookableresource').systemLayer, undefined);
    // taken once: the next package finds it there
    const taken = environment()
      .solution('Earlier')
      .layer('entity', 'bookableresource', 'System')
      .layer('entity', 'bookableresource', 'Earlier');
    const again = component(planImport(taken.build(), pkg), 'entity', 'bookableresource');
    assert.deepEqual([again.action, again.systemLayer], ['update', undefined]);
  });

  test('a table that only holds its forms, and an unmodified form, are skipped', () => {
    const pkg = built(
      {
        uniqueName: 'Forms',
        managed: true,
        entities: [
          { name: 'account', attributes: [], forms: [{ fields: ['name'] }] },
          { name: 'new_book', attributes: ['new_name'], forms: [{ fields: ['new_name'] }] },
        ],
      },
      {
        customizations: (xml) =>
          xml
            // account: no EntityInfo, only its form
            .replace(/<EntityInfo>\s*<entity Name="account">[\s\S]*?<\/EntityInfo>/, '')
            .replace(
              /(<Entity>[\s\S]*?new_book[\s\S]*?)<systemform>/,
              '$1<systemform unmodified="1">',
            ),
      },
    );
    const plan = planImport(environment().build(), pkg);
    const shell = component(plan, 'entity', 'account');
    assert.deepEqual(
      [shell.action, shell.layer, shell.reason],
      ['skip', 'none', 'table included as a container for its forms and views only'],
    );
    const forms = plan.components.filter((c) => c.type === 'systemform');
    assert.deepEqual(
      forms.map((f) => [f.action, f.reason]),
      [
        ['add', 'new component: gets a managed layer, published'],
        ['skip', 'form exported as unmodified: skipped on import'],
      ],
    );
  });

  test('steps and workflows land deactivated unless --activate-plugins', () => {
    const pkg = built({
      uniqueName: 'Flows',
      managed: true,
      extraCustomizations: WORKFLOW + FORM_RULE,
    });
    const wf = '{aaaaaaaa-0000-0000-0000-000000000001}';
    const snapshot = environment().build();
    assert.equal(component(planImport(snapshot, pkg), 'workflow', wf).state, 'inactive');
    const on = planImport(snapshot, pkg, { activatePlugins: true });
    assert.equal(component(on, 'workflow', wf).state, 'active');
    // other components keep the state their package declares
    const rule = component(on, 'routingrule', '{11111111-2222-3333-4444-555555555555}');
    assert.equal(rule.state, 'active');
    assert.equal(component(on, 'language', '1033').state, undefined);
  });

  test('a publisher is created, reused, or updated with a warning when its prefix changes', () => {
    const pkg = read(v1());
    assert.equal(planImport(environment().build(), pkg).publisher.action, 'create');
    const same = environment().publisher('contoso', 'cnt').build();
    assert.equal(planImport(same, pkg).publisher.action, 'existing');
    const plan = planImport(environment().publisher('contoso', 'con').build(), pkg);
    assert.equal(plan.publisher.action, 'update');
    assert.deepEqual(plan.warnings, [
      'Publisher contoso\'s customization prefix changes from "con" to "cnt": components it ' +
        'already has keep their names; new ones use "cnt".',
    ]);
  });

  test('a platform table the catalog lacks is assumed present, with a warning', () => {
    const plan = planImport(environment('bare', { base: 'empty' }).build(), read(v1()));
    assert.deepEqual(plan.missing, []);
    const rel = component(plan, 'relationship', 'cnt_account_cnt_project_cnt_accountid');
    assert.deepEqual(rel.warnings, [
      'lookup target account: not in the System catalog; assumed to be a platform table.',
    ]);
    assert.ok(plan.warnings.includes(`relationship ${rel.key}: ${rel.warnings[0]}`));
  });
});

describe('planImport: refusals', () => {
  const refusal = (plan: ImportPlan, code: string) => {
    const r = plan.blocked.find((b) => b.code === code);
    assert.ok(r, `${code} in ${codes(plan).join(', ') || 'no refusals'}`);
    return r;
  };

  test('SOLUTION_MODE_MISMATCH: an unmanaged package of a solution installed managed', () => {
    const snapshot = environment().installed(read(v1())).build();
    const plan = planImport(snapshot, read(unmanaged(v2())));
    assert.deepEqual(codes(plan), ['SOLUTION_MODE_MISMATCH']);
    assert.equal(
      plan.blocked[0].message,
      'The solution is already installed on this system as a managed solution and the package ' +
        'supplied is attempting to install it in unmanaged mode. ' +
        'Import can only update solutions when the modes match.',
    );
    assert.equal(plan.blocked[0].hint, 'Uninstall the current solution and try again.');
  });

  test('SOLUTION_MODE_MISMATCH: a managed patch of an unmanaged parent', () => {
    const snapshot = environment()
      .installed(read(unmanaged(v1())))
      .build();
    const plan = planImport(snapshot, read(patchOf('ContosoProjects', '1.0.1.0')));
    assert.deepEqual(codes(plan), ['SOLUTION_MODE_MISMATCH']);
    assert.equal(
      plan.blocked[0].message,
      'ContosoProjects_Patch is managed but its parent ContosoProjects is not.',
    );
  });

  test('VERSION_LOWER: a solution cannot be downgraded', () => {
    const snapshot = environment().installed(read(v2())).build();
    const r = refusal(planImport(snapshot, read(v1())), 'VERSION_LOWER');
    assert.equal(
      r.message,
      'ContosoProjects 2.0.0.0 is installed; the package holds the lower version 1.0.0.0. ' +
        'A solution cannot be downgraded.',
    );
  });

  test('VERSION_NOT_HIGHER: an upgrade, staged or not, needs a higher version', () => {
    const snapshot = environment().installed(read(v1())).build();
    const upgrade = refusal(planImport(snapshot, read(v1())), 'VERSION_NOT_HIGHER');
    assert.match(upgrade.message, /same version; an upgrade needs a higher version\.$/);
    const stage = planImport(snapshot, read(v1()), { action: 'stage' });
    assert.match(refusal(stage, 'VERSION_NOT_HIGHER').message, /an upgrade \(staged\) needs/);
    assert.deepEqual(codes(planImport(snapshot, read(v1()), { action: 'update' })), []);
  });

  test('HOLDING_EXISTS: a solution with a staged upgrade cannot be imported again', () => {
    const snapshot = environment()
      .installed(read(v1()))
      .installed(read(v2()), { holding: true })
      .build();
    const plan = planImport(snapshot, read(v2('3.0.0.0')));
    assert.deepEqual(codes(plan), ['HOLDING_EXISTS']);
    assert.equal(plan.installed?.holding, 'ContosoProjects_Upgrade');
    assert.equal(
      plan.blocked[0].hint,
      'Finish it with: strata upgrade ContosoProjects   ' +
        'or drop it with: strata upgrade ContosoProjects --abandon',
    );
  });

  test('HOLDING_REQUIRES_MANAGED: an unmanaged solution cannot be staged', () => {
    const snapshot = environment()
      .installed(read(unmanaged(v1())))
      .build();
    const plan = planImport(snapshot, read(unmanaged(v2())), { action: 'stage' });
    assert.deepEqual([plan.kind, codes(plan)], ['update', ['HOLDING_REQUIRES_MANAGED']]);
  });

  test('HOLDING_REQUIRES_BASE: a patch cannot be staged', () => {
    const snapshot = environment()
      .installed(read(v1()))
      .installed(read(patchOf('ContosoProjects', '1.0.1.0')))
      .build();
    const plan = planImport(snapshot, read(patchOf('ContosoProjects', '1.0.1.1')), {
      action: 'stage',
    });
    assert.deepEqual([plan.kind, codes(plan)], ['update', ['HOLDING_REQUIRES_BASE']]);
  });

  test('SOLUTION_HAS_PATCHES: an unmanaged solution with patches is locked', () => {
    const snapshot = environment()
      .installed(read(unmanaged(v1())))
      .solution('ContosoProjects_Patch_ab12', { managed: false, parent: 'ContosoProjects' })
      .build();
    const r = refusal(planImport(snapshot, read(unmanaged(v2('1.1.0.0')))), 'SOLUTION_HAS_PATCHES');
    assert.match(r.message, /^ContosoProjects has patches \(ContosoProjects_Patch_ab12\)/);
  });

  test('PATCH_PARENT_MISSING: a patch needs its parent installed', () => {
    const plan = planImport(
      environment('dev').build(),
      read(patchOf('ContosoProjects', '1.0.1.0')),
    );
    assert.deepEqual(plan.blocked, [
      {
        code: 'PATCH_PARENT_MISSING',
        message:
          'ContosoProjects_Patch is a patch of ContosoProjects, which is not installed in dev.',
        hint: 'Import ContosoProjects first, then this patch.',
      },
    ]);
  });

  test("PATCH_VERSION_INVALID: a patch keeps its parent's major.minor and raises the rest", () => {
    const snapshot = environment().installed(read(v1())).build();
    for (const version of ['1.1.0.0', '1.0.0.0']) {
      const plan = planImport(snapshot, read(patchOf('ContosoProjects', version)));
      assert.deepEqual(codes(plan), ['PATCH_VERSION_INVALID'], version);
      assert.equal(
        plan.blocked[0].message,
        `Solution manifest import: FAILURE: Patch version ${version} is invalid for parent ` +
          'version 1.0.0.0.',
      );
    }
  });

  test('refusals come in the order of the phases: solution gates first', () => {
    const snapshot = environment()
      .installed(read(unmanaged(v1())))
      .build();
    const plan = planImport(snapshot, read(patchOf('ContosoProjects', '2.0.0.0')));
    assert.deepEqual(codes(plan), ['PATCH_VERSION_INVALID', 'SOLUTION_MODE_MISMATCH']);
  });

  test('ROUTING_RULE_SET_ACTIVE: an active routing rule set cannot be imported over', () => {
    const key = '{11111111-2222-3333-4444-555555555555}';
    const pkg = built({ uniqueName: 'Routing2', managed: true, extraCustomizations: FORM_RULE });
    const active = environment('prod')
      .solution('Routing1')
      .layer('routingrule', key, 'Routing1', { state: 'active' })
      .build();
    const plan = planImport(active, pkg);
    assert.deepEqual(plan.blocked, [
      {
        code: 'ROUTING_RULE_SET_ACTIVE',
        message:
          `The routing rule set Cases (${key}) is active in prod; ` +
          'an active routing rule set cannot be edited.',
        hint: 'Deactivate the routing rule set in the environment, then import again.',
        component: { type: 'routingrule', key, name: 'Cases' },
      },
    ]);
    const inactive = environment()
      .solution('Routing1')
      .layer('routingrule', key, 'Routing1', { state: 'inactive' })
      .build();
    assert.deepEqual(codes(planImport(inactive, pkg)), []);
  });

  test('MISSING_DEPENDENCIES: a dependency solution.xml declares, which nothing provides', () => {
    const declared = `<MissingDependencies><MissingDependency>
      <Required type="1" schemaName="fab_vendor" displayName="Vendor"
        solution="FabrikamCore (1.0)" />
      <Dependent type="2" schemaName="new_vendorid" parentSchemaName="new_book" />
    </MissingDependency></MissingDependencies>`;
    const pkg = built(
      {
        uniqueName: 'Books',
        managed: true,
        entities: [{ name: 'new_book', attributes: ['new_name'] }],
      },
      { solution: (xml) => xml.replace('<MissingDependencies />', declared) },
    );
    const plan = planImport(environment().build(), pkg);
    assert.deepEqual(plan.blocked, [
      {
        code: 'MISSING_DEPENDENCIES',
        message:
          'The following solution cannot be imported: Books. Some dependencies are missing (1).',
        hint:
          'Install the solutions that provide these components first, or add the components ' +
          'to the package.',
      },
    ]);
    assert.deepEqual(
      plan.missing.map((m) => [m.type, m.key, m.name, m.solution]),
      [['Table', 'fab_vendor', 'Vendor', 'FabrikamCore (1.0)']],
    );
    assert.equal(plan.summary.missing, 1);
    // once the environment has it, nothing is missing
    const provided = environment()
      .solution('FabrikamCore')
      .layer('entity', 'fab_vendor', 'FabrikamCore');
    assert.deepEqual(codes(planImport(provided.build(), pkg)), []);
  });

  test('MISSING_DEPENDENCIES: a lookup inside a component to a table nothing provides', () => {
    const spec = v1();
    spec.tables[0].columns.push({
      name: 'cnt_RegionId',
      display: 'Region',
      type: 'lookup',
      target: 'fab_region',
    });
    const plan = planImport(environment().build(), read(spec));
    assert.deepEqual(codes(plan), ['MISSING_DEPENDENCIES']);
    assert.deepEqual(
      plan.missing.map((m) => [m.key, m.requiredBy?.type]),
      [['fab_region', 'relationship']],
    );
  });

  test('a process flow form checks its stage columns on the stage table, not the process table', () => {
    // a business process flow over a custom table, as Dataverse exports it: the flow's own table
    // (cnt_caseflow), its form naming cnt_case's columns through bpf_cnt_case_cnt_caseflow
    const relationship = `<EntityRelationships>
      <EntityRelationship Name="bpf_cnt_case_cnt_caseflow">
        <EntityRelationshipType>OneToMany</EntityRelationshipType>
        <ReferencingEntityName>cnt_caseflow</ReferencingEntityName>
        <ReferencedEntityName>cnt_Case</ReferencedEntityName>
        <ReferencingAttributeName>bpf_cnt_caseid</ReferencingAttributeName>
      </EntityRelationship></EntityRelationships>`;
    const flow = (withRelationship: boolean): SolutionPackage =>
      built(
        {
          uniqueName: 'Cases',
          managed: true,
          publisher: { uniqueName: 'contoso', prefix: 'cnt', optionValuePrefix: 10000 },
          entities: [
            { name: 'cnt_case', attributes: ['cnt_caseid', 'cnt_name', 'cnt_severity'] },
            {
              name: 'cnt_caseflow',
              attributes: ['cnt_caseflowid', 'cnt_name'],
              forms: [{ name: 'Case flow', fields: ['cnt_severity', 'cnt_name'] }],
            },
          ],
          extraCustomizations: withRelationship ? relationship : '',
        },
        {
          customizations: (xml) =>
            xml.replace(
              /<control id="cnt_severity"([^>]*)datafieldname="cnt_severity"/,
              '<control id="bpf_cnt_case_cnt_caseflow:cnt_severity"$1' +
                'datafieldname="cnt_severity" relationship="bpf_cnt_case_cnt_caseflow"',
            ),
        },
      );
    for (const withRelationship of [true, false]) {
      const pkg = flow(withRelationship);
      const form = pkg.components.find((c) => c.type === 'systemform')!;
      assert.ok(
        form.requires!.some((r) => r.key === 'cnt_case.cnt_severity'),
        'the stage column is looked up on cnt_case',
      );
      assert.ok(!form.requires!.some((r) => r.key === 'cnt_caseflow.cnt_severity'));
      const plan = planImport(environment().build(), pkg);
      assert.deepEqual(
        codes(plan),
        [],
        `nothing missing (relationship in package: ${withRelationship})`,
      );
      assert.deepEqual(plan.missing, []);
    }
    // a column the package does not define is still missing, named on the right table
    const gone = built(
      {
        uniqueName: 'Cases',
        managed: true,
        publisher: { uniqueName: 'contoso', prefix: 'cnt', optionValuePrefix: 10000 },
        entities: [
          { name: 'cnt_case', attributes: ['cnt_caseid', 'cnt_name'] },
          {
            name: 'cnt_caseflow',
            attributes: ['cnt_caseflowid', 'cnt_name'],
            forms: [{ name: 'Case flow', fields: ['cnt_severity'] }],
          },
        ],
        extraCustomizations: relationship,
      },
      {
        customizations: (xml) =>
          xml.replace(
            'datafieldname="cnt_severity"',
            '$& relationship="bpf_cnt_case_cnt_caseflow"',
          ),
      },
    );
    const plan = planImport(environment().build(), gone);
    assert.deepEqual(codes(plan), ['MISSING_DEPENDENCIES']);
    assert.deepEqual(
      plan.missing.map((m) => m.key),
      ['cnt_case.cnt_severity'],
    );
  });

  test('DEPENDENTS_EXIST: an upgrade may not delete a table another solution needs', () => {
    const snapshot = environment().installed(read(v1())).installed(read(fabrikam())).build();
    const plan = planImport(snapshot, read(v2()));
    const r = refusal(plan, 'DEPENDENTS_EXIST');
    assert.match(r.message, /^Cannot upgrade ContosoProjects to 2\.0\.0\.0: \d+ component\(s\)/);
    assert.match(r.message, /\(FabrikamLinks\) needs Table cnt_milestone/);
    assert.ok(plan.deletes.some((d) => d.key === 'cnt_milestone' && d.componentGoes));
  });
});
