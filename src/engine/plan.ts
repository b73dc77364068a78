import { catalogHas, catalogHasIdentity } from '../catalog/catalog.js';
import { componentType } from '../model/component-types.js';
import { identity } from '../model/component.js';
import { displayName } from '../model/solution.js';
import { Version } from '../model/version.js';
import type { SolutionPackage } from '../package/read.js';
import { resolveDependencies } from './dependencies.js';
import { changedProperties } from './properties.js';
import { diffDefinition, mergeLayers } from './merge/merge.js';
import { ComponentIndex } from './existence.js';
import type {
  ImportPlan,
  PlanIssue,
  PlanKind,
  PlanOptions,
  PlannedComponent,
  PlannedCustomization,
  PlannedDelete,
} from '../plans/import-plan.js';
import type { EnvironmentSnapshot, LayerInfo } from '../plans/snapshot.js';
import { HOLDING_OFFSET, HOLDING_SUFFIX, ORDINAL_GROUP } from '../plans/layer-order.js';

export const UPDATE_BANNER =
  'This solution package contains an update for a solution that is already installed.';

/**
 * Plans the import of `pkg` into the environment described by `snapshot`. Pure: it reads only
 * its arguments and returns a serializable ImportPlan; nothing is written. The plan is the dry
 * run the user sees (`strata plan`) and exactly what `applyPlan` executes.
 */
