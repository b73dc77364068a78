/**
 * What a solution's row keeps for export (store/solution-manifest.ts): the layout's order is
 * stored deflated and read back whole, and a row written before (its order a plain list) reads
 * as it did.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PackageLayout } from '../src/package/layout.js';
import { manifestOf, manifestText } from '../src/store/solution-manifest.js';

const layout: PackageLayout = {
  customizations: {
    attrs: { 'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance' },
    sections: ['Entities'],
    skeletons: {},
  },
  contentTypes: null,
  order: Array.from({ length: 5000 }, (_, i) => `attribute:rel_table${i >> 4}.rel_column${i & 15}`),
  shells: {},
} as unknown as PackageLayout;

test('the layout order is stored deflated and read back whole', () => {
  const text = manifestText({ rootComponents: [], solutionXml: '<ImportExportXml/>', layout });
  const stored = JSON.parse(text) as { layout: Record<string, unknown> };
  assert.equal(stored.layout.order, undefined, 'no plain list in the row');
  assert.equal(typeof stored.layout.orderDeflated, 'string');
  assert.ok(text.length < JSON.stringify(layout.order).length / 5, `${text.length} characters`);
  // as a driver hands it back: parsed, or as text
  for (const value of [JSON.parse(text) as unknown, text]) {
    const m = manifestOf(value);
    assert.equal(m?.solutionXml, '<ImportExportXml/>');
    assert.deepEqual(m?.layout, layout);
  }
});

test('a row written with the order as a list reads as before', () => {
  const older = { rootComponents: [], solutionXml: null, layout };
  assert.deepEqual(manifestOf(older), { solutionXml: null, layout });
  assert.deepEqual(manifestOf({ rootComponents: [], solutionXml: null }), {
    solutionXml: null,
    layout: null,
  });
  assert.equal(manifestOf(null), null);
});
