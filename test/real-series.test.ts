import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CATALOG_ID } from '../src/catalog/catalog.js';
import { importSolution } from '../src/engine/import.js';
import { runLifecycle } from '../src/engine/lifecycle.js';
import type { PlanOptions } from '../src/plans/import-plan.js';
import { identity, splitIdentity } from '../src/model/component.js';
import { readPackage, type SolutionPackage } from '../src/package/read.js';
import { createEnvironment } from '../src/store/environments.js';
import { listSolutions } from '../src/store/queries.js';
import { findEnvironment } from '../src/store/environments.js';
import { loadSnapshot } from '../src/store/snapshot.js';
import type { Store } from '../src/store/store.js';
import {
  HAVE_REAL_FIXTURES,
  listRealPackages,
  NO_FIXTURES_REASON,
  relativeToFixtures,
} from './support/fixtures.js';
import { STORE_CASES } from './support/stores.js';

/**
 * Real version series (same unique name, several versions) through upgrade, stage + apply and
 * update (issue 3 §10). After each step the solution's layers must be exactly the package's
 * components, with the package's definitions (upgrade), or a superset (update).
 */
interface Step {
  path: string;
  rel: string;
  variant?: 'managed';
  pkg: SolutionPackage;
}

function series(): Array<{ name: string; steps: Step[] }> {
  if (!HAVE_REAL_FIXTURES) return [];
  const groups = new Map<string, Step[]>();
  for (const path of listRealPackages()) {
    const rel = relativeToFixtures(path);
    const top = rel.split('/')[0];
    if (!top.endsWith('-series')) continue;
    // "both" SolutionPackager folders are read as their managed variant
    const both =
      existsSync(join(path, 'Other', 'Solution.xml')) &&
      /<Managed>\s*2\s*</.test(readPackage(path).solutionXml);
    const variant = both ? ('managed' as const) : undefined;
    const pkg = readPackage(path, { variant });
    const flavor = pkg.manifest.managed ? 'managed' : 'unmanaged';
    const key = `${top} ${pkg.manifest.uniqueName} ${flavor}`;
    const list = groups.get(key) ?? [];
    if (!list.some((s) => s.pkg.manifest.version.equals(pkg.manifest.version)))
      list.push({ path, rel, variant, pkg });
    groups.set(key, list);
  }
  return [...groups]
    .filter(([, s]) => s.length > 1)
    .map(([name, steps]) => ({
      name,
      steps: steps.sort((a, b) => a.pkg.manifest.version.compare(b.pkg.manifest.version)),
    }));
}

/** The components a package gives its solution a layer for. */
const layered = (pkg: SolutionPackage): Map<string, string> =>
  new Map(
    pkg.components
      .filter(
        (c) => !(c as { shell?: boolean }).shell && !(c as { unmodified?: boolean }).unmodified,
      )
      .map((c) => [identity(c.type, c.key), c.hash]),
  );

const all = series();

describe('real version series', { skip: HAVE_REAL_FIXTURES ? false : NO_FIXTURES_REASON }, () => {
  test('the fixtures hold version series to exercise', () => {
    assert.ok(all.length >= 8, `${all.length} series: ${all.map((s) => s.name).join(', ')}`);
  });
});

