/**
 * Regenerates src/catalog/first-party/solutions.ts, the inventory of Microsoft's first-party
 * solutions that environment templates install (docs/decisions.md: "Environment templates: what
 * each installs"):
 *
 *   npm run inventory            (writes the file)
 *   npm run inventory -- --check (exits 1 when the committed file is out of date)
 *
 * Two sources, both public:
 *  - every real package under shared/fixtures/real: each <MissingDependency> of its solution.xml
 *    names a component and, in `solution="Name (version)"`, the first-party solution that
 *    provides it. The component is recorded as the engine identifies it (declaredIdentity in
 *    src/engine/dependencies.ts); a record type strata cannot map (SettingDefinition, ...) keeps
 *    its declared type and its name as key. "Active" (the source's own unmanaged layer) and
 *    "System" (the System layer: src/catalog/system-components.ts) are not first-party solutions.
 *    A solution's version is the highest any package requires.
 *  - scripts/first-party-sources/app-tables.json: tables of the apps read on Microsoft's table
 *    reference pages, which packages use without declaring them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import type { FirstPartyComponent, FirstPartySolution } from '../src/catalog/templates.js';
import { declaredIdentity, recordTypeIdentity } from '../src/engine/dependencies.js';
import { identity } from '../src/model/component.js';
import { Version } from '../src/model/version.js';
import { readPackage } from '../src/package/read.js';
import {
  listRealPackages,
  REAL_FIXTURES,
  relativeToFixtures,
  REPO_ROOT,
} from '../test/support/fixtures.js';

const HERE = dirname(fileURLToPath(import.meta.url));
export const APP_TABLES_FILE = join(HERE, 'first-party-sources', 'app-tables.json');
export const SOLUTIONS_FILE = join(REPO_ROOT, 'src', 'catalog', 'first-party', 'solutions.ts');

/** Solution names in MissingDependencies that are not first-party solutions. */
export const NOT_FIRST_PARTY = new Set(['active', 'system']);

export interface AppTables {
  solutions: Record<
    string,
    {
      friendlyName?: { text: string; source: string };
      tables: Array<{ logicalName: string; displayName?: string; source: string }>;
    }
  >;
}

/** One requirement a package declares: component, providing solution, version, where. */
export interface DeclaredRequirement {
  solution: string;
  version?: string;
  component: { type: string; key: string; name?: string; parent?: string };
  source: string;
}

/** `Name (1.2.3.4)` → name and version; a bare name has no version. */
export function parseSolutionRef(ref: string): { name: string; version?: string } {
  const m = /^(.*?)\s*\(([^()]*)\)\s*$/.exec(ref.trim());
  return m ? { name: m[1].trim(), version: m[2].trim() || undefined } : { name: ref.trim() };
}

