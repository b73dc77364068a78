import type { FastifyReply, FastifyRequest } from 'fastify';
import { categoryOf, type ErrorCategory, type ErrorCode } from '../../model/error-codes.js';
import { StrataError } from '../../model/errors.js';
import { httpStatusFor, toStrataError } from '../errors.js';

/**
 * Dataverse reports errors as `{ "error": { "code": "0x8004....", "message": "..." } }`. The code
 * follows from the category of strata's code (model/error-codes.ts), or from the code itself where
 * Dataverse has its own for that failure; strata's own stable code is in `strataCode` (and hint,
 * details when there are any). The HTTP status is strata's (server/errors.ts): OData query errors
 * are bad requests (400) and an unknown segment is not found (404), as Dataverse answers them.
 */
const DATAVERSE_BY_CATEGORY: Record<ErrorCategory, string> = {
  usage: '0x80040203',
  'bad-request': '0x80040203',
  'unsupported-media': '0x80040203',
  unauthorized: '0x80072560',
  'bad-package': '0x80048060',
  'too-large': '0x80048060',
  'not-found': '0x80040217',
  unavailable: '0x80040265',
  refused: '0x80040265',
  conflict: '0x80040265',
  changed: '0x80040265',
  failed: '0x80040265',
  internal: '0x80040216',
};

/** Failures Dataverse gives a code of their own. */
const DATAVERSE_BY_CODE: Partial<Record<ErrorCode, string>> = {
  MISSING_DEPENDENCIES: '0x80048042',
  ODATA_QUERY_INVALID: '0x80060888',
  ODATA_PROPERTY_NOT_FOUND: '0x80060888',
  ODATA_SEGMENT_NOT_FOUND: '0x80060888',
};

export function dataverseCode(code: ErrorCode): string {
  return DATAVERSE_BY_CODE[code] ?? DATAVERSE_BY_CATEGORY[categoryOf(code)];
}

function webApiErrorBody(err: StrataError): { error: Record<string, unknown> } {
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

export function sendWebApiError(e: unknown, req: FastifyRequest, reply: FastifyReply): void {
  const err = toStrataError(e);
  const status = httpStatusFor(err);
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
