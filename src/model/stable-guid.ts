import { createHash } from 'node:crypto';

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

/**
 * The user an environment's records are created and owned by: strata has no users, so every
 * environment has one, the one the Web API's WhoAmI answers with.
 */
export function environmentUserId(envId: number): string {
  return stableGuid(envId, 'user');
}

/** The environment's business unit (WhoAmI's BusinessUnitId). */
export function environmentBusinessUnitId(envId: number): string {
  return stableGuid(envId, 'businessunit');
}
