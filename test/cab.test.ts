import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isCabinet, readCabinet, type CabFile, type CabLimits } from '../src/package/cab.js';
import { PackageError } from '../src/model/errors.js';
import { writeCabinet, type CabWriterFolder } from './support/cab-writer.js';
import { assertPackageError } from './support/errors.js';
import { withTempDir, writeEntries } from './support/temp.js';
import { HAVE_REAL_FIXTURES, NO_FIXTURES_REASON, REAL_FIXTURES } from './support/fixtures.js';

const LIMITS: CabLimits = { maxTotalBytes: 64 * 1024 * 1024, maxEntries: 1000 };

function haveTool(name: string): boolean {
  return spawnSync(name, ['--version'], { stdio: 'ignore' }).error === undefined;
}
const HAVE_GCAB = haveTool('gcab');
const HAVE_CABEXTRACT = haveTool('cabextract');
const NO_GCAB = HAVE_GCAB ? false : 'gcab not installed';
const NO_CABEXTRACT = HAVE_CABEXTRACT ? false : 'cabextract not installed';

/** Deterministic pseudo-random bytes: compressible text (XML-ish words and numbers) or noise. */
function varied(size: number, seed: number, kind: 'text' | 'noise' = 'text'): Buffer {
  let s = seed >>> 0 || 1;
  const next = (): number => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s >>> 8;
  };
  if (kind === 'noise') return Buffer.from(Array.from({ length: size }, () => next() & 0xff));
  const words = [
    '<attribute',
    'name="',
    'entity',
    'solution',
    '</attribute>',
    'value',
    'lookup',
    'msdyn_',
    '\n',
    '  ',
    'é',
    '"/>',
  ];
  let out = '';
  while (Buffer.byteLength(out) < size)
    out += words[next() % words.length] + (next() % 5 === 0 ? String(next() % 100000) : ' ');
  return Buffer.from(out).subarray(0, size);
}

function run(cmd: string, args: string[], cwd?: string): Buffer {
  const r = spawnSync(cmd, args, { cwd, maxBuffer: 64 * 1024 * 1024 });
  assert.equal(
    r.status,
    0,
    `${cmd} ${args.join(' ')} failed: ${r.stderr?.toString()}${r.stdout?.toString()}`,
  );
  return r.stdout;
}

/** Asserts `cabextract -t` accepts the cabinet (structure, checksums and MSZIP data). */
function assertCabextractAccepts(cab: Uint8Array): void {
  if (!HAVE_CABEXTRACT) return;
  withTempDir((dir) => {
    const p = join(dir, 'test.cab');
    writeFileSync(p, cab);
    const out = run('cabextract', ['-t', p]).toString();
    assert.match(out, /All done, no errors/);
  });
}

function asMap(files: CabFile[]): Map<string, Buffer> {
  return new Map(files.map((f) => [f.name, Buffer.from(f.data)]));
}

function expectCode(fn: () => unknown, code: string, message?: RegExp): PackageError {
  const e = assertPackageError(fn, code, message);
  assert.ok(e.hint && e.hint.length > 0, 'every error says what to do next');
  return e;
}

// --- cabinets written by gcab -------------------------------------------------------------

const GCAB_FILES: Record<string, Buffer> = {
  'big.xml': varied(180_000, 7),
  'small.txt': Buffer.from('hello, cabinet\n'),
  'empty.txt': Buffer.alloc(0),
  'sub/dir/noise.bin': varied(5000, 11, 'noise'),
  'données.txt': Buffer.from('non-ASCII name\n'),
};

