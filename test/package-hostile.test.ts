/**
 * Hostile containers (issue 11): package folders with links and special files, zips whose
 * headers lie, overlap or hide, packages holding one name twice, and a package at the entry
 * limit. Each is refused with its own code and a message naming what is wrong — quickly, and
 * without reading what it points at.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { constants, deflateRawSync } from 'node:zlib';
import { strToU8, zipSync } from 'fflate';
import { planImport } from '../src/engine/plan.js';
import { readCabinet } from '../src/package/cab.js';
import { readPackage } from '../src/package/read.js';
import { unpackToFolder } from '../src/package/unpack.js';
import { writeCabinet } from './support/cab-writer.js';
import { assertPackageError } from './support/errors.js';
import { packageEntries, zipEntries, type BuildOptions } from './support/package-builder.js';
import { environment } from './support/snapshot-builder.js';
import { withTempDir, writeEntries } from './support/temp.js';
import { writeZip, type RawEntry } from './support/zip-writer.js';

const BASE: BuildOptions = {
  uniqueName: 'Hostile',
  managed: true,
  publisher: { uniqueName: 'hostilepub', prefix: 'new', optionValuePrefix: 30000 },
  entities: [{ name: 'new_box', attributes: ['new_boxid', 'new_name'] }],
  webResources: [{ name: 'new_/app.js', content: 'var app = 1;' }],
};
/** a hang fails the test instead of the run */
const QUICK = { timeout: 20_000 };

const entries = (): Record<string, Uint8Array> => packageEntries(BASE);
const webResourcePath = (): string =>
  Object.keys(entries()).find((k) => k.startsWith('WebResources/'))!;
const rawEntries = (): RawEntry[] =>
  Object.entries(entries()).map(([name, data]) => ({ name, data }));

/** A package folder of BASE with `tamper` applied to it (paths are the package's). */
function hostileFolder<T>(tamper: (dir: string) => void, check: (dir: string) => T): T {
  return withTempDir((dir) => {
    const pkg = join(dir, 'pkg');
    writeEntries(pkg, entries());
    tamper(pkg);
    return check(pkg);
  });
}

// ---- folders ----------------------------------------------------------------------------------

