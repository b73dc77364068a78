/**
 * Planning an import. A plan (plans/import-plan.ts) is everything an import would do, as data:
 * what kind of import it is and where the solution's layer goes, each component's action and
 * layer, what an upgrade deletes, what happens to local customizations, and the refusals. It is
 * made purely from the package and a snapshot of the environment, so it doubles as the dry run
 * the user sees (`strata plan`). Only importSolution (engine/import.ts) applies a plan: exactly
 * as planned, in one transaction, never one with refusals, and never one made against an older
 * revision of the environment.
 */
import { dataAtRiskOf, touchedTables } from './records/data-at-risk.js';
import { catalogHas } from '../catalog/catalog.js';
import { templateIdOfBase, type FirstPartySolution } from '../catalog/templates.js';
import {
  componentType,
  typeDisplayName,
  type ComponentTypeInfo,
} from '../model/component-types.js';
import { identity } from '../model/component.js';
import type { MissingComponent } from '../model/errors.js';
import { displayName, sameSolutionName, type SolutionManifest } from '../model/solution.js';
import { Version } from '../model/version.js';
import type { ParsedComponent } from '../package/customizations/parse.js';
import type { SolutionPackage } from '../package/read.js';
import type {
  ComponentAction,
  FirstPartyDependency,
  ImportPlan,
  PlanKind,
  PlanOptions,
  PlannedComponent,
  PlannedCustomization,
  PlannedDelete,
} from '../plans/import-plan.js';
import {
  HOLDING_OFFSET,
  ORDINAL_GROUP,
  baseNameOf,
  holdingNameOf,
  isHoldingName,
} from '../plans/layer-order.js';
import type { Refusal } from '../plans/refusal.js';
import type { EnvironmentSnapshot, LayerInfo, SolutionInfo } from '../plans/snapshot.js';
import { dependentsRefusal, plannedDeletes } from './deletes.js';
import { resolveDependencies, type DependencyResult } from './dependencies.js';
import { ComponentIndex } from './existence.js';
import { diffDefinition, mergeLayers } from './merge/merge.js';
import { changedProperties } from './properties.js';

export const UPDATE_BANNER =
  'This solution package contains an update for a solution that is already installed.';

/**
 * Plans the import of `pkg` into the environment described by `snapshot`. Pure: it reads only
 * its arguments and returns a serializable ImportPlan; nothing is written. Each phase adds its
 * refusals to `blocked` (and its warnings), in the order the phases run.
 */
export function planImport(
  snapshot: EnvironmentSnapshot,
  pkg: SolutionPackage,
  options: PlanOptions = {},
): ImportPlan {
  const p: Planning = {
    snapshot,
    pkg,
    options,
    index: new ComponentIndex(snapshot, pkg),
    blocked: [],
    warnings: [...pkg.warnings],
    refused: false,
  };
  const target = solutionGates(p);
  // a refusal of the solution as a whole means nothing would be imported: it is the plan's only
  // reason, without the complaints of the later phases about components (decisions #39)
  p.refused = p.blocked.length > 0;
  const publisher = publisherAction(p);
  const { components, customizations } = planComponents(p, target);
  const { deletes, rolledUp } = upgradeDeletes(p, target);
  const { missing, firstParty } = dependencies(p, target.kind, components);
  componentWarnings(p, components);
  return {
    planVersion: 1,
    environment: snapshot.environment.name,
    environmentRevision: snapshot.environment.revision,
    packageHash: pkg.hash,
    createdOn: new Date().toISOString(),
    solution: solutionOf(pkg.manifest, target),
    kind: target.kind,
    installed: installedOf(snapshot, target),
    publisher,
    options,
    components,
    deletes,
    rolledUp,
    customizations,
    missing,
    firstParty,
    dataAtRisk: dataAtRiskOf(
      deletes,
      touchedTables(p.refused ? [] : components.filter((c) => c.action !== 'skip')),
    ),
    warnings: p.warnings,
    blocked: p.blocked,
    summary: summarize(components, deletes, customizations, missing, p.warnings),
  };
}

