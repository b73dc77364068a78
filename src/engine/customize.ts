import { catalogComponent } from '../catalog/catalog.js';
import { firstPartyProvider } from '../catalog/templates.js';
import { componentType } from '../model/component-types.js';
import { identity } from '../model/component.js';
import { StrataError } from '../model/errors.js';
import { sha256 } from '../package/customizations/fragment.js';
import { stateOf } from '../package/customizations/state.js';
import { descendant, escapeXml, parseXml, type XmlElement } from '../package/xml.js';
import { diffDefinition, mergeLayers } from './merge/merge.js';
import { recordHistory } from '../store/history.js';
import { deleteActiveLayer, writeActiveDefinition } from '../store/lifecycle-writes.js';
import { componentLayers, type StoredLayer } from '../store/queries.js';
import { findEnvironment } from '../store/environments.js';
import { lockEnvironment } from '../store/revision.js';
import type { Store } from '../store/store.js';
import type { DataAtRisk } from '../plans/data-at-risk.js';
import {
  countDataAtRisk,
  dataAtRiskOf,
  dataLossRefusal,
  touchedTables,
} from './records/data-at-risk.js';
import { syncRecordTables } from './records/schema-sync.js';
import { refusalError } from './refusals.js';

/**
 * Local customizations: changes made in the environment itself, kept in the component's Active
 * layer above every managed layer. A change starts from the effective definition (the Active
 * layer's, else the top managed or System layer's), is checked against the managed properties
 * the top managed layer carries, and lands as a draft for publishable types.
 */
export interface CustomizeRequest {
  type: string;
  key: string;
  /** PROPERTY=VALUE pairs (see PROPERTIES), or a whole new definition */
  set?: Array<[string, string]>;
  definition?: string;
}

export interface CustomizeResult {
  type: string;
  key: string;
  name: string;
  draft: boolean;
  changed: string[];
  xml: string;
}

/**
 * Named properties, and the managed property (a flag in the managed definition) that must allow
 * each.
 */
const PROPERTIES: Record<
  string,
  { guard: string; apply: (root: XmlElement, src: string, value: string) => Edit[] }
> = {
  displayname: {
    guard: 'IsRenameable',
    apply: (root, _src, v) =>
      labelEdits(root, v, [
        'displaynames/displayname',
        'LocalizedNames/LocalizedName',
        'EntityInfo/entity/LocalizedNames/LocalizedName',
      ]),
  },
  description: {
    guard: 'IsCustomizable',
    apply: (root, _src, v) =>
      labelEdits(root, v, [
        'Descriptions/Description',
        'EntityInfo/entity/Descriptions/Description',
      ]),
  },
  requiredlevel: {
    guard: 'CanModifyRequirementLevelSettings',
    apply: (root, _src, v) => {
      const level = {
        none: 'none',
        recommended: 'recommended',
        required: 'required',
        applicationrequired: 'required',
        systemrequired: 'systemrequired',
      }[v.toLowerCase()];
      if (!level)
        throw new StrataError(
          'CUSTOMIZE_VALUE_INVALID',
          `requiredlevel is none, recommended or required, not "${v}".`,
          { hint: 'For example --set requiredlevel=required' },
        );
      return textEdits(root, 'RequiredLevel', level);
    },
  },
};

interface Edit {
  start: number;
  end: number;
  text: string;
}

