/**
 * The undo log: what every statement on an environment's metadata took away and added, written by
 * statement triggers in the database itself (migration 11), so no write path can forget it. A
 * statement's rows carry the transaction's id; the revision that transaction made
 * (store/revisions.ts) owns them. A row taken away keeps its whole before-image: the row's text
 * (`rec`, `row::text`, migration 13), or before that the row as jsonb (`img`); the rows a
 * statement added keep only their keys, all in one entry (`ks`, migration 12; one entry a key
 * before it). Going back to revision N is then, per table: delete every row whose key a later
 * revision touched, and put back the first before-image of each key that existed at N
 * (store/revisions.ts rollbackMetadata).
 *
 * A row's text reads back only into a table of the same columns (`rec::layers`), where jsonb
 * leaves a column it lacks null. So a migration that changes the columns of a table the log
 * covers first turns that table's texts into jsonb (undoImagesAsJson); migrations.ts refuses to
 * load one that does not (columnChangesWithoutJson).
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
  return `(SELECT tbl, k, stmt, op, img, rec, xid FROM undo_log WHERE k IS NOT NULL AND ${where}
    UNION ALL
    SELECT tbl, unnest(ks) AS k, stmt, op, NULL::jsonb AS img, NULL::text AS rec, xid FROM undo_log
    WHERE ks IS NOT NULL AND ${where})`;
}

/**
 * The before-image of an entry `alias` of `table`, as a row of the table: its text read back, or
 * its jsonb (written before migration 13, or turned into jsonb by undoImagesAsJson).
 */
export function imageRow(table: string, alias: string): string {
  return `CASE WHEN ${alias}.rec IS NOT NULL THEN ${alias}.rec::${table}
    ELSE jsonb_populate_record(NULL::${table}, ${alias}.img) END`;
}

/**
 * The statements of migration 13: a row taken away keeps its text (`rec`, `row::text`), not
 * jsonb (decision 68). The text is built in a third of jsonb's time at less than half its size:
 * applying a staged upgrade of 100,000 components logs about 120,000 images. The texts are
 * stored as they are (STORAGE EXTERNAL): a layer's is far below the size PostgreSQL would
 * compress, and a content chunk's is the hex of deflated bytes, which pglz shrank by 3 % in four
 * times the time of the rest of the statement.
 */
export function undoLogRowTextStatements(): string[] {
  const parts = [
    'ALTER TABLE undo_log ADD COLUMN rec text',
    'ALTER TABLE undo_log ALTER COLUMN rec SET STORAGE EXTERNAL',
  ];
  for (const { table } of UNDONE_TABLES)
    parts.push(`CREATE OR REPLACE FUNCTION ${undoFunction(table, 'together', 'text')}`);
  return parts;
}

/**
 * Run by a migration before it changes the columns of `table`: the log's texts of that table's
 * rows become jsonb, which reads back into the new columns (a column the image lacks is null).
 */
export function undoImagesAsJson(table: string): string {
  if (!UNDONE_TABLES.some((u) => u.table === table)) throw new Error(`no undo log for ${table}`);
  return `UPDATE undo_log SET img = to_jsonb(rec::${table}), rec = NULL
    WHERE tbl = '${table}' AND rec IS NOT NULL`;
}

/**
 * The trigger function of `table`'s undo log, after CREATE [OR REPLACE] FUNCTION: rows taken
 * away logged an entry each with its image, as jsonb (migrations 11, 12) or as the row's text
 * (migration 13); rows added an entry each with its key (`each`, migration 11) or one entry for
 * the statement with all their keys (`together`, migrations 12, 13).
 */
function undoFunction(
  table: string,
  added: 'each' | 'together',
  image: 'jsonb' | 'text' = 'jsonb',
): string {
  // (the jsonb form is the text migrations 11 and 12 ran, character for character)
  const [column, value] = image === 'jsonb' ? ['img', 'to_jsonb(o)'] : ['rec', 'o::text'];
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
    INSERT INTO undo_log (env_id, xid, stmt, tbl, op, k, ${column})
    SELECT o.env_id, x, s, '${table}', 'D', ${keyText(table, 'o')}, ${value} FROM old_rows o;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    ${insertAdded}
  END IF;
  RETURN NULL;
END $fn$`;
}
