/**
 * POST /environments: a token made to make environments makes one from a template, in one
 * transaction with a token that opens it; other tokens are refused. The new token opens the new
 * environment, whose GET /environment names its template and whose /solutions?all=true lists the
 * template's Microsoft solutions. On both stores.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { DEFAULT_TEMPLATE, environmentTemplate } from '../src/catalog/templates.js';
import { templateIds } from '../src/catalog/template-listing.js';
import { listEnvironments } from '../src/store/environments.js';
import type { Store } from '../src/store/store.js';
import { createToken, listTokens } from '../src/store/tokens.js';
import { STORE_CASES } from './support/stores.js';
import { environmentsWithTokens, startServer } from './support/server.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

for (const sc of STORE_CASES) {
  describe(`POST /environments (${sc.name})`, { skip: sc.skip }, () => {
    let store: Store;
    let app: FastifyInstance;
    let base: string;
    let maker: string;
    let plain: string;
    const call = async (
      token: string,
      method: string,
      path: string,
      body?: unknown,
    ): Promise<{ status: number; json: Json }> => {
      const res = await fetch(base + path, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, json: (await res.json()) as Json };
    };
    const create = (token: string, body: unknown) =>
      call(token, 'POST', '/api/v1/environments', body);
    const names = async () => (await listEnvironments(store)).map((e) => e.name).sort();

    before(async () => {
      store = await sc.open();
      ({ home: plain } = await environmentsWithTokens(store, ['home'], 'plain', 'dataverse'));
      maker = (await createToken(store, 'home', 'maker', { canCreateEnvironments: true })).token;
      ({ app, base } = await startServer(store));
    });
    after(async () => {
      await app?.close();
      await store?.close();
    });

    test('GET /environment says whether the token may make environments', async () => {
      assert.equal(
        (await call(maker, 'GET', '/api/v1/environment')).json.canCreateEnvironments,
        true,
      );
      assert.equal(
        (await call(plain, 'GET', '/api/v1/environment')).json.canCreateEnvironments,
        false,
      );
    });

    test('a token made without the flag is refused with 403, and nothing is made', async () => {
      const r = await create(plain, { name: 'sneaky', template: 'bare' });
      assert.equal(r.status, 403, JSON.stringify(r.json));
      assert.equal(r.json.error.code, 'ENVIRONMENT_CREATE_FORBIDDEN');
      assert.match(r.json.error.hint, /--can-create-environments/);
      assert.deepEqual(await names(), ['home']);
    });

    test('makes an environment from each template; its token opens it and lists its Microsoft solutions', async () => {
      for (const id of templateIds()) {
        const name = `from-${id}`;
        const r = await create(maker, { name, template: id });
        assert.equal(r.status, 201, `${id}: ${JSON.stringify(r.json)}`);
        const t = environmentTemplate(id)!;
        assert.deepEqual(
          [r.json.environment.name, r.json.environment.template, r.json.environment.solutions],
          [name, id, 0],
        );
        assert.equal(r.json.environment.firstPartySolutions, t.installs.length);
        assert.equal(r.json.tokenInfo.environment, name);
        assert.equal(r.json.tokenInfo.canCreateEnvironments, true);

        const env = await call(r.json.token, 'GET', '/api/v1/environment');
        assert.equal(env.status, 200);
        assert.deepEqual(
          [env.json.name, env.json.template, env.json.templateTitle, env.json.firstPartySolutions],
          [name, id, t.title, t.installs.length],
        );
        const all = (await call(r.json.token, 'GET', '/api/v1/solutions?all=true')).json;
        assert.deepEqual(
          all.map((s: Json) => [s.uniqueName, s.version, s.firstParty, s.template]),
          t.installs.map((s) => [s.uniqueName, s.version, true, id]),
        );
        assert.deepEqual((await call(r.json.token, 'GET', '/api/v1/solutions')).json, []);
      }
      // the maker's token still opens its own environment only
      assert.equal((await call(maker, 'GET', '/api/v1/environment')).json.name, 'home');
      const made = (await listTokens(store)).filter((t) => t.environment.startsWith('from-'));
      assert.equal(made.length, templateIds().length, 'one token for each new environment');
      assert.match(made[0].label, /made from environment home/);
    });

    test('without a template, the default one; the template id in any case', async () => {
      const r = await create(maker, { name: 'plainly', label: 'for Ana' });
      assert.equal(r.status, 201, JSON.stringify(r.json));
      assert.equal(r.json.environment.template, DEFAULT_TEMPLATE);
      assert.equal(r.json.tokenInfo.label, 'for Ana');
      const upper = await create(maker, { name: 'shouted', template: 'Dynamics365' });
      assert.equal(upper.json.environment.template, 'dynamics365');
    });

    test('an unknown template is a 400 naming the valid ones; nothing is made', async () => {
      const r = await create(maker, { name: 'nowhere', template: 'sharepoint' });
      assert.equal(r.status, 400);
      assert.equal(r.json.error.code, 'BAD_REQUEST');
      assert.match(r.json.error.message, /sharepoint/);
      for (const id of templateIds()) assert.ok(r.json.error.hint.includes(id), id);
      assert.ok(!(await names()).includes('nowhere'));
    });

    test('a name that is taken is a 409 ENVIRONMENT_EXISTS; its template is left as it was', async () => {
      const r = await create(maker, { name: 'from-bare', template: 'dataverse' });
      assert.equal(r.status, 409);
      assert.equal(r.json.error.code, 'ENVIRONMENT_EXISTS');
      const bare = (await listEnvironments(store)).find((e) => e.name === 'from-bare')!;
      assert.equal(bare.base, 'bare');
      const tokens = (await listTokens(store)).filter((t) => t.environment === 'from-bare');
      assert.equal(tokens.length, 1, 'no token was added for the existing environment');
    });

    test('the OpenAPI document describes the route, its body and its answer', async () => {
      const doc = (await (await fetch(`${base}/openapi.json`)).json()) as Json;
      const post = doc.paths['/api/v1/environments'].post;
      const body = post.requestBody.content['application/json'].schema;
      assert.deepEqual(body.required, ['name']);
      assert.deepEqual(Object.keys(body.properties).sort(), ['label', 'name', 'template']);
      assert.ok(post.responses['201'], JSON.stringify(post.responses));
    });

    test('a bad name is a 400 with the rule of env create; a missing one too', async () => {
      for (const name of ['1st', 'with space', 'x'.repeat(64), 'drop;table']) {
        const r = await create(maker, { name, template: 'bare' });
        assert.equal(r.status, 400, name);
        assert.equal(r.json.error.code, 'ENVIRONMENT_NAME_INVALID', name);
      }
      const none = await create(maker, { template: 'bare' });
      assert.equal(none.status, 400);
      assert.ok(!(await names()).some((n) => n.startsWith('1st') || n.includes(' ')));
    });
  });
}
