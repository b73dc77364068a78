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

  test('no import runs back up: a folder imports only folders of a lower rank', () => {
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

/**
 * SQL lives only in src/store (DESIGN.md): no query, no COPY and no PostgreSQL error code
 * (SQLSTATE, e.g. '23505' unique_violation) in any other source file. The store turns database
 * errors into StrataErrors, so nothing above it knows which database it talks to.
 */
const SQL_SIGNS: Array<{ sign: string; pattern: RegExp }> = [
  { sign: 'a query', pattern: /\.query\s*(?:<[^(]*?>)?\s*\(/g },
  { sign: 'a COPY', pattern: /\bcopyText\s*\(/g },
  { sign: 'a SQLSTATE', pattern: /(['"`])(?:[0-5][0-9A-Z]|P0|XX)[0-9A-Z]{3}\1/g },
];

interface SourceText {
  /** relative to src/ */
  path: string;
  text: string;
}

/** Every file of src/ that holds code: the TypeScript and the web UI's scripts. */
function codeFiles(dir: string): SourceText[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return codeFiles(path);
    if (!/\.(ts|js)$/.test(e.name)) return [];
    return [{ path: relative(SRC, path), text: readFileSync(path, 'utf8') }];
  });
}

/** "path:line sign" for each sign of SQL in a file, in the order they appear. */
function sqlSigns(f: SourceText): string[] {
  return SQL_SIGNS.flatMap(({ sign, pattern }) =>
    [...f.text.matchAll(pattern)].map((m) => {
      const line = f.text.slice(0, m.index).split('\n').length;
      return { at: m.index, found: `${f.path}:${line} ${sign}` };
    }),
  )
    .sort((a, b) => a.at - b.at)
    .map((s) => s.found);
}

const inStore = (f: SourceText): boolean => f.path.split('/')[0] === 'store';

function sqlOutsideStore(files: SourceText[]): string[] {
  return files.filter((f) => !inStore(f)).flatMap(sqlSigns);
}

describe('architecture: SQL', () => {
  test('no SQL outside src/store: no query, no COPY, no SQLSTATE', () => {
    const files = codeFiles(SRC);
    assert.ok(
      files.some((f) => f.path.startsWith('web/')),
      'read the web UI too',
    );
    // the signs find the store's own SQL: the check looks for what SQL really looks like here
    const inTheStore = files.filter(inStore).flatMap(sqlSigns);
    assert.ok(inTheStore.length > 100, `SQL in src/store (found ${inTheStore.length})`);
    assert.ok(
      inTheStore.some((s) => s.endsWith('a COPY')),
      'the COPY is in the store',
    );
    assert.ok(
      inTheStore.some((s) => s.endsWith('a SQLSTATE')),
      'the SQLSTATEs are in the store',
    );
    assert.deepEqual(sqlOutsideStore(files), []);
  });

  test('the check reports a query, a COPY and a SQLSTATE, and lets the store speak SQL', () => {
    const server = [
      'const rows = await store.query<{',
      '  id: string;',
      "}>('SELECT id FROM import_jobs');",
      "if ((e as { code?: string }).code === '23505') return reattach();",
      "await tx.copyText('layers', ['type'], body);",
      'const q = req.query as ImportQuery; // a request, not SQL',
      "const id = await db.query('SELECT 1');",
      "const name = 'P0001' + \"XX000\" + '12ab5' + '2350' + 'account';",
    ].join('\n');
    const store = "if (isUniqueViolation(e)) return null;\nawait db.query('SELECT 1');\n'23505';";
    assert.deepEqual(
      sqlOutsideStore([
        { path: 'server/routes/api.ts', text: server },
        { path: 'store/queue.ts', text: store },
      ]),
      [
        'server/routes/api.ts:1 a query',
        'server/routes/api.ts:4 a SQLSTATE',
        'server/routes/api.ts:5 a COPY',
        'server/routes/api.ts:7 a query',
        'server/routes/api.ts:8 a SQLSTATE',
        'server/routes/api.ts:8 a SQLSTATE',
      ],
    );
  });
});
