import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import { DEFAULT_LIMITS } from '../src/package/limits.js';
import { crc32, crc32Table, readZip } from '../src/package/zip.js';
import { writeZip } from '../src/package/zip-writer.js';

/**
 * The zip an export writes (package/zip-writer.ts): files given as bytes or as text in pieces,
 * read back whole by strata's own strict reader (local headers against the directory, sizes,
 * CRC-32), by fflate, and by Python's zipfile where the machine has Python.
 */

const text = (n: number): string[] =>
  Array.from(
    { length: n },
    (_, i) => `<attribute PhysicalName="c${i}">é ✓ ${'x'.repeat(i % 97)}</attribute>`,
  );

test('files as bytes and as text in pieces read back the same, by strata, fflate and zipfile', () => {
  // more than one batch of text (a megabyte each), multi-byte characters, an empty file, and a
  // name that is not ASCII
  const pieces = ['<?xml version="1.0" encoding="utf-8"?><Root>', ...text(40_000), '</Root>'];
  const bytes = new Uint8Array(300_000).map((_, i) => (i * 7919) % 251);
  const files = [
    ['[Content_Types].xml', new TextEncoder().encode('<Types />')],
    ['customizations.xml', pieces],
    ['WebResources/bild_grün.png', bytes],
    ['empty.txt', new Uint8Array(0)],
    ['Other/empty.xml', [] as string[]],
  ] as const;
  const zip = writeZip(files, new Date(2026, 10, 30, 9, 48, 36));
  const whole = pieces.join('');
  assert.ok(whole.length > 2 * 1024 * 1024, 'the text spans several batches');

  const ours = readZip(zip, DEFAULT_LIMITS, 'written.zip');
  assert.deepEqual(
    [...ours.files.keys()],
    files.map(([name]) => name),
  );
  assert.equal(strFromU8(ours.files.get('customizations.xml')!), whole);
  assert.deepEqual(ours.files.get('WebResources/bild_grün.png'), bytes);
  assert.equal(ours.files.get('empty.txt')!.length, 0);
  assert.equal(ours.files.get('Other/empty.xml')!.length, 0);

  const theirs = unzipSync(zip);
  assert.equal(strFromU8(theirs['customizations.xml']), whole);
  assert.deepEqual(theirs['WebResources/bild_grün.png'], bytes);
  // compressed: the text is repetitive
  assert.ok(zip.length < whole.length / 5, `${zip.length} bytes for ${whole.length} characters`);

  const python = spawnSync('python3', ['--version']);
  if (python.status !== 0) {
    console.log('# python3 is not on this machine: the zipfile check is left out');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'strata-zip-'));
  try {
    const file = join(dir, 'written.zip');
    writeFileSync(file, zip);
    const r = spawnSync(
      'python3',
      [
        '-c',
        'import sys, zipfile\n' +
          'z = zipfile.ZipFile(sys.argv[1])\n' +
          'assert z.testzip() is None\n' +
          'for i in z.infolist(): print(i.filename, i.file_size, i.date_time, i.flag_bits & 0x800)',
        file,
      ],
      { encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), [
      '[Content_Types].xml 9 (2026, 11, 30, 9, 48, 36) 0',
      `customizations.xml ${Buffer.byteLength(whole)} (2026, 11, 30, 9, 48, 36) 0`,
      'WebResources/bild_grün.png 300000 (2026, 11, 30, 9, 48, 36) 2048',
      'empty.txt 0 (2026, 11, 30, 9, 48, 36) 0',
      'Other/empty.xml 0 (2026, 11, 30, 9, 48, 36) 0',
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the CRC-32 of bytes in batches is that of the whole (zlib's, or strata's own table)", () => {
  const a = new TextEncoder().encode('The quick brown fox ');
  const b = new TextEncoder().encode('jumps over the lazy dog');
  const whole = new Uint8Array([...a, ...b]);
  // the CRC-32 every zip tool knows for this sentence
  assert.equal(crc32(whole), 0x414fa339);
  assert.equal(crc32(b, crc32(a)), 0x414fa339);
  assert.equal(crc32Table(whole, 0), 0x414fa339);
  assert.equal(crc32Table(b, crc32Table(a, 0)), 0x414fa339);
});
