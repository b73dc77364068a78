import type { FastifyInstance } from 'fastify';
import {
  listEnvironmentVariables,
  setEnvironmentVariable,
} from '../../engine/environment-variables.js';
import { StrataError } from '../../model/errors.js';

/**
 * Environment variables under /api/v1 (registered by apiRoutes, so the token's environment
 * applies): `strata env-var list` and `set` over HTTP. The Web API's environmentvariablevalues
 * entity set reads and writes the same records.
 */
export async function environmentVariableRoutes(app: FastifyInstance): Promise<void> {
  const { store } = app.strata;

  app.get(
    '/environment-variables',
    {
      schema: {
        tags: ['environment'],
        summary:
          "The environment's variables (type, default, value) and connection references " +
          '(strata env-var list)',
      },
    },
    async (req) => listEnvironmentVariables(store, req.environment.name),
  );

  app.put(
    '/environment-variables/:schemaname',
    {
      schema: {
        tags: ['environment'],
        summary: "Set an environment variable's value in the environment (strata env-var set)",
        params: {
          type: 'object',
          properties: { schemaname: { type: 'string' } },
          required: ['schemaname'],
        },
        body: {
          type: 'object',
          properties: { value: { type: 'string' } },
          required: ['value'],
          additionalProperties: false,
        },
      },
    },
    async (req) => {
      const { schemaname } = req.params as { schemaname: string };
      const body = req.body as { value?: unknown };
      if (typeof body?.value !== 'string')
        throw new StrataError('BAD_REQUEST', 'The body must be {"value": "…"}.');
      return setEnvironmentVariable(store, req.environment.name, schemaname, body.value);
    },
  );
}
