import { dropRecordSchema } from './record-tables.js';
import { dropRetentionSchema } from './retention.js';
import { forgetRevisions } from './revisions.js';
import { StrataError } from '../model/errors.js';
import type { Queryable, Store } from './store.js';

export interface EnvironmentRow {
  id: number;
  name: string;
  base: string;
  revision: number;
  next_install_order: number;
  created_on: string;
}

export async function findEnvironment(db: Queryable, name: string): Promise<EnvironmentRow> {
  const rows = await db.query<EnvironmentRow & Record<string, unknown>>(
    `SELECT id, name, base, revision, next_install_order, created_on FROM environments
     WHERE name = $1`,
    [name],
  );
  if (!rows[0]) {
    throw new StrataError('ENVIRONMENT_NOT_FOUND', `There is no environment named "${name}".`, {
      hint: `Create it with: strata env create ${name}   (strata env list shows the others)`,
    });
  }
  return {
    ...rows[0],
    revision: Number(rows[0].revision),
    next_install_order: Number(rows[0].next_install_order),
  };
}

/**
 * An environment's revision and base, by id: what a cache of its definitions is keyed on
 * (null when the environment is gone).
 */
export async function environmentRevision(
  db: Queryable,
  envId: number,
): Promise<{ revision: number; base: string } | null> {
  const rows = await db.query<{ revision: number | string; base: string }>(
    'SELECT revision, base FROM environments WHERE id = $1',
    [envId],
  );
  return rows[0] ? { revision: Number(rows[0].revision), base: rows[0].base } : null;
}

export interface EnvironmentSummary {
  name: string;
  base: string;
  solutions: number;
  components: number;
  createdOn: string;
}

const NAME_RE = /^[A-Za-z][A-Za-z0-9_-]{0,62}$/;

/**
 * Creates an environment. Two processes creating one name at once: one creates it, the other is
 * told it exists (the insert skips a name taken meanwhile, rather than failing on the index).
 */
export async function createEnvironment(db: Queryable, name: string, base: string): Promise<void> {
  if (!(await insertEnvironment(db, name, base)))
    throw new StrataError('ENVIRONMENT_EXISTS', `An environment named "${name}" already exists.`, {
      hint: 'Pick another name, or delete it first with: strata env delete ' + name,
    });
}

/**
 * Creates the environment unless it exists (the CLI's default environment, on first use; several
 * processes starting together on a new database all find it).
 */
export async function ensureEnvironment(db: Queryable, name: string, base: string): Promise<void> {
  const existing = await db.query('SELECT 1 FROM environments WHERE name = $1', [name]);
  if (!existing.length) await insertEnvironment(db, name, base);
}

/** Whether the environment was created (false: the name is taken). */
async function insertEnvironment(db: Queryable, name: string, base: string): Promise<boolean> {
  if (NAME_RE.exec(name) === null) {
    throw new StrataError(
      'ENVIRONMENT_NAME_INVALID',
      `"${name}" is not a valid environment name.`,
      { hint: 'Use a letter followed by letters, digits, "-" or "_" (at most 63 characters).' },
    );
  }
  const rows = await db.query(
    `INSERT INTO environments (name, base) VALUES ($1, $2)
     ON CONFLICT (name) DO NOTHING RETURNING id`,
    [name, base],
  );
  return rows.length > 0;
}

export async function listEnvironments(db: Queryable): Promise<EnvironmentSummary[]> {
  const rows = await db.query<Record<string, unknown>>(`
    SELECT e.name, e.base, e.created_on,
      (SELECT count(*) FROM solutions s WHERE s.env_id = e.id) AS solutions,
      (SELECT count(DISTINCT (l.type, l.key)) FROM layers l WHERE l.env_id = e.id) AS components
    FROM environments e ORDER BY e.name`);
  return rows.map((r) => ({
    name: String(r.name),
    base: String(r.base),
    solutions: Number(r.solutions),
    components: Number(r.components),
    createdOn: new Date(r.created_on as string).toISOString(),
  }));
}

/** Deletes an environment and everything in it, in one transaction. */
export async function deleteEnvironment(store: Store, name: string): Promise<void> {
  await store.transaction(async (tx) => {
    const env = await findEnvironment(tx, name);
    // its writers first: an import running in it finishes before it goes (store/revision.ts)
    await tx.query('SELECT 1 FROM environments WHERE id = $1 FOR UPDATE', [env.id]);
    // nothing to undo: the undo log stays quiet, and goes with the revisions
    await tx.query("SET LOCAL strata.undo = 'off'");
    await forgetRevisions(tx, env.id);
    // the bulk tables carry no foreign keys (migration 2), so they are emptied here, not by cascade
    for (const table of ['layer_files', 'layer_content', 'layers', 'solution_components'])
      await tx.query(`DELETE FROM ${table} WHERE env_id = $1`, [env.id]);
    // its records: the schema that holds its tables goes in the same transaction
    await dropRetentionSchema(tx, env.id);
    await dropRecordSchema(tx, env.id);
    await tx.query('DELETE FROM environments WHERE id = $1', [env.id]);
  });
}