/** What every phase of planImport reads, and the refusals and warnings they add. */
interface Planning {
  snapshot: EnvironmentSnapshot;
  pkg: SolutionPackage;
  options: PlanOptions;
  index: ComponentIndex;
  blocked: Refusal[];
  warnings: string[];
  /** the solution gates refused the solution as a whole: the later phases refuse nothing */
  refused: boolean;
}

/** Where the import goes: decided by the solution gates. */
interface ImportTarget {
  kind: PlanKind;
  /** the name it installs under: the package's, or `<name>_Upgrade` when staged */
  uniqueName: string;
  isHolding: boolean;
  installOrder: number;
  ordinal: number;
  /** a patch's parent, as the installed parent spells it */
  parentUniqueName: string | null;
  /** the installed solution of the same name (in any case), and its staged upgrade */
  installed: SolutionInfo | undefined;
  holding: SolutionInfo | undefined;
  /** the installed solution whose layer the import replaces (upgrade, update) */
  replacing: SolutionInfo | null;
}

// ---------------------------------------------------------------------------------------------
// Solution gates

/**
 * What kind of import this is (new, patch, upgrade, stage, update, skip), the unique name it
 * installs under, where its layer goes (install order and ordinal), and the refusals of the
 * solution as a whole.
 */
function solutionGates(p: Planning): ImportTarget {
  const m = p.pkg.manifest;
  const solutions = p.snapshot.solutions;
  const next = p.snapshot.environment.nextInstallOrder;
  // unique names are compared ignoring case, as Dataverse does; an installed solution keeps the
  // spelling it has, and its staged upgrade is named after that
  const installed = solutions.find(
    (s) => sameSolutionName(s.uniqueName, m.uniqueName) && !s.isHolding,
  );
  const baseName = installed?.uniqueName ?? m.uniqueName;
  const holdingName = holdingNameOf(baseName);
  const target: ImportTarget = {
    kind: m.parentUniqueName ? 'patch' : 'new',
    uniqueName: baseName,
    isHolding: false,
    installOrder: next,
    ordinal: next * ORDINAL_GROUP,
    parentUniqueName: m.parentUniqueName ?? null,
    installed,
    holding: solutions.find((s) => sameSolutionName(s.uniqueName, holdingName) && s.isHolding),
    replacing: null,
  };
  const firstParty = firstPartyTarget(p);
  if (firstParty) p.blocked.push(refuse.firstPartySolution(firstParty, m, p.snapshot.environment));
  else if (target.installed) installedGates(p, target, target.installed);
  else if (p.options.action === 'stage' && !p.options.installWithoutBase) {
    p.blocked.push(
      m.parentUniqueName
        ? refuse.holdingRequiresBase(m)
        : refuse.holdingBaseNotInstalled(m, p.snapshot.environment.name),
    );
  } else if (m.parentUniqueName) patchGates(p, target, m.parentUniqueName);
  if (target.kind === 'upgrade' || target.kind === 'update') target.replacing = target.installed!;
  return target;
}

/**
 * A package of an installed solution: an upgrade (default), a staged upgrade, an update or a
 * skip, in the installed solution's place — unless the modes or versions refuse it.
 */
function installedGates(p: Planning, target: ImportTarget, installed: SolutionInfo): void {
  const m = p.pkg.manifest;
  const cmp = m.version.compare(Version.parse(installed.version));
  const action = p.options.action ?? 'upgrade';
  target.kind = action;
  target.installOrder = installed.installOrder;
  target.ordinal = installed.ordinal;
  if (installed.parentUniqueName) target.parentUniqueName = installed.parentUniqueName;
  if (installed.managed !== m.managed) {
    p.blocked.push(refuse.modeMismatch(installed, m));
  } else if (cmp <= 0 && p.options.skipLowerVersion) {
    target.kind = 'skip';
  } else if (cmp < 0) {
    p.blocked.push(refuse.versionLower(installed, m));
  } else if (target.holding) {
    p.blocked.push(refuse.holdingExists(target.holding, installed));
  } else if (!m.managed) {
    // an unmanaged solution has no layer of its own: a re-import writes its components into the
    // Active layer again
    target.kind = 'update';
    if (action === 'stage') p.blocked.push(refuse.holdingRequiresManaged(m));
    const patches = patchesOf(p.snapshot, installed.uniqueName);
    if (patches.length) p.blocked.push(refuse.solutionHasPatches(m, patches));
  } else if (m.parentUniqueName) {
    target.kind = 'update'; // a new build of an installed patch replaces the patch's layer
    if (action === 'stage') p.blocked.push(refuse.holdingRequiresBase(m));
  } else if (cmp === 0 && action !== 'update') {
    p.blocked.push(refuse.versionNotHigher(installed, m, action));
  } else if (action === 'stage') {
    target.uniqueName = holdingNameOf(installed.uniqueName);
    target.isHolding = true;
    target.ordinal = installed.ordinal + HOLDING_OFFSET;
  }
}

