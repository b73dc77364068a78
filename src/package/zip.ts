import { unzipSync, type UnzipFileInfo } from 'fflate';
import { PackageError } from '../model/errors.js';
import { checkEntryName, tooLarge, tooManyEntries, type PackageLimits } from './limits.js';

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5) && (bytes[3] === 4 || bytes[3] === 6);
}

/**
 * Reads a zip into a map of entry name → bytes. Declared sizes are checked against the limits
 * before anything is inflated, so a zip bomb is refused without being expanded.
 */
export function readZip(bytes: Uint8Array, limits: PackageLimits, label: string): Map<string, Uint8Array> {
  let declaredTotal = 0;
  let entries = 0;
  let limitError: PackageError | undefined;
  const filter = (f: UnzipFileInfo): boolean => {
    if (limitError) return false;
    if (f.name.endsWith('/')) return false;
    checkEntryName(f.name, label);
    entries++;
    declaredTotal += f.originalSize;
    if (entries > limits.maxEntries) limitError = tooManyEntries(label, entries, limits);
    else if (declaredTotal > limits.maxTotalBytes) limitError = tooLarge(label, declaredTotal, limits);
    return !limitError;
  };
  let raw: Record<string, Uint8Array>;
  try {
    raw = unzipSync(bytes, { filter });
  } catch (e) {
    if (e instanceof PackageError) throw e;
    if (limitError) throw limitError;
    throw new PackageError('PACKAGE_CORRUPT', `${label} is not a readable zip file (${(e as Error).message}).`, {
      hint: 'The file may be truncated or damaged: download or export it again.',
      cause: e,
    });
  }
  if (limitError) throw limitError;
  const out = new Map<string, Uint8Array>();
  let actual = 0;
  for (const [name, data] of Object.entries(raw)) {
    actual += data.length;
    out.set(checkEntryName(name, label), data);
  }
  if (actual > limits.maxTotalBytes) throw tooLarge(label, actual, limits);
  return out;
}
