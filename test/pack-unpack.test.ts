import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { run } from '../src/cli/main.js';
import { canonicalXml } from '../src/package/canonical.js';
import { buildSolutionZip, sampleSolution } from '../src/package/build.js';
import { readPackage, type SolutionPackage } from '../src/package/read.js';
import { packToZip, unpackToFolder } from '../src/package/unpack.js';
import {
  HAVE_REAL_FIXTURES,
  listRealPackages,
  NO_FIXTURES_REASON,
  relativeToFixtures,
} from './support/fixtures.js';

const work = mkdtempSync(join(tmpdir(), 'strata-unpack-'));
after(() => rmSync(work, { recursive: true, force: true }));
let n = 0;

/**
 * The model a reader produces, reduced to what must not change: identities, names, parents, files,
 * references, canonical XML.
 */
function model(pkg: SolutionPackage): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const c of pkg.components) {
    // file components carry bytes, not XML
    const xml = c.xml ? canonicalXml(c.xml, `${c.type} ${c.key}`) : '';
    out.set(`${c.type} ${c.key}`, {
      name: c.name,
      parent: c.parent ?? null,
      files: (c.files ?? []).map((f) => [
        f,
        Buffer.from(pkg.files.get(f) ?? []).toString('base64'),
      ]),
      requires: (c.requires ?? []).map((r) => `${r.type} ${r.key} ${r.via}`).sort(),
      state: c.state ?? null,
      xml,
      shell: (c as { shell?: boolean }).shell ?? false,
    });
  }
  return out;
}

function assertSameModel(actual: SolutionPackage, expected: SolutionPackage, label: string): void {
  assert.deepEqual({ ...actual.manifest }, { ...expected.manifest }, `${label}: manifest`);
  const a = model(actual);
  const e = model(expected);
  assert.deepEqual([...a.keys()].sort(), [...e.keys()].sort(), `${label}: the same components`);
  for (const [k, v] of e) assert.deepEqual(a.get(k), v, `${label}: ${k}`);
}

/** unpack → read the folder (same model) → pack → read the zip (same model again). */
function roundTrip(source: string | Uint8Array, label: string): { files: number } {
  const original = readPackage(source, { label });
  const dir = join(work, `u${++n}`);
  const { files } = unpackToFolder(source, dir, { label });
  assert.ok(
    existsSync(join(dir, 'Other', 'Solution.xml')) &&
      existsSync(join(dir, 'Other', 'Customizations.xml')),
    `${label}: SolutionPackager layout`,
  );
  assertSameModel(readPackage(dir), original, `${label} (unpacked folder)`);
  const { zip } = packToZip(dir);
  assertSameModel(readPackage(zip, { label: 'packed.zip' }), original, `${label} (packed again)`);
  return { files };
}

describe('unpack and pack (SolutionPackager layout)', () => {
  test('the sample: tables, forms and views land in their own files and read back the same', () => {
    const zip = buildSolutionZip(sampleSolution());
    roundTrip(zip, 'sample');
    const dir = join(work, 'sample-layout');
    unpackToFolder(zip, dir);
    for (const p of ['Entities/cnt_Project/Entity.xml', 'Other/Relationships'])
      assert.ok(existsSync(join(dir, ...p.split('/'))), p);
    const pkg = readPackage(dir);
    assert.ok(
      pkg.components.some((c) => c.type === 'systemform'),
      'forms read from FormXml/',
    );
  });

  test('unpack refuses to overwrite files unless forced', () => {
    const zip = buildSolutionZip(sampleSolution());
    const dir = join(work, 'twice');
    unpackToFolder(zip, dir);
    assert.throws(
      () => unpackToFolder(zip, dir),
      (e: { code?: string }) => e.code === 'UNPACK_TARGET_NOT_EMPTY',
    );
    assert.doesNotThrow(() => unpackToFolder(zip, dir, { force: true }));
  });
});

describe('strata unpack / strata pack', () => {
  const cli = async (...argv: string[]): Promise<{ code: number; out: string; err: string }> => {
    let out = '';
    let err = '';
    const code = await run(argv, {
      out: (x) => {
        out += x + '\n';
      },
      err: (x) => {
        err += x + '\n';
      },
      isTTY: false,
    });
    return { code, out, err };
  };

  test('unpack then pack from the CLI keeps the model; refusals change nothing', async () => {
    const zip = join(work, 'cli-sample.zip');
    writeFileSync(zip, buildSolutionZip(sampleSolution()));
    const dir = join(work, 'cli-unpacked');
    const unpacked = await cli('unpack', zip, dir, '--json');
    assert.equal(unpacked.code, 0, unpacked.err);
    assert.equal(JSON.parse(unpacked.out).solution, 'ContosoProjects');
    const entity = readFileSync(join(dir, 'Entities', 'cnt_Project', 'Entity.xml'));

    const again = await cli('unpack', zip, dir);
    assert.equal(again.code, 4);
    assert.match(again.err, /UNPACK_TARGET_NOT_EMPTY/);
    assert.deepEqual(
      readFileSync(join(dir, 'Entities', 'cnt_Project', 'Entity.xml')),
      entity,
      'the folder is untouched',
    );

    const out = join(work, 'cli-packed.zip');
    const packed = await cli('pack', dir, out, '--json');
    assert.equal(packed.code, 0, packed.err);
    assertSameModel(readPackage(out), readPackage(zip), 'cli pack');
    const exists = await cli('pack', dir, out);
    assert.equal(exists.code, 2, 'an existing target needs --force');
    assert.equal((await cli('pack', dir, out, '--force')).code, 0);

    assert.equal((await cli('unpack', zip)).code, 2, 'a missing folder argument is a usage error');
    const notPkg = await cli('pack', join(work, 'nowhere'), join(work, 'x.zip'));
    assert.equal(notPkg.code, 3, notPkg.err);
    assert.equal(existsSync(join(work, 'x.zip')), false);
  });
});

describe(
  'every real package survives unpack → folder → pack with the same model',
  { skip: HAVE_REAL_FIXTURES ? false : NO_FIXTURES_REASON },
  () => {
    for (const p of listRealPackages()) {
      const rel = relativeToFixtures(p);
      test(rel, (t) => {
        let readable = true;
        try {
          readPackage(p);
        } catch {
          readable = false;
        }
        if (!readable) {
          t.diagnostic('not a readable package (covered by package-read.test.ts)');
          return;
        }
        roundTrip(p, rel);
      });
    }
  },
);
