/**
 * The undo log: what every statement on an environment's metadata took away and added, written by
 * statement triggers in the database itself (migration 11), so no write path can forget it. A
 * statement's rows carry the transaction's id; the revision that transaction made
 * (store/revisions.ts) owns them. A row taken away keeps its whole before-image (`img`, the row
 * as jsonb); the rows a statement added keep only their keys, all in one entry (`ks`, migration
 * 12; one entry a key before it). Going back to revision N is then, per table: delete
 * every row whose key a later revision touched, and put back the first before-image of each key
 * that existed at N (store/revisions.ts rollbackMetadata).
 */

/** The metadata tables the log covers, with the columns (after env_id) that key their rows. */
export const UNDONE_TABLES: ReadonlyArray<{ table: string; key: readonly string[] }> = [
  { table: 'publishers', key: ['unique_name'] },
  { table: 'solutions', key: ['unique_name'] },
  { table: 'layers', key: ['type', 'key', 'solution'] },
  { table: 'layer_files', key: ['type', 'key', 'solution', 'path'] },
  { table: 'layer_content', key: ['solution', 'chunk'] },
  { table: 'solution_components', key: ['solution', 'type', 'key'] },
  { table: 'record_tables', key: ['name'] },
];

/** The key of a row of `table` as one text, from the row alias `alias` (the log's `k`). */
export function keyText(table: string, alias: string): string {
  const t = UNDONE_TABLES.find((u) => u.table === table);
  if (!t) throw new Error(`no undo log for ${table}`);
  return `concat_ws(chr(1), ${t.key.map((c) => `${alias}.${c}`).join(', ')})`;
}

/**
 * The statements of migration 11: the log, and a trigger function with three statement triggers
 * (transition tables take one event each) per table. `SET LOCAL strata.undo = 'off'` silences it
 * for a transaction that deletes an environment whole.
 */
export function undoLogStatements(): string[] {
  const parts = [
    `CREATE SEQUENCE undo_statement`,
    `CREATE TABLE undo_log (
  env_id int NOT NULL,
  xid bigint NOT NULL,
  stmt bigint NOT NULL,
  tbl text NOT NULL,
  op "char" NOT NULL,
  k text NOT NULL,
  img jsonb
)`,
    `CREATE INDEX undo_log_xid ON undo_log (env_id, xid)`,
  ];
  for (const { table } of UNDONE_TABLES) {
    const fn = `strata_undo_${table}`;
    parts.push(`CREATE FUNCTION ${undoFunction(table, 'each')}`);
    parts.push(
      `CREATE TRIGGER ${table}_undo_insert AFTER INSERT ON ${table}
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
      `CREATE TRIGGER ${table}_undo_update AFTER UPDATE ON ${table}
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
      `CREATE TRIGGER ${table}_undo_delete AFTER DELETE ON ${table}
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
    );
  }
  return parts;
}

/**
 * The statements of migration 12: a statement's added rows are logged as one entry holding all
 * their keys (`ks`), not one entry each (decision 60). An install of 10,000 components added
 * 10,500 log rows for its layers alone, about a fifth of the COPY's time; rows taken away keep an
 * entry each, with its image. Entries written before keep their one key (`k`); readers go
 * through undoEntries, which gives one row per key either way.
 */
export function undoLogKeyArrayStatements(): string[] {
  const parts = [
    'ALTER TABLE undo_log ALTER COLUMN k DROP NOT NULL',
    'ALTER TABLE undo_log ADD COLUMN ks text[]',
  ];
  for (const { table } of UNDONE_TABLES)
    parts.push(`CREATE OR REPLACE FUNCTION ${undoFunction(table, 'together')}`);
  return parts;
}

/**
 * The log's entries of one environment, one row per key (tbl, k, stmt, op, img, xid), for the
 * entries `where` (a condition on the log's own columns, alias-free) selects. An entry of added
 * rows (`ks`) gives one row per key, without an image.
 */
export function undoEntries(where: string): string {
  return `(SELECT tbl, k, stmt, op, img, xid FROM undo_log WHERE k IS NOT NULL AND ${where}
    UNION ALL
    SELECT tbl, unnest(ks) AS k, stmt, op, NULL::jsonb AS img, xid FROM undo_log
    WHERE ks IS NOT NULL AND ${where})`;
}

/**
 * The trigger function of `table`'s undo log, after CREATE [OR REPLACE] FUNCTION: rows taken
 * away logged an entry each with its image; rows added an entry each with its key (`each`,
 * migration 11) or one entry for the statement with all their keys (`together`, migration 12).
 */
function undoFunction(table: string, added: 'each' | 'together'): string {
  const insertAdded =
    added === 'each'
      ? `INSERT INTO undo_log (env_id, xid, stmt, tbl, op, k)
    SELECT n.env_id, x, s, '${table}', 'I', ${keyText(table, 'n')} FROM new_rows n;`
      : `INSERT INTO undo_log (env_id, xid, stmt, tbl, op, ks)
    SELECT n.env_id, x, s, '${table}', 'I', array_agg(${keyText(table, 'n')})
    FROM new_rows n GROUP BY n.env_id;`;
  return `strata_undo_${table}() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE s bigint; x bigint;
BEGIN
  IF current_setting('strata.undo', true) = 'off' THEN RETURN NULL; END IF;
  s := nextval('undo_statement');
  x := txid_current();
  IF TG_OP <> 'INSERT' THEN
    INSERT INTO undo_log (env_id, xid, stmt, tbl, op, k, img)
    SELECT o.env_id, x, s, '${table}', 'D', ${keyText(table, 'o')}, to_jsonb(o) FROM old_rows o;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    ${insertAdded}
  END IF;
  RETURN NULL;
END $fn$`;
}
