import { constants, crc32 as zlibCrc32, deflateRawSync } from 'node:zlib';

/**
 * A zip writer for shapes fflate will not make: a CRC that does not match the data, a size
 * header that lies, an encryption flag on plain data, central-directory records that alias one
 * local entry, entry names that are not valid UTF-8, contents of hundreds of megabytes that are
 * never held in memory. Everything not overridden is written as an ordinary zip tool would
 * (PKWARE APPNOTE 4.3: local headers, central directory, end record).
 */
export interface RawZipEntry {
  /** bytes are written as given, so a name can be invalid UTF-8 */
  name: string | Uint8Array;
  /** the content, or a deflate stream made ahead (`deflatedParts`) */
  data: Uint8Array | DeflatedContent;
  /** 8 (deflate, the default), 0 (stored) or any other method number, stored raw */
  method?: number;
  /** the CRC-32 written in both headers (default: the content's own) */
  crc?: number;
  /** the uncompressed size written in both headers (default: the content's length) */
  declaredSize?: number;
  /** the uncompressed size in the local header only, disagreeing with the central directory */
  localSize?: number;
  /** general purpose flags (bit 0: encrypted); bit 11 (UTF-8 name) is set for string names */
  flags?: number;
}

/** A raw deflate stream with the size and CRC-32 of what it inflates to. */
export interface DeflatedContent {
  deflated: Uint8Array;
  size: number;
  crc: number;
}

export interface RawZipOptions {
  /**
   * More central-directory records, each pointing at the local header of `entries[target]` under
   * a name of its own: the overlapping-entries bomb.
   */
  aliases?: Array<{ name: string; target: number }>;
}

/** A run of one byte value, `size` bytes long. */
export interface Run {
  byte: number;
  size: number;
}

const CHUNK = 1 << 20;
/** an empty final block with fixed Huffman codes: ends a stream of sync-flushed blocks */
const FINAL_BLOCK = Buffer.from([0x03, 0x00]);

/**
 * One deflate stream over `parts` — bytes, and runs of one byte that may be hundreds of megabytes
 * long — built a megabyte at a time: each part is compressed on its own and sync-flushed, so the
 * pieces join into a valid stream, and a run's repeated megabyte is compressed once.
 */
export function deflatedParts(parts: Array<Uint8Array | Run>): DeflatedContent {
  const flushed = (b: Uint8Array): Buffer =>
    deflateRawSync(b, { finishFlush: constants.Z_SYNC_FLUSH });
  const out: Buffer[] = [];
  let size = 0;
  let crc = 0;
  for (const part of parts) {
    if (part instanceof Uint8Array) {
      out.push(flushed(part));
      size += part.length;
      crc = zlibCrc32(part, crc);
      continue;
    }
    const whole = Buffer.alloc(Math.min(CHUNK, part.size), part.byte);
    const wholeDeflated = flushed(whole);
    for (let left = part.size; left > 0; left -= CHUNK) {
      const piece = left >= CHUNK ? whole : whole.subarray(0, left);
      out.push(piece === whole ? wholeDeflated : flushed(piece));
      crc = zlibCrc32(piece, crc);
    }
    size += part.size;
  }
  out.push(FINAL_BLOCK);
  return { deflated: new Uint8Array(Buffer.concat(out)), size, crc };
}

interface Placed {
  name: Buffer;
  flags: number;
  method: number;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
}

const DOS_TIME = (12 << 11) | (30 << 5); // 12:30:00
const DOS_DATE = (44 << 9) | (1 << 5) | 1; // 2024-01-01

function body(e: RawZipEntry, method: number): { bytes: Buffer; size: number; crc: number } {
  if (!(e.data instanceof Uint8Array)) {
    if (method !== 8) throw new Error(`${String(e.name)}: a deflate stream needs method 8`);
    return { bytes: Buffer.from(e.data.deflated), size: e.data.size, crc: e.data.crc };
  }
  const bytes = method === 8 ? deflateRawSync(e.data) : Buffer.from(e.data);
  return { bytes, size: e.data.length, crc: zlibCrc32(e.data) };
}

export function writeZip(entries: RawZipEntry[], opts: RawZipOptions = {}): Uint8Array {
  const chunks: Buffer[] = [];
  let offset = 0;
  const placed: Placed[] = entries.map((e) => {
    const name = typeof e.name === 'string' ? Buffer.from(e.name, 'utf8') : Buffer.from(e.name);
    const method = e.method ?? 8;
    const content = body(e, method);
    const p: Placed = {
      name,
      flags: e.flags ?? (typeof e.name === 'string' ? 0x0800 : 0),
      method,
      crc: e.crc ?? content.crc,
      compressed: content.bytes.length,
      size: e.declaredSize ?? content.size,
      offset,
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    writeCommon(local, 6, { ...p, size: e.localSize ?? p.size });
    local.writeUInt16LE(name.length, 26);
    chunks.push(local, name, content.bytes);
    offset += local.length + name.length + content.bytes.length;
    return p;
  });
  const records = [
    ...placed,
    ...(opts.aliases ?? []).map((a) => ({ ...placed[a.target], name: Buffer.from(a.name) })),
  ];
  const directoryStart = offset;
  for (const p of records) {
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    writeCommon(central, 8, p);
    central.writeUInt16LE(p.name.length, 28);
    central.writeUInt32LE(p.offset, 42);
    chunks.push(central, p.name);
    offset += central.length + p.name.length;
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(records.length, 8);
  end.writeUInt16LE(records.length, 10);
  end.writeUInt32LE(offset - directoryStart, 12);
  end.writeUInt32LE(directoryStart, 16);
  chunks.push(end);
  return new Uint8Array(Buffer.concat(chunks));
}

/** flags, method, time, date, CRC and sizes: the same fields in local and central headers */
function writeCommon(b: Buffer, at: number, p: Placed): void {
  b.writeUInt16LE(p.flags, at);
  b.writeUInt16LE(p.method, at + 2);
  b.writeUInt16LE(DOS_TIME, at + 4);
  b.writeUInt16LE(DOS_DATE, at + 6);
  b.writeUInt32LE(p.crc, at + 8);
  b.writeUInt32LE(p.compressed, at + 12);
  b.writeUInt32LE(p.size, at + 16);
}

/** Where a zip's end record sits and what it says, for cases that damage it. */
export function endRecord(zip: Uint8Array): { at: number; entries: number; directory: number } {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  for (let i = zip.length - 22; i >= 0; i--) {
    if (view.getUint32(i, true) === 0x06054b50)
      return {
        at: i,
        entries: view.getUint16(i + 10, true),
        directory: view.getUint32(i + 16, true),
      };
  }
  throw new Error('no end of central directory record');
}
