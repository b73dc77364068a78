import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { DynamicsWebApi } from 'dynamics-web-api';
import type { FastifyInstance } from 'fastify';
import { componentType } from '../src/model/component-types.js';
import { readPackage } from '../src/package/read.js';
import { solutionId } from '../src/server/webapi/ids.js';
import { listDrafts } from '../src/store/queries.js';
import { findEnvironment } from '../src/store/environments.js';
import type { Store } from '../src/store/store.js';
import { HAVE_REAL_FIXTURES, NO_FIXTURES_REASON, realFixture } from './support/fixtures.js';
import { buildPackage } from './support/package-builder.js';
import { STORE_CASES } from './support/stores.js';
import { environmentsWithTokens, startServer } from './support/server.js';

/**
 * The Dataverse Web API layer (/api/data/v9.2) driven by an unmodified Dataverse client
 * (dynamics-web-api) against real packages: BinaryStorageOptions 1.0 → 2.0 (staged, then
 * DeleteAndPromote) → 4.0 (StageAndUpgrade), GlobalQuickSearch 1.5 unmanaged (PublishXml), and a
 * package with missing dependencies (DCCPChannelIntegrationFramework 1.0.0.6).
 */
const BSO = (v: string) =>
  readFileSync(
    realFixture(`binary-storage-options-series/BinaryStorageOptions_${v}_managed.zip`),
  ).toString('base64');
const GQS = () =>
  readFileSync(
    realFixture('crm2011-globalquicksearch-series/GlobalQuickSearch_1_5_0_0.zip'),
  ).toString('base64');
const CIF = () =>
  readFileSync(
    realFixture('fasttrack-cif-series/DCCPChannelIntegrationFramework_1_0_0_6_managed.zip'),
  ).toString('base64');

const FORM = 'a5c0e8f2-1d5b-4c1e-9d43-7e0a4f6b2c11';

interface DwaError {
  status?: number;
  message?: string;
  code?: string;
  strataCode?: string;
  details?: unknown;
}

async function rejected(p: Promise<unknown>): Promise<DwaError> {
  try {
    await p;
  } catch (e) {
    return e as DwaError;
  }
  assert.fail('expected the request to fail');
}

