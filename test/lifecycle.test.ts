import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CATALOG_ID } from '../src/catalog/catalog.js';
import { importSolution, planPackage } from '../src/engine/import.js';
import { unzipSync, zipSync } from 'fflate';
import { runClone } from '../src/engine/clone.js';
import { customize, removeActive } from '../src/engine/customize.js';
import { exportSolution } from '../src/engine/export.js';
import { textRelease } from '../src/engine/collect.js';
import { runLifecycle } from '../src/engine/lifecycle.js';
import { publish } from '../src/engine/publish.js';
import type { PlanOptions } from '../src/plans/import-plan.js';
import { buildSolutionZip, sampleSolution, type SolutionSpec } from '../src/package/build.js';
import { readPackage } from '../src/package/read.js';
import { createEnvironment } from '../src/store/environments.js';
import { listHistory } from '../src/store/history.js';
import {
  componentLayers,
  dumpEnvironment,
  listComponents,
  listSolutions,
} from '../src/store/queries.js';
import { findEnvironment } from '../src/store/environments.js';
import type { Store } from '../src/store/store.js';
import { contosoV1, contosoV2, fabrikamLinks, localTweaks } from './support/contoso.js';
import { buildPackage } from './support/package-builder.js';
import { STORE_CASES } from './support/stores.js';

/**
 * The lifecycle of an installed solution (spec §5, §7): upgrade, stage + apply, abandon, update,
 * versions, maintain/overwrite customizations, patches, uninstall, dependents, faults.
 * ContosoProjects 1.0.0.0 is the sample; 2.0.0.0 changes cnt_Budget, drops cnt_Notes and the
 * whole cnt_Milestone table, and adds cnt_Priority.
 */
const v1 = contosoV1;
const v2 = contosoV2;
const fabrikam = fabrikamLinks;
/** An unmanaged solution that customizes the sample's Budget column (Active layer). */
const customization = localTweaks;
const zip = (s: SolutionSpec): Uint8Array => buildSolutionZip(s);

