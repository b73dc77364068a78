import { createHash } from 'node:crypto';
import type { Store } from './store.js';
import {
  undoImagesAsJson,
  undoLogKeyArrayStatements,
  undoLogRowTextStatements,
  undoLogStatements,
  UNDONE_TABLES,
} from './undo-log.js';

/**
 * The schema, as numbered migrations. Both adapters run exactly these statements.
 * Every table is scoped by environment, so several environments share one database.
 */
const MIGRATIONS: Array<{ id: number; name: string; sql: string; statements?: string[] }> = [
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
  FOREIGN KEY (env_id, type, key, solution) REFERENCES layers(env_id, type, key, solution)
    ON DELETE CASCADE
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
  {
    id: 2,
    name:
      'components as a view over layers; no per-row foreign keys on bulk tables; ' +
      'managed-layer XML in compressed chunks; job results as one document',
    // Per-row foreign-key triggers and extra indexes on the tables an import fills by the ten
    // thousand (layers, files, membership) cost more than the rows themselves in PGlite
    // (docs/decisions.md #15). store/ is their only writer: it writes them together in one
    // transaction and deletes them explicitly (environments.ts, lifecycle writes).
    sql: `
ALTER TABLE layers DROP CONSTRAINT IF EXISTS layers_env_id_type_key_fkey;
-- a component exists while it has a layer: its name and parent move onto the layers, and
-- components becomes a view (the top layer names it), so no layerless component can be left over
ALTER TABLE layers ADD COLUMN name text;
ALTER TABLE layers ADD COLUMN parent_type text;
ALTER TABLE layers ADD COLUMN parent_key text;
UPDATE layers l SET name = c.name, parent_type = c.parent_type, parent_key = c.parent_key
  FROM components c WHERE c.env_id = l.env_id AND c.type = l.type AND c.key = l.key;
UPDATE layers SET name = key WHERE name IS NULL;
ALTER TABLE layers ALTER COLUMN name SET NOT NULL;
DROP TABLE components;
-- a managed solution's layer is its membership: solution_components keeps only members that
-- have no layer of their solution (unmanaged solutions' components, tables included as shells)
ALTER TABLE layers ADD COLUMN root_behavior int;
UPDATE layers l SET root_behavior = sc.root_behavior FROM solution_components sc
  WHERE l.kind = 'managed' AND sc.env_id = l.env_id AND sc.solution = l.solution
    AND sc.type = l.type AND sc.key = l.key;
DELETE FROM solution_components sc USING layers l
  WHERE l.kind = 'managed' AND sc.env_id = l.env_id AND sc.solution = l.solution
    AND sc.type = l.type AND sc.key = l.key;
CREATE VIEW solution_members AS
  SELECT env_id, solution, type, key, root_behavior FROM layers WHERE kind = 'managed'
  UNION ALL
  SELECT env_id, solution, type, key, root_behavior FROM solution_components;
CREATE VIEW components AS
  SELECT DISTINCT ON (env_id, type, key) env_id, type, key, name, parent_type, parent_key
  FROM layers ORDER BY env_id, type, key, ordinal DESC;
ALTER TABLE layer_files DROP CONSTRAINT IF EXISTS layer_files_env_id_type_key_solution_fkey;
ALTER TABLE solution_components DROP CONSTRAINT IF EXISTS solution_components_env_id_solution_fkey;
-- an import job's per-component results are one document, as Dataverse keeps importjob.data
ALTER TABLE import_jobs ADD COLUMN results text;
-- new jobs store the same JSON deflated (store/jobs.ts): a 10,000-component log is 1.5 MB of text
ALTER TABLE import_jobs ADD COLUMN results_deflated bytea;
ALTER TABLE import_jobs ALTER COLUMN results_deflated SET STORAGE EXTERNAL;
UPDATE import_jobs j SET results = (
  SELECT json_agg(json_build_object('seq', r.seq, 'type', r.type, 'key', r.key, 'name', r.name,
    'result', r.result, 'action', r.action, 'code', r.code, 'message', r.message,
    'durationMs', r.duration_ms) ORDER BY r.seq)::text
  FROM import_job_results r WHERE r.job_id = j.id);
DROP TABLE import_job_results;
-- managed-layer XML in deflated chunks per solution (store/layer-content.ts)
CREATE TABLE layer_content (
  env_id int NOT NULL,
  solution text NOT NULL,
  chunk int NOT NULL,
  content bytea NOT NULL,
  PRIMARY KEY (env_id, solution, chunk)
);
ALTER TABLE layer_content ALTER COLUMN content SET STORAGE EXTERNAL;
ALTER TABLE layers ADD COLUMN content_chunk int;
ALTER TABLE layers ADD COLUMN content_start int;
ALTER TABLE layers ADD COLUMN content_length int;
`,
  },
  {
    id: 3,
    name: 'what each layer requires, for the dependency check before deletions',
    // one line per required component, "type<U+0001>key"; read when an upgrade or uninstall
    // would delete components, to list what still depends on them
    sql: `
ALTER TABLE layers ADD COLUMN requires text;
`,
  },
  {
    id: 4,
    name: "where each layer's element sits in a solution file, for export",
    // null for the usual place of the component type (package/customizations/context.ts
    // DEFAULT_PLACE)
    sql: `
ALTER TABLE layers ADD COLUMN place text;
`,
  },
  {
    id: 5,
    name: 'API tokens per environment; the import queue, one running import per environment',
    // a token is stored as its SHA-256 only. The queue holds a package until its import ran;
    // the partial unique index is what keeps two imports out of one environment, whichever
    // process (or server) tries to start the second one
    sql: `
CREATE TABLE api_tokens (
  id uuid PRIMARY KEY,
  env_id int NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
  token_hash text NOT NULL UNIQUE,
  label text NOT NULL,
  created_on timestamptz NOT NULL DEFAULT now(),
  last_used_on timestamptz
);
CREATE TABLE import_queue (
  job_id uuid PRIMARY KEY REFERENCES import_jobs(id) ON DELETE CASCADE,
  env_id int NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
  seq bigserial NOT NULL,
  state text NOT NULL CHECK (state IN ('queued', 'running')),
  package bytea NOT NULL,
  label text NOT NULL,
  request jsonb NOT NULL,
  claimed_by text,
  heartbeat_on timestamptz
);
CREATE UNIQUE INDEX import_queue_one_running ON import_queue (env_id) WHERE state = 'running';
CREATE INDEX import_queue_order ON import_queue (env_id, seq);
ALTER TABLE import_jobs ADD COLUMN queued_on timestamptz;
ALTER TABLE import_jobs ADD COLUMN runner text;
`,
  },
  {
    id: 6,
    name: 'layer content can be a package file as its zip compressed it',
    // 'text': definitions concatenated and deflated by strata (UTF-8); 'package-file': the raw
    // deflate stream of customizations.xml copied from the package zip, decoded as solution
    // files are. Layer offsets are UTF-16 code units of the decoded text either way
    // (store/layer-content.ts)
    sql: `
ALTER TABLE layer_content ADD COLUMN format text NOT NULL DEFAULT 'text'
  CHECK (format IN ('text', 'package-file'));
`,
  },
  {
    id: 7,
    name: 'import job ids per environment; unfinished jobs found by status',
    // a job id names a job in its environment, as an import job id does in a Dataverse
    // organization: a client of one environment can neither see nor collide with another's
    // (docs/decisions.md). A running job that no live process claims was interrupted
    // (store/queue.ts failInterruptedImports): the partial index finds the few running ones
    sql: `
ALTER TABLE import_queue DROP CONSTRAINT IF EXISTS import_queue_job_id_fkey;
ALTER TABLE import_queue DROP CONSTRAINT IF EXISTS import_queue_pkey;
ALTER TABLE import_jobs DROP CONSTRAINT IF EXISTS import_jobs_pkey;
ALTER TABLE import_jobs ADD PRIMARY KEY (env_id, id);
ALTER TABLE import_queue ADD PRIMARY KEY (env_id, job_id);
ALTER TABLE import_queue ADD FOREIGN KEY (env_id, job_id)
  REFERENCES import_jobs (env_id, id) ON DELETE CASCADE;
CREATE INDEX import_jobs_running ON import_jobs (env_id) WHERE status = 'running';
`,
  },
  {
    id: 8,
    name: 'tables hold records: a schema per environment, the shape of each table made',
    // an environment's records live in a schema of their own, named when its first table is made
    // (store/record-tables.ts); record_tables keeps the shape each table was made with, so a
    // plan can tell what a change of definitions does to it without reading the SQL catalog
    sql: `
ALTER TABLE environments ADD COLUMN records_schema text;
CREATE TABLE record_tables (
  env_id int NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
  name text NOT NULL,
  shape jsonb NOT NULL,
  PRIMARY KEY (env_id, name)
);
`,
  },
  {
    id: 9,
    name: 'a token may be allowed to make environments',
    // POST /environments: only a token made with this flag may make an environment, and the
    // token it gets back for the new one has it too (docs/decisions.md)
    sql: `
ALTER TABLE api_tokens ADD COLUMN can_create_environments boolean NOT NULL DEFAULT false;
`,
  },
  {
    id: 10,
    name: 'records come back: dropped tables and columns are retained for K revisions',
    // a dropped table is moved whole into the environment's retention schema, a dropped column's
    // values are copied there first (store/retention.ts); retained_records says what each
    // physical table there holds, from which revision, and whether it was purged or restored
    sql: `
ALTER TABLE environments ADD COLUMN retention_revisions int NOT NULL DEFAULT 10;
CREATE TABLE retained_records (
  id bigserial PRIMARY KEY,
  env_id int NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
  revision bigint NOT NULL,
  table_name text NOT NULL,
  column_name text,
  physical_name text NOT NULL DEFAULT '',
  row_count bigint NOT NULL DEFAULT 0,
  shape jsonb NOT NULL,
  indexes jsonb NOT NULL DEFAULT '[]',
  state text NOT NULL DEFAULT 'kept' CHECK (state IN ('kept', 'purged', 'restored')),
  retained_on timestamptz NOT NULL DEFAULT now(),
  ended_on timestamptz
);
CREATE INDEX retained_records_env ON retained_records (env_id, revision);
`,
  },
  {
    id: 11,
    name: 'revisions, and the undo log of the metadata that takes an environment back to one',
    // a revision per operation that changes an environment (store/revisions.ts); the undo log
    // and its statement triggers (store/undo-log.ts) hold the before-images that rollback puts
    // back. Function bodies hold semicolons: the statements come as a list
    sql: '',
    statements: [
      `CREATE TABLE revisions (
  env_id int NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
  number bigint NOT NULL,
  xid bigint NOT NULL,
  operation text,
  sub_operation text,
  solution text,
  history_id bigint,
  rolled_back_to bigint,
  created_on timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (env_id, number)
)`,
      'CREATE INDEX revisions_xid ON revisions (env_id, xid)',
      ...undoLogStatements(),
    ],
  },
  {
    id: 12,
    name: "the undo log keeps the keys of a statement's added rows in one entry",
    // store/undo-log.ts: one entry per statement instead of one per added row (decision 60)
    sql: '',
    statements: undoLogKeyArrayStatements(),
  },
  {
    id: 13,
    name: 'the undo log keeps a row taken away as its text',
    // store/undo-log.ts: row::text instead of to_jsonb(row) (decision 68). A later migration that
    // changes the columns of a table the log covers runs undoImagesAsJson(table) first
    sql: '',
    statements: undoLogRowTextStatements(),
  },
];