for (const compressed of [false, true]) {
  const kind = compressed ? 'MSZIP' : 'uncompressed';
  test(`gcab ${kind} cabinet: every file comes back byte for byte`, { skip: NO_GCAB }, () => {
    withTempDir((dir) => {
      const src = join(dir, 'src');
      writeEntries(src, GCAB_FILES);
      const cabPath = join(dir, 'out.cab');
      run('gcab', ['-c', ...(compressed ? ['-z'] : []), cabPath, ...Object.keys(GCAB_FILES)], src);
      const bytes = readFileSync(cabPath);
      assert.ok(isCabinet(bytes));
      assert.ok(bytes.readUInt16LE(40) >= 5, 'the big file spans several CFDATA blocks');

      const files = readCabinet(bytes, LIMITS, 'out.cab');
      assert.deepEqual(
        files.map((f) => f.name),
        Object.keys(GCAB_FILES),
      );
      const got = asMap(files);
      for (const [name, data] of Object.entries(GCAB_FILES))
        assert.ok(got.get(name)?.equals(data), `${name} differs`);

      if (HAVE_CABEXTRACT) {
        const out = join(dir, 'x');
        run('cabextract', ['-q', '-d', out, cabPath]);
        for (const f of files)
          assert.ok(
            readFileSync(join(out, f.name)).equals(Buffer.from(f.data)),
            `cabextract disagrees on ${f.name}`,
          );
      }
    });
  });
}

// --- cabinets from the test writer: several folders, carried-over MSZIP window -------------

/**
 * 20,000 bytes of noise, repeated to 64 KB. Noise does not compress, so the second 32 KB block
 * comes out small only if its deflate stream may refer back into the first block. (zlib cannot
 * reach back a full 32,768 bytes, hence a period shorter than the block.)
 */
const REPEATED = ((): Buffer => {
  const noise = varied(20_000, 3, 'noise');
  return Buffer.concat([noise, noise, noise, noise]).subarray(0, 64 * 1024);
})();

const MULTI: CabWriterFolder[] = [
  {
    compression: 'none',
    files: [
      { name: 'readme.txt', data: Buffer.from('plain text\n') },
      { name: 'Other\\Solution.xml', data: varied(70_000, 5) },
    ],
  },
  {
    compression: 'mszip',
    files: [
      { name: 'repeated.bin', data: REPEATED },
      { name: 'customizations.xml', data: varied(120_000, 9) },
      { name: 'empty', data: Buffer.alloc(0) },
    ],
  },
  {
    compression: 'mszip',
    files: [{ name: 'Données\\été.txt', data: Buffer.from('UTF-8 name\n') }],
  },
];

function expectedMulti(): Map<string, Buffer> {
  return new Map(
    MULTI.flatMap((f) => f.files).map((f) => [f.name.replace(/\\/g, '/'), Buffer.from(f.data)]),
  );
}

test('several folders, NONE and MSZIP, several files per folder', () => {
  const cab = writeCabinet(MULTI);
  assertCabextractAccepts(cab);
  const files = readCabinet(cab, LIMITS, 'multi.cab');
  assert.deepEqual(asMap(files), expectedMulti());
});

test('MSZIP blocks see the previous 32 KB as their dictionary', () => {
  const cab = writeCabinet([
    { compression: 'mszip', files: [{ name: 'repeated.bin', data: REPEATED }] },
  ]);
  // Two 32 KB blocks in little more than the 20,000 bytes of noise: the second block is only
  // back-references, many of them into the first block.
  assert.ok(cab.length < 21_000, `cabinet is ${cab.length} bytes`);
  assertCabextractAccepts(cab);
  assert.ok(Buffer.from(readCabinet(cab, LIMITS)[0].data).equals(REPEATED));
});

test('odd block sizes, reserved areas and a trailer past cbCabinet', () => {
  const trailer = varied(2000, 13, 'noise');
  for (const blockSize of [1001, 4099, 32768]) {
    const cab = writeCabinet(MULTI, {
      blockSize,
      reserve: { header: 20, folder: 3, data: 5 },
      trailer,
    });
    assertCabextractAccepts(cab);
    assert.deepEqual(
      asMap(readCabinet(cab, LIMITS, 'reserved.cab')),
      expectedMulti(),
      `blockSize ${blockSize}`,
    );
  }
});