/**
 * The first-party solution of the environment's template that the package would replace: one
 * of the same unique name, or the parent of a patch, or the base of a holding solution. Such a
 * package is an update of Microsoft's solution, which the template installs: refused.
 */
function firstPartyTarget(p: Planning): FirstPartySolution | undefined {
  const m = p.pkg.manifest;
  return (
    p.index.templateSolution(m.uniqueName) ??
    (m.parentUniqueName ? p.index.templateSolution(m.parentUniqueName) : undefined) ??
    (isHoldingName(m.uniqueName) ? p.index.templateSolution(baseNameOf(m.uniqueName)) : undefined)
  );
}

/** A new patch: directly above its parent and the parent's other patches, in the same mode. */
function patchGates(p: Planning, target: ImportTarget, parentName: string): void {
  const m = p.pkg.manifest;
  const parent = p.snapshot.solutions.find(
    (s) => sameSolutionName(s.uniqueName, parentName) && !s.isHolding,
  );
  if (!parent) {
    p.blocked.push(refuse.patchParentMissing(m, parentName, p.snapshot.environment.name));
    return;
  }
  const pv = Version.parse(parent.version);
  const v = m.version;
  if (pv.major !== v.major || pv.minor !== v.minor || !v.isHigherThan(pv))
    p.blocked.push(refuse.patchVersionInvalid(m, parent));
  if (parent.managed !== m.managed) p.blocked.push(refuse.patchModeMismatch(m, parent));
  target.installOrder = parent.installOrder;
  target.ordinal = parent.ordinal + patchesOf(p.snapshot, parent.uniqueName).length + 1;
  target.parentUniqueName = parent.uniqueName;
}

function patchesOf(snapshot: EnvironmentSnapshot, name: string): string[] {
  return snapshot.solutions
    .filter((s) => sameSolutionName(s.parentUniqueName, name))
    .map((s) => s.uniqueName);
}