/** A migration as written: its statements, or its SQL text of statements ending in ';'. */
export interface MigrationText {
  id: number;
  sql: string;
  statements?: string[];
}

/**
 * The migrations after 13 that change the columns of a table the undo log covers without first
 * turning that table's logged row texts into jsonb (undo-log.ts undoImagesAsJson): a rollback
 * over them would fail to read those texts back. Checked as this module loads.
 */
export function columnChangesWithoutJson(migrations: readonly MigrationText[]): string[] {
  const out: string[] = [];
  for (const m of migrations) {
    if (m.id <= 13) continue;
    const statements = m.statements ?? m.sql.split(/;\s*\n/);
    for (const { table } of UNDONE_TABLES) {
      const change = new RegExp(
        `ALTER\\s+TABLE\\s+(ONLY\\s+)?${table}\\s+(ADD|DROP|ALTER|RENAME)\\b`,
        'i',
      );
      const at = statements.findIndex((st) => change.test(st));
      if (at < 0) continue;
      const json = undoImagesAsJson(table);
      if (!statements.slice(0, at).some((st) => st.includes(json)))
        out.push(
          `migration ${m.id} changes ${table}'s columns without undoImagesAsJson('${table}') first`,
        );
    }
  }
  return out;
}

const unsafe = columnChangesWithoutJson(MIGRATIONS);
if (unsafe.length) throw new Error(unsafe.join('; '));

