import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { environmentShapes, type EnvironmentShapes } from '../../engine/records/shapes.js';
import type { TableShape } from '../../model/table-shape.js';
import type { Store } from '../../store/store.js';
import { ENTITY_SETS } from './entity-sets.js';
import { odataError } from './errors.js';
import { metadataDocument } from './metadata.js';
import { parsePrefer, type Preferences } from './prefer.js';
import { getCollection, getCount, getRecord } from './record-get.js';
import { recordPath } from './record-path.js';
import { bulkActionOf, deleteRecord, patchRecord, postBulk, postRecord } from './record-write.js';
import { serviceRoot, servicePath } from './service-root.js';

/**
 * The entity sets of an environment's tables under /api/data/v9.2 (docs/webapi.md): every table
 * of the environment of the request's token — its solutions' and the standard ones — by its
 * EntitySetName. The solution sets of entity-sets.ts are matched first (routes.ts): `solutions`
 * is strata's view of the installed solutions, not a table of records. A token never reaches
 * another environment's tables: the environment comes from the token, never from the request.
 */
export interface RecordContext {
  req: FastifyRequest;
  reply: FastifyReply;
  store: Store;
  envId: number;
  tables: EnvironmentShapes;
  /** the table the entity set names */
  shape: TableShape;
  set: string;
  root: string;
  prefer: Preferences;
}

async function contextFor(
  app: FastifyInstance,
  req: FastifyRequest,
  reply: FastifyReply,
  set: string,
): Promise<RecordContext> {
  if (ENTITY_SETS.has(set))
    throw odataError(
      'ODATA_QUERY_INVALID',
      `The entity set '${set}' is strata's view of the environment's solutions: it is read-only.`,
      'Change solutions with the actions: ImportSolution, StageAndUpgrade, DeleteAndPromote, ...',
    );
  const tables = await environmentShapes(app.strata.store, req.environment.id);
  const shape = tables?.bySet(set);
  if (!tables || !shape)
    throw odataError('ODATA_SEGMENT_NOT_FOUND', `Resource not found for the segment '${set}'.`);
  return {
    req,
    reply,
    store: app.strata.store,
    envId: req.environment.id,
    tables,
    shape,
    set,
    root: serviceRoot(req),
    prefer: parsePrefer(req.headers.prefer),
  };
}

/** GET of a path that names no function and no solution set: a table's records. */
export async function getRecords(
  app: FastifyInstance,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<unknown> {
  const path = recordPath(servicePath(req));
  const ctx = await contextFor(app, req, reply, path.set);
  if (path.rest === '$count' && path.key === null) return getCount(ctx);
  if (path.rest !== null) throw unsupported(path.rest);
  return path.key === null ? getCollection(ctx) : getRecord(ctx, path.key);
}

/** POST (create, bulk actions), PATCH (update, upsert) and DELETE on the tables' entity sets. */
export async function recordWriteRoutes(
  app: FastifyInstance,
  solutions: {
    /** DELETE solutions(key): uninstall (solution-delete.ts) */
    remove: (req: FastifyRequest, reply: FastifyReply, key: string) => Promise<unknown>;
  },
): Promise<void> {
  const hide = { schema: { hide: true } };
  app.post('/*', hide, async (req, reply) => {
    const path = recordPath(servicePath(req));
    const ctx = await contextFor(app, req, reply, path.set);
    if (path.key === null && path.rest === null) return postRecord(ctx);
    const bulk = path.key === null && path.rest !== null ? bulkActionOf(path.rest) : undefined;
    if (!bulk) throw unsupported(path.rest ?? `${path.set}(${path.key})`);
    return postBulk(ctx, bulk);
  });
  app.patch('/*', hide, async (req, reply) => {
    const path = recordPath(servicePath(req));
    const ctx = await contextFor(app, req, reply, path.set);
    if (path.key === null || path.rest !== null) throw unsupported(path.rest ?? path.set);
    return patchRecord(ctx, path.key);
  });
  app.delete('/*', hide, async (req, reply) => {
    const path = recordPath(servicePath(req));
    if (path.set === 'solutions' && path.key !== null && path.rest === null)
      return solutions.remove(req, reply, path.key);
    const ctx = await contextFor(app, req, reply, path.set);
    if (path.key === null || path.rest !== null) throw unsupported(path.rest ?? path.set);
    return deleteRecord(ctx, path.key);
  });
}

/** The entity sets the service document lists: the solution sets, then every table's. */
export async function entitySetNames(app: FastifyInstance, req: FastifyRequest): Promise<string[]> {
  const tables = await environmentShapes(app.strata.store, req.environment.id);
  const sets = (tables?.tables ?? [])
    .map((t) => t.entitySetName)
    .filter((n) => !ENTITY_SETS.has(n));
  return [...ENTITY_SETS.keys(), ...sets.sort()];
}

/** One CSDL document per revision of an environment's tables: made once, served many times. */
const documents = new WeakMap<EnvironmentShapes, string>();

/** $metadata: the environment's tables and the solution sets (metadata.ts). */
export async function metadataOf(app: FastifyInstance, req: FastifyRequest): Promise<string> {
  const tables = await environmentShapes(app.strata.store, req.environment.id);
  if (!tables) return metadataDocument([]);
  let doc = documents.get(tables);
  if (doc === undefined) {
    doc = metadataDocument(tables.tables);
    documents.set(tables, doc);
  }
  return doc;
}

function unsupported(segment: string) {
  return odataError(
    'ODATA_SEGMENT_NOT_FOUND',
    `Resource not found for the segment '${segment}'.`,
    'strata serves entity sets, records by key, set/$count and the bulk actions ' +
      'CreateMultiple, UpdateMultiple and UpsertMultiple (no navigation, no $ref).',
  );
}
