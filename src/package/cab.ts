import { inflateSync } from 'fflate';
import { PackageError } from '../model/errors.js';
import { checkUniqueEntries } from './unique-entries.js';

/**
 * A strict reader for Microsoft Cabinet files ([MS-CAB]), the container Dynamics CRM and
 * Package Deployer used to ship solution zips in. It reads single cabinets whose folders are
 * stored uncompressed or with MSZIP; LZX, Quantum and multi-cabinet sets are refused.
 *
 * Everything is validated against the buffer and the caller's limits before any data is
 * decompressed, so a hostile cabinet cannot make us allocate or inflate more than
 * `limits.maxTotalBytes`.
 */
export interface CabFile {
  /** path inside the cabinet, with `/` separators (cabinets store `\`) */
  name: string;
  data: Uint8Array;
}

export interface CabLimits {
  maxTotalBytes: number;
  maxEntries: number;
}

const SIGNATURE = [0x4d, 0x53, 0x43, 0x46]; // "MSCF"

const CFHEADER_SIZE = 36;
const CFFOLDER_SIZE = 8;
const CFFILE_SIZE = 16;
const CFDATA_SIZE = 8;

const FLAG_PREV_CABINET = 0x0001;
const FLAG_NEXT_CABINET = 0x0002;
const FLAG_RESERVE_PRESENT = 0x0004;

/** The spec caps the per-cabinet reserved area; anything larger is a damaged header. */
const MAX_HEADER_RESERVE = 60000;
/** CB_MAX_FILENAME / CB_MAX_CABINET_NAME: names are at most 256 bytes before their NUL. */
const MAX_STRING_BYTES = 256;

const COMPRESS_MASK = 0x000f;
const COMPRESS_NONE = 0;
const COMPRESS_MSZIP = 1;
const COMPRESS_QUANTUM = 2;
const COMPRESS_LZX = 3;

/** iFolder values ≥ this mean "continued from/to another cabinet" (0xFFFD, 0xFFFE, 0xFFFF). */
const IFOLDER_CONTINUED = 0xfffd;
const ATTR_NAME_IS_UTF = 0x80;

/** MSZIP uses deflate's 32 KB window, carried across CFDATA blocks of one folder. */
const MSZIP_WINDOW = 32 * 1024;

const RECREATE_HINT =
  'Re-create the cabinet with MSZIP compression (for example ' +
  '`makecab /D CompressionType=MSZIP` or `gcab -c -z`), or provide the solution as a .zip file.';
const DAMAGED_HINT =
  'The file was probably damaged or cut short during ' +
  'download or copy; obtain a fresh copy of the package.';

interface Folder {
  index: number;
  /** offset of the first CFDATA block */
  dataStart: number;
  blockCount: number;
  method: number;
}

interface FileEntry {
  name: string;
  size: number;
  offsetInFolder: number;
  folder: number;
}

export function isCabinet(bytes: Uint8Array): boolean {
  return bytes.length >= SIGNATURE.length && SIGNATURE.every((b, i) => bytes[i] === b);
}

