import type { FastifyInstance } from 'fastify';
import { browseRecords, environmentTables, MAX_BROWSE_PAGE } from '../../engine/records/tables.js';

/** Rows a page holds when the client does not say. */
const DEFAULT_PAGE = 50;

/**
 * The table browser's routes under /api/v1 (registered by apiRoutes, so the token's environment
 * applies): the environment's tables with their row counts, and a table's records page by page.
 * The Dataverse Web API entity sets (/api/data/v9.2) serve the same records with OData options.
 */
export async function tableRoutes(app: FastifyInstance): Promise<void> {
  const { store } = app.strata;

  app.get(
    '/tables',
    {
      schema: {
        tags: ['records'],
        summary:
          "The environment's tables (standard and from solutions), " +
          'whether each SQL table is made, and its row count',
      },
    },
    async (req) => environmentTables(store, req.environment.name),
  );

  app.get(
    '/tables/:table/records',
    {
      schema: {
        tags: ['records'],
        summary: "A page of a table's records, its columns, the total count and the next page",
        params: {
          type: 'object',
          properties: { table: { type: 'string' } },
          required: ['table'],
        },
        querystring: {
          type: 'object',
          properties: {
            top: {
              type: 'integer',
              minimum: 1,
              maximum: MAX_BROWSE_PAGE,
              description: `records in the page (default ${DEFAULT_PAGE})`,
            },
            skip: {
              type: 'integer',
              minimum: 0,
              description: 'records to pass over first (the nextLink carries it)',
            },
          },
        },
      },
    },
    async (req) => {
      const { table } = req.params as { table: string };
      const q = req.query as { top?: number; skip?: number };
      const page = await browseRecords(store, req.environment.name, table.toLowerCase(), {
        top: q.top ?? DEFAULT_PAGE,
        skip: q.skip ?? 0,
      });
      const link = (skip: number) =>
        `/api/v1/tables/${encodeURIComponent(page.table)}/records?top=${page.top}&skip=${skip}`;
      return {
        ...page,
        nextLink: page.nextSkip === null ? null : link(page.nextSkip),
        previousLink: page.skip > 0 ? link(Math.max(0, page.skip - page.top)) : null,
      };
    },
  );
}