test('tiny blocks exercise every checksum tail length', () => {
  const folders: CabWriterFolder[] = [
    { compression: 'none', files: [{ name: 'a.bin', data: varied(3001, 17, 'noise') }] },
    { compression: 'mszip', files: [{ name: 'b.txt', data: varied(3001, 19) }] },
  ];
  for (const blockSize of [1, 2, 3, 5, 6, 7]) {
    const cab = writeCabinet(folders, { blockSize, reserve: { header: 0, folder: 0, data: 1 } });
    assertCabextractAccepts(cab);
    const files = readCabinet(cab, LIMITS);
    assert.ok(
      Buffer.from(files[0].data).equals(folders[0].files[0].data),
      `blockSize ${blockSize}`,
    );
    assert.ok(
      Buffer.from(files[1].data).equals(folders[1].files[0].data),
      `blockSize ${blockSize}`,
    );
  }
});

test('an empty cabinet has no files', () => {
  assert.deepEqual(readCabinet(writeCabinet([]), LIMITS), []);
});

test('isCabinet looks at the signature only', () => {
  assert.equal(isCabinet(Buffer.from('MSCF')), true);
  assert.equal(isCabinet(Buffer.from('PK\x03\x04')), false);
  assert.equal(isCabinet(Buffer.from('MSC')), false);
  assert.equal(isCabinet(new Uint8Array(0)), false);
});

// --- hostile and damaged cabinets -----------------------------------------------------------

const ONE_FOLDER: CabWriterFolder[] = [
  {
    compression: 'none',
    files: [
      { name: 'a.txt', data: varied(1000, 21) },
      { name: 'b.txt', data: varied(500, 22) },
    ],
  },
];
// Layout without reserve: CFHEADER (36) then CFFOLDER: coffCabStart u32, cCFData u16,
// typeCompress u16.
const TYPE_COMPRESS = 36 + 6;
const FIRST_FILE = 36 + 8;

function patched(cab: Uint8Array, edit: (b: Buffer) => void): Buffer {
  const b = Buffer.from(cab);
  edit(b);
  return b;
}

test('a damaged data byte fails the checksum', () => {
  for (const compression of ['none', 'mszip'] as const) {
    const cab = writeCabinet([{ ...ONE_FOLDER[0], compression }]);
    const bad = patched(cab, (b) => (b[b.length - 3] ^= 0x40));
    const e = expectCode(
      () => readCabinet(bad, LIMITS, 'damaged.cab'),
      'CAB_CHECKSUM',
      /damaged\.cab .*checksum/,
    );
    assert.match(e.hint ?? '', /fresh copy/);
  }
});

test('a stored checksum of 0 means "not checksummed"', () => {
  const cab = writeCabinet(ONE_FOLDER, { checksums: false });
  const bad = patched(cab, (b) => (b[b.length - 1] ^= 0x01));
  const files = readCabinet(bad, LIMITS);
  assert.notDeepEqual(Buffer.from(files[1].data), ONE_FOLDER[0].files[1].data);
});

test('LZX is refused with a way forward', () => {
  // LZX, window 21
  const cab = patched(writeCabinet(ONE_FOLDER), (b) => b.writeUInt16LE(0x1503, TYPE_COMPRESS));
  const e = expectCode(
    () => readCabinet(cab, LIMITS, 'solution.cab'),
    'CAB_LZX_UNSUPPORTED',
    /solution\.cab .*LZX.*not supported/,
  );
  assert.match(e.hint ?? '', /MSZIP/);
  assert.match(e.hint ?? '', /\.zip/);
});

test('Quantum and unknown compression methods are refused', () => {
  for (const method of [2, 7, 15]) {
    const cab = patched(writeCabinet(ONE_FOLDER), (b) => b.writeUInt16LE(method, TYPE_COMPRESS));
    expectCode(
      () => readCabinet(cab, LIMITS),
      'CAB_COMPRESSION_UNKNOWN',
      method === 2 ? /Quantum/ : /unknown/,
    );
  }
});

