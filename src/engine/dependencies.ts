import {
  firstPartySolutionsOf,
  MICROSOFT_PUBLISHER,
  satisfies,
  type FirstPartySolution,
} from '../catalog/templates.js';
import { componentType, componentTypeByCode, typeDisplayName } from '../model/component-types.js';
import { identity } from '../model/component.js';
import type { Dependent, MissingComponent } from '../model/errors.js';
import type { DeclaredDependency } from '../model/solution.js';
import { Version } from '../model/version.js';
import type { ParsedComponent } from '../package/customizations/parse.js';
import { guidKey } from '../package/customizations/fragment.js';
import type { FirstPartyDependency } from '../plans/import-plan.js';
import type { ComponentIndex } from './existence.js';

/** A declared type: a Dataverse type code ("1", "60"), or null for a record type name. */
function typeCode(type: string): number | null {
  return type !== '' && [...type].every((ch) => ch >= '0' && ch <= '9') ? Number(type) : null;
}

/**
 * How a declared dependency on a record type strata has no component type for (a
 * `SettingDefinition`, a `MaskingRule`) is identified: its declared type, keyed by its name.
 * The first-party inventories (scripts/first-party-inventory.ts) key such components the same way.
 */
export function recordTypeIdentity(
  req: DeclaredDependency['required'],
): { type: string; key: string } | undefined {
  const key = req.displayName?.trim() || req.schemaName || req.id || '';
  return key ? { type: req.type, key } : undefined;
}

/** The type and key strata uses for a dependency declared in solution.xml, when it can tell. */
export function declaredIdentity(
  req: DeclaredDependency['required'],
): { type: string; key: string } | undefined {
  const code = typeCode(req.type);
  const t = code !== null ? componentTypeByCode(code) : undefined;
  if (!t) return undefined;
  const schema = req.schemaName?.toLowerCase();
  const id = req.id ? guidKey(req.id) : undefined;
  switch (t.name) {
    case 'entity':
    case 'optionset':
    case 'webresource':
    case 'sitemap':
    case 'appmodule':
    case 'relationship':
    case 'canvasapp':
    case 'environmentvariabledefinition':
      return schema ? { type: t.name, key: schema } : undefined;
    case 'attribute':
      return schema && req.parentSchemaName
        ? { type: 'attribute', key: `${req.parentSchemaName.toLowerCase()}.${schema}` }
        : undefined;
    case 'pluginassembly':
      return schema ? { type: t.name, key: schema.split(',')[0].trim() } : undefined;
    case 'plugintype':
      return schema ? { type: t.name, key: schema.split(',')[0].trim() } : undefined;
    default:
      return id ? { type: t.name, key: id } : schema ? { type: t.name, key: schema } : undefined;
  }
}

/**
 * The component of the package that a declared dependency says needs the missing one, as strata
 * names it (type name and key, so that the import log finds its row) with its name from the
 * package, or from the declaration; a dependent strata cannot identify keeps its declared type
 * (a code) and key.
 */
function dependentOf(
  dependent: DeclaredDependency['dependent'],
  inPackage: Map<string, ParsedComponent>,
): Dependent {
  const ident = declaredIdentity(dependent);
  const own = ident ? inPackage.get(identity(ident.type, ident.key)) : undefined;
  const declaredName = own?.name ?? dependent.displayName;
  return {
    ...(ident ?? { type: dependent.type, key: dependent.schemaName ?? dependent.id ?? '' }),
    ...(declaredName ? { name: declaredName } : {}),
    ...(own?.displayType ? { displayType: own.displayType } : {}),
  };
}

export interface DependencyResult {
  missing: MissingComponent[];
  /**
   * references (and declared dependencies on the Active or System layer) assumed to be platform
   * components the catalog does not list
   */
  assumed: Array<{
    type: string;
    key: string;
    requiredBy: { type: string; key: string; name?: string };
    via: string;
  }>;
  /** the first-party solutions of the environment's template the package depends on */
  firstParty: FirstPartyDependency[];
  /**
   * with skipProductUpdates: the first-party solutions the package wants in a higher version
   * than the template has, imported anyway (Dataverse's SkipProductUpdateDependencies)
   */
  productUpdatesSkipped: Array<{ solution: string; required: string; installed: string }>;
}

/** "FieldService (8.2.0.286)" → the name and the version; "Active" → the name alone. */
export function declaredSolution(text: string | undefined): { name: string; version?: string } {
  const m = /^(.*?)\s*\(([^()]*)\)\s*$/.exec(text ?? '');
  if (!m) return { name: (text ?? '').trim() };
  return { name: m[1], ...(isVersion(m[2]) ? { version: m[2] } : {}) };
}

