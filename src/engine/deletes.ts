import { componentType } from '../model/component-types.js';
import { identity, splitIdentity } from '../model/component.js';
import type { PlannedDelete } from '../plans/import-plan.js';
import type { Refusal } from '../plans/refusal.js';
import type { EnvironmentSnapshot } from '../plans/snapshot.js';
import { workflowDisplayTypes } from '../store/queries.js';
import type { Queryable } from '../store/store.js';
import type { ComponentIndex } from './existence.js';

/**
 * What an operation takes away (an upgrade, applying or abandoning a staged upgrade, an
 * uninstall), and who would still need it. Shared by planImport and planLifecycle, which are
 * pure; withDisplayTypes, which reads the store, by their callers once they have planned.
 */

/**
 * The layers of `solutions` whose components are not in `keep`; a component whose other layers
 * are only Active (or none) goes with them, unless the System catalog or a first-party solution provides it.
 */
export function plannedDeletes(
  snapshot: EnvironmentSnapshot,
  index: ComponentIndex,
  solutions: string[],
  keep: Set<string>,
): PlannedDelete[] {
  const going = new Set(solutions);
  const out: PlannedDelete[] = [];
  // every component's stack is walked (the whole environment): no arrays made for those that
  // keep all their layers
  for (const [id, layers] of snapshot.layers) {
    if (keep.has(id)) continue;
    let mine = 0;
    let others = 0;
    for (const l of layers)
      if (going.has(l.solution)) mine++;
      else if (l.kind !== 'active') others++;
    if (mine === 0) continue;
    const [type, key] = splitIdentity(id);
    const componentGoes = others === 0 && !index.inBase(type, key);
    for (const l of layers)
      if (going.has(l.solution))
        out.push({ type, key, name: l.name ?? key, solution: l.solution, componentGoes });
  }
  return out.sort((a, b) =>
    a.type + a.key < b.type + b.key ? -1 : a.type + a.key > b.type + b.key ? 1 : 0,
  );
}

/**
 * The deletes, each workflow among them with the name its type is shown by (a cloud flow, a
 * business rule: model/component-types.ts displayTypeOf), as the components it deletes were shown
 * while they were there. Planning has no definitions to read it from; this reads it from each
 * one's top definition, which is still there while the operation is planned. One statement, and
 * only when a workflow goes.
 */
export async function withDisplayTypes(
  db: Queryable,
  envId: number,
  deletes: PlannedDelete[],
): Promise<PlannedDelete[]> {
  const keys = [...new Set(deletes.filter((d) => d.type === 'workflow').map((d) => d.key))];
  if (!keys.length) return deletes;
  const shown = await workflowDisplayTypes(db, envId, keys);
  return deletes.map((d) => {
    const displayType = d.type === 'workflow' ? shown.get(d.key) : undefined;
    return displayType ? { ...d, displayType } : d;
  });
}

/**
 * DEPENDENTS_EXIST: deleting components that other solutions (or the Active layer) still need
 * is refused, listing every dependent; null when nothing that goes is needed. `leaving`: the
 * solutions that go (their own references do not count); `operation` names what is refused.
 */
export function dependentsRefusal(
  snapshot: EnvironmentSnapshot,
  deletes: PlannedDelete[],
  leaving: string[],
  operation: string,
): Refusal | null {
  const goes = new Set(deletes.filter((d) => d.componentGoes).map((d) => identity(d.type, d.key)));
  if (goes.size === 0) return null;
  const going = new Set(leaving);
  // by component, then bottom to top (the snapshot holds the components in no order)
  const found: Array<{ id: string; ordinal: number; text: string }> = [];
  for (const [id, layers] of snapshot.layers) {
    if (goes.has(id)) continue;
    for (const l of layers) {
      if (going.has(l.solution)) continue;
      for (const r of l.requires) {
        if (!goes.has(r)) continue;
        const [type, key] = splitIdentity(id);
        const [rt, rk] = splitIdentity(r);
        const needs = `${componentType(rt).label} ${rk}`;
        const text = `${componentType(type).label} ${key} (${l.solution}) needs ${needs}`;
        found.push({ id, ordinal: l.ordinal, text });
      }
    }
  }
  const dependents = found
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.ordinal - b.ordinal))
    .map((d) => d.text);
  if (dependents.length === 0) return null;
  const more = dependents.length > 25 ? `; and ${dependents.length - 25} more` : '';
  return {
    code: 'DEPENDENTS_EXIST',
    message:
      `Cannot ${operation}: ${dependents.length} component(s) of other solutions depend on ` +
      `components it would delete: ${dependents.slice(0, 25).join('; ')}${more}.`,
    hint:
      'Remove or change the dependent components first (or uninstall the solutions that hold ' +
      'them), then try again.',
  };
}