/** The refusals of an import, with the messages and hints the user sees (inspect shows some). */
export const refuse = {
  modeMismatch: (installed: Pick<SolutionInfo, 'managed'>, m: SolutionManifest): Refusal => ({
    code: 'SOLUTION_MODE_MISMATCH',
    message:
      'The solution is already installed on this system as ' +
      `${installed.managed ? 'a managed' : 'an unmanaged'} solution and the package supplied ` +
      `is attempting to install it in ${m.managed ? 'managed' : 'unmanaged'} mode. ` +
      'Import can only update solutions when the modes match.',
    hint: 'Uninstall the current solution and try again.',
  }),
  versionLower: (installed: SolutionInfo, m: SolutionManifest): Refusal => ({
    code: 'VERSION_LOWER',
    message:
      `${installed.uniqueName} ${installed.version} is installed; the package holds the lower ` +
      `version ${m.version.text}. A solution cannot be downgraded.`,
    hint:
      'Import a version higher than the installed one, or add --skip-lower-version to skip ' +
      'such packages without an error.',
  }),
  holdingExists: (holding: SolutionInfo, installed: SolutionInfo): Refusal => ({
    code: 'HOLDING_EXISTS',
    message:
      `${holding.uniqueName} ${holding.version} is staged for upgrade of ` +
      `${installed.uniqueName}: a holding solution already exists, so ${installed.uniqueName} ` +
      'cannot be imported again until the staged upgrade is finished or abandoned.',
    hint:
      `Finish it with: strata upgrade ${installed.uniqueName}   ` +
      `or drop it with: strata upgrade ${installed.uniqueName} --abandon`,
  }),
  holdingRequiresManaged: (m: SolutionManifest): Refusal => ({
    code: 'HOLDING_REQUIRES_MANAGED',
    message: `Stage for upgrade applies to managed solutions; ${m.uniqueName} is unmanaged.`,
    hint: 'Import it without --import-as-holding: its components are written to the Active layer.',
  }),
  solutionHasPatches: (m: SolutionManifest, patches: string[]): Refusal => ({
    code: 'SOLUTION_HAS_PATCHES',
    message:
      `${m.uniqueName} has patches (${patches.join(', ')}); an unmanaged solution with patches ` +
      'cannot be changed until they are rolled up or deleted.',
    hint:
      `Roll the patches up with strata clone ${m.uniqueName}, or delete them, ` +
      'then import again.',
  }),
  holdingBaseNotInstalled: (m: SolutionManifest, env: string): Refusal => ({
    code: 'HOLDING_BASE_NOT_INSTALLED',
    message:
      `${m.uniqueName} ${m.version.text} cannot be imported as a holding solution: its base ` +
      `solution ${m.uniqueName} is not installed in ${env}. A holding solution ` +
      `(${holdingNameOf(m.uniqueName)}) stages an upgrade of an installed solution.`,
    hint:
      `Import it without --import-as-holding (HoldingSolution) to install ${m.uniqueName}, ` +
      `or install ${m.uniqueName} first and then stage this upgrade.`,
  }),
  holdingRequiresBase: (m: SolutionManifest): Refusal => ({
    code: 'HOLDING_REQUIRES_BASE',
    message: `${m.uniqueName} is a patch; only a base solution can be staged for upgrade.`,
    hint: 'Import the patch without --import-as-holding.',
  }),
  versionNotHigher: (installed: SolutionInfo, m: SolutionManifest, action: string): Refusal => ({
    code: 'VERSION_NOT_HIGHER',
    message:
      `${installed.uniqueName} ${installed.version} is installed and the package holds the same ` +
      `version; an ${action === 'stage' ? 'upgrade (staged)' : 'upgrade'} needs a higher version.`,
    hint:
      'Raise the version in the package, re-apply it with --update, or add ' +
      '--skip-lower-version to skip it.',
  }),
  patchParentMissing: (m: SolutionManifest, parent: string, env: string): Refusal => ({
    code: 'PATCH_PARENT_MISSING',
    message: `${m.uniqueName} is a patch of ${parent}, which is not installed in ${env}.`,
    hint: `Import ${parent} first, then this patch.`,
  }),
  patchVersionInvalid: (m: SolutionManifest, parent: SolutionInfo): Refusal => ({
    code: 'PATCH_VERSION_INVALID',
    message:
      `Solution manifest import: FAILURE: Patch version ${m.version.text} is invalid for ` +
      `parent version ${parent.version}.`,
    hint: "A patch keeps its parent's major.minor and raises build or revision.",
  }),
  patchModeMismatch: (m: SolutionManifest, parent: Pick<SolutionInfo, 'uniqueName'>): Refusal => ({
    code: 'SOLUTION_MODE_MISMATCH',
    message:
      `${m.uniqueName} is ${m.managed ? 'managed' : 'unmanaged'} ` +
      `but its parent ${parent.uniqueName} is not.`,
    hint: "A patch must have its parent's package type.",
  }),
  routingRuleSetActive: (c: ParsedComponent, env: string): Refusal => ({
    code: 'ROUTING_RULE_SET_ACTIVE',
    message:
      `The routing rule set ${c.name} (${c.key}) is active in ${env}; ` +
      'an active routing rule set cannot be edited.',
    hint: 'Deactivate the routing rule set in the environment, then import again.',
    component: { type: c.type, key: c.key, name: c.name },
  }),
  firstPartySolution: (
    fp: FirstPartySolution,
    m: SolutionManifest,
    env: { name: string; base: string },
  ): Refusal => ({
    code: 'FIRST_PARTY_SOLUTION',
    message:
      `${fp.uniqueName} ${fp.version} is a first-party solution (Microsoft) of ${env.name}'s ` +
      `template (${templateIdOfBase(env.base)}); the package ${m.uniqueName} ` +
      `${m.version.text} would ${m.parentUniqueName ? 'patch' : 'update'} it. ` +
      "Microsoft's solutions belong to the template and are not imported over it.",
    hint:
      'Give the package a unique name of its own, or create the environment from a template ' +
      `that does not install ${fp.uniqueName} (strata env templates lists them).`,
  }),
  missingDependencies: (m: SolutionManifest, count: number): Refusal => ({
    code: 'MISSING_DEPENDENCIES',
    message:
      `The following solution cannot be imported: ${m.uniqueName}. ` +
      `Some dependencies are missing (${count}).`,
    hint:
      'Install the solutions that provide these components first, or add the components to ' +
      'the package.',
  }),
};

