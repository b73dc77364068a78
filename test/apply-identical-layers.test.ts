/**
 * Apply (a staged upgrade promoted) leaves the base's layer of a component the upgrade did not
 * change where it is, and drops its staged twin, instead of deleting the one and renaming the
 * other (store/lifecycle-writes.ts removeReplacedSolutionRows, decision 59). What the environment
 * shows must be exactly what a plain upgrade to the same version shows.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CATALOG_ID } from '../src/catalog/catalog.js';
import { importSolution } from '../src/engine/import.js';
import { runLifecycle } from '../src/engine/lifecycle.js';
import { rollback } from '../src/engine/rollback.js';
import { createEnvironment, findEnvironment } from '../src/store/environments.js';
import { componentLayers, listComponents, listSolutions } from '../src/store/queries.js';
import type { Store } from '../src/store/store.js';
import { buildPackage } from './support/package-builder.js';
import { STORE_CASES } from './support/stores.js';

const BOOK = {
  name: 'new_book',
  attributes: [
    'new_bookid',
    'new_name',
    { name: 'new_note', type: 'nvarchar', maxLength: 20 },
    'new_isbn',
  ],
};
const SHELF = { name: 'new_shelf', attributes: ['new_shelfid', 'new_name'] };

const v1 = buildPackage({
  uniqueName: 'Library',
  version: '1.0.0.0',
  managed: true,
  entities: [BOOK, SHELF],
});
// 2.0: a column changed (note: longer), one gone (isbn), a table added (loan), the rest as it was
const v2 = buildPackage({
  uniqueName: 'Library',
  version: '2.0.0.0',
  managed: true,
  entities: [
    {
      ...BOOK,
      attributes: ['new_bookid', 'new_name', { name: 'new_note', type: 'nvarchar', maxLength: 80 }],
    },
    SHELF,
    { name: 'new_loan', attributes: ['new_loanid', 'new_name'] },
  ],
});

/** Every component's layers as `strata layers` shows them: solution, kind, order, definition. */
async function shown(store: Store, env: string): Promise<unknown> {
  const { id } = await findEnvironment(store, env);
  const out: Record<string, unknown> = {};
  for (const c of await listComponents(store, id)) {
    const { name, layers } = await componentLayers(store, id, c.type, c.key);
    out[`${c.type} ${c.key}`] = {
      name,
      layers: layers.map((l) => ({
        solution: l.solution,
        kind: l.kind,
        ordinal: l.ordinal,
        xml: l.xml,
        hash: l.hash,
        draftXml: l.draftXml,
        state: l.state,
        files: l.files,
        version: l.version,
      })),
    };
  }
  const solutions = (await listSolutions(store, id)).map((s) => ({ ...s, installedOn: '' }));
  return { solutions, components: out };
}

for (const sc of STORE_CASES) {
  test(
    `Apply shows exactly what an upgrade shows, keeping the unchanged layers (${sc.name})`,
    {
      skip: sc.skip,
    },
    async () => {
      const store = await sc.open();
      try {
        for (const env of ['upgraded', 'staged']) {
          await createEnvironment(store, env, CATALOG_ID);
          await importSolution(store, { environment: env, source: v1 });
        }
        await importSolution(store, {
          environment: 'upgraded',
          source: v2,
          options: { action: 'upgrade', acceptDataLoss: true },
        });
        await importSolution(store, {
          environment: 'staged',
          source: v2,
          options: { action: 'stage' },
        });
        const { id } = await findEnvironment(store, 'staged');
        const stagedLayers = await store.query<{ type: string; key: string; updated_on: string }>(
          `SELECT type, key, updated_on::text AS updated_on FROM layers
         WHERE env_id = $1 AND solution = 'Library'`,
          [id],
        );
        const before = new Map(
          stagedLayers.map((l) => [`${l.type} ${l.key}`, String(l.updated_on)]),
        );
        const beforeApply = await shown(store, 'staged');

        await runLifecycle(store, 'staged', 'apply-upgrade', 'Library', { acceptDataLoss: true });
        assert.deepEqual(await shown(store, 'staged'), await shown(store, 'upgraded'));

        // the unchanged layers are the rows the install wrote; the changed ones are the staged rows
        const after = await store.query<{ type: string; key: string; updated_on: string }>(
          `SELECT type, key, updated_on::text AS updated_on FROM layers
         WHERE env_id = $1 AND solution = 'Library'`,
          [id],
        );
        const kept = after.filter((l) => before.get(`${l.type} ${l.key}`) === String(l.updated_on));
        const keys = kept.map((l) => `${l.type} ${l.key}`);
        assert.ok(keys.includes('attribute new_shelf.new_name'), `kept: ${keys.join(', ')}`);
        assert.ok(keys.includes('entity new_shelf'));
        assert.ok(
          !keys.includes('attribute new_book.new_note'),
          'a changed column is the staged one',
        );
        assert.ok(!keys.some((k) => k.includes('new_loan')), 'a new table is the staged one');
        assert.ok(!keys.some((k) => k.includes('new_isbn')), 'a removed column is gone');

        // and the Apply rolls back to the staged state exactly
        const { revision } = await findEnvironment(store, 'staged');
        await rollback(store, 'staged', revision - 1, { acceptDataLoss: true });
        assert.deepEqual(await shown(store, 'staged'), beforeApply);
      } finally {
        await store.close();
      }
    },
  );
}