export function readCabinet(bytes: Uint8Array, limits: CabLimits, fileLabel?: string): CabFile[] {
  const label = fileLabel ?? 'The cabinet';
  if (!isCabinet(bytes)) {
    throw new PackageError(
      'CAB_BAD_HEADER',
      `${label} is not a Microsoft Cabinet (.cab) file: it does not start with "MSCF".`,
      {
        hint:
          'Check that this is a solution package (.zip or ' +
          '.cab) and that it was not damaged during download.',
        details: { file: label },
      },
    );
  }
  if (bytes.length < CFHEADER_SIZE) truncated(label, 'the cabinet header', bytes.length);

  const whole = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const cbCabinet = whole.getUint32(8, true);
  const coffFiles = whole.getUint32(16, true);
  const versionMinor = bytes[24];
  const versionMajor = bytes[25];
  const cFolders = whole.getUint16(26, true);
  const cFiles = whole.getUint16(28, true);
  const flags = whole.getUint16(30, true);

  if (versionMajor !== 1 || versionMinor !== 3) {
    badHeader(
      label,
      `it declares format version ${versionMajor}.${versionMinor}, and only version 1.3 exists`,
    );
  }
  if (cbCabinet < CFHEADER_SIZE)
    badHeader(label, `its declared size (${cbCabinet} bytes) is smaller than the header itself`);
  if (cbCabinet > bytes.length) {
    throw new PackageError(
      'CAB_TRUNCATED',
      `${label} is truncated: its header declares ${fmtBytes(cbCabinet)}, ` +
        `but the file holds only ${fmtBytes(bytes.length)}.`,
      {
        hint: DAMAGED_HINT,
        details: { file: label, declared: cbCabinet, actual: bytes.length },
      },
    );
  }
  // Signed cabinets carry an Authenticode signature after cbCabinet bytes; it is not part of
  // the cabinet proper, so every offset below is checked against cbCabinet, not the file size.
  const cab = new CabBytes(bytes.subarray(0, cbCabinet), label);

  if (cFiles > limits.maxEntries) {
    throw new PackageError(
      'PACKAGE_TOO_MANY_ENTRIES',
      `${label} holds ${cFiles} files, more than the allowed ${limits.maxEntries}.`,
      {
        hint:
          'If you trust this package, raise the entry limit; ' +
          'otherwise check where the package came from.',
        details: { file: label, actual: cFiles, allowed: limits.maxEntries },
      },
    );
  }

  // --- CFHEADER optional fields ---------------------------------------------------------
  let pos = CFHEADER_SIZE;
  let folderReserve = 0;
  let dataReserve = 0;
  if (flags & FLAG_RESERVE_PRESENT) {
    const headerReserve = cab.u16(pos, 'the header reserve sizes');
    folderReserve = cab.u8(pos + 2, 'the header reserve sizes');
    dataReserve = cab.u8(pos + 3, 'the header reserve sizes');
    if (headerReserve > MAX_HEADER_RESERVE)
      badHeader(
        label,
        `its reserved header area (${headerReserve} bytes) ` +
          `exceeds the format's limit of ${MAX_HEADER_RESERVE}`,
      );
    pos += 4;
    cab.need(pos, headerReserve, 'the reserved header area');
    pos += headerReserve;
  }
  const setNames: string[] = [];
  for (const flag of [FLAG_PREV_CABINET, FLAG_NEXT_CABINET]) {
    if (!(flags & flag)) continue;
    const cabinet = cab.cstring(pos, 'the name of a neighbouring cabinet');
    pos = cabinet.end;
    const disk = cab.cstring(pos, 'the name of a neighbouring disk');
    pos = disk.end;
    setNames.push(latin1(cabinet.bytes));
  }
  if (setNames.length > 0) {
    throw new PackageError(
      'CAB_BAD_HEADER',
      `${label} is one part of a multi-cabinet set (it refers to ` +
        `${setNames.map((n) => `"${n}"`).join(' and ')}); spanning cabinets are not supported.`,
      {
        hint: 'Re-create the package as a single cabinet, or provide the solution as a .zip file.',
        details: { file: label, neighbours: setNames },
      },
    );
  }

  // --- CFFOLDER entries -------------------------------------------------------------------
  const folders: Folder[] = [];
  for (let i = 0; i < cFolders; i++) {
    cab.need(pos, CFFOLDER_SIZE + folderReserve, `folder entry ${i}`);
    const folder: Folder = {
      index: i,
      dataStart: cab.u32(pos, 'a folder entry'),
      blockCount: cab.u16(pos + 4, 'a folder entry'),
      method: cab.u16(pos + 6, 'a folder entry') & COMPRESS_MASK,
    };
    checkMethod(label, folder);
    folders.push(folder);
    pos += CFFOLDER_SIZE + folderReserve;
  }

  // --- CFFILE entries ---------------------------------------------------------------------
  const files: FileEntry[] = [];
  let totalBytes = 0;
  pos = coffFiles;
  for (let i = 0; i < cFiles; i++) {
    cab.need(pos, CFFILE_SIZE, `file entry ${i}`);
    const size = cab.u32(pos, 'a file entry');
    const offsetInFolder = cab.u32(pos + 4, 'a file entry');
    const folder = cab.u16(pos + 8, 'a file entry');
    const attribs = cab.u16(pos + 14, 'a file entry');
    const rawName = cab.cstring(pos + CFFILE_SIZE, `the name of file entry ${i}`);
    pos = rawName.end;
    const name = entryName(label, rawName.bytes, (attribs & ATTR_NAME_IS_UTF) !== 0);
    if (folder >= IFOLDER_CONTINUED) {
      throw new PackageError(
        'CAB_BAD_HEADER',
        `${label} is part of a multi-cabinet set: "${name}" continues ` +
          'from or into another cabinet; spanning cabinets are not supported.',
        {
          hint:
            'Re-create the package as a single cabinet, ' +
            'or provide the solution as a .zip file.',
          details: { file: label, entry: name },
        },
      );
    }
    if (folder >= cFolders)
      badHeader(
        label,
        `"${name}" refers to folder ${folder}, but the cabinet has only ${cFolders}`,
      );
    totalBytes += size;
    files.push({ name, size, offsetInFolder, folder });
  }
  // two files of one name are as ambiguous in a cabinet as in a zip (unique-entries.ts)
  checkUniqueEntries(
    files.map((f) => f.name),
    label,
  );
  checkSize(label, totalBytes, limits, 'its files add up to');

  // Each folder is decompressed only as far as its files reach. Overlapping or sparse file
  // ranges could make that more than the sum of file sizes, so it is limited on its own.
  const needed = new Array<number>(cFolders).fill(0);
  for (const f of files) needed[f.folder] = Math.max(needed[f.folder], f.offsetInFolder + f.size);
  const available = folders.map((folder) =>
    needed[folder.index] > 0 ? folderSize(cab, folder, dataReserve) : 0,
  );
  for (const f of files) {
    if (f.offsetInFolder + f.size > available[f.folder]) {
      throw new PackageError(
        'CAB_TRUNCATED',
        `${label} is damaged: "${f.name}" needs ${fmtBytes(f.offsetInFolder + f.size)} of ` +
          `folder ${f.folder}, but the folder holds only ${fmtBytes(available[f.folder])}.`,
        {
          hint: DAMAGED_HINT,
          details: { file: label, entry: f.name, folder: f.folder },
        },
      );
    }
  }
  checkSize(
    label,
    needed.reduce((a, b) => a + b, 0),
    limits,
    'reading its files would require decompressing',
  );

  const contents = folders.map((folder) =>
    needed[folder.index] > 0
      ? readFolder(cab, folder, dataReserve, needed[folder.index])
      : new Uint8Array(0),
  );
  return files.map((f) => ({
    name: f.name,
    data: contents[f.folder].subarray(f.offsetInFolder, f.offsetInFolder + f.size),
  }));
}