// ---------------------------------------------------------------------------------------------
// Publisher

/**
 * A publisher is matched by unique name; its record takes the package's properties (a publisher
 * may change its prefix: components it already has keep their names) — docs/decisions.md #16.
 */
function publisherAction(p: Planning): ImportPlan['publisher'] {
  const incoming = p.pkg.manifest.publisher;
  const existing = p.snapshot.publishers.find((x) => x.uniqueName === incoming.uniqueName);
  const was = existing?.customizationPrefix;
  const is = incoming.customizationPrefix;
  const prefixChange = was !== undefined && was.toLowerCase() !== is.toLowerCase();
  if (prefixChange) {
    p.warnings.push(
      `Publisher ${incoming.uniqueName}'s customization prefix changes from "${was}" to ` +
        `"${is}": components it already has keep their names; new ones use "${is}".`,
    );
  }
  return {
    action: !existing ? 'create' : prefixChange ? 'update' : 'existing',
    definition: incoming,
  };
}

// ---------------------------------------------------------------------------------------------
// Components

/** What planComponent reads: made once per plan, since planComponent runs per component. */
interface ComponentPlanning {
  p: Planning;
  kind: PlanKind;
  managed: boolean;
  replacing: SolutionInfo | null;
  /** a managed upgrade or update: the solution whose layer each component replaces */
  replacedLayer: string | null;
  /** the reason of a component the replaced layer already holds as it is */
  unchanged: string;
  customizations: PlannedCustomization[];
}

/**
 * Each component's action (add, update, skip), layer (managed, Active, none), reason, draft,
 * System layer, state and definition, and what happens to the Active-layer customizations of
 * the components a managed package brings.
 */
function planComponents(
  p: Planning,
  target: ImportTarget,
): { components: PlannedComponent[]; customizations: PlannedCustomization[] } {
  const managed = p.pkg.manifest.managed;
  const replacing = target.replacing;
  const ctx: ComponentPlanning = {
    p,
    kind: target.kind,
    managed,
    replacing,
    replacedLayer: replacing && managed ? replacing.uniqueName : null,
    unchanged: replacing
      ? `unchanged: ${replacing.uniqueName} ${replacing.version} has the same definition`
      : '',
    customizations: [],
  };
  const list = p.pkg.components;
  const components: PlannedComponent[] = [];
  for (let i = 0; i < list.length; i++) components.push(planComponent(ctx, list[i], i));
  return { components, customizations: ctx.customizations };
}

