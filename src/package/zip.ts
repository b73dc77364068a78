import * as zlib from 'node:zlib';
import { PackageError } from '../model/errors.js';
import { checkEntryName, tooLarge, tooManyEntries, type PackageLimits } from './limits.js';
import { checkUniqueEntries } from './unique-entries.js';

/**
 * A strict zip reader: the central directory is walked by hand, every entry is checked against
 * its local header and its neighbours, and its data is inflated with a bound and its CRC-32
 * verified. Nothing a header says is believed until the bytes agree:
 *
 *   locate the directory (end record, zip64 when it says so) → read its entries (names, sizes,
 *   methods; encrypted entries and the declared total refused before any inflating) → find each
 *   entry's data (local header, inside the file, before the directory; overlapping entries
 *   refused) → refuse duplicate names → inflate each file, at most the size it declares, and
 *   compare size and CRC-32.
 */

export function isZip(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 &&
    bytes[0] === 0x50 &&
    bytes[1] === 0x4b &&
    (bytes[2] === 3 || bytes[2] === 5) &&
    (bytes[3] === 4 || bytes[3] === 6)
  );
}

/** A zip read: its files, and the compressed form of those the zip holds deflated. */
export interface ZipContents {
  files: Map<string, Uint8Array>;
  /**
   * An entry's data as the zip stores it, when that is a raw deflate stream (method 8): the very
   * bytes that were inflated into `files` and checked against the entry's CRC-32. Managed layers
   * point into customizations.xml; keeping the zip's own compressed copy of it spares
   * compressing the same text again on import (store/layer-content.ts).
   */
  deflated(name: string): Uint8Array | undefined;
}

interface Directory {
  count: number;
  offset: number;
  size: number;
}

