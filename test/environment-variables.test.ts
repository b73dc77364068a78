import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DynamicsWebApi } from 'dynamics-web-api';
import type { FastifyInstance } from 'fastify';
import { CATALOG_ID } from '../src/catalog/catalog.js';
import {
  listEnvironmentVariables,
  setEnvironmentVariable,
} from '../src/engine/environment-variables.js';
import { importSolution, planPackage } from '../src/engine/import.js';
import { exportSolution } from '../src/engine/export.js';
import { settingsTemplate, parseDeploymentSettings } from '../src/package/deployment-settings.js';
import { readPackage } from '../src/package/read.js';
import { createEnvironment, findEnvironment } from '../src/store/environments.js';
import { listSolutions } from '../src/store/queries.js';
import type { Store } from '../src/store/store.js';
import { runCli, useTempHome } from './support/cli.js';
import { HAVE_REAL_FIXTURES, NO_FIXTURES_REASON, realFixture } from './support/fixtures.js';
import { buildPackage } from './support/package-builder.js';
import { environmentsWithTokens, startServer } from './support/server.js';
import { STORE_CASES } from './support/stores.js';

/**
 * Environment variables and connection references (issue 15 item 1, decision 50): pac's
 * deployment settings file, values written with the import, the plan's list and its refusal,
 * values kept by upgrades and left out of exports, env-var list/set, the JSON API and the Web
 * API's ComponentParameters.
 */

const SALES_ORDER =
  'fasttrack-sales-order-series/2026-03-11_0803_f334ee1/SalesOrderProcessingAutomation_1_0_0_6_managed.zip';

const definition = (
  name: string,
  type: number,
  opts: { default?: string; required?: boolean } = {},
): string =>
  `<environmentvariabledefinition schemaname="${name}">` +
  (opts.default !== undefined ? `<defaultvalue>${opts.default}</defaultvalue>` : '') +
  `<displayname default="${name}"><label description="${name}" languagecode="1033" /></displayname>` +
  `<introducedversion>1.0.0.0</introducedversion><iscustomizable>1</iscustomizable>` +
  `<isrequired>${opts.required ? 1 : 0}</isrequired><secretstore>0</secretstore>` +
  `<type>${type}</type></environmentvariabledefinition>`;

/** A package with a variable of each kind and a connection reference. */
function variablesPackage(version = '1.0.0.0', opts: { requiredDefault?: string } = {}) {
  const defs: Record<string, string> = {
    new_Text: definition('new_Text', 100000000, { required: true, default: opts.requiredDefault }),
    new_Count: definition('new_Count', 100000001, { default: '3' }),
    new_Enabled: definition('new_Enabled', 100000002, { default: 'no' }),
    new_Config: definition('new_Config', 100000003),
    new_Source: definition('new_Source', 100000004),
    new_Secret: definition('new_Secret', 100000005),
  };
  return buildPackage({
    uniqueName: 'VariablesDemo',
    version,
    managed: true,
    entities: [{ name: 'new_thing', attributes: ['new_thingid', 'new_name'] }],
    extraFiles: Object.fromEntries(
      Object.entries(defs).map(([k, xml]) => [
        `environmentvariabledefinitions/${k}/environmentvariabledefinition.xml`,
        xml,
      ]),
    ),
    extraCustomizations:
      '<connectionreferences><connectionreference connectionreferencelogicalname="new_sharedoffice365_abc">' +
      '<connectionreferencedisplayname>Office 365 Outlook</connectionreferencedisplayname>' +
      '<connectorid>/providers/Microsoft.PowerApps/apis/shared_office365</connectorid>' +
      '<iscustomizable>1</iscustomizable><promptingbehavior>0</promptingbehavior>' +
      '<statecode>0</statecode><statuscode>1</statuscode></connectionreference></connectionreferences>',
  });
}

const SETTINGS = {
  EnvironmentVariables: [
    { SchemaName: 'new_Text', Value: 'Contoso' },
    { SchemaName: 'new_Count', Value: '42' },
    { SchemaName: 'new_Enabled', Value: 'true' },
    { SchemaName: 'new_Config', Value: '{"a":1}' },
    { SchemaName: 'new_Source', Value: '' },
    { SchemaName: 'new_Secret', Value: '' },
  ],
  ConnectionReferences: [
    {
      LogicalName: 'new_sharedoffice365_abc',
      ConnectionId: 'shared-office365-1a2b',
      ConnectorId: '/providers/Microsoft.PowerApps/apis/shared_office365',
    },
  ],
};
const settingsValues = (s: unknown = SETTINGS) =>
  parseDeploymentSettings(JSON.stringify(s), 'test');

