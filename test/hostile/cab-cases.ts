import { strToU8 } from 'fflate';
import { deflateRawSync } from 'node:zlib';
import { writeCabinet, type CabWriterOptions } from '../support/cab-writer.js';
import { zipEntries } from '../support/package-builder.js';
import {
  ACCEPTED,
  FINISHES,
  MB,
  acceptedEntries,
  baseEntries,
  editXml,
  latin1,
  refused,
  text,
  withBytes,
  writeInput,
  type HostileCase,
} from './case.js';

type CabCase = Omit<HostileCase, 'container' | 'build'> & { bytes: () => Uint8Array };

/** A case whose input is a .cab named after it. */
function cab(c: CabCase): HostileCase {
  const { bytes, ...rest } = c;
  return { ...rest, container: 'cab', build: (dir) => writeInput(dir, `${c.name}.cab`, bytes()) };
}

type Files = Array<{ name: string; data: Uint8Array }>;

/** Package entries as cabinet files, named with backslashes as cabinet tools write them. */
const filesOf = (entries: Record<string, Uint8Array>): Files =>
  Object.entries(entries).map(([name, data]) => ({ name: name.replace(/\//g, '\\'), data }));

function cabOf(
  files: Files,
  compression: 'none' | 'mszip' = 'mszip',
  opts: CabWriterOptions = {},
): Uint8Array {
  return writeCabinet([{ compression, files }], opts);
}

const base = (): Files => filesOf(baseEntries());

// Offsets in a cabinet of one folder and no reserved areas (MS-CAB 2.1-2.3).
const CB_CABINET = 8;
const VERSION_MINOR = 24;
const C_FILES = 28;
const FLAGS = 30;
const FOLDER = 36;
const TYPE_COMPRESS = FOLDER + 6;
const FIRST_FILE = FOLDER + 8;

/** Patches a copy of a cabinet. */
function patched(bytes: Uint8Array, edit: (b: Buffer) => void): Uint8Array {
  const b = Buffer.from(bytes);
  edit(b);
  return new Uint8Array(b);
}

/** Offsets of the CFFILE entries of a cabinet of one folder. */
function fileEntries(b: Buffer): number[] {
  const out: number[] = [];
  let pos = b.readUInt32LE(16);
  for (let i = 0; i < b.readUInt16LE(C_FILES); i++) {
    out.push(pos);
    pos = b.indexOf(0, pos + 16) + 1;
  }
  return out;
}

/** Where the first CFDATA block starts. */
const dataStart = (b: Buffer): number => b.readUInt32LE(FOLDER);

/**
 * A cabinet whose folder really holds `tailOffset + 10` bytes of MSZIP blocks (zeros after the
 * package's files) and whose last file, 10 bytes long, sits at `tailOffset`: reading it means
 * inflating everything before it. The blocks are real; the megabytes of zeros compress to a few
 * hundred kilobytes.
 */
function sparseCabinet(files: Files, tailOffset: number): Uint8Array {
  const head = Buffer.concat(files.map((f) => f.data));
  const total = tailOffset + 10;
  const BLOCK = 32768;
  const zeroBlock = Buffer.concat([Buffer.from('CK'), deflateRawSync(Buffer.alloc(BLOCK))]);
  const blocks: Buffer[] = [];
  for (let at = 0; at < total; at += BLOCK) {
    const size = Math.min(BLOCK, total - at);
    const chunk = Buffer.alloc(size);
    if (at < head.length) head.copy(chunk, 0, at, Math.min(head.length, at + size));
    const payload =
      at >= head.length && size === BLOCK
        ? zeroBlock
        : Buffer.concat([Buffer.from('CK'), deflateRawSync(chunk)]);
    const header = Buffer.alloc(8); // csum 0: not checksummed
    header.writeUInt16LE(payload.length, 4);
    header.writeUInt16LE(size, 6);
    blocks.push(header, payload);
  }
  const entries = [
    ...files.map((f) => ({ name: f.name, size: f.data.length })),
    { name: 'WebResources\\tail.bin', size: 10 },
  ];
  let offset = 0;
  const fileBytes = entries.map((f, i) => {
    const e = Buffer.alloc(16 + Buffer.byteLength(f.name) + 1);
    e.writeUInt32LE(f.size, 0);
    e.writeUInt32LE(i === files.length ? tailOffset : offset, 4);
    e.writeUInt16LE(0x20, 14);
    e.write(f.name, 16, 'latin1');
    offset += f.size;
    return e;
  });
  const header = Buffer.alloc(36 + 8);
  const filesStart = header.length;
  const blocksStart = filesStart + fileBytes.reduce((n, e) => n + e.length, 0);
  const size = blocksStart + blocks.reduce((n, b) => n + b.length, 0);
  header.write('MSCF', 0, 'latin1');
  header.writeUInt32LE(size, CB_CABINET);
  header.writeUInt32LE(filesStart, 16);
  header[VERSION_MINOR] = 3;
  header[VERSION_MINOR + 1] = 1;
  header.writeUInt16LE(1, 26);
  header.writeUInt16LE(entries.length, C_FILES);
  header.writeUInt32LE(blocksStart, FOLDER);
  header.writeUInt16LE(blocks.length / 2, FOLDER + 4);
  header.writeUInt16LE(1, TYPE_COMPRESS);
  return new Uint8Array(Buffer.concat([header, ...fileBytes, ...blocks]));
}

/** A cabinet holding one file: the first-party wrapping of a zip. */
const wrapping = (name: string, bytes: Uint8Array): Uint8Array => cabOf([{ name, data: bytes }]);

// ---- controls, bombs and counts --------------------------------------------------------------

const controls: HostileCase[] = [
  cab({
    name: 'cab-control',
    class: 'control',
    what: 'the base package as an MSZIP cabinet: what every cabinet case below starts from',
    expect: ACCEPTED,
    bytes: () => cabOf(filesOf(acceptedEntries('HostileCabControl'))),
  }),
  cab({
    name: 'cab-wrapping-solution-zip',
    class: 'control',
    what: 'a cabinet wrapping the solution zip, as first-party cabinets do',
    expect: ACCEPTED,
    bytes: () =>
      wrapping('HostileCabZip_1_0_0_0_managed.zip', zipEntries(acceptedEntries('HostileCabZip'))),
  }),
];

const bombs: HostileCase[] = [
  cab({
    name: 'cab-file-declares-300mb',
    class: 'zip-bomb',
    what: 'a cabinet whose first file declares 300 MB',
    expect: refused('PACKAGE_TOO_LARGE'),
    isolate: true,
    bytes: () => patched(cabOf(base()), (b) => b.writeUInt32LE(300 * MB, fileEntries(b)[0])),
  }),
  cab({
    name: 'cab-300-files-share-one-megabyte',
    class: 'zip-bomb',
    what: '300 files that all point at the same megabyte of the folder',
    expect: refused('PACKAGE_TOO_LARGE'),
    isolate: true,
    bytes: () => {
      const files = [
        ...base(),
        { name: 'WebResources\\blob.bin', data: new Uint8Array(MB) },
        ...Array.from({ length: 300 }, (_, i) => ({
          name: `WebResources\\alias-${i}.bin`,
          data: new Uint8Array(0),
        })),
      ];
      return patched(cabOf(files), (b) => {
        const at = fileEntries(b);
        const blob = at[files.length - 301];
        for (const e of at.slice(files.length - 300)) {
          b.writeUInt32LE(MB, e);
          b.writeUInt32LE(b.readUInt32LE(blob + 4), e + 4);
        }
      });
    },
  }),
  cab({
    name: 'cab-file-250mb-into-folder',
    class: 'zip-bomb',
    what: 'a 10-byte file 250 MB into a folder of real MSZIP blocks: reading it inflates them all',
    expect: refused('PACKAGE_TOO_LARGE'),
    isolate: true,
    bytes: () => sparseCabinet(base(), 250 * MB),
  }),
  cab({
    name: 'cab-50001-files-declared',
    class: 'many-entries',
    what: 'a cabinet header counting 50,001 files',
    expect: refused('PACKAGE_TOO_MANY_ENTRIES', '50000'),
    bytes: () => patched(cabOf(base()), (b) => b.writeUInt16LE(50_001, C_FILES)),
  }),
  cab({
    name: 'cab-49994-files',
    class: 'slow-path',
    what: 'a cabinet of 49,994 files, under the limit: reading them must take seconds',
    expect: FINISHES,
    isolate: true,
    finding: 'slow paths: 49,994 entries',
    bytes: () =>
      cabOf(
        [
          ...base(),
          ...Array.from({ length: 49_994 - base().length }, (_, i) => ({
            name: `WebResources\\many\\f${i}.txt`,
            data: strToU8(`${i}\n`),
          })),
        ],
        'none',
      ),
  }),
];

// ---- names, nesting, XML ---------------------------------------------------------------------

const traversal: HostileCase[] = [
  ['cab-name-parent-folder', '..\\evil.txt', 'climbs out of the package'],
  ['cab-name-absolute-path', '\\Windows\\evil.txt', 'an absolute path'],
  ['cab-name-drive-letter', 'C:\\evil.txt', 'a Windows drive path'],
  ['cab-name-is-a-folder', 'WebResources\\', 'names a folder, not a file'],
].map(([name, entry, why]) =>
  cab({
    name,
    class: 'path-traversal',
    what: `a file named "${entry}": ${why}`,
    expect: refused('PACKAGE_BAD_ENTRY_NAME', entry),
    bytes: () => cabOf([...base(), { name: entry, data: strToU8('x') }]),
  }),
);
traversal.push(
  cab({
    name: 'cab-name-empty',
    class: 'path-traversal',
    what: 'a file whose name is empty',
    expect: refused('PACKAGE_BAD_ENTRY_NAME'),
    bytes: () => cabOf([...base(), { name: '', data: strToU8('x') }]),
  }),
  cab({
    name: 'cab-wrapping-zip-with-traversal',
    class: 'path-traversal',
    what: 'a cabinet wrapping a zip that has an entry ../evil.txt',
    expect: refused('PACKAGE_BAD_ENTRY_NAME', '../evil.txt'),
    bytes: () =>
      wrapping('Hostile.zip', zipEntries({ ...baseEntries(), '../evil.txt': strToU8('x') })),
  }),
);

const nested: HostileCase[] = [
  cab({
    name: 'cab-holding-two-zips',
    class: 'nested',
    what: 'a cabinet holding two solution zips',
    expect: refused('PACKAGE_NESTED_ZIP', '1 more'),
    bytes: () =>
      cabOf([
        { name: 'A_1_0_0_0.zip', data: zipEntries(baseEntries()) },
        { name: 'B_1_0_0_0.zip', data: zipEntries(baseEntries()) },
      ]),
  }),
  cab({
    name: 'cab-holding-cab',
    class: 'nested',
    what: 'a cabinet holding a cabinet of the solution',
    expect: refused('PACKAGE_NESTED_ZIP', 'inner.cab'),
    bytes: () => wrapping('inner.cab', cabOf(base())),
  }),
  cab({
    name: 'cab-wrapping-zip-of-zip',
    class: 'nested',
    what: 'a cabinet wrapping a zip that holds the solution zip',
    expect: refused('PACKAGE_NESTED_ZIP', 'Hostile_1_0_0_0.zip'),
    bytes: () =>
      wrapping('outer.zip', zipEntries({ 'Hostile_1_0_0_0.zip': zipEntries(baseEntries()) })),
  }),
  cab({
    name: 'cab-wrapping-zip-without-customizations',
    class: 'nested',
    what: 'a cabinet wrapping a zip that lacks customizations.xml',
    expect: refused('PACKAGE_LAYOUT_INVALID', 'customizations.xml'),
    bytes: () => wrapping('Hostile.zip', zipEntries(baseEntries({ omit: ['customizations.xml'] }))),
  }),
  cab({
    name: 'cab-wrapping-corrupt-zip',
    class: 'nested',
    what: 'a cabinet wrapping the first half of a solution zip',
    expect: refused('PACKAGE_CORRUPT', 'Hostile.zip'),
    bytes: () => {
      const z = zipEntries(baseEntries());
      return wrapping('Hostile.zip', z.subarray(0, z.length >> 1));
    },
  }),
];

const xml: HostileCase[] = [
  cab({
    name: 'cab-doctype-customizations',
    class: 'xml-entities',
    what: 'a cabinet whose customizations.xml declares an external entity',
    expect: refused('XML_DTD_FORBIDDEN', 'customizations.xml'),
    bytes: () =>
      cabOf(
        filesOf(
          editXml(
            baseEntries(),
            'customizations.xml',
            (c) =>
              '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' +
              c.slice(c.indexOf('<Import')),
          ),
        ),
      ),
  }),
  cab({
    name: 'cab-windows-1252-customizations',
    class: 'encoding',
    what: 'a cabinet whose customizations.xml is in Windows-1252 ("Kiste für Bücher")',
    expect: refused('XML_ENCODING', 'customizations.xml'),
    bytes: () => {
      const c = text(baseEntries(), 'customizations.xml').replace('Box', 'Kiste für Bücher');
      return cabOf(filesOf(withBytes(baseEntries(), 'customizations.xml', latin1(c))));
    },
  }),
  cab({
    name: 'cab-name-not-utf8',
    class: 'encoding',
    what: 'a file name flagged as UTF-8 that is not valid UTF-8',
    expect: refused('PACKAGE_BAD_ENTRY_NAME', 'UTF-8'),
    bytes: () => {
      const c = cabOf([...base(), { name: 'WebResources\\é.txt', data: strToU8('x') }]);
      return patched(c, (b) => (b[b.indexOf(Buffer.from('é'))] = 0xff));
    },
  }),
];

// ---- ambiguity -------------------------------------------------------------------------------

const ambiguous: HostileCase[] = [
  cab({
    name: 'cab-customizations-twice',
    class: 'ambiguous',
    what: 'a cabinet with two files named customizations.xml, with different content',
    expect: refused('PACKAGE_DUPLICATE_ENTRY', 'customizations.xml'),
    finding: 'ambiguous: two entries named customizations.xml',
    bytes: () => {
      const other = editXml(baseEntries(), 'customizations.xml', (c) =>
        c.replace(/new_box/g, 'new_crate'),
      );
      return cabOf([...base(), { name: 'customizations.xml', data: other['customizations.xml'] }]);
    },
  }),
  cab({
    name: 'cab-solution-and-Solution',
    class: 'ambiguous',
    what: 'a cabinet with solution.xml (1.0.0.0) and Solution.xml (9.0.0.0)',
    expect: refused('PACKAGE_DUPLICATE_ENTRY', 'solution.xml', 'Solution.xml'),
    finding: 'ambiguous: solution.xml next to Solution.xml',
    bytes: () =>
      cabOf([
        ...base(),
        { name: 'Solution.xml', data: baseEntries({ version: '9.0.0.0' })['solution.xml'] },
      ]),
  }),
];

// ---- damaged cabinets ------------------------------------------------------------------------

const plain = (): Uint8Array => cabOf(base(), 'none');
const unchecked = (compression: 'none' | 'mszip'): Uint8Array =>
  cabOf(base(), compression, { checksums: false });

const corrupt: HostileCase[] = [
  cab({
    name: 'cab-damaged-data-byte',
    class: 'corrupt-cab',
    what: 'one flipped byte in the data of a checksummed block',
    expect: refused('CAB_CHECKSUM', 'cab-damaged-data-byte.cab'),
    bytes: () => patched(plain(), (b) => (b[b.length - 10] ^= 0xff)),
  }),
  cab({
    name: 'cab-lzx',
    class: 'corrupt-cab',
    what: 'a folder compressed with LZX',
    expect: refused('CAB_LZX_UNSUPPORTED', 'LZX'),
    bytes: () => patched(plain(), (b) => b.writeUInt16LE(0x1503, TYPE_COMPRESS)),
  }),
  cab({
    name: 'cab-quantum',
    class: 'corrupt-cab',
    what: 'a folder compressed with Quantum',
    expect: refused('CAB_COMPRESSION_UNKNOWN', 'Quantum'),
    bytes: () => patched(plain(), (b) => b.writeUInt16LE(2, TYPE_COMPRESS)),
  }),
  cab({
    name: 'cab-last-10-bytes-missing',
    class: 'corrupt-cab',
    what: 'a cabinet without its last 10 bytes',
    expect: refused('CAB_TRUNCATED', 'cab-last-10-bytes-missing.cab'),
    bytes: () => plain().subarray(0, plain().length - 10),
  }),
  cab({
    name: 'cab-first-20-bytes',
    class: 'corrupt-cab',
    what: 'the first 20 bytes of a cabinet: not even a whole header',
    expect: refused('CAB_TRUNCATED'),
    bytes: () => plain().subarray(0, 20),
  }),
  cab({
    name: 'cab-file-beyond-folder',
    class: 'corrupt-cab',
    what: 'a file that starts 2 GB into a folder of a few kilobytes',
    expect: refused('CAB_TRUNCATED', 'solution.xml'),
    bytes: () => patched(plain(), (b) => b.writeUInt32LE(0x7fff0000, FIRST_FILE + 4)),
  }),
  cab({
    name: 'cab-size-smaller-than-header',
    class: 'corrupt-cab',
    what: 'a header declaring the cabinet 20 bytes long',
    expect: refused('CAB_BAD_HEADER', '20 bytes'),
    bytes: () => patched(plain(), (b) => b.writeUInt32LE(20, CB_CABINET)),
  }),
  cab({
    name: 'cab-version-1-4',
    class: 'corrupt-cab',
    what: 'a header of format version 1.4, which does not exist',
    expect: refused('CAB_BAD_HEADER', '1.4'),
    bytes: () => patched(plain(), (b) => (b[VERSION_MINOR] = 4)),
  }),
  cab({
    name: 'cab-spanning-set',
    class: 'corrupt-cab',
    what: 'one cabinet of a multi-cabinet set (the "next cabinet" flag)',
    expect: refused('CAB_BAD_HEADER', 'spanning'),
    bytes: () => patched(plain(), (b) => b.writeUInt16LE(0x0002, FLAGS)),
  }),
  cab({
    name: 'cab-file-continued-from-previous',
    class: 'corrupt-cab',
    what: 'a file continued from a previous cabinet (folder 0xFFFD)',
    expect: refused('CAB_BAD_HEADER', 'solution.xml'),
    bytes: () => patched(plain(), (b) => b.writeUInt16LE(0xfffd, FIRST_FILE + 8)),
  }),
  cab({
    name: 'cab-file-in-missing-folder',
    class: 'corrupt-cab',
    what: 'a file in folder 1 of a cabinet of one folder',
    expect: refused('CAB_BAD_HEADER', 'folder 1'),
    bytes: () => patched(plain(), (b) => b.writeUInt16LE(1, FIRST_FILE + 8)),
  }),
  cab({
    name: 'cab-header-reserve-over-limit',
    class: 'corrupt-cab',
    what: 'a reserved header area of 60,001 bytes, over the format limit',
    expect: refused('CAB_BAD_HEADER', '60001'),
    bytes: () =>
      patched(plain(), (b) => {
        b.writeUInt16LE(0x0004, FLAGS);
        b.writeUInt16LE(60_001, FOLDER);
      }),
  }),
  cab({
    name: 'cab-name-over-256-bytes',
    class: 'corrupt-cab',
    what: 'a file name of 300 bytes, longer than the format allows',
    expect: refused('CAB_BAD_HEADER', '256'),
    bytes: () =>
      cabOf([...base(), { name: `WebResources\\${'n'.repeat(300)}`, data: strToU8('x') }]),
  }),
  cab({
    name: 'cab-mszip-without-ck',
    class: 'corrupt-cab',
    what: 'an MSZIP block that does not start with "CK"',
    expect: refused('CAB_BAD_DATA', 'CK'),
    bytes: () => patched(unchecked('mszip'), (b) => (b[dataStart(b) + 8] = 0x58)),
  }),
  cab({
    name: 'cab-mszip-garbage',
    class: 'corrupt-cab',
    what: 'an MSZIP block whose deflate data uses the reserved block type',
    expect: refused('CAB_BAD_DATA'),
    bytes: () => patched(unchecked('mszip'), (b) => (b[dataStart(b) + 10] |= 0x06)),
  }),
  cab({
    name: 'cab-mszip-inflates-past-declared',
    class: 'corrupt-cab',
    what: 'an MSZIP block that inflates to 30 bytes more than it declares',
    expect: refused('CAB_BAD_DATA', 'more than the declared'),
    bytes: () =>
      patched(unchecked('mszip'), (b) => {
        const block = dataStart(b);
        b.writeUInt16LE(b.readUInt16LE(block + 6) - 30, block + 6);
        const last = fileEntries(b).at(-1)!;
        b.writeUInt32LE(b.readUInt32LE(last) - 30, last);
      }),
  }),
  cab({
    name: 'cab-stored-block-sizes-disagree',
    class: 'corrupt-cab',
    what: 'an uncompressed block declaring one byte more than it stores',
    expect: refused('CAB_BAD_DATA', 'uncompressed'),
    bytes: () =>
      patched(unchecked('none'), (b) => {
        const block = dataStart(b);
        b.writeUInt16LE(b.readUInt16LE(block + 6) + 1, block + 6);
      }),
  }),
];

export const CAB_CASES: HostileCase[] = [
  ...controls,
  ...bombs,
  ...traversal,
  ...nested,
  ...xml,
  ...ambiguous,
  ...corrupt,
];
