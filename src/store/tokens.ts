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
}

const PREFIX = 'strata_';

function digest(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export async function createToken(
  db: Queryable,
  environment: string,
  label = '',
): Promise<{ token: string; info: TokenInfo }> {
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
    `INSERT INTO api_tokens (id, env_id, token_hash, label) VALUES ($1, $2, $3, $4)
     RETURNING created_on`,
    [id, env[0].id, digest(token), label || `token for ${environment}`],
  );
  return {
    token,
    info: {
      id,
      environment,
      label: label || `token for ${environment}`,
      createdOn: new Date(rows[0].created_on).toISOString(),
      lastUsedOn: null,
    },
  };
}

/** The environment a token opens, or null when it is unknown (or revoked). */
export async function environmentOfToken(
  db: Queryable,
  token: string,
): Promise<{ id: number; name: string } | null> {
  if (!token.startsWith(PREFIX)) return null;
  const rows = await db.query<{ id: number; name: string }>(
    `UPDATE api_tokens t SET last_used_on = now() FROM environments e
     WHERE t.token_hash = $1 AND e.id = t.env_id RETURNING e.id, e.name`,
    [digest(token)],
  );
  return rows.length ? { id: Number(rows[0].id), name: String(rows[0].name) } : null;
}

export async function listTokens(db: Queryable, environment?: string): Promise<TokenInfo[]> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT t.id, e.name, t.label, t.created_on, t.last_used_on
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
