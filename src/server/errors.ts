import type { ErrorCategory } from '../model/error-codes.js';
import { StrataError } from '../model/errors.js';

/**
 * The one place where errors become HTTP statuses: by the category of their code
 * (model/error-codes.ts). Everything else throws StrataError (with its stable code, component and
 * hint) and the server renders it as `{ "error": { code, message, hint, component, details } }`
 * with this status.
 */
const STATUS_BY_CATEGORY: Record<ErrorCategory, number> = {
  usage: 400,
  'bad-request': 400,
  'unsupported-media': 415,
  unauthorized: 401,
  forbidden: 403,
  'bad-package': 422,
  'too-large': 413,
  'not-found': 404,
  unavailable: 503,
  // refused by the lifecycle rules: missing dependencies, versions, holding solutions,
  // dependents, managed properties; a name taken; a plan made against an older revision
  refused: 409,
  conflict: 409,
  changed: 409,
  failed: 409,
  // If-Match / If-None-Match did not hold (Dataverse's optimistic concurrency and upsert guards)
  precondition: 412,
  internal: 500,
};

export function httpStatusFor(e: unknown): number {
  return e instanceof StrataError ? STATUS_BY_CATEGORY[e.category] : 500;
}

/** Errors that are not StrataErrors (framework, validation, body size) in strata's shape. */
export function toStrataError(e: unknown): StrataError {
  if (e instanceof StrataError) return e;
  const err = e as { code?: string; statusCode?: number; message?: string; validation?: unknown };
  if (err.statusCode === 413 || err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new StrataError(
      'PAYLOAD_TOO_LARGE',
      `The request body is larger than this server accepts (${err.message ?? 'body too large'}).`,
      {
        hint:
          'Packages are limited to the package size limit (200 MB by default; ' +
          'STRATA_MAX_PACKAGE_MB on the server raises it).',
      },
    );
  }
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || err.statusCode === 415) {
    return new StrataError('UNSUPPORTED_MEDIA_TYPE', err.message ?? 'Unsupported content type.', {
      hint:
        'Send packages as application/zip (or application/octet-stream) ' +
        'and everything else as application/json.',
    });
  }
  if (
    err.validation ||
    err.code === 'FST_ERR_VALIDATION' ||
    (err.statusCode && err.statusCode >= 400 && err.statusCode < 500)
  ) {
    return new StrataError('BAD_REQUEST', err.message ?? 'Bad request.', {
      hint: 'GET /openapi.json describes every route and its parameters.',
    });
  }
  return new StrataError(
    'INTERNAL',
    'The server failed unexpectedly; nothing was changed by this request.',
    { hint: 'The server log has the details.', cause: e },
  );
}
