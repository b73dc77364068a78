import { unzipSync, type UnzipFileInfo } from 'fflate';
import { PackageError } from '../model/errors.js';
import { checkEntryName, tooLarge, tooManyEntries, type PackageLimits } from './limits.js';

export function isZip(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 &&
    bytes[0] === 0x50 &&
    bytes[1] === 0x4b &&
    (bytes[2] === 3 || bytes[2] === 5) &&
    (bytes[3] === 4 || bytes[3] === 6)
  );
}

/**
 * Reads a zip into a map of entry name → bytes. Declared sizes are checked against the limits
 * before anything is inflated, so a zip bomb is refused without being expanded.
 */
export function readZip(
  bytes: Uint8Array,
  limits: PackageLimits,
  label: string,
): Map<string, Uint8Array> {
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
    else if (declaredTotal > limits.maxTotalBytes)
      limitError = tooLarge(label, declaredTotal, limits);
    return !limitError;
  };
  let raw: Record<string, Uint8Array>;
  try {
    raw = unzipSync(bytes, { filter });
  } catch (e) {
    if (e instanceof PackageError) throw e;
    if (limitError) throw limitError;
    throw new PackageError(
      'PACKAGE_CORRUPT',
      `${label} is not a readable zip file (${(e as Error).message}).`,
      {
        hint: 'The file may be truncated or damaged: download or export it again.',
        cause: e,
      },
    );
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

/**
 * An entry's data as the zip stores it, when that is a raw deflate stream (method 8), found
 * through the central directory. Managed layers point into customizations.xml; keeping the
 * zip's own compressed copy of it spares compressing the same text again on import
 * (store/layer-content.ts). `name` is the entry as readZip named it and `size` the length it
 * read: like readZip, the last entry of that name wins, and one whose declared size differs is
 * not used. Undefined for anything else: stored or encrypted entries, zip64, or a directory this
 * reader does not follow — the caller then compresses the text itself.
 */
export function deflatedEntry(
  bytes: Uint8Array,
  name: string,
  size: number,
): Uint8Array | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return undefined;
  const count = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  const decoder = new TextDecoder();
  let found: Uint8Array | undefined;
  for (let e = 0; e < count; e++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50) return undefined;
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const compressed = view.getUint32(at + 20, true);
    const original = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const skip = nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    const entryName = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    at += 46 + skip;
    if (entryName.replace(/\\/g, '/') !== name) continue;
    found = undefined; // a later entry of the same name replaces an earlier one, as in readZip
    if (
      method !== 8 ||
      (flags & 1) !== 0 ||
      compressed === 0xffffffff ||
      original !== size ||
      local + 30 > bytes.length
    )
      continue;
    if (view.getUint32(local, true) !== 0x04034b50) continue;
    const data = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    if (data + compressed <= bytes.length) found = bytes.subarray(data, data + compressed);
  }
  return found;
}
