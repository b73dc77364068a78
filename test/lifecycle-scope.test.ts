import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CATALOG_ID } from '../src/catalog/catalog.js';
import { importSolution } from '../src/engine/import.js';
import { lifecycleScope, planLifecycle, runLifecycle } from '../src/engine/lifecycle.js';
import { publish } from '../src/engine/publish.js';
import { ensureRecordTable } from '../src/engine/records/schema-sync.js';
import { buildSolutionZip, type SolutionSpec } from '../src/package/build.js';
import type { LifecycleOperation, LifecyclePlan } from '../src/plans/lifecycle-plan.js';
import type { EnvironmentSnapshot } from '../src/plans/snapshot.js';
import { createEnvironment, findEnvironment } from '../src/store/environments.js';
import { loadSnapshot, scopeLimit } from '../src/store/snapshot.js';
import type { Store } from '../src/store/store.js';
import { contosoV1, contosoV2, fabrikamLinks, localTweaks } from './support/contoso.js';
import { STORE_CASES } from './support/stores.js';

/**
 * A lifecycle operation plans from the part of the environment it concerns (decision 72): the
 * stacks of the components that may go, and of those that require something. Every plan made
 * so is the plan made from all the layers, refusals and data at risk included; the touched
 * tables are those whose records are made, as runLifecycle reports them either way.
 */

const CASES: Array<[LifecycleOperation, string]> = [
  ['apply-upgrade', 'ContosoProjects'],
  ['apply-upgrade', 'ContosoProjects_Upgrade'],
  ['abandon', 'contosoprojects'],
  ['uninstall', 'ContosoProjects'],
  ['uninstall', 'ContosoProjects_Upgrade'],
  ['uninstall', 'FabrikamLinks'],
  ['uninstall', 'LocalTweaks'],
];

for (const sc of STORE_CASES) {
  describe(`lifecycle plans from their scope (${sc.name})`, { skip: sc.skip }, () => {
    let store: Store;
    before(async () => {
      store = await sc.open();
    });
    after(async () => {
      await store?.close();
    });

    /** v1 with a customization and records, v2 staged; FabrikamLinks (needs cnt_Milestone) too */
    const environment = async (env: string, withFabrikam: boolean): Promise<number> => {
      await createEnvironment(store, env, CATALOG_ID);
      const imp = (s: SolutionSpec, stage = false) =>
        importSolution(store, {
          environment: env,
          source: buildSolutionZip(s),
          options: stage ? { action: 'stage' } : {},
        });
      await imp(contosoV1());
      if (withFabrikam) await imp(fabrikamLinks());
      await imp(localTweaks());
      await publish(store, env);
      await imp(contosoV2(), true);
      const { id } = await findEnvironment(store, env);
      await store.transaction(async (tx) => {
        for (const table of ['cnt_project', 'cnt_milestone'])
          await ensureRecordTable(tx, id, table);
      });
      return id;
    };

    const scoped = (env: string, operation: LifecycleOperation, name: string) =>
      store.transaction((tx) =>
        loadSnapshot(tx, env, {
          hashes: false,
          scope: (s) => lifecycleScope(s.environment, s.solutions, operation, name),
        }),
      );

    /** the plan, or the error planning throws, as comparable text */
    const planned = (snapshot: EnvironmentSnapshot, op: LifecycleOperation, name: string) => {
      try {
        return planLifecycle(snapshot, op, name);
      } catch (e) {
        return `${(e as { code?: string }).code}: ${(e as Error).message}`;
      }
    };

    const madeOnly = (plan: LifecyclePlan | string, made: Set<string>) =>
      typeof plan === 'string'
        ? plan
        : {
            ...plan,
            dataAtRisk: {
              ...plan.dataAtRisk,
              touched: plan.dataAtRisk.touched.filter((t) => made.has(t)),
            },
          };

    for (const withFabrikam of [true, false]) {
      test(`every operation plans the same from its scope as from every layer${withFabrikam ? ', with a dependent' : ''}`, async () => {
        const env = `scope${withFabrikam ? 'dep' : 'plain'}`;
        const id = await environment(env, withFabrikam);
        const made = new Set(
          (
            await store.query<{ name: string }>(
              'SELECT name FROM record_tables WHERE env_id = $1',
              [id],
            )
          ).map((r) => r.name),
        );
        assert.deepEqual([...made].sort(), ['cnt_milestone', 'cnt_project']);
        const whole = await loadSnapshot(store, env, { hashes: false });
        let refused = 0;
        for (const [op, name] of CASES) {
          if (!withFabrikam && name === 'FabrikamLinks') continue;
          const part = await scoped(env, op, name);
          assert.ok(part.scope, `${op} ${name}: read apart`);
          const wholeLayers = [...whole.layers.values()].flat().length;
          const partLayers = [...part.layers.values()].flat().length;
          assert.ok(partLayers < wholeLayers, `${op} ${name}: ${partLayers} of ${wholeLayers}`);
          const full = planned(whole, op, name);
          const fromScope = planned(part, op, name);
          assert.deepEqual(madeOnly(fromScope, made), madeOnly(full, made), `${op} ${name}`);
          if (typeof full !== 'string') {
            // the scope names the made tables only, and no table the whole plan does not
            const touched = (fromScope as LifecyclePlan).dataAtRisk.touched;
            assert.ok(
              touched.every((t) => full.dataAtRisk.touched.includes(t)),
              touched.join(),
            );
            if (full.blocked.length) refused++;
          }
        }
        if (withFabrikam) assert.ok(refused >= 2, 'the dependent refuses apply and uninstall');
        const apply = planned(whole, 'apply-upgrade', 'ContosoProjects') as LifecyclePlan;
        assert.ok(apply.dataAtRisk.touched.includes('cnt_milestone'), 'cnt_Milestone goes');
        assert.ok(
          apply.deletes.some((d) => d.key === 'cnt_milestone' && d.componentGoes),
          'a delete the scope had to find',
        );
      });
    }

    test('a scope of more layers than the bound is read whole; runLifecycle plans the same', async () => {
      const env = 'scopewhole';
      const id = await environment(env, false);
      const dry = await runLifecycle(store, env, 'apply-upgrade', 'ContosoProjects', {
        dryRun: true,
        acceptDataLoss: true,
      });
      const bound = scopeLimit.layers;
      scopeLimit.layers = 0;
      try {
        const part = await scoped(env, 'apply-upgrade', 'ContosoProjects');
        assert.equal(part.scope, undefined, 'the whole environment, read in pages');
        const whole = await runLifecycle(store, env, 'apply-upgrade', 'ContosoProjects', {
          dryRun: true,
          acceptDataLoss: true,
        });
        assert.deepEqual(whole, dry);
        assert.deepEqual(dry.dataAtRisk.touched, ['cnt_milestone', 'cnt_project']);
      } finally {
        scopeLimit.layers = bound;
      }
      // and carried out from its scope: the base is replaced, the dropped table's records go
      const done = await runLifecycle(store, env, 'apply-upgrade', 'ContosoProjects', {
        acceptDataLoss: true,
      });
      assert.deepEqual(done.deletes, dry.deletes);
      const tables = await store.query<{ name: string }>(
        'SELECT name FROM record_tables WHERE env_id = $1 ORDER BY name',
        [id],
      );
      assert.deepEqual(
        tables.map((t) => t.name),
        ['cnt_project'],
      );
    });
  });
}
