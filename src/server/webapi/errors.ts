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
  // Dataverse's "principal user is missing a privilege" (PrivilegeDenied)
  forbidden: '0x80040220',
  'bad-package': '0x80048060',
  'too-large': '0x80048060',
  'not-found': '0x80040217',
  unavailable: '0x80040265',
  refused: '0x80040265',
  conflict: '0x80040265',
  changed: '0x80040265',
  failed: '0x80040265',
  precondition: '0x80060882',
  internal: '0x80040216',
};

/** Failures Dataverse gives a code of their own. */
const DATAVERSE_BY_CODE: Partial<Record<ErrorCode, string>> = {
  MISSING_DEPENDENCIES: '0x80048042',
  ODATA_QUERY_INVALID: '0x80060888',
  ODATA_PROPERTY_NOT_FOUND: '0x80060888',
  // "Resource not found for the segment", as Microsoft's troubleshooting page gives it
  ODATA_SEGMENT_NOT_FOUND: '0x8006088a',
  RECORD_TABLE_NOT_FOUND: '0x8006088a',
  // Invalid property 'x' was found in entity 'Microsoft.Dynamics.CRM.account'
  RECORD_COLUMN_UNKNOWN: '0x80060888',
  // Error identified in Payload provided by the user (a value OData cannot convert, bad JSON)
  RECORD_VALUE_INVALID: '0x80048d19',
  RECORD_BODY_INVALID: '0x80048d19',
  // StringLengthTooLong (ValidationFailed)
  RECORD_VALUE_TOO_LONG: '0x80044331',
  // PicklistValueOutOfRange
  RECORD_CHOICE_INVALID: '0x8004431a',
  // InvalidArgument: a required column without a value
  RECORD_REQUIRED_MISSING: '0x80040203',
  // ObjectDoesNotExist: "account With Id = ... Does Not Exist"
  RECORD_NOT_FOUND: '0x80040217',
  // DuplicateRecord: "Cannot insert duplicate key", and If-None-Match: * on a record that exists
  RECORD_KEY_EXISTS: '0x80040237',
  RECORD_ALREADY_EXISTS: '0x80040237',
  // ConcurrencyVersionMismatch: If-Match with an etag the record no longer has
  RECORD_VERSION_MISMATCH: '0x80060882',
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

/**
 * A body that is not JSON never reaches a route: Fastify's parser refuses it. Dataverse answers
 * that as a payload error (0x80048d19), and so does strata.
 */
function bodyError(e: unknown): StrataError | null {
  if ((e as { code?: unknown } | null)?.code !== 'FST_ERR_CTP_INVALID_JSON_BODY') return null;
  return new StrataError(
    'RECORD_BODY_INVALID',
    'Error identified in Payload provided by the user: the body is not valid JSON.',
    { hint: 'Send a JSON object (Content-Type: application/json).' },
  );
}

export function sendWebApiError(e: unknown, req: FastifyRequest, reply: FastifyReply): void {
  const err = bodyError(e) ?? toStrataError(e);
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
