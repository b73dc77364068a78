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

export function exitCodeFor(e: unknown): number {
  if (!(e instanceof StrataError)) return EXIT.internal;
  if (e.code === 'USAGE') return EXIT.usage;
  if (
    e.name === 'PackageError' ||
    e.code.startsWith('PACKAGE_') ||
    e.code.startsWith('XML_') ||
    e.code.startsWith('CAB_') ||
    e.code === 'MANIFEST_INVALID' ||
    e.code === 'VERSION_INVALID' ||
    e.code === 'CUSTOMIZATIONS_INVALID'
  )
    return EXIT.badPackage;
  if (e.code === 'ENVIRONMENT_CHANGED') return EXIT.changed;
  if (e.code.endsWith('_NOT_FOUND') || e.code === 'STORE_UNAVAILABLE' || e.code === 'STORE_IN_USE')
    return EXIT.notFound;
  return EXIT.refused;
}
