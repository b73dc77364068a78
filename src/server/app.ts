import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import swagger from '@fastify/swagger';
import { sharedReadPool, type PackageReadPool } from '../jobs/read-pool.js';
import { ImportRunner } from '../jobs/runner.js';
import { limitsFromEnv, type PackageLimits } from '../package/limits.js';
import type { Store } from '../store/store.js';
import { httpStatusFor, toStrataError } from './errors.js';
import { PACKAGE_TYPES } from './media.js';
import { apiRoutes } from './routes/api.js';
import { webRoutes } from './routes/web.js';
import { webApiRoutes } from './webapi/routes.js';

export interface ServerOptions {
  store: Store;
  limits?: PackageLimits;
  /** Fastify's logger option: true / a pino config for structured logs, false for none (tests) */
  logger?: FastifyServerOptions['logger'];
  /** run queued imports in this process (default true); false for a server that only queues */
  runImports?: boolean;
  /** runner tuning (tests make it poll faster) */
  runner?: { pollMs?: number; staleSeconds?: number };
  /** where packages are read, off the event loop (default: the process's reader pool) */
  reader?: PackageReadPool;
}

export interface ServerContext {
  store: Store;
  limits: PackageLimits;
  runner: ImportRunner | null;
  reader: PackageReadPool;
}

declare module 'fastify' {
  interface FastifyInstance {
    strata: ServerContext;
  }
}

/**
 * The HTTP server: the JSON API (/api/v1), the Dataverse Web API actions and entity sets
 * (/api/data/v9.2), the OpenAPI document (/openapi.json) and the web UI (/). Routes only
 * translate: they parse the request, call the engine and render its result; errors are
 * StrataErrors rendered in one place with a status from server/errors.ts.
 */
export async function buildServer(opts: ServerOptions): Promise<FastifyInstance> {
  const limits = opts.limits ?? limitsFromEnv();
  // JSON bodies may carry a package as base64 (Dataverse's ImportSolution): 4/3 of the package
  // limit
  const jsonLimit = Math.ceil((limits.maxTotalBytes * 4) / 3) + 1024 * 1024;
  const app = Fastify({ logger: opts.logger ?? false, bodyLimit: jsonLimit });
  const reader = opts.reader ?? sharedReadPool();
  const runner =
    opts.runImports === false
      ? null
      : new ImportRunner(opts.store, { ...opts.runner, log: app.log, reader });
  app.decorate('strata', { store: opts.store, limits, runner, reader });

  app.addContentTypeParser(
    PACKAGE_TYPES,
    { parseAs: 'buffer', bodyLimit: limits.maxTotalBytes },
    (_req, body, done) => done(null, body),
  );

  app.setErrorHandler((e, req, reply) => {
    const err = toStrataError(e);
    const status = httpStatusFor(err);
    if (status >= 500) req.log.error({ err: e }, 'request failed');
    void reply.status(status).send({ error: err.toJSON() });
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({
      error: {
        code: 'ROUTE_NOT_FOUND',
        message: `No route ${req.method} ${req.url.split('?')[0]}.`,
        hint: 'GET /openapi.json lists the routes.',
      },
    });
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'strata',
        version: '1',
        description:
          'Solution lifecycle engine: import, upgrade, stage, patch, publish, export and ' +
          'uninstall solution packages in layered environments. Every /api route needs ' +
          '`Authorization: Bearer <token>` (strata token create --env E); the token decides ' +
          'the environment.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(apiRoutes, { prefix: '/api/v1' });
  await app.register(webApiRoutes, { prefix: '/api/data/v9.2' });
  await app.register(webRoutes);
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.addHook('onReady', async () => {
    runner?.start();
  });
  app.addHook('onClose', async () => {
    await runner?.stop();
  });
  return app;
}
