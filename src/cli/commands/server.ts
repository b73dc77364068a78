import { templateIdOfBase } from '../../catalog/templates.js';
import { StrataError } from '../../model/errors.js';
import { ensureEnvironment, listEnvironments } from '../../store/environments.js';
import { openStore } from '../../store/open.js';
import type { Store } from '../../store/store.js';
import { createToken, listTokens, revokeToken } from '../../store/tokens.js';
import { usage, type ArgsOf, type Io } from '../command.js';
import { environmentName, templateArg, withStore } from '../context.js';
import { table } from '../render.js';
import type { SERVE, TOKEN_CREATE, TOKEN_LIST, TOKEN_REVOKE } from './index.js';

/** strata serve: the HTTP server (JSON API, Dataverse Web API, web UI) until Ctrl+C. */
export async function serveCommand({ values }: ArgsOf<typeof SERVE>, io: Io): Promise<number> {
  const port = values.port !== undefined ? Number(values.port) : Number(process.env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw usage(`--port takes a port number, not "${values.port}".`);
  const host = String(values.host ?? process.env.HOST ?? '127.0.0.1');
  const store = await openStore();
  // the default environment exists, so a first token can be made for it; with the embedded store
  // no other process can open it while the server runs, so a first token is made here
  const env = await environmentName(store, undefined);
  const first =
    (await listTokens(store)).length === 0
      ? // the operator's own token: it may make environments from the web UI
        await createToken(store, env, 'first token, made by strata serve', {
          canCreateEnvironments: true,
        })
      : null;
  // loaded here, not at start-up: the HTTP stack (Fastify, OpenAPI, static files) costs every
  // other command about 0.15 s
  const { buildServer } = await import('../../server/app.js');
  const app = await buildServer({
    store,
    logger: values.quiet ? false : { level: process.env.LOG_LEVEL ?? 'info' },
  });
  let closing = false;
  const close = async (): Promise<void> => {
    if (closing) return;
    closing = true;
    io.err('strata: stopping (imports that are running finish first)');
    await app.close();
    await store.close();
  };
  const done = new Promise<void>((resolve) => {
    for (const sig of ['SIGINT', 'SIGTERM'] as const)
      process.once(sig, () => {
        void close().then(resolve);
      });
  });
  try {
    const address = await app.listen({ port, host });
    announce(store, address, io);
    if (first)
      io.err(
        `  first API token (environment ${env}), shown only now:\n    ${first.token}\n` +
          `  open the web UI signed in: ${address}/#token=${first.token}`,
      );
    else
      io.err(
        '  every API request needs a token: strata token create --env NAME ' +
          '(before starting the server, with the embedded store)',
      );
  } catch (e) {
    await close();
    throw usage(
      `Cannot listen on ${host}:${port}: ${(e as Error).message}`,
      'Choose another port with --port.',
    );
  }
  await done;
  return 0;
}

/** Where the server listens, and on which store. */
function announce(store: Store, address: string, io: Io): void {
  const where =
    store.kind === 'postgres'
      ? `PostgreSQL (${store.location})`
      : `the embedded store in ${store.location}`;
  io.err(`strata serving ${where} at ${address}`);
  io.err(
    `  web UI ${address}/   API ${address}/api/v1   ` +
      `Dataverse Web API ${address}/api/data/v9.2   OpenAPI ${address}/openapi.json`,
  );
}

/** strata token create [--label L]: a token for the environment of --env, shown once. */
export async function tokenCreate(
  { values }: ArgsOf<typeof TOKEN_CREATE>,
  io: Io,
): Promise<number> {
  const template = values.template !== undefined ? templateArg(values.template) : undefined;
  const { token, info, env, made } = await withStore(async (store) => {
    const env = await environmentName(store, values.env);
    const made = template ? await environmentFromTemplate(store, env, template) : false;
    const canCreateEnvironments = !!values['can-create-environments'];
    return {
      env,
      made,
      ...(await createToken(store, env, values.label, { canCreateEnvironments })),
    };
  });
  if (values.json)
    io.out(JSON.stringify({ token, ...info, ...(made && { created: template }) }, null, 2));
  else {
    io.out(token);
    if (made) io.err(`Created environment ${env} from template ${template}.`);
    io.err(
      `Token ${info.id.slice(0, 8)} opens environment ${env}` +
        (info.canCreateEnvironments ? ' and may make new environments' : '') +
        '. It is shown only now; store it safely.',
    );
    io.err('Use it as: Authorization: Bearer <token>');
  }
  return 0;
}

/**
 * The environment of `token create --template T`: made from T when it does not exist (true), kept
 * when it exists from T, refused when it exists from another template (a token must not open an
 * environment other than the one asked for).
 */
async function environmentFromTemplate(
  store: Store,
  name: string,
  template: string,
): Promise<boolean> {
  const existing = (await listEnvironments(store)).find((e) => e.name === name);
  if (!existing) {
    await ensureEnvironment(store, name, template);
    return true;
  }
  const has = templateIdOfBase(existing.base);
  if (has !== template)
    throw new StrataError(
      'ENVIRONMENT_EXISTS',
      `Environment ${name} exists already, made from ${has ? `template ${has}` : 'nothing (empty)'}, ` +
        `not ${template}.`,
      {
        hint:
          `Leave out --template to open it as it is, or name a new environment: ` +
          `strata token create --env NEW --template ${template}`,
      },
    );
  return false;
}

/** strata token list: every token, or those of the environment of --env. */
export async function tokenList({ values }: ArgsOf<typeof TOKEN_LIST>, io: Io): Promise<number> {
  const rows = await withStore((store) => listTokens(store, values.env));
  if (values.json) io.out(JSON.stringify(rows, null, 2));
  else
    io.out(
      rows.length
        ? table(
            ['Id', 'Environment', 'Label', 'Makes environments', 'Created', 'Last used'],
            rows.map((t) => [
              t.id.slice(0, 8),
              t.environment,
              t.label,
              t.canCreateEnvironments ? 'yes' : '',
              t.createdOn.slice(0, 19).replace('T', ' '),
              t.lastUsedOn?.slice(0, 19).replace('T', ' ') ?? '',
            ]),
          )
        : 'No tokens yet: strata token create --env NAME',
    );
  return 0;
}

/** strata token revoke ID: by id, or the id's first characters. */
export async function tokenRevoke(
  { values, positionals }: ArgsOf<typeof TOKEN_REVOKE>,
  io: Io,
): Promise<number> {
  if (positionals.length !== 1)
    throw usage('token revoke takes a token id (or its first characters, from strata token list).');
  const t = await withStore((store) => revokeToken(store, positionals[0]));
  if (values.json) io.out(JSON.stringify({ revoked: t }, null, 2));
  else io.out(`Revoked token ${t.id.slice(0, 8)} (${t.environment}).`);
  return 0;
}