// --- data blocks ------------------------------------------------------------------------

/** Sum of cbUncomp over a folder's CFDATA blocks, walking only their headers. */
function folderSize(cab: CabBytes, folder: Folder, dataReserve: number): number {
  let pos = folder.dataStart;
  let size = 0;
  for (let k = 0; k < folder.blockCount; k++) {
    const what = `data block ${k} of folder ${folder.index}`;
    cab.need(pos, CFDATA_SIZE + dataReserve, what);
    const cbData = cab.u16(pos + 4, what);
    size += cab.u16(pos + 6, what);
    pos += CFDATA_SIZE + dataReserve;
    cab.need(pos, cbData, what);
    pos += cbData;
  }
  return size;
}

/** Decompresses the first `needed` bytes of a folder (whole blocks, clipped at the end). */
function readFolder(
  cab: CabBytes,
  folder: Folder,
  dataReserve: number,
  needed: number,
): Uint8Array {
  const out = new Uint8Array(needed);
  let produced = 0;
  let pos = folder.dataStart;
  for (let k = 0; k < folder.blockCount && produced < needed; k++) {
    const what = `data block ${k} of folder ${folder.index}`;
    const csum = cab.u32(pos, what);
    const cbData = cab.u16(pos + 4, what);
    const cbUncomp = cab.u16(pos + 6, what);
    const fieldsEnd = pos + CFDATA_SIZE + dataReserve;
    const payload = cab.bytes.subarray(fieldsEnd, fieldsEnd + cbData);
    if (csum !== 0) verifyChecksum(cab, csum, pos, fieldsEnd, payload, what);

    let block: Uint8Array;
    if (folder.method === COMPRESS_NONE) {
      if (cbUncomp !== cbData)
        badData(
          cab.label,
          what,
          `it is stored uncompressed but declares ${cbData} ` +
            `stored and ${cbUncomp} uncompressed bytes`,
        );
      block = payload;
    } else {
      block = inflateMszip(
        cab.label,
        what,
        payload,
        cbUncomp,
        out.subarray(Math.max(0, produced - MSZIP_WINDOW), produced),
      );
    }
    out.set(block.subarray(0, Math.min(block.length, needed - produced)), produced);
    produced += block.length;
    pos = fieldsEnd + cbData;
  }
  return out;
}

/**
 * MSZIP: each block is "CK" followed by a complete raw DEFLATE stream. The streams are not
 * independent: every block may refer back into the previous 32 KB of the folder's output, so
 * that output is handed to the inflater as its preset dictionary.
 */
