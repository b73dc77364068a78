import { identity } from '../model/component.js';
import type { ClonePlan } from '../plans/clone-plan.js';
import type { LifecyclePlan } from '../plans/lifecycle-plan.js';
import type { PlannedDelete } from '../plans/import-plan.js';
import { StrataError } from '../model/errors.js';
import { ACTIVE_ORDINAL } from '../plans/layer-order.js';
import { SQL_KEY, sqlKeys } from './component-keys.js';
import { lockEnvironment, lockRevision } from './revision.js';
import { bumpRevision } from './revisions.js';
import { withoutNestedLoops } from './hash-joins.js';
import type { Queryable } from './store.js';

/**
 * Writes shared by the lifecycle operations (upgrade, apply upgrade, abandon, uninstall). All run
 * inside the caller's transaction. The bulk tables carry no foreign keys (docs/decisions.md #15),
 * so everything that belongs to a layer or a solution is removed here, explicitly.
 */

/**
 * A solution and everything it owns: layers, their files and content, membership, the row
 * itself.
 */
export async function removeSolutionRows(
  tx: Queryable,
  envId: number,
  solution: string,
): Promise<void> {
  for (const table of ['layer_files', 'layers', 'layer_content', 'solution_components']) {
    await tx.query(`DELETE FROM ${table} WHERE env_id = $1 AND solution = $2`, [envId, solution]);
  }
  await tx.query('DELETE FROM solutions WHERE env_id = $1 AND unique_name = $2', [envId, solution]);
}

/** Everything that makes two layers of a component the same, but their solution and place. */
const SAME_COLUMNS = [
  'kind',
  'xml',
  'hash',
  'draft_xml',
  'draft_hash',
  'state',
  'name',
  'parent_type',
  'parent_key',
  'root_behavior',
  'requires',
  'place',
];

/**
 * Apply: the base solution a staged upgrade replaces, and everything it owns, except its layers
 * that the staged upgrade holds exactly as they are. Such a layer stays, and its staged twin goes
 * instead of taking its place: as an upgrade leaves the layer of a component whose definition did
 * not change, and at a third of the writes (decision 59). Exactly as they are: the same
 * definition (hash), state, name, parent, root behaviour, dependencies and place, drafts, and
 * neither with files of its own. The layers that stay keep their content chunks; the rest of the
 * base's content goes. Compared in the database, by a hash join (decision 60), and done there in
 * one statement: the pairs never cross to JavaScript and back as lists of keys (decision 68).
 */
export async function removeReplacedSolutionRows(
  tx: Queryable,
  envId: number,
  base: string,
  holding: string,
): Promise<void> {
  const same = (t: string): string => `row(${SAME_COLUMNS.map((c) => `${t}.${c}`).join(', ')})`;
  // the sub-statements see the same rows and delete different ones: the staged twins of the
  // base's layers that stay, the base's other layers, and the content chunks no staying layer
  // points into (each logged by its own statement trigger)
  // joined by hash (hash-joins.ts)
  await withoutNestedLoops(tx, () =>
    tx.query(
      `WITH kept AS MATERIALIZED (
       SELECT b.type, b.key, b.content_chunk
       FROM layers b JOIN layers h ON h.env_id = b.env_id AND h.type = b.type AND h.key = b.key
       WHERE b.env_id = $1 AND b.solution = $2 AND h.solution = $3
         AND ${same('b')} IS NOT DISTINCT FROM ${same('h')}
         AND NOT EXISTS (SELECT 1 FROM layer_files f
           WHERE f.env_id = $1 AND f.solution IN ($2, $3) AND f.type = b.type AND f.key = b.key)),
     twins AS (
       DELETE FROM layers h USING kept k
       WHERE h.env_id = $1 AND h.solution = $3 AND h.type = k.type AND h.key = k.key),
     replaced AS (
       DELETE FROM layers b WHERE b.env_id = $1 AND b.solution = $2
         AND NOT EXISTS (SELECT 1 FROM kept k WHERE k.type = b.type AND k.key = b.key)),
     content AS (
       DELETE FROM layer_content c WHERE c.env_id = $1 AND c.solution = $2
         AND NOT EXISTS (SELECT 1 FROM kept k WHERE k.content_chunk = c.chunk))
     SELECT 1`,
      [envId, base, holding],
    ),
  );
  await tx.query('DELETE FROM layer_files WHERE env_id = $1 AND solution = $2', [envId, base]);
  await tx.query('DELETE FROM solution_components WHERE env_id = $1 AND solution = $2', [
    envId,
    base,
  ]);
  await tx.query('DELETE FROM solutions WHERE env_id = $1 AND unique_name = $2', [envId, base]);
}

