/**
 * The hostile corpus: inputs built to break a package reader — bombs, path traversal, nested
 * packages, XXE, damaged zips and cabinets, links out of a folder, ambiguous entries, values
 * Dataverse refuses, inputs that are slow to read — over the three containers strata reads. Each
 * case says what strata must do with it (test/hostile-corpus.test.ts checks it against inspect,
 * plan and import on every store; `npm run corpus -- DIR` writes the inputs for manual runs).
 * Nothing here is checked in as a binary: every input is generated.
 */
import { CAB_CASES } from './cab-cases.js';
import type { HostileCase } from './case.js';
import { FOLDER_CASES } from './folder-cases.js';
import { ZIP_CASES } from './zip-cases.js';

export type { CaseClass, Expectation, HostileCase } from './case.js';

export const HOSTILE_CORPUS: readonly HostileCase[] = [...ZIP_CASES, ...CAB_CASES, ...FOLDER_CASES];

/**
 * The findings of issue 11 that the corpus reproduces, as the cases' `finding` fields name them:
 * each has at least one case (test/hostile-corpus.test.ts checks it both ways).
 */
export const FINDINGS: readonly string[] = [
  'symbolic links: a web resource linked to /etc/passwd',
  'symbolic links: an extra file linked to /etc/shadow',
  'symbolic links: customizations.xml linked outside the folder',
  'symbolic links: a link to a directory',
  'symbolic links: a link to /dev/zero',
  'symbolic links: a FIFO',
  'symbolic links: a symlink loop',
  'symbolic links: a dangling symlink',
  'zip integrity: a CRC-32 that does not match',
  'zip integrity: a size header that lies',
  'zip integrity: central-directory entries that overlap',
  'zip integrity: an entry flagged as encrypted',
  'ambiguous: two entries named customizations.xml',
  'ambiguous: solution.xml next to Solution.xml',
  'ambiguous: a web resource twice',
  'XML: a character reference to a lone surrogate',
  'XML: a character reference to NUL',
  'values: a version part over 2,147,483,647',
  'values: a unique name of 300 characters',
  'values: unique names with quotes, semicolons and spaces',
  'values: logical names with quotes, semicolons and spaces',
  'slow paths: 49,994 entries',
  'slow paths: a 1 MB attribute name without = in a start tag',
];

const names = new Set<string>();
for (const c of HOSTILE_CORPUS) {
  if (names.has(c.name)) throw new Error(`two hostile cases are named ${c.name}`);
  names.add(c.name);
}
