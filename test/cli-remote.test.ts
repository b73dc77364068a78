import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { strFromU8, unzipSync } from 'fflate';
import { exportSolution } from '../src/engine/export.js';
import { buildSolutionZip, sampleSolution } from '../src/package/build.js';
import { findEnvironment } from '../src/store/environments.js';
import { solutionRecords } from '../src/store/solutions.js';
import type { Store } from '../src/store/store.js';
import { runCli, useTempHome } from './support/cli.js';
import { HAVE_REAL_FIXTURES, NO_FIXTURES_REASON, realFixture } from './support/fixtures.js';
import { environmentsWithTokens, startServer } from './support/server.js';
import { STORE_CASES } from './support/stores.js';

const GQS = (version: string) =>
  realFixture(
    `crm2011-globalquicksearch-series/GlobalQuickSearch_${version.replaceAll('.', '_')}_managed.zip`,
  );

/**
 * The CLI against `strata serve` on each store: a profile saved with strata auth, then import,
 * upgrade, export, list, publish, history, log, delete and the asynchronous jobs run through the
 * Dataverse Web API only; what they did is read back from the server's store.
 */
for (const sc of STORE_CASES) {
  describe(
    `the CLI against a server (${sc.name})`,
    { skip: sc.skip || (!HAVE_REAL_FIXTURES && NO_FIXTURES_REASON) },
    () => {
      const dir = useTempHome('strata-remote-');
      let store: Store;
      let app: FastifyInstance;
      let base: string;
      let token: string;
      let envId: number;

      /** The solutions of the server's environment, as its store has them. */
      const installed = async () =>
        (await solutionRecords(store, envId)).map((s) => `${s.uniqueName} ${s.version}`);

      before(async () => {
        store = await sc.open();
        token = (await environmentsWithTokens(store, ['remote']))['remote'];
        envId = (await findEnvironment(store, 'remote')).id;
        ({ app, base } = await startServer(store));
        delete process.env.STRATA_URL;
        delete process.env.STRATA_TOKEN;
      });
      after(async () => {
        await app.close();
        await store.close();
      });

      test('auth create checks the token, saves the profile (0600) and never prints the token', async () => {
        const bad = await runCli('auth', 'create', '--url', base, '--token', 'not-a-token');
        assert.equal(bad.code, 4, bad.both);
        assert.match(bad.err, /error UNAUTHORIZED: .* refused the token \(HTTP 401\)/);
        const r = await runCli('auth', 'create', '--url', base, '--token', token, '--name', 'lab');
        assert.equal(r.code, 0, r.both);
        assert.ok(!r.both.includes(token), 'the token is not printed');
        const file = join(process.env.STRATA_HOME!, 'auth.json');
        assert.equal(statSync(file).mode & 0o777, 0o600);
        const saved = JSON.parse(readFileSync(file, 'utf8'));
        assert.equal(saved.selected, 'lab');
        assert.deepEqual(
          saved.profiles.map((p: { name: string; token: string }) => [p.name, p.token]),
          [['lab', token]],
        );
        const list = await runCli('auth', 'list');
        assert.equal(list.code, 0);
        assert.match(list.out, /\*\s+lab\s+http:\/\/127\.0\.0\.1:\d+\/api\/data\/v9\.2/);
        assert.ok(!list.both.includes(token));
      });

      test('import of a real managed package runs on the server, and list shows it', async () => {
        const r = await runCli('import', GQS('1.5.0.0'));
        assert.equal(r.code, 0, r.both);
        assert.match(
          r.out,
          /Imported .*\(GlobalQuickSearch\) 1\.5\.0\.0 on lab — managed, published/,
        );
        assert.match(r.out, /\d+ component\(s\) imported/);
        assert.deepEqual(await installed(), ['GlobalQuickSearch 1.5.0.0']);
        const list = await runCli('list');
        assert.equal(list.code, 0, list.both);
        assert.match(list.out, /GlobalQuickSearch\s+.*1\.5\.0\.0\s+yes/);
        const json = JSON.parse((await runCli('list', '--json')).out);
        assert.equal(json.length, 1);
        assert.equal(json[0].uniqueName, 'GlobalQuickSearch');
        assert.ok(json[0].components > 0, 'components counted through solutioncomponents');
        // --local: the local store, untouched by all this
        const local = await runCli('list', '--local', '--json');
        assert.deepEqual(JSON.parse(local.out), []);
      });

      test('--stage-and-upgrade upgrades; --import-as-holding stages and upgrade applies it', async () => {
        const staged = await runCli('import', GQS('1.6.0.0'), '--stage-and-upgrade');
        assert.equal(staged.code, 0, staged.both);
        assert.match(staged.out, /Upgraded .* 1\.6\.0\.0 \(was 1\.5\.0\.0\)/);
        assert.deepEqual(await installed(), ['GlobalQuickSearch 1.6.0.0']);
        const holding = await runCli('import', GQS('1.8.0.0'), '--import-as-holding');
        assert.equal(holding.code, 0, holding.both);
        assert.match(
          holding.out,
          /Staged for upgrade .*Finish with: strata upgrade GlobalQuickSearch/s,
        );
        assert.deepEqual(await installed(), [
          'GlobalQuickSearch 1.6.0.0',
          'GlobalQuickSearch_Upgrade 1.8.0.0',
        ]);
        const up = await runCli('upgrade', 'GlobalQuickSearch');
        assert.equal(up.code, 0, up.both);
        assert.match(
          up.out,
          /GlobalQuickSearch_Upgrade 1\.8\.0\.0 is now GlobalQuickSearch \(was 1\.6\.0\.0\)/,
        );
        assert.deepEqual(await installed(), ['GlobalQuickSearch 1.8.0.0']);
        const none = await runCli('upgrade', 'GlobalQuickSearch');
        assert.equal(none.code, 5, none.both);
        assert.match(none.err, /HOLDING_NOT_FOUND/);
        const dry = await runCli('upgrade', 'GlobalQuickSearch', '--dry-run');
        assert.equal(dry.code, 2);
        assert.match(dry.err, /--dry-run is not available on a server/);
      });

      test("export writes the server's package: its solution.xml is the one the store exports", async () => {
        const file = join(dir, 'gqs.zip');
        const r = await runCli('export', 'GlobalQuickSearch', '-o', file);
        assert.equal(r.code, 0, r.both);
        assert.match(r.out, /Exported GlobalQuickSearch 1\.8\.0\.0 \(managed\) from lab/);
        const remote = unzipSync(readFileSync(file));
        const local = unzipSync((await exportSolution(store, 'remote', 'GlobalQuickSearch')).zip);
        assert.equal(strFromU8(remote['solution.xml']), strFromU8(local['solution.xml']));
        assert.match(strFromU8(remote['solution.xml']), /<Version>1\.8\.0\.0<\/Version>/);
        const again = await runCli('export', 'GlobalQuickSearch', '-o', file);
        assert.equal(again.code, 2, 'an existing file is not replaced without --force');
        const missing = await runCli('export', 'NoSuchSolution', '-o', join(dir, 'x.zip'));
        assert.equal(missing.code, 5);
        assert.match(missing.err, /SOLUTION_NOT_FOUND/);
      });

      test('publish, history and log read and act through the Web API', async () => {
        const pub = await runCli('publish');
        assert.equal(pub.code, 0, pub.both);
        assert.match(pub.out, /Published all customizations on lab \(PublishAllXml\)/);
        const history = JSON.parse((await runCli('history', '--json')).out) as Array<{
          solutionName: string;
          operation: string;
          result: string;
          jobId: string | null;
        }>;
        assert.ok(
          history.some((h) => h.operation === 'publish all'),
          JSON.stringify(history),
        );
        const imports = history.filter((h) => h.operation === 'import' && h.jobId);
        assert.ok(imports.length >= 3, JSON.stringify(history));
        const text = await runCli('history');
        assert.match(text.out, /GlobalQuickSearch\s+1\.5\.0\.0\s+import\s+new\s+success/);
        const jobId = imports.at(-1)!.jobId!;
        const out = join(dir, 'log.xml');
        const log = await runCli('log', jobId.slice(0, 8), '-o', out);
        assert.equal(log.code, 0, log.both);
        const xml = readFileSync(out, 'utf8');
        assert.match(xml, /<Workbook[^>]*urn:schemas-microsoft-com:office:spreadsheet/);
        assert.match(xml, /GlobalQuickSearch/);
        const json = JSON.parse((await runCli('log', jobId, '--format', 'json')).out);
        assert.equal(json.importjobid, jobId);
        assert.match(json.data, /<importexportxml[\s\S]*result="success"/);
        assert.equal((await runCli('log', 'ffffffff')).code, 5);
      });

      test('a refused import exits as it does on the local store, naming the missing component', async () => {
        const spec = sampleSolution();
        spec.tables[0].columns.push({
          name: 'cnt_VendorId',
          display: 'Vendor',
          type: 'lookup',
          target: 'fab_vendor',
        });
        const zip = join(dir, 'deps.zip');
        writeFileSync(zip, buildSolutionZip(spec));
        const local = await runCli('import', zip, '--local');
        const remote = await runCli('import', zip, '--json');
        assert.equal(local.code, 4, local.both);
        assert.equal(remote.code, local.code, remote.both);
        const error = JSON.parse(remote.out).error;
        assert.equal(error.code, 'MISSING_DEPENDENCIES');
        assert.match(error.message, /fab_vendor/);
        assert.ok(
          !(await installed()).some((s) => s.startsWith('ContosoProjects')),
          'nothing installed',
        );
        // an unreadable package is refused before anything is sent, as locally (exit 3)
        const junk = join(dir, 'junk.zip');
        writeFileSync(junk, 'not a zip');
        assert.equal((await runCli('import', junk)).code, 3);
      });

      test('--async submits and exits; job show and job wait follow the job', async () => {
        const zip = join(dir, 'contoso.zip');
        writeFileSync(zip, buildSolutionZip(sampleSolution()));
        const submitted = await runCli('import', zip, '--async', '--json');
        assert.equal(submitted.code, 0, submitted.both);
        const { asyncOperationId } = JSON.parse(submitted.out);
        assert.match(asyncOperationId, /^[0-9a-f-]{36}$/);
        const wait = await runCli('job', 'wait', asyncOperationId);
        assert.equal(wait.code, 0, wait.both);
        assert.match(wait.out, new RegExp(`Job ${asyncOperationId} succeeded`));
        assert.ok((await installed()).includes('ContosoProjects 1.0.0.0'));
        const show = await runCli('job', 'show', asyncOperationId);
        assert.equal(show.code, 0, show.both);
        assert.match(show.out, /Completed: Succeeded/);
        // a job that fails: job wait exits with the import's code
        const older = join(dir, 'older.zip');
        writeFileSync(older, buildSolutionZip({ ...sampleSolution(), version: '0.9.0.0' }));
        const failing = await runCli('import', older, '--async', '--update');
        assert.equal(failing.code, 0, failing.both);
        const id = /job ([0-9a-f-]{36})/.exec(failing.out)![1];
        const failed = await runCli('job', 'wait', id);
        assert.equal(failed.code, 4, failed.both);
        assert.match(failed.err, /error VERSION_LOWER/);
        assert.equal((await runCli('job', 'show', '00000000-0000-0000-0000-000000000000')).code, 5);
        // export --async, then wait and download
        const file = join(dir, 'async.zip');
        const exp = await runCli('export', 'GlobalQuickSearch', '--async', '--json');
        assert.equal(exp.code, 0, exp.both);
        const e = JSON.parse(exp.out);
        const got = await runCli(
          'job',
          'wait',
          e.asyncOperationId,
          '--export-job',
          e.exportJobId,
          '-o',
          file,
        );
        assert.equal(got.code, 0, got.both);
        assert.match(
          strFromU8(unzipSync(readFileSync(file))['solution.xml']),
          /<Version>1\.8\.0\.0/,
        );
      });

      test('delete uninstalls on the server; an unknown solution is exit 5', async () => {
        const r = await runCli('delete', 'GlobalQuickSearch');
        assert.equal(r.code, 0, r.both);
        assert.match(r.out, /Uninstalled GlobalQuickSearch 1\.8\.0\.0 from lab \(managed/);
        assert.ok(!(await installed()).some((s) => s.startsWith('GlobalQuickSearch')));
        assert.equal((await runCli('delete', 'GlobalQuickSearch')).code, 5);
      });

      test('a bad token, flags and environment variables override the profile', async () => {
        const bad = await runCli('list', '--token', 'wrong');
        assert.equal(bad.code, 4, bad.both);
        assert.match(bad.err, /error UNAUTHORIZED: .*refused the token \(HTTP 401\)/);
        assert.match(bad.err, /→ The token is unknown, revoked or expired/);
        assert.ok(!bad.both.includes('wrong'), 'not even a wrong token is echoed');
        process.env.STRATA_TOKEN = 'wrong-too';
        try {
          assert.equal((await runCli('list')).code, 4);
        } finally {
          delete process.env.STRATA_TOKEN;
        }
        const gone = await runCli('list', '--url', 'http://127.0.0.1:9', '--token', 't');
        assert.equal(gone.code, 5);
        assert.match(
          gone.err,
          /SERVER_UNREACHABLE: Cannot reach http:\/\/127\.0\.0\.1:9\/api\/data\/v9\.2/,
        );
        assert.equal((await runCli('list', '--env', 'x')).code, 2, '--env is for the local store');
        assert.equal((await runCli('auth', 'delete', 'lab')).code, 0);
        const local = await runCli('list', '--json');
        assert.equal(local.code, 0);
        assert.deepEqual(JSON.parse(local.out), [], 'without a profile, the local store again');
        // on the local store --async runs the import to its end (there is no job runner outside
        // strata serve) and prints its job id, as docs/cli.md says
        const localAsync = await runCli('import', join(dir, 'contoso.zip'), '--async');
        assert.equal(localAsync.code, 0, localAsync.err);
        assert.match(localAsync.out + localAsync.err, /[0-9a-f]{8}-[0-9a-f]{4}-/);
      });
    },
  );
}
