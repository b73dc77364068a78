import { catalogHas } from '../catalog/catalog.js';
import { componentType } from '../model/component-types.js';
import { identity } from '../model/component.js';
import { displayName } from '../model/solution.js';
import { Version } from '../model/version.js';
import type { SolutionPackage } from '../package/read.js';
import { resolveDependencies } from './dependencies.js';
import { ComponentIndex } from './existence.js';
import type { ImportPlan, PlanIssue, PlanOptions, PlannedComponent } from './plan-types.js';
import type { EnvironmentSnapshot } from './snapshot.js';

/** Managed layers sit at install order × this, so patches can take the slots right above their parent. */
export const ORDINAL_GROUP = 1_000_000;
export const ACTIVE_ORDINAL = Number.MAX_SAFE_INTEGER;

export const UPDATE_BANNER = 'This solution package contains an update for a solution that is already installed.';

/**
 * Plans the import of `pkg` into the environment described by `snapshot`. Pure: it reads only
 * its arguments and returns a serializable ImportPlan; nothing is written. The plan is the dry
 * run the user sees (`strata plan`) and exactly what `applyPlan` executes.
 */
export function planImport(snapshot: EnvironmentSnapshot, pkg: SolutionPackage, options: PlanOptions = {}): ImportPlan {
  const m = pkg.manifest;
  const blocked: PlanIssue[] = [];
  const warnings: string[] = [...pkg.warnings];
  const index = new ComponentIndex(snapshot, pkg);
  const installed = snapshot.solutions.find((s) => s.uniqueName === m.uniqueName);
  const friendlyName = displayName(m.localizedNames, m.uniqueName, m.languageCode);

  // solution gates
  let kind: ImportPlan['kind'] = m.parentUniqueName ? 'patch' : 'new';
  let installOrder = snapshot.environment.nextInstallOrder;
  let ordinal = installOrder * ORDINAL_GROUP;
  if (installed) {
    kind = 'update';
    blocked.push({
      code: installed.managed === m.managed ? 'SOLUTION_UPDATE_UNSUPPORTED' : 'SOLUTION_MODE_MISMATCH',
      message: installed.managed === m.managed
        ? `${UPDATE_BANNER} ${m.uniqueName} ${installed.version} is installed; this package holds ${m.version.text}. Updating and upgrading installed solutions is not available in this version of strata.`
        : `The solution is already installed on this system as ${installed.managed ? 'a managed' : 'an unmanaged'} solution and the package supplied is attempting to install it in ${m.managed ? 'managed' : 'unmanaged'} mode. Import can only update solutions when the modes match.`,
      hint: installed.managed === m.managed ? `Delete ${m.uniqueName} first (strata env create gives a fresh environment), or wait for update/upgrade support.` : 'Uninstall the current solution and try again.',
    });
  }
  if (m.parentUniqueName && !installed) {
    const parent = snapshot.solutions.find((s) => s.uniqueName === m.parentUniqueName);
    if (!parent) {
      blocked.push({ code: 'PATCH_PARENT_MISSING', message: `${m.uniqueName} is a patch of ${m.parentUniqueName}, which is not installed in ${snapshot.environment.name}.`, hint: `Import ${m.parentUniqueName} first, then this patch.` });
    } else {
      const pv = Version.parse(parent.version);
      if (pv.major !== m.version.major || pv.minor !== m.version.minor || !m.version.isHigherThan(pv)) {
        blocked.push({ code: 'PATCH_VERSION_INVALID', message: `Solution manifest import: FAILURE: Patch version ${m.version.text} is invalid for parent version ${parent.version}.`, hint: 'A patch keeps its parent\'s major.minor and raises build or revision.' });
      }
      if (parent.managed !== m.managed) blocked.push({ code: 'SOLUTION_MODE_MISMATCH', message: `${m.uniqueName} is ${m.managed ? 'managed' : 'unmanaged'} but its parent ${parent.uniqueName} is not.`, hint: 'A patch must have its parent\'s package type.' });
      const patches = snapshot.solutions.filter((s) => s.parentUniqueName === parent.uniqueName);
      installOrder = parent.installOrder;
      ordinal = parent.installOrder * ORDINAL_GROUP + patches.length + 1;
    }
  }

  // publisher
  const existingPublisher = snapshot.publishers.find((p) => p.uniqueName === m.publisher.uniqueName);
  if (existingPublisher && existingPublisher.customizationPrefix.toLowerCase() !== m.publisher.customizationPrefix.toLowerCase()) {
    blocked.push({
      code: 'PUBLISHER_PREFIX_MISMATCH',
      message: `Publisher ${m.publisher.uniqueName} exists in ${snapshot.environment.name} with prefix "${existingPublisher.customizationPrefix}"; the package says "${m.publisher.customizationPrefix}".`,
      hint: 'A publisher\'s prefix cannot change. Export the solution from an environment where the publisher has the same prefix.',
    });
  }

  // components
  const planned: PlannedComponent[] = [];
  pkg.components.forEach((c, i) => {
    const t0 = performance.now();
    const t = componentType(c.type);
    const w: string[] = [];
    const existing = snapshot.layers.get(identity(c.type, c.key)) ?? [];
    const existsBefore = existing.length > 0 || index.inCatalog(c.type, c.key);
    let action: PlannedComponent['action'] = existsBefore ? 'update' : 'add';
    let layer: PlannedComponent['layer'] = m.managed ? 'managed' : 'active';
    let reason = '';
    let systemLayer = false;
    if (c.shell) {
      action = 'skip';
      layer = 'none';
      reason = 'table included as a container for its forms and views only';
    } else if (c.unmodified) {
      action = 'skip';
      layer = 'none';
      reason = 'form exported as unmodified: skipped on import';
    } else if (!m.managed && existing.find((l) => l.kind === 'active')?.[t.publishable ? 'draftHash' : 'hash'] === c.hash) {
      action = 'skip';
      layer = 'none';
      reason = 'unchanged: the Active layer already holds this definition';
    } else if (!existsBefore && isPlatformDefinition(c, index)) {
      systemLayer = true;
      w.push(`${t.label} ${c.key} is a standard ${c.type === 'entity' ? 'table' : 'column'} the System catalog does not list: its definition from the package was taken into the System layer.`);
    }
    if (c.type === 'routingrule' && existing.some((l) => l.state === 'active')) {
      blocked.push({ code: 'ROUTING_RULE_SET_ACTIVE', message: `The routing rule set ${c.name} (${c.key}) is active in ${snapshot.environment.name}; an active routing rule set cannot be edited.`, hint: 'Deactivate the routing rule set in the environment, then import again.', component: { type: c.type, key: c.key, name: c.name } });
    }
    if (!reason) reason = describe(action, layer, m.managed, t.publishable, systemLayer);
    planned.push({
      type: c.type, key: c.key, name: c.name, ...(c.parent ? { parent: c.parent } : {}),
      action, layer, ...(systemLayer ? { systemLayer } : {}),
      draft: layer === 'active' && t.publishable,
      hash: c.hash, index: i, reason, warnings: w,
      ...(c.state ? { state: c.state } : {}),
      ms: performance.now() - t0,
    });
  });

  // dependencies
  const deps = resolveDependencies(pkg.components, m.missingDependencies, index);
  if (deps.missing.length) {
    blocked.push({
      code: 'MISSING_DEPENDENCIES',
      message: `The following solution cannot be imported: ${m.uniqueName}. Some dependencies are missing (${deps.missing.length}).`,
      hint: 'Install the solutions that provide these components first, or add the components to the package.',
    });
  }
  const byIdentity = new Map(planned.map((p) => [identity(p.type, p.key), p]));
  for (const a of deps.assumed) {
    const p = byIdentity.get(identity(a.requiredBy.type, a.requiredBy.key));
    p?.warnings.push(`${a.via} ${a.key}: not in the System catalog; assumed to be a platform ${a.type === 'entity' ? 'table' : 'column'}.`);
  }
  for (const p of planned) warnings.push(...p.warnings.map((x) => `${p.type} ${p.key}: ${x}`));

  const count = (a: string): number => planned.filter((p) => p.action === a).length;
  return {
    planVersion: 1,
    environment: snapshot.environment.name,
    environmentRevision: snapshot.environment.revision,
    packageHash: pkg.hash,
    createdOn: new Date().toISOString(),
    solution: {
      uniqueName: m.uniqueName,
      friendlyName,
      description: displayName(m.descriptions, '', m.languageCode),
      version: m.version.text,
      managed: m.managed,
      publisher: m.publisher.uniqueName,
      parentUniqueName: m.parentUniqueName ?? null,
      rootComponents: m.rootComponents,
      installOrder,
      ordinal,
    },
    kind,
    publisher: { action: existingPublisher ? 'existing' : 'create', definition: m.publisher },
    options,
    components: planned,
    missing: deps.missing,
    warnings,
    blocked,
    summary: {
      add: count('add'), update: count('update'), skip: count('skip'),
      drafts: planned.filter((p) => p.draft).length,
      warnings: warnings.length, missing: deps.missing.length,
    },
  };
}

/** A standard table or column (no publisher) that the package defines and the environment lacks. */
function isPlatformDefinition(c: { type: string; key: string; xml: string }, index: ComponentIndex): boolean {
  if (!index.hasStandardBase) return false;
  if (c.type === 'entity') return !index.looksCustomTable(c.key) && !catalogHas('entity', c.key);
  if (c.type === 'attribute') {
    const [table] = c.key.split('.');
    return !index.looksCustomTable(table) && /<IsCustomField>0<\/IsCustomField>/.test(c.xml);
  }
  return false;
}

function describe(action: string, layer: string, managed: boolean, publishable: boolean, systemLayer: boolean): string {
  const base = action === 'add' ? 'new component' : 'existing component';
  const where = layer === 'managed' || !managed ? (layer === 'managed' ? 'gets a managed layer, published' : publishable ? 'written to the Active layer as a draft until published' : 'written to the Active layer, live at once') : '';
  return `${base}${systemLayer ? ', System layer taken from the package' : ''}: ${where}`;
}
