import { StrataError } from '../model/errors.js';

/**
 * The one place where error codes become HTTP statuses. Everything else throws StrataError
 * (with its stable code, component and hint) and the server renders it as
 * `{ "error": { code, message, hint, component, details } }` with this status.
 */
export function httpStatusFor(e: unknown): number {
  if (!(e instanceof StrataError)) return 500;
  const code = e.code;
  if (code === 'UNAUTHORIZED') return 401;
  if (code === 'PACKAGE_TOO_LARGE' || code === 'PAYLOAD_TOO_LARGE') return 413;
  if (code === 'USAGE' || code === 'BAD_REQUEST' || code === 'PLAN_INVALID') return 400;
  if (code === 'UNSUPPORTED_MEDIA_TYPE') return 415;
  if (code.endsWith('_NOT_FOUND')) return 404;
  if (
    e.name === 'PackageError' ||
    code.startsWith('PACKAGE_') ||
    code.startsWith('XML_') ||
    code.startsWith('CAB_') ||
    code === 'MANIFEST_INVALID' ||
    code === 'VERSION_INVALID' ||
    code === 'CUSTOMIZATIONS_INVALID'
  )
    return 422;
  if (code === 'STORE_UNAVAILABLE' || code === 'STORE_IN_USE') return 503;
  // refused by the lifecycle rules: missing dependencies, versions, holding solutions, dependents,
  // managed properties, a plan made against an older revision, ...
  return 409;
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
        hint: 'Packages are limited to the package size limit (200 MB by default; STRATA_MAX_PACKAGE_MB on the server raises it).',
      },
    );
  }
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || err.statusCode === 415) {
    return new StrataError('UNSUPPORTED_MEDIA_TYPE', err.message ?? 'Unsupported content type.', {
      hint: 'Send packages as application/zip (or application/octet-stream) and everything else as application/json.',
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