describe('a package folder is read without following links or opening special files', () => {
  test('the untampered folder reads (control case)', () => {
    hostileFolder(
      () => undefined,
      (dir) => assert.equal(readPackage(dir).manifest.uniqueName, 'Hostile'),
    );
  });

  const links: Array<[string, (dir: string) => string, string]> = [
    ['a web resource linked to /etc/passwd', () => webResourcePath(), '/etc/passwd'],
    ['an extra file linked to /etc/shadow', () => 'Assets/secret.txt', '/etc/shadow'],
    ['customizations.xml linked outside the folder', () => 'customizations.xml', '../outside.xml'],
    ['a link to a directory', () => 'Assets', '/etc'],
    ['a link to /dev/zero', () => 'Assets/zero.bin', '/dev/zero'],
    ['a dangling link', () => 'Assets/nothing.txt', '/nonexistent/strata/target'],
  ];
  for (const [what, pathOf, target] of links) {
    test(`${what} is refused, naming the link and its target`, QUICK, () => {
      hostileFolder(
        (dir) => {
          const path = join(dir, pathOf(dir));
          rmSync(path, { force: true, recursive: true });
          mkdirSync(join(path, '..'), { recursive: true });
          if (target === '../outside.xml')
            writeFileSync(join(dir, target), entries()['customizations.xml']);
          symlinkSync(target, path);
        },
        (dir) => {
          const err = assertPackageError(() => readPackage(dir), 'PACKAGE_LINK_FORBIDDEN');
          assert.ok(err.message.includes(join(dir, pathOf(dir))), err.message);
          assert.ok(err.message.includes(target), err.message);
          assert.ok(err.hint);
        },
      );
    });
  }

  test('a symbolic link loop is refused, not followed', QUICK, () => {
    hostileFolder(
      (dir) => {
        symlinkSync('loop-b', join(dir, 'loop-a'));
        symlinkSync('loop-a', join(dir, 'loop-b'));
      },
      (dir) =>
        assertPackageError(() => readPackage(dir), 'PACKAGE_LINK_FORBIDDEN', /loop-a.*loop-b/),
    );
  });

  test('a link that stays inside the folder is refused too', () => {
    hostileFolder(
      (dir) => symlinkSync('../solution.xml', join(dir, 'WebResources', 'copy.xml')),
      (dir) => assertPackageError(() => readPackage(dir), 'PACKAGE_LINK_FORBIDDEN', /WebResources/),
    );
  });

  test('a SolutionPackager folder whose Other/Customizations.xml is a link is refused', () => {
    withTempDir((dir) => {
      const e = entries();
      writeEntries(dir, {
        'Other/Solution.xml': e['solution.xml'],
        'WebResources/app.js': strToU8('var app = 1;'),
      });
      writeFileSync(join(dir, '..', 'strata-outside-customizations.xml'), e['customizations.xml']);
      symlinkSync(
        join(dir, '..', 'strata-outside-customizations.xml'),
        join(dir, 'Other', 'Customizations.xml'),
      );
      try {
        assertPackageError(
          () => readPackage(dir),
          'PACKAGE_LINK_FORBIDDEN',
          /Other\/Customizations\.xml/,
        );
      } finally {
        rmSync(join(dir, '..', 'strata-outside-customizations.xml'), { force: true });
      }
    });
  });

  test('a SolutionPackager web resource that would land on another file is ambiguous', () => {
    withTempDir((dir) => {
      unpackToFolder(zipEntries(entries()), dir);
      // the web resource's content moves to where its <FileName> says, and a file is there
      const wr = webResourcePath();
      renameSync(join(dir, `${wr}.data.xml`), join(dir, 'WebResources', 'other.js.data.xml'));
      renameSync(join(dir, wr), join(dir, 'WebResources', 'other.js'));
      writeFileSync(join(dir, wr), 'var impostor = 1;');
      const err = assertPackageError(() => readPackage(dir), 'PACKAGE_DUPLICATE_ENTRY');
      assert.deepEqual(err.details, { entries: [wr, wr] });
    });
  });

  test('a FIFO in the folder is refused at once, naming it', QUICK, () => {
    hostileFolder(
      (dir) => execFileSync('mkfifo', [join(dir, 'WebResources', 'pipe')]),
      (dir) => {
        const err = assertPackageError(() => readPackage(dir), 'PACKAGE_SPECIAL_FILE', /FIFO/);
        assert.ok(err.message.includes(join(dir, 'WebResources', 'pipe')), err.message);
      },
    );
  });

  test('a FIFO or a device named as the package is refused, not read', QUICK, () => {
    withTempDir((dir) => {
      const fifo = join(dir, 'package.zip');
      execFileSync('mkfifo', [fifo]);
      assertPackageError(() => readPackage(fifo), 'PACKAGE_SPECIAL_FILE', /package\.zip.*FIFO/);
    });
    assertPackageError(
      () => readPackage('/dev/zero'),
      'PACKAGE_SPECIAL_FILE',
      /\/dev\/zero is a character device/,
    );
  });

  test('bytes are counted as read, not taken from the size the file system reports', () => {
    // /proc files report a size of 0 and hold more
    assertPackageError(
      () => readPackage('/proc/self/status', { limits: { maxTotalBytes: 100, maxEntries: 10 } }),
      'PACKAGE_TOO_LARGE',
    );
  });

  test('a folder file over what the size limit leaves is refused', () => {
    hostileFolder(
      (dir) => writeFileSync(join(dir, 'WebResources', 'big.bin'), new Uint8Array(64 * 1024)),
      (dir) =>
        assertPackageError(
          () => readPackage(dir, { limits: { maxTotalBytes: 32 * 1024, maxEntries: 100 } }),
          'PACKAGE_TOO_LARGE',
        ),
    );
  });

  test('solution.xml beside Solution.xml in a folder is ambiguous: both are named', () => {
    hostileFolder(
      (dir) =>
        writeFileSync(
          join(dir, 'Solution.xml'),
          Buffer.from(entries()['solution.xml']).toString().replace('1.0.0.0', '9.0.0.0'),
        ),
      (dir) => {
        const err = assertPackageError(() => readPackage(dir), 'PACKAGE_DUPLICATE_ENTRY');
        assert.deepEqual(err.details, { entries: ['Solution.xml', 'solution.xml'] });
      },
    );
  });
});

// ---- zips -------------------------------------------------------------------------------------