function inflateMszip(
  label: string,
  what: string,
  payload: Uint8Array,
  cbUncomp: number,
  history: Uint8Array,
): Uint8Array {
  if (payload.length < 2 || payload[0] !== 0x43 || payload[1] !== 0x4b)
    badData(label, what, 'an MSZIP block must start with "CK"');
  let block: Uint8Array;
  try {
    // One spare byte in `out` lets an over-long block show itself; fflate stops at the end of
    // `out`, so a hostile stream cannot inflate beyond it.
    block = inflateSync(payload.subarray(2), {
      out: new Uint8Array(cbUncomp + 1),
      ...(history.length > 0 ? { dictionary: history } : {}),
    });
  } catch (e) {
    badData(
      label,
      what,
      `its MSZIP data does not decompress (${e instanceof Error ? e.message : String(e)})`,
      e,
    );
  }
  if (block.length > cbUncomp)
    badData(label, what, `it decompresses to more than the declared ${cbUncomp} bytes`);
  if (block.length < cbUncomp)
    badData(
      label,
      what,
      `it decompresses to ${block.length} bytes instead of the declared ${cbUncomp}`,
    );
  return block;
}

/**
 * The CAB checksum XORs the data as little-endian 32-bit words; the 1–3 trailing bytes are
 * folded in with the *first* of them most significant (not a zero-padded word). The data is
 * summed first and its result seeds the sum of the fields after csum (cbData, cbUncomp and the
 * reserved area), each part folding its own tail.
 */
export function cabChecksum(data: Uint8Array, seed: number): number {
  let sum = seed;
  const whole = data.length & ~3;
  for (let i = 0; i < whole; i += 4)
    sum ^= data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24);
  let tail = 0;
  for (let i = whole; i < data.length; i++) tail = (tail << 8) | data[i];
  return (sum ^ tail) >>> 0;
}

function verifyChecksum(
  cab: CabBytes,
  stored: number,
  blockStart: number,
  fieldsEnd: number,
  payload: Uint8Array,
  what: string,
): void {
  const dataSum = cabChecksum(payload, 0);
  const computed = cabChecksum(cab.bytes.subarray(blockStart + 4, fieldsEnd), dataSum);
  if (computed === stored) return;
  // The spec (and Microsoft's FCI) include the per-block reserved area; libmspack leaves it
  // out. Both agree when the area is zero-filled, as it always is in practice, so accept either.
  if (
    fieldsEnd > blockStart + CFDATA_SIZE &&
    cabChecksum(cab.bytes.subarray(blockStart + 4, blockStart + CFDATA_SIZE), dataSum) === stored
  )
    return;
  throw new PackageError(
    'CAB_CHECKSUM',
    `${cab.label} is damaged: ${what} fails its checksum ` +
      `(stored 0x${hex(stored)}, computed 0x${hex(computed)}).`,
    {
      hint: DAMAGED_HINT,
      details: { file: cab.label, block: what, stored, computed },
    },
  );
}

// --- checks and names -------------------------------------------------------------------

function checkMethod(label: string, folder: Folder): void {
  if (folder.method === COMPRESS_NONE || folder.method === COMPRESS_MSZIP) return;
  if (folder.method === COMPRESS_LZX) {
    throw new PackageError(
      'CAB_LZX_UNSUPPORTED',
      `${label} is compressed with LZX (folder ${folder.index}); LZX-compressed ` +
        'cabinets are not supported, only uncompressed and MSZIP ones.',
      {
        hint: RECREATE_HINT,
        details: { file: label, folder: folder.index, compression: 'LZX' },
      },
    );
  }
  const method =
    folder.method === COMPRESS_QUANTUM
      ? 'Quantum compression'
      : `an unknown compression method (${folder.method})`;
  throw new PackageError(
    'CAB_COMPRESSION_UNKNOWN',
    `${label} uses ${method} in folder ${folder.index}; ` +
      'only uncompressed and MSZIP cabinets are supported.',
    {
      hint: RECREATE_HINT,
      details: { file: label, folder: folder.index, compression: folder.method },
    },
  );
}

function checkSize(label: string, bytes: number, limits: CabLimits, what: string): void {
  if (bytes <= limits.maxTotalBytes) return;
  throw new PackageError(
    'PACKAGE_TOO_LARGE',
    `${label} is too large: ${what} ${fmtBytes(bytes)} uncompressed, ` +
      `more than the allowed ${fmtBytes(limits.maxTotalBytes)}.`,
    {
      hint:
        'If you trust this package, raise the package size ' +
        'limit; otherwise check where the package came from.',
      details: { file: label, actualBytes: bytes, allowedBytes: limits.maxTotalBytes },
    },
  );
}

