import { componentType, componentTypeByCode, typeDisplayName } from '../model/component-types.js';
import { identity } from '../model/component.js';
import type { Dependent, MissingComponent } from '../model/errors.js';
import type { DeclaredDependency } from '../model/solution.js';
import type { ParsedComponent } from '../package/customizations/parse.js';
import { guidKey } from '../package/customizations/fragment.js';
import type { ComponentIndex } from './existence.js';

/** A declared type: a Dataverse type code ("1", "60"), or null for a record type name. */
function typeCode(type: string): number | null {
  return type !== '' && [...type].every((ch) => ch >= '0' && ch <= '9') ? Number(type) : null;
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
  /** references assumed to be platform components the catalog does not list */
  assumed: Array<{ type: string; key: string; requiredBy: ParsedComponent; via: string }>;
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
): DependencyResult {
  const missing: MissingComponent[] = [];
  const assumed: DependencyResult['assumed'] = [];
  const inPackage = new Map(components.map((c) => [identity(c.type, c.key), c]));
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
    if (ident && index.exists(ident.type, ident.key)) continue;
    // the source's own unmanaged layer: nothing to look up
    if (!ident && d.required.solution === 'Active') continue;
    const code = typeCode(d.required.type);
    const label = ident ? componentType(ident.type).label : typeDisplayName(d.required.type);
    push({
      type: label,
      typeCode: code,
      key: ident?.key ?? d.required.schemaName ?? d.required.id ?? d.required.key ?? '',
      ...(d.required.displayName ? { name: d.required.displayName } : {}),
      ...(d.required.id ? { id: d.required.id } : {}),
      ...(d.required.solution ? { solution: d.required.solution } : {}),
      ...(d.dependent.schemaName || d.dependent.id
        ? { requiredBy: dependentOf(d.dependent, inPackage) }
        : {}),
    });
  }

  for (const c of components) {
    for (const r of c.requires ?? []) {
      const outcome = referenceOutcome(index, r.type, r.key);
      if (outcome === 'present') continue;
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
  return { missing, assumed };
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