interface Entry {
  /** the name as stored, and normalized (`/` separators) */
  raw: string;
  name: string;
  nameBytes: Uint8Array;
  directory: boolean;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  /** where the data starts, once the local header is read */
  dataStart: number;
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_END = 0x06054b50;
const SIG_END64 = 0x06064b50;
const SIG_END64_LOCATOR = 0x07064b50;
const FLAG_ENCRYPTED = 0x0001;
const FLAG_STRONG_ENCRYPTION = 0x0040;
const FLAG_UTF8 = 0x0800;
const FLAG_DATA_DESCRIPTOR = 0x0008;
const METHOD_STORED = 0;
const METHOD_DEFLATE = 8;
const METHOD_AES = 99;
const U16_MAX = 0xffff;
const U32_MAX = 0xffffffff;

const DAMAGED_HINT = 'The file may be truncated or damaged: download or export it again.';
const HOSTILE_HINT =
  'A solution export never writes this. Do not import the file; ' +
  'export the solution again, or pack its folder with `strata pack`.';

/**
 * Reads a zip into its files. Declared sizes are checked against the limits before anything is
 * inflated, and no entry inflates past the size it declares, so a zip bomb is refused without
 * being expanded.
 */
export function readZip(bytes: Uint8Array, limits: PackageLimits, label: string): ZipContents {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const directory = findDirectory(view, label);
  if (directory.count > limits.maxEntries) throw tooManyEntries(label, directory.count, limits);
  const entries = readDirectory(view, bytes, directory, limits, label);
  locateData(view, entries, directory, label);
  const fileEntries = entries.filter((e) => !e.directory);
  checkUniqueEntries(
    fileEntries.map((e) => e.name),
    label,
  );
  const files = new Map<string, Uint8Array>();
  const byName = new Map<string, Entry>();
  for (const e of fileEntries) {
    files.set(e.name, inflateEntry(bytes, e, label));
    byName.set(e.name, e);
  }
  return {
    files,
    deflated(name) {
      const e = byName.get(name);
      if (!e || e.method !== METHOD_DEFLATE) return undefined;
      return bytes.subarray(e.dataStart, e.dataStart + e.compressedSize);
    },
  };
}

// ---- the central directory -------------------------------------------------------------------

/** The end of central directory record (and its zip64 form, when the record defers to it). */
function findDirectory(view: DataView, label: string): Directory {
  const length = view.byteLength;
  let end = -1;
  for (let i = length - 22; i >= Math.max(0, length - 22 - U16_MAX); i--) {
    if (view.getUint32(i, true) === SIG_END) {
      end = i;
      break;
    }
  }
  if (end < 0) throw corrupt(label, 'it has no end of central directory record');
  if (view.getUint16(end + 4, true) !== 0 || view.getUint16(end + 6, true) !== 0)
    throw corrupt(label, 'it is one part of a multi-part (spanned) zip');
  let count = view.getUint16(end + 10, true);
  let size = view.getUint32(end + 12, true);
  let offset = view.getUint32(end + 16, true);
  let directoryEnd = end;
  if (count === U16_MAX || size === U32_MAX || offset === U32_MAX) {
    const locator = end - 20;
    if (locator >= 0 && view.getUint32(locator, true) === SIG_END64_LOCATOR) {
      const at = safeNumber(view.getBigUint64(locator + 8, true));
      if (at + 56 > locator || view.getUint32(at, true) !== SIG_END64)
        throw corrupt(label, 'its zip64 end of central directory record is missing');
      count = safeNumber(view.getBigUint64(at + 32, true));
      size = safeNumber(view.getBigUint64(at + 40, true));
      offset = safeNumber(view.getBigUint64(at + 48, true));
      directoryEnd = at;
    }
  }
  if (offset + size > directoryEnd)
    throw corrupt(label, 'its central directory lies outside the file');
  if (count * 46 > size)
    throw corrupt(label, `its central directory is too short for the ${count} entries it declares`);
  return { count, offset, size };
}

function readDirectory(
  view: DataView,
  bytes: Uint8Array,
  directory: Directory,
  limits: PackageLimits,
  label: string,
): Entry[] {
  const entries: Entry[] = [];
  const end = directory.offset + directory.size;
  let declaredTotal = 0;
  let at = directory.offset;
  for (let i = 0; i < directory.count; i++) {
    if (at + 46 > end || view.getUint32(at, true) !== SIG_CENTRAL)
      throw corrupt(label, `central directory entry ${i + 1} is damaged`);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const next = at + 46 + nameLength + extraLength + view.getUint16(at + 32, true);
    if (next > end) throw corrupt(label, `central directory entry ${i + 1} runs past its end`);
    const flags = view.getUint16(at + 8, true);
    const nameBytes = bytes.subarray(at + 46, at + 46 + nameLength);
    const raw = decodeName(nameBytes, flags);
    const directoryEntry = /[/\\]$/.test(raw);
    const entry: Entry = {
      raw,
      name: directoryEntry ? raw.replace(/\\/g, '/') : checkEntryName(raw, label),
      nameBytes,
      directory: directoryEntry,
      flags,
      method: view.getUint16(at + 10, true),
      crc: view.getUint32(at + 16, true),
      compressedSize: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
      localOffset: view.getUint32(at + 42, true),
      dataStart: 0,
    };
    readZip64Extra(view, at + 46 + nameLength, extraLength, entry, label);
    if (!directoryEntry) {
      refuseEncrypted(entry, label);
      declaredTotal += entry.size;
      if (declaredTotal > limits.maxTotalBytes) throw tooLarge(label, declaredTotal, limits);
    }
    entries.push(entry);
    at = next;
  }
  return entries;
}

/** Sizes and offsets too large for 32 bits sit in the zip64 extra field (0x0001), in order. */
function readZip64Extra(
  view: DataView,
  start: number,
  length: number,
  entry: Entry,
  label: string,
): void {
  if (entry.size !== U32_MAX && entry.compressedSize !== U32_MAX && entry.localOffset !== U32_MAX)
    return;
  for (let at = start; at + 4 <= start + length;) {
    const id = view.getUint16(at, true);
    const size = view.getUint16(at + 2, true);
    if (id === 0x0001) {
      let field = at + 4;
      const take = (): number => {
        if (field + 8 > at + 4 + size) throw corrupt(label, `${entry.raw} has a short zip64 field`);
        const value = safeNumber(view.getBigUint64(field, true));
        field += 8;
        return value;
      };
      if (entry.size === U32_MAX) entry.size = take();
      if (entry.compressedSize === U32_MAX) entry.compressedSize = take();
      if (entry.localOffset === U32_MAX) entry.localOffset = take();
      return;
    }
    at += 4 + size;
  }
  throw corrupt(label, `${entry.raw} declares zip64 sizes but has no zip64 field`);
}

/**
 * Names flagged UTF-8 are UTF-8. Unflagged names are, by the format, code page 437; many tools
 * write UTF-8 without the flag, so a name that is valid UTF-8 is read as UTF-8, and any other
 * as Latin-1 (what strata read before it walked zips itself).
 */
function decodeName(bytes: Uint8Array, flags: number): string {
  const ascii = bytes.every((b) => b < 0x80);
  if (ascii || (flags & FLAG_UTF8) !== 0) return UTF8.decode(bytes);
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  }
}
const UTF8 = new TextDecoder();
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