/** The layers (and files) of one solution for the given components. */
export async function deleteLayerRows(
  tx: Queryable,
  envId: number,
  solution: string,
  items: Array<{ type: string; key: string }>,
): Promise<void> {
  if (items.length === 0) return;
  for (const table of ['layer_files', 'layers']) {
    await tx.query(
      `DELETE FROM ${table}
       WHERE env_id = $1 AND solution = $2 AND ${SQL_KEY} = ANY($3::text[])`,
      [envId, solution, sqlKeys(items)],
    );
  }
}

/**
 * Planned deletions: each layer goes; a component left without a managed or System layer goes
 * entirely, so its Active layer (local customizations) goes with it.
 */
export async function removeLayers(
  tx: Queryable,
  envId: number,
  deletes: PlannedDelete[],
): Promise<void> {
  const bySolution = new Map<string, PlannedDelete[]>();
  for (const d of deletes) bySolution.set(d.solution, [...(bySolution.get(d.solution) ?? []), d]);
  for (const [solution, items] of bySolution) await deleteLayerRows(tx, envId, solution, items);
  const gone = new Map(
    deletes.filter((d) => d.componentGoes).map((d) => [identity(d.type, d.key), d]),
  );
  await deleteLayerRows(tx, envId, 'Active', [...gone.values()]);
  if (gone.size) {
    await tx.query(
      `DELETE FROM solution_components WHERE env_id = $1 AND ${SQL_KEY} = ANY($2::text[])`,
      [envId, sqlKeys([...gone.values()])],
    );
  }
}

/**
 * Apply upgrade, abandon, uninstall: checks the environment is still at the planned revision,
 * removes layers and solutions, renames the promoted holding solution, in the caller's transaction.
 */
export async function writeLifecycle(
  tx: Queryable,
  envId: number,
  plan: LifecyclePlan,
  faultAfter?: string,
): Promise<void> {
  await lockRevision(
    tx,
    envId,
    plan.environmentRevision,
    plan.environment,
    'Run the command again.',
  );
  const fault = (step: string): void => {
    if (faultAfter === step)
      throw new StrataError('FAULT_INJECTED', `Injected failure after ${step}.`);
  };
  await removeLayers(tx, envId, plan.deletes);
  fault('layers');
  // Apply: the base each staged upgrade replaces (its holding solution's name)
  const replacedBy = new Map(plan.renames.map((r) => [r.to, r.from]));
  for (const s of plan.removes) {
    const holding = replacedBy.get(s.uniqueName);
    if (s.managed && holding) await removeReplacedSolutionRows(tx, envId, s.uniqueName, holding);
    else if (s.managed) await removeSolutionRows(tx, envId, s.uniqueName);
    else {
      // an unmanaged solution is only a container: its components stay
      await tx.query('DELETE FROM solution_components WHERE env_id = $1 AND solution = $2', [
        envId,
        s.uniqueName,
      ]);
      await tx.query('DELETE FROM solutions WHERE env_id = $1 AND unique_name = $2', [
        envId,
        s.uniqueName,
      ]);
    }
  }
  fault('solutions');
  for (const r of plan.renames) {
    // the staged content's chunks follow those of the base's layers that stayed
    const [{ offset }] = await tx.query<{ offset: number }>(
      `SELECT coalesce(max(chunk) + 1, 0)::int AS offset FROM layer_content
       WHERE env_id = $1 AND solution = $2`,
      [envId, r.to],
    );
    await tx.query(
      `UPDATE layers SET solution = $3, ordinal = $4, content_chunk = content_chunk + $5
       WHERE env_id = $1 AND solution = $2`,
      [envId, r.from, r.to, r.ordinal, offset],
    );
    await tx.query(
      `UPDATE layer_content SET solution = $3, chunk = chunk + $4
       WHERE env_id = $1 AND solution = $2`,
      [envId, r.from, r.to, offset],
    );
    for (const table of ['layer_files', 'solution_components'])
      await tx.query(`UPDATE ${table} SET solution = $3 WHERE env_id = $1 AND solution = $2`, [
        envId,
        r.from,
        r.to,
      ]);
    await tx.query(
      `UPDATE solutions
       SET unique_name = $3, is_holding = false, install_order = $4, updated_on = now()
       WHERE env_id = $1 AND unique_name = $2`,
      [envId, r.from, r.to, r.installOrder],
    );
  }
  fault('renames');
  await bumpRevision(tx, envId);
}

