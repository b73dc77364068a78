import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { componentTypeNames } from '../../model/component-types.js';

/**
 * The web UI: plain HTML, CSS and ES modules in src/web, served as they are (no build step at
 * run time). From dist/src/server/routes the same folder is found in the project's src/web.
 */
function webAssetsDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    join(here, '..', '..', 'web'),
    join(here, '..', '..', '..', '..', 'src', 'web'),
  ];
  const found = candidates.find((d) => existsSync(join(d, 'index.html')));
  return found ?? candidates[0];
}

export async function webRoutes(app: FastifyInstance): Promise<void> {
  // the names of component types (model/component-type-names.ts): the UI keeps no copy
  app.get('/component-types.json', async (_req, reply) =>
    reply.header('cache-control', 'max-age=3600').send(componentTypeNames()),
  );
  const root = webAssetsDir();
  if (!existsSync(join(root, 'index.html'))) {
    app.get('/', async (_req, reply) =>
      reply
        .type('text/plain')
        .send(
          'The web UI files (src/web) are missing from this installation; ' +
            'the API is at /api/v1 and /openapi.json.',
        ),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    index: ['index.html'],
    cacheControl: false,
    schemaHide: true,
  });
}
