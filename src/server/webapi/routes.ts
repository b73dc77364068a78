import type { FastifyInstance } from 'fastify';

/** The Dataverse Web API actions and entity sets (/api/data/v9.2). */
export async function webApiRoutes(_app: FastifyInstance): Promise<void> {
  // filled in by the Web API compatibility layer
}
