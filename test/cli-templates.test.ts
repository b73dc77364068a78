/**
 * Environment templates from the command line: `env create --template` (every template, the
 * older --base, an unknown one refused with the list), `env templates` (text and JSON), the
 * default environment made from the default template, `env list`'s Template column, and `list`
 * hiding the template's Microsoft solutions that `list --all` shows. On the embedded store.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CATALOG_ID } from '../src/catalog/catalog.js';
import {
  DEFAULT_TEMPLATE,
  environmentTemplates,
  MICROSOFT_PUBLISHER,
} from '../src/catalog/templates.js';
import { openStore } from '../src/store/open.js';
import { createEnvironment } from '../src/store/environments.js';
import { runCli as strata } from './support/cli.js';
import { useTempHome } from './support/cli.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const json = async (...argv: string[]): Promise<Json> => {
  const r = await strata(...argv, '--json');
  assert.equal(r.code, 0, r.both);
  return JSON.parse(r.out) as Json;
};

describe('environment templates (CLI)', () => {
  useTempHome('strata-templates-');

  test('env create accepts every template id and stores it; env list shows it', async () => {
    const ids = environmentTemplates().map((t) => t.id);
    assert.ok(ids.includes('bare') && ids.includes('dataverse'), ids.join(', '));
    for (const id of ids) {
      const r = await strata('env', 'create', `t_${id}`, '--template', id);
      assert.equal(r.code, 0, r.both);
      assert.match(r.out, new RegExp(`from template ${id} `));
    }
    // any case, and the short flag
    assert.equal((await strata('env', 'create', 'upper', '-t', 'DataVerse')).code, 0);
    const envs = await json('env', 'list');
    const template = (name: string) => envs.find((e: Json) => e.name === name)?.template;
    for (const id of ids) assert.equal(template(`t_${id}`), id);
    assert.equal(template('upper'), 'dataverse');
    const text = (await strata('env', 'list')).out;
    assert.match(text, /^Name +Template +Solutions/m);
    assert.match(text, /^t_bare +bare +0/m);
  });

  test('env create without --template makes a dataverse environment; --base keeps its meaning', async () => {
    assert.equal(DEFAULT_TEMPLATE, 'dataverse');
    assert.deepEqual(await json('env', 'create', 'plain'), {
      created: 'plain',
      template: 'dataverse',
      base: 'dataverse',
    });
    assert.equal((await json('env', 'create', 'std', '--base', 'standard')).template, 'bare');
    const empty = await json('env', 'create', 'nothing', '--base', 'empty');
    assert.deepEqual([empty.template, empty.base], [null, 'empty']);
    const both = await strata('env', 'create', 'x', '--base', 'standard', '--template', 'bare');
    assert.equal(both.code, 2);
    assert.match(both.err, /--template or --base, not both/);
  });

  test('an unknown template is a usage error (exit 2) that lists the valid ones', async () => {
    const r = await strata('env', 'create', 'wrong', '--template', 'dynamics366');
    assert.equal(r.code, 2);
    assert.match(r.err, /There is no environment template "dynamics366"/);
    for (const t of environmentTemplates()) assert.ok(r.err.includes(t.id), r.err);
    const j = await strata('env', 'create', 'wrong', '--template', 'nope', '--json');
    assert.equal(j.code, 2);
    const { error } = JSON.parse(j.out);
    assert.equal(error.code, 'USAGE');
    assert.match(error.hint, /bare, dataverse/);
    assert.ok(!(await json('env', 'list')).some((e: Json) => e.name === 'wrong'), 'not made');
  });

  test('env templates lists each template with its solutions and versions, parents first', async () => {
    const list = await json('env', 'templates');
    assert.deepEqual(
      list.map((t: Json) => t.id),
      environmentTemplates().map((t) => t.id),
    );
    const byId = new Map(list.map((t: Json) => [t.id, t]));
    const bare = byId.get('bare') as Json;
    assert.deepEqual([bare.parent, bare.total, bare.solutions], [null, 0, []]);
    const dataverse = byId.get('dataverse') as Json;
    assert.equal(dataverse.parent, 'bare');
    const amwr = dataverse.solutions.find((s: Json) => s.uniqueName === 'AppModuleWebResources');
    assert.deepEqual([amwr.version, amwr.inherited, amwr.from], ['2.5', false, 'dataverse']);
    assert.equal(dataverse.total, dataverse.solutions.length);
    // a template with a parent lists the parent's solutions first, marked inherited
    for (const t of list as Json[]) {
      if (!t.parent) continue;
      const parent = byId.get(t.parent) as Json;
      assert.deepEqual(
        t.solutions.slice(0, parent.total).map((s: Json) => [s.uniqueName, s.inherited]),
        parent.solutions.map((s: Json) => [s.uniqueName, true]),
        `${t.id} inherits ${t.parent}'s solutions`,
      );
      assert.equal(t.own, t.total - parent.total);
    }

    const text = (await strata('env', 'templates')).out;
    assert.match(text, /^dataverse \(default\) — /m);
    assert.match(text, /^ {2}AppModuleWebResources +2\.5 +\d+ +dataverse$/m);
    assert.match(text, new RegExp(`^${list.length} template\\(s\\)\\.`, 'm'));
    for (const t of list as Json[])
      assert.match(text, new RegExp(`installs ${t.total} Microsoft solution\\(s\\) in all`));
  });

  test('the default environment is made from the default template', async () => {
    const r = await strata('list');
    assert.equal(r.code, 0, r.both);
    assert.match(r.out, /No solutions in default yet \(its template, dataverse, holds \d+/);
    const env = (await json('env', 'list')).find((e: Json) => e.name === 'default');
    assert.deepEqual([env.template, env.base], ['dataverse', 'dataverse']);
  });

  test("list hides the template's Microsoft solutions; list --all shows them, marked", async () => {
    assert.deepEqual(await json('list', '--env', 't_dataverse'), []);
    const all = await json('list', '--all', '--env', 't_dataverse');
    const amwr = all.find((s: Json) => s.uniqueName === 'AppModuleWebResources');
    assert.ok(amwr, JSON.stringify(all));
    assert.equal(amwr.version, '2.5');
    assert.equal(amwr.managed, true);
    assert.equal(amwr.firstParty, true);
    assert.equal(amwr.template, 'dataverse');
    assert.equal(amwr.publisher, MICROSOFT_PUBLISHER.uniqueName);
    assert.equal(amwr.publisherName, 'Microsoft Corporation');
    const text = (await strata('list', '-a', '--env', 't_dataverse')).out;
    assert.match(
      text,
      /^AppModuleWebResources \(template dataverse\) +AppModuleWebResources +2\.5 +yes +Microsoft Corporation/m,
    );
    assert.match(text, /Microsoft solution\(s\) of template dataverse, 0 installed\./);
    // bare and empty environments have none
    assert.deepEqual(await json('list', '--all', '--env', 't_bare'), []);
    assert.deepEqual(await json('list', '--all', '--env', 'nothing'), []);
  });

  test('an environment made before templates (the System catalog id) is bare', async () => {
    const store = await openStore();
    try {
      await createEnvironment(store, 'older', CATALOG_ID);
    } finally {
      await store.close();
    }
    const env = (await json('env', 'list')).find((e: Json) => e.name === 'older');
    assert.deepEqual([env.template, env.base], ['bare', CATALOG_ID]);
    assert.deepEqual(await json('list', '--all', '--env', 'older'), []);
  });

  test('token create --template makes a new environment from it, and refuses another', async () => {
    const r = await strata('token', 'create', '--env', 'served', '--template', 'dataverse');
    assert.equal(r.code, 0, r.both);
    assert.match(r.err, /Created environment served from template dataverse/);
    const env = (await json('env', 'list')).find((e: Json) => e.name === 'served');
    assert.equal(env.template, 'dataverse');
    // the same template again: a second token for it, nothing made
    const again = await json('token', 'create', '--env', 'served', '--template', 'dataverse');
    assert.equal(again.created, undefined);
    assert.equal(again.environment, 'served');
    const other = await strata('token', 'create', '--env', 'served', '--template', 'bare');
    assert.equal(other.code, 4, other.both);
    assert.match(other.err, /made from template dataverse, not bare/);
    const unknown = await strata('token', 'create', '--env', 'x2', '--template', 'nope');
    assert.equal(unknown.code, 2);
    // without --template, the environment must exist, as before
    assert.equal((await strata('token', 'create', '--env', 'absent')).code, 5);
  });

  test('token create --can-create-environments makes a token that may make environments', async () => {
    const maker = await json('token', 'create', '--env', 'served', '--can-create-environments');
    assert.equal(maker.canCreateEnvironments, true);
    const plain = await json('token', 'create', '--env', 'served');
    assert.equal(plain.canCreateEnvironments, false);
    const listed = await json('token', 'list', '--env', 'served');
    assert.equal(listed.find((t: Json) => t.id === maker.id).canCreateEnvironments, true);
    assert.equal(listed.find((t: Json) => t.id === plain.id).canCreateEnvironments, false);
    const table = await strata('token', 'list', '--env', 'served');
    assert.match(table.out, new RegExp(`^${maker.id.slice(0, 8)} +served .* yes `, 'm'));
    // a bad name is bad input (exit 2), as POST /environments answers it with 400
    assert.equal((await strata('env', 'create', '1st')).code, 2);
  });
});