async function rejectsWith(p: Promise<unknown>, code: string): Promise<Error> {
  try {
    await p;
  } catch (e) {
    assert.equal((e as { code?: string }).code, code, (e as Error).message);
    return e as Error;
  }
  assert.fail(`expected ${code}`);
}

const valueOf = async (store: Store, env: string, name: string) =>
  (await listEnvironmentVariables(store, env)).variables.find((v) => v.schemaName === name);

describe('deployment settings file (pure)', () => {
  test(
    'create-settings of SalesOrderProcessingAutomation: its 7 variables and 4 connection references, as pac writes them',
    { skip: HAVE_REAL_FIXTURES ? false : NO_FIXTURES_REASON },
    () => {
      const s = settingsTemplate(readPackage(realFixture(SALES_ORDER)));
      assert.deepEqual(s.EnvironmentVariables.map((v) => v.SchemaName).sort(), [
        'aipod_CompanyCode',
        'aipod_MailboxFolderToMonitor',
        'aipod_MailboxToMonitor',
        'aipod_ProcessImagesAttachments',
        'aipod_ReviewerEmailAddress',
        'aipod_SharedMailboxFolderToMonitor',
        'aipod_SharedMailboxToMonitor',
      ]);
      assert.ok(s.EnvironmentVariables.every((v) => v.Value === ''));
      assert.deepEqual(s.ConnectionReferences, [
        {
          LogicalName: 'aipod_sharedcommondataserviceforapps_02e02',
          ConnectionId: '',
          ConnectorId: '/providers/Microsoft.PowerApps/apis/shared_commondataserviceforapps',
        },
        {
          LogicalName: 'cr875_sharedmicrosoftcopilotstudio_db931',
          ConnectionId: '',
          ConnectorId: '/providers/Microsoft.PowerApps/apis/shared_microsoftcopilotstudio',
        },
        {
          LogicalName: 'new_shareddynamicsax_ae3f0',
          ConnectionId: '',
          ConnectorId: '/providers/Microsoft.PowerApps/apis/shared_dynamicsax',
        },
        {
          LogicalName: 'new_sharedoffice365_deb36',
          ConnectionId: '',
          ConnectorId: '/providers/Microsoft.PowerApps/apis/shared_office365',
        },
      ]);
    },
  );

  test('a file not of the shape is DEPLOYMENT_SETTINGS_INVALID; empty values set nothing', () => {
    for (const bad of [
      'not json',
      '[]',
      '{"EnvironmentVariables": {}}',
      '{"EnvironmentVariables": [{"Value": "x"}]}',
      '{"EnvironmentVariables": [{"SchemaName": "a", "Value": 3}]}',
      '{"Variables": []}',
    ])
      assert.throws(
        () => parseDeploymentSettings(bad, 'f.json'),
        (e: { code?: string }) => e.code === 'DEPLOYMENT_SETTINGS_INVALID',
        bad,
      );
    const v = settingsValues();
    assert.deepEqual(
      v.variables.map((x) => x.schemaName),
      ['new_Text', 'new_Count', 'new_Enabled', 'new_Config'],
    );
    assert.deepEqual(v.connections, [
      { logicalName: 'new_sharedoffice365_abc', connectionId: 'shared-office365-1a2b' },
    ]);
  });
});