// Built without spreads or per-component objects beyond the plan's own: this runs for every
// component of the package (10,000 and more).
function planComponent(ctx: ComponentPlanning, c: ParsedComponent, i: number): PlannedComponent {
  const t0 = performance.now();
  const { p, managed } = ctx;
  const t = componentType(c.type);
  const w: string[] = [];
  const id = identity(c.type, c.key);
  const existing = p.snapshot.layers.get(id) ?? NO_LAYERS;
  const existsBefore = existing.length > 0 || p.index.inBaseIdentity(id);
  const replaced = ctx.replacedLayer;
  const prior = replaced !== null ? existing.find((l) => l.solution === replaced) : undefined;
  let action: ComponentAction =
    replaced !== null ? (prior ? 'update' : 'add') : existsBefore ? 'update' : 'add';
  let layer: PlannedComponent['layer'] = managed ? 'managed' : 'active';
  let reason = skipReason(ctx, c, t, existing, prior);
  if (reason) {
    action = 'skip';
    layer = 'none';
  }
  const systemLayer = !reason && !existsBefore && isPlatformDefinition(c, p.index);
  if (systemLayer) {
    w.push(
      `${t.label} ${c.key} is a standard ${c.type === 'entity' ? 'table' : 'column'} the System ` +
        'catalog does not list: its definition from the package was taken into the System layer.',
    );
  }
  if (
    c.type === 'routingrule' &&
    ctx.kind !== 'skip' &&
    !p.refused &&
    effectiveState(existing) === 'active'
  )
    p.blocked.push(refuse.routingRuleSetActive(c, p.snapshot.environment.name));
  // managed imports under an Active layer: maintain keeps it on top, overwrite copies the new
  // definition into it
  if (managed && layer !== 'none' && existing.some(isActiveLayer))
    planCustomization(ctx, c, t, id, w);
  if (!reason)
    reason = describe(
      action,
      layer,
      managed,
      t.publishable,
      systemLayer,
      ctx.replacing?.uniqueName,
    );
  const state = STEP_TYPES.has(c.type)
    ? p.options.activatePlugins
      ? 'active'
      : 'inactive'
    : c.state;
  // an unmanaged form, site map, ribbon or app over managed layers: the Active layer keeps its
  // changes only
  const below =
    !managed && layer === 'active' && t.merge ? p.snapshot.mergeBelow?.get(id) : undefined;
  const definition = below !== undefined ? diffDefinition(below, c.xml) : undefined;
  if (definition === null) {
    action = 'skip';
    layer = 'none';
    reason = 'unchanged: the managed layers below already define it this way';
  }
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
    // in the literal, even when undefined: added afterwards, it went to an array of its own, 40
    // bytes more for each of the most components (decision 63)
    parent: c.parent,
  };
  if (c.displayType) pc.displayType = c.displayType;
  if (systemLayer) pc.systemLayer = true;
  if (state) pc.state = state;
  if (definition !== undefined && definition !== null) pc.definition = definition;
  pc.ms = performance.now() - t0;
  return pc;
}

const NO_LAYERS: LayerInfo[] = [];
const isActiveLayer = (l: LayerInfo): boolean => l.kind === 'active';

/**
 * The state in effect: the top layer's that declares one (the Active layer's when the
 * environment changed it), not any layer's — a managed layer's state below a customization
 * that deactivated the component is not in effect.
 */
function effectiveState(layers: LayerInfo[]): string | null {
  for (let i = layers.length - 1; i >= 0; i--) if (layers[i].state) return layers[i].state;
  return null;
}

/** Steps and workflows: enabled by --activate-plugins (PublishWorkflows), else deactivated. */
const STEP_TYPES = new Set(['sdkmessageprocessingstep', 'workflow']);

/** Why a component is skipped; '' when it is written. */
function skipReason(
  ctx: ComponentPlanning,
  c: ParsedComponent,
  t: ComponentTypeInfo,
  existing: LayerInfo[],
  prior: LayerInfo | undefined,
): string {
  if (ctx.kind === 'skip') return 'skipped: the package is not newer than the installed version';
  if (c.shell) return 'table included as a container for its forms and views only';
  if (c.unmodified) return 'form exported as unmodified: skipped on import';
  if (prior && prior.hash === c.hash && !ctx.p.options.overwrite) return ctx.unchanged;
  if (!ctx.managed) {
    const active = existing.find(isActiveLayer);
    if (active?.[t.publishable ? 'draftHash' : 'hash'] === c.hash)
      return 'unchanged: the Active layer already holds this definition';
  }
  return '';
}

/**
 * A managed component under an Active layer: the customization is kept on top (maintain),
 * overwritten (--force-overwrite) or, for a merge component, merged on top; with the
 * properties the user would keep seeing or lose, and the local changes that no longer fit.
 */
