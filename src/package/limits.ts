import { PackageError } from '../model/errors.js';

/** Bounds on what strata reads from a package (spec §10: 200 MB uncompressed by default). */
export interface PackageLimits {
  maxTotalBytes: number;
  maxEntries: number;
}

export const DEFAULT_LIMITS: PackageLimits = {
  maxTotalBytes: 200 * 1024 * 1024,
  maxEntries: 50_000,
};

export function limitsFromEnv(env: NodeJS.ProcessEnv = process.env): PackageLimits {
  const mb = Number(env.STRATA_MAX_PACKAGE_MB);
  return {
    ...DEFAULT_LIMITS,
    ...(Number.isFinite(mb) && mb > 0 ? { maxTotalBytes: Math.floor(mb * 1024 * 1024) } : {}),
  };
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}

export function tooLarge(label: string, actual: number, limits: PackageLimits): PackageError {
  return new PackageError(
    'PACKAGE_TOO_LARGE',
    `${label} holds ${formatBytes(actual)} uncompressed; ` +
      `the limit is ${formatBytes(limits.maxTotalBytes)}.`,
    {
      hint:
        'Split the solution, or raise the limit with --max-size ' +
        'MB (or STRATA_MAX_PACKAGE_MB) if you trust this package.',
      details: { actualBytes: actual, allowedBytes: limits.maxTotalBytes },
    },
  );
}

export function tooManyEntries(label: string, actual: number, limits: PackageLimits): PackageError {
  return new PackageError(
    'PACKAGE_TOO_MANY_ENTRIES',
    `${label} has ${actual} entries; the limit is ${limits.maxEntries}.`,
    {
      hint:
        'A solution package rarely has more than a few ' +
        'thousand files. Check that this is the right file.',
      details: { actual, allowed: limits.maxEntries },
    },
  );
}

/**
 * Entry names must be relative paths inside the package: no absolute paths, drive letters,
 * or `..` segments (a zip-slip attempt is refused, not sanitized).
 */
export function checkEntryName(raw: string, label: string): string {
  const name = raw.replace(/\\/g, '/');
  const bad =
    name === '' ||
    name.startsWith('/') ||
    /^[A-Za-z]:/.exec(name) !== null ||
    name.split('/').some((s) => s === '..') ||
    name.includes('\u0000');
  if (bad) {
    throw new PackageError(
      'PACKAGE_BAD_ENTRY_NAME',
      `${label} has an entry named "${raw}", which points outside the package.`,
      {
        hint:
          'Solution packages hold only relative paths. This file ' +
          'was not made by a solution export; do not import it.',
        details: { entry: raw },
      },
    );
  }
  return name;
}
