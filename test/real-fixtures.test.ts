import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { exportSolution } from '../src/engine/export.js';
import { importSolution } from '../src/engine/import.js';
import { publish } from '../src/engine/publish.js';
import { canonicalXml } from '../src/package/canonical.js';
import { renderSpreadsheetLog } from '../src/jobs/log-spreadsheet.js';
import { typeDisplayName } from '../src/model/component-types.js';
import { splitIdentity } from '../src/model/component.js';
import { readPackage, type SolutionPackage } from '../src/package/read.js';
import { createEnvironment } from '../src/store/environments.js';
import { loadJob } from '../src/store/jobs.js';
import { dumpEnvironment, listComponents } from '../src/store/queries.js';
import { findEnvironment } from '../src/store/environments.js';
import { loadSnapshot } from '../src/store/snapshot.js';
import type { Store } from '../src/store/store.js';
import {
  HAVE_REAL_FIXTURES,
  NO_FIXTURES_REASON,
  TEST_OUTPUT,
  listRealPackages,
  relativeToFixtures,
} from './support/fixtures.js';
import { LIBREOFFICE } from './support/libreoffice.js';
import { execFileSync } from 'node:child_process';
import { STORE_CASES } from './support/stores.js';
import { templateFor } from './support/fixture-templates.js';

/**
 * Fixtures that fail on the template they were made for (test/support/fixture-templates.ts):
 * each needs something no template has, and the refusal names it — a solution absent from every
 * template, the source organisation's own components, or (for the patch) its missing parent.
 */
const EXPECTED_FAILURES: Array<{ match: RegExp; code: string; names: string; reason: string }> = [
  {
    match: /^fasttrack-p2c\/P2CFieldService\.zip$/,
    code: 'MISSING_DEPENDENCIES',
    names: 'product.msdynce_ismaintainedexternally',
    reason: 'a column of the Prospect to Cash integration (msdynce_ProspectToCashIntegration)',
  },
  {
    match: /^fasttrack-p2c\/P2CProjectService/,
    code: 'MISSING_DEPENDENCIES',
    names: 'msdynce_ProspectToCashIntegration',
    reason: 'the Prospect to Cash integration with Finance and Operations, in no template',
  },
  {
    match: /^fasttrack-sales-order-series\//,
    code: 'MISSING_DEPENDENCIES',
    names: 'MicrosoftOperationsERPVE',
    reason: 'Finance and Operations virtual tables (MicrosoftOperationsERPVE), in no template',
  },
  {
    match: /^k2-crm2013\/3 K2forDynamicsCRM2013SitemapDemo/,
    code: 'MISSING_DEPENDENCIES',
    names: 'k2_k2settings',
    reason: 'tables of another K2 solution',
  },
  {
    match: /^k2-crm2013\/K2CRM2013SimpleCaseDemo/,
    code: 'MISSING_DEPENDENCIES',
    names: 'k2.demo.crm.workflow.activity.k2crmworkflowactivity',
    reason: "the source organisation's own K2 plug-in type and web resources (its Active layer)",
  },
  {
    match: /^newsman-sync-series\/.*NewsmanSync_Patch_/,
    code: 'PATCH_PARENT_MISSING',
    names: 'NewsmanSync',
    reason: 'a patch: its parent NewsmanSync is not installed in a fresh environment',
  },
  {
    match: /^powerapps-samples\/ColumnLevelSecuritySampleSolution/,
    code: 'MISSING_DEPENDENCIES',
    names: 'msft_ColumnLevelSecurityData',
    reason: 'masking rule records of msft_ColumnLevelSecurityData, in no template',
  },
];

const packages = listRealPackages();