function customizeDefinition(
  base: string,
  managed: string | null,
  req: CustomizeRequest,
): { xml: string; changed: string[] } {
  const label = `${componentType(req.type).label} ${req.key}`;
  const flags = managed ? parseXml(managed, `${label} (managed layer)`) : null;
  const allows = (flag: string): boolean => {
    if (!flags) return true;
    const el = descendant(flags, flag);
    return !el || el.text.trim() !== '0';
  };
  if (!allows('IsCustomizable')) {
    throw new StrataError(
      'MANAGED_PROPERTY_FORBIDS',
      `${label} cannot be customized: its managed property IsCustomizable is off.`,
      {
        component: { type: req.type, key: req.key },
        hint: 'Only a later version from the same publisher can change its managed properties.',
      },
    );
  }
  if (req.definition !== undefined) {
    const root = parseXml(req.definition, 'the new definition');
    const baseRoot = parseXml(base, label);
    if (root.name !== baseRoot.name)
      throw new StrataError(
        'CUSTOMIZE_DEFINITION_INVALID',
        `The new definition of ${label} has root <${root.name}>; ` +
          `it must be <${baseRoot.name}>, like its current definition.`,
        { hint: 'strata layers TYPE KEY --xml shows the current definition to start from.' },
      );
    return { xml: req.definition.slice(root.start, root.end), changed: ['definition'] };
  }
  const root = parseXml(base, label);
  const edits: Edit[] = [];
  const changed: string[] = [];
  for (const [prop, value] of req.set ?? []) {
    const known = PROPERTIES[prop.toLowerCase()];
    const guard = known?.guard ?? 'IsCustomizable';
    if (!allows(guard)) {
      throw new StrataError(
        'MANAGED_PROPERTY_FORBIDS',
        `${label}: ${prop} cannot change, because the managed property ${guard} is off.`,
        {
          component: { type: req.type, key: req.key },
          hint: 'Only a later version from the same publisher can change its managed properties.',
        },
      );
    }
    // a named property, or any element of the definition by name (IsAuditEnabled=1, ...)
    const e = known ? known.apply(root, base, value) : textEdits(root, prop, value);
    if (!e.length)
      throw new StrataError('CUSTOMIZE_PROPERTY_UNKNOWN', `${label} has no ${prop} to set.`, {
        hint:
          `Properties: ${Object.keys(PROPERTIES).join(', ')}, or the name of an element of the ` +
          `definition (strata layers ${req.type} ${req.key} --xml shows it).`,
      });
    edits.push(...e);
    changed.push(prop);
  }
  let xml = base.slice(root.start, root.end);
  for (const e of edits.sort((a, b) => b.start - a.start))
    xml = xml.slice(0, e.start - root.start) + e.text + xml.slice(e.end - root.start);
  return { xml, changed };
}

/** Replaces the text of the first element named `name` (an empty element gets the text). */
function textEdits(root: XmlElement, name: string, value: string): Edit[] {
  const el = root.name === name ? root : descendant(root, name);
  if (!el || el.children.length) return [];
  return [{ start: el.start, end: el.end, text: `<${el.name}>${escapeXml(value)}</${el.name}>` }];
}

/** Sets the 1033 label (description attribute) along the first path that exists. */
function labelEdits(root: XmlElement, value: string, paths: string[]): Edit[] {
  for (const path of paths) {
    let els: XmlElement[] = [root];
    for (const step of path.split('/'))
      els = els.flatMap((e) => e.children.filter((c) => c.name === step));
    const target = els.find((e) => (e.attrs.languagecode ?? '1033') === '1033') ?? els[0];
    if (target && 'description' in target.attrs) {
      const attrs = Object.entries({ ...target.attrs, description: value })
        .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
        .join('');
      return [{ start: target.start, end: target.end, text: `<${target.name}${attrs} />` }];
    }
  }
  return [];
}

/**
 * The definition a change starts from, the managed layer whose flags govern it, and, for merge
 * components, the merged definition of the layers below the Active one (its changes are kept
 * relative to that).
 */
function effective(
  layers: StoredLayer[],
  type: string,
  key: string,
): { base: string; managed: string | null; below: string | null; name: string | null } {
  const active = layers.find((l) => l.kind === 'active');
  const managed = layers.find((l) => l.kind === 'managed');
  const system = layers.find((l) => l.kind === 'system');
  const catalog = catalogComponent(type, key)?.xml;
  const name = catalogComponent(type, key)?.name ?? null;
  if (componentType(type).merge) {
    const lower = [
      ...(system || !catalog ? [] : [catalog]),
      ...layers
        .filter((l) => l.kind !== 'active' && l.xml)
        .map((l) => l.xml!)
        .reverse(),
    ];
    const below = mergeLayers(lower).xml;
    const mine = active?.draftXml ?? active?.xml;
    const base = mine ? mergeLayers([...lower, mine]).xml : below;
    if (!base) throw notFound(type, key);
    return { base, managed: managed?.xml ?? null, below, name };
  }
  const base = active?.draftXml ?? active?.xml ?? managed?.xml ?? system?.xml ?? catalog;
  if (!base) throw notFound(type, key);
  return { base, managed: managed?.xml ?? null, below: null, name };
}

function notFound(type: string, key: string): StrataError {
  return new StrataError(
    'COMPONENT_NOT_FOUND',
    `There is no ${componentType(type).label} ${key} in this environment.`,
    { component: { type, key }, hint: 'strata components lists what is there.' },
  );
}

