import { catalogComponent } from '../catalog/catalog.js';
import {
  firstPartyProvider,
  MICROSOFT_PUBLISHER,
  type FirstPartyComponent,
  type FirstPartySolution,
} from '../catalog/templates.js';
import { componentType, displayTypeOf } from '../model/component-types.js';
import { StrataError } from '../model/errors.js';
import { identity } from '../model/component.js';
import { escapeXml } from '../package/xml.js';
import { componentLayers, type StoredLayer } from '../store/queries.js';
import type { LayerSource } from '../store/layer-source.js';
import type { Queryable } from '../store/store.js';
import { mergeLayers } from './merge/merge.js';
import { changedProperties } from './properties.js';

export type LayersView = Awaited<ReturnType<typeof describeLayers>>;

/**
 * A component's layer stack, top first, with what each layer changes relative to the layer
 * below it (per property), and the effective definition: the top layer, or for merge components
 * (forms, site maps, ribbons, apps) the merge of all of them. The CLI's `layers` and the
 * server's layers view both render this.
 */
export async function describeLayers(
  db: Queryable | LayerSource,
  env: { id: number; name: string; base: string },
  type: string,
  key: string,
  opts: { xml?: boolean } = {},
) {
  const { name, layers } = await componentLayers(db, env.id, type, key);
  const cat = env.base !== 'empty' ? catalogComponent(type, key) : undefined;
  const stack: ShownLayer[] = [...layers];
  if (cat && !stack.some((l) => l.kind === 'system')) {
    stack.push({
      solution: 'System',
      kind: 'system',
      ordinal: 0,
      xml: cat.xml,
      hash: null,
      draftXml: null,
      draftHash: null,
      state: null,
      updatedOn: '',
      files: [],
      publisher: null,
      version: env.base,
    });
  }
  const fp = firstPartyProvider(env.base, identity(type, key));
  if (fp) {
    // the first-party solution's managed layer: above the System layer, below every stored one
    const at = stack.findIndex((l) => l.kind === 'system');
    stack.splice(at < 0 ? stack.length : at, 0, firstPartyLayer(type, fp));
  }
  if (!stack.length)
    throw new StrataError('COMPONENT_NOT_FOUND', `No ${type} "${key}" in ${env.name}.`, {
      hint: 'strata components (or GET /api/v1/components) lists the components of an environment.',
      component: { type, key },
    });
  const top = stack.find((l) => l.xml !== null);
  // per layer, the properties it changes relative to the layer below it (its draft, if it has one);
  // merge components: what the merge looks like before and after the layer
  const merge = componentType(type).merge;
  const defs = stack.map((l) => l.draftXml ?? l.xml);
  // merge components: the merged definition from the bottom up to each layer, computed once
  const mergedFrom: Array<string | null> = new Array(stack.length).fill(null);
  if (merge) {
    let acc: string | null = null;
    for (let i = stack.length - 1; i >= 0; i--) {
      if (defs[i]) acc = mergeLayers(acc ? [acc, defs[i]!] : [defs[i]!]).xml;
      mergedFrom[i] = acc;
    }
  }
  const changes = stack.map((l, i) => {
    const mine = defs[i];
    if (!mine) return [];
    if (merge) return changedProperties(mergedFrom[i + 1] ?? null, mergedFrom[i]!);
    const below = stack.slice(i + 1).find((x) => x.xml !== null)?.xml ?? null;
    return changedProperties(below, mine);
  });
  const merged = merge
    ? mergeLayers(
        stack
          .filter((l) => l.xml)
          .map((l) => l.xml!)
          .reverse(),
      )
    : null;
  // a workflow is shown by the Category of its top definition: a cloud flow, a business rule
  const displayType = displayTypeOf(type, { xml: defs.find((d) => d !== null) ?? null });
  const out = {
    environment: env.name,
    type,
    ...(displayType ? { displayType } : {}),
    key,
    name: name ?? cat?.name ?? fp?.component.name ?? key,
    effective: merged
      ? merged.xml
        ? mergedLabel(stack, merged.conflicts)
        : null
      : (top?.solution ?? null),
    ...(merged && opts.xml ? { effectiveXml: merged.xml } : {}),
    layers: stack.map((l, i) => ({
      order: stack.length - i,
      solution: l.solution,
      kind: l.kind,
      publisher: l.publisher,
      version: l.version,
      ...(l.firstParty ? { firstParty: true } : {}),
      published: l.xml !== null,
      draft: l.draftXml !== null,
      state: l.state,
      files: l.files,
      updatedOn: l.updatedOn || null,
      changes: i === stack.length - 1 ? changes[i].length : changes[i],
      ...(opts.xml ? { xml: l.xml, draftXml: l.draftXml } : {}),
    })),
  };
  return out;
}

type ShownLayer = StoredLayer & {
  /** a first-party solution's layer: the template's, not stored */
  firstParty?: boolean;
};

/**
 * The managed layer of a first-party solution on a component it provides. strata knows of it
 * what the inventory says: the solution, its version and the component's name, so its
 * definition is that name alone (docs/decisions.md: "First-party solutions are layers").
 */
function firstPartyLayer(
  type: string,
  fp: { solution: FirstPartySolution; component: FirstPartyComponent },
): ShownLayer {
  const name = fp.component.name ?? fp.component.key;
  return {
    solution: fp.solution.uniqueName,
    kind: 'managed',
    ordinal: 0,
    xml: `<${type}><Name>${escapeXml(name)}</Name></${type}>`,
    hash: null,
    draftXml: null,
    draftHash: null,
    state: null,
    updatedOn: '',
    files: [],
    publisher: MICROSOFT_PUBLISHER.uniqueName,
    version: fp.solution.version,
    firstParty: true,
  };
}

/** "merged (3 layers, 2 on the Conflicts tab)" */
function mergedLabel(stack: Array<{ xml: string | null }>, conflicts: number): string {
  const layers = stack.filter((l) => l.xml).length;
  return `merged (${layers} layers${conflicts ? `, ${conflicts} on the Conflicts tab` : ''})`;
}
