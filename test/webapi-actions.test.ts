import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { DynamicsWebApi } from 'dynamics-web-api';
import type { FastifyInstance } from 'fastify';
import { renderLog } from '../src/jobs/log-format.js';
import { typeDisplayName } from '../src/model/component-types.js';
import { buildSolutionZip } from '../src/package/build.js';
import { readPackage } from '../src/package/read.js';
import { child, children, parseXml, type XmlElement } from '../src/package/xml.js';
import { publisherId, solutionId } from '../src/server/webapi/ids.js';
import { findEnvironment } from '../src/store/environments.js';
import { listHistory } from '../src/store/history.js';
import { loadJob } from '../src/store/jobs.js';
import { listDrafts } from '../src/store/queries.js';
import type { Store } from '../src/store/store.js';
import { contosoV1, fabrikamLinks } from './support/contoso.js';
import { HAVE_REAL_FIXTURES, NO_FIXTURES_REASON, realFixture } from './support/fixtures.js';
import { environmentsWithTokens, startServer } from './support/server.js';
import { STORE_CASES } from './support/stores.js';

/**
 * The Web API pieces of issue 15, driven by dynamics-web-api (and raw fetch where the library
 * cannot say it): PublishAllXml without a body, importjobs.data as Dataverse's import result XML
 * and RetrieveFormattedImportJobResults, ExportSolutionAsync + DownloadSolutionExportData,
 * DeleteAndPromoteAsync, msdyn_solutionhistories, $count / paging / $expand on the solution sets,
 * fetchXml, unknown action parameters, and DELETE solutions(id). On both stores, with the real
 * BinaryStorageOptions series and GlobalQuickSearch 1.5 (unmanaged).
 */
const zip64 = (path: string): string => readFileSync(realFixture(path)).toString('base64');
const BSO = (v: string) =>
  zip64(`binary-storage-options-series/BinaryStorageOptions_${v}_managed.zip`);
const GQS = () => zip64('crm2011-globalquicksearch-series/GlobalQuickSearch_1_5_0_0.zip');