function isVersion(text: string): boolean {
  try {
    Version.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Resolves what the package needs against the package itself and the environment:
 * the dependencies solution.xml declares, and the references found inside the components
 * (form → columns, view → columns, lookup → table, site map → tables, step → plug-in type, ...).
 */
export function resolveDependencies(
  components: ParsedComponent[],
  declared: DeclaredDependency[],
  index: ComponentIndex,
  { skipProductUpdates = false }: { skipProductUpdates?: boolean } = {},
): DependencyResult {
  const missing: MissingComponent[] = [];
  const productUpdatesSkipped: DependencyResult['productUpdatesSkipped'] = [];
  const assumed: DependencyResult['assumed'] = [];
  const firstParty = new FirstPartyDependencies(index);
  // the package's components by identity, for declared dependencies only (most packages of many
  // components declare none): made when the first one asks
  let byIdentity: Map<string, ParsedComponent> | undefined;
  const inPackage = (): Map<string, ParsedComponent> =>
    (byIdentity ??= new Map(components.map((c) => [identity(c.type, c.key), c])));
  const seen = new Map<string, MissingComponent>();
  const push = (m: MissingComponent): void => {
    const k = identity(m.type, m.key);
    const first = seen.get(k);
    if (!first) {
      seen.set(k, m);
      missing.push(m);
      return;
    }
    // one row per missing component; every component that needs it is named on it
    const by = m.requiredBy;
    const known = [first.requiredBy, ...(first.alsoRequiredBy ?? [])];
    if (by && !known.some((r) => r && r.type === by.type && r.key === by.key))
      first.alsoRequiredBy = [...(first.alsoRequiredBy ?? []), by];
  };

  for (const d of declared) {
    const ident = declaredIdentity(d.required);
    const from = declaredSolution(d.required.solution);
    const requiredBy =
      d.dependent.schemaName || d.dependent.id ? dependentOf(d.dependent, inPackage()) : undefined;
    const fp = from.name ? index.templateSolution(from.name) : undefined;
    let low = fp && !satisfies(fp, from.version);
    if (fp && low && skipProductUpdates) {
      // a newer version of a Microsoft solution (a product update) is not required
      const skipped = { solution: fp.uniqueName, required: from.version!, installed: fp.version };
      if (!productUpdatesSkipped.some((x) => x.solution === skipped.solution))
        productUpdatesSkipped.push(skipped);
      low = false;
    }
    if (fp && !low) {
      // the template installs the solution in the version required (or higher): the component
      // is there, listed in its inventory or, when not, assumed present on the package's word
      const listed = ident ?? recordTypeIdentity(d.required);
      if (listed && index.exists(listed.type, listed.key)) firstParty.need(fp, from.version);
      else firstParty.assume(fp, from.version, d.required, ident, requiredBy);
      continue;
    }
    if (!low && ident && index.exists(ident.type, ident.key)) continue;
    // the source's own unmanaged layer: nothing to look up
    if (!ident && from.name === 'Active') continue;
    if (!low && ident && requiredBy && platformLayer(from.name)) {
      // a platform column or table of the source's own layers, or the System layer: the rule
      // of references (a platform column of a table that is there is assumed there)
      if (referenceOutcome(index, ident.type, ident.key) === 'assumed') {
        assumed.push({ ...ident, requiredBy, via: 'declared dependency' });
        continue;
      }
      if (isStandardRole(index, ident, d.required, from.name)) continue;
    }
    if (fp) firstParty.need(fp, from.version);
    const code = typeCode(d.required.type);
    const label = ident ? componentType(ident.type).label : typeDisplayName(d.required.type);
    push({
      type: label,
      typeCode: code,
      key: ident?.key ?? d.required.schemaName ?? d.required.id ?? d.required.key ?? '',
      ...(d.required.displayName ? { name: d.required.displayName } : {}),
      ...(d.required.id ? { id: d.required.id } : {}),
      ...(d.required.solution ? { solution: d.required.solution } : {}),
      ...(requiredBy ? { requiredBy } : {}),
      ...(fp && low
        ? {
            versionTooLow: {
              solution: fp.uniqueName,
              required: from.version!,
              installed: fp.version,
            },
          }
        : {}),
    });
  }

  for (const c of components) {
    // a layer over a component of a first-party solution depends on that solution
    if (firstParty.installs) firstParty.referenced(c.type, c.key);
    for (const r of c.requires ?? []) {
      const outcome = referenceOutcome(index, r.type, r.key);
      if (outcome === 'present') {
        if (firstParty.installs) firstParty.referenced(r.type, r.key);
        continue;
      }
      if (outcome === 'assumed') {
        assumed.push({ type: r.type, key: r.key, requiredBy: c, via: r.via });
        continue;
      }
      const t = componentType(r.type);
      push({
        type: t.label,
        typeCode: t.code,
        key: r.key,
        requiredBy: {
          type: c.type,
          key: c.key,
          name: c.name,
          ...(c.displayType ? { displayType: c.displayType } : {}),
        },
        name: `${r.key} (${r.via})`,
      });
    }
  }
  return { missing, assumed, firstParty: firstParty.list(), productUpdatesSkipped };
}

/** The layers a declared dependency may name that are no solution: the source's own, System. */
const platformLayer = (name: string): boolean => name === 'Active' || name === 'System';

/**
 * A security role the package requires from the System layer by id: standard roles have other
 * ids in every environment, so one of the same display name stands for it (docs/decisions.md:
 * "Standard security roles are matched by name").
 */
function isStandardRole(
  index: ComponentIndex,
  ident: { type: string },
  required: DeclaredDependency['required'],
  solution: string,
): boolean {
  return (
    ident.type === 'role' &&
    solution === 'System' &&
    !!required.displayName &&
    index.standardRoleNamed(required.displayName) !== undefined
  );
}

/** The first-party solutions a package depends on, gathered while its dependencies resolve. */
class FirstPartyDependencies {
  private readonly bySolution = new Map<string, FirstPartyDependency>();
  /** whether the template installs any first-party solution at all */
  readonly installs: boolean;
  private readonly referencedIds = new Set<string>();

  constructor(private readonly index: ComponentIndex) {
    this.installs = firstPartySolutionsOf(index.snapshot.environment.base).length > 0;
  }

  /** the package depends on `s`, in `version` at least (when it says) */
  need(s: FirstPartySolution, version: string | undefined): FirstPartyDependency {
    let d = this.bySolution.get(s.uniqueName);
    if (!d) {
      d = {
        uniqueName: s.uniqueName,
        friendlyName: s.friendlyName,
        publisher: MICROSOFT_PUBLISHER.uniqueName,
        version: s.version,
        required: null,
        satisfied: true,
        assumed: [],
      };
      this.bySolution.set(s.uniqueName, d);
    }
    if (version && (!d.required || Version.parse(version).isHigherThan(Version.parse(d.required))))
      d.required = version;
    d.satisfied = satisfies(s, d.required ?? undefined);
    return d;
  }

  /** a component the package says `s` provides, that its inventory does not list */
  assume(
    s: FirstPartySolution,
    version: string | undefined,
    required: DeclaredDependency['required'],
    ident: { type: string; key: string } | undefined,
    requiredBy: { type: string; key: string; name?: string } | undefined,
  ): void {
    const d = this.need(s, version);
    const type = ident?.type ?? typeDisplayName(required.type);
    const key = ident?.key ?? required.schemaName ?? required.id ?? required.key ?? '';
    if (d.assumed.some((a) => a.type === type && a.key === key)) return;
    d.assumed.push({
      type,
      key,
      ...(required.displayName ? { name: required.displayName } : {}),
      ...(requiredBy ? { requiredBy } : {}),
    });
  }

  /**
   * a component the package refers to or defines a layer of: the first-party solution that has
   * it, if one has
   */
  referenced(type: string, key: string): void {
    const id = identity(type, key);
    if (this.referencedIds.has(id)) return;
    this.referencedIds.add(id);
    const from = this.index.fromTemplate(type, key);
    if (from) this.need(from.solution, undefined);
  }

  list(): FirstPartyDependency[] {
    return [...this.bySolution.values()];
  }
}

/**
 * What a reference to a component comes to: present (in the package, the environment or, with
 * the standard base, the catalog); assumed (a table without a publisher prefix, or a platform
 * column of a table that is there: platform components the catalog does not list); or missing.
 * The import's dependency check and an installed solution's missing dependencies both use it.
 */
export function referenceOutcome(
  index: ComponentIndex,
  type: string,
  key: string,
): 'present' | 'assumed' | 'missing' {
  if (index.exists(type, key)) return 'present';
  if (type === 'entity') return index.looksCustomTable(key) ? 'missing' : 'assumed';
  if (type === 'attribute') {
    // platform columns (statecode, createdon, address1_city, ...) exist on every table that has
    // them; only publisher columns, and columns of custom tables that are absent, are missing
    const [table, column] = key.split('.');
    const tableMissing = index.looksCustomTable(table) && !index.exists('entity', table);
    return tableMissing || index.looksCustomColumn(column ?? '') ? 'missing' : 'assumed';
  }
  return 'missing';
}
