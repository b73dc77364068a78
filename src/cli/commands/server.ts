import { openStore } from '../../store/open.js';
import { createToken, listTokens, revokeToken } from '../../store/tokens.js';
import { environmentName, parse, usage, withStore, type Io } from '../context.js';
import { table } from '../render.js';

/** strata serve [--port P] [--host H]: the HTTP server (JSON API, Dataverse Web API, web UI) until Ctrl+C. */
export async function serveCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parse(
    argv,
    {
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
    },
    false,
  );
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
      ? await createToken(store, env, 'first token, made by strata serve')
      : null;
  // loaded here, not at start-up: the HTTP stack (Fastify, OpenAPI, static files) costs every other command about 0.15 s
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
    io.err(
      `strata serving ${store.kind === 'postgres' ? `PostgreSQL (${store.location})` : `the embedded store in ${store.location}`} at ${address}`,
    );
    io.err(
      `  web UI ${address}/   API ${address}/api/v1   Dataverse Web API ${address}/api/data/v9.2   OpenAPI ${address}/openapi.json`,
    );
    if (first) {
      io.err(
        `  first API token (environment ${env}), shown only now:\n    ${first.token}\n  open the web UI signed in: ${address}/#token=${first.token}`,
      );
    } else
      io.err(
        '  every API request needs a token: strata token create --env NAME (before starting the server, with the embedded store)',
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

/** strata token create --env E [--label L] | token list [--env E] | token revoke ID */
export async function tokenCommand(argv: string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parse(rest, { label: { type: 'string' } });
  return withStore(async (store) => {
    if (sub === 'create') {
      const env = await environmentName(store, values.env);
      const { token, info } = await createToken(store, env, values.label);
      if (values.json) io.out(JSON.stringify({ token, ...info }, null, 2));
      else {
        io.out(token);
        io.err(
          `Token ${info.id.slice(0, 8)} opens environment ${env}. It is shown only now; store it safely.`,
        );
        io.err('Use it as: Authorization: Bearer <token>');
      }
      return 0;
    }
    if (sub === 'list') {
      const rows = await listTokens(store, values.env);
      if (values.json) io.out(JSON.stringify(rows, null, 2));
      else
        io.out(
          rows.length
            ? table(
                ['Id', 'Environment', 'Label', 'Created', 'Last used'],
                rows.map((t) => [
                  t.id.slice(0, 8),
                  t.environment,
                  t.label,
                  t.createdOn.slice(0, 19).replace('T', ' '),
                  t.lastUsedOn?.slice(0, 19).replace('T', ' ') ?? '',
                ]),
              )
            : 'No tokens yet: strata token create --env NAME',
        );
      return 0;
    }
    if (sub === 'revoke') {
      if (positionals.length !== 1)
        throw usage(
          'token revoke takes a token id (or its first characters, from strata token list).',
        );
      const t = await revokeToken(store, positionals[0]);
      if (values.json) io.out(JSON.stringify({ revoked: t }, null, 2));
      else io.out(`Revoked token ${t.id.slice(0, 8)} (${t.environment}).`);
      return 0;
    }
    throw usage(
      sub ? `Unknown token command "${sub}".` : 'token needs a command.',
      'strata token create --env E | token list | token revoke ID',
    );
  });
}
