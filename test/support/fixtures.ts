import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/**
 * Real packages written by others; read in place, never copied (see
 * ../shared/fixtures/real/SOURCES.md).
 */
export const REAL_FIXTURES = resolve(REPO_ROOT, '..', 'shared', 'fixtures', 'real');
export const HAVE_REAL_FIXTURES = existsSync(REAL_FIXTURES);
export const NO_FIXTURES_REASON = `real fixtures not found at ${REAL_FIXTURES}`;

/** Where tests write their output (converted logs, screenshots). Ignored by git. */
export const TEST_OUTPUT = join(REPO_ROOT, 'test-output');

export function realFixture(rel: string): string {
  return join(REAL_FIXTURES, rel);
}

/**
 * Every package under the real fixtures: .zip and .cab files, and folders that are packages (an
 * extracted zip with solution.xml at its root, or a SolutionPackager folder with
 * Other/Solution.xml).
 */
export function listRealPackages(): string[] {
  if (!HAVE_REAL_FIXTURES) return [];
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) {
        if (existsSync(join(p, 'solution.xml')) || existsSync(join(p, 'Other', 'Solution.xml')))
          out.push(p);
        else walk(p);
      } else if (name.match(/\.(zip|cab)$/i)) out.push(p);
    }
  };
  walk(REAL_FIXTURES);
  return out;
}

export function relativeToFixtures(p: string): string {
  return p.startsWith(REAL_FIXTURES) ? p.slice(REAL_FIXTURES.length + 1) : p;
}
