import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { run } from '../src/cli/main.js';
import { parseXml } from '../src/package/xml.js';
import { buildSolutionZip, sampleSolution } from '../src/package/build.js';
import { PG_URL, STORE_CASES } from './support/stores.js';

/** Runs the CLI in-process, capturing what it prints. */
async function strata(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(argv, {
    out: (s) => {
      out += s + '\n';
    },
    err: (s) => {
      err += s + '\n';
    },
    isTTY: false,
  });
  return { code, out, err };
}

for (const sc of STORE_CASES) {
  describe(`strata CLI end to end (${sc.name})`, { skip: sc.skip }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-cli-'));
    const db = `strata_cli_${process.pid}`;
    const saved = { home: process.env.STRATA_HOME, url: process.env.DATABASE_URL };
    before(async () => {
      process.env.STRATA_HOME = join(dir, 'home');
      if (sc.name === 'postgres') {
        const c = new pg.Client({ connectionString: PG_URL });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${db}`);
        await c.query(`CREATE DATABASE ${db}`);
        await c.end();
        const u = new URL(PG_URL);
        u.pathname = `/${db}`;
        process.env.DATABASE_URL = u.toString();
      } else delete process.env.DATABASE_URL;
    });
    after(async () => {
      process.env.STRATA_HOME = saved.home;
      if (saved.url === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved.url;
      if (sc.name === 'postgres') {
        const c = new pg.Client({ connectionString: PG_URL });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${db}`);
        await c.end();
      }
      rmSync(dir, { recursive: true, force: true });
    });

    test('sample → inspect → import → list → layers → log → history', async () => {
      const zip = join(dir, 'sample.zip');
      assert.equal((await strata('sample', '-o', zip)).code, 0);
      const inspect = await strata('inspect', zip, '--json');
      assert.equal(inspect.code, 0, inspect.err);
      const info = JSON.parse(inspect.out);
      assert.equal(info.uniqueName, 'ContosoProjects');
      assert.equal(info.status, 'new');
      assert.equal(info.countsByType.attribute, 10, '8 columns and 2 primary keys');
      assert.deepEqual(
        info.executableCode.map((e: { type: string }) => e.type),
        ['webresource'],
      );

      const imp = await strata('import', zip, '--json');
      assert.equal(imp.code, 0, imp.err);
      const { jobId } = JSON.parse(imp.out);
      const list = await strata('list', '--json');
      assert.deepEqual(
        JSON.parse(list.out).map((s: { uniqueName: string; version: string }) => [
          s.uniqueName,
          s.version,
        ]),
        [['ContosoProjects', '1.0.0.0']],
      );
      const layers = await strata('layers', 'attribute', 'cnt_project.cnt_budget', '--json');
      assert.deepEqual(
        JSON.parse(layers.out).layers.map((l: { solution: string }) => l.solution),
        ['ContosoProjects'],
      );
      assert.ok(
        JSON.parse(layers.out).layers[0].changes > 10,
        'the bottom layer reports how many properties it sets',
      );
      const sysLayers = await strata('layers', 'entity', 'account', '--json');
      assert.deepEqual(
        JSON.parse(sysLayers.out).layers.map((l: { solution: string }) => l.solution),
        ['System'],
        'account shows its (catalog) System layer',
      );

      const logFile = join(dir, 'log.xml');
      const log = await strata('log', jobId.slice(0, 8), '--format', 'xml', '-o', logFile);
      assert.equal(log.code, 0, log.err);
      const wb = parseXml(readFileSync(logFile, 'utf8'));
      assert.equal(wb.name, 'Workbook');
      const history = await strata('history', '--json');
      assert.deepEqual(
        JSON.parse(history.out).map((h: { operation: string; result: string }) => [
          h.operation,
          h.result,
        ]),
        [['import', 'success']],
      );

      const again = await strata('inspect', zip);
      assert.match(again.out, /contains an update for a solution that is already installed/);
      const refused = await strata('import', zip);
      assert.equal(refused.code, 4, 'the same version is not an upgrade');
      assert.match(refused.err, /VERSION_NOT_HIGHER/);
      const skipped = await strata('import', zip, '--skip-lower-version');
      assert.equal(skipped.code, 0, skipped.err);
      assert.match(skipped.out, /Skipped ContosoProjects 1\.0\.0\.0/);

      // 2.0: stage for upgrade, then apply; then uninstall
      const v2 = join(dir, 'sample-2.zip');
      writeFileSync(v2, buildSolutionZip({ ...sampleSolution(), version: '2.0.0.0' }));
      const planned = await strata('plan', v2, '--import-as-holding', '--json');
      assert.equal(JSON.parse(planned.out).kind, 'stage');
      assert.equal(
        (await strata('import', v2, '--import-as-holding', '--update')).code,
        2,
        'one solution action at a time',
      );
      const staged = await strata('import', v2, '--import-as-holding');
      assert.equal(staged.code, 0, staged.err);
      assert.match(staged.out, /Finish with: strata upgrade ContosoProjects/);
      assert.deepEqual(
        JSON.parse((await strata('list', '--json')).out).map(
          (s: { uniqueName: string }) => s.uniqueName,
        ),
        ['ContosoProjects', 'ContosoProjects_Upgrade'],
      );
      const applied = await strata('upgrade', 'ContosoProjects');
      assert.equal(applied.code, 0, applied.err);
      assert.deepEqual(
        JSON.parse((await strata('list', '--json')).out).map(
          (s: { uniqueName: string; version: string }) => [s.uniqueName, s.version],
        ),
        [['ContosoProjects', '2.0.0.0']],
      );
      assert.equal(
        (await strata('upgrade', 'ContosoProjects')).code,
        5,
        'no holding solution left',
      );
      const exportFile = join(dir, 'exported.zip');
      const exported = await strata('export', 'ContosoProjects', '-o', exportFile, '--json');
      assert.equal(exported.code, 0, exported.err);
      assert.equal(JSON.parse(exported.out).version, '2.0.0.0');
      const reinspect = JSON.parse((await strata('inspect', exportFile, '--json')).out);
      assert.deepEqual(
        [reinspect.uniqueName, reinspect.version, reinspect.managed],
        ['ContosoProjects', '2.0.0.0', true],
      );
      assert.equal(
        (await strata('export', 'ContosoProjects', '-o', exportFile)).code,
        2,
        'an existing file needs --force',
      );
      const dry = await strata('delete', 'ContosoProjects', '--dry-run');
      assert.match(dry.out, /Would uninstall ContosoProjects 2\.0\.0\.0/);
      assert.equal((await strata('delete', 'ContosoProjects')).code, 0);
      assert.deepEqual(JSON.parse((await strata('list', '--json')).out), []);
      const hist = JSON.parse((await strata('history', '--json')).out).map(
        (h: { operation: string; subOperation: string }) => `${h.operation}/${h.subOperation}`,
      );
      assert.deepEqual(hist.slice(0, 4), [
        'uninstall/none',
        'export/managed',
        'upgrade/apply',
        'import/holding',
      ]);
    });

    test('unmanaged import stays draft until strata publish', async () => {
      assert.equal((await strata('env', 'create', 'dev')).code, 0);
      const zip = join(dir, 'unmanaged.zip');
      writeFileSync(zip, buildSolutionZip({ ...sampleSolution(), managed: false }));
      assert.equal((await strata('import', zip, '--env', 'dev')).code, 0);
      const drafts = JSON.parse((await strata('components', '--env', 'dev', '--json')).out).filter(
        (c: { unpublished: boolean }) => c.unpublished,
      );
      assert.ok(drafts.length > 10);
      const pub = await strata('publish', '--all', '--env', 'dev', '--json');
      assert.equal(JSON.parse(pub.out).published.length, drafts.length);
      assert.equal(
        JSON.parse((await strata('components', '--env', 'dev', '--json')).out).filter(
          (c: { unpublished: boolean }) => c.unpublished,
        ).length,
        0,
      );
    });

    test('bad input gives a typed error and an exit code, and writes nothing', async () => {
      assert.equal((await strata('env', 'create', 'clean')).code, 0);
      const bad = join(dir, 'not-a-solution.zip');
      writeFileSync(bad, 'hello');
      const r = await strata('import', bad, '--env', 'clean', '--json');
      assert.equal(r.code, 3);
      assert.equal(JSON.parse(r.out).error.code, 'PACKAGE_NOT_A_SOLUTION');
      assert.deepEqual(JSON.parse((await strata('list', '--env', 'clean', '--json')).out), []);
      assert.deepEqual(JSON.parse((await strata('history', '--env', 'clean', '--json')).out), []);
      assert.equal((await strata('import', '--nope')).code, 2);
      assert.equal((await strata('layers', 'entity', 'nothing_here', '--env', 'clean')).code, 5);
      assert.equal((await strata('list', '--env', 'missing')).code, 5);
    });

    test('a missing dependency fails with the list and exit code 4', async () => {
      assert.equal((await strata('env', 'create', 'deps')).code, 0);
      const spec = sampleSolution();
      spec.tables[0].columns.push({
        name: 'cnt_VendorId',
        display: 'Vendor',
        type: 'lookup',
        target: 'fab_vendor',
      });
      const zip = join(dir, 'deps.zip');
      writeFileSync(zip, buildSolutionZip(spec));
      const plan = await strata('plan', zip, '--env', 'deps');
      assert.equal(plan.code, 4);
      assert.match(plan.out, /fab_vendor/);
      const r = await strata('import', zip, '--env', 'deps');
      assert.equal(r.code, 4);
      assert.match(r.err, /MISSING_DEPENDENCIES[\s\S]*fab_vendor/);
      assert.deepEqual(JSON.parse((await strata('list', '--env', 'deps', '--json')).out), []);
    });
  });
}
