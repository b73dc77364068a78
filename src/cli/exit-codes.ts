import type { ErrorCategory } from '../model/error-codes.js';
import { StrataError } from '../model/errors.js';

/** Exit codes scripts can rely on (docs/cli.md). */
export const EXIT = {
  ok: 0,
  internal: 1,
  usage: 2,
  badPackage: 3,
  refused: 4,
  notFound: 5,
  changed: 6,
} as const;

/** An error's exit code follows from its category (model/error-codes.ts). */
const EXIT_BY_CATEGORY: Record<ErrorCategory, number> = {
  usage: EXIT.usage,
  'bad-request': EXIT.usage,
  'unsupported-media': EXIT.usage,
  'bad-package': EXIT.badPackage,
  'too-large': EXIT.badPackage,
  'not-found': EXIT.notFound,
  unavailable: EXIT.notFound,
  refused: EXIT.refused,
  conflict: EXIT.refused,
  unauthorized: EXIT.refused,
  forbidden: EXIT.refused,
  failed: EXIT.refused,
  changed: EXIT.changed,
  precondition: EXIT.refused,
  internal: EXIT.internal,
};

export function exitCodeFor(e: unknown): number {
  return e instanceof StrataError ? EXIT_BY_CATEGORY[e.category] : EXIT.internal;
}
