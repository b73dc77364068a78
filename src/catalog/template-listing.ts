import {
  environmentTemplate,
  environmentTemplates,
  firstPartySolutionsOf,
  MICROSOFT_PUBLISHER,
  templateIdOfBase,
  type EnvironmentTemplate,
} from './templates.js';

/**
 * What the interfaces show of templates: the CLI (`strata env templates`, `strata list --all`),
 * the JSON API (`/templates`, `/solutions?all=true`) and the web UI read the same rows, so that
 * a first-party solution looks the same wherever it is listed.
 */

/** A first-party solution as a row of the solutions list, beside the installed ones. */
export interface FirstPartySolutionRow {
  uniqueName: string;
  friendlyName: string;
  version: string;
  managed: true;
  /** the publisher's unique name, as installed solutions give theirs */
  publisher: string;
  publisherName: string;
  parentUniqueName: null;
  isHolding: false;
  /** 0: below every installed solution (those count from 1) */
  installOrder: 0;
  /** when the environment was made: its template's solutions came with it */
  installedOn: string;
  /** the components strata knows this solution to provide */
  components: number;
  firstParty: true;
  /** the template that installs it */
  template: string;
}

/** The first-party solutions of an environment's base, as rows of its solutions list. */
export function firstPartySolutionRows(base: string, createdOn: string): FirstPartySolutionRow[] {
  const template = templateIdOfBase(base) ?? '';
  return firstPartySolutionsOf(base).map((s) => ({
    uniqueName: s.uniqueName,
    friendlyName: s.friendlyName,
    version: s.version,
    managed: true,
    publisher: MICROSOFT_PUBLISHER.uniqueName,
    publisherName: MICROSOFT_PUBLISHER.friendlyName,
    parentUniqueName: null,
    isHolding: false,
    installOrder: 0,
    installedOn: createdOn,
    components: s.components.length,
    firstParty: true,
    template,
  }));
}

/** One solution a template installs, as `strata env templates` lists it. */
export interface TemplateSolutionSummary {
  uniqueName: string;
  friendlyName: string;
  version: string;
  components: number;
  /** the template that adds it: this one, or a parent */
  from: string;
  inherited: boolean;
}

export interface TemplateSummary {
  id: string;
  title: string;
  description: string;
  parent: string | null;
  /** every solution the template installs, its parents' first */
  solutions: TemplateSolutionSummary[];
  /** how many solutions it installs, its parents' included */
  total: number;
  /** how many of them this template adds itself */
  own: number;
}

function summary(t: EnvironmentTemplate): TemplateSummary {
  const own = new Set(t.solutions.map((n) => n.toLowerCase()));
  // the template that adds each inherited solution: walk up the parents
  const adder = (name: string): string => {
    for (let p = t.parent; p; p = environmentTemplate(p)?.parent) {
      const def = environmentTemplate(p);
      if (def?.solutions.some((n) => n.toLowerCase() === name)) return def.id;
    }
    return t.id;
  };
  const solutions = t.installs.map((s) => {
    const lower = s.uniqueName.toLowerCase();
    const inherited = !own.has(lower);
    return {
      uniqueName: s.uniqueName,
      friendlyName: s.friendlyName,
      version: s.version,
      components: s.components.length,
      from: inherited ? adder(lower) : t.id,
      inherited,
    };
  });
  return {
    id: t.id,
    title: t.title,
    description: t.description,
    parent: t.parent ?? null,
    solutions,
    total: solutions.length,
    own: solutions.filter((s) => !s.inherited).length,
  };
}

/** Every template with the solutions it installs, in the order `strata env templates` lists. */
export function templateSummaries(): TemplateSummary[] {
  return environmentTemplates().map(summary);
}

/** The ids of the templates, for messages that list the valid ones. */
export function templateIds(): string[] {
  return environmentTemplates().map((t) => t.id);
}
