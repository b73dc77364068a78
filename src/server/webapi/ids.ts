import { guidKey, isGuid } from '../../package/customizations/fragment.js';

import { stableGuid } from '../../model/stable-guid.js';

export { stableGuid };

/** A GUID in canonical form (lower case, no braces), or null when the text is not one. */
export function normalizeGuid(text: unknown): string | null {
  return typeof text === 'string' && isGuid(text) ? guidKey(text).slice(1, -1) : null;
}

/** solutionid: environment id + unique name (case-insensitive, like Dataverse's unique names). */
export const solutionId = (envId: number, uniqueName: string): string =>
  stableGuid(envId, 'solution', uniqueName.toLowerCase());
/** publisherid: environment id + unique name. */
export const publisherId = (envId: number, uniqueName: string): string =>
  stableGuid(envId, 'publisher', uniqueName.toLowerCase());
/**
 * objectid of a component: its own GUID when strata's key is one (forms, views, charts, ... keep
 * the id the package gave them), else derived from type + key (no environment: the same component
 * has the same objectid everywhere, as when one package is imported into several environments).
 */
export function componentObjectId(type: string, key: string): string {
  return normalizeGuid(key) ?? stableGuid('component', type, key);
}
/** solutioncomponentid: environment + solution + component. */
export const solutionComponentId = (
  envId: number,
  solution: string,
  type: string,
  key: string,
): string => stableGuid(envId, 'solutioncomponent', solution.toLowerCase(), type, key);