/** Cabinet names use `\`; anything that could land outside the extraction folder is refused. */
function entryName(label: string, raw: Uint8Array, utf8: boolean): string {
  let decoded: string;
  if (utf8) {
    try {
      decoded = new TextDecoder('utf-8', { fatal: true }).decode(raw);
    } catch {
      badName(label, latin1(raw), 'it is marked as UTF-8 but is not valid UTF-8');
    }
  } else {
    // Without _A_NAME_IS_UTF the bytes are in the creator's code page, which the cabinet does
    // not record; latin1 keeps ASCII names exact and every other byte representable.
    decoded = latin1(raw);
  }
  const name = decoded.replace(/\\/g, '/');
  if (name === '') badName(label, decoded, 'the name is empty');
  if (name.startsWith('/')) badName(label, decoded, 'it is an absolute path');
  if (/^[A-Za-z]:/.exec(name) !== null) badName(label, decoded, 'it starts with a drive letter');
  if (name.split('/').includes('..'))
    badName(label, decoded, 'a ".." segment would point outside the package');
  if (name.endsWith('/')) badName(label, decoded, 'it names a folder, not a file');
  return name;
}

function latin1(raw: Uint8Array): string {
  let s = '';
  for (const b of raw) s += String.fromCharCode(b);
  return s;
}

// --- bounds-checked access --------------------------------------------------------------

/** The cabinet proper (the first cbCabinet bytes); every read is checked against its end. */
class CabBytes {
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    readonly label: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  need(offset: number, length: number, what: string): void {
    if (offset + length > this.bytes.length) truncated(this.label, what, this.bytes.length);
  }

  u8(offset: number, what: string): number {
    this.need(offset, 1, what);
    return this.view.getUint8(offset);
  }

  u16(offset: number, what: string): number {
    this.need(offset, 2, what);
    return this.view.getUint16(offset, true);
  }

  u32(offset: number, what: string): number {
    this.need(offset, 4, what);
    return this.view.getUint32(offset, true);
  }

  /** A NUL-terminated string of at most MAX_STRING_BYTES bytes; `end` is past the NUL. */
  cstring(offset: number, what: string): { bytes: Uint8Array; end: number } {
    const limit = Math.min(this.bytes.length, offset + MAX_STRING_BYTES + 1);
    for (let i = offset; i < limit; i++) {
      if (this.bytes[i] === 0) return { bytes: this.bytes.subarray(offset, i), end: i + 1 };
    }
    if (limit === this.bytes.length) truncated(this.label, what, this.bytes.length);
    badHeader(this.label, `${what} is longer than ${MAX_STRING_BYTES} bytes`);
  }
}

// --- errors -----------------------------------------------------------------------------

function truncated(label: string, what: string, size: number): never {
  throw new PackageError(
    'CAB_TRUNCATED',
    `${label} is truncated: ${what} lies beyond the end of the cabinet (${fmtBytes(size)}).`,
    {
      hint: DAMAGED_HINT,
      details: { file: label, missing: what, size },
    },
  );
}

function badHeader(label: string, why: string): never {
  throw new PackageError('CAB_BAD_HEADER', `${label} has an invalid cabinet header: ${why}.`, {
    hint: DAMAGED_HINT,
    details: { file: label },
  });
}

/** Compressed data that does not decode: a stable code of its own, distinct from a bad checksum. */
function badData(label: string, what: string, why: string, cause?: unknown): never {
  throw new PackageError('CAB_BAD_DATA', `${label} is damaged: ${what} is invalid (${why}).`, {
    hint: DAMAGED_HINT,
    details: { file: label, block: what },
    cause,
  });
}

function badName(label: string, name: string, why: string): never {
  throw new PackageError(
    'PACKAGE_BAD_ENTRY_NAME',
    `${label} contains a file with an unsafe name, "${name}": ${why}.`,
    {
      hint:
        'Do not use this package unless you know how it was made; ' +
        'cabinets written by the standard tools never contain such names.',
      details: { file: label, entry: name },
    },
  );
}

function fmtBytes(n: number): string {
  const exact = `${n.toLocaleString('en-US')} bytes`;
  if (n < 1024) return exact;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${exact} (${v.toFixed(1)} ${units[u]})`;
}

function hex(n: number): string {
  return n.toString(16).padStart(8, '0');
}