test('truncated cabinets are reported as truncated', () => {
  const cab = writeCabinet(ONE_FOLDER);
  expectCode(
    () => readCabinet(cab.subarray(0, cab.length - 10), LIMITS, 'short.cab'),
    'CAB_TRUNCATED',
    /short\.cab is truncated/,
  );
  expectCode(() => readCabinet(cab.subarray(0, 20), LIMITS), 'CAB_TRUNCATED');
  // Offsets beyond cbCabinet are truncation too, even when the header's size matches the file.
  expectCode(
    () =>
      readCabinet(
        patched(cab, (b) => b.writeUInt32LE(cab.length + 100, 36)),
        LIMITS,
      ),
    'CAB_TRUNCATED',
  );
  expectCode(
    () =>
      readCabinet(
        patched(cab, (b) => b.writeUInt32LE(cab.length - 2, 16)),
        LIMITS,
      ),
    'CAB_TRUNCATED',
  );
  // A file that reaches past the data its folder holds (and could otherwise force a huge inflate).
  expectCode(
    () =>
      readCabinet(
        patched(cab, (b) => b.writeUInt32LE(0x7fff0000, FIRST_FILE + 4)),
        LIMITS,
      ),
    'CAB_TRUNCATED',
  );
});

test('bad signatures, versions and spanning cabinets are bad headers', () => {
  const cab = writeCabinet(ONE_FOLDER);
  expectCode(
    () =>
      readCabinet(
        patched(cab, (b) => b.write('MSCX', 0, 'latin1')),
        LIMITS,
        'x.cab',
      ),
    'CAB_BAD_HEADER',
    /x\.cab is not a Microsoft Cabinet/,
  );
  expectCode(() => readCabinet(Buffer.from('PK\x03\x04 not a cabinet'), LIMITS), 'CAB_BAD_HEADER');
  expectCode(
    () =>
      readCabinet(
        patched(cab, (b) => (b[24] = 4)),
        LIMITS,
      ),
    'CAB_BAD_HEADER',
    /version 1\.4/,
  );
  expectCode(
    () =>
      readCabinet(
        patched(cab, (b) => b.writeUInt16LE(0x0002, 30)),
        LIMITS,
      ),
    'CAB_BAD_HEADER',
    /spanning cabinets are not supported/,
  );
  expectCode(
    () =>
      readCabinet(
        patched(cab, (b) => b.writeUInt16LE(0xfffd, FIRST_FILE + 8)),
        LIMITS,
      ),
    'CAB_BAD_HEADER',
    /spanning/,
  );
  expectCode(
    () =>
      readCabinet(
        patched(cab, (b) => b.writeUInt16LE(1, FIRST_FILE + 8)),
        LIMITS,
      ),
    'CAB_BAD_HEADER',
    /folder 1/,
  );
});

test('MSZIP data that does not decode is reported', () => {
  const cab = writeCabinet([{ ...ONE_FOLDER[0], compression: 'mszip' }], { checksums: false });
  const dataStart = Buffer.from(cab).readUInt32LE(36);
  expectCode(
    () =>
      readCabinet(
        patched(cab, (b) => (b[dataStart + 8] = 0x58)),
        LIMITS,
      ),
    'CAB_BAD_DATA',
    /"CK"/,
  );
  // a.txt + b.txt = 1,500 bytes in one block
  expectCode(
    () =>
      readCabinet(
        patched(cab, (b) => b.writeUInt16LE(1600, dataStart + 6)),
        LIMITS,
      ),
    'CAB_BAD_DATA',
    /to 1500 bytes instead of the declared 1600/,
  );
  const shorter = patched(cab, (b) => {
    b.writeUInt16LE(1400, dataStart + 6);
    // b.txt's size, so the files fit in 1,400
    b.writeUInt32LE(300, FIRST_FILE + 16 + 'a.txt'.length + 1);
  });
  expectCode(
    () => readCabinet(shorter, LIMITS),
    'CAB_BAD_DATA',
    /more than the declared 1400 bytes/,
  );
});

