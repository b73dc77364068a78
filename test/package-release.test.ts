/**
 * A planned package lets go of customizations.xml's text (package/read.ts releaseText, decision
 * 61): the components that are slices of it, and the document itself, read it again from the
 * compressed copy when asked, and nothing else keeps the text alive.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { buildSolutionZip, type SolutionSpec } from '../src/package/build.js';
import { readPackage, releaseText } from '../src/package/read.js';

/** Tables whose names, labels and keys are long enough that V8 would keep them as slices. */
function longNames(tables: number): SolutionSpec {
  return {
    uniqueName: 'ReleaseProbe',
    displayName: 'Release probe with a long display name',
    version: '1.0.0.0',
    managed: true,
    publisher: {
      uniqueName: 'releasepub',
      displayName: 'Release',
      prefix: 'rel',
      optionValuePrefix: 61000,
    },
    tables: Array.from({ length: tables }, (_, t) => ({
      name: `rel_ReleaseProbeTable${t}`,
      display: `Release probe table number ${t}`,
      forms: 1,
      views: 2,
      columns: Array.from({ length: 16 }, (_, c) => ({
        name: `rel_ReleaseProbeColumn${c}`,
        display: `Release probe column number ${c} of ${t}`,
        type: c % 2 === 0 ? ('nvarchar' as const) : ('int' as const),
      })),
    })),
  };
}

test('a released package gives the same XML, read again from its compressed copy', () => {
  const zip = buildSolutionZip(longNames(20));
  const kept = readPackage(zip, { label: 'kept.zip' });
  const released = readPackage(zip, { label: 'released.zip' });
  assert.ok(released.customizationsDeflated, 'the zip holds customizations.xml deflated');
  const inDocument = released.components.filter((c) => c.inDocument).length;
  assert.ok(inDocument > 300, `${inDocument} components are slices of the document`);
  releaseText(released);
  releaseText(released); // a second release changes nothing
  assert.equal(released.components.length, kept.components.length);
  released.components.forEach((c, i) => {
    const k = kept.components[i];
    assert.deepEqual(
      { ...c, xml: c.xml },
      { ...k },
      `component ${i} (${k.type} ${k.key}) is the same after the release`,
    );
  });
  assert.equal(released.customizationsXml, kept.customizationsXml);
});

test('once released, the text is no longer held (the heap shrinks by its size)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-release-'));
  try {
    const file = join(dir, 'probe.zip');
    writeFileSync(file, buildSolutionZip(longNames(300)));
    const read = pathToFileURL(join(import.meta.dirname, '..', 'src', 'package', 'read.ts')).href;
    // a process of its own, with gc() exposed: the heap measured after full collections
    const probe = `
      const { readPackage, releaseText } = await import(${JSON.stringify(read)});
      const used = () => { gc(); gc(); return process.memoryUsage().heapUsed; };
      const pkg = readPackage(${JSON.stringify(file)});
      // read in a function of its own: a register of this frame would keep the text otherwise
      const length = (() => pkg.customizationsXml.length)();
      const before = used();
      releaseText(pkg);
      // V8 may still be compiling the reader's hot functions on another thread, and a compile
      // job holds what it compiles against until the main thread takes the result: let it
      let after = used();
      for (let i = 0; i < 5 && before - after < length; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        after = used();
      }
      console.log(JSON.stringify({ length, before, after, components: pkg.components.length }));
    `;
    const r = spawnSync(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', probe],
      { encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stderr);
    const m = JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, number>;
    assert.ok(m.length > 4_000_000, `the document is ${m.length} characters`);
    const freed = m.before - m.after;
    assert.ok(
      freed > 0.8 * m.length,
      `the heap went from ${m.before} to ${m.after} bytes: ${freed} freed, ` +
        `for a document of ${m.length} characters`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('released again, the copies kept the first time go, except those picked again', () => {
  const zip = buildSolutionZip(longNames(5));
  const kept = readPackage(zip, { label: 'kept.zip' });
  const pkg = readPackage(zip, { label: 'released.zip' });
  const ownXml = (i: number): boolean =>
    Object.getOwnPropertyDescriptor(pkg.components[i], 'xml')?.value !== undefined;
  const sliced = pkg.components.flatMap((c, i) => (c.inDocument ? [i] : []));
  const columns = sliced.filter((i) => pkg.components[i].type === 'attribute');
  const [first] = columns;
  assert.ok(columns.length >= 80, `${columns.length} columns are slices of the document`);
  const firstKey = pkg.components[first].key;
  // planning keeps the columns' definitions; the write, one of them
  assert.ok(releaseText(pkg, (c) => c.type === 'attribute') > 0);
  assert.deepEqual(
    sliced.filter(ownXml),
    columns,
    'the columns keep a copy of their own, the rest read the document',
  );
  assert.equal(
    releaseText(pkg, (c) => c.key === firstKey),
    0,
    'the text went the first time',
  );
  assert.deepEqual(sliced.filter(ownXml), [first], 'only the column picked again keeps its copy');
  pkg.components.forEach((c, i) =>
    assert.equal(c.xml, kept.components[i].xml, `${c.type} ${c.key} reads the same XML`),
  );
});