describe('a zip is believed only where its bytes agree with its headers', () => {
  test('the byte-by-byte writer makes a zip strata reads (control case)', () => {
    const pkg = readPackage(writeZip(rawEntries()));
    assert.equal(pkg.manifest.uniqueName, 'Hostile');
    assert.ok(pkg.customizationsDeflated, 'customizations.xml is deflated in it');
  });

  test('an entry whose CRC-32 does not match its data is refused, naming it', () => {
    const wr = webResourcePath();
    const zip = writeZip(rawEntries().map((e) => (e.name === wr ? { ...e, crc: 0x12345678 } : e)));
    const err = assertPackageError(
      () => readPackage(zip, { label: 'crc.zip' }),
      'PACKAGE_CRC_MISMATCH',
    );
    assert.ok(err.message.includes(wr) && err.message.includes('crc.zip'), err.message);
  });

  test('a stored entry with a flipped byte fails its CRC-32', () => {
    const zip = zipSync(entries(), { level: 0 });
    const at = Buffer.from(zip).indexOf('var app = 1;');
    zip[at + 10] ^= 0x01;
    assertPackageError(() => readPackage(zip), 'PACKAGE_CRC_MISMATCH', /WebResources\//);
  });

  test('an entry declaring 1,000 bytes that inflates to 150 MB stops at 1,000', QUICK, () => {
    // 150 independent 1 MB blocks of zeros, then an empty final block: 150 MB from ~150 KB
    const block = deflateRawSync(new Uint8Array(1024 * 1024), {
      finishFlush: constants.Z_FULL_FLUSH,
    });
    const bomb = new Uint8Array(block.length * 150 + 2);
    for (let i = 0; i < 150; i++) bomb.set(block, i * block.length);
    bomb.set([0x03, 0x00], block.length * 150);
    const zip = writeZip([
      ...rawEntries(),
      { name: 'Assets/bomb.bin', data: new Uint8Array(1000), payload: bomb },
    ]);
    const started = process.hrtime.bigint();
    const err = assertPackageError(
      () => readPackage(zip, { label: 'bomb.zip' }),
      'PACKAGE_SIZE_MISMATCH',
      /Assets\/bomb\.bin declares 1000 bytes/,
    );
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    assert.ok(ms < 5000, `refused in ${ms} ms`);
    // inflating stopped past the declared size: it never learned how much more there was
    assert.match(err.message, /its data holds more\./);
    assert.deepEqual(err.details, { entry: 'Assets/bomb.bin', declaredBytes: 1000 });
  });

  test('an entry holding fewer bytes than it declares is refused', () => {
    const wr = webResourcePath();
    const zip = writeZip(rawEntries().map((e) => (e.name === wr ? { ...e, size: 4096 } : e)));
    assertPackageError(() => readPackage(zip), 'PACKAGE_SIZE_MISMATCH', /holds 12 bytes/);
  });

  test('150 directory entries over one local entry are refused as overlapping', () => {
    const raw = rawEntries();
    const cust = raw.findIndex((e) => e.name === 'customizations.xml');
    const alsoPointingAt = Array.from({ length: 150 }, (_, i) => ({ name: `d${i}/`, entry: cust }));
    const err = assertPackageError(
      () => readPackage(writeZip(raw, { alsoPointingAt })),
      'PACKAGE_ENTRIES_OVERLAP',
      /customizations\.xml/,
    );
    assert.match(err.message, /d\d+\//);
  });

  test('a second name for one entry’s data is refused as overlapping', () => {
    const raw = rawEntries();
    const wr = raw.findIndex((e) => e.name.startsWith('WebResources/'));
    assertPackageError(
      () =>
        readPackage(writeZip(raw, { alsoPointingAt: [{ name: 'Assets/alias.js', entry: wr }] })),
      'PACKAGE_ENTRIES_OVERLAP',
      /Assets\/alias\.js/,
    );
  });

  test('an entry flagged as encrypted is refused, not read as if it were not', () => {
    const wr = webResourcePath();
    const zip = writeZip(rawEntries().map((e) => (e.name === wr ? { ...e, flags: 1 } : e)));
    const err = assertPackageError(() => readPackage(zip), 'PACKAGE_ENCRYPTED');
    assert.ok(err.message.includes(wr), err.message);
  });

  test('a zip with more entries than the limit is refused before its entries are read', () => {
    const many: Record<string, Uint8Array> = entries();
    for (let i = 0; i < 20; i++) many[`Assets/f${i}.txt`] = strToU8('x');
    assertPackageError(
      () => readPackage(zipEntries(many), { limits: { maxTotalBytes: 1e6, maxEntries: 10 } }),
      'PACKAGE_TOO_MANY_ENTRIES',
    );
  });
});

// ---- one name, two entries --------------------------------------------------------------------

describe('a package holding one name twice is ambiguous and refused, naming both', () => {
  const decoy = (data: Uint8Array): Uint8Array =>
    strToU8(
      Buffer.from(data)
        .toString()
        .replace(/new_box/g, 'new_bax'),
    );

  test('two entries named customizations.xml with different content', () => {
    const raw = rawEntries();
    const cust = raw.find((e) => e.name === 'customizations.xml')!;
    const zip = writeZip([{ name: 'customizations.xml', data: decoy(cust.data) }, ...raw]);
    const err = assertPackageError(
      () => readPackage(zip, { label: 'twice.zip' }),
      'PACKAGE_DUPLICATE_ENTRY',
      /twice\.zip holds two entries named "customizations\.xml"/,
    );
    assert.deepEqual(err.details, { entries: ['customizations.xml', 'customizations.xml'] });
  });

  test('solution.xml beside Solution.xml with another version', () => {
    const e = entries();
    const other = Buffer.from(e['solution.xml']).toString().replace('1.0.0.0', '2.0.0.0');
    const zip = zipEntries({ ...e, 'Solution.xml': strToU8(other) });
    const err = assertPackageError(() => readPackage(zip), 'PACKAGE_DUPLICATE_ENTRY');
    assert.match(err.message, /"solution\.xml" and "Solution\.xml"/);
  });

  test('a web resource twice, even byte for byte the same', () => {
    const raw = rawEntries();
    const wr = raw.find((e) => e.name.startsWith('WebResources/'))!;
    assertPackageError(
      () => readPackage(writeZip([...raw, wr])),
      'PACKAGE_DUPLICATE_ENTRY',
      new RegExp(`two entries named "${wr.name}"`),
    );
  });

  test('a cabinet holding one file name twice', () => {
    const files = Object.entries(entries()).map(([name, data]) => ({ name, data }));
    const cust = files.find((f) => f.name === 'customizations.xml')!;
    const cab = writeCabinet([
      { compression: 'mszip', files: [...files, { name: 'Customizations.XML', data: cust.data }] },
    ]);
    const err = assertPackageError(
      () => readCabinet(cab, { maxTotalBytes: 1e7, maxEntries: 100 }, 'twice.cab'),
      'PACKAGE_DUPLICATE_ENTRY',
      /twice\.cab/,
    );
    assert.deepEqual(err.details, { entries: ['customizations.xml', 'Customizations.XML'] });
    assertPackageError(() => readPackage(cab), 'PACKAGE_DUPLICATE_ENTRY');
  });
});

test('a cabinet wrapping a zip that is no solution names the inner zip', () => {
  const inner = zipSync({ 'readme.txt': strToU8('hi') });
  const cab = writeCabinet([{ compression: 'mszip', files: [{ name: 'Sol.zip', data: inner }] }]);
  assertPackageError(
    () => readPackage(cab, { label: 'x.cab' }),
    'PACKAGE_LAYOUT_INVALID',
    /x\.cab:Sol\.zip lacks solution\.xml/,
  );
});

// ---- the entry limit --------------------------------------------------------------------------

describe('a package at the entry limit is read and planned in seconds', () => {
  const ENTRIES = 49_994;
  const big = (): Uint8Array => {
    const all: Record<string, Uint8Array> = entries();
    const one = strToU8('x');
    for (let i = Object.keys(all).length; i < ENTRIES; i++) all[`Assets/f${i}.txt`] = one;
    return zipSync(all, { level: 0 });
  };

  test(`${ENTRIES} entries: inspect and plan finish within 20 s`, { timeout: 120_000 }, () => {
    const zip = big();
    const started = Date.now();
    const pkg = readPackage(zip, { label: 'many.zip' });
    const plan = planImport(environment().build(), pkg);
    const seconds = (Date.now() - started) / 1000;
    // every entry is kept: customizations.xml compressed, beside the files (packageEntry)
    assert.equal(pkg.files.size + (pkg.customizationsDeflated ? 1 : 0), ENTRIES);
    assert.ok(plan.components.length > ENTRIES - 10, `${plan.components.length} planned`);
    assert.deepEqual(
      plan.blocked.map((b) => b.code),
      [],
    );
    assert.ok(seconds < 20, `read and planned in ${seconds} s`);
  });

  test('one entry more than the limit is refused, as quickly', { timeout: 60_000 }, () => {
    const started = Date.now();
    assertPackageError(
      () =>
        readPackage(big(), { limits: { maxTotalBytes: 200 * 1024 * 1024, maxEntries: 49_000 } }),
      'PACKAGE_TOO_MANY_ENTRIES',
      /49994 entries; the limit is 49000/,
    );
    assert.ok(Date.now() - started < 20_000);
  });
});