export function planImport(
  snapshot: EnvironmentSnapshot,
  pkg: SolutionPackage,
  options: PlanOptions = {},
): ImportPlan {
  const m = pkg.manifest;
  const blocked: PlanIssue[] = [];
  const warnings: string[] = [...pkg.warnings];
  const index = new ComponentIndex(snapshot, pkg);
  const installed = snapshot.solutions.find((s) => s.uniqueName === m.uniqueName && !s.isHolding);
  const holding = snapshot.solutions.find(
    (s) => s.uniqueName === `${m.uniqueName}${HOLDING_SUFFIX}` && s.isHolding,
  );
  const friendlyName = displayName(m.localizedNames, m.uniqueName, m.languageCode);
  const env = snapshot.environment.name;

  // solution gates: what kind of import this is, and where its layer goes
  let kind: PlanKind = m.parentUniqueName ? 'patch' : 'new';
  let uniqueName = m.uniqueName;
  let isHolding = false;
  let installOrder = snapshot.environment.nextInstallOrder;
  let ordinal = installOrder * ORDINAL_GROUP;
  const patchesOf = (name: string): string[] =>
    snapshot.solutions.filter((s) => s.parentUniqueName === name).map((s) => s.uniqueName);
  if (installed) {
    const cmp = m.version.compare(Version.parse(installed.version));
    const action = options.action ?? 'upgrade';
    kind = action;
    installOrder = installed.installOrder;
    ordinal = installed.ordinal;
    if (installed.managed !== m.managed) {
      blocked.push({
        code: 'SOLUTION_MODE_MISMATCH',
        message: `The solution is already installed on this system as ${installed.managed ? 'a managed' : 'an unmanaged'} solution and the package supplied is attempting to install it in ${m.managed ? 'managed' : 'unmanaged'} mode. Import can only update solutions when the modes match.`,
        hint: 'Uninstall the current solution and try again.',
      });
    } else if (cmp <= 0 && options.skipLowerVersion) {
      kind = 'skip';
    } else if (cmp < 0) {
      blocked.push({
        code: 'VERSION_LOWER',
        message: `${m.uniqueName} ${installed.version} is installed; the package holds the lower version ${m.version.text}. A solution cannot be downgraded.`,
        hint: 'Import a version higher than the installed one, or add --skip-lower-version to skip such packages without an error.',
      });
    } else if (holding) {
      blocked.push({
        code: 'HOLDING_EXISTS',
        message: `${holding.uniqueName} ${holding.version} is staged for upgrade of ${m.uniqueName}: a holding solution already exists, so ${m.uniqueName} cannot be imported again until the staged upgrade is finished or abandoned.`,
        hint: `Finish it with: strata upgrade ${m.uniqueName}   or drop it with: strata upgrade ${m.uniqueName} --abandon`,
      });
    } else if (!m.managed) {
      // an unmanaged solution has no layer of its own: a re-import writes its components into the Active layer again
      kind = 'update';
      if (action === 'stage')
        blocked.push({
          code: 'HOLDING_REQUIRES_MANAGED',
          message: `Stage for upgrade applies to managed solutions; ${m.uniqueName} is unmanaged.`,
          hint: 'Import it without --import-as-holding: its components are written to the Active layer.',
        });
      const patches = patchesOf(m.uniqueName);
      if (patches.length)
        blocked.push({
          code: 'SOLUTION_HAS_PATCHES',
          message: `${m.uniqueName} has patches (${patches.join(', ')}); an unmanaged solution with patches cannot be changed until they are rolled up or deleted.`,
          hint: `Roll the patches up with strata clone ${m.uniqueName}, or delete them, then import again.`,
        });
    } else if (m.parentUniqueName) {
      kind = 'update'; // a new build of an installed patch replaces the patch's layer
      if (action === 'stage')
        blocked.push({
          code: 'HOLDING_REQUIRES_BASE',
          message: `${m.uniqueName} is a patch; only a base solution can be staged for upgrade.`,
          hint: 'Import the patch without --import-as-holding.',
        });
    } else if (cmp === 0 && action !== 'update') {
      blocked.push({
        code: 'VERSION_NOT_HIGHER',
        message: `${m.uniqueName} ${installed.version} is installed and the package holds the same version; an ${action === 'stage' ? 'upgrade (staged)' : 'upgrade'} needs a higher version.`,
        hint: 'Raise the version in the package, re-apply it with --update, or add --skip-lower-version to skip it.',
      });
    } else if (action === 'stage') {
      uniqueName = `${m.uniqueName}${HOLDING_SUFFIX}`;
      isHolding = true;
      ordinal = installed.ordinal + HOLDING_OFFSET;
    }
  } else if (m.parentUniqueName) {
    const parent = snapshot.solutions.find(
      (s) => s.uniqueName === m.parentUniqueName && !s.isHolding,
    );
    if (!parent) {
      blocked.push({
        code: 'PATCH_PARENT_MISSING',
        message: `${m.uniqueName} is a patch of ${m.parentUniqueName}, which is not installed in ${env}.`,
        hint: `Import ${m.parentUniqueName} first, then this patch.`,
      });
    } else {
      const pv = Version.parse(parent.version);
      if (
        pv.major !== m.version.major ||
        pv.minor !== m.version.minor ||
        !m.version.isHigherThan(pv)
      ) {
        blocked.push({
          code: 'PATCH_VERSION_INVALID',
          message: `Solution manifest import: FAILURE: Patch version ${m.version.text} is invalid for parent version ${parent.version}.`,
          hint: "A patch keeps its parent's major.minor and raises build or revision.",
        });
      }
      if (parent.managed !== m.managed)
        blocked.push({
          code: 'SOLUTION_MODE_MISMATCH',
          message: `${m.uniqueName} is ${m.managed ? 'managed' : 'unmanaged'} but its parent ${parent.uniqueName} is not.`,
          hint: "A patch must have its parent's package type.",
        });
      const patches = patchesOf(parent.uniqueName);
      installOrder = parent.installOrder;
      ordinal = parent.ordinal + patches.length + 1;
    }
  }
  const replacing = kind === 'upgrade' || kind === 'update' ? installed! : null;

  // publisher
  const existingPublisher = snapshot.publishers.find(
    (p) => p.uniqueName === m.publisher.uniqueName,
  );
  // a publisher is matched by unique name; its record takes the package's properties (a publisher
  // may change its prefix: components it already has keep their names) — docs/decisions.md #16
  const prefixChange =
    existingPublisher &&
    existingPublisher.customizationPrefix.toLowerCase() !==
      m.publisher.customizationPrefix.toLowerCase();
  if (prefixChange) {
    warnings.push(
      `Publisher ${m.publisher.uniqueName}'s customization prefix changes from "${existingPublisher.customizationPrefix}" to "${m.publisher.customizationPrefix}": components it already has keep their names; new ones use "${m.publisher.customizationPrefix}".`,
    );
  }

  // components
  const planned: PlannedComponent[] = [];
  const customizations: PlannedCustomization[] = [];
  pkg.components.forEach((c, i) => {
    const t0 = performance.now();
    const t = componentType(c.type);
    const w: string[] = [];
    const id = identity(c.type, c.key);
    const existing = snapshot.layers.get(id) ?? NO_LAYERS;
    const existsBefore = existing.length > 0 || (index.hasStandardBase && catalogHasIdentity(id));
    const prior =
      replacing && m.managed
        ? existing.find((l) => l.solution === replacing.uniqueName)
        : undefined;
    let action: PlannedComponent['action'] =
      replacing && m.managed ? (prior ? 'update' : 'add') : existsBefore ? 'update' : 'add';
    let layer: PlannedComponent['layer'] = m.managed ? 'managed' : 'active';
    let reason = '';
    let systemLayer = false;
    if (kind === 'skip') {
      action = 'skip';
      layer = 'none';
      reason = 'skipped: the package is not newer than the installed version';
    } else if (c.shell) {
      action = 'skip';
      layer = 'none';
      reason = 'table included as a container for its forms and views only';
    } else if (c.unmodified) {
      action = 'skip';
      layer = 'none';
      reason = 'form exported as unmodified: skipped on import';
    } else if (prior && prior.hash === c.hash && !options.overwrite) {
      action = 'skip';
      layer = 'none';
      reason = `unchanged: ${replacing!.uniqueName} ${replacing!.version} has the same definition`;
    } else if (
      !m.managed &&
      existing.find((l) => l.kind === 'active')?.[t.publishable ? 'draftHash' : 'hash'] === c.hash
    ) {
      action = 'skip';
      layer = 'none';
      reason = 'unchanged: the Active layer already holds this definition';
    } else if (!existsBefore && isPlatformDefinition(c, index)) {
      systemLayer = true;
      w.push(
        `${t.label} ${c.key} is a standard ${c.type === 'entity' ? 'table' : 'column'} the System catalog does not list: its definition from the package was taken into the System layer.`,
      );
    }
    if (c.type === 'routingrule' && kind !== 'skip' && existing.some((l) => l.state === 'active')) {
      blocked.push({
        code: 'ROUTING_RULE_SET_ACTIVE',
        message: `The routing rule set ${c.name} (${c.key}) is active in ${env}; an active routing rule set cannot be edited.`,
        hint: 'Deactivate the routing rule set in the environment, then import again.',
        component: { type: c.type, key: c.key, name: c.name },
      });
    }
    // managed imports under an Active layer: maintain keeps it on top, overwrite copies the new definition into it
    if (m.managed && layer !== 'none' && existing.some((l) => l.kind === 'active')) {
      const effect: PlannedCustomization['effect'] = t.merge
        ? 'merged'
        : options.overwrite
          ? 'overwritten'
          : 'kept';
      const active = snapshot.activeXml?.get(identity(c.type, c.key));
      const props =
        active !== undefined && effect !== 'merged'
          ? changedProperties(c.xml, active).map((p) => ({
              path: p.path,
              active: p.to,
              incoming: p.from,
            }))
          : undefined;
      // a merge component's local changes are applied on top of the incoming definition: say what will not fit
      const conflicts =
        effect === 'merged' && active !== undefined ? mergeLayers([c.xml, active]).conflicts : 0;
      customizations.push({
        type: c.type,
        key: c.key,
        name: c.name,
        effect,
        ...(props ? { properties: props } : {}),
        ...(conflicts ? { conflicts } : {}),
      });
      if (conflicts)
        w.push(
          `${conflicts} local change(s) no longer fit the new definition and go to the Conflicts tab.`,
        );
      if (effect === 'kept')
        w.push(
          'The Active layer (local customizations) stays on top: this update does not show until it is removed or overwritten.',
        );
    }
    if (!reason)
      reason = describe(
        action,
        layer,
        m.managed,
        t.publishable,
        systemLayer,
        replacing?.uniqueName,
      );
    const state = STEP_TYPES.has(c.type)
      ? options.activatePlugins
        ? 'active'
        : 'inactive'
      : c.state;
    // an unmanaged form, site map, ribbon or app over managed layers: the Active layer keeps its changes only
    const below =
      !m.managed && layer === 'active' && t.merge
        ? snapshot.mergeBelow?.get(identity(c.type, c.key))
        : undefined;
    const definition = below !== undefined ? diffDefinition(below, c.xml) : undefined;
    if (definition === null) {
      action = 'skip';
      layer = 'none';
      reason = 'unchanged: the managed layers below already define it this way';
    }
    // built without spreads: this runs for every component of the package
    const pc: PlannedComponent = {
      type: c.type,
      key: c.key,
      name: c.name,
      action,
      layer,
      draft: layer === 'active' && t.publishable,
      hash: c.hash,
      index: i,
      reason,
      warnings: w,
      ms: 0,
    };
    if (c.parent) pc.parent = c.parent;
    if (systemLayer) pc.systemLayer = true;
    if (state) pc.state = state;
    if (definition !== undefined && definition !== null) pc.definition = definition;
    pc.ms = performance.now() - t0;
    planned.push(pc);
  });

  // what an upgrade takes away: layers of the old version and its patches that the new one lacks
  const deletes: PlannedDelete[] = [];
  const rolledUp = kind === 'upgrade' && replacing ? patchesOf(replacing.uniqueName) : [];
  if (kind === 'upgrade' && replacing) {
    const keep = new Set(
      pkg.components.filter((c) => !c.shell && !c.unmodified).map((c) => identity(c.type, c.key)),
    );
    deletes.push(...plannedDeletes(snapshot, index, [replacing.uniqueName, ...rolledUp], keep));
    blocked.push(
      ...dependentsBlocking(
        snapshot,
        deletes,
        [replacing.uniqueName, ...rolledUp],
        `upgrade ${replacing.uniqueName} to ${m.version.text}`,
      ),
    );
  }

  // dependencies
  const deps =
    kind === 'skip'
      ? { missing: [], assumed: [] }
      : resolveDependencies(pkg.components, m.missingDependencies, index);
  if (deps.missing.length) {
    blocked.push({
      code: 'MISSING_DEPENDENCIES',
      message: `The following solution cannot be imported: ${m.uniqueName}. Some dependencies are missing (${deps.missing.length}).`,
      hint: 'Install the solutions that provide these components first, or add the components to the package.',
    });
  }
  const byIdentity = new Map(
    deps.assumed.length ? planned.map((p) => [identity(p.type, p.key), p]) : [],
  );
  for (const a of deps.assumed) {
    const p = byIdentity.get(identity(a.requiredBy.type, a.requiredBy.key));
    p?.warnings.push(
      `${a.via} ${a.key}: not in the System catalog; assumed to be a platform ${a.type === 'entity' ? 'table' : 'column'}.`,
    );
  }
  for (const p of planned) warnings.push(...p.warnings.map((x) => `${p.type} ${p.key}: ${x}`));

  const count = (a: string): number => planned.filter((p) => p.action === a).length;
  return {
    planVersion: 1,
    environment: env,
    environmentRevision: snapshot.environment.revision,
    packageHash: pkg.hash,
    createdOn: new Date().toISOString(),
    solution: {
      uniqueName,
      friendlyName,
      description: displayName(m.descriptions, '', m.languageCode),
      version: m.version.text,
      managed: m.managed,
      publisher: m.publisher.uniqueName,
      parentUniqueName: m.parentUniqueName ?? null,
      rootComponents: m.rootComponents,
      installOrder,
      ordinal,
      isHolding,
    },
    kind,
    installed: installed
      ? {
          uniqueName: installed.uniqueName,
          version: installed.version,
          managed: installed.managed,
          patches: patchesOf(installed.uniqueName),
          holding: holding?.uniqueName ?? null,
        }
      : null,
    publisher: {
      action: !existingPublisher ? 'create' : prefixChange ? 'update' : 'existing',
      definition: m.publisher,
    },
    options,
    components: planned,
    deletes,
    rolledUp,
    customizations,
    missing: deps.missing,
    warnings,
    blocked,
    summary: {
      add: count('add'),
      update: count('update'),
      skip: count('skip'),
      delete: deletes.length,
      drafts: planned.filter((p) => p.draft).length,
      warnings: warnings.length,
      missing: deps.missing.length,
      customizationsKept: customizations.filter((c) => c.effect === 'kept').length,
      customizationsOverwritten: customizations.filter((c) => c.effect === 'overwritten').length,
    },
  };
}