interface DwaError {
  status?: number;
  message?: string;
  code?: string;
  strataCode?: string;
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
    `Web API actions and queries of issue 15 (${sc.name})`,
    { skip: sc.skip || (HAVE_REAL_FIXTURES ? false : NO_FIXTURES_REASON) },
    () => {
      let store: Store;
      let app: FastifyInstance;
      let base: string;
      let token: string;
      let api: DynamicsWebApi;
      let envId: number;
      const importJobId = randomUUID();

      const raw = (path: string, init: RequestInit = {}) =>
        fetch(`${base}/api/data/v9.2/${path}`, {
          ...init,
          headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) },
        });

      /** Polls asyncoperations(id) until the job is Completed (statecode 3). */
      async function completed(id: string): Promise<Record<string, unknown>> {
        for (let i = 0; i < 600; i++) {
          const op = await api.retrieve({ collection: 'asyncoperations', key: id });
          if (op.statecode === 3) return op;
          assert.equal(op.statecode, 2, 'in progress until it completes');
          await new Promise((r) => setTimeout(r, 50));
        }
        assert.fail(`asyncoperation ${id} did not complete`);
      }

      before(async () => {
        store = await sc.open();
        token = (await environmentsWithTokens(store, ['w15'])).w15;
        envId = (await findEnvironment(store, 'w15')).id;
        ({ app, base } = await startServer(store));
        api = new DynamicsWebApi({
          serverUrl: base,
          dataApi: { version: '9.2' },
          onTokenRefresh: async () => token,
        });
      });
      after(async () => {
        await app?.close();
        await store?.close();
      });

      test('unknown action parameters are refused as Dataverse refuses them', async () => {
        const e = await rejected(
          api.callAction({
            actionName: 'ImportSolution',
            action: { CustomizationFile: BSO('1_0_0_0'), OverwriteUnmanagedCustomisations: true },
          }),
        );
        assert.equal(e.status, 400);
        assert.equal(e.code, '0x80048d19');
        assert.equal(
          e.message,
          "The parameter 'OverwriteUnmanagedCustomisations' in the request payload is not a " +
            "valid parameter for the operation 'ImportSolution'.",
        );
        // ImportSolutionAsync has no ImportJobId in Dataverse
        const f = await rejected(
          api.callAction({
            actionName: 'ImportSolutionAsync',
            action: { CustomizationFile: BSO('1_0_0_0'), ImportJobId: randomUUID() },
          }),
        );
        assert.equal(f.status, 400);
        assert.match(String(f.message), /'ImportJobId'.*'ImportSolutionAsync'/);
        const g = await rejected(
          api.callAction({ actionName: 'PublishAllXml', action: { Everything: true } }),
        );
        assert.equal(g.status, 400);
        // nothing was imported by the refused requests
        const sols = await api.retrieveMultiple({ collection: 'solutions' });
        assert.deepEqual(sols.value, []);
      });

      test('importjobs.data is the import result XML; RetrieveFormattedImportJobResults the spreadsheet', async () => {
        await api.callAction({
          actionName: 'ImportSolution',
          action: { CustomizationFile: BSO('1_0_0_0'), ImportJobId: importJobId },
        });
        const job = await api.retrieve({
          collection: 'importjobs',
          key: importJobId,
          select: ['data'],
        });
        const doc = parseXml(String(job.data));
        assert.equal(doc.name, 'importexportxml');
        const manifest = child(child(doc, 'solutionManifests'), 'solutionManifest')!;
        assert.equal(child(manifest, 'UniqueName')?.text, 'BinaryStorageOptions');
        assert.equal(child(manifest, 'Version')?.text, '1.0.0.0');
        assert.equal(child(manifest, 'Managed')?.text, '1');
        assert.equal(child(manifest, 'result')?.attrs.result, 'success');
        assert.equal(child(manifest, 'result')?.attrs.errorcode, '0');
        // one element per component of the job's log, each with its result
        const log = await loadJob(store, importJobId, typeDisplayName, envId);
        const components = doc.children
          .filter((s) => s.name !== 'solutionManifests')
          .flatMap((s) => s.children);
        assert.equal(components.length, log.results.length);
        assert.ok(components.every((c) => child(c, 'result')?.attrs.result === 'success'));
        const entities = children(child(doc, 'entities'), 'entity').map((e) => e.attrs.id);
        assert.deepEqual(
          entities.sort(),
          log.results
            .filter((r) => r.type === 'entity')
            .map((r) => r.key)
            .sort(),
        );
        assert.doesNotMatch(String(job.data), /urn:schemas-microsoft-com:office:spreadsheet/);

        const formatted = await api.callFunction({
          name: 'RetrieveFormattedImportJobResults',
          parameters: { ImportJobId: importJobId },
        });
        assert.equal(formatted.FormattedResults, renderLog(log, 'xml').body);
        assert.match(String(formatted.FormattedResults), /<Workbook/);
        const missing = await rejected(
          api.callFunction({
            name: 'RetrieveFormattedImportJobResults',
            parameters: { ImportJobId: randomUUID() },
          }),
        );
        assert.equal(missing.status, 404);
      });

      test('a failed import: the solution manifest result is a failure, with its error', async () => {
        const e = await rejected(
          api.callAction({
            actionName: 'ImportSolution',
            action: {
              CustomizationFile: zip64(
                'fasttrack-cif-series/DCCPChannelIntegrationFramework_1_0_0_6_managed.zip',
              ),
            },
          }),
        );
        const jobId = (e as { details?: { ImportJobId: string } }).details!.ImportJobId;
        const job = await api.retrieve({ collection: 'importjobs', key: jobId });
        const doc = parseXml(String(job.data));
        const result = child(child(child(doc, 'solutionManifests'), 'solutionManifest'), 'result')!;
        assert.equal(result.attrs.result, 'failure');
        assert.equal(result.attrs.errorcode, '0x80048042');
        assert.match(result.attrs.errortext, /missing/i);
        const missing = children(child(doc, 'missingDependencies'), 'missingDependency');
        assert.ok(missing.length > 0);
        assert.deepEqual(missing.map((m: XmlElement) => m.attrs.LocalizedName).sort(), [
          'msdyn_CIFV2Loader',
          'msdyn_omnichannel',
        ]);
        // the components not imported are there too, not processed
        const resources = children(child(doc, 'webResources'), 'webResource');
        assert.ok(resources.length > 0);
        assert.ok(resources.every((r) => r.attrs.processed === 'false'));
        assert.ok(resources.every((r) => child(r, 'result')?.attrs.result === 'failure'));
      });

      test('PublishAllXml with no body, as documented and as dynamics-web-api sends it', async () => {
        await api.callAction({
          actionName: 'ImportSolution',
          action: { CustomizationFile: GQS() },
        });
        assert.ok((await listDrafts(store, envId)).length > 0, 'the unmanaged import left drafts');
        await api.callAction({ actionName: 'PublishAllXml' });
        assert.equal((await listDrafts(store, envId)).length, 0);
        // no content type and no body at all
        const r = await raw('PublishAllXml', { method: 'POST' });
        assert.equal(r.status, 204, await r.text());
        // a body that is no object is still refused
        const bad = await raw('PublishAllXml', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '[1]',
        });
        assert.equal(bad.status, 400);
      });

      test('ExportSolutionAsync, asyncoperations, then DownloadSolutionExportData', async () => {
        const r = await api.callAction({
          actionName: 'ExportSolutionAsync',
          action: { SolutionName: 'BinaryStorageOptions', Managed: true },
        });
        assert.ok(r.AsyncOperationId && r.ExportJobId);
        assert.notEqual(r.AsyncOperationId, r.ExportJobId);
        const op = await completed(r.AsyncOperationId);
        assert.equal(op.statuscode, 30, String(op.friendlymessage));
        assert.equal(op.name, 'ExportSolution');
        const d = await api.callAction({
          actionName: 'DownloadSolutionExportData',
          action: { ExportJobId: r.ExportJobId },
        });
        const pkg = readPackage(new Uint8Array(Buffer.from(d.ExportSolutionFile, 'base64')));
        assert.equal(pkg.manifest.uniqueName, 'BinaryStorageOptions');
        assert.equal(pkg.manifest.version.text, '1.0.0.0');
        assert.equal(pkg.manifest.managed, true);

        // an export that fails: Failed (31) with the reason, and nothing to download
        const bad = await api.callAction({
          actionName: 'ExportSolutionAsync',
          action: { SolutionName: 'NoSuchSolution' },
        });
        const failed = await completed(bad.AsyncOperationId);
        assert.equal(failed.statuscode, 31);
        assert.match(String(failed.message), /NoSuchSolution/);
        const e = await rejected(
          api.callAction({
            actionName: 'DownloadSolutionExportData',
            action: { ExportJobId: bad.ExportJobId },
          }),
        );
        assert.equal(e.status, 400);
        const unknown = await rejected(
          api.callAction({
            actionName: 'DownloadSolutionExportData',
            action: { ExportJobId: randomUUID() },
          }),
        );
        assert.equal(unknown.status, 404);
      });

      test('DeleteAndPromoteAsync applies the staged upgrade as DeleteAndPromote does', async () => {
        await api.callAction({
          actionName: 'ImportSolution',
          action: { CustomizationFile: BSO('2_0_0_0'), HoldingSolution: true },
        });
        const r = await api.callAction({
          actionName: 'DeleteAndPromoteAsync',
          action: { UniqueName: 'BinaryStorageOptions' },
        });
        assert.ok(r.AsyncOperationId);
        const op = await completed(r.AsyncOperationId);
        assert.equal(op.statuscode, 30, String(op.friendlymessage));
        assert.equal(op.name, 'DeleteAndPromote');
        const sols = await api.retrieveMultiple({
          collection: 'solutions',
          select: ['uniquename', 'version'],
          filter: "startswith(uniquename,'BinaryStorage')",
        });
        assert.deepEqual(
          sols.value.map((s) => `${s.uniquename} ${s.version}`),
          ['BinaryStorageOptions 2.0.0.0'],
        );
        // nothing staged any more: the job fails with the reason
        const again = await api.callAction({
          actionName: 'DeleteAndPromoteAsync',
          action: { UniqueName: 'BinaryStorageOptions' },
        });
        const failed = await completed(again.AsyncOperationId);
        assert.equal(failed.statuscode, 31);
        assert.match(String(failed.message), /no solution staged/i);
      });

      test('msdyn_solutionhistories: the operation history as Dataverse rows', async () => {
        const rows = (
          await api.retrieveMultiple({
            collection: 'msdyn_solutionhistories',
            filter: "startswith(msdyn_name,'BinaryStorageOptions')",
            orderBy: ['msdyn_starttime asc'],
          })
        ).value;
        const entries = (await listHistory(store, envId, 1000)).filter((h) =>
          h.solutionName.startsWith('BinaryStorageOptions'),
        );
        assert.equal(rows.length, entries.length);
        // import (new), export, import of the holding solution, its apply (DeleteAndPromote)
        assert.deepEqual(
          rows.map((r) => [r.msdyn_name, r.msdyn_operation, r.msdyn_suboperation, r.msdyn_result]),
          [
            ['BinaryStorageOptions', 0, 1, true],
            ['BinaryStorageOptions', 2, 0, true],
            ['BinaryStorageOptions_Upgrade', 0, 2, true],
            ['BinaryStorageOptions', 0, 2, true],
          ],
        );
        const first = rows[0];
        assert.equal(first.msdyn_solutionversion, '1.0.0.0');
        assert.equal(first.msdyn_ismanaged, true);
        assert.equal(first.msdyn_status, 1);
        assert.equal(first.msdyn_activityid, importJobId);
        assert.ok(first.msdyn_publishername);
        assert.ok(Date.parse(first.msdyn_endtime) >= Date.parse(first.msdyn_starttime));
        assert.equal(rows[3].msdyn_solutionversion, '2.0.0.0');
        const failed = await api.retrieveMultiple({
          collection: 'msdyn_solutionhistories',
          filter: 'msdyn_result eq false',
        });
        assert.deepEqual(
          failed.value.map((r) => [r.msdyn_name, r.msdyn_operation, r.msdyn_errorcode]),
          [['DCCPChannelIntegrationFramework', 0, 'MISSING_DEPENDENCIES']],
        );
        assert.match(String(failed.value[0].msdyn_exceptionmessage), /missing/i);
        const publishAll = await api.retrieveMultiple({
          collection: 'msdyn_solutionhistories',
          select: ['msdyn_name'],
          filter: 'msdyn_operation eq 4',
        });
        assert.equal(publishAll.value.length, 2, 'the two PublishAllXml calls');
      });

      test('$count, paging with Prefer: odata.maxpagesize and $expand on the solution sets', async () => {
        const all = await api.retrieveMultiple({
          collection: 'solutioncomponents',
          select: ['solutioncomponentid'],
        });
        assert.ok(all.value.length > 12, `${all.value.length} components`);
        // one page through raw fetch: the headers and the link
        const first = await raw('solutioncomponents?$select=strata_key&$count=true', {
          headers: { prefer: 'odata.maxpagesize=5' },
        });
        assert.equal(first.headers.get('preference-applied'), 'odata.maxpagesize=5');
        const page = (await first.json()) as Record<string, unknown> & { value: unknown[] };
        assert.equal(page.value.length, 5);
        assert.equal(page['@odata.count'], all.value.length);
        assert.match(String(page['@odata.nextLink']), /\/solutioncomponents\?.*\$skiptoken=/);
        // the library follows the links to the end
        const paged = await api.retrieveAll({
          collection: 'solutioncomponents',
          select: ['solutioncomponentid'],
          maxPageSize: 5,
        });
        assert.deepEqual(
          paged.value.map((c) => c.solutioncomponentid),
          all.value.map((c) => c.solutioncomponentid),
        );
        for (const collection of ['solutions', 'publishers', 'importjobs', 'asyncoperations']) {
          const r = await api.retrieveMultiple({ collection, count: true, maxPageSize: 1 });
          const total = (await api.retrieveMultiple({ collection })).value.length;
          assert.ok(total >= 2, `${collection}: ${total}`);
          assert.equal(r.oDataCount, total, collection);
          assert.equal(r.value.length, 1, collection);
          assert.ok(r.oDataNextLink, collection);
        }
        const counted = await raw('solutions/$count?$filter=ismanaged eq true');
        assert.equal(await counted.text(), '1');

        const sols = await api.retrieveMultiple({
          collection: 'solutions',
          select: ['uniquename'],
          expand: [{ property: 'publisherid', select: ['uniquename', 'customizationprefix'] }],
          orderBy: ['uniquename'],
        });
        assert.equal(sols.value.length, 2);
        for (const s of sols.value) {
          assert.ok(s.publisherid.uniquename, JSON.stringify(s));
          assert.equal(s.publisherid.publisherid, publisherId(envId, s.publisherid.uniquename));
        }
        const jobs = await api.retrieveMultiple({
          collection: 'importjobs',
          select: ['solutionname'],
          filter: `importjobid eq ${importJobId}`,
          expand: [{ property: 'solutionid', select: ['uniquename', 'version'] }],
        });
        assert.deepEqual(jobs.value[0].solutionid, {
          solutionid: solutionId(envId, 'BinaryStorageOptions'),
          uniquename: 'BinaryStorageOptions',
          version: '2.0.0.0',
        });
        const comps = await api.retrieveMultiple({
          collection: 'solutioncomponents',
          top: 1,
          expand: [{ property: 'solutionid', select: ['uniquename'] }],
        });
        assert.equal(comps.value[0].solutionid.uniquename, comps.value[0].strata_solution);
        const one = await api.retrieve({
          collection: 'solutions',
          key: solutionId(envId, 'GlobalQuickSearch'),
          select: ['uniquename', '_publisherid_value'],
          expand: [{ property: 'publisherid' }],
        });
        assert.equal(one.publisherid.publisherid, one._publisherid_value);
        assert.ok(one.publisherid.customizationprefix, 'every column of the publisher');
        const bad = await rejected(
          api.retrieveMultiple({ collection: 'solutions', expand: [{ property: 'nosuchnav' }] }),
        );
        assert.equal(bad.status, 400);
        assert.match(String(bad.message), /nosuchnav/);
      });

      test('fetchXml: a simple fetch is honoured, anything else refused with a 400', async () => {
        const fetchOf = (collection: string, fetchXml: string) =>
          api.fetch({ collection, fetchXml });
        const eq = await fetchOf(
          'solutions',
          '<fetch><entity name="solution"><attribute name="uniquename"/><attribute name="version"/>' +
            '<filter><condition attribute="uniquename" operator="eq" value="GlobalQuickSearch"/>' +
            '</filter></entity></fetch>',
        );
        assert.deepEqual(
          eq.value.map((s) => [s.uniquename, s.version]),
          [['GlobalQuickSearch', '1.5.0.0']],
        );
        assert.deepEqual(
          Object.keys(eq.value[0])
            .filter((k) => !k.startsWith('@'))
            .sort(),
          ['solutionid', 'uniquename', 'version'],
        );
        const like = await fetchOf(
          'solutioncomponents',
          '<fetch><entity name="solutioncomponent"><attribute name="strata_key"/>' +
            '<filter type="and"><condition attribute="strata_solution" operator="like" ' +
            'value="binary%"/><condition attribute="strata_type" operator="in">' +
            '<value>entity</value><value>attribute</value></condition></filter>' +
            '<order attribute="strata_key" descending="true"/></entity></fetch>',
        );
        const expected = (
          await api.retrieveMultiple({
            collection: 'solutioncomponents',
            select: ['strata_key'],
            filter:
              "strata_solution eq 'BinaryStorageOptions' and " +
              "(strata_type eq 'entity' or strata_type eq 'attribute')",
            orderBy: ['strata_key desc'],
          })
        ).value.map((c) => c.strata_key);
        assert.ok(expected.length > 1);
        assert.deepEqual(
          like.value.map((c) => c.strata_key),
          expected,
        );
        const ne = await fetchOf(
          'solutions',
          '<fetch top="1"><entity name="solution"><attribute name="uniquename"/><filter>' +
            '<condition attribute="ismanaged" operator="ne" value="true"/></filter>' +
            '<order attribute="uniquename"/></entity></fetch>',
        );
        assert.deepEqual(
          ne.value.map((s) => s.uniquename),
          ['GlobalQuickSearch'],
        );
        const gqs = await api.retrieve({
          collection: 'solutions',
          key: solutionId(envId, 'GlobalQuickSearch'),
          select: ['_publisherid_value'],
        });
        const byPublisher = await fetchOf(
          'solutions',
          '<fetch><entity name="solution"><attribute name="uniquename"/>' +
            '<attribute name="publisherid"/><filter><condition attribute="publisherid" ' +
            `operator="eq" value="{${String(gqs._publisherid_value).toUpperCase()}}"/>` +
            '</filter></entity></fetch>',
        );
        assert.ok(byPublisher.value.some((s) => s.uniquename === 'GlobalQuickSearch'));
        for (const s of byPublisher.value)
          assert.equal(s._publisherid_value, gqs._publisherid_value);
        // count and page: the second page of one row, and whether more follow
        const paged = await raw(
          `solutions?fetchXml=${encodeURIComponent(
            '<fetch count="1" page="2"><entity name="solution"><attribute name="uniquename"/>' +
              '<order attribute="uniquename"/></entity></fetch>',
          )}`,
        );
        const body = (await paged.json()) as Record<string, unknown> & {
          value: Array<{ uniquename: string }>;
        };
        assert.deepEqual(
          body.value.map((s) => s.uniquename),
          ['GlobalQuickSearch'],
        );
        assert.equal(body['@Microsoft.Dynamics.CRM.morerecords'], false);

        for (const [collection, fetchXml, what] of [
          [
            'solutions',
            '<fetch><entity name="solution"><link-entity name="publisher" from="publisherid" ' +
              'to="publisherid"/></entity></fetch>',
            /link-entity/,
          ],
          [
            'solutions',
            '<fetch aggregate="true"><entity name="solution"><attribute name="uniquename" ' +
              'aggregate="count" alias="n"/></entity></fetch>',
            /aggregate/,
          ],
          [
            'solutions',
            '<fetch><entity name="solution"><filter><condition attribute="version" ' +
              'operator="ge" value="1.0"/></filter></entity></fetch>',
            /operator 'ge'/,
          ],
          ['solutions', '<fetch><entity name="publisher"/></fetch>', /publisher/],
          [
            'solutions',
            '<fetch><entity name="solution"><attribute name="nosuch"/></entity></fetch>',
            /nosuch/,
          ],
          ['solutions', '<fetch><entity name="solution">', /well-formed/],
          ['accounts', '<fetch><entity name="account"/></fetch>', /FetchXML/],
        ] as const) {
          const e = await rejected(fetchOf(collection, fetchXml));
          assert.equal(e.status, 400, fetchXml);
          assert.match(String(e.code), /^0x8006088/, fetchXml);
          assert.match(String(e.message), what, fetchXml);
        }
      });

      test('DELETE solutions(id) uninstalls; refused while others depend on it', async () => {
        for (const zip of [contosoV1(), fabrikamLinks()])
          await api.callAction({
            actionName: 'ImportSolution',
            action: { CustomizationFile: Buffer.from(buildSolutionZip(zip)).toString('base64') },
          });
        const contoso = solutionId(envId, 'ContosoProjects');
        const e = await rejected(api.deleteRecord({ collection: 'solutions', key: contoso }));
        assert.equal(e.status, 409);
        assert.equal(e.strataCode, 'DEPENDENTS_EXIST');
        assert.match(String(e.code), /^0x8004/);
        assert.match(String(e.message), /FabrikamLinks/);
        await api.deleteRecord({ collection: 'solutions', key: "uniquename='FabrikamLinks'" });
        await api.deleteRecord({ collection: 'solutions', key: contoso });
        const left = await api.retrieveMultiple({
          collection: 'solutions',
          select: ['uniquename'],
          orderBy: ['uniquename'],
        });
        assert.deepEqual(
          left.value.map((s) => s.uniquename),
          ['BinaryStorageOptions', 'GlobalQuickSearch'],
        );
        const gone = await rejected(api.deleteRecord({ collection: 'solutions', key: contoso }));
        assert.equal(gone.status, 404);
        const uninstalls = await api.retrieveMultiple({
          collection: 'msdyn_solutionhistories',
          select: ['msdyn_name', 'msdyn_result'],
          filter: 'msdyn_operation eq 1',
          orderBy: ['msdyn_starttime'],
        });
        assert.deepEqual(
          uninstalls.value.map((h) => [h.msdyn_name, h.msdyn_result]),
          [
            ['ContosoProjects', false],
            ['FabrikamLinks', true],
            ['ContosoProjects', true],
          ],
        );
      });
    },
  );
}