for (const sc of STORE_CASES) {
  describe(
    `real version series through the lifecycle (${sc.name})`,
    { skip: sc.skip || (HAVE_REAL_FIXTURES ? false : NO_FIXTURES_REASON) },
    () => {
      let store: Store;
      let n = 0;
      /** series in which at least one upgrade/update step, one stage + apply, one update ran */
      const exercised = {
        chain: new Set<string>(),
        stage: new Set<string>(),
        update: new Set<string>(),
      };
      before(async () => {
        store = await sc.open();
      });
      after(async () => {
        await store?.close();
      });
      const fresh = async (): Promise<string> => {
        const env = `series${++n}`;
        await createEnvironment(store, env, CATALOG_ID);
        return env;
      };
      const imp = (env: string, s: Step, options: PlanOptions = {}) =>
        importSolution(store, {
          environment: env,
          source: s.path,
          variant: s.variant,
          label: s.rel,
          options,
        });
      /**
       * the solution's own layers: identity → hash (managed), or the Active layer's definitions of
       * its members (unmanaged)
       */
      const layersOf = async (
        env: string,
        solution: string,
      ): Promise<Map<string, string | null>> => {
        const snap = await loadSnapshot(store, env);
        const out = new Map<string, string | null>();
        for (const [id, ls] of snap.layers)
          for (const l of ls) if (l.solution === solution) out.set(id, l.hash);
        return out;
      };
      /**
       * can the first version be imported here at all? (some series need first-party apps:
       * real-fixtures.test.ts lists them)
       */
      const firstImports = async (env: string, s: Step): Promise<boolean> => {
        try {
          await imp(env, s);
          return true;
        } catch (e) {
          if ((e as { code?: string }).code === 'MISSING_DEPENDENCIES') return false;
          throw e;
        }
      };

      for (const { name, steps } of all) {
        const managed = steps[0].pkg.manifest.managed;
        const uniqueName = steps[0].pkg.manifest.uniqueName;
        const chain = steps.map((s) => s.pkg.manifest.version.text).join(' → ');

        test(`${name}: ${managed ? 'upgrade' : 'update'} ${chain}`, async (t) => {
          const env = await fresh();
          if (!(await firstImports(env, steps[0]))) {
            t.diagnostic(
              `${steps[0].rel} needs components no catalog provides (see real-fixtures.test.ts)`,
            );
            return;
          }
          let previous = steps[0];
          for (const step of steps.slice(1)) {
            let out;
            try {
              out = await imp(env, step);
            } catch (e) {
              // a later version that needs first-party components fails the same way in a fresh
              // environment
              if (
                (e as { code?: string }).code === 'MISSING_DEPENDENCIES' &&
                !(await firstImports(await fresh(), step))
              ) {
                t.diagnostic(
                  `${step.rel} needs components no catalog provides; the series stops here`,
                );
                return;
              }
              throw e;
            }
            assert.equal(out.plan.kind, managed ? 'upgrade' : 'update', step.rel);
            const id = (await findEnvironment(store, env)).id;
            const sol = (await listSolutions(store, id)).find((s) => s.uniqueName === uniqueName);
            assert.equal(
              sol?.version,
              step.pkg.manifest.version.text,
              `${step.rel}: installed version`,
            );
            if (managed) {
              // exactly the new version's components, with its definitions; the old version's
              // extras are gone
              const want = layered(step.pkg);
              const have = await layersOf(env, uniqueName);
              assert.deepEqual(
                [...have.keys()].sort(),
                [...want.keys()].sort(),
                `${step.rel}: the solution's layers are the package's components`,
              );
              for (const [id2, hash] of want)
                assert.equal(
                  have.get(id2),
                  hash,
                  `${step.rel}: ${splitIdentity(id2).join(' ')} has the new definition`,
                );
              // skip-unchanged: exactly the components whose definition equals the previous
              // version's are skipped
              const before = layered(previous.pkg);
              for (const c of out.plan.components.filter((x) =>
                want.has(identity(x.type, x.key)),
              )) {
                assert.equal(
                  c.reason.startsWith('unchanged'),
                  before.get(identity(c.type, c.key)) === c.hash,
                  `${step.rel}: ${c.type} ${c.key} ${c.action}`,
                );
              }
              exercised.chain.add(name);
              previous = step;
            } else {
              exercised.chain.add(name);
              // unmanaged: every component is in the Active layer with the new definition
              // (published or draft)
              const snap = await loadSnapshot(store, env);
              for (const [id2, hash] of layered(step.pkg)) {
                const active = snap.layers.get(id2)?.find((l) => l.kind === 'active');
                assert.ok(
                  active && (active.hash === hash || active.draftHash === hash),
                  `${step.rel}: ${splitIdentity(id2).join(' ')} in the Active layer`,
                );
              }
            }
          }
        });

        if (!managed) continue;
        /** the newest version that imports on its own (later ones may need first-party apps) */
        const newestImportable = async (): Promise<Step | undefined> => {
          for (const s2 of steps.slice(1).reverse())
            if (await firstImports(await fresh(), s2)) return s2;
          return undefined;
        };
        const v1 = steps[0].pkg.manifest.version.text;
        test(`${name}: stage the newest version for upgrade over ${v1}, then apply`, async (t) => {
          const env = await fresh();
          if (!(await firstImports(env, steps[0]))) {
            t.diagnostic('first version needs first-party components');
            return;
          }
          const last = await newestImportable();
          if (!last) {
            t.diagnostic('no later version imports without first-party components');
            return;
          }
          t.diagnostic(`staging ${last.rel}`);
          const before = await layersOf(env, uniqueName);
          const staged = await imp(env, last, { action: 'stage' });
          assert.equal(staged.plan.kind, 'stage');
          assert.deepEqual(
            await layersOf(env, uniqueName),
            before,
            'the base is untouched while staged',
          );
          await runLifecycle(store, env, 'apply-upgrade', uniqueName);
          const want = layered(last.pkg);
          const have = await layersOf(env, uniqueName);
          assert.deepEqual([...have.keys()].sort(), [...want.keys()].sort());
          for (const [id2, hash] of want) assert.equal(have.get(id2), hash);
          assert.deepEqual(
            await layersOf(env, `${uniqueName}_Upgrade`),
            new Map(),
            'no holding layers left',
          );
          exercised.stage.add(name);
        });

        test(`${name}: update from ${v1} keeps what the newest version dropped`, async (t) => {
          const env = await fresh();
          if (!(await firstImports(env, steps[0]))) {
            t.diagnostic('first version needs first-party components');
            return;
          }
          const last = await newestImportable();
          if (!last) {
            t.diagnostic('no later version imports without first-party components');
            return;
          }
          const before = await layersOf(env, uniqueName);
          await imp(env, last, { action: 'update' });
          const have = await layersOf(env, uniqueName);
          const want = layered(last.pkg);
          for (const [id2, hash] of want)
            assert.equal(
              have.get(id2),
              hash,
              `${splitIdentity(id2).join(' ')} has the new definition`,
            );
          for (const id2 of before.keys())
            assert.ok(have.has(id2), `${splitIdentity(id2).join(' ')} stays`);
          exercised.update.add(name);
        });
      }

      test('report-scheduler: steps and workflows land off unless --activate-plugins', async () => {
        const step = all.find((x) => x.name.startsWith('report-scheduler-series'))!.steps[0];
        for (const activatePlugins of [false, true]) {
          const env = await fresh();
          const out = await imp(env, step, { activatePlugins });
          const executable = out.log.results.filter(
            (r) => r.type === 'sdkmessageprocessingstep' || r.type === 'workflow',
          );
          assert.ok(executable.length >= 4, `${executable.length} steps and workflows`);
          for (const r of executable)
            assert.match(
              r.message,
              activatePlugins ? /State: activated\./ : /State: deactivated\./,
              `${r.type} ${r.key}`,
            );
          const snap = await loadSnapshot(store, env);
          const states = [...snap.layers]
            .filter(([id2]) =>
              ['sdkmessageprocessingstep', 'workflow'].includes(splitIdentity(id2)[0]),
            )
            .map(([, ls]) => ls[0].state);
          assert.ok(
            states.length && states.every((x) => x === (activatePlugins ? 'active' : 'inactive')),
          );
        }
      });

      // series whose packages need first-party apps stop early (with a diagnostic); enough must run
      // to the end
      test('enough real series were exercised', () => {
        assert.ok(
          exercised.chain.size >= 8,
          `upgrade/update chains: ${[...exercised.chain].join(', ')}`,
        );
        assert.ok(exercised.stage.size >= 5, `stage + apply: ${[...exercised.stage].join(', ')}`);
        assert.ok(exercised.update.size >= 5, `update: ${[...exercised.update].join(', ')}`);
      });
    },
  );
}
