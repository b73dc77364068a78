/**
 * Writes the hostile corpus (test/hostile/corpus.ts) into a folder, for manual runs:
 *
 *   npm run corpus -- DIR
 *   strata inspect DIR/zip-crc-mismatch/zip-crc-mismatch.zip
 *
 * Each case gets a folder of its own, DIR/<case>/, holding its input (a .zip, a .cab or a package
 * folder; the link cases also put the files their links reach in DIR/<case>/outside/).
 * DIR/corpus.json lists every case: its input, class, what it tries and what strata must do.
 * Some inputs are traps on purpose: a FIFO that blocks a reader, a link to /dev/zero.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { HOSTILE_CORPUS } from '../test/hostile/corpus.js';

function main(args: string[]): number {
  if (args.length !== 1 || args[0].startsWith('-')) {
    console.error('usage: npm run corpus -- DIR   (DIR: a new or empty folder)');
    return 2;
  }
  const dir = resolve(args[0]);
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    console.error(`${dir} is not empty; nothing was written. Name a new or empty folder.`);
    return 2;
  }
  mkdirSync(dir, { recursive: true });
  const index = HOSTILE_CORPUS.map((c) => {
    const caseDir = join(dir, c.name);
    mkdirSync(caseDir);
    const input = relative(dir, c.build(caseDir));
    return {
      name: c.name,
      input,
      container: c.container,
      class: c.class,
      what: c.what,
      expect: c.expect,
      ...(c.finding ? { finding: c.finding } : {}),
    };
  });
  writeFileSync(join(dir, 'corpus.json'), JSON.stringify(index, null, 2) + '\n');
  const findings = index.filter((c) => c.finding).length;
  console.log(
    `${index.length} hostile inputs in ${dir} (${findings} reproduce findings of issue 11); ` +
      'corpus.json says what strata must do with each.',
  );
  return 0;
}

process.exitCode = main(process.argv.slice(2));