for (const sc of STORE_CASES) {
  describe(
    `real packages import into fresh environments (${sc.name})`,
    { skip: sc.skip || (!HAVE_REAL_FIXTURES && NO_FIXTURES_REASON) },
    () => {
      let store: Store;
      const logDir = join(TEST_OUTPUT, `real-logs-${sc.name}`);
      const logs: Array<{ file: string; rows: number; firstKey: string }> = [];
      before(async () => {
        store = await sc.open();
        rmSync(logDir, { recursive: true, force: true });
        mkdirSync(logDir, { recursive: true });
      });
      after(async () => {
        await store?.close();
      });

      let i = 0;
      for (const path of packages) {
        const rel = relativeToFixtures(path);
        const expected = EXPECTED_FAILURES.find((f) => f.match.test(rel));
        const template = templateFor(rel);
        const outcome = expected ? `fails: ${expected.reason}` : 'imports';
        test(`${rel} on ${template} ${outcome}`, async () => {
          const env = `fx${++i}`;
          await createEnvironment(store, env, template);
          const envId = (await findEnvironment(store, env)).id;
          const before = await dumpEnvironment(store, envId);
          const pkg = readPackage(path);
          let jobId: string;
          if (expected) {
            const e = await importSolution(store, { environment: env, source: path }).then(
              () => undefined,
              (err: unknown) =>
                err as Error & {
                  code: string;
                  jobId?: string;
                  missing?: Array<{ key: string; type: string; name?: string }>;
                },
            );
            assert.ok(e, 'the import should have failed');
            assert.equal(e.code, expected.code, e.message);
            const named = JSON.stringify(e.missing ?? []) + e.message;
            assert.ok(
              named.includes(expected.names),
              `the error names ${expected.names}: ${named.slice(0, 400)}`,
            );
            assert.equal(
              await dumpEnvironment(store, envId),
              before,
              'a failed import changes nothing',
            );
            jobId = e.jobId!;
          } else {
            const out = await importSolution(store, { environment: env, source: path });
            jobId = out.jobId;
            // what landed in the solution equals what the package holds, type by type
            const inPackage: Record<string, number> = {};
            for (const c of pkg.components) inPackage[c.type] = (inPackage[c.type] ?? 0) + 1;
            const stored: Record<string, number> = {};
            for (const c of await listComponents(store, envId, {
              solution: pkg.manifest.uniqueName,
            }))
              stored[c.type] = (stored[c.type] ?? 0) + 1;
            const withLayers = Object.fromEntries(
              Object.entries(inPackage)
                .map(([t, n]) => [
                  t,
                  n -
                    pkg.components.filter((c) => c.type === t && (c.shell || c.unmodified)).length,
                ])
                .filter(([, n]) => (n as number) > 0),
            );
            assert.deepEqual(stored, withLayers);
            assert.equal(out.log.status, 'succeeded');
            // export gives the same components back (issue 3 §6), and importing it gives the same
            // layers
            if (!pkg.manifest.managed) await publish(store, env);
            const exported = await exportSolution(store, env, pkg.manifest.uniqueName);
            const back = readPackage(exported.zip, { label: 'exported.zip' });
            assert.deepEqual(
              exportModel(back),
              exportModel(pkg),
              'export gives back what was imported (canonical XML)',
            );
            if (pkg.manifest.managed) {
              const again = `fx${++i}`;
              await createEnvironment(store, again, template);
              await importSolution(store, { environment: again, source: exported.zip });
              assert.deepEqual(
                await layerModel(again, pkg.manifest.uniqueName),
                await layerModel(env, pkg.manifest.uniqueName),
                'the exported package imports into the same layers',
              );
            }
          }
          const log = await loadJob(store, jobId, typeDisplayName);
          assert.ok(log.results.length >= (expected ? 1 : pkg.components.length));
          const file = join(logDir, `log-${String(i).padStart(3, '0')}.xml`);
          writeFileSync(file, renderSpreadsheetLog(log));
          const first = [...log.results].sort((a, b) =>
            a.result === b.result
              ? a.seq - b.seq
              : a.result === 'failure'
                ? -1
                : b.result === 'failure'
                  ? 1
                  : a.result === 'warning'
                    ? -1
                    : 1,
          )[0];
          logs.push({ file, rows: log.results.length, firstKey: first?.key ?? '' });
        });
      }

      /**
       * components with canonical definitions (forms exported unmodified are not definitions;
       * shells are containers)
       */
      const exportModel = (pkg: SolutionPackage): Array<[string, string]> =>
        pkg.components
          .filter((c) => !c.unmodified)
          .map((c): [string, string] => [
            `${c.type} ${c.key}`,
            c.shell
              ? 'shell'
              : c.xml
                ? canonicalXml(c.xml, `${c.type} ${c.key}`)
                : (c.files ?? []).join(','),
          ])
          .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      const layerModel = async (env: string, solution: string): Promise<string[]> => {
        const snap = await loadSnapshot(store, env);
        const out: string[] = [];
        for (const [id, layers] of snap.layers)
          for (const l of layers)
            if (l.solution === solution)
              out.push(`${splitIdentity(id).join(' ')} ${l.state ?? ''}`);
        return out.sort();
      };

      test(
        'every import log opens in LibreOffice as a spreadsheet',
        {
          skip:
            !LIBREOFFICE && !process.env.CI
              ? 'LibreOffice not installed (apt-get install libreoffice-calc-nogui)'
              : false,
        },
        () => {
          assert.ok(LIBREOFFICE, 'LibreOffice is required in CI');
          const outDir = join(logDir, 'csv');
          mkdirSync(outDir, { recursive: true });
          const profile = `file://${join(logDir, 'lo-profile')}`;
          // one LibreOffice start converts every log (the Components sheet is sheet 2)
          execFileSync(
            LIBREOFFICE!,
            [
              '--headless',
              '--norestore',
              `-env:UserInstallation=${profile}`,
              '--convert-to',
              'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,2',
              '--outdir',
              outDir,
              ...logs.map((l) => l.file),
            ],
            { timeout: 300_000, stdio: 'pipe' },
          );
          const csvs = readdirSync(outDir);
          for (const l of logs) {
            const base = l.file
              .split('/')
              .pop()!
              .replace(/\.xml$/, '');
            const csv = csvs.find((c) => c.startsWith(base) && c.endsWith('.csv'));
            assert.ok(csv, `LibreOffice converted ${base}`);
            const lines = readFileSync(join(outDir, csv), 'utf8')
              .split('\n')
              .filter((x) => x.trim() !== '');
            assert.match(lines[0], /^#,Name,Type,Key,Result/);
            assert.ok(
              lines.length >= l.rows + 1,
              `${base}: ${lines.length - 1} rows for ${l.rows} results`,
            );
            assert.ok(lines[1].includes(l.firstKey), `${base}: first row is ${l.firstKey}`);
          }
        },
      );
    },
  );
}