for (const sc of STORE_CASES) {
  describe(
    `Dataverse Web API (${sc.name})`,
    { skip: sc.skip || (HAVE_REAL_FIXTURES ? false : NO_FIXTURES_REASON) },
    () => {
      let store: Store;
      let app: FastifyInstance;
      let base: string;
      let tokenA: string;
      let a: DynamicsWebApi;
      let b: DynamicsWebApi;
      let envA: number;

      before(async () => {
        store = await sc.open();
        const tokens = await environmentsWithTokens(store, ['a', 'b']);
        envA = (await findEnvironment(store, 'a')).id;
        tokenA = tokens.a;
        const tokenB = tokens.b;
        ({ app, base } = await startServer(store));
        a = new DynamicsWebApi({
          serverUrl: base,
          dataApi: { version: '9.2' },
          onTokenRefresh: async () => tokenA,
        });
        b = new DynamicsWebApi({
          serverUrl: base,
          dataApi: { version: '9.2' },
          onTokenRefresh: async () => tokenB,
        });
      });
      after(async () => {
        await app?.close();
        await store?.close();
      });

      const importJobId = randomUUID();

      test('ImportSolution with ImportJobId imports and the importjob has the log', async () => {
        const out = await a.callAction({
          actionName: 'ImportSolution',
          action: {
            CustomizationFile: BSO('1_0_0_0'),
            OverwriteUnmanagedCustomizations: false,
            PublishWorkflows: true,
            ImportJobId: importJobId,
            ConvertToManaged: false,
            SkipProductUpdateDependencies: false,
          },
        });
        assert.ok(
          out === undefined ||
            out === null ||
            (typeof out === 'object' && Object.keys(out).length === 0),
          `204 expected, got ${JSON.stringify(out)}`,
        );
        const job = await a.retrieve({ collection: 'importjobs', key: importJobId });
        assert.equal(job.importjobid, importJobId);
        assert.equal(job.progress, 100);
        assert.equal(job.solutionname, 'BinaryStorageOptions');
        assert.equal(job.strata_status, 'succeeded');
        assert.ok(job.completedon && !Number.isNaN(Date.parse(String(job.completedon))));
        // Dataverse's import result document (RetrieveFormattedImportJobResults: the spreadsheet)
        assert.match(String(job.data), /^<importexportxml /);
        assert.match(String(job.data), /<result result="success" errorcode="0" /);
        const sols = await a.retrieveMultiple({
          collection: 'solutions',
          select: ['uniquename', 'version', 'ismanaged'],
          filter: "uniquename eq 'BinaryStorageOptions'",
        });
        assert.deepEqual(
          sols.value.map((s) => [s.uniquename, s.version, s.ismanaged]),
          [['BinaryStorageOptions', '1.0.0.0', true]],
        );
        assert.equal(sols.value[0].solutionid, solutionId(envA, 'BinaryStorageOptions'));
      });

      test('a second import with the same ImportJobId is refused', async () => {
        const e = await rejected(
          a.callAction({
            actionName: 'ImportSolution',
            action: { CustomizationFile: BSO('1_0_0_0'), ImportJobId: importJobId },
          }),
        );
        assert.equal(e.status, 409);
        assert.equal(e.strataCode, 'IMPORT_JOB_EXISTS');
      });

      test('ImportSolutionAsync (HoldingSolution) + polling, then DeleteAndPromote', async () => {
        const r = await a.callAction({
          actionName: 'ImportSolutionAsync',
          action: { CustomizationFile: BSO('2_0_0_0'), HoldingSolution: true },
        });
        assert.ok(r.AsyncOperationId && r.ImportJobKey);
        let op: Record<string, unknown> = {};
        for (let i = 0; i < 600; i++) {
          op = await a.retrieve({
            collection: 'asyncoperations',
            key: r.AsyncOperationId,
            select: ['statecode', 'statuscode', 'friendlymessage'],
          });
          if (op.statecode === 3) break;
          await new Promise((res) => setTimeout(res, 100));
        }
        assert.equal(op.statecode, 3);
        assert.equal(op.statuscode, 30, String(op.friendlymessage));
        const job = await a.retrieve({
          collection: 'importjobs',
          key: r.ImportJobKey,
          select: ['progress', 'completedon', 'solutionname'],
        });
        assert.equal(job.progress, 100);
        let sols = await a.retrieveMultiple({
          collection: 'solutions',
          select: ['uniquename', 'version'],
          orderBy: ['uniquename'],
        });
        assert.deepEqual(
          sols.value.map((s) => `${s.uniquename} ${s.version}`),
          ['BinaryStorageOptions 1.0.0.0', 'BinaryStorageOptions_Upgrade 2.0.0.0'],
        );

        const promoted = await a.callAction({
          actionName: 'DeleteAndPromote',
          action: { UniqueName: 'BinaryStorageOptions' },
        });
        assert.equal(promoted.SolutionId, solutionId(envA, 'BinaryStorageOptions'));
        sols = await a.retrieveMultiple({
          collection: 'solutions',
          select: ['uniquename', 'version'],
        });
        assert.deepEqual(
          sols.value.map((s) => `${s.uniquename} ${s.version}`),
          ['BinaryStorageOptions 2.0.0.0'],
        );
      });

      test('StageAndUpgrade stages and applies in one call', async () => {
        const r = await a.callAction({
          actionName: 'StageAndUpgrade',
          action: {
            CustomizationFile: BSO('4_0_0_0'),
            OverwriteUnmanagedCustomizations: true,
            PublishWorkflows: true,
          },
        });
        assert.equal(r.SolutionId, solutionId(envA, 'BinaryStorageOptions'));
        const sols = await a.retrieveMultiple({
          collection: 'solutions',
          select: ['uniquename', 'version'],
          filter: "startswith(uniquename, 'BinaryStorage')",
        });
        assert.deepEqual(
          sols.value.map((s) => `${s.uniquename} ${s.version}`),
          ['BinaryStorageOptions 4.0.0.0'],
        );
        const comps = await a.retrieveMultiple({
          collection: 'solutioncomponents',
          filter: `_solutionid_value eq ${r.SolutionId}`,
        });
        assert.ok(comps.value.length >= 10, `${comps.value.length} components`);
        assert.ok(
          comps.value.every(
            (c) => c.strata_solution === 'BinaryStorageOptions' && typeof c.objectid === 'string',
          ),
        );
        assert.ok(
          comps.value.some((c) => typeof c.componenttype === 'number'),
          'Dataverse type codes',
        );
        for (const c of comps.value)
          assert.equal(c.componenttype, componentType(c.strata_type).code, c.strata_type);
      });

      test('ExportSolution returns a package strata reads back', async () => {
        const r = await a.callAction({
          actionName: 'ExportSolution',
          action: { SolutionName: 'BinaryStorageOptions', Managed: true },
        });
        const pkg = readPackage(new Uint8Array(Buffer.from(r.ExportSolutionFile, 'base64')));
        assert.equal(pkg.manifest.uniqueName, 'BinaryStorageOptions');
        assert.equal(pkg.manifest.version.text, '4.0.0.0');
        assert.equal(pkg.manifest.managed, true);
        assert.ok(pkg.components.length > 0);
      });

      test('unmanaged import, PublishXml, and $select/$filter/$orderby/$top queries', async () => {
        await a.callAction({ actionName: 'ImportSolution', action: { CustomizationFile: GQS() } });
        const before = await listDrafts(store, envA);
        assert.ok(
          before.some((d) => d.type === 'entity' && d.key === 'gqs_globalquicksearchconfig'),
        );
        await a.callAction({
          actionName: 'PublishXml',
          action: {
            ParameterXml:
              '<importexportxml><entities><entity>gqs_globalquicksearchconfig</entity>' +
              '</entities></importexportxml>',
          },
        });
        const afterDrafts = await listDrafts(store, envA);
        assert.ok(
          !afterDrafts.some(
            (d) =>
              d.key === 'gqs_globalquicksearchconfig' ||
              d.key.startsWith('gqs_globalquicksearchconfig.'),
          ),
          'the table and its columns are published',
        );
        await a.callAction({ actionName: 'PublishAllXml', action: {} });
        assert.equal((await listDrafts(store, envA)).length, 0);

        const all = await a.retrieveMultiple({
          collection: 'solutions',
          select: ['uniquename', 'ismanaged', 'version'],
          orderBy: ['uniquename desc'],
        });
        assert.deepEqual(
          all.value.map((s) => s.uniquename),
          ['GlobalQuickSearch', 'BinaryStorageOptions'],
        );
        assert.deepEqual(
          Object.keys(all.value[0])
            .filter((k) => !k.startsWith('@'))
            .sort(),
          ['ismanaged', 'solutionid', 'uniquename', 'version'],
        );
        const top = await a.retrieveMultiple({
          collection: 'solutions',
          select: ['uniquename'],
          orderBy: ['uniquename asc'],
          top: 1,
        });
        assert.deepEqual(
          top.value.map((s) => s.uniquename),
          ['BinaryStorageOptions'],
        );
        const unmanaged = await a.retrieveMultiple({
          collection: 'solutions',
          select: ['uniquename', '_publisherid_value'],
          filter: "ismanaged eq false and version eq '1.5.0.0'",
        });
        assert.deepEqual(
          unmanaged.value.map((s) => s.uniquename),
          ['GlobalQuickSearch'],
        );
        const pub = await a.retrieve({
          collection: 'publishers',
          key: unmanaged.value[0]._publisherid_value,
        });
        assert.ok(pub.uniquename && pub.customizationprefix, JSON.stringify(pub));
        const jobs = await a.retrieveMultiple({
          collection: 'importjobs',
          select: ['solutionname', 'progress'],
          filter: 'progress eq 100',
          orderBy: ['createdon desc'],
        });
        assert.equal(jobs.value.length, 4);
        assert.equal(jobs.value[0].solutionname, 'GlobalQuickSearch');
        const bad = await rejected(
          a.retrieveMultiple({ collection: 'solutions', select: ['nosuchcolumn'] }),
        );
        assert.equal(bad.status, 400);
        assert.match(String(bad.message), /nosuchcolumn/);
      });

      test('CloneAsPatch creates a patch of the unmanaged solution', async () => {
        const r = await a.callAction({
          actionName: 'CloneAsPatch',
          action: {
            ParentSolutionUniqueName: 'GlobalQuickSearch',
            DisplayName: 'GQS patch',
            VersionNumber: '1.5.1.0',
          },
        });
        const s = await a.retrieve({
          collection: 'solutions',
          key: r.SolutionId,
          select: ['uniquename', 'version', '_parentsolutionid_value'],
        });
        assert.equal(s.version, '1.5.1.0');
        assert.equal(s._parentsolutionid_value, solutionId(envA, 'GlobalQuickSearch'));
      });

      test('RetrieveMissingDependencies (alias and inline forms)', async () => {
        const r = await a.callFunction({
          name: 'RetrieveMissingDependencies',
          parameters: { SolutionUniqueName: 'BinaryStorageOptions' },
        });
        assert.deepEqual(r.value, []);
        const inline = await fetch(
          `${base}/api/data/v9.2/` +
            "RetrieveMissingDependencies(SolutionUniqueName='GlobalQuickSearch')",
          { headers: { authorization: `Bearer ${tokenA}` } },
        );
        assert.equal(inline.status, 200);
        assert.equal(inline.headers.get('odata-version'), '4.0');
        assert.deepEqual(((await inline.json()) as { value: unknown[] }).value, []);
        const e = await rejected(
          a.callFunction({
            name: 'RetrieveMissingDependencies',
            parameters: { SolutionUniqueName: 'NoSuchSolution' },
          }),
        );
        assert.equal(e.status, 404);
        assert.equal(e.code, '0x80040217');
      });

      test('a package with missing dependencies fails with their names', async () => {
        const e = await rejected(
          a.callAction({ actionName: 'ImportSolution', action: { CustomizationFile: CIF() } }),
        );
        assert.equal(e.status, 409);
        assert.equal(e.strataCode, 'MISSING_DEPENDENCIES');
        assert.match(String(e.code), /^0x8004/);
        assert.match(String(e.message), /msdyn_CIFV2Loader|msdyn_omnichannel/i);
        const jobId = (e.details as { ImportJobId: string }).ImportJobId;
        const job = await a.retrieve({
          collection: 'importjobs',
          key: jobId,
          select: ['strata_status', 'strata_code', 'data'],
        });
        assert.equal(job.strata_status, 'failed');
        assert.equal(job.strata_code, 'MISSING_DEPENDENCIES');
        assert.match(String(job.data), /msdyn_CIFV2Loader|msdyn_omnichannel/i);
        const sols = await a.retrieveMultiple({
          collection: 'solutions',
          filter: "uniquename eq 'DCCPChannelIntegrationFramework'",
        });
        assert.equal(sols.value.length, 0);
      });

      test("another environment's token sees none of these records", async () => {
        for (const collection of [
          'importjobs',
          'solutions',
          'publishers',
          'solutioncomponents',
          'asyncoperations',
        ]) {
          const r = await b.retrieveMultiple({ collection });
          assert.deepEqual(r.value, [], collection);
        }
        const e = await rejected(b.retrieve({ collection: 'importjobs', key: importJobId }));
        assert.equal(e.status, 404);
        const f = await rejected(
          b.retrieve({ collection: 'solutions', key: solutionId(envA, 'BinaryStorageOptions') }),
        );
        assert.equal(f.status, 404);
        const g = await rejected(
          b.callAction({
            actionName: 'ExportSolution',
            action: { SolutionName: 'BinaryStorageOptions', Managed: true },
          }),
        );
        assert.equal(g.status, 404);
        const noToken = await fetch(`${base}/api/data/v9.2/solutions`);
        assert.equal(noToken.status, 401);
        const body = (await noToken.json()) as { error: { code: string; strataCode: string } };
        assert.equal(body.error.strataCode, 'UNAUTHORIZED');
        assert.match(body.error.code, /^0x/);
      });

      test('StageAndUpgradeAsync runs both steps', async () => {
        // B gets 1.0 then 2.0 staged and applied asynchronously
        await b.callAction({
          actionName: 'ImportSolution',
          action: { CustomizationFile: BSO('1_0_0_0') },
        });
        const r = await b.callAction({
          actionName: 'StageAndUpgradeAsync',
          action: { CustomizationFile: BSO('2_0_0_0') },
        });
        let op: Record<string, unknown> = {};
        for (let i = 0; i < 600; i++) {
          op = await b.retrieve({ collection: 'asyncoperations', key: r.AsyncOperationId });
          if (op.statecode === 3) break;
          await new Promise((res) => setTimeout(res, 100));
        }
        assert.equal(op.statuscode, 30, String(op.friendlymessage));
        const sols = await b.retrieveMultiple({
          collection: 'solutions',
          select: ['uniquename', 'version'],
        });
        assert.deepEqual(
          sols.value.map((s) => `${s.uniquename} ${s.version}`),
          ['BinaryStorageOptions 2.0.0.0'],
        );
      });

      test('RetrieveMissingDependencies: a column a solution needs, after it went', async () => {
        const token = (await environmentsWithTokens(store, ['deps'])).deps;
        const c = new DynamicsWebApi({
          serverUrl: base,
          dataApi: { version: '9.2' },
          onTokenRefresh: async () => token,
        });
        const table = 'new_provided';
        const importZip = (zip: Uint8Array) =>
          c.callAction({
            actionName: 'ImportSolution',
            action: { CustomizationFile: Buffer.from(zip).toString('base64') },
          });
        // Provider brings the column unmanaged; Consumer's form shows it, without defining it
        await importZip(
          buildPackage({
            uniqueName: 'Provider',
            entities: [{ name: table, attributes: [`${table}id`, 'new_name', 'new_extra'] }],
          }),
        );
        await importZip(
          buildPackage({
            uniqueName: 'Consumer',
            managed: true,
            entities: [
              {
                name: table,
                attributes: [`${table}id`, 'new_name'],
                forms: [{ id: FORM, fields: ['new_name', 'new_extra'] }],
              },
            ],
          }),
        );
        const missing = async (name: string) =>
          (
            await c.callFunction({
              name: 'RetrieveMissingDependencies',
              parameters: { SolutionUniqueName: name },
            })
          ).value as Array<Record<string, unknown>>;
        assert.deepEqual(await missing('Consumer'), []);
        // the column's only layer is the Active one: removing it removes the column
        const removed = await fetch(`${base}/api/v1/customize`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            type: 'attribute',
            key: `${table}.new_extra`,
            removeActive: true,
          }),
        });
        assert.equal(removed.status, 200, await removed.text());
        const found = await missing('consumer'); // any case, as Dataverse
        assert.equal(found.length, 1, JSON.stringify(found));
        assert.deepEqual(
          {
            requiredtype: found[0].requiredcomponenttype,
            dependenttype: found[0].dependentcomponenttype,
            strata: [
              found[0].strata_requiredtype,
              found[0].strata_requiredkey,
              found[0].strata_dependenttype,
              found[0].strata_dependentkey,
            ],
          },
          {
            requiredtype: componentType('attribute').code,
            dependenttype: componentType('systemform').code,
            strata: ['attribute', `${table}.new_extra`, 'systemform', `{${FORM}}`],
          },
        );
        assert.equal(found[0].dependencytype, 2);
        assert.deepEqual(await missing('Provider'), []);
      });
    },
  );
}
