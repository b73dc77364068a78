import { constants, deflateRawSync } from 'node:zlib';
import { StrataError } from '../model/errors.js';
import { crc32 } from './zip.js';

/**
 * A file to write into a zip: its bytes, or its text as pieces in order. Text is encoded and
 * compressed a batch of pieces at a time, so a document is never held whole as one string and
 * again as its bytes: an export's customizations.xml of 11 MB was both, and fflate's buffers
 * besides (decision 64).
 */
export type ZipFile = Uint8Array | readonly string[];

/** Pieces of text encoded and compressed together: about a megabyte. */
const BATCH_CHARS = 1 << 20;

/** What a zip without ZIP64 can say: sizes and offsets in 32 bits, entries counted in 16. */
const MAX_32 = 0xffffffff;
const MAX_ENTRIES = 0xffff;

interface Written {
  name: Uint8Array;
  utf8: boolean;
  crc: number;
  size: number;
  compressed: Uint8Array[];
  compressedSize: number;
  offset: number;
}

/**
 * A zip of `files` in their order: each deflated with node:zlib (level 6, as Dataverse's exports
 * are), stamped `modified` (local time, as zip tools read it). Names are UTF-8, flagged so when
 * they are not ASCII.
 */
export function writeZip(
  files: ReadonlyArray<readonly [name: string, file: ZipFile]>,
  modified = new Date(),
): Uint8Array {
  if (files.length >= MAX_ENTRIES) throw beyondZip(`${files.length} files`);
  const time =
    (modified.getHours() << 11) | (modified.getMinutes() << 5) | (modified.getSeconds() >> 1);
  const date =
    (Math.max(0, modified.getFullYear() - 1980) << 9) |
    ((modified.getMonth() + 1) << 5) |
    modified.getDate();
  const written: Written[] = [];
  let offset = 0;
  for (const [name, file] of files) {
    const w = compress(name, file);
    w.offset = offset;
    offset += 30 + w.name.length + w.compressedSize;
    if (w.size > MAX_32 || w.compressedSize > MAX_32 || offset > MAX_32)
      throw beyondZip(`${name} of ${w.size} bytes`);
    written.push(w);
  }
  const directoryAt = offset;
  const directorySize = written.reduce((n, w) => n + 46 + w.name.length, 0);
  const out = new Uint8Array(offset + directorySize + 22);
  const view = new DataView(out.buffer);
  let at = 0;
  const header = (w: Written, central: boolean): void => {
    view.setUint32(at, central ? 0x02014b50 : 0x04034b50, true);
    at += 4;
    if (central) {
      view.setUint16(at, 20, true); // made by: MS-DOS, zip 2.0
      at += 2;
    }
    view.setUint16(at, 20, true); // needed to extract: deflate
    view.setUint16(at + 2, w.utf8 ? 1 << 11 : 0, true);
    view.setUint16(at + 4, 8, true); // deflated
    view.setUint16(at + 6, time, true);
    view.setUint16(at + 8, date, true);
    view.setUint32(at + 10, w.crc, true);
    view.setUint32(at + 14, w.compressedSize, true);
    view.setUint32(at + 18, w.size, true);
    view.setUint16(at + 22, w.name.length, true);
    view.setUint16(at + 24, 0, true); // no extra field
    at += 26;
    if (central) {
      // no comment, disk 0, no internal or external attributes, where the local header is
      view.setUint32(at + 10, w.offset, true);
      at += 14;
    }
    out.set(w.name, at);
    at += w.name.length;
  };
  for (const w of written) {
    header(w, false);
    for (const part of w.compressed) {
      out.set(part, at);
      at += part.length;
    }
  }
  for (const w of written) header(w, true);
  view.setUint32(at, 0x06054b50, true);
  view.setUint16(at + 8, written.length, true);
  view.setUint16(at + 10, written.length, true);
  view.setUint32(at + 12, directorySize, true);
  view.setUint32(at + 16, directoryAt, true);
  return out;
}

/** One file deflated: its bytes at once, or its text a batch of pieces at a time. */
function compress(name: string, file: ZipFile): Written {
  const w: Written = {
    name: Buffer.from(name, 'utf8'),
    utf8: /[^\x20-\x7e]/.test(name),
    crc: 0,
    size: 0,
    compressed: [],
    compressedSize: 0,
    offset: 0,
  };
  const add = (bytes: Uint8Array, last: boolean): void => {
    w.crc = crc32(bytes, w.crc);
    w.size += bytes.length;
    // each batch ends on a byte boundary (a sync flush), the last one ends the stream: one
    // deflate stream, as packResults writes a job's results (store/jobs.ts)
    const part = deflateRawSync(bytes, {
      level: 6,
      finishFlush: last ? constants.Z_FINISH : constants.Z_SYNC_FLUSH,
    });
    w.compressed.push(part);
    w.compressedSize += part.length;
  };
  if (file instanceof Uint8Array) {
    add(file, true);
    return w;
  }
  let batch: string[] = [];
  let chars = 0;
  for (const piece of file) {
    batch.push(piece);
    chars += piece.length;
    if (chars < BATCH_CHARS) continue;
    add(Buffer.from(batch.join(''), 'utf8'), false);
    batch = [];
    chars = 0;
  }
  add(Buffer.from(batch.join(''), 'utf8'), true);
  return w;
}

function beyondZip(what: string): StrataError {
  return new StrataError(
    'PACKAGE_TOO_LARGE',
    `The package would hold ${what}: more than a zip without ZIP64 can hold (4 GB a file, ` +
      `${MAX_ENTRIES - 1} files).`,
    { hint: 'Export a smaller solution: split its components across solutions.' },
  );
}
