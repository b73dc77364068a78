/**
 * How many of the real packages (../shared/fixtures/real) import on each environment template,
 * and, for the rest, what they are refused for — the figures of the README's "Environment
 * templates" section. Each package is imported into a fresh environment of each template on an
 * in-memory embedded store.
 *
 *   npm run fixtures-by-template [-- --json] [-- --template T]
 */
import { importSolution } from '../src/engine/import.js';
import { environmentTemplates } from '../src/catalog/templates.js';
import { createEnvironment } from '../src/store/environments.js';
import { migrate } from '../src/store/migrations.js';
import { PGliteStore } from '../src/store/pglite/adapter.js';
import {
  HAVE_REAL_FIXTURES,
  NO_FIXTURES_REASON,
  listRealPackages,
  relativeToFixtures,
} from '../test/support/fixtures.js';
import { templateFor } from '../test/support/fixture-templates.js';

interface Outcome {
  rel: string;
  ok: boolean;
  code?: string;
  /** the solutions the refusal names as providing what is missing */
  solutions?: string[];
}

const args = process.argv.slice(2);
const json = args.includes('--json');
const only = args.includes('--template') ? args[args.indexOf('--template') + 1] : undefined;

if (!HAVE_REAL_FIXTURES) {
  console.error(NO_FIXTURES_REASON);
  process.exit(2);
}

const packages = listRealPackages();
const store = await PGliteStore.open(null);
await migrate(store);
const results: Record<string, Outcome[]> = {};
let n = 0;
try {
  for (const t of environmentTemplates()) {
    if (only && t.id !== only) continue;
    const outcomes: Outcome[] = [];
    for (const path of packages) {
      const env = `e${++n}`;
      await createEnvironment(store, env, t.id);
      const rel = relativeToFixtures(path);
      try {
        await importSolution(store, { environment: env, source: path });
        outcomes.push({ rel, ok: true });
      } catch (e) {
        const err = e as { code?: string; missing?: Array<{ solution?: string; key: string }> };
        // a solution once, without the version each package asks for
        const solutions = [
          ...new Set(
            (err.missing ?? []).map((m) =>
              m.solution
                ? m.solution.replace(/ \(.*\)$/, '')
                : `a component no solution is named for (${m.key})`,
            ),
          ),
        ];
        outcomes.push({ rel, ok: false, code: err.code ?? String(e), solutions });
      }
      if (!json) process.stderr.write(`\r${t.id}: ${outcomes.length}/${packages.length}`);
    }
    if (!json) process.stderr.write('\n');
    results[t.id] = outcomes;
  }
} finally {
  await store.close();
}

if (json) console.log(JSON.stringify(results, null, 2));
else {
  for (const [id, outcomes] of Object.entries(results)) {
    const ok = outcomes.filter((o) => o.ok).length;
    const matching = outcomes.filter((o) => templateFor(o.rel) === id);
    const matchingOk = matching.filter((o) => o.ok).length;
    console.log(
      `${id}: ${ok} of ${outcomes.length} import ` +
        `(${matchingOk} of the ${matching.length} made for this template)`,
    );
    const why = new Map<string, number>();
    for (const o of outcomes)
      if (!o.ok)
        for (const s of o.solutions?.length ? o.solutions : [o.code ?? '?'])
          why.set(s, (why.get(s) ?? 0) + 1);
    for (const [s, k] of [...why].sort((a, b) => b[1] - a[1]))
      console.log(`  refused for ${s}: ${k} package(s)`);
  }
}
