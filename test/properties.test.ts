import assert from 'node:assert/strict';
import { test } from 'node:test';
import { changedProperties, properties } from '../src/engine/properties.js';

test('the property tree tells repeated siblings apart by their identifying attribute', () => {
  const p = properties(
    '<attribute PhysicalName="x"><RequiredLevel>none</RequiredLevel><displaynames>' +
      '<displayname description="Budget" languagecode="1033" />' +
      '<displayname description="Budget FR" languagecode="1036" />' +
      '</displaynames></attribute>',
  );
  assert.equal(p.get('attribute/@PhysicalName'), 'x');
  assert.equal(p.get('attribute/RequiredLevel'), 'none');
  assert.equal(
    p.get('attribute/displaynames/displayname[languagecode=1036]/@description'),
    'Budget FR',
  );
});

test('changed properties: values that differ, appear and disappear', () => {
  const lower = '<a><b>1</b><c>2</c><d x="1" /></a>';
  const upper = '<a><b>1</b><c>3</c><e>new</e></a>';
  assert.deepEqual(changedProperties(lower, upper), [
    { path: 'a/c', from: '2', to: '3' },
    { path: 'a/d/@x', from: '1', to: null },
    { path: 'a/e', from: null, to: 'new' },
  ]);
  assert.deepEqual(changedProperties(upper, upper), []);
  assert.equal(
    changedProperties(null, upper).length,
    3,
    'against nothing, every property is a change',
  );
});
