/**
 * One set of names for component types, those Power Apps shows, from one table
 * (src/model/component-type-names.ts): the model's labels, the CLI's input, and the web UI, which
 * reads them from the server instead of keeping its own copy.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { COMPONENT_TYPE_NAMES } from '../src/model/component-type-names.js';
import {
  COMPONENT_TYPES,
  componentTitle,
  componentType,
  resolveComponentType,
  typeDisplayName,
} from '../src/model/component-types.js';
import type { Store } from '../src/store/store.js';
import { startServer } from './support/server.js';
import { STORE_CASES } from './support/stores.js';
import { runCli, useTempHome } from './support/cli.js';
import { HAVE_REAL_FIXTURES, NO_FIXTURES_REASON, realFixture } from './support/fixtures.js';
import { buildPackage, type BuildWorkflow } from './support/package-builder.js';

describe('component type names', () => {
  test('types are named as Power Apps names them', () => {
    const names = Object.fromEntries(
      ['entity', 'attribute', 'systemform', 'savedquery', 'optionset', 'relationship']
        .concat(['aiproject', 'connectionreference', 'sdkmessageprocessingstep', 'appmodule'])
        .map((t) => [t, componentType(t).label]),
    );
    assert.deepEqual(names, {
      entity: 'Table',
      attribute: 'Column',
      systemform: 'Form',
      savedquery: 'View',
      optionset: 'Choice',
      relationship: 'Relationship',
      aiproject: 'AI project',
      connectionreference: 'Connection reference',
      sdkmessageprocessingstep: 'Plug-in step',
      appmodule: 'Model-driven app',
    });
    const unnamed = COMPONENT_TYPES.filter((t) => !COMPONENT_TYPE_NAMES[t.name]).map((t) => t.name);
    assert.deepEqual(unnamed, [], 'every type has its name in the one table');
  });

  test("the CLI accepts Power Apps' names, Dataverse's labels, type names and codes", () => {
    for (const input of ['Table', 'entity', 'Entity', '1'])
      assert.equal(resolveComponentType(input)?.name, 'entity', input);
    assert.equal(resolveComponentType('System Form')?.name, 'systemform');
  });

  test('a dependency declared by code reads as its type and name', () => {
    assert.equal(typeDisplayName('60'), 'Form');
    assert.equal(typeDisplayName('attribute'), 'Column');
    assert.equal(typeDisplayName('MaskingRule'), 'MaskingRule');
    assert.equal(
      componentTitle('entity', 'msdyn_workorder', 'Work Order'),
      'Table Work Order (msdyn_workorder)',
    );
    assert.equal(componentTitle('attribute', 'a.b', 'B (a.b)'), 'Column B (a.b)');
  });

  test('the web UI keeps no table of type names: it asks the server', () => {
    const web = join(import.meta.dirname, '..', 'src', 'web');
    for (const file of readdirSync(web).filter((f) => f.endsWith('.js'))) {
      const text = readFileSync(join(web, file), 'utf8');
      const copies = Object.entries(COMPONENT_TYPE_NAMES).filter(([name, label]) =>
        new RegExp(`\\b${name}\\s*:\\s*['"]${label}['"]`).test(text),
      );
      assert.deepEqual(copies, [], `${file} names types itself`);
    }
    assert.match(readFileSync(join(web, 'dom.js'), 'utf8'), /\/component-types\.json/);
  });
});

for (const sc of STORE_CASES) {
  describe(`the server sends the type names (${sc.name})`, { skip: sc.skip }, () => {
    let store: Store;
    let app: FastifyInstance;
    let base: string;
    before(async () => {
      store = await sc.open();
      ({ app, base } = await startServer(store));
    });
    after(async () => {
      await app.close();
      await store.close();
    });

    test('GET /component-types.json: every type name with its display name, no token needed', async () => {
      const res = await fetch(`${base}/component-types.json`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /application\/json/);
      const names = (await res.json()) as Record<string, string>;
      assert.deepEqual(names, { ...COMPONENT_TYPE_NAMES });
      assert.equal(names.attribute, 'Column');
      assert.equal(names.dependency, 'Missing dependency');
      // a workflow's Category names it: the UI names a package's cloud flows from this table too
      assert.equal(names.cloudflow, 'Cloud flow');
      assert.equal(names.businessrule, 'Business rule');
    });
  });
}

/** The job id an import prints ("Import job 4f1e…: strata log …"). */
function jobIdOf(out: string): string {
  const id = /Import job ([0-9a-f-]{36})/.exec(out)?.[1];
  assert.ok(id, `no job id in:\n${out}`);
  return id;
}

