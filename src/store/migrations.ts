import type { Store } from './store.js';

/**
 * The schema, as numbered migrations. Both adapters run exactly these statements.
 * Every table is scoped by environment, so several environments share one database.
 */
export const MIGRATIONS: Array<{ id: number; name: string; sql: string }> = [
  {
    id: 1,
    name: 'environments, solutions, components, layers, jobs, history',
    sql: `
CREATE TABLE environments (
  id serial PRIMARY KEY,
  name text NOT NULL UNIQUE,
  base text NOT NULL,
  revision bigint NOT NULL DEFAULT 0,
  next_install_order int NOT NULL DEFAULT 1,
  created_on timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE publishers (
  env_id int NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
  unique_name text NOT NULL,
  friendly_name text NOT NULL,
  customization_prefix text NOT NULL,
  option_value_prefix int,
  definition jsonb NOT NULL,
  created_on timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (env_id, unique_name)
);
CREATE TABLE solutions (
  env_id int NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
  unique_name text NOT NULL,
  friendly_name text NOT NULL,
  description text NOT NULL DEFAULT '',
  version text NOT NULL,
  managed boolean NOT NULL,
  publisher text NOT NULL,
  parent_unique_name text,
  is_holding boolean NOT NULL DEFAULT false,
  install_order int NOT NULL,
  package_hash text,
  manifest jsonb NOT NULL,
  installed_on timestamptz NOT NULL DEFAULT now(),
  updated_on timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (env_id, unique_name)
);
CREATE TABLE components (
  env_id int NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
  type text NOT NULL,
  key text NOT NULL,
  name text NOT NULL,
  parent_type text,
  parent_key text,
  created_on timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (env_id, type, key)
);
CREATE INDEX components_parent ON components (env_id, parent_type, parent_key);
-- one row per layer of a component: 'System', a managed solution, or 'Active' (unmanaged)
CREATE TABLE layers (
  env_id int NOT NULL,
  type text NOT NULL,
  key text NOT NULL,
  solution text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('system', 'managed', 'active')),
  ordinal bigint NOT NULL,
  xml text,
  hash text,
  draft_xml text,
  draft_hash text,
  state text,
  updated_on timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (env_id, type, key, solution),
  FOREIGN KEY (env_id, type, key) REFERENCES components(env_id, type, key) ON DELETE CASCADE
);
CREATE INDEX layers_solution ON layers (env_id, solution);
CREATE TABLE layer_files (
  env_id int NOT NULL,
  type text NOT NULL,
  key text NOT NULL,
  solution text NOT NULL,
  path text NOT NULL,
  content bytea NOT NULL,
  PRIMARY KEY (env_id, type, key, solution, path),
  FOREIGN KEY (env_id, type, key, solution) REFERENCES layers(env_id, type, key, solution) ON DELETE CASCADE
);
CREATE TABLE solution_components (
  env_id int NOT NULL,
  solution text NOT NULL,
  type text NOT NULL,
  key text NOT NULL,
  root_behavior int,
  PRIMARY KEY (env_id, solution, type, key),
  FOREIGN KEY (env_id, solution) REFERENCES solutions(env_id, unique_name) ON DELETE CASCADE
);
CREATE TABLE import_jobs (
  id uuid PRIMARY KEY,
  env_id int NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
  solution_name text NOT NULL,
  operation text NOT NULL,
  status text NOT NULL,
  progress real NOT NULL DEFAULT 0,
  stage text,
  started_on timestamptz NOT NULL DEFAULT now(),
  completed_on timestamptz,
  result text,
  code text,
  message text,
  solution jsonb NOT NULL,
  options jsonb NOT NULL
);
CREATE TABLE import_job_results (
  job_id uuid NOT NULL REFERENCES import_jobs(id) ON DELETE CASCADE,
  seq int NOT NULL,
  type text NOT NULL,
  key text NOT NULL,
  name text NOT NULL,
  result text NOT NULL,
  action text NOT NULL,
  code text NOT NULL,
  message text NOT NULL,
  duration_ms real NOT NULL,
  PRIMARY KEY (job_id, seq)
);
CREATE TABLE history (
  id bigserial PRIMARY KEY,
  env_id int NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
  solution_name text NOT NULL,
  solution_version text,
  publisher text,
  managed boolean,
  operation text NOT NULL,
  sub_operation text NOT NULL,
  options jsonb NOT NULL,
  started_on timestamptz NOT NULL,
  ended_on timestamptz NOT NULL,
  result text NOT NULL,
  error_code text,
  message text,
  job_id uuid
);
CREATE INDEX history_env ON history (env_id, id);
`,
  },
];

/** Brings the schema up to date. Safe to run on every open. */
export async function migrate(store: Store): Promise<void> {
  await store.query('CREATE TABLE IF NOT EXISTS strata_migrations (id int PRIMARY KEY, name text NOT NULL, applied_on timestamptz NOT NULL DEFAULT now())');
  const done = new Set((await store.query<{ id: number }>('SELECT id FROM strata_migrations')).map((r) => Number(r.id)));
  for (const m of MIGRATIONS) {
    if (done.has(m.id)) continue;
    await store.transaction(async (tx) => {
      for (const stmt of m.sql.split(/;\s*\n/).map((s) => s.trim()).filter(Boolean)) await tx.query(stmt);
      await tx.query('INSERT INTO strata_migrations (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING', [m.id, m.name]);
    });
  }
}
