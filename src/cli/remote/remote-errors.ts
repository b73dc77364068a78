/**
 * A server's error as a StrataError, so that a command fails with the exit code it has on the
 * local store. strata's server says its own code (`strataCode`, an extension Dataverse clients
 * pass over); any other Dataverse is read by its error code, then by the HTTP status.
 */
import { isErrorCode, type ErrorCode } from '../../model/error-codes.js';
import { StrataError } from '../../model/errors.js';
import type { ServerTarget } from './target.js';

/** What a request asked for, so that a 404 says what is missing. */
export interface Asked {
  what: 'solution' | 'job';
  name: string;
}

/** Dataverse error codes (the `code` of an error body) strata has a code for. */
const BY_DATAVERSE_CODE: Record<string, ErrorCode> = {
  // ObjectDoesNotExist: read by what was asked (a solution, a job)
  '0x80040217': 'ROUTE_NOT_FOUND',
  '0x80072560': 'UNAUTHORIZED',
  '0x80040220': 'REQUEST_FORBIDDEN',
  // InvalidArgument, payload and query errors
  '0x80040203': 'BAD_REQUEST',
  '0x80048d19': 'BAD_REQUEST',
  '0x80060888': 'BAD_REQUEST',
  '0x8006088a': 'ROUTE_NOT_FOUND',
  // an import that failed on missing dependencies; an unreadable solution file
  '0x80048042': 'MISSING_DEPENDENCIES',
  '0x80048060': 'PACKAGE_UNREADABLE',
};

function byStatus(status: number): ErrorCode {
  if (status === 401) return 'UNAUTHORIZED';
  if (status === 403) return 'REQUEST_FORBIDDEN';
  if (status === 404) return 'ROUTE_NOT_FOUND';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 422) return 'PACKAGE_UNREADABLE';
  if (status >= 500) return 'SERVER_ERROR';
  if (status === 409 || status === 412) return 'SERVER_REFUSED';
  return 'BAD_REQUEST';
}

interface ErrorBody {
  code?: string;
  message?: string;
  strataCode?: string;
  hint?: string;
  details?: unknown;
}

/** The StrataError of a Dataverse error code, or of `fallback` when strata has none for it. */
export function codeOfDataverse(code: string | undefined, fallback: ErrorCode): ErrorCode {
  return (code && BY_DATAVERSE_CODE[code.toLowerCase()]) || fallback;
}

export function errorFromResponse(
  status: number,
  text: string,
  target: ServerTarget,
  asked?: Asked,
): StrataError {
  let body: ErrorBody = {};
  try {
    body = (JSON.parse(text) as { error?: ErrorBody }).error ?? {};
  } catch {
    // not JSON: a proxy's page, say; the status tells
  }
  const message = body.message?.trim() || `HTTP ${status}`;
  let code: ErrorCode =
    body.strataCode && isErrorCode(body.strataCode)
      ? body.strataCode
      : codeOfDataverse(body.code, byStatus(status));
  if (status === 401) code = 'UNAUTHORIZED';
  // a record the request named that is not there: the solution or job it asked for
  if ((status === 404 || code === 'ROUTE_NOT_FOUND') && asked)
    code = asked.what === 'solution' ? 'SOLUTION_NOT_FOUND' : 'JOB_NOT_FOUND';
  const details = body.details;
  if (code === 'UNAUTHORIZED')
    return new StrataError(code, `${target.label} refused the token (HTTP ${status}): ${message}`, {
      hint:
        'The token is unknown, revoked or expired. Make a new one (strata token create on the ' +
        'server) and save it: strata auth create --url URL --token TOKEN',
    });
  return new StrataError(code, message, {
    hint: body.hint ?? hintOf(code, asked),
    ...(details !== undefined ? { details } : {}),
  });
}

function hintOf(code: ErrorCode, asked?: Asked): string | undefined {
  if (code === 'SOLUTION_NOT_FOUND') return 'strata list shows the solutions of the server.';
  if (code === 'JOB_NOT_FOUND')
    return `Check the id${asked ? ` ${asked.name}` : ''}: strata history lists the imports.`;
  if (code === 'SERVER_ERROR') return 'The server failed: its logs say why. Try again later.';
  return undefined;
}
