import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { strFromU8, strToU8 } from 'fflate';
import { CATALOG_ID } from '../src/catalog/catalog.js';
import { importSolution } from '../src/engine/import.js';
import { buildSolutionZip, sampleSolution } from '../src/package/build.js';
import { createEnvironment } from '../src/store/environments.js';
import { listHistory } from '../src/store/history.js';
import { dumpEnvironment } from '../src/store/queries.js';
import { findEnvironment } from '../src/store/environments.js';
import type { Store } from '../src/store/store.js';
import { execFileSync } from 'node:child_process';
import { rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { writeCabinet } from './support/cab-writer.js';
import { buildPackage, packageEntries, zipEntries } from './support/package-builder.js';
import { STORE_CASES } from './support/stores.js';
import { withTempDir, writeEntries } from './support/temp.js';
import { writeZip, type RawEntry } from './support/zip-writer.js';

const BASE = {
  uniqueName: 'Hostile',
  managed: true,
  publisher: { uniqueName: 'hostilepub', prefix: 'new', optionValuePrefix: 30000 },
  entities: [{ name: 'new_box', attributes: ['new_boxid', 'new_name'] }],
};

function cabOf(
  entries: Record<string, Uint8Array>,
  compression: 'none' | 'mszip' = 'mszip',
): Uint8Array {
  return writeCabinet(
    [{ compression, files: Object.entries(entries).map(([name, data]) => ({ name, data })) }],
    { checksums: true },
  );
}

/** At least twelve hostile inputs: each must fail with its code and change nothing. */
function hostileInputs(): Array<[string, Uint8Array, string]> {
  const cust = strFromU8(packageEntries(BASE)['customizations.xml']);
  const good = buildPackage(BASE);
  const corruptCab = cabOf(packageEntries(BASE), 'none');
  corruptCab[corruptCab.length - 10] ^= 0xff; // a data byte of the last (checksummed) block
  const lzxCab = cabOf(packageEntries(BASE), 'none');
  // CFFOLDER.typeCompress sits at offset 36 + 4 + 2 (no reserve): patch it to LZX (3) / Quantum (2)
  lzxCab[42] = 3;
  const quantumCab = cabOf(packageEntries(BASE), 'none');
  quantumCab[42] = 2;
  return [
    ['zip in zip', zipEntries({ 'Hostile_1_0_0_0_managed.zip': good }), 'PACKAGE_NESTED_ZIP'],
    [
      'missing customizations.xml',
      buildPackage({ ...BASE, omit: ['customizations.xml'] }),
      'PACKAGE_LAYOUT_INVALID',
    ],
    [
      'entry ../evil.txt',
      buildPackage({ ...BASE, extraFiles: { '../evil.txt': 'x' } }),
      'PACKAGE_BAD_ENTRY_NAME',
    ],
    [
      'absolute entry /abs.txt',
      buildPackage({ ...BASE, extraFiles: { '/abs.txt': 'x' } }),
      'PACKAGE_BAD_ENTRY_NAME',
    ],
    [
      'DTD and entity in XML',
      buildPackage({
        ...BASE,
        customizationsXmlOverride:
          '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>' +
          cust.replace(/^<\?xml[^>]*\?>/, ''),
      }),
      'XML_DTD_FORBIDDEN',
    ],
    ['truncated zip', good.subarray(0, Math.floor(good.length / 2)), 'PACKAGE_CORRUPT'],
    [
      'declared size over the limit',
      zipEntries({
        ...packageEntries(BASE),
        'WebResources/huge.bin': new Uint8Array(300 * 1024 * 1024),
      }),
      'PACKAGE_TOO_LARGE',
    ],
    ['bad version string', buildPackage({ ...BASE, version: '1.x.0' }), 'VERSION_INVALID'],
    [
      'duplicate component ids',
      buildPackage({
        ...BASE,
        webResources: [
          { name: 'new_/a.js', content: 'a' },
          { name: 'new_/a.js', content: 'b' },
        ],
      }),
      'PACKAGE_DUPLICATE_COMPONENT',
    ],
    ['corrupt cab checksum', corruptCab, 'CAB_CHECKSUM'],
    ['LZX cab', lzxCab, 'CAB_LZX_UNSUPPORTED'],
    ['unknown cab compression', quantumCab, 'CAB_COMPRESSION_UNKNOWN'],
    [
      'non-XML solution.xml',
      buildPackage({ ...BASE, solutionXmlOverride: 'UniqueName=Hostile' }),
      'XML_MALFORMED',
    ],
    ['not a package at all', strToU8('just text'), 'PACKAGE_NOT_A_SOLUTION'],
    ...hostileZips(),
  ];
}

/** Zips whose headers lie, overlap, hide or repeat a name (test/package-hostile.test.ts). */
function hostileZips(): Array<[string, Uint8Array, string]> {
  const raw: RawEntry[] = Object.entries(packageEntries(BASE)).map(([name, data]) => ({
    name,
    data,
  }));
  const cust = raw.findIndex((e) => e.name === 'customizations.xml');
  const edit = (i: number, change: Partial<RawEntry>): RawEntry[] =>
    raw.map((e, k) => (k === i ? { ...e, ...change } : e));
  const decoy = strToU8(strFromU8(raw[cust].data).replace(/new_box/g, 'new_bax'));
  const otherVersion = strToU8(
    strFromU8(packageEntries(BASE)['solution.xml']).replace('1.0.0.0', '2.0.0.0'),
  );
  return [
    ['a CRC-32 that does not match', writeZip(edit(cust, { crc: 1 })), 'PACKAGE_CRC_MISMATCH'],
    [
      'customizations.xml inflating past its declared size',
      writeZip(edit(cust, { size: 100 })),
      'PACKAGE_SIZE_MISMATCH',
    ],
    [
      '150 directory entries over customizations.xml',
      writeZip(raw, {
        alsoPointingAt: Array.from({ length: 150 }, (_, i) => ({ name: `d${i}/`, entry: cust })),
      }),
      'PACKAGE_ENTRIES_OVERLAP',
    ],
    ['an encrypted entry', writeZip(edit(cust, { flags: 1 })), 'PACKAGE_ENCRYPTED'],
    [
      'customizations.xml twice',
      writeZip([{ name: 'customizations.xml', data: decoy }, ...raw]),
      'PACKAGE_DUPLICATE_ENTRY',
    ],
    [
      'solution.xml beside Solution.xml',
      zipEntries({ ...packageEntries(BASE), 'Solution.xml': otherVersion }),
      'PACKAGE_DUPLICATE_ENTRY',
    ],
  ];
}

/** Package folders with a link or a special file in them: each tampers with a written folder. */
const HOSTILE_FOLDERS: Array<[string, (dir: string) => void, string]> = [
  [
    'customizations.xml linked to another file',
    (dir) => {
      rmSync(join(dir, 'customizations.xml'));
      symlinkSync('/etc/passwd', join(dir, 'customizations.xml'));
    },
    'PACKAGE_LINK_FORBIDDEN',
  ],
  [
    'a link to /dev/zero',
    (dir) => symlinkSync('/dev/zero', join(dir, 'zero.bin')),
    'PACKAGE_LINK_FORBIDDEN',
  ],
  ['a FIFO', (dir) => execFileSync('mkfifo', [join(dir, 'pipe')]), 'PACKAGE_SPECIAL_FILE'],
];

for (const sc of STORE_CASES) {
  describe(`hostile packages change nothing (${sc.name})`, { skip: sc.skip }, () => {
    let store: Store;
    before(async () => {
      store = await sc.open();
      await createEnvironment(store, 'target', CATALOG_ID);
      await importSolution(store, {
        environment: 'target',
        source: buildSolutionZip(sampleSolution()),
      });
    });
    after(async () => {
      await store?.close();
    });

    test('the cabinet builder makes a package strata accepts (control case)', async () => {
      const ok = await importSolution(store, {
        environment: 'target',
        source: cabOf(packageEntries({ ...BASE, uniqueName: 'FromCab' })),
      });
      assert.equal(ok.log.status, 'succeeded');
    });

    for (const [what, bytes, code] of hostileInputs()) {
      test(`${what} → ${code}`, async () => {
        const id = (await findEnvironment(store, 'target')).id;
        const before = await dumpEnvironment(store, id);
        const historyBefore = (await listHistory(store, id)).length;
        await assert.rejects(
          importSolution(store, { environment: 'target', source: bytes, label: `${what}.zip` }),
          (e: { code?: string; message?: string; hint?: string }) => {
            assert.equal(e.code, code, e.message);
            assert.ok(e.hint, 'the error says what to do next');
            return true;
          },
        );
        assert.equal(await dumpEnvironment(store, id), before);
        assert.equal(
          (await listHistory(store, id)).length,
          historyBefore,
          'an unreadable package is not even recorded',
        );
      });
    }

    for (const [what, tamper, code] of HOSTILE_FOLDERS) {
      test(`a folder with ${what} → ${code}`, { timeout: 60_000 }, async () => {
        const id = (await findEnvironment(store, 'target')).id;
        const before = await dumpEnvironment(store, id);
        const historyBefore = (await listHistory(store, id)).length;
        await withTempDir(async (dir) => {
          writeEntries(dir, packageEntries({ ...BASE, uniqueName: 'FromFolder' }));
          tamper(dir);
          await assert.rejects(importSolution(store, { environment: 'target', source: dir }), {
            code,
          });
        });
        assert.equal(await dumpEnvironment(store, id), before);
        assert.equal((await listHistory(store, id)).length, historyBefore);
      });
    }
  });
}