function planCustomization(
  ctx: ComponentPlanning,
  c: ParsedComponent,
  t: ComponentTypeInfo,
  id: string,
  w: string[],
): void {
  const effect: PlannedCustomization['effect'] = t.merge
    ? 'merged'
    : ctx.p.options.overwrite
      ? 'overwritten'
      : 'kept';
  const active = ctx.p.snapshot.activeXml?.get(id);
  const customization: PlannedCustomization = { type: c.type, key: c.key, name: c.name, effect };
  if (c.displayType) customization.displayType = c.displayType;
  if (active !== undefined && effect !== 'merged') {
    customization.properties = changedProperties(c.xml, active).map((x) => ({
      path: x.path,
      active: x.to,
      incoming: x.from,
    }));
  }
  // a merge component's local changes are applied on top of the incoming definition: say what
  // will not fit
  const conflicts =
    effect === 'merged' && active !== undefined ? mergeLayers([c.xml, active]).conflicts : 0;
  if (conflicts) customization.conflicts = conflicts;
  ctx.customizations.push(customization);
  if (conflicts)
    w.push(
      `${conflicts} local change(s) no longer fit the new definition and go to the Conflicts tab.`,
    );
  if (effect === 'kept')
    w.push(
      'The Active layer (local customizations) stays on top: this update does not show until ' +
        'it is removed or overwritten.',
    );
}

/** What a platform column's definition says of itself (a column no publisher made). */
export const PLATFORM_COLUMN = '<IsCustomField>0</IsCustomField>';

/**
 * A standard table or column (no publisher) that the package defines and the environment
 * lacks.
 */
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
      c.xml.includes(PLATFORM_COLUMN)
    );
  }
  return false;
}

const described = new Map<string, string[]>();
const ACTIONS = ['add', 'update', 'skip'];
const LAYERS = ['managed', 'active', 'none'];

/**
 * The plan's reason for a component; the same few sentences over and over, so they are built
 * once (per name of the solution replaced), found by a number rather than a string built per
 * component.
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

// ---------------------------------------------------------------------------------------------
// Deletes

/**
 * What an upgrade takes away: the layers of the old version and its patches that the new
 * version lacks (the patches are rolled up); refused while other solutions need what would go.
 */
function upgradeDeletes(
  p: Planning,
  target: ImportTarget,
): { deletes: PlannedDelete[]; rolledUp: string[] } {
  const replacing = target.replacing;
  if (target.kind !== 'upgrade' || !replacing || p.refused) return { deletes: [], rolledUp: [] };
  const rolledUp = patchesOf(p.snapshot, replacing.uniqueName);
  const keep = new Set(
    p.pkg.components.filter((c) => !c.shell && !c.unmodified).map((c) => identity(c.type, c.key)),
  );
  const leaving = [replacing.uniqueName, ...rolledUp];
  const deletes = plannedDeletes(p.snapshot, p.index, leaving, keep);
  const operation = `upgrade ${replacing.uniqueName} to ${p.pkg.manifest.version.text}`;
  const refusal = dependentsRefusal(p.snapshot, deletes, leaving, operation);
  if (refusal) p.blocked.push(refusal);
  return { deletes, rolledUp };
}

// ---------------------------------------------------------------------------------------------
// Dependencies

/**
 * What the package needs that neither it nor the environment has (MISSING_DEPENDENCIES), and
 * references assumed to be platform components the catalog does not list (a warning on the
 * component that makes them). A skipped package needs nothing, nor one the solution gates
 * refused: nothing of it would be imported.
 */
function dependencies(
  p: Planning,
  kind: PlanKind,
  components: PlannedComponent[],
): { missing: MissingComponent[]; firstParty: FirstPartyDependency[] } {
  if (kind === 'skip' || p.refused) return { missing: [], firstParty: [] };
  const m = p.pkg.manifest;
  const deps = resolveDependencies(p.pkg.components, m.missingDependencies, p.index, {
    skipProductUpdates: !!p.options.skipProductUpdateDependencies,
  });
  for (const s of deps.productUpdatesSkipped)
    p.warnings.push(
      `${m.uniqueName} requires ${s.solution} ${s.required}; the environment's template has ` +
        `${s.installed}. Imported anyway (skip dependency check on product updates).`,
    );
  if (deps.missing.length) p.blocked.push(refuse.missingDependencies(m, deps.missing.length));
  if (deps.assumed.length) warnAssumed(deps.assumed, components);
  warnAssumedFirstParty(p, deps.firstParty, components);
  return { missing: deps.missing, firstParty: deps.firstParty };
}