/**
 * clone-patch: a new, empty patch row; clone: the patches' members rolled into the parent, the
 * patches removed.
 */
export async function writeClone(tx: Queryable, envId: number, plan: ClonePlan): Promise<void> {
  await lockRevision(
    tx,
    envId,
    plan.environmentRevision,
    plan.environment,
    'Run the command again.',
  );
  if (plan.operation === 'clone-patch') {
    await tx.query(
      `INSERT INTO solutions (env_id, unique_name, friendly_name, description, version, managed,
         publisher, parent_unique_name, install_order, manifest)
       SELECT env_id, $3, friendly_name || ' (patch)', description, $4, false, publisher,
         unique_name, install_order,
         jsonb_build_object('rootComponents', '[]'::jsonb, 'solutionXml', NULL)
       FROM solutions WHERE env_id = $1 AND unique_name = $2`,
      [envId, plan.parent.uniqueName, plan.result.uniqueName, plan.result.version],
    );
  } else {
    for (const patch of plan.rolledUp) {
      await tx.query(
        `INSERT INTO solution_components (env_id, solution, type, key, root_behavior)
        SELECT env_id, $3, type, key, root_behavior FROM solution_components
        WHERE env_id = $1 AND solution = $2
        ON CONFLICT (env_id, solution, type, key) DO NOTHING`,
        [envId, patch, plan.parent.uniqueName],
      );
      await tx.query('DELETE FROM solution_components WHERE env_id = $1 AND solution = $2', [
        envId,
        patch,
      ]);
      await tx.query('DELETE FROM solutions WHERE env_id = $1 AND unique_name = $2', [
        envId,
        patch,
      ]);
    }
    await tx.query(
      `UPDATE solutions SET version = $3, updated_on = now()
       WHERE env_id = $1 AND unique_name = $2`,
      [envId, plan.parent.uniqueName, plan.result.version],
    );
  }
  await bumpRevision(tx, envId);
}

/**
 * A local customization: the component's Active layer (a draft for publishable types), created
 * or replaced.
 */
export async function writeActiveDefinition(
  tx: Queryable,
  envId: number,
  c: {
    type: string;
    key: string;
    name: string;
    parent: { type: string; key: string } | null;
    xml: string;
    hash: string;
    draft: boolean;
    /** the state the definition declares (stateOf), in effect once the definition is live */
    state?: string | null;
  },
): Promise<void> {
  await lockEnvironment(tx, envId);
  await tx.query(
    `INSERT INTO layers (env_id, type, key, solution, kind, ordinal, name, parent_type, parent_key,
       xml, hash, draft_xml, draft_hash, state)
     VALUES ($1, $2, $3, 'Active', 'active', $4, $5, $6, $7, $8, $9, $10, $11, $12)
     ON CONFLICT (env_id, type, key, solution) DO UPDATE SET
       xml = CASE WHEN EXCLUDED.draft_xml IS NULL THEN EXCLUDED.xml ELSE layers.xml END,
       hash = CASE WHEN EXCLUDED.draft_xml IS NULL THEN EXCLUDED.hash ELSE layers.hash END,
       state = CASE WHEN EXCLUDED.draft_xml IS NULL THEN EXCLUDED.state ELSE layers.state END,
       draft_xml = EXCLUDED.draft_xml, draft_hash = EXCLUDED.draft_hash, updated_on = now()`,
    [
      envId,
      c.type,
      c.key,
      ACTIVE_ORDINAL,
      c.name,
      c.parent?.type ?? null,
      c.parent?.key ?? null,
      c.draft ? null : c.xml,
      c.draft ? null : c.hash,
      c.draft ? c.xml : null,
      c.draft ? c.hash : null,
      c.state ?? null,
    ],
  );
  await bumpRevision(tx, envId);
}

/** Remove active customizations: the component's Active layer and its files. */
export async function deleteActiveLayer(
  tx: Queryable,
  envId: number,
  type: string,
  key: string,
): Promise<void> {
  await lockEnvironment(tx, envId);
  await deleteLayerRows(tx, envId, 'Active', [{ type, key }]);
  await bumpRevision(tx, envId);
}