const NO_LAYERS: LayerInfo[] = [];

/** Steps and workflows: enabled only with --activate-plugins (PublishWorkflows), otherwise they land deactivated. */
const STEP_TYPES = new Set(['sdkmessageprocessingstep', 'workflow']);

/**
 * The layers of `solutions` whose components are not in `keep`; a component whose other layers
 * are only Active (or none) goes with them, unless the System catalog provides it.
 */
export function plannedDeletes(
  snapshot: EnvironmentSnapshot,
  index: ComponentIndex,
  solutions: string[],
  keep: Set<string>,
): PlannedDelete[] {
  const going = new Set(solutions);
  const out: PlannedDelete[] = [];
  for (const [id, layers] of snapshot.layers) {
    if (keep.has(id)) continue;
    const mine = layers.filter((l) => going.has(l.solution));
    if (!mine.length) continue;
    const [type, key] = splitIdentity(id);
    const others = layers.filter((l) => !going.has(l.solution) && l.kind !== 'active');
    const componentGoes = others.length === 0 && !index.inCatalog(type, key);
    for (const l of mine)
      out.push({ type, key, name: l.name ?? key, solution: l.solution, componentGoes });
  }
  return out.sort((a, b) =>
    a.type + a.key < b.type + b.key ? -1 : a.type + a.key > b.type + b.key ? 1 : 0,
  );
}