/** The log rows of an import, as `strata log --format json` gives them. */
async function logRows(
  job: string,
): Promise<Array<{ type: string; typeLabel: string; key: string; name: string }>> {
  const log = await runCli('log', job, '--format', 'json');
  assert.equal(log.code, 0, log.both);
  return (JSON.parse(log.out) as { results: Array<never> }).results;
}

describe('a workflow is named by its Category, as Power Apps names it', () => {
  const dir = useTempHome('strata-workflow-names-');
  const INVOICE_TOOLS = realFixture(
    'fasttrack-samples/msdyn_InvoiceCaptureIntallationTools_1_0_0_12_managed.zip',
  );
  const FLOW = '{c60f4c54-5415-ed11-b83d-002248084638}';

  test(
    'a cloud flow (Category 5) reads "Cloud flow" in inspect, plan, components, layers, the log ' +
      'and what an uninstall deletes',
    { skip: !HAVE_REAL_FIXTURES && NO_FIXTURES_REASON },
    async () => {
      const inspect = await runCli('inspect', INVOICE_TOOLS);
      assert.equal(inspect.code, 0, inspect.both);
      assert.match(inspect.out, /^Cloud flow +1$/m);
      assert.match(inspect.out, /^Cloud flow +Setup Connection to Dynamics 365 Finance/m);
      assert.doesNotMatch(inspect.out, /^Process\b/m);

      const plan = await runCli('plan', INVOICE_TOOLS, '--verbose');
      assert.equal(plan.code, 0, plan.both);
      assert.match(plan.out, new RegExp(`^add +Cloud flow +\\${FLOW}`, 'm'));

      const imported = await runCli('import', INVOICE_TOOLS);
      assert.equal(imported.code, 0, imported.both);
      const components = await runCli('components', '--type', 'workflow');
      assert.match(components.out, new RegExp(`^Cloud flow +\\${FLOW} +Setup Connection`, 'm'));
      const json = JSON.parse((await runCli('components', '--json')).out) as Array<{
        type: string;
        key: string;
        displayType?: string;
      }>;
      assert.deepEqual(
        json.filter((c) => c.type === 'workflow').map((c) => [c.key, c.displayType]),
        [[FLOW, 'cloudflow']],
      );
      const layers = await runCli('layers', 'workflow', FLOW);
      assert.match(layers.out, /^Cloud flow \{c60f4c54-[^}]+\} — Setup Connection/);

      const rows = await logRows(jobIdOf(imported.out));
      assert.deepEqual(
        rows.filter((r) => r.type === 'workflow').map((r) => r.typeLabel),
        ['Cloud flow'],
      );
      const xml = await runCli('log', jobIdOf(imported.out), '--format', 'xml');
      assert.match(xml.out, /<Data ss:Type="String">Cloud flow<\/Data>/);
      assert.doesNotMatch(xml.out, /<Data ss:Type="String">Process<\/Data>/);

      // what an uninstall would delete names it as it was shown while it was there
      const uninstall = await runCli(
        'delete',
        'msdyn_InvoiceCaptureIntallationTools',
        '--dry-run',
        '--full',
      );
      assert.equal(uninstall.code, 0, uninstall.both);
      assert.match(uninstall.out, new RegExp(`^Cloud flow +\\${FLOW}$`, 'm'));
      assert.doesNotMatch(uninstall.out, /^Process\b/m);
      const planned = JSON.parse(
        (await runCli('delete', 'msdyn_InvoiceCaptureIntallationTools', '--dry-run', '--json')).out,
      ) as { deletes: Array<{ type: string; key: string; displayType?: string }> };
      assert.deepEqual(
        planned.deletes.filter((d) => d.type === 'workflow').map((d) => [d.key, d.displayType]),
        [[FLOW, 'cloudflow']],
      );
    },
  );

  test(
    'a missing dependency names the cloud flow that needs it (SalesOrderProcessingAutomation)',
    { skip: !HAVE_REAL_FIXTURES && NO_FIXTURES_REASON },
    async () => {
      const plan = await runCli(
        'plan',
        realFixture(
          'fasttrack-sales-order-series/2026-03-11_0803_f334ee1/' +
            'SalesOrderProcessingAutomation_1_0_0_6_managed.zip',
        ),
      );
      assert.match(plan.out, /Cloud flow SOA V3 - Validate Customer \(\{d81a9614-/);
      assert.doesNotMatch(plan.out, /Process SOA V3/);
    },
  );

  test('a business rule (Category 2) reads "Business rule", a classic workflow "Process"', async () => {
    const file = join(dir, 'rules.zip');
    writeFileSync(
      file,
      buildPackage({
        uniqueName: 'ProjectRules',
        entities: [{ name: 'new_project', attributes: [{ name: 'new_budget', type: 'money' }] }],
        workflows: [
          { name: 'Budget is required', category: 2, primaryEntity: 'new_project' },
          { name: 'Notify the owner', category: 0, primaryEntity: 'new_project' },
        ],
      }),
    );
    const plan = await runCli('plan', file, '--verbose');
    assert.equal(plan.code, 0, plan.both);
    assert.match(plan.out, /^add +Business rule +\{/m);
    assert.match(plan.out, /^add +Process +\{/m);

    const imported = await runCli('import', file);
    assert.equal(imported.code, 0, imported.both);
    const components = await runCli('components', '--type', 'workflow');
    assert.match(components.out, /^Business rule +\{[^}]+\} +Budget is required/m);
    assert.match(components.out, /^Process +\{[^}]+\} +Notify the owner/m);
    const rows = await logRows(jobIdOf(imported.out));
    assert.deepEqual(
      rows
        .filter((r) => r.type === 'workflow')
        .map((r) => [r.name, r.typeLabel])
        .sort(),
      [
        ['Budget is required', 'Business rule'],
        ['Notify the owner', 'Process'],
      ],
    );
  });

  test('what an upgrade removes is named as it was shown: "Business rule"', async () => {
    const version = (v: string, workflows: BuildWorkflow[]) =>
      buildPackage({
        uniqueName: 'ManagedRules',
        version: v,
        managed: true,
        entities: [{ name: 'new_site', attributes: [{ name: 'new_area', type: 'int' }] }],
        workflows,
      });
    const kept: BuildWorkflow = {
      name: 'Notify the manager',
      category: 0,
      primaryEntity: 'new_site',
    };
    const v1 = join(dir, 'managed-rules-1.zip');
    const v2 = join(dir, 'managed-rules-2.zip');
    writeFileSync(
      v1,
      version('1.0.0.0', [
        { name: 'Area is required', category: 2, primaryEntity: 'new_site' },
        kept,
      ]),
    );
    writeFileSync(v2, version('2.0.0.0', [kept]));
    const imported = await runCli('import', v1);
    assert.equal(imported.code, 0, imported.both);
    const plan = await runCli('plan', v2);
    assert.equal(plan.code, 0, plan.both);
    assert.match(plan.out, /^Removed by this upgrade \(1\):$/m);
    assert.match(plan.out, /^Business rule +\{[^}]+\} +ManagedRules +deleted$/m);
    assert.doesNotMatch(plan.out, /^Process +\{/m);
  });
});
