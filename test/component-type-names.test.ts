/**
 * One set of names for component types, those Power Apps shows, from one table
 * (src/model/component-type-names.ts): the model's labels, the CLI's input, and the web UI, which
 * reads them from the server instead of keeping its own copy.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
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
    });
  });
}