/** Deleting components other solutions (or the Active layer) still need is refused, listing every dependent. */
export function dependentsBlocking(
  snapshot: EnvironmentSnapshot,
  deletes: PlannedDelete[],
  leaving: string[],
  operation: string,
): PlanIssue[] {
  const goes = new Set(deletes.filter((d) => d.componentGoes).map((d) => identity(d.type, d.key)));
  if (goes.size === 0) return [];
  const going = new Set(leaving);
  const dependents: string[] = [];
  for (const [id, layers] of snapshot.layers) {
    if (goes.has(id)) continue;
    for (const l of layers) {
      if (going.has(l.solution)) continue;
      for (const r of l.requires) {
        if (!goes.has(r)) continue;
        const [type, key] = splitIdentity(id);
        const [rt, rk] = splitIdentity(r);
        dependents.push(
          `${componentType(type).label} ${key} (${l.solution}) needs ${componentType(rt).label} ${rk}`,
        );
      }
    }
  }
  if (dependents.length === 0) return [];
  return [
    {
      code: 'DEPENDENTS_EXIST',
      message: `Cannot ${operation}: ${dependents.length} component(s) of other solutions depend on components it would delete: ${dependents.slice(0, 25).join('; ')}${dependents.length > 25 ? `; and ${dependents.length - 25} more` : ''}.`,
      hint: 'Remove or change the dependent components first (or uninstall the solutions that hold them), then try again.',
    },
  ];
}

