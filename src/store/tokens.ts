import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { StrataError } from '../model/errors.js';
import type { Queryable } from './store.js';

/**
 * API tokens. Each one opens exactly one environment; the server finds the environment from the
 * token, so a request can never name another. Only a SHA-256 of the token is stored: the token
 * itself is shown once, when it is created.
 */
export interface TokenInfo {
  id: string;
  environment: string;
  label: string;
  createdOn: string;
  lastUsedOn: string | null;
  /** it may make environments (POST /environments); the tokens it gets for them may too */
  canCreateEnvironments: boolean;
}

/** The environment a token opens, and what else it may do. */
export interface TokenGrant {
  id: number;
  name: string;
  canCreateEnvironments: boolean;
}

const PREFIX = 'strata_';

function digest(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export async function createToken(
  db: Queryable,
  environment: string,
  label = '',
  opts: { canCreateEnvironments?: boolean } = {},
): Promise<{ token: string; info: TokenInfo }> {
  const canCreateEnvironments = !!opts.canCreateEnvironments;
  const env = await db.query<{ id: number }>('SELECT id FROM environments WHERE name = $1', [
    environment,
  ]);
  if (!env.length)
    throw new StrataError('ENVIRONMENT_NOT_FOUND', `No environment named ${environment}.`, {
      hint: 'strata env list shows the environments; strata env create NAME makes one.',
    });
  const token = PREFIX + randomBytes(24).toString('base64url');
  const id = randomUUID();
  const rows = await db.query<{ created_on: Date }>(
    `INSERT INTO api_tokens (id, env_id, token_hash, label, can_create_environments)
     VALUES ($1, $2, $3, $4, $5) RETURNING created_on`,
    [id, env[0].id, digest(token), label || `token for ${environment}`, canCreateEnvironments],
  );
  return {
    token,
    info: {
      id,
      environment,
      label: label || `token for ${environment}`,
      createdOn: new Date(rows[0].created_on).toISOString(),
      lastUsedOn: null,
      canCreateEnvironments,
    },
  };
}

/** The environment a token opens, or null when it is unknown (or revoked). */
export async function environmentOfToken(db: Queryable, token: string): Promise<TokenGrant | null> {
  if (!token.startsWith(PREFIX)) return null;
  const rows = await db.query<{ id: number; name: string; can_create_environments: boolean }>(
    `UPDATE api_tokens t SET last_used_on = now() FROM environments e
     WHERE t.token_hash = $1 AND e.id = t.env_id
     RETURNING e.id, e.name, t.can_create_environments`,
    [digest(token)],
  );
  return rows.length
    ? {
        id: Number(rows[0].id),
        name: String(rows[0].name),
        canCreateEnvironments: rows[0].can_create_environments === true,
      }
    : null;
}

export async function listTokens(db: Queryable, environment?: string): Promise<TokenInfo[]> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT t.id, e.name, t.label, t.created_on, t.last_used_on, t.can_create_environments
     FROM api_tokens t JOIN environments e ON e.id = t.env_id
     ${environment ? 'WHERE e.name = $1' : ''} ORDER BY e.name, t.created_on`,
    environment ? [environment] : [],
  );
  return rows.map((r) => ({
    id: String(r.id),
    environment: String(r.name),
    label: String(r.label),
    createdOn: new Date(r.created_on as string).toISOString(),
    lastUsedOn: r.last_used_on ? new Date(r.last_used_on as string).toISOString() : null,
    canCreateEnvironments: r.can_create_environments === true,
  }));
}

/** Revokes a token by id (or a unique prefix of it). */
export async function revokeToken(db: Queryable, idOrPrefix: string): Promise<TokenInfo> {
  const found = (await listTokens(db)).filter((t) => t.id.startsWith(idOrPrefix.toLowerCase()));
  if (found.length !== 1) {
    throw new StrataError(
      found.length ? 'TOKEN_AMBIGUOUS' : 'TOKEN_NOT_FOUND',
      found.length
        ? `More than one token id starts with ${idOrPrefix}.`
        : `No token with id ${idOrPrefix}.`,
      { hint: 'strata token list shows the token ids.' },
    );
  }
  await db.query('DELETE FROM api_tokens WHERE id = $1', [found[0].id]);
  return found[0];
}
