import assert from 'node:assert/strict';
import { test } from 'node:test';
import { catalogComponent, catalogComponents, catalogHas } from '../src/catalog/catalog.js';
import { standardRoleNamed, SYSTEM_COMPONENTS } from '../src/catalog/system-components.js';
import { STANDARD_TABLES } from '../src/catalog/standard-tables.js';
import { parseXml } from '../src/package/xml.js';
import { declaredIdentity } from '../src/engine/dependencies.js';
import { readPackage } from '../src/package/read.js';
import { HAVE_REAL_FIXTURES, listRealPackages, NO_FIXTURES_REASON } from './support/fixtures.js';

test('every catalog table has its primary id and primary name columns, and no column twice', () => {
  assert.equal(STANDARD_TABLES.length, 94);
  for (const t of STANDARD_TABLES) {
    const names = t.columns.map((c) => c[0]);
    assert.equal(new Set(names).size, names.length, `${t.name}: duplicate columns`);
    assert.equal(
      t.columns.find((c) => c[0] === t.primaryId)?.[1],
      'primarykey',
      `${t.name}: primary id ${t.primaryId}`,
    );
    if (t.primaryName)
      assert.ok(names.includes(t.primaryName), `${t.name}: primary name ${t.primaryName}`);
    assert.ok(
      names.every((n) => /^[a-z][a-z0-9_]*$/.test(n)),
      `${t.name}: logical names are lower case`,
    );
    assert.ok(
      !names.some((n) => /^(msdyn|adx|mspp)_/.test(n)),
      `${t.name}: no columns of app solutions`,
    );
  }
});

test('catalog components are well-formed XML the layer view can show', () => {
  const all = catalogComponents();
  assert.ok(all.length > 5000, `${all.length} components`);
  for (const c of all.filter((_, i) => i % 50 === 0)) parseXml(c.xml, `${c.type} ${c.key}`);
  const owner = catalogComponent('attribute', 'account.ownerid');
  assert.match(owner!.xml, /<LookupType>systemuser<\/LookupType><LookupType>team<\/LookupType>/);
  assert.equal(catalogComponent('attribute', 'account.address1_city')?.parent?.key, 'account');
  assert.equal(catalogComponent('attribute', 'account.no_such_column'), undefined);
});

test('the System layer has the environment variable, connection reference and AAD user tables', () => {
  for (const t of [
    'environmentvariabledefinition',
    'environmentvariablevalue',
    'connectionreference',
    'aaduser',
  ])
    assert.ok(catalogHas('entity', t), t);
  const value = catalogComponent(
    'attribute',
    'environmentvariablevalue.environmentvariabledefinitionid',
  );
  assert.match(value!.xml, /<LookupType>environmentvariabledefinition<\/LookupType>/);
  assert.ok(catalogHas('attribute', 'connectionreference.connectorid'));
  assert.ok(catalogHas('attribute', 'aaduser.userprincipalname'));
  // no object type code where the reference page gives none
  assert.doesNotMatch(catalogComponent('entity', 'aaduser')!.xml, /ObjectTypeCode/);
  assert.match(catalogComponent('entity', 'account')!.xml, /<ObjectTypeCode>1<\/ObjectTypeCode>/);
});

test('the System layer has the standard roles, views, forms and plug-in types packages require', () => {
  // standard roles by their template ids, and as the Japanese fixture requires System Customizer
  assert.equal(
    catalogComponent('role', '{627090ff-40a3-4053-8790-584edc5be201}')?.name,
    'System Administrator',
  );
  const customizer = catalogComponent('role', '{417adcdc-e3e6-e311-9d9a-d89d67642f34}');
  assert.equal(customizer?.name, 'System Customizer');
  assert.equal(
    standardRoleNamed('システム カスタマイザー ')?.key,
    '{417adcdc-e3e6-e311-9d9a-d89d67642f34}',
  );
  assert.equal(standardRoleNamed('basic user')?.key, '{236750cd-45ae-4939-ab12-b24b920ced93}');
  assert.equal(standardRoleNamed('Salesperson'), undefined);
  // the views and forms K2CRM2013SimpleCaseDemo requires from System, with their tables
  const contracts = catalogComponent('savedquery', '{646de3ee-ebfb-4d19-8a44-4a619505e188}');
  assert.equal(contracts?.name, 'Active Contracts');
  assert.deepEqual(contracts?.parent, { type: 'entity', key: 'contract' });
  assert.ok(catalogHas('systemform', '{707fc57b-c5e6-471b-a180-e37ed28a38e2}'));
  // the Service Bus plug-in, under its assembly
  const bus = catalogComponent('plugintype', 'microsoft.crm.servicebus.servicebusplugin');
  assert.deepEqual(bus?.parent, { type: 'pluginassembly', key: 'microsoft.crm.servicebus' });
  assert.match(
    bus!.xml,
    /AssemblyQualifiedName="Microsoft\.Crm\.ServiceBus\.ServiceBusPlugin, Microsoft\.Crm\.ServiceBus"/,
  );
  assert.equal(catalogHas('role', '{00000000-0000-0000-0000-000000000000}'), false);
  // each is well-formed XML, keyed as strata keys its type, with a source
  for (const c of SYSTEM_COMPONENTS) {
    const cc = catalogComponent(c.type, c.key)!;
    parseXml(cc.xml, `${c.type} ${c.key}`);
    assert.ok(c.sources.length > 0);
    if (c.type !== 'plugintype' && c.type !== 'pluginassembly')
      assert.match(c.key, /^\{[0-9a-f-]{36}\}$/);
  }
});

test(
  'the System components real packages require from solution "System" are all there',
  { skip: HAVE_REAL_FIXTURES ? false : NO_FIXTURES_REASON },
  () => {
    let checked = 0;
    for (const p of listRealPackages()) {
      for (const d of readPackage(p).manifest.missingDependencies) {
        if (d.required.solution !== 'System') continue;
        const ident = declaredIdentity(d.required);
        assert.ok(
          ident && catalogHas(ident.type, ident.key),
          `${p}: ${JSON.stringify(d.required)}`,
        );
        checked++;
      }
    }
    assert.ok(checked >= 7, `${checked} System requirements`);
  },
);