/**
 * A digest of every migration's text: a database made by one build of strata is a valid
 * template (store/pglite/template.ts) for another only if both have the same migrations.
 */
export const MIGRATIONS_DIGEST: string = createHash('sha256')
  .update(JSON.stringify(MIGRATIONS))
  .digest('hex')
  .slice(0, 16);

/** The ids of every migration, in order: what a database brought up to date has run. */
export const MIGRATION_IDS: readonly number[] = MIGRATIONS.map((m) => m.id);

/**
 * Brings the schema up to date (or up to migration `upTo`, for tests). Safe to run on every
 * open, by any number of processes at once (several servers starting together on one
 * PostgreSQL database): the whole run is one transaction that first takes an advisory lock
 * for the schema, and only then reads which migrations are done. A process that waited for the
 * lock finds the others' work committed and has nothing left to do. PGlite is one process per
 * folder already; the lock costs it nothing.
 */
export async function migrate(store: Store, opts: { upTo?: number } = {}): Promise<void> {
  await store.transaction(async (tx) => {
    await tx.query(
      `SELECT pg_advisory_xact_lock(
         hashtextextended('strata migrations ' || coalesce(current_schema(), ''), 0))`,
    );
    // looked for first: a store already migrated is opened without writing anything
    // (store/pglite/generation.ts: a session that writes nothing keeps what was read of it)
    const [{ found }] = await tx.query<{ found: boolean }>(
      "SELECT to_regclass('strata_migrations') IS NOT NULL AS found",
    );
    if (!found)
      await tx.query(
        `CREATE TABLE strata_migrations (
           id int PRIMARY KEY, name text NOT NULL, applied_on timestamptz NOT NULL DEFAULT now())`,
      );
    const done = new Set(
      (await tx.query<{ id: number }>('SELECT id FROM strata_migrations')).map((r) => Number(r.id)),
    );
    for (const m of MIGRATIONS) {
      if (done.has(m.id) || (opts.upTo !== undefined && m.id > opts.upTo)) continue;
      const statements =
        m.statements ??
        m.sql
          .split(/;\s*\n/)
          .map((s) => s.trim())
          .filter(Boolean);
      for (const stmt of statements) await tx.query(stmt);
      await tx.query('INSERT INTO strata_migrations (id, name) VALUES ($1, $2)', [m.id, m.name]);
    }
  });
}
