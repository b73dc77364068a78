import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { referenceOutcome, resolveDependencies } from '../src/engine/dependencies.js';
import { ComponentIndex } from '../src/engine/existence.js';
import type { DeclaredDependency } from '../src/model/solution.js';
import type { ParsedComponent } from '../src/package/customizations/context.js';
import { contosoV1, readSpec } from './support/contoso.js';
import { environment } from './support/snapshot-builder.js';

/**
 * The dependency check on its own, without a store: what a package needs, found in the package,
 * the environment's layers or the System catalog, assumed (platform components the catalog does
 * not list), or missing. test/plan-import.test.ts sees the same through planImport.
 */
const form = (requires: Array<[string, string, string]>): ParsedComponent =>
  ({
    type: 'systemform',
    key: '{f0000000-0000-0000-0000-000000000001}',
    name: 'Main form',
    xml: '<systemform />',
    hash: 'h',
    requires: requires.map(([type, key, via]) => ({ type, key, via })),
  }) as ParsedComponent;

/** An environment with the standard base, the Fabrikam publisher (prefix fab) and its table. */
const fabrikamEnvironment = () =>
  environment()
    .publisher('fabrikam', 'fab')
    .solution('FabrikamLinks', { publisher: 'fabrikam' })
    .layer('entity', 'fab_link', 'FabrikamLinks')
    .layer('attribute', 'fab_link.fab_name', 'FabrikamLinks')
    .build();

describe('dependencies', () => {
  test('a reference is present when the environment, the catalog or the package has it', () => {
    const index = new ComponentIndex(fabrikamEnvironment(), readSpec(contosoV1()));
    assert.equal(referenceOutcome(index, 'entity', 'fab_link'), 'present', 'a stored layer');
    assert.equal(referenceOutcome(index, 'entity', 'account'), 'present', 'the catalog');
    assert.equal(referenceOutcome(index, 'attribute', 'account.name'), 'present', 'the catalog');
    assert.equal(referenceOutcome(index, 'entity', 'cnt_project'), 'present', 'the package');
  });

  test('platform tables and columns the catalog lacks are assumed; publisher ones are missing', () => {
    const index = new ComponentIndex(fabrikamEnvironment(), null);
    assert.equal(referenceOutcome(index, 'entity', 'msdyn_unknowntable'), 'missing');
    assert.equal(referenceOutcome(index, 'entity', 'somenewplatformtable'), 'assumed');
    assert.equal(referenceOutcome(index, 'attribute', 'account.somenewcolumn'), 'assumed');
    assert.equal(referenceOutcome(index, 'attribute', 'account.fab_score'), 'missing');
    assert.equal(referenceOutcome(index, 'attribute', 'fab_link.somenewcolumn'), 'assumed');
    assert.equal(referenceOutcome(index, 'attribute', 'fab_gone.fab_name'), 'missing');
    assert.equal(referenceOutcome(index, 'webresource', 'fab_/script.js'), 'missing');
  });

  test('without the standard base, the catalog answers nothing', () => {
    const bare = new ComponentIndex(environment('bare', { base: 'empty' }).build(), null);
    assert.equal(referenceOutcome(bare, 'attribute', 'account.name'), 'assumed');
    assert.equal(referenceOutcome(bare, 'entity', 'account'), 'assumed');
  });

  test('a form that needs an absent publisher column is missing it, named with its path', () => {
    const index = new ComponentIndex(fabrikamEnvironment(), null);
    const needs = form([
      ['attribute', 'fab_link.fab_name', 'form field'],
      ['attribute', 'fab_link.fab_rating', 'form field'],
      ['attribute', 'fab_link.fab_rating', 'form field'],
      ['attribute', 'account.newplatformcolumn', 'form field'],
    ]);
    const result = resolveDependencies([needs], [], index);
    assert.deepEqual(result.missing, [
      {
        type: 'Column',
        typeCode: 2,
        key: 'fab_link.fab_rating',
        requiredBy: { type: 'systemform', key: needs.key, name: needs.name },
        name: 'fab_link.fab_rating (form field)',
      },
    ]);
    assert.deepEqual(
      result.assumed.map((a) => [a.type, a.key, a.via]),
      [['attribute', 'account.newplatformcolumn', 'form field']],
    );
  });

  test('a declared dependency is missing unless the environment has it, and says who provides it', () => {
    const index = new ComponentIndex(fabrikamEnvironment(), null);
    const declared: DeclaredDependency[] = [
      {
        required: { type: '1', schemaName: 'fab_link', solution: 'FabrikamLinks (1.0.0.0)' },
        dependent: { type: '2', schemaName: 'cnt_linkid' },
      },
      {
        required: {
          type: '61',
          schemaName: 'msdyn_/icons/one.svg',
          displayName: 'One icon',
          solution: 'msdyn_Icons (9.0.0.1)',
        },
        dependent: { type: '60', id: '{f0000000-0000-0000-0000-000000000001}' },
      },
      // the source's own unmanaged layer: there is nothing to look up
      { required: { type: 'entity', solution: 'Active' }, dependent: { type: '1' } },
    ];
    const result = resolveDependencies([], declared, index);
    assert.deepEqual(result.missing, [
      {
        type: 'Web resource',
        typeCode: 61,
        key: 'msdyn_/icons/one.svg',
        name: 'One icon',
        solution: 'msdyn_Icons (9.0.0.1)',
        // the dependent as strata names it: a form, by its id
        requiredBy: { type: 'systemform', key: '{f0000000-0000-0000-0000-000000000001}' },
      },
    ]);
  });
});
