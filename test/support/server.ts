import type { FastifyInstance } from 'fastify';
import { CATALOG_ID } from '../../src/catalog/catalog.js';
import { buildServer, type ServerOptions } from '../../src/server/app.js';
import { createEnvironment } from '../../src/store/environments.js';
import type { Store } from '../../src/store/store.js';
import { createToken } from '../../src/store/tokens.js';

/**
 * Environments with the standard base (or `base`: a template id, or 'empty'), each with an API
 * token: name → token.
 */
export async function environmentsWithTokens(
  store: Store,
  names: string[],
  label = '',
  base: string = CATALOG_ID,
): Promise<Record<string, string>> {
  const tokens: Record<string, string> = {};
  for (const name of names) {
    await createEnvironment(store, name, base);
    tokens[name] = (await createToken(store, name, label)).token;
  }
  return tokens;
}

/**
 * A server for `store` on a free local port, without logs, its import runner polling every
 * 50 ms.
 */
export async function startServer(
  store: Store,
  options: Omit<ServerOptions, 'store'> = {},
): Promise<{ app: FastifyInstance; base: string }> {
  const app = await buildServer({ store, logger: false, runner: { pollMs: 50 }, ...options });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, base };
}
