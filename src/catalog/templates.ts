import { identity } from '../model/component.js';
import { Version } from '../model/version.js';
import { CATALOG_ID } from './catalog.js';
import { FIRST_PARTY_SOLUTIONS } from './first-party/solutions.js';
import { TEMPLATE_DEFINITIONS } from './first-party/templates.js';

/**
 * Environment templates: what a new environment holds before any customer solution. `bare` is
 * the System layer alone (catalog.ts); `dataverse` adds the first-party solutions every new
 * Dataverse environment has; `dynamics365` adds the Sales / Customer Service core; the app
 * templates (Field Service, Project Operations, Omnichannel) add their apps on top.
 *
 * Like the System layer, a template's solutions are virtual (docs/decisions.md: "The System layer
 * is virtual", "Environment templates"): an environment names its template in
 * `environments.base` and the engine asks this module what the template provides. Creating an
 * environment stays O(1) whatever the template holds.
 */

/** A component a first-party solution provides, as strata identifies it. */
export interface FirstPartyComponent {
  /** strata's type name (model/component-types.ts), or a record type name ("SettingDefinition") */
  type: string;
  /** strata's key for it (lower-case schema name, `table.column`, `{guid}`, ...) */
  key: string;
  /** the name people read, where a source gives it */
  name?: string;
  /** the table a view, form or chart belongs to, where a source gives it */
  parent?: string;
  /** where this fact comes from: a fixture path, or a public reference page */
  sources: string[];
}

/** A Microsoft solution a template installs, with what is known of its contents. */
export interface FirstPartySolution {
  uniqueName: string;
  friendlyName: string;
  /** the version the template installs (the highest any source requires) */
  version: string;
  components: FirstPartyComponent[];
  /** where the solution, its version and its components were read */
  sources: string[];
}

/** The publisher of every first-party solution. */
export const MICROSOFT_PUBLISHER = {
  uniqueName: 'MicrosoftCorporation',
  friendlyName: 'Microsoft Corporation',
  customizationPrefix: 'msdyn',
} as const;

export interface TemplateDefinition {
  /** the name given to --template and stored in environments.base */
  id: string;
  /** one line for `strata env templates` */
  title: string;
  description: string;
  /** the template this one adds to */
  parent?: string;
  /** unique names of the first-party solutions this template adds, in install order */
  solutions: string[];
}

export interface EnvironmentTemplate extends TemplateDefinition {
  /** every solution the template installs, its parents' first, in install order */
  installs: FirstPartySolution[];
}

/** The template of a new environment when none is named. */
export const DEFAULT_TEMPLATE = 'dataverse';

/** `environments.base` values that mean "no template": no System layer at all. */
export const EMPTY_BASE = 'empty';

/**
 * The template an environment's base names. Environments made before templates existed hold the
 * System catalog's id: they are `bare`.
 */
export function templateIdOfBase(base: string): string | null {
  if (base === EMPTY_BASE) return null;
  if (base === CATALOG_ID) return 'bare';
  return base;
}

let memo:
  | {
      byId: Map<string, EnvironmentTemplate>;
      /** per template id: identity → the solution that provides it */
      provides: Map<
        string,
        Map<string, { solution: FirstPartySolution; component: FirstPartyComponent }>
      >;
    }
  | undefined;

/** The inventory in use: the generated one, plus what a test added (addTestTemplates). */
let inventory = { solutions: FIRST_PARTY_SOLUTIONS, templates: TEMPLATE_DEFINITIONS };

function build(): NonNullable<typeof memo> {
  const solutions = new Map(inventory.solutions.map((s) => [s.uniqueName.toLowerCase(), s]));
  const defs = new Map(inventory.templates.map((t) => [t.id, t]));
  const byId = new Map<string, EnvironmentTemplate>();
  const resolve = (id: string, seen: string[] = []): EnvironmentTemplate => {
    const known = byId.get(id);
    if (known) return known;
    const def = defs.get(id);
    if (!def) throw new Error(`template ${id} is not defined`);
    if (seen.includes(id)) throw new Error(`template ${id} is its own parent`);
    const parent = def.parent ? resolve(def.parent, [...seen, id]).installs : [];
    const own = def.solutions.map((name) => {
      const s = solutions.get(name.toLowerCase());
      if (!s) throw new Error(`template ${id} installs ${name}, which has no inventory`);
      return s;
    });
    const t = { ...def, installs: [...parent, ...own] };
    byId.set(id, t);
    return t;
  };
  for (const id of defs.keys()) resolve(id);
  const provides = new Map<
    string,
    Map<string, { solution: FirstPartySolution; component: FirstPartyComponent }>
  >();
  for (const t of byId.values()) {
    const m = new Map<string, { solution: FirstPartySolution; component: FirstPartyComponent }>();
    for (const s of t.installs)
      for (const c of s.components) m.set(identity(c.type, c.key), { solution: s, component: c });
    provides.set(t.id, m);
  }
  return { byId, provides };
}

/** Every template, in the order `strata env templates` lists them. */
export function environmentTemplates(): EnvironmentTemplate[] {
  memo ??= build();
  return inventory.templates.map((d) => memo!.byId.get(d.id)!);
}

export function environmentTemplate(id: string): EnvironmentTemplate | undefined {
  memo ??= build();
  return memo.byId.get(id.toLowerCase());
}

/** The first-party solutions an environment's base installs (none for bare or empty). */
export function firstPartySolutionsOf(base: string): FirstPartySolution[] {
  const id = templateIdOfBase(base);
  return id ? (environmentTemplate(id)?.installs ?? []) : [];
}

/** The first-party solution of this unique name (any case) that the base installs. */
export function firstPartySolution(
  base: string,
  uniqueName: string,
): FirstPartySolution | undefined {
  const lower = uniqueName.toLowerCase();
  return firstPartySolutionsOf(base).find((s) => s.uniqueName.toLowerCase() === lower);
}

/** Which first-party solution of the base provides a component (by identity), if any. */
export function firstPartyProvider(
  base: string,
  id: string,
): { solution: FirstPartySolution; component: FirstPartyComponent } | undefined {
  const t = templateIdOfBase(base);
  if (!t) return undefined;
  memo ??= build();
  return memo.provides.get(t)?.get(id);
}

/** Whether the base's version of a first-party solution satisfies a required version. */
export function satisfies(installed: FirstPartySolution, required: string | undefined): boolean {
  return !required || Version.parse(installed.version).compare(Version.parse(required)) >= 0;
}

/**
 * Tests only: adds templates and first-party solutions to the inventory (a template may name the
 * generated ones as parent and solutions), so that a test does not depend on the generated
 * inventory's contents. Returns the function that takes them away again.
 */
export function addTestTemplates(
  solutions: FirstPartySolution[],
  templates: TemplateDefinition[],
): () => void {
  const before = inventory;
  inventory = {
    solutions: [...before.solutions, ...solutions],
    templates: [...before.templates, ...templates],
  };
  memo = undefined;
  return () => {
    inventory = before;
    memo = undefined;
  };
}