function splitIdentity(id: string): [string, string] {
  const i = id.indexOf('\u0000');
  return [id.slice(0, i), id.slice(i + 1)];
}

/** A standard table or column (no publisher) that the package defines and the environment lacks. */
function isPlatformDefinition(
  c: { type: string; key: string; xml: string },
  index: ComponentIndex,
): boolean {
  if (!index.hasStandardBase) return false;
  if (c.type === 'entity') return !index.looksCustomTable(c.key) && !catalogHas('entity', c.key);
  if (c.type === 'attribute') {
    const dot = c.key.indexOf('.');
    return (
      !index.looksCustomTable(dot < 0 ? c.key : c.key.slice(0, dot)) &&
      c.xml.includes('<IsCustomField>0</IsCustomField>')
    );
  }
  return false;
}

const described = new Map<string, string[]>();
const ACTIONS = ['add', 'update', 'skip'];
const LAYERS = ['managed', 'active', 'none'];

/**
 * The plan's reason for a component; the same few sentences over and over, so they are built
 * once (per name of the solution replaced), found by a number rather than a string built per component.
 */
function describe(
  action: string,
  layer: string,
  managed: boolean,
  publishable: boolean,
  systemLayer: boolean,
  replacing?: string,
): string {
  let table = described.get(replacing ?? '');
  if (table === undefined) described.set(replacing ?? '', (table = []));
  const k =
    ((ACTIONS.indexOf(action) * 3 + LAYERS.indexOf(layer)) * 2 + (managed ? 1 : 0)) * 4 +
    (publishable ? 2 : 0) +
    (systemLayer ? 1 : 0);
  return (table[k] ??= describeOnce(action, layer, managed, publishable, systemLayer, replacing));
}

function describeOnce(
  action: string,
  layer: string,
  managed: boolean,
  publishable: boolean,
  systemLayer: boolean,
  replacing?: string,
): string {
  if (replacing && managed)
    return action === 'update'
      ? `changed: replaces ${replacing}'s layer, in place, published`
      : `added to ${replacing}: gets a managed layer, published`;
  const base = action === 'add' ? 'new component' : 'existing component';
  const where =
    layer === 'managed' || !managed
      ? layer === 'managed'
        ? 'gets a managed layer, published'
        : publishable
          ? 'written to the Active layer as a draft until published'
          : 'written to the Active layer, live at once'
      : '';
  return `${base}${systemLayer ? ', System layer taken from the package' : ''}: ${where}`;
}
