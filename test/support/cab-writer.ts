import { deflateRawSync } from 'node:zlib';
import { cabChecksum } from '../../src/package/cab.js';

/**
 * A test-only Microsoft Cabinet writer. gcab writes a single folder and compresses every
 * MSZIP block independently; this writer produces what it cannot: several folders, MSZIP
 * blocks that refer back into the previous block (the carried-over 32 KB window), reserved
 * areas, and a trailer past cbCabinet like an Authenticode signature. Its output is checked
 * with `cabextract -t` in the tests, so the checksum it shares with the reader (cabChecksum) is
 * validated independently.
 */
export interface CabWriterFile {
  /** stored as given; use `\` as real cabinets do */
  name: string;
  data: Uint8Array;
}

export interface CabWriterFolder {
  compression: 'none' | 'mszip';
  files: CabWriterFile[];
}

export interface CabWriterOptions {
  /** uncompressed bytes per CFDATA block (default and maximum 32768) */
  blockSize?: number;
  /** write CFDATA checksums (default true); false stores 0, meaning "no checksum" */
  checksums?: boolean;
  /** reserved areas (flag cfhdrRESERVE_PRESENT); filled with zeros, as Microsoft's FCI does */
  reserve?: { header: number; folder: number; data: number };
  /** bytes appended after cbCabinet, like a signed cabinet's Authenticode signature */
  trailer?: Uint8Array;
}

const MSZIP_WINDOW = 32 * 1024;

export function writeCabinet(folders: CabWriterFolder[], opts: CabWriterOptions = {}): Uint8Array {
  const blockSize = opts.blockSize ?? 32768;
  const reserve = opts.reserve;
  const checksums = opts.checksums ?? true;
  const files = folders.flatMap((folder, iFolder) =>
    folder.files.map((file) => ({ ...file, iFolder })),
  );
  const names = files.map((f) => Buffer.from(f.name, 'utf8'));

  const headerSize = 36 + (reserve ? 4 + reserve.header : 0);
  const folderEntrySize = 8 + (reserve?.folder ?? 0);
  const dataReserve = reserve?.data ?? 0;
  const coffFiles = headerSize + folders.length * folderEntrySize;
  const filesSize = names.reduce((sum, n) => sum + 16 + n.length + 1, 0);

  // CFDATA blocks of every folder, laid out after the file entries.
  const folderBlocks = folders.map((folder) =>
    dataBlocks(folder, blockSize, dataReserve, checksums),
  );
  let offset = coffFiles + filesSize;
  const folderStarts = folderBlocks.map((blocks) => {
    const start = offset;
    offset += blocks.reduce((sum, b) => sum + b.length, 0);
    return start;
  });
  const cbCabinet = offset;

  const out = Buffer.alloc(cbCabinet);
  out.write('MSCF', 0, 'latin1');
  out.writeUInt32LE(cbCabinet, 8);
  out.writeUInt32LE(coffFiles, 16);
  out[24] = 3; // versionMinor
  out[25] = 1; // versionMajor
  out.writeUInt16LE(folders.length, 26);
  out.writeUInt16LE(files.length, 28);
  out.writeUInt16LE(reserve ? 0x0004 : 0, 30);
  out.writeUInt16LE(0x1234, 32); // setID
  let pos = 36;
  if (reserve) {
    out.writeUInt16LE(reserve.header, pos);
    out[pos + 2] = reserve.folder;
    out[pos + 3] = reserve.data;
    pos += 4 + reserve.header;
  }
  folders.forEach((folder, i) => {
    out.writeUInt32LE(folderStarts[i], pos);
    out.writeUInt16LE(folderBlocks[i].length, pos + 4);
    out.writeUInt16LE(folder.compression === 'mszip' ? 1 : 0, pos + 6);
    pos += folderEntrySize;
  });
  const offsetInFolder = new Array<number>(folders.length).fill(0);
  files.forEach((file, i) => {
    out.writeUInt32LE(file.data.length, pos);
    out.writeUInt32LE(offsetInFolder[file.iFolder], pos + 4);
    out.writeUInt16LE(file.iFolder, pos + 8);
    out.writeUInt16LE((44 << 9) | (6 << 5) | 15, pos + 10); // 2024-06-15
    out.writeUInt16LE((12 << 11) | (30 << 5), pos + 12); // 12:30:00
    const ascii = names[i].every((b) => b < 0x80);
    out.writeUInt16LE(0x20 | (ascii ? 0 : 0x80), pos + 14); // _A_ARCH, _A_NAME_IS_UTF
    names[i].copy(out, pos + 16);
    pos += 16 + names[i].length + 1;
    offsetInFolder[file.iFolder] += file.data.length;
  });
  for (const blocks of folderBlocks) {
    for (const block of blocks) {
      out.set(block, pos);
      pos += block.length;
    }
  }
  return opts.trailer ? Buffer.concat([out, opts.trailer]) : out;
}

function dataBlocks(
  folder: CabWriterFolder,
  blockSize: number,
  dataReserve: number,
  checksums: boolean,
): Buffer[] {
  const content = Buffer.concat(folder.files.map((f) => f.data));
  const blocks: Buffer[] = [];
  for (let start = 0; start < content.length; start += blockSize) {
    const chunk = content.subarray(start, start + blockSize);
    let payload: Buffer;
    if (folder.compression === 'mszip') {
      // The deflater sees the previous 32 KB as its dictionary, so matches cross block borders.
      const history = content.subarray(Math.max(0, start - MSZIP_WINDOW), start);
      payload = Buffer.concat([
        Buffer.from('CK'),
        deflateRawSync(chunk, history.length > 0 ? { dictionary: history } : {}),
      ]);
    } else {
      payload = Buffer.from(chunk);
    }
    const block = Buffer.alloc(8 + dataReserve + payload.length);
    block.writeUInt16LE(payload.length, 4);
    block.writeUInt16LE(chunk.length, 6);
    payload.copy(block, 8 + dataReserve);
    if (checksums)
      block.writeUInt32LE(
        cabChecksum(block.subarray(4, 8 + dataReserve), cabChecksum(payload, 0)),
        0,
      );
    blocks.push(block);
  }
  return blocks;
}
