import type { FastifyRequest } from 'fastify';
import { odataError } from './errors.js';

/** Where the Dataverse Web API is served, and how its answers are typed. */
export const PREFIX = '/api/data/v9.2';
export const JSON_TYPE = 'application/json; odata.metadata=minimal; charset=utf-8';

/** The service root, for @odata.context, @odata.nextLink, OData-EntityId (as the client addressed this server). */
export function serviceRoot(req: FastifyRequest): string {
  return `${req.protocol}://${req.host}${PREFIX}`;
}

/** The request's path under the service root, percent-decoded. */
export function servicePath(req: FastifyRequest): string {
  const raw = req.url.split('?')[0].slice(PREFIX.length + 1);
  try {
    return decodeURIComponent(raw);
  } catch {
    throw odataError('ODATA_SEGMENT_NOT_FOUND', `Resource not found for the segment '${raw}'.`);
  }
}
