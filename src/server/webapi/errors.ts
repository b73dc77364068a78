import type { FastifyReply, FastifyRequest } from 'fastify';
import { StrataError } from '../../model/errors.js';
import { httpStatusFor, toStrataError } from '../errors.js';

/**
 * Dataverse reports errors as `{ "error": { "code": "0x8004....", "message": "..." } }`. The codes
 * below are Dataverse's for the same kind of failure where there is an obvious one, else the
 * generic 0x80040216 ("unexpected"); strata's own stable code is in `strataCode` (and hint,
 * details when there are any). The HTTP status is strata's (server/errors.ts).
 */
const DATAVERSE_CODES: Array<[(code: string) => boolean, string]> = [
  [(c) => c === 'UNAUTHORIZED', '0x80072560'],
  [(c) => c === 'ODATA_SEGMENT_NOT_FOUND', '0x80060888'],
  [(c) => c === 'ODATA_PROPERTY_NOT_FOUND', '0x80060888'],
  [(c) => c === 'ODATA_QUERY_INVALID', '0x80060888'],
  [(c) => c.endsWith('_NOT_FOUND'), '0x80040217'],
  [(c) => c === 'BAD_REQUEST' || c === 'USAGE', '0x80040203'],
  [(c) => c === 'MISSING_DEPENDENCIES', '0x80048042'],
  [
    (c) =>
      c.startsWith('PACKAGE_') ||
      c.startsWith('XML_') ||
      c.startsWith('CAB_') ||
      c === 'MANIFEST_INVALID' ||
      c === 'CUSTOMIZATIONS_INVALID',
    '0x80048060',
  ],
  [(c) => c === 'INTERNAL', '0x80040216'],
];

export function dataverseCode(code: string): string {
  for (const [match, hex] of DATAVERSE_CODES) if (match(code)) return hex;
  return '0x80040265';
}

export function webApiErrorBody(err: StrataError): { error: Record<string, unknown> } {
  return {
    error: {
      code: dataverseCode(err.code),
      message: err.message,
      strataCode: err.code,
      ...(err.hint ? { hint: err.hint } : {}),
      ...(err.component ? { component: err.component } : {}),
      ...(err.details !== undefined ? { details: err.details } : {}),
    },
  };
}

export function webApiStatus(err: StrataError): number {
  if (err.code.startsWith('ODATA_')) return err.code === 'ODATA_SEGMENT_NOT_FOUND' ? 404 : 400;
  return httpStatusFor(err);
}

export function sendWebApiError(e: unknown, req: FastifyRequest, reply: FastifyReply): void {
  const err = toStrataError(e);
  const status = webApiStatus(err);
  if (status >= 500) req.log.error({ err: e }, 'request failed');
  void reply
    .status(status)
    .header('odata-version', '4.0')
    .header('content-type', 'application/json; odata.metadata=minimal; charset=utf-8')
    .send(webApiErrorBody(err));
}

/** An OData query or path the layer does not understand (400, or 404 for an unknown segment). */
export const odataError = (
  code: 'ODATA_QUERY_INVALID' | 'ODATA_PROPERTY_NOT_FOUND' | 'ODATA_SEGMENT_NOT_FOUND',
  message: string,
  hint?: string,
): StrataError =>
  new StrataError(code, message, {
    hint:
      hint ?? 'docs/webapi.md lists the entity sets, columns and query options strata supports.',
  });
