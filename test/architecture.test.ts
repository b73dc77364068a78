import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, test } from 'node:test';

/**
 * Imports point one way (DESIGN.md, README "Source layout"):
 * model ← package ← catalog, plans ← store ← engine ← jobs ← server ← cli.
 * A folder may import its own files and the folders of a lower rank; folders of the same rank
 * (catalog and plans) do not import each other.
 */
const RANK: Record<string, number> = {
  model: 0,
  package: 1,
  catalog: 2,
  plans: 2,
  store: 3,
  engine: 4,
  jobs: 5,
  server: 6,
  cli: 7,
};

const SRC = join(import.meta.dirname, '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

/** Relative module specifiers of a file: static imports and exports, and dynamic import(). */
function importsOf(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*'(\.[^']+)'/g)) out.push(m[1]);
  return out;
}

function folderOf(file: string): string {
  return relative(SRC, file).split('/')[0];
}

interface Arrow {
  from: string;
  to: string;
  fromFolder: string;
  toFolder: string;
}

function arrows(): Arrow[] {
  return sourceFiles(SRC).flatMap((file) =>
    importsOf(readFileSync(file, 'utf8')).map((spec) => {
      const target = normalize(join(dirname(file), spec));
      return {
        from: relative(SRC, file),
        to: relative(SRC, target),
        fromFolder: folderOf(file),
        toFolder: folderOf(target),
      };
    }),
  );
}

function upward(all: Arrow[]): string[] {
  return all
    .filter((a) => a.fromFolder !== a.toFolder && RANK[a.toFolder] >= RANK[a.fromFolder])
    .map((a) => `${a.from} → ${a.to}`);
}

describe('architecture', () => {
  test('every folder of src/ has a rank', () => {
    const folders = new Set(sourceFiles(SRC).map(folderOf));
    const unranked = [...folders].filter((f) => RANK[f] === undefined);
    assert.deepEqual(unranked, [], 'give each new folder a place in RANK and the README');
  });

  test('no import runs back up: model ← package ← catalog, plans ← store ← engine ← jobs ← server ← cli', () => {
    const all = arrows();
    assert.ok(all.length > 200, `read the imports of src/ (found ${all.length})`);
    assert.deepEqual(upward(all), []);
  });

  test('the check reports an arrow back up, and one between siblings', () => {
    const specs = importsOf(
      "import { x } from '../engine/plan.js';\nconst y = await import('./z.js');",
    );
    assert.deepEqual(specs, ['../engine/plan.js', './z.js']);
    const arrow = (from: string, to: string): Arrow => ({
      from: `${from}/a.ts`,
      to: `${to}/b.ts`,
      fromFolder: from,
      toFolder: to,
    });
    const found = upward([
      arrow('store', 'engine'),
      arrow('catalog', 'plans'),
      arrow('engine', 'store'),
      arrow('engine', 'engine'),
    ]);
    assert.deepEqual(found, ['store/a.ts → engine/b.ts', 'catalog/a.ts → plans/b.ts']);
  });
});