function refuseEncrypted(entry: Entry, label: string): void {
  const encrypted =
    (entry.flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION)) !== 0 || entry.method === METHOD_AES;
  if (!encrypted) return;
  throw new PackageError(
    'PACKAGE_ENCRYPTED',
    `${label} holds ${entry.raw} encrypted; strata reads only unencrypted packages.`,
    {
      hint:
        'Solution exports are never encrypted. Extract the files with the password ' +
        'and zip them again without one, or export the solution again.',
      details: { entry: entry.raw },
    },
  );
}

// ---- where each entry's data is ----------------------------------------------------------------

/**
 * Reads each entry's local header to find its data, then checks that no two entries share
 * bytes: several directory entries over one local entry are how zip bombs multiply their data,
 * and how one file can be shown under two names.
 */
function locateData(view: DataView, entries: Entry[], directory: Directory, label: string): void {
  for (const e of entries) {
    if (e.localOffset + 30 > directory.offset || view.getUint32(e.localOffset, true) !== SIG_LOCAL)
      throw corrupt(label, `the local header of ${e.raw} is missing`);
    e.dataStart =
      e.localOffset +
      30 +
      view.getUint16(e.localOffset + 26, true) +
      view.getUint16(e.localOffset + 28, true);
    if (e.dataStart + e.compressedSize > directory.offset)
      throw corrupt(label, `the data of ${e.raw} runs past the end of the entries`);
  }
  const byOffset = [...entries].sort((a, b) => a.localOffset - b.localOffset);
  for (let i = 1; i < byOffset.length; i++) {
    const before = byOffset[i - 1];
    const e = byOffset[i];
    if (e.localOffset < before.dataStart + before.compressedSize) throw overlap(label, before, e);
  }
  for (const e of entries) checkLocalHeader(view, e, label);
}

/** The local header must name the entry as the directory does, and agree on encryption. */
function checkLocalHeader(view: DataView, e: Entry, label: string): void {
  const at = e.localOffset;
  const nameLength = view.getUint16(at + 26, true);
  const local = new Uint8Array(view.buffer, view.byteOffset + at + 30, nameLength);
  const same = nameLength === e.nameBytes.length && local.every((b, i) => b === e.nameBytes[i]);
  if (!same) {
    throw new PackageError(
      'PACKAGE_CORRUPT',
      `${label} is not a readable zip file: the directory names an entry ${e.raw}, ` +
        `and its local header names it ${decodeName(local, view.getUint16(at + 6, true))}.`,
      { hint: HOSTILE_HINT, details: { entry: e.raw } },
    );
  }
  const flags = view.getUint16(at + 6, true);
  if (!e.directory) refuseEncrypted({ ...e, flags }, label);
  if ((flags & FLAG_DATA_DESCRIPTOR) === 0) checkLocalSizes(view, e, label);
}

/**
 * Without a data descriptor, the local header states the entry's CRC-32 and sizes too, and must
 * state the directory's: a reader that goes by the local header (a streaming one) would otherwise
 * read something else than strata checked. A zip64 entry's local sizes live in its extra field
 * (0xFFFFFFFF here): the inflated bytes are checked against the directory's anyway.
 */
function checkLocalSizes(view: DataView, e: Entry, label: string): void {
  const at = e.localOffset;
  const compressed = view.getUint32(at + 18, true);
  const size = view.getUint32(at + 22, true);
  if (compressed === U32_MAX || size === U32_MAX) return;
  if (size !== e.size || compressed !== e.compressedSize) {
    throw new PackageError(
      'PACKAGE_SIZE_MISMATCH',
      `${label}: the local header of ${e.raw} declares ${size} bytes (${compressed} stored), ` +
        `and the directory ${e.size} bytes (${e.compressedSize} stored).`,
      {
        hint: `${DAMAGED_HINT} A zip whose sizes lie may also be built to exhaust memory.`,
        details: { entry: e.raw, localBytes: size, directoryBytes: e.size },
      },
    );
  }
  if (view.getUint32(at + 14, true) !== e.crc) {
    throw new PackageError(
      'PACKAGE_CRC_MISMATCH',
      `${label}: the local header of ${e.raw} states another CRC-32 than the directory.`,
      { hint: DAMAGED_HINT, details: { entry: e.raw } },
    );
  }
}

