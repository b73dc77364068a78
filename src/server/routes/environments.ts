import type { FastifyInstance } from 'fastify';
import { templateIds, templateSummaries } from '../../catalog/template-listing.js';
import {
  DEFAULT_TEMPLATE,
  environmentTemplate,
  firstPartySolutionsOf,
  templateIdOfBase,
} from '../../catalog/templates.js';
import { StrataError } from '../../model/errors.js';
import { createEnvironment, findEnvironment } from '../../store/environments.js';
import { listSolutions } from '../../store/queries.js';
import type { Queryable } from '../../store/store.js';
import { createToken } from '../../store/tokens.js';

const str = { type: 'string' } as const;

/** An environment as GET /environment and POST /environments describe it. */
async function describeEnvironment(db: Queryable, name: string) {
  const env = await findEnvironment(db, name);
  const solutions = await listSolutions(db, env.id);
  const template = templateIdOfBase(env.base);
  return {
    name: env.name,
    base: env.base,
    // what the environment was made from: a template id, or null (empty: no System layer)
    template,
    templateTitle: template ? (environmentTemplate(template)?.title ?? null) : null,
    revision: env.revision,
    createdOn: new Date(env.created_on as unknown as string).toISOString(),
    solutions: solutions.length,
    firstPartySolutions: firstPartySolutionsOf(env.base).length,
  };
}

/** A template's id from a request, or a 400 that lists the valid ones. */
function templateOfRequest(input: string | undefined): string {
  const t = environmentTemplate(input ?? DEFAULT_TEMPLATE);
  if (!t)
    throw new StrataError('BAD_REQUEST', `There is no environment template "${input}".`, {
      hint: `Use one of: ${templateIds().join(', ')} (GET /templates lists what each installs).`,
      details: { templates: templateIds() },
    });
  return t.id;
}

/**
 * The environment routes under /api/v1 (registered by apiRoutes, so a token is required): the
 * environment the token opens, the templates, and making a new environment from one. A token
 * still opens one environment: making one answers with a new token for it, the only way in
 * (docs/decisions.md).
 */
export async function environmentRoutes(app: FastifyInstance): Promise<void> {
  const { store } = app.strata;

  app.get(
    '/environment',
    {
      schema: {
        tags: ['environment'],
        summary: 'The environment this token opens, and whether the token may make others',
      },
    },
    async (req) => ({
      ...(await describeEnvironment(store, req.environment.name)),
      canCreateEnvironments: req.environment.canCreateEnvironments,
    }),
  );

  app.get(
    '/templates',
    {
      schema: {
        tags: ['environment'],
        summary:
          'The environment templates, each with the Microsoft solutions it installs ' +
          '(strata env templates)',
      },
    },
    async () => templateSummaries(),
  );

  app.post(
    '/environments',
    {
      schema: {
        tags: ['environment'],
        summary:
          'Make a new environment from a template, with a token that opens it ' +
          '(only for a token made with strata token create --can-create-environments)',
        body: {
          type: 'object',
          required: ['name'],
          additionalProperties: false,
          properties: {
            name: {
              ...str,
              description:
                'a letter followed by letters, digits, "-" or "_" (at most 63 characters)',
            },
            template: {
              ...str,
              description: `a template id from GET /templates (default ${DEFAULT_TEMPLATE})`,
            },
            label: { ...str, description: "the new token's label (strata token list shows it)" },
          },
        },
        response: {
          201: {
            description: 'the environment, and a token that opens it (shown only now)',
            type: 'object',
            additionalProperties: true,
            properties: {
              environment: { type: 'object', additionalProperties: true },
              token: {
                ...str,
                description: 'the new environment\'s token: "Authorization: Bearer <token>"',
              },
              tokenInfo: { type: 'object', additionalProperties: true },
            },
          },
        },
      },
    },
    async (req, reply) => {
      if (!req.environment.canCreateEnvironments)
        throw new StrataError(
          'ENVIRONMENT_CREATE_FORBIDDEN',
          'This API token may not make environments: it opens environment ' +
            `${req.environment.name} only.`,
          {
            hint:
              'Ask whoever runs the strata server to make the environment, or for a token ' +
              'made with: strata token create --can-create-environments',
          },
        );
      const body = req.body as { name: string; template?: string; label?: string };
      const template = templateOfRequest(body.template);
      const made = await store.transaction(async (tx) => {
        await createEnvironment(tx, body.name, template).catch((e: unknown) => {
          if (e instanceof StrataError && e.code === 'ENVIRONMENT_EXISTS')
            throw new StrataError('ENVIRONMENT_EXISTS', e.message, {
              hint:
                'Pick another name. A token opens only the environment it was made for: ' +
                'ask whoever runs the strata server for a token of the existing one.',
            });
          throw e;
        });
        // the new token may make environments too: its holder could, with the token used here
        const { token, info } = await createToken(
          tx,
          body.name,
          body.label || `token for ${body.name}, made from environment ${req.environment.name}`,
          { canCreateEnvironments: true },
        );
        return { environment: await describeEnvironment(tx, body.name), token, tokenInfo: info };
      });
      req.log.info(
        { environment: body.name, template, from: req.environment.name },
        'environment created',
      );
      return reply.code(201).send(made);
    },
  );
}
