import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { StrataError } from '../../model/errors.js';
import { requireToken } from '../auth.js';
import { ACTIONS, checkParameters, FUNCTIONS, type ActionContext } from './actions.js';
import { AsyncOperations } from './async-operations.js';
import { ENTITY_SETS, type ApplyState } from './entity-sets.js';
import { odataError, sendWebApiError } from './errors.js';
import { entitySetNames, getRecords, metadataOf, recordWriteRoutes } from './record-routes.js';
import { JSON_TYPE, PREFIX, serviceRoot, servicePath } from './service-root.js';
import { getSetRow, getSetRows } from './set-query.js';
import { deleteSolution } from './solution-delete.js';

/** One OData path segment: NAME or NAME(args). */
function parseSegment(path: string): { name: string; args: string | null } {
  const m = /^([A-Za-z_$][A-Za-z0-9_.]*)(?:\((.*)\))?$/s.exec(path);
  if (!m)
    throw odataError('ODATA_SEGMENT_NOT_FOUND', `Resource not found for the segment '${path}'.`);
  return { name: m[1], args: m[2] ?? null };
}

/**
 * A literal in a key or function argument: 'text' (with '' escapes), a GUID, a number,
 * true/false.
 */
function literalText(v: string): string {
  const t = v.trim();
  if (t.length >= 2 && t.startsWith("'") && t.endsWith("'"))
    return t.slice(1, -1).replace(/''/g, "'");
  return t;
}

/** Function parameters: Name=value or Name=@alias with ?@alias=value in the query string. */
function functionParams(
  args: string | null,
  query: Record<string, unknown>,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (!args) return out;
  for (const part of args.match(/(?:[^,']|'(?:[^']|'')*')+/g) ?? []) {
    const eq = part.indexOf('=');
    if (eq < 0) throw odataError('ODATA_QUERY_INVALID', `Invalid function parameter: ${part}`);
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('@')) {
      const aliased = query[value];
      if (aliased === undefined)
        throw odataError(
          'ODATA_QUERY_INVALID',
          `The parameter alias ${value} has no value in the query string.`,
        );
      value = String(Array.isArray(aliased) ? aliased[0] : aliased);
    }
    out[name] = literalText(value);
  }
  return out;
}

/**
 * The Dataverse Web API compatibility layer under /api/data/v9.2 (docs/webapi.md): the solution
 * actions (ImportSolution, StageAndUpgrade, DeleteAndPromote, ExportSolution, PublishXml, ...),
 * RetrieveMissingDependencies and WhoAmI, read-only entity sets (solutions, publishers,
 * importjobs, asyncoperations, solutioncomponents) with $select/$filter/$orderby/$top, and the
 * entity sets of the environment's tables, whose records are read and written
 * (record-routes.ts). Same bearer tokens as /api/v1: a token opens one environment, and only its
 * records are visible.
 */
export async function webApiRoutes(app: FastifyInstance): Promise<void> {
  const applies = new Map<string, ApplyState>();
  const operations = new AsyncOperations(app.log);
  let closing = false;
  app.addHook('onClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', requireToken(app.strata.store));
  app.addHook('onSend', async (_req, reply, payload) => {
    void reply.header('odata-version', '4.0');
    return payload;
  });
  app.setErrorHandler((e, req, reply) => sendWebApiError(e, req, reply));
  // a DELETE (or a GET) with Content-Type: application/json and no body is no error; a route
  // that needs a body says so in Dataverse's words
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) =>
    body === '' ? done(null, undefined) : json(req, String(body), done),
  );
  app.setNotFoundHandler((req, reply) => {
    const segment = req.url.split('?')[0].slice(PREFIX.length + 1);
    return sendWebApiError(
      odataError(
        'ODATA_SEGMENT_NOT_FOUND',
        `Resource not found for the segment '${segment}' (${req.method}).`,
      ),
      req,
      reply,
    );
  });

  const actionContext = (req: FastifyRequest, reply: FastifyReply): ActionContext => ({
    app,
    req,
    reply,
    applies,
    operations,
    isClosing: () => closing,
  });

  for (const [name, action] of ACTIONS) {
    app.post(
      `/${name}`,
      {
        // no body schema: an action without parameters is POSTed with no body at all
        schema: { tags: ['dataverse web api'], summary: `${name}: ${action.summary}` },
      },
      async (req, reply) => {
        const body = req.body ?? {};
        if (typeof body !== 'object' || Array.isArray(body))
          throw new StrataError(
            'RECORD_BODY_INVALID',
            `Error identified in Payload provided by the user: ${name} takes a JSON object.`,
            { hint: `POST ${name} with {"Parameter": value, ...} (docs/webapi.md).` },
          );
        checkParameters(name, action, body as Record<string, unknown>);
        const out = await action.run(actionContext(req, reply), body as Record<string, unknown>);
        if (reply.sent || reply.raw.destroyed) return reply;
        if (out === undefined) return reply.status(204).send();
        return reply.type(JSON_TYPE).send({
          '@odata.context': `${serviceRoot(req)}/$metadata#Microsoft.Dynamics.CRM.${name}Response`,
          ...out,
        });
      },
    );
  }

  // the service document, and $metadata: the solution sets and the environment's tables
  app.get('/', { schema: { hide: true } }, async (req, reply) =>
    reply.type(JSON_TYPE).send({
      '@odata.context': `${serviceRoot(req)}/$metadata`,
      value: (await entitySetNames(app, req)).map((n) => ({ name: n, kind: 'EntitySet', url: n })),
    }),
  );
  app.get('/$metadata', { schema: { hide: true } }, async (req, reply) =>
    reply.type('application/xml; charset=utf-8').send(await metadataOf(app, req)),
  );

  // records of the environment's tables: POST, PATCH, DELETE (record-routes.ts)
  await recordWriteRoutes(app, {
    remove: (req, reply, key) =>
      deleteSolution(
        { app, env: req.environment, applies, operations, wants: () => false },
        req,
        reply,
        key,
      ),
  });

  // entity sets, single records and functions: GET NAME, NAME(key), NAME(params); a name that
  // is neither a function nor a solution set is a table's entity set (record-routes.ts)
  app.get('/*', { schema: { hide: true } }, async (req, reply) => {
    const path = servicePath(req);
    const head = /^[^(/]*/.exec(path)![0];
    if (!FUNCTIONS.has(head) && !ENTITY_SETS.has(head)) return getRecords(app, req, reply);
    const slash = path.indexOf('/');
    const rest = slash < 0 ? null : path.slice(slash + 1);
    if (rest !== null && (rest !== '$count' || !ENTITY_SETS.has(path.slice(0, slash))))
      throw odataError(
        'ODATA_SEGMENT_NOT_FOUND',
        `Resource not found for the segment '${path}': ` +
          'strata serves entity sets, set/$count, single records and functions (no navigation).',
      );
    const { name, args } = parseSegment(slash < 0 ? path : path.slice(0, slash));
    const query = req.query as Record<string, unknown>;
    const fn = FUNCTIONS.get(name);
    if (fn) {
      const out = await fn(actionContext(req, reply), functionParams(args, query));
      return reply.type(JSON_TYPE).send({
        ...out,
        '@odata.context': `${serviceRoot(req)}/$metadata#${String(out['@odata.context'])}`,
      });
    }
    const set = ENTITY_SETS.get(name);
    if (!set)
      throw odataError('ODATA_SEGMENT_NOT_FOUND', `Resource not found for the segment '${name}'.`);
    const base = { app, env: req.environment, applies, operations };
    return args === null
      ? getSetRows(base, req, reply, set, rest)
      : getSetRow(base, req, reply, set, args);
  });
}
