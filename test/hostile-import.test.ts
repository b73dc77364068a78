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
import { writeCabinet } from './support/cab-writer.js';
import { buildPackage, packageEntries, zipEntries } from './support/package-builder.js';
import { STORE_CASES } from './support/stores.js';

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
  ];
}

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
  });
}