for (const sc of STORE_CASES) {
  describe(`solution lifecycle (${sc.name})`, { skip: sc.skip }, () => {
    let store: Store;
    let n = 0;
    before(async () => {
      store = await sc.open();
    });
    after(async () => {
      await store?.close();
    });
    const fresh = async (): Promise<{ env: string; id: number }> => {
      const env = `life${++n}`;
      await createEnvironment(store, env, CATALOG_ID);
      return { env, id: (await findEnvironment(store, env)).id };
    };
    const imp = (env: string, s: SolutionSpec, options: PlanOptions = {}) =>
      importSolution(store, { environment: env, source: zip(s), options });
    /**
     * v1 with a published local customization on top; `budget()` reads the top layer of
     * cnt_project.cnt_budget
     */
    const customized = async (): Promise<{
      env: string;
      id: number;
      budget: () => Promise<string>;
    }> => {
      const { env, id } = await fresh();
      await imp(env, v1());
      await imp(env, customization());
      await publish(store, env);
      return {
        env,
        id,
        budget: async () =>
          (await componentLayers(store, id, 'attribute', 'cnt_project.cnt_budget')).layers[0].xml!,
      };
    };
    const layersOf = async (id: number, type: string, key: string): Promise<string[]> =>
      (await componentLayers(store, id, type, key)).layers.map((l) => l.solution);
    const rejects = async (p: Promise<unknown>, code: string): Promise<Error> => {
      try {
        await p;
      } catch (e) {
        assert.equal((e as { code?: string }).code, code, (e as Error).message);
        return e as Error;
      }
      return assert.fail(`expected ${code}`);
    };

    test('upgrade replaces the layer in place, skips what is unchanged, deletes what was dropped', async () => {
      const { env, id } = await fresh();
      await imp(env, v1());
      await imp(env, fabrikamWithoutMilestone());
      const before = await componentLayers(store, id, 'attribute', 'cnt_project.cnt_budget');
      const out = await imp(env, v2());
      assert.equal(out.plan.kind, 'upgrade');
      assert.equal(out.plan.installed?.version, '1.0.0.0');
      assert.ok(out.plan.summary.skip > 0, 'unchanged components are skipped');
      assert.equal(
        out.plan.components.find((c) => c.key === 'cnt_project.cnt_name')?.action,
        'skip',
      );
      assert.equal(
        out.plan.components.find((c) => c.key === 'cnt_project.cnt_budget')?.action,
        'update',
      );
      assert.equal(
        out.plan.components.find((c) => c.key === 'cnt_project.cnt_priority')?.action,
        'add',
      );
      assert.deepEqual(
        await listSolutions(store, id).then((s) => s.map((x) => [x.uniqueName, x.version])),
        [
          ['ContosoProjects', '2.0.0.0'],
          ['FabrikamLinks', '1.0.0.0'],
        ],
      );
      // gone: the dropped column and the whole dropped table with its columns, forms and views
      for (const [type, key] of [
        ['attribute', 'cnt_project.cnt_notes'],
        ['entity', 'cnt_milestone'],
        ['attribute', 'cnt_milestone.cnt_duedate'],
      ]) {
        assert.deepEqual(await layersOf(id, type, key), [], `${type} ${key} is deleted`);
      }
      assert.equal(
        (await listComponents(store, id, { type: 'systemform' })).length,
        1,
        'only the project form is left',
      );
      const budget = await componentLayers(store, id, 'attribute', 'cnt_project.cnt_budget');
      assert.deepEqual(
        budget.layers.map((l) => l.solution),
        ['ContosoProjects'],
      );
      assert.notEqual(budget.layers[0].hash, before.layers[0].hash);
      assert.match(budget.layers[0].xml!, /Budget \(2\.0\.0\.0\)/);
      // position kept: ContosoProjects stays below the solution installed after it
      assert.deepEqual(await layersOf(id, 'entity', 'cnt_project'), [
        'FabrikamLinks',
        'ContosoProjects',
      ]);
      const h = await listHistory(store, id);
      assert.deepEqual(
        [h[0].operation, h[0].subOperation, h[0].solutionVersion],
        ['import', 'upgrade', '2.0.0.0'],
      );
    });

    test('an upgrade that would delete what another solution needs is refused, naming it', async () => {
      const { env, id } = await fresh();
      await imp(env, v1());
      await imp(env, fabrikam());
      const dump = await dumpEnvironment(store, id);
      const e = await rejects(imp(env, v2()), 'DEPENDENTS_EXIST');
      assert.match(
        e.message,
        new RegExp(
          'Relationship fab_cnt_milestone_fab_link_fab_milestoneid \\(FabrikamLinks\\) ' +
            'needs Table cnt_milestone',
        ),
      );
      assert.equal(await dumpEnvironment(store, id), dump);
      const d = await rejects(
        runLifecycle(store, env, 'uninstall', 'ContosoProjects'),
        'DEPENDENTS_EXIST',
      );
      assert.match(d.message, /FabrikamLinks/);
      assert.equal(await dumpEnvironment(store, id), dump);
    });

    test('a reference that a new version no longer satisfies itself is recorded on its unchanged layer', async () => {
      const { env } = await fresh();
      await imp(env, v1());
      // FabrikamLinks 1.0 carries cnt_Milestone itself, so its lookup's reference is internal
      const milestone = {
        ...sampleSolution().tables[1],
        forms: 0,
        views: 0,
        columns: [{ name: 'fab_Note', display: 'Note', type: 'nvarchar' as const }],
      };
      await imp(env, { ...fabrikam(), tables: [...fabrikam().tables, milestone] });
      // 1.1 drops it: the lookup is unchanged (skipped) but now depends on ContosoProjects' table
      const up = await imp(env, { ...fabrikam(), version: '1.1.0.0' });
      assert.equal(
        up.plan.components.find((c) => c.key === 'fab_link.fab_milestoneid')?.action,
        'skip',
      );
      const e = await rejects(imp(env, v2()), 'DEPENDENTS_EXIST');
      assert.match(e.message, /FabrikamLinks/);
    });

    test('stage for upgrade installs NAME_Upgrade beside the base; apply promotes it in one step', async () => {
      const { env, id } = await fresh();
      await imp(env, v1());
      const staged = await imp(env, v2(), { action: 'stage' });
      assert.equal(staged.plan.kind, 'stage');
      assert.deepEqual(
        (await listSolutions(store, id)).map((s) => [s.uniqueName, s.version, s.isHolding]),
        [
          ['ContosoProjects', '1.0.0.0', false],
          ['ContosoProjects_Upgrade', '2.0.0.0', true],
        ],
      );
      assert.deepEqual(await layersOf(id, 'attribute', 'cnt_project.cnt_budget'), [
        'ContosoProjects_Upgrade',
        'ContosoProjects',
      ]);
      assert.deepEqual(
        await layersOf(id, 'entity', 'cnt_milestone'),
        ['ContosoProjects'],
        'nothing is deleted while staged',
      );
      await rejects(imp(env, v2('3.0.0.0')), 'HOLDING_EXISTS');
      const dry = await runLifecycle(store, env, 'apply-upgrade', 'ContosoProjects', {
        dryRun: true,
      });
      assert.ok(dry.deletes.some((d) => d.key === 'cnt_milestone' && d.componentGoes));
      await runLifecycle(store, env, 'apply-upgrade', 'ContosoProjects');
      assert.deepEqual(
        (await listSolutions(store, id)).map((s) => [s.uniqueName, s.version, s.isHolding]),
        [['ContosoProjects', '2.0.0.0', false]],
      );
      assert.deepEqual(await layersOf(id, 'entity', 'cnt_milestone'), []);
      const budget = await componentLayers(store, id, 'attribute', 'cnt_project.cnt_budget');
      assert.deepEqual(
        budget.layers.map((l) => l.solution),
        ['ContosoProjects'],
      );
      assert.match(
        budget.layers[0].xml!,
        /Budget \(2\.0\.0\.0\)/,
        'the promoted layer keeps its content',
      );
      assert.equal(
        (await listSolutions(store, id))[0].components,
        (await listComponents(store, id, { solution: 'ContosoProjects' })).length,
      );
      const h = await listHistory(store, id);
      assert.deepEqual(
        h.slice(0, 3).map((x) => [x.operation, x.subOperation, x.result, x.errorCode]),
        [
          ['upgrade', 'apply', 'success', null],
          ['import', 'upgrade', 'failure', 'HOLDING_EXISTS'],
          ['import', 'holding', 'success', null],
        ],
      );
      // and the next upgrade works again
      assert.equal((await imp(env, v2('3.0.0.0'))).plan.kind, 'upgrade');
    });

    test('an upgrade applied while an import plans waits its turn: both succeed', async () => {
      const { env, id } = await fresh();
      await imp(env, v1());
      await imp(env, v2(), { action: 'stage' });
      let applying: Promise<unknown> | undefined;
      const bystander = await importSolution(store, {
        environment: env,
        source: buildPackage({
          uniqueName: 'Bystander',
          managed: true,
          entities: [{ name: 'new_bystander', attributes: ['new_bystanderid', 'new_name'] }],
        }),
        onProgress: (p) => {
          // planned, not yet written: the apply starts now, and waits for the import
          if (p.stage === 'plan')
            applying = runLifecycle(store, env, 'apply-upgrade', 'ContosoProjects');
        },
      });
      assert.ok(applying, 'the apply started while the import ran');
      await applying;
      assert.equal(bystander.plan.kind, 'new');
      assert.deepEqual(
        (await listSolutions(store, id)).map((s) => [s.uniqueName, s.version]),
        [
          ['ContosoProjects', '2.0.0.0'],
          ['Bystander', '1.0.0.0'],
        ],
      );
      assert.deepEqual(
        (await listHistory(store, id))
          .slice(0, 2)
          .map((h) => [h.solutionName, h.operation, h.subOperation, h.result]),
        [
          ['ContosoProjects', 'upgrade', 'apply', 'success'],
          ['Bystander', 'import', 'new', 'success'],
        ],
      );
    });

    test('abandoning a staged upgrade leaves the environment as it was before staging', async () => {
      const { env, id } = await fresh();
      await imp(env, v1());
      // all but the revision row
      const strip = (d: string): string => JSON.stringify(JSON.parse(d).slice(0, -1));
      const before = strip(await dumpEnvironment(store, id));
      await imp(env, v2(), { action: 'stage' });
      await runLifecycle(store, env, 'abandon', 'ContosoProjects');
      assert.equal(strip(await dumpEnvironment(store, id)), before);
      await rejects(
        runLifecycle(store, env, 'apply-upgrade', 'ContosoProjects'),
        'HOLDING_NOT_FOUND',
      );
    });

    test('update replaces the layer content and deletes nothing', async () => {
      const { env, id } = await fresh();
      await imp(env, v1());
      const out = await imp(env, v2(), { action: 'update' });
      assert.equal(out.plan.kind, 'update');
      assert.equal(out.plan.deletes.length, 0);
      assert.deepEqual(
        await layersOf(id, 'entity', 'cnt_milestone'),
        ['ContosoProjects'],
        'components missing from the new version remain',
      );
      assert.deepEqual(await layersOf(id, 'attribute', 'cnt_project.cnt_priority'), [
        'ContosoProjects',
      ]);
      assert.match(
        (await componentLayers(store, id, 'attribute', 'cnt_project.cnt_budget')).layers[0].xml!,
        /Budget \(2\.0\.0\.0\)/,
      );
      // the same version again as an update: everything unchanged is skipped
      const again = await imp(env, v2(), { action: 'update' });
      assert.equal(again.plan.summary.add + again.plan.summary.update, 0);
    });

    test('versions: lower and same are refused; --skip-lower-version skips, changing nothing', async () => {
      const { env, id } = await fresh();
      await imp(env, v2());
      const low = await rejects(imp(env, v1()), 'VERSION_LOWER');
      assert.match(low.message, /2\.0\.0\.0.*1\.0\.0\.0/);
      await rejects(imp(env, v2()), 'VERSION_NOT_HIGHER');
      const dump = await dumpEnvironment(store, id);
      const skipped = await imp(env, v1(), { skipLowerVersion: true });
      assert.equal(skipped.plan.kind, 'skip');
      assert.match(skipped.log.message, /Skipped ContosoProjects 1\.0\.0\.0/);
      assert.equal(await dumpEnvironment(store, id), dump);
      // nothing installed: the flag changes nothing
      const other = await fresh();
      assert.equal((await imp(other.env, v1(), { skipLowerVersion: true })).plan.kind, 'new');
      // managed over unmanaged of the same name
      const u = await fresh();
      await imp(u.env, { ...v1(), managed: false });
      await rejects(imp(u.env, v2()), 'SOLUTION_MODE_MISMATCH');
    });

    test('a large managed package lets go of its text before planning, keeping what planning reads', async () => {
      const { env, id } = await customized();
      // below textRelease.from the text stays: planning and the write read it as it is
      const small = readPackage(zip(v2()), { label: 'v2.zip' });
      assert.ok(small.totalBytes < textRelease.from);
      await planPackage(store, env, small);
      assert.equal(
        typeof Object.getOwnPropertyDescriptor(small, 'customizationsXml')?.value,
        'string',
        'a small package keeps its text',
      );
      // from it (lowered here, so that this package counts as large), the text goes
      const from = textRelease.from;
      textRelease.from = 0;
      try {
        await releasedBeforePlanning(env, id);
      } finally {
        textRelease.from = from;
      }
    });

    async function releasedBeforePlanning(env: string, id: number): Promise<void> {
      const pkg = readPackage(zip(v2()), { label: 'v2.zip' });
      assert.ok(pkg.customizationsDeflated, 'the zip holds customizations.xml deflated');
      const of = (key: string) => pkg.components.find((c) => c.key === key)!;
      const budgetXml = of('cnt_project.cnt_budget').xml;
      const { plan } = await planPackage(store, env, pkg);
      assert.ok(
        Object.getOwnPropertyDescriptor(pkg, 'customizationsXml')?.get,
        'the text is let go before planning',
      );
      // the component with an Active layer keeps its definition; the others read the zip again
      const budget = Object.getOwnPropertyDescriptor(of('cnt_project.cnt_budget'), 'xml');
      assert.equal(budget?.value, budgetXml);
      assert.equal(Object.getOwnPropertyDescriptor(of('cnt_project.cnt_name'), 'xml'), undefined);
      assert.match(of('cnt_project.cnt_name').xml, /cnt_name/i);
      assert.deepEqual(
        plan.customizations
          .find((c) => c.key === 'cnt_project.cnt_budget')
          ?.properties?.find((p) => p.path.endsWith('displayname/@description')),
        {
          path: 'attribute/displaynames/displayname/@description',
          active: 'My budget',
          incoming: 'Budget (2.0.0.0)',
        },
      );
      // and the released package imports as the bytes would
      await importSolution(store, { environment: env, source: pkg });
      assert.deepEqual(await layersOf(id, 'attribute', 'cnt_project.cnt_name'), [
        'ContosoProjects',
      ]);
      const exported = unzipSync((await exportSolution(store, env, 'ContosoProjects')).zip);
      const custom = new TextDecoder().decode(exported['customizations.xml']);
      assert.ok(custom.includes('Budget (2.0.0.0)'), 'the layers written point at v2');
    }

    test('maintain keeps Active customizations on top; overwrite copies the new definition in', async () => {
      const { env, id, budget: active } = await customized();
      assert.match(await active(), /My budget/);
      const maintain = await imp(env, v2());
      const kept = maintain.plan.customizations.find((c) => c.key === 'cnt_project.cnt_budget');
      assert.equal(kept?.effect, 'kept');
      assert.deepEqual(
        kept?.properties?.find((p) => p.path.endsWith('displayname/@description')),
        {
          path: 'attribute/displaynames/displayname/@description',
          active: 'My budget',
          incoming: 'Budget (2.0.0.0)',
        },
        "per property: the local value maintain keeps showing, and the package's",
      );
      assert.deepEqual(await layersOf(id, 'attribute', 'cnt_project.cnt_budget'), [
        'Active',
        'ContosoProjects',
      ]);
      assert.match(await active(), /My budget/, 'maintain: the customization still wins');
      const overwrite = await imp(env, v2('3.0.0.0'), { overwrite: true });
      const lost = overwrite.plan.customizations.find((c) => c.key === 'cnt_project.cnt_budget');
      assert.equal(lost?.effect, 'overwritten');
      assert.ok(
        lost?.properties?.some(
          (p) => p.active === 'My budget' && p.incoming === 'Budget (3.0.0.0)',
        ),
        'what overwrite loses, per property',
      );
      assert.ok(
        overwrite.plan.summary.skip === 0 ||
          overwrite.plan.components.every(
            (c) =>
              c.action !== 'skip' || c.reason.startsWith('table') || c.reason.startsWith('form'),
          ),
        'overwrite re-applies unchanged components',
      );
      assert.deepEqual(
        await layersOf(id, 'attribute', 'cnt_project.cnt_budget'),
        ['Active', 'ContosoProjects'],
        'the Active layer stays',
      );
      assert.match(
        await active(),
        /Budget \(3\.0\.0\.0\)/,
        'and now holds the incoming definition',
      );
    });

    test('a patch sits directly above its parent; an upgrade of the parent rolls it up', async () => {
      const { env, id } = await fresh();
      await imp(env, v1());
      await imp(env, fabrikamWithoutMilestone());
      const patch = v2('1.0.1.0');
      const p = await imp(env, {
        ...patch,
        uniqueName: 'ContosoProjects_Patch_1',
        tables: [
          {
            ...patch.tables[0],
            forms: 0,
            views: 0,
            columns: patch.tables[0].columns.filter((c) => c.name === 'cnt_Budget'),
          },
        ],
        webResources: [],
        parentUniqueName: 'ContosoProjects',
      });
      assert.equal(p.plan.kind, 'patch');
      assert.deepEqual(await layersOf(id, 'attribute', 'cnt_project.cnt_budget'), [
        'ContosoProjects_Patch_1',
        'ContosoProjects',
      ]);
      assert.deepEqual(
        await layersOf(id, 'entity', 'cnt_project'),
        ['FabrikamLinks', 'ContosoProjects_Patch_1', 'ContosoProjects'],
        'the patch goes right above its parent, below later solutions',
      );
      const up = await imp(env, v2());
      assert.deepEqual(up.plan.rolledUp, ['ContosoProjects_Patch_1']);
      assert.deepEqual(
        (await listSolutions(store, id)).map((s) => s.uniqueName),
        ['ContosoProjects', 'FabrikamLinks'],
      );
      assert.deepEqual(await layersOf(id, 'attribute', 'cnt_project.cnt_budget'), [
        'ContosoProjects',
      ]);
    });

    test('uninstall: managed loses its layers and what only it had; unmanaged only its container', async () => {
      const { env, id } = await fresh();
      await imp(env, v1());
      await imp(env, fabrikam());
      const plan = await runLifecycle(store, env, 'uninstall', 'FabrikamLinks');
      assert.ok(plan.summary.componentsDeleted >= 3);
      assert.deepEqual(await layersOf(id, 'entity', 'fab_link'), []);
      assert.deepEqual(
        (await listSolutions(store, id)).map((s) => s.uniqueName),
        ['ContosoProjects'],
      );
      await runLifecycle(store, env, 'uninstall', 'ContosoProjects');
      assert.deepEqual(await listComponents(store, id), []);
      // unmanaged: the container goes, the Active-layer components stay
      await imp(env, { ...v1(), managed: false });
      const count = (await listComponents(store, id)).length;
      await runLifecycle(store, env, 'uninstall', 'ContosoProjects');
      assert.deepEqual(await listSolutions(store, id), []);
      assert.equal((await listComponents(store, id)).length, count);
      const h = await listHistory(store, id);
      assert.deepEqual(
        h.slice(0, 3).map((x) => [x.operation, x.solutionName]),
        [
          ['uninstall', 'ContosoProjects'],
          ['import', 'ContosoProjects'],
          ['uninstall', 'ContosoProjects'],
        ],
      );
    });

    test('a failure in the middle of upgrade, apply and uninstall leaves everything as before', async () => {
      const { env, id } = await fresh();
      await imp(env, v1());
      await imp(env, fabrikamWithoutMilestone());
      let dump = await dumpEnvironment(store, id);
      for (const step of ['solution', 'layers', 'files', 'membership', 'content'] as const) {
        await rejects(
          importSolution(store, {
            environment: env,
            source: zip(v2()),
            faults: { failAfter: step },
          }),
          'FAULT_INJECTED',
        );
        assert.equal(await dumpEnvironment(store, id), dump, `upgrade failing after ${step}`);
      }
      await imp(env, v2('2.5.0.0'), { action: 'stage' });
      dump = await dumpEnvironment(store, id);
      for (const step of ['layers', 'solutions', 'renames']) {
        await rejects(
          runLifecycle(store, env, 'apply-upgrade', 'ContosoProjects', { faultAfter: step }),
          'FAULT_INJECTED',
        );
        assert.equal(await dumpEnvironment(store, id), dump, `apply failing after ${step}`);
        await rejects(
          runLifecycle(store, env, 'uninstall', 'FabrikamLinks', { faultAfter: step }),
          'FAULT_INJECTED',
        );
        assert.equal(await dumpEnvironment(store, id), dump, `uninstall failing after ${step}`);
      }
    });

    test('a saved plan is executed exactly, and refused when the package or environment changed', async () => {
      const { env, id } = await fresh();
      await imp(env, v1());
      const saved = JSON.parse(
        JSON.stringify((await planPackage(store, env, zip(v2()), { action: 'stage' })).plan),
      );
      const out = await importSolution(store, { environment: env, source: zip(v2()), plan: saved });
      assert.equal(out.plan.kind, 'stage', "the plan's options, not the defaults");
      assert.deepEqual(
        (await listSolutions(store, id)).map((s) => s.uniqueName),
        ['ContosoProjects', 'ContosoProjects_Upgrade'],
      );
      // stale: the environment moved on since this plan was made
      const stale = JSON.parse(
        JSON.stringify((await planPackage(store, env, zip(fabrikamWithoutMilestone()))).plan),
      );
      await imp(env, {
        ...fabrikamWithoutMilestone(),
        uniqueName: 'SomethingElse',
        tables: [],
        webResources: [],
      });
      const dump = await dumpEnvironment(store, id);
      await rejects(
        importSolution(store, {
          environment: env,
          source: zip(fabrikamWithoutMilestone()),
          plan: stale,
        }),
        'ENVIRONMENT_CHANGED',
      );
      assert.equal(await dumpEnvironment(store, id), dump);
      await rejects(
        importSolution(store, { environment: env, source: zip(v1()), plan: stale }),
        'PLAN_PACKAGE_MISMATCH',
      );
      const other = await fresh();
      await rejects(
        importSolution(store, {
          environment: other.env,
          source: zip(fabrikamWithoutMilestone()),
          plan: stale,
        }),
        'PLAN_ENVIRONMENT_MISMATCH',
      );
    });

    test('clone-patch and clone: a patch locks its unmanaged parent until clone rolls it up', async () => {
      const { env, id } = await fresh();
      await imp(env, { ...v1(), managed: false });
      const patch = await runClone(store, env, 'clone-patch', 'ContosoProjects');
      assert.match(patch.result.uniqueName, /^ContosoProjects_Patch_[0-9a-f]{8}$/);
      assert.equal(patch.result.version, '1.0.1.0');
      await rejects(
        runClone(store, env, 'clone-patch', 'ContosoProjects', '1.1.0.0'),
        'PATCH_VERSION_INVALID',
      );
      await rejects(
        runClone(store, env, 'clone-patch', 'ContosoProjects', '1.0.1.0'),
        'PATCH_VERSION_INVALID',
      );
      await rejects(imp(env, { ...v2('1.1.0.0'), managed: false }), 'SOLUTION_HAS_PATCHES');
      // work goes into the patch: an unmanaged package of the patch itself
      const tweak = {
        ...customization(),
        uniqueName: patch.result.uniqueName,
        version: '1.0.1.0',
        parentUniqueName: 'ContosoProjects',
      };
      assert.equal((await imp(env, tweak)).plan.kind, 'update');
      const members = async (name: string): Promise<string[]> =>
        (await listComponents(store, id, { solution: name })).map((c) => `${c.type} ${c.key}`);
      assert.ok(
        (await members(patch.result.uniqueName)).includes('attribute cnt_project.cnt_budget'),
      );
      await rejects(
        runClone(store, env, 'clone', 'ContosoProjects', '1.0.2.0'),
        'CLONE_VERSION_INVALID',
      );
      const clone = await runClone(store, env, 'clone', 'ContosoProjects');
      assert.deepEqual(
        [clone.result.version, clone.rolledUp],
        ['1.1.0.0', [patch.result.uniqueName]],
      );
      assert.deepEqual(
        (await listSolutions(store, id)).map((s) => [s.uniqueName, s.version]),
        [['ContosoProjects', '1.1.0.0']],
      );
      assert.ok((await members('ContosoProjects')).includes('attribute cnt_project.cnt_budget'));
      assert.equal(
        (await imp(env, { ...v2('1.2.0.0'), managed: false })).plan.kind,
        'update',
        'unlocked again',
      );
      const m = await fresh();
      await imp(m.env, v1());
      const refused = await rejects(
        runClone(store, m.env, 'clone-patch', 'ContosoProjects'),
        'CLONE_REQUIRES_UNMANAGED',
      );
      assert.deepEqual((refused as { details?: unknown }).details, {
        blocked: [
          {
            code: 'CLONE_REQUIRES_UNMANAGED',
            message: refused.message,
            hint: (refused as { hint?: string }).hint,
          },
        ],
      });
      // a refused clone is recorded like a refused uninstall or upgrade
      assert.deepEqual(
        (await listHistory(store, m.id)).map((h) => [h.operation, h.result, h.errorCode]),
        [
          ['clone', 'failure', 'CLONE_REQUIRES_UNMANAGED'],
          ['import', 'success', null],
        ],
      );
    });

    test('customize: Active-layer changes as drafts, managed properties enforced, remove-active reverts', async () => {
      const { env, id } = await fresh();
      // the managed Budget column forbids renaming; Start date forbids any customization
      const files = unzipSync(zip(v1()));
      const cust = new TextDecoder()
        .decode(files['customizations.xml'])
        .replace(
          /(<attribute PhysicalName="cnt_Budget">[\s\S]*?)<IsRenameable>1<\/IsRenameable>/,
          '$1<IsRenameable>0</IsRenameable>',
        )
        .replace(
          /(<attribute PhysicalName="cnt_StartDate">[\s\S]*?)<IsCustomizable>1<\/IsCustomizable>/,
          '$1<IsCustomizable>0</IsCustomizable>',
        );
      files['customizations.xml'] = new TextEncoder().encode(cust);
      await importSolution(store, { environment: env, source: zipSync(files) });
      const budget = 'cnt_project.cnt_budget';
      const e = await rejects(
        customize(store, env, { type: 'attribute', key: budget, set: [['displayname', 'Money']] }),
        'MANAGED_PROPERTY_FORBIDS',
      );
      assert.match(e.message, /IsRenameable/);
      await rejects(
        customize(store, env, {
          type: 'attribute',
          key: 'cnt_project.cnt_startdate',
          set: [['requiredlevel', 'required']],
        }),
        'MANAGED_PROPERTY_FORBIDS',
      );
      const out = await customize(store, env, {
        type: 'attribute',
        key: budget,
        set: [
          ['requiredlevel', 'required'],
          ['IsAuditEnabled', '0'],
        ],
      });
      assert.deepEqual([out.draft, out.changed], [true, ['requiredlevel', 'IsAuditEnabled']]);
      let layers = (await componentLayers(store, id, 'attribute', budget)).layers;
      assert.deepEqual(
        layers.map((l) => [l.solution, l.xml === null, l.draftXml !== null]),
        [
          ['Active', true, true],
          ['ContosoProjects', false, false],
        ],
      );
      assert.match(
        layers[0].draftXml!,
        /<RequiredLevel>required<\/RequiredLevel>.*<IsAuditEnabled>0<\/IsAuditEnabled>/,
      );
      await publish(store, env);
      layers = (await componentLayers(store, id, 'attribute', budget)).layers;
      assert.match(layers[0].xml!, /<RequiredLevel>required<\/RequiredLevel>/);
      // a whole definition, of another column
      const name = (await componentLayers(store, id, 'attribute', 'cnt_project.cnt_name')).layers[0]
        .xml!;
      await customize(store, env, {
        type: 'attribute',
        key: 'cnt_project.cnt_name',
        definition: name.replace('description="Name"', 'description="Title"'),
      });
      await rejects(
        customize(store, env, {
          type: 'attribute',
          key: 'cnt_project.cnt_name',
          definition: '<entity/>',
        }),
        'CUSTOMIZE_DEFINITION_INVALID',
      );
      await rejects(
        customize(store, env, { type: 'attribute', key: budget, set: [['NoSuchElement', '1']] }),
        'CUSTOMIZE_PROPERTY_UNKNOWN',
      );
      // remove-active: the managed definition is back
      await removeActive(store, env, 'attribute', budget);
      assert.deepEqual(await layersOf(id, 'attribute', budget), ['ContosoProjects']);
      await rejects(removeActive(store, env, 'attribute', budget), 'ACTIVE_LAYER_NOT_FOUND');
      // a catalog column can be customized too (its Active layer sits on the System layer)
      await customize(store, env, {
        type: 'attribute',
        key: 'account.name',
        set: [['displayname', 'Company']],
      });
      assert.deepEqual(
        await layersOf(id, 'attribute', 'account.name'),
        ['Active'],
        'stored: the Active layer (the System layer is the catalog)',
      );
      const h = await listHistory(store, id);
      assert.deepEqual(
        h.slice(0, 2).map((x) => [x.operation, x.subOperation]),
        [
          ['customize', 'set'],
          ['customize', 'remove-active'],
        ],
      );
    });

    test("the publisher's workflow: export customizations, overwrite, re-import: they are back", async () => {
      const { env, id, budget: effective } = await customized();
      assert.match(await effective(), /My budget/);
      // 1. export the unmanaged solution that holds the customizations
      const saved = await exportSolution(store, env, 'LocalTweaks');
      assert.equal(saved.managed, false);
      // 2. update the managed solution with overwrite: the customization is replaced
      await imp(env, v2(), { overwrite: true });
      assert.match(await effective(), /Budget \(2\.0\.0\.0\)/);
      // 3. re-import the unmanaged customizations (and publish): they are back on top
      await importSolution(store, {
        environment: env,
        source: saved.zip,
        options: { publishChanges: true },
      });
      assert.match(await effective(), /My budget/);
      assert.deepEqual(await layersOf(id, 'attribute', 'cnt_project.cnt_budget'), [
        'Active',
        'ContosoProjects',
      ]);
      const h = await listHistory(store, id);
      assert.ok(
        h.some(
          (x) =>
            x.operation === 'export' &&
            x.solutionName === 'LocalTweaks' &&
            x.subOperation === 'unmanaged',
        ),
      );
      await rejects(
        exportSolution(store, env, 'ContosoProjects', { managed: false }),
        'EXPORT_MANAGED_AS_UNMANAGED',
      );
      await rejects(exportSolution(store, env, 'Nope'), 'SOLUTION_NOT_FOUND');
    });

    // every solution action × customization option × patches present × holding present
    for (const action of ['upgrade', 'stage', 'update'] as const) {
      for (const overwrite of [false, true]) {
        for (const withPatch of [false, true]) {
          for (const withHolding of [false, true]) {
            const label =
              `${action}, ${overwrite ? 'overwrite' : 'maintain'}, ` +
              `${withPatch ? 'with' : 'no'} patch, ${withHolding ? 'with' : 'no'} holding`;
            test(`scenario: ${label}`, async () => {
              const { env, id } = await fresh();
              await imp(env, v1());
              await imp(env, customization());
              await publish(store, env);
              if (withPatch) {
                const patch = v2('1.0.1.0');
                await imp(env, {
                  ...patch,
                  uniqueName: 'ContosoProjects_Patch_1',
                  parentUniqueName: 'ContosoProjects',
                  webResources: [],
                  tables: [
                    {
                      ...patch.tables[0],
                      forms: 0,
                      views: 0,
                      columns: patch.tables[0].columns.filter((c) => c.name === 'cnt_StartDate'),
                    },
                  ],
                });
              }
              if (withHolding) await imp(env, v2('1.5.0.0'), { action: 'stage' });
              const before = await dumpEnvironment(store, id);
              const attempt = imp(env, v2('3.0.0.0'), { action, overwrite });
              if (withHolding) {
                await rejects(attempt, 'HOLDING_EXISTS');
                assert.equal(
                  await dumpEnvironment(store, id),
                  before,
                  'a refused import changes nothing',
                );
                return;
              }
              const out = await attempt;
              assert.equal(out.plan.kind, action);
              const sols = Object.fromEntries(
                (await listSolutions(store, id)).map((x) => [x.uniqueName, x.version]),
              );
              // versions and the patch
              assert.equal(sols.ContosoProjects, action === 'stage' ? '1.0.0.0' : '3.0.0.0');
              if (action === 'stage') assert.equal(sols.ContosoProjects_Upgrade, '3.0.0.0');
              assert.equal(
                'ContosoProjects_Patch_1' in sols,
                withPatch && action !== 'upgrade',
                'only an upgrade rolls the patch up',
              );
              // what the new version dropped: deleted only by an upgrade
              assert.deepEqual(
                await layersOf(id, 'entity', 'cnt_milestone'),
                action === 'upgrade' ? [] : ['ContosoProjects'],
              );
              // the customization: kept on top (maintain), or replaced by the incoming definition
              // (overwrite)
              const budget = await componentLayers(
                store,
                id,
                'attribute',
                'cnt_project.cnt_budget',
              );
              assert.equal(
                budget.layers[0].solution,
                'Active',
                'the Active layer stays either way',
              );
              assert.match(
                budget.layers[0].xml!,
                overwrite ? /Budget \(3\.0\.0\.0\)/ : /My budget/,
              );
              assert.equal(
                out.plan.customizations.find((c) => c.key === 'cnt_project.cnt_budget')?.effect,
                overwrite ? 'overwritten' : 'kept',
              );
            });
          }
        }
      }
    }

    test('plan shows an upgrade first: adds, updates, skips, deletes, rolled-up patches', async () => {
      const { env } = await fresh();
      await imp(env, v1());
      const { plan } = await planPackage(store, env, zip(v2()));
      assert.equal(plan.kind, 'upgrade');
      assert.ok(plan.deletes.some((d) => d.key === 'cnt_project.cnt_notes' && d.componentGoes));
      assert.ok(plan.deletes.some((d) => d.key === 'cnt_milestone'));
      assert.deepEqual(plan.summary.delete, plan.deletes.length);
      assert.ok(plan.summary.add >= 1 && plan.summary.update >= 1 && plan.summary.skip >= 1);
    });
  });
}

/**
 * FabrikamLinks without the milestone lookup, but with a layer on cnt_Project, so stack order can
 * be seen.
 */
function fabrikamWithoutMilestone(): SolutionSpec {
  const f = fabrikam();
  const project = sampleSolution().tables[0];
  return {
    ...f,
    tables: [
      { ...f.tables[0], columns: [f.tables[0].columns[0]] },
      {
        ...project,
        forms: 0,
        views: 0,
        columns: [{ name: 'fab_Score', display: 'Score', type: 'int' }],
      },
    ],
  };
}
