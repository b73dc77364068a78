import { StrataError } from '../model/errors.js';
import { findEnvironment } from './snapshot.js';
import type { Queryable } from './store.js';

export interface EnvironmentSummary { name: string; base: string; solutions: number; components: number; createdOn: string }

const NAME_RE = /^[A-Za-z][A-Za-z0-9_-]{0,62}$/;

export async function createEnvironment(db: Queryable, name: string, base: string): Promise<void> {
  if (!NAME_RE.test(name)) {
    throw new StrataError('ENVIRONMENT_NAME_INVALID', `"${name}" is not a valid environment name.`, { hint: 'Use a letter followed by letters, digits, "-" or "_" (at most 63 characters).' });
  }
  const existing = await db.query('SELECT 1 FROM environments WHERE name = $1', [name]);
  if (existing.length) throw new StrataError('ENVIRONMENT_EXISTS', `An environment named "${name}" already exists.`, { hint: 'Pick another name, or delete it first with: strata env delete ' + name });
  await db.query('INSERT INTO environments (name, base) VALUES ($1, $2)', [name, base]);
}

export async function listEnvironments(db: Queryable): Promise<EnvironmentSummary[]> {
  const rows = await db.query<Record<string, unknown>>(`
    SELECT e.name, e.base, e.created_on,
      (SELECT count(*) FROM solutions s WHERE s.env_id = e.id) AS solutions,
      (SELECT count(*) FROM components c WHERE c.env_id = e.id) AS components
    FROM environments e ORDER BY e.name`);
  return rows.map((r) => ({ name: String(r.name), base: String(r.base), solutions: Number(r.solutions), components: Number(r.components), createdOn: new Date(r.created_on as string).toISOString() }));
}

export async function deleteEnvironment(db: Queryable, name: string): Promise<void> {
  const env = await findEnvironment(db, name);
  await db.query('DELETE FROM environments WHERE id = $1', [env.id]);
}
