import { identity } from '../model/component.js';
import type { ComponentRef } from '../model/errors.js';
import { findEnvironment } from '../store/environments.js';
import { loadSnapshot } from '../store/snapshot.js';
import { solutionNameIgnoringCase, solutionRequirements } from '../store/solutions.js';
import type { Queryable } from '../store/store.js';
import { referenceOutcome } from './dependencies.js';
import { ComponentIndex } from './existence.js';

/**
 * The missing dependencies of an installed solution (Dataverse's RetrieveMissingDependencies):
 * what its components require outside it, as its imports recorded it, that the environment
 * lacks now — for example after another solution that provided a table was uninstalled.
 */
export interface MissingDependency {
  /** the component that is not there */
  required: ComponentRef;
  /** the solution's component that needs it (the first one found, when several do) */
  dependent: ComponentRef;
}

export interface SolutionDependencies {
  /** the solution's unique name as the environment spells it */
  solution: string;
  missing: MissingDependency[];
}

/**
 * Finds what an installed solution (named in any case) requires that the environment lacks.
 * Undefined when the environment has no solution of that name. The rules are those of the
 * import's dependency check: a component is there when the environment (or, with the standard
 * base, the catalog) has it, and platform tables and columns the catalog lacks are assumed there.
 */
export async function missingDependenciesOf(
  db: Queryable,
  environment: string,
  solutionName: string,
): Promise<SolutionDependencies | undefined> {
  const env = await findEnvironment(db, environment);
  const solution = await solutionNameIgnoringCase(db, env.id, solutionName);
  if (solution === null) return undefined;
  const needs = requiredOnce(await solutionRequirements(db, env.id, solution));
  const index = new ComponentIndex(await loadSnapshot(db, environment), null);
  const missing = needs.filter(
    (n) => referenceOutcome(index, n.required.type, n.required.key) === 'missing',
  );
  return { solution, missing };
}

/** Each required component once, with the first of the solution's components that needs it. */
function requiredOnce(
  recorded: Array<{ component: ComponentRef; requires: ComponentRef[] }>,
): MissingDependency[] {
  const needs = new Map<string, MissingDependency>();
  for (const r of recorded)
    for (const req of r.requires) {
      const id = identity(req.type, req.key);
      if (!needs.has(id)) needs.set(id, { required: req, dependent: r.component });
    }
  return [...needs.values()];
}