/**
 * Components the package says a first-party solution provides, that strata's inventory of it
 * does not list: assumed present in that solution, said on the component that needs each (so the
 * plan and the import log show it), or on the plan when the package names no such component.
 */
function warnAssumedFirstParty(
  p: Planning,
  firstParty: FirstPartyDependency[],
  components: PlannedComponent[],
): void {
  // (the map of every component only when some are assumed: most packages have none)
  if (!firstParty.some((d) => d.assumed.length)) return;
  const byIdentity = new Map(components.map((c) => [identity(c.type, c.key), c]));
  for (const d of firstParty)
    for (const a of d.assumed) {
      const what = `${typeDisplayName(a.type)} ${a.name ?? a.key}`;
      const note =
        `${what}: assumed present in ${d.uniqueName} ${d.version} (the package says ` +
        `${d.uniqueName} provides it; strata's inventory of that solution does not list it).`;
      const by = a.requiredBy && byIdentity.get(identity(a.requiredBy.type, a.requiredBy.key));
      if (by) by.warnings.push(note);
      else p.warnings.push(note);
    }
}

function warnAssumed(assumed: DependencyResult['assumed'], components: PlannedComponent[]): void {
  const byIdentity = new Map(components.map((c) => [identity(c.type, c.key), c]));
  for (const a of assumed) {
    byIdentity
      .get(identity(a.requiredBy.type, a.requiredBy.key))
      ?.warnings.push(
        `${a.via} ${a.key}: not in the System catalog; assumed to be a platform ` +
          `${a.type === 'entity' ? 'table' : 'column'}.`,
      );
  }
}

/** The plan's warnings end with each component's, named by the component. */
function componentWarnings(p: Planning, components: PlannedComponent[]): void {
  for (const c of components) p.warnings.push(...c.warnings.map((x) => `${c.type} ${c.key}: ${x}`));
}

// ---------------------------------------------------------------------------------------------
// Summary

function solutionOf(m: SolutionManifest, target: ImportTarget): ImportPlan['solution'] {
  return {
    uniqueName: target.uniqueName,
    friendlyName: displayName(m.localizedNames, m.uniqueName, m.languageCode),
    description: displayName(m.descriptions, '', m.languageCode),
    version: m.version.text,
    managed: m.managed,
    publisher: m.publisher.uniqueName,
    parentUniqueName: target.parentUniqueName,
    rootComponents: m.rootComponents,
    installOrder: target.installOrder,
    ordinal: target.ordinal,
    isHolding: target.isHolding,
  };
}

function installedOf(snapshot: EnvironmentSnapshot, target: ImportTarget): ImportPlan['installed'] {
  const { installed, holding } = target;
  if (!installed) return null;
  return {
    uniqueName: installed.uniqueName,
    version: installed.version,
    managed: installed.managed,
    patches: patchesOf(snapshot, installed.uniqueName),
    holding: holding?.uniqueName ?? null,
  };
}

function summarize(
  components: PlannedComponent[],
  deletes: PlannedDelete[],
  customizations: PlannedCustomization[],
  missing: MissingComponent[],
  warnings: string[],
): ImportPlan['summary'] {
  let add = 0;
  let update = 0;
  let skip = 0;
  let drafts = 0;
  for (const c of components) {
    if (c.action === 'add') add++;
    else if (c.action === 'update') update++;
    else if (c.action === 'skip') skip++;
    if (c.draft) drafts++;
  }
  const effects = (e: PlannedCustomization['effect']): number =>
    customizations.filter((c) => c.effect === e).length;
  return {
    add,
    update,
    skip,
    delete: deletes.length,
    drafts,
    warnings: warnings.length,
    missing: missing.length,
    customizationsKept: effects('kept'),
    customizationsOverwritten: effects('overwritten'),
  };
}