/** The first-party requirements of the packages (paths), in the order found. */
export function declaredRequirements(packages: string[]): DeclaredRequirement[] {
  const out: DeclaredRequirement[] = [];
  for (const p of packages) {
    const pkg = readPackage(p);
    const source = relativeToFixtures(p);
    for (const d of pkg.manifest.missingDependencies) {
      const req = d.required;
      if (!req.solution) continue;
      const { name, version } = parseSolutionRef(req.solution);
      if (NOT_FIRST_PARTY.has(name.toLowerCase())) continue;
      const ident = declaredIdentity(req);
      const displayName = req.displayName?.trim() || undefined;
      // a record type strata has no type for: its declared type, keyed by its name, as the
      // engine looks it up
      const record = ident ? undefined : recordTypeIdentity(req);
      const component = ident
        ? { ...ident, name: displayName ?? req.schemaName }
        : record && { ...record, name: displayName };
      if (!component?.key) continue;
      const parent =
        req.parentSchemaName && ident && ident.type !== 'attribute'
          ? req.parentSchemaName.toLowerCase()
          : undefined;
      out.push({
        solution: name,
        ...(version ? { version } : {}),
        component: { ...component, ...(parent ? { parent } : {}) },
        source,
      });
    }
  }
  return out;
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The inventory: one entry per solution, its components, versions and sources merged. */
export function buildInventory(
  requirements: DeclaredRequirement[],
  appTables: AppTables,
): FirstPartySolution[] {
  interface Acc {
    uniqueName: string;
    friendlyName?: string;
    version?: Version;
    sources: Set<string>;
    components: Map<string, FirstPartyComponent & { sourceSet: Set<string> }>;
  }
  const solutions = new Map<string, Acc>();
  const solution = (name: string): Acc => {
    const k = name.toLowerCase();
    let s = solutions.get(k);
    if (!s) {
      s = { uniqueName: name, sources: new Set(), components: new Map() };
      solutions.set(k, s);
    }
    return s;
  };
  const add = (
    s: Acc,
    c: { type: string; key: string; name?: string; parent?: string },
    source: string,
  ): void => {
    const id = identity(c.type, c.key);
    let known = s.components.get(id);
    if (!known) {
      known = { type: c.type, key: c.key, sources: [], sourceSet: new Set() };
      s.components.set(id, known);
    }
    if (c.name && c.name !== c.key && !known.name) known.name = c.name;
    if (c.parent && !known.parent) known.parent = c.parent;
    known.sourceSet.add(source);
    s.sources.add(source);
  };

  for (const r of requirements) {
    const s = solution(r.solution);
    if (r.version) {
      const v = Version.parse(r.version);
      if (!s.version || v.compare(s.version) > 0) s.version = v;
    }
    add(s, r.component, r.source);
  }
  for (const [name, entry] of Object.entries(appTables.solutions)) {
    const s = solutions.get(name.toLowerCase());
    if (!s)
      throw new Error(
        `app-tables.json lists ${name}, which no real package requires: its version is unknown`,
      );
    if (entry.friendlyName) {
      s.friendlyName = entry.friendlyName.text;
      s.sources.add(entry.friendlyName.source);
    }
    for (const t of entry.tables)
      add(s, { type: 'entity', key: t.logicalName.toLowerCase(), name: t.displayName }, t.source);
  }

  return [...solutions.values()]
    .sort((a, b) => byText(a.uniqueName.toLowerCase(), b.uniqueName.toLowerCase()))
    .map((s) => {
      if (!s.version) throw new Error(`no package names a version of ${s.uniqueName}`);
      const components = [...s.components.values()]
        .sort((a, b) => byText(a.type, b.type) || byText(a.key, b.key))
        .map(({ sourceSet, ...c }) => ({
          type: c.type,
          key: c.key,
          ...(c.name ? { name: c.name } : {}),
          ...(c.parent ? { parent: c.parent } : {}),
          sources: [...sourceSet].sort(byText),
        }));
      return {
        uniqueName: s.uniqueName,
        friendlyName: s.friendlyName ?? s.uniqueName,
        version: s.version.toString(),
        sources: [...s.sources].sort(byText),
        components,
      };
    });
}

const HEADER = `/**
 * GENERATED by scripts/first-party-inventory.ts (\`npm run inventory\`); do not edit by hand.
 *
 * Microsoft's first-party solutions as public sources show them: the components each provides
 * and the highest version any source requires. Read from the MissingDependencies of every real
 * package under shared/fixtures/real (sources: paths relative to that folder) and from
 * scripts/first-party-sources/app-tables.json (tables read on Microsoft's table reference pages;
 * sources: the pages). Which template installs which solution: templates.ts.
 */
import type { FirstPartySolution } from '../templates.js';

`;

/** The text of solutions.ts for an inventory, formatted as the project formats code. */
export async function renderSolutions(solutions: FirstPartySolution[]): Promise<string> {
  const text = `${HEADER}export const FIRST_PARTY_SOLUTIONS: FirstPartySolution[] = ${JSON.stringify(solutions, null, 2)};\n`;
  const options = (await prettier.resolveConfig(SOLUTIONS_FILE)) ?? {};
  return prettier.format(text, { ...options, filepath: SOLUTIONS_FILE });
}

export function readAppTables(file = APP_TABLES_FILE): AppTables {
  return JSON.parse(readFileSync(file, 'utf8')) as AppTables;
}

/** What solutions.ts should hold for the real fixtures as they are. */
export async function generate(packages = listRealPackages()): Promise<string> {
  return renderSolutions(buildInventory(declaredRequirements(packages), readAppTables()));
}

async function main(args: string[]): Promise<number> {
  const packages = listRealPackages();
  if (packages.length === 0) {
    console.error(`no real packages under ${REAL_FIXTURES}: nothing to read, nothing written`);
    return 2;
  }
  const text = await generate(packages);
  if (args.includes('--check')) {
    const same = readFileSync(SOLUTIONS_FILE, 'utf8') === text;
    console.log(same ? 'solutions.ts is up to date' : 'solutions.ts is out of date');
    return same ? 0 : 1;
  }
  writeFileSync(SOLUTIONS_FILE, text);
  console.log(`wrote ${SOLUTIONS_FILE} from ${packages.length} packages`);
  return 0;
}

if (resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url))
  process.exitCode = await main(process.argv.slice(2));
