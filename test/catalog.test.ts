import assert from 'node:assert/strict';
import { test } from 'node:test';
import { catalogComponent, catalogComponents } from '../src/catalog/catalog.js';
import { STANDARD_TABLES } from '../src/catalog/standard-tables.js';
import { parseXml } from '../src/package/xml.js';

test('every catalog table has its primary id and primary name columns, and no column twice', () => {
  assert.equal(STANDARD_TABLES.length, 90);
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