for (const sc of STORE_CASES) {
  describe(
    `environment variables and connection references (${sc.name})`,
    { skip: sc.skip },
    () => {
      let store: Store;
      let n = 0;
      const freshEnv = async (): Promise<string> => {
        const name = `ev${++n}`;
        await createEnvironment(store, name, CATALOG_ID);
        return name;
      };
      before(async () => {
        store = await sc.open();
      });
      after(async () => {
        await store?.close();
      });

      test('the plan lists the variables without a value and the references without a connection', async () => {
        const env = await freshEnv();
        const { plan } = await planPackage(store, env, variablesPackage());
        const p = plan.parameters!;
        assert.deepEqual(
          p.variables.map((v) => [v.schemaName, v.type, v.source]),
          [
            ['new_Config', 'JSON', 'none'],
            ['new_Count', 'Number', 'default'],
            ['new_Enabled', 'Boolean', 'default'],
            ['new_Secret', 'Secret', 'none'],
            ['new_Source', 'Data source', 'none'],
            ['new_Text', 'String', 'none'],
          ],
        );
        assert.deepEqual(
          p.connectionReferences.map((r) => [r.logicalName, r.source]),
          [['new_sharedoffice365_abc', 'none']],
        );
        // new_Text is required and has no default
        assert.deepEqual(
          plan.blocked.map((b) => [b.code, b.component?.key]),
          [['ENVIRONMENT_VARIABLE_VALUE_MISSING', 'new_text']],
        );
      });

      test('a required variable without a value is refused, and nothing is written', async () => {
        const env = await freshEnv();
        await rejectsWith(
          importSolution(store, { environment: env, source: variablesPackage() }),
          'ENVIRONMENT_VARIABLE_VALUE_MISSING',
        );
        const envId = (await findEnvironment(store, env)).id;
        assert.deepEqual(await listSolutions(store, envId), []);
        assert.deepEqual((await listEnvironmentVariables(store, env)).variables, []);
        // with a default, the same required variable imports
        await importSolution(store, {
          environment: env,
          source: variablesPackage('1.0.0.0', { requiredDefault: 'fallback' }),
        });
        assert.equal((await valueOf(store, env, 'new_Text'))?.currentValue, 'fallback');
        assert.equal((await valueOf(store, env, 'new_Text'))?.value, null);
      });

      test('a bad value or a name the package lacks is refused, nothing written', async () => {
        const env = await freshEnv();
        const bad = structuredClone(SETTINGS);
        bad.EnvironmentVariables[1].Value = 'forty-two';
        await rejectsWith(
          importSolution(store, {
            environment: env,
            source: variablesPackage(),
            options: { componentValues: settingsValues(bad) },
          }),
          'ENVIRONMENT_VARIABLE_VALUE_INVALID',
        );
        const unknown = structuredClone(SETTINGS);
        unknown.EnvironmentVariables.push({ SchemaName: 'new_Typo', Value: 'x' });
        const e = await rejectsWith(
          importSolution(store, {
            environment: env,
            source: variablesPackage(),
            options: { componentValues: settingsValues(unknown) },
          }),
          'DEPLOYMENT_SETTINGS_INVALID',
        );
        assert.match(e.message, /environment variable new_Typo/);
        assert.deepEqual(await listSolutions(store, (await findEnvironment(store, env)).id), []);
      });

      test('a failure after the values were written rolls them back with the import', async () => {
        const env = await freshEnv();
        await rejectsWith(
          importSolution(store, {
            environment: env,
            source: variablesPackage(),
            options: { componentValues: settingsValues() },
            faults: { failAfter: 'parameters' },
          }),
          'FAULT_INJECTED',
        );
        assert.deepEqual((await listEnvironmentVariables(store, env)).variables, []);
      });

      test('settings set the values and the connection in the import; they survive an upgrade; export leaves them out', async () => {
        const env = await freshEnv();
        await importSolution(store, {
          environment: env,
          source: variablesPackage(),
          options: { componentValues: settingsValues() },
        });
        const listed = await listEnvironmentVariables(store, env);
        assert.deepEqual(
          listed.variables.map((v) => [v.schemaName, v.value, v.currentValue]),
          [
            ['new_Config', '{"a":1}', '{"a":1}'],
            ['new_Count', '42', '42'],
            ['new_Enabled', 'yes', 'yes'],
            ['new_Secret', null, null],
            ['new_Source', null, null],
            ['new_Text', 'Contoso', 'Contoso'],
          ],
        );
        assert.deepEqual(listed.connectionReferences, [
          {
            logicalName: 'new_sharedoffice365_abc',
            displayName: 'Office 365 Outlook',
            connectorId: '/providers/Microsoft.PowerApps/apis/shared_office365',
            connectionId: 'shared-office365-1a2b',
          },
        ]);
        // the upgrade is given no settings: the required variable has its value already
        const { plan } = await planPackage(store, env, variablesPackage('2.0.0.0'));
        assert.deepEqual(plan.blocked, []);
        assert.equal(
          plan.parameters!.variables.find((v) => v.schemaName === 'new_Text')?.source,
          'environment',
        );
        assert.equal(plan.parameters!.connectionReferences[0].source, 'environment');
        const out = await importSolution(store, {
          environment: env,
          source: variablesPackage('2.0.0.0'),
        });
        assert.equal(out.plan.kind, 'upgrade');
        assert.equal((await valueOf(store, env, 'new_Text'))?.value, 'Contoso');
        assert.equal(
          (await listEnvironmentVariables(store, env)).connectionReferences[0].connectionId,
          'shared-office365-1a2b',
        );
        // the environment's values are not the solution's: an export carries the definitions only
        const exported = readPackage(
          (await exportSolution(store, env, 'VariablesDemo', { managed: true })).zip,
        );
        assert.equal(
          exported.components.filter((c) => c.type === 'environmentvariabledefinition').length,
          6,
        );
        assert.equal(
          exported.components.filter((c) => c.type === 'environmentvariablevalue').length,
          0,
        );
        assert.ok(
          ![...exported.files.keys()].some((f) => /environmentvariablevalues\.json$/i.test(f)),
        );
      });

      test('env-var set: a value set before the import counts, and a wrong type or name is refused', async () => {
        const env = await freshEnv();
        await importSolution(store, {
          environment: env,
          source: variablesPackage('1.0.0.0', { requiredDefault: 'd' }),
        });
        const set = await setEnvironmentVariable(store, env, 'NEW_TEXT', 'Fabrikam');
        assert.equal(set.schemaName, 'new_Text');
        assert.equal((await valueOf(store, env, 'new_Text'))?.value, 'Fabrikam');
        await setEnvironmentVariable(store, env, 'new_Text', 'Northwind');
        assert.equal((await valueOf(store, env, 'new_Text'))?.value, 'Northwind');
        await rejectsWith(
          setEnvironmentVariable(store, env, 'new_Count', 'x'),
          'ENVIRONMENT_VARIABLE_VALUE_INVALID',
        );
        await rejectsWith(
          setEnvironmentVariable(store, env, 'new_Nope', 'x'),
          'ENVIRONMENT_VARIABLE_NOT_FOUND',
        );
        // one value record per variable, whatever was set how often
        const { plan } = await planPackage(store, env, variablesPackage('2.0.0.0'));
        assert.equal(
          plan.parameters!.variables.find((v) => v.schemaName === 'new_Text')?.value,
          'Northwind',
        );
      });
    },
  );

  describe(`environment variables over HTTP (${sc.name})`, { skip: sc.skip }, () => {
    let store: Store;
    let app: FastifyInstance;
    let base: string;
    let token: string;
    let api: DynamicsWebApi;
    before(async () => {
      store = await sc.open();
      token = (await environmentsWithTokens(store, ['evh'])).evh;
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
    const json = (path: string, init: RequestInit = {}) =>
      fetch(`${base}/api/v1${path}`, {
        ...init,
        headers: {
          authorization: `Bearer ${token}`,
          ...(init.body ? { 'content-type': 'application/json' } : {}),
          ...(init.headers ?? {}),
        },
      });

    test('ImportSolution takes ComponentParameters; the values read back from environmentvariablevalues', async () => {
      // a bad entity in ComponentParameters: 400, nothing imported
      await assert.rejects(
        api.callAction({
          actionName: 'ImportSolution',
          action: {
            CustomizationFile: Buffer.from(variablesPackage()).toString('base64'),
            ComponentParameters: [{ '@odata.type': 'Microsoft.Dynamics.CRM.account', name: 'x' }],
          },
        }),
        (e: { status?: number }) => e.status === 400,
      );
      // without the required value: refused
      await assert.rejects(
        api.callAction({
          actionName: 'ImportSolution',
          action: { CustomizationFile: Buffer.from(variablesPackage()).toString('base64') },
        }),
        (e: { message?: string }) => /new_Text is required/.test(String(e.message)),
      );
      await api.callAction({
        actionName: 'ImportSolution',
        action: {
          CustomizationFile: Buffer.from(variablesPackage()).toString('base64'),
          ComponentParameters: [
            {
              '@odata.type': 'Microsoft.Dynamics.CRM.environmentvariablevalue',
              schemaname: 'new_Text',
              value: 'from the Web API',
            },
            {
              '@odata.type': 'Microsoft.Dynamics.CRM.connectionreference',
              connectionreferencelogicalname: 'new_sharedoffice365_abc',
              connectionid: 'conn-42',
            },
          ],
        },
      });
      const values = await api.retrieveMultiple({
        collection: 'environmentvariablevalues',
        select: ['schemaname', 'value'],
      });
      assert.deepEqual(
        values.value!.map((v) => [v.schemaname, v.value]),
        [['new_Text', 'from the Web API']],
      );
      const refs = await api.retrieveMultiple({
        collection: 'connectionreferences',
        select: ['connectionreferencelogicalname', 'connectionid'],
      });
      assert.deepEqual(
        refs.value!.map((v) => [v.connectionreferencelogicalname, v.connectionid]),
        [['new_sharedoffice365_abc', 'conn-42']],
      );
    });

    test('the JSON API lists and sets values: GET and PUT /environment-variables', async () => {
      const put = await json('/environment-variables/new_Count', {
        method: 'PUT',
        body: JSON.stringify({ value: '7' }),
      });
      assert.equal(put.status, 200, await put.clone().text());
      const bad = await json('/environment-variables/new_Count', {
        method: 'PUT',
        body: JSON.stringify({ value: 'seven' }),
      });
      assert.equal(bad.status, 400);
      assert.equal(
        ((await bad.json()) as { error: { code: string } }).error.code,
        'ENVIRONMENT_VARIABLE_VALUE_INVALID',
      );
      const missing = await json('/environment-variables/new_Nope', {
        method: 'PUT',
        body: JSON.stringify({ value: '1' }),
      });
      assert.equal(missing.status, 404);
      const got = (await (await json('/environment-variables')).json()) as {
        variables: Array<{ schemaName: string; value: string | null }>;
        connectionReferences: Array<{ connectionId: string | null }>;
      };
      assert.deepEqual(
        got.variables.filter((v) => v.value !== null).map((v) => [v.schemaName, v.value]),
        [
          ['new_Count', '7'],
          ['new_Text', 'from the Web API'],
        ],
      );
      assert.equal(got.connectionReferences[0].connectionId, 'conn-42');
    });
  });
}

describe('create-settings, import --settings-file and env-var on the command line', () => {
  const dir = useTempHome('strata-envvars');
  test('the settings file round-trips through create-settings, import and env-var', async () => {
    {
      const pkg = join(dir, 'VariablesDemo_1_0_0_0_managed.zip');
      writeFileSync(pkg, variablesPackage());
      const file = join(dir, 'settings.json');
      const created = await runCli('create-settings', pkg, '-o', file);
      assert.equal(created.code, 0, created.err);
      const template = JSON.parse(readFileSync(file, 'utf8'));
      assert.equal(template.EnvironmentVariables.length, 6);
      assert.deepEqual(template.ConnectionReferences[0], {
        LogicalName: 'new_sharedoffice365_abc',
        ConnectionId: '',
        ConnectorId: '/providers/Microsoft.PowerApps/apis/shared_office365',
      });
      // the empty template: the required variable has no value
      const refused = await runCli('import', pkg, '--settings-file', file);
      assert.equal(refused.code, 4, refused.out + refused.err);
      assert.match(refused.err, /ENVIRONMENT_VARIABLE_VALUE_MISSING/);
      writeFileSync(join(dir, 'bad.json'), '{"EnvironmentVariables": 5}');
      const bad = await runCli('import', pkg, '--settings-file', join(dir, 'bad.json'));
      assert.equal(bad.code, 2);
      assert.match(bad.err, /DEPLOYMENT_SETTINGS_INVALID/);
      const text0 = (
        template.EnvironmentVariables as Array<{ SchemaName: string; Value: string }>
      ).find((v) => v.SchemaName === 'new_Text')!;
      text0.Value = 'from the file';
      writeFileSync(file, JSON.stringify(template));
      const planned = await runCli('plan', pkg, '--settings-file', file);
      assert.equal(planned.code, 0, planned.both);
      assert.match(planned.out, /Environment variables: 6 \(1 given, 3 without a value\)/);
      assert.match(planned.out, /new_sharedoffice365_abc\s+shared_office365/);
      const ok = await runCli('import', pkg, '--settings-file', file);
      assert.equal(ok.code, 0, ok.err);
      const set = await runCli('env-var', 'set', 'new_Count', '12');
      assert.equal(set.code, 0, set.err);
      const listed = await runCli('env-var', 'list', '--json');
      const vars = JSON.parse(listed.out).variables as Array<{
        schemaName: string;
        value: string | null;
      }>;
      assert.equal(vars.find((v) => v.schemaName === 'new_Text')?.value, 'from the file');
      assert.equal(vars.find((v) => v.schemaName === 'new_Count')?.value, '12');
      const text = await runCli('env-var');
      assert.match(text.out, /new_Count\s+Number\s+no\s+3\s+12/);
    }
  });
});
