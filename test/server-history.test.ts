import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { findEnvironment } from '../src/store/environments.js';
import { recordHistory } from '../src/store/history.js';
import type { Store } from '../src/store/store.js';
import { environmentsWithTokens, startServer } from './support/server.js';
import { STORE_CASES } from './support/stores.js';

type Row = { solutionName: string; operation: string; result: string; message: string };

/**
 * GET /api/v1/history: filters (solution with its staged upgrade, operation, result) and pages
 * (top, skip) done by the server, with X-Total-Count counting every match.
 */
for (const sc of STORE_CASES) {
  describe(`history API: filters and pages (${sc.name})`, { skip: sc.skip }, () => {
    let store: Store;
    let app: FastifyInstance;
    let base: string;
    let tokens: Record<string, string>;
    const get = async (query: string, env = 'alpha') => {
      const res = await fetch(`${base}/api/v1/history${query}`, {
        headers: { authorization: `Bearer ${tokens[env]}` },
      });
      return {
        status: res.status,
        total: res.headers.get('x-total-count'),
        rows: (await res.json()) as Row[],
      };
    };

    before(async () => {
      store = await sc.open();
      tokens = await environmentsWithTokens(store, ['alpha', 'beta']);
      ({ app, base } = await startServer(store));
      // 30 operations in alpha (oldest first: #0 … #29), one in beta
      const alpha = (await findEnvironment(store, 'alpha')).id;
      const at = Date.parse('2024-03-05T10:00:00Z');
      for (let i = 0; i < 30; i++) {
        const solution = i % 3 === 0 ? 'Contoso' : i % 3 === 1 ? 'Contoso_Upgrade' : 'Fabrikam';
        const operation = i % 5 === 0 ? 'uninstall' : 'import';
        await recordHistory(store, alpha, {
          solutionName: solution,
          solutionVersion: '1.0.0.0',
          publisher: 'contoso',
          managed: true,
          operation,
          subOperation: 'none',
          options: {},
          startedOn: new Date(at + i * 1000),
          endedOn: new Date(at + i * 1000 + 500),
          result: i % 4 === 0 ? 'failure' : 'success',
          message: `#${i}`,
        });
      }
      const beta = (await findEnvironment(store, 'beta')).id;
      await recordHistory(store, beta, {
        solutionName: 'Contoso',
        solutionVersion: '1.0.0.0',
        publisher: 'contoso',
        managed: true,
        operation: 'import',
        subOperation: 'new',
        options: {},
        startedOn: new Date(at),
        endedOn: new Date(at),
        result: 'success',
        message: 'beta',
      });
    });
    after(async () => {
      await app?.close();
      await store?.close();
    });

    test('pages: top and skip, newest first, X-Total-Count counts every row', async () => {
      const first = await get('?top=12');
      assert.equal(first.status, 200);
      assert.equal(first.total, '30');
      assert.deepEqual(
        first.rows.map((r) => r.message),
        Array.from({ length: 12 }, (_, i) => `#${29 - i}`),
      );
      const last = await get('?top=12&skip=24');
      assert.deepEqual(
        last.rows.map((r) => r.message),
        ['#5', '#4', '#3', '#2', '#1', '#0'],
      );
      assert.equal(last.total, '30');
      assert.deepEqual((await get('?skip=30')).rows, []);
    });

    test('filters: solution (with its NAME_Upgrade), operation, result, combined', async () => {
      const contoso = await get('?solution=Contoso');
      assert.equal(contoso.total, '20');
      assert.ok(contoso.rows.every((r) => ['Contoso', 'Contoso_Upgrade'].includes(r.solutionName)));
      const uninstalls = await get('?operation=uninstall');
      assert.deepEqual(
        uninstalls.rows.map((r) => r.message),
        ['#25', '#20', '#15', '#10', '#5', '#0'],
      );
      const failures = await get('?result=failure&top=3');
      assert.equal(failures.total, '8');
      assert.deepEqual(
        failures.rows.map((r) => r.message),
        ['#28', '#24', '#20'],
      );
      const both = await get('?solution=Fabrikam&operation=import&result=failure');
      assert.deepEqual(
        both.rows.map((r) => r.message),
        ['#8'],
      );
      assert.equal(both.total, '1');
      const none = await get('?operation=publish');
      assert.deepEqual(none.rows, []);
      assert.equal(none.total, '0');
      assert.equal((await get('?result=maybe')).status, 400);
    });

    test("another environment's history is not counted or shown", async () => {
      const beta = await get('', 'beta');
      assert.deepEqual(
        beta.rows.map((r) => r.message),
        ['beta'],
      );
      assert.equal(beta.total, '1');
    });
  });
}
