import { createHash } from 'node:crypto';
import { guidKey, isGuid } from '../../package/customizations/fragment.js';

/**
 * Dataverse identifies records by GUID; strata identifies solutions, publishers and components by
 * name. The Web API layer derives stable GUIDs from the names: the SHA-1 of
 * "strata" NUL part NUL part ..., formatted as an RFC 4122 version-5-style GUID. The same
 * environment and name always give the same GUID, so clients can keep ids between requests.
 * Import jobs already have GUIDs (their job ids) and keep them.
 */
export function stableGuid(...parts: Array<string | number>): string {
  const h = createHash('sha1')
    .update(['strata', ...parts.map(String)].join('\u0000'), 'utf8')
    .digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return x.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
}

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
