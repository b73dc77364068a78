import type { FastifyInstance } from 'fastify';
import { purgeRetained, retentionListing } from '../../engine/retention.js';
import { StrataError } from '../../model/errors.js';

/**
 * The retention area's routes under /api/v1 (registered by apiRoutes, so the token's environment
 * applies): what the environment keeps of the tables and columns its operations dropped, and
 * purging it early (strata retention list / purge).
 */
export async function retentionRoutes(app: FastifyInstance): Promise<void> {
  const { store } = app.strata;

  app.get(
    '/retention',
    {
      schema: {
        tags: ['records'],
        summary:
          'The tables and columns dropped in the last K revisions, kept with their records ' +
          '(restorable by a rollback), and those purged; K and what is kept',
      },
    },
    async (req) => retentionListing(store, req.environment.name),
  );

  app.post(
    '/retention/purge',
    {
      schema: {
        tags: ['records'],
        summary:
          'Free retained records early, in one transaction: everything (all) or what is older ' +
          'than the last keepRevisions revisions; answers what was purged',
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            all: { type: 'boolean', description: 'purge everything retained' },
            keepRevisions: {
              type: 'integer',
              minimum: 0,
              description: 'purge what is older than the last keepRevisions revisions',
            },
          },
        },
      },
    },
    async (req) => {
      const body = (req.body ?? {}) as { all?: boolean; keepRevisions?: number };
      if (!body.all && body.keepRevisions === undefined)
        throw new StrataError(
          'BAD_REQUEST',
          'Say what to purge: all (true) or keepRevisions (a number of revisions).',
          { hint: 'GET /retention lists what is kept.' },
        );
      const purged = await purgeRetained(store, req.environment.name, body);
      return { environment: req.environment.name, purged };
    },
  );
}