export async function customize(
  store: Store,
  environment: string,
  req: CustomizeRequest,
): Promise<CustomizeResult> {
  const started = new Date();
  const env = await findEnvironment(store, environment);
  // read and written under the environment's lock (store/revision.ts): the change starts from the
  // definition in effect when it is written, not from one an import replaced meanwhile
  return store.transaction(async (tx) => {
    await lockEnvironment(tx, env.id);
    const { name, layers } = await componentLayers(tx, env.id, req.type, req.key);
    const eff = effective(layers, req.type, req.key);
    const { xml: full, changed } = customizeDefinition(eff.base, eff.managed, req);
    // a merge component's Active layer holds its changes relative to the layers below (spec §6)
    const xml = eff.below ? (diffDefinition(eff.below, full) ?? '') : full;
    if (!xml)
      throw new StrataError(
        'CUSTOMIZE_NO_CHANGE',
        `The new definition of ${req.type} ${req.key} is the same as the one in effect; ` +
          'nothing to customize.',
        {
          component: { type: req.type, key: req.key },
          hint: 'strata customize --remove-active removes local changes.',
        },
      );
    const t = componentType(req.type);
    const draft = t.publishable;
    const hash = sha256([xml]);
    const parent = req.type === 'attribute' ? { type: 'entity', key: req.key.split('.')[0] } : null;
    const displayName = name ?? eff.name ?? req.key;
    await writeActiveDefinition(tx, env.id, {
      type: req.type,
      key: req.key,
      name: displayName,
      parent,
      xml,
      hash,
      draft,
      // the layer's state follows its definition: a StateCode set here is the state in effect
      state: stateOf(req.type, parseXml(full, req.key)) ?? null,
    });
    await recordHistory(tx, env.id, {
      solutionName: 'Active',
      solutionVersion: null,
      publisher: null,
      managed: false,
      operation: 'customize',
      subOperation: 'set',
      options: { type: req.type, key: req.key, changed },
      startedOn: started,
      endedOn: new Date(),
      result: 'success',
    });
    return { type: req.type, key: req.key, name: displayName, draft, changed, xml };
  });
}

/** Removes the Active layer: the managed definition below shows again. Cannot be undone. */
export async function removeActive(
  store: Store,
  environment: string,
  type: string,
  key: string,
  opts: { acceptDataLoss?: boolean } = {},
): Promise<{ removed: boolean; componentGone: boolean; dataAtRisk: DataAtRisk }> {
  const started = new Date();
  const env = await findEnvironment(store, environment);
  return store.transaction(async (tx) => {
    await lockEnvironment(tx, env.id);
    const { layers } = await componentLayers(tx, env.id, type, key);
    if (!layers.some((l) => l.kind === 'active')) {
      throw new StrataError(
        'ACTIVE_LAYER_NOT_FOUND',
        `${componentType(type).label} ${key} has no Active layer (no local customizations) ` +
          `in ${environment}.`,
        { component: { type, key }, hint: `strata layers ${type} ${key} shows its layers.` },
      );
    }
    // a component of the System layer or of a first-party solution stays (they are not stored)
    const componentGone =
      layers.every((l) => l.kind === 'active') &&
      !catalogComponent(type, key) &&
      !firstPartyProvider(env.base, identity(type, key));
    // a table or column only the Active layer held goes with its records (data at risk)
    const gone = { type, key, name: key, solution: 'Active', componentGoes: true };
    const dataAtRisk = await countDataAtRisk(
      tx,
      env.id,
      dataAtRiskOf(componentGone ? [gone] : [], touchedTables([{ type, key }])),
    );
    const refusal = dataLossRefusal(dataAtRisk, opts.acceptDataLoss);
    if (refusal) throw refusalError([refusal]);
    await deleteActiveLayer(tx, env.id, type, key);
    await syncRecordTables(tx, env.id, dataAtRisk);
    await recordHistory(tx, env.id, {
      solutionName: 'Active',
      solutionVersion: null,
      publisher: null,
      managed: false,
      operation: 'customize',
      subOperation: 'remove-active',
      options: { type, key },
      startedOn: started,
      endedOn: new Date(),
      result: 'success',
    });
    return { removed: true, componentGone, dataAtRisk };
  });
}
