import type { FastifyReply, FastifyRequest } from 'fastify';
import { StrataError } from '../model/errors.js';
import { environmentOfToken } from '../store/tokens.js';
import type { Store } from '../store/store.js';

export interface RequestEnvironment {
  id: number;
  name: string;
  /** the token may also make new environments (POST /environments) */
  canCreateEnvironments: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** the environment the request's token opens (set by requireToken) */
    environment: RequestEnvironment;
  }
}

/**
 * Every API request carries `Authorization: Bearer <token>`. A token opens exactly one
 * environment, and the request works on that environment only: no route takes an environment
 * name, so one environment's token cannot reach another.
 */
export function requireToken(store: Store) {
  return async function (req: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m)
      throw new StrataError(
        'UNAUTHORIZED',
        'This request needs an API token: Authorization: Bearer <token>.',
        { hint: 'Create one with: strata token create --env ENVIRONMENT' },
      );
    const env = await environmentOfToken(store, m[1]);
    if (!env)
      throw new StrataError('UNAUTHORIZED', 'The API token is not valid (unknown or revoked).', {
        hint:
          'strata token list shows the tokens; ' +
          'strata token create --env ENVIRONMENT makes a new one.',
      });
    req.environment = env;
  };
}