function overlap(label: string, first: Entry, second: Entry): PackageError {
  return new PackageError(
    'PACKAGE_ENTRIES_OVERLAP',
    `${label} has entries that share their data: ${second.raw} starts inside ${first.raw}.`,
    {
      hint: HOSTILE_HINT,
      details: { entries: [first.raw, second.raw] },
    },
  );
}

// ---- inflating ------------------------------------------------------------------------------

/** An entry's bytes: inflated to at most the size it declares, then its size and CRC checked. */
function inflateEntry(bytes: Uint8Array, e: Entry, label: string): Uint8Array {
  const stored = bytes.subarray(e.dataStart, e.dataStart + e.compressedSize);
  let data: Uint8Array;
  if (e.method === METHOD_STORED) {
    if (e.compressedSize !== e.size) throw sizeMismatch(label, e, e.compressedSize);
    data = stored;
  } else if (e.method === METHOD_DEFLATE) {
    data = inflateBounded(stored, e, label);
  } else {
    throw new PackageError(
      'PACKAGE_CORRUPT',
      `${label} stores ${e.raw} with compression method ${e.method}; ` +
        'strata reads stored and deflated entries.',
      {
        hint: 'Zip the files again with ordinary (deflate) compression, or export it again.',
        details: { entry: e.raw, method: e.method },
      },
    );
  }
  if (crc32(data) !== e.crc) {
    throw new PackageError(
      'PACKAGE_CRC_MISMATCH',
      `${label}: the data of ${e.raw} does not match its CRC-32 checksum.`,
      { hint: DAMAGED_HINT, details: { entry: e.raw } },
    );
  }
  return data;
}

/**
 * node:zlib stops at `maxOutputLength`, so a stream that would inflate past its declared size
 * costs no more than that size; one output chunk of the declared size avoids joining chunks.
 * The declared size is within the package's limits already (checked before anything is
 * inflated), and a chunk is only resident as far as it is written: a 108 MB customizations.xml
 * in 64 MB chunks was 236 MB at once (two chunks and their join), in one chunk 108 MB.
 */
function inflateBounded(stored: Uint8Array, e: Entry, label: string): Uint8Array {
  let out: Buffer;
  try {
    out = zlib.inflateRawSync(stored, {
      maxOutputLength: Math.max(e.size, 1),
      chunkSize: Math.max(e.size + 1, 64),
    });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
      throw sizeMismatch(label, e, undefined);
    throw new PackageError(
      'PACKAGE_CORRUPT',
      `${label} is not a readable zip file: ${e.raw} does not inflate ` +
        `(${(err as Error).message}).`,
      { hint: DAMAGED_HINT, details: { entry: e.raw }, cause: err },
    );
  }
  if (out.length !== e.size) throw sizeMismatch(label, e, out.length);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
function sizeMismatch(label: string, e: Entry, actual: number | undefined): PackageError {
  const found = actual === undefined ? 'more' : `${actual} bytes`;
  return new PackageError(
    'PACKAGE_SIZE_MISMATCH',
    `${label}: ${e.raw} declares ${e.size} bytes, and its data holds ${found}.`,
    {
      hint: `${DAMAGED_HINT} A zip whose sizes lie may also be built to exhaust memory.`,
      details: { entry: e.raw, declaredBytes: e.size, ...(actual === undefined ? {} : { actual }) },
    },
  );
}

// ---- small helpers --------------------------------------------------------------------------

function corrupt(label: string, why: string): PackageError {
  return new PackageError('PACKAGE_CORRUPT', `${label} is not a readable zip file: ${why}.`, {
    hint: DAMAGED_HINT,
  });
}

function safeNumber(n: bigint): number {
  return n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(n);
}

/**
 * zlib's CRC-32 (Node 20.15 and later), or the same computed here; `value` is the CRC-32 of the
 * bytes before these (package/zip-writer.ts writes a file a batch at a time).
 */
export function crc32(data: Uint8Array, value = 0): number {
  return typeof zlib.crc32 === 'function' ? zlib.crc32(data, value) >>> 0 : crc32Table(data, value);
}

let CRC_TABLE: Uint32Array | undefined;
/** CRC-32 computed here, for a Node without zlib's (before 20.15). */
export function crc32Table(data: Uint8Array, value: number): number {
  if (!CRC_TABLE) {
    CRC_TABLE = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      CRC_TABLE[n] = c >>> 0;
    }
  }
  let c = (value ^ 0xffffffff) >>> 0;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