test('unsafe entry names are refused', () => {
  for (const name of [
    '..\\evil.txt',
    'a\\..\\..\\evil.txt',
    '\\abs.txt',
    '/abs.txt',
    'C:\\evil.txt',
    '',
    'folder\\',
  ]) {
    const cab = writeCabinet([{ compression: 'none', files: [{ name, data: Buffer.from('x') }] }]);
    expectCode(
      () => readCabinet(cab, LIMITS, 'evil.cab'),
      'PACKAGE_BAD_ENTRY_NAME',
      /evil\.cab contains a file with an unsafe name/,
    );
  }
  const badUtf8 = patched(
    writeCabinet([{ compression: 'none', files: [{ name: 'é.txt', data: Buffer.from('x') }] }]),
    (b) => (b[FIRST_FILE + 16] = 0xff),
  );
  expectCode(() => readCabinet(badUtf8, LIMITS), 'PACKAGE_BAD_ENTRY_NAME', /not valid UTF-8/);
});

test('size and entry limits', () => {
  const cab = writeCabinet(ONE_FOLDER);
  expectCode(
    () => readCabinet(cab, { maxTotalBytes: 1200, maxEntries: 10 }, 'big.cab'),
    'PACKAGE_TOO_LARGE',
    /big\.cab is too large: .*1,500 bytes.*allowed 1,200 bytes/,
  );
  expectCode(
    () => readCabinet(cab, { maxTotalBytes: 1e6, maxEntries: 1 }, 'many.cab'),
    'PACKAGE_TOO_MANY_ENTRIES',
    /many\.cab holds 2 files, more than the allowed 1/,
  );
  assert.equal(readCabinet(cab, { maxTotalBytes: 1500, maxEntries: 2 }).length, 2);
  // Sparse layout: a.txt shrunk to 10 bytes leaves 510 bytes of files, but b.txt still starts at
  // offset 1,000, so reading it means inflating 1,500 bytes: that is what the limit must count.
  const sparse = patched(cab, (b) => b.writeUInt32LE(10, FIRST_FILE));
  expectCode(
    () => readCabinet(sparse, { maxTotalBytes: 1000, maxEntries: 10 }),
    'PACKAGE_TOO_LARGE',
    /decompressing 1,500 bytes/,
  );
});

// --- real cabinets --------------------------------------------------------------------------

const URS = join(REAL_FIXTURES, 'fasttrack-urs-upgradescripts');
const REAL_CABS =
  HAVE_REAL_FIXTURES && existsSync(URS)
    ? readdirSync(URS)
        .filter((n) => n.endsWith('.cab'))
        .sort()
    : [];

test(
  'real signed cabinets hold one solution zip',
  {
    skip: HAVE_REAL_FIXTURES
      ? REAL_CABS.length === 0
        ? `no .cab files in ${URS}`
        : false
      : NO_FIXTURES_REASON,
  },
  () => {
    for (const name of REAL_CABS) {
      const path = join(URS, name);
      const bytes = readFileSync(path);
      assert.ok(
        bytes.readUInt32LE(8) < bytes.length,
        `${name} carries a signature trailer past cbCabinet`,
      );
      const files = readCabinet(bytes, LIMITS, name);
      assert.equal(files.length, 1, name);
      assert.match(files[0].name, /^msdyn_URSUpgradeScripts(_managed)?\.zip$/);
      assert.deepEqual([...files[0].data.subarray(0, 4)], [0x50, 0x4b, 0x03, 0x04]);
      if (HAVE_CABEXTRACT) {
        const viaCabextract = run('cabextract', ['-q', '-p', '-F', files[0].name, path]);
        assert.ok(
          viaCabextract.equals(Buffer.from(files[0].data)),
          `${name}: cabextract -p disagrees`,
        );
      }
    }
  },
);

test('cabextract is available to cross-check the writer', { skip: NO_CABEXTRACT }, () => {
  assert.ok(HAVE_CABEXTRACT);
});
