import { identity } from '../model/component.js';
import type {
  EnvironmentSnapshot,
  LayerInfo,
  LayerScope,
  SolutionInfo,
} from '../plans/snapshot.js';
import { ORDINAL_GROUP } from '../plans/layer-order.js';
import { decodeRequires, SQL_KEY, sqlKeyOf } from './component-keys.js';
import { findEnvironment } from './environments.js';
import { withoutNestedLoops } from './hash-joins.js';
import { jsonRowsInBlocks, ONE_VALUE_ROWS } from './json-rows.js';
import type { Queryable } from './store.js';

/** A scope of more layers than this is not read apart (settable for tests). */
export const scopeLimit = { layers: ONE_VALUE_ROWS };

type S = string | null;
/** A layer's row as planning reads it (json-rows.ts): type, key, solution, kind, ordinal, … */
type LayerRow = [string, string, string, LayerInfo['kind'], number, S, S, S, S, string];

/** The layers' columns of LayerRow, with or without their definitions' hashes and state. */
const layerColumns = (hashes: boolean): string =>
  hashes
    ? 'type, key, solution, kind, ordinal, hash, draft_hash, state, requires, name'
    : 'type, key, solution, kind, ordinal, NULL, NULL, NULL, requires, name';

/**
 * Everything planning needs about an environment, read in one consistent go. `activeXmlFor`:
 * the identities whose Active definitions planning wants (the components a package brings);
 * asked for only when the environment has Active layers at all. `hashes: false` leaves the
 * layers' hashes and states out (null): an import's planning compares them, a lifecycle
 * operation's does not, and at 199,502 layers they are half of the snapshot's text (decision 70).
 * `scope`: given the solutions, the part of the layers a lifecycle operation plans from (null:
 * all of them); read so when it is at most `scopeLimit` layers (decision 72), and the
 * snapshot's `scope` then says what it holds.
 */
export async function loadSnapshot(
  db: Queryable,
  envName: string,
  {
    activeXmlFor,
    hashes = true,
    scope,
  }: {
    activeXmlFor?: () => Set<string>;
    hashes?: boolean;
    scope?: (s: { environment: string; solutions: SolutionInfo[] }) => LayerScope | null;
  } = {},
): Promise<EnvironmentSnapshot> {
  const env = await findEnvironment(db, envName);
  const solutionRows = await db.query<Record<string, unknown>>(
    `SELECT unique_name, friendly_name, version, managed, publisher, parent_unique_name,
       is_holding, install_order, installed_on${
         // a solution's managed layers all sit at its ordinal: one of them, found by the index
         scope
           ? `, (SELECT l.ordinal FROM layers l WHERE l.env_id = s.env_id
                 AND l.solution = s.unique_name AND l.kind = 'managed' LIMIT 1) AS ordinal`
           : ''
       }
     FROM solutions s WHERE env_id = $1 ORDER BY install_order, unique_name`,
    [env.id],
  );
  const publishers = await db.query<Record<string, unknown>>(
    `SELECT unique_name, friendly_name, customization_prefix, option_value_prefix
     FROM publishers WHERE env_id = $1`,
    [env.id],
  );
  const ordinals = new Map<string, number>();
  if (scope)
    for (const s of solutionRows)
      if (s.ordinal !== null) ordinals.set(String(s.unique_name), Number(s.ordinal));
  // with a scope, the solutions (their ordinals known) are made once, before the layers
  const solutions = scope ? solutionsOf(solutionRows, ordinals) : undefined;
  const scoped = solutions && scope?.({ environment: env.name, solutions });
  const part = scoped ? await scopedLayers(db, env.id, scoped) : undefined;
  // (20,000 rows one by one took PGlite 0.3 s; a large result comes in pages of the table's
  // blocks, in no order: json-rows.ts)
  const layerRows =
    part?.rows ??
    (await jsonRowsInBlocks<LayerRow>(
      db,
      { columns: layerColumns(hashes), table: 'layers', where: 'env_id = $1' },
      [env.id],
    ));
  const layers = new Map<string, LayerInfo[]>();
  const withActive: string[] = [];
  for (const row of layerRows) {
    const [type, key, solution, kind, ordinal, hash, draftHash, state, requires, name] = row;
    const id = identity(type, key);
    let list = layers.get(id);
    if (!list) layers.set(id, (list = []));
    list.push({
      solution,
      kind,
      ordinal,
      hash,
      draftHash,
      state,
      requires: requires ? decodeRequires(requires).map((x) => identity(x.type, x.key)) : [],
      name: String(name),
    });
    // a solution's managed layers all sit at its ordinal
    if (!scope && kind === 'managed' && !ordinals.has(solution)) ordinals.set(solution, ordinal);
    if (kind === 'active') withActive.push(id);
  }
  // each stack from the bottom up
  for (const list of layers.values())
    if (list.length > 1) list.sort((a, b) => a.ordinal - b.ordinal);
  // Active definitions of the components a package brings (those it would keep shadowing or
  // overwrite)
  let activeXml: Map<string, string> | undefined;
  if (activeXmlFor) {
    const bringing = withActive.length ? activeXmlFor() : new Set<string>();
    const wanted = withActive.filter((id) => bringing.has(id)).map(sqlKeyOf);
    activeXml = new Map();
    if (wanted.length) {
      const rows = await db.query<{ type: string; key: string; xml: string | null }>(
        `SELECT type, key, coalesce(draft_xml, xml) AS xml FROM layers
         WHERE env_id = $1 AND solution = 'Active' AND ${SQL_KEY} = ANY($2::text[])`,
        [env.id, wanted],
      );
      for (const r of rows) if (r.xml) activeXml.set(identity(r.type, r.key), r.xml);
    }
  }
  const snapshot: EnvironmentSnapshot = {
    activeXml,
    environment: {
      id: env.id,
      name: env.name,
      base: env.base,
      revision: env.revision,
      nextInstallOrder: env.next_install_order,
    },
    solutions: solutions ?? solutionsOf(solutionRows, ordinals),
    publishers: publishers.map((p) => ({
      uniqueName: String(p.unique_name),
      friendlyName: String(p.friendly_name),
      customizationPrefix: String(p.customization_prefix),
      optionValuePrefix: p.option_value_prefix === null ? null : Number(p.option_value_prefix),
    })),
    layers,
  };
  if (part && scoped) snapshot.scope = { ...scoped, tables: part.tables };
  return snapshot;
}

function solutionsOf(rows: Array<Record<string, unknown>>, ordinals: Map<string, number>) {
  return rows.map((s): SolutionInfo => ({
    uniqueName: String(s.unique_name),
    friendlyName: String(s.friendly_name),
    version: String(s.version),
    managed: Boolean(s.managed),
    publisher: String(s.publisher),
    parentUniqueName: (s.parent_unique_name as string | null) ?? null,
    isHolding: Boolean(s.is_holding),
    installOrder: Number(s.install_order),
    installedOn: new Date(s.installed_on as string).toISOString(),
    // a solution without managed layers (unmanaged, or empty) sits at the start of its
    // install-order group
    ordinal:
      ordinals.get(String(s.unique_name)) ??
      Number(s.install_order) * ORDINAL_GROUP + (s.parent_unique_name ? 1 : 0),
  }));
}

/**
 * The layers of a lifecycle operation's scope (decision 72), without hashes: the stacks of the
 * components with a layer of `going` and none of `staying`, and of those with a layer that
 * requires something (what a dependent needs is checked against what goes); and the made record
 * tables that an entity or attribute layer of `tablesOf` belongs to (as engine/records/
 * data-at-risk.ts tableOf reads a key). Undefined when the stacks are more than `scopeLimit`
 * layers: one JSON value of them would grow PGlite's memory for good (json-rows.ts), and the
 * whole environment is read in pages instead. Two statements: the components, joined by hash,
 * then their stacks, found by the primary key.
 */
async function scopedLayers(
  db: Queryable,
  envId: number,
  scope: LayerScope,
): Promise<{ rows: LayerRow[]; tables: string[] } | undefined> {
  const limit = scopeLimit.layers;
  // the components, joined by hash (hash-joins.ts; a component has a layer at least: more of
  // them than the bound is more layers)
  const [{ found: components }] = await withoutNestedLoops(db, () =>
    db.query<{ found: string | null }>(
      `SELECT json_build_array(array_agg(type), array_agg(key))::text AS found FROM (
         SELECT type, key FROM layers b WHERE b.env_id = $1 AND b.solution = ANY($2::text[])
           AND NOT EXISTS (SELECT 1 FROM layers h WHERE h.env_id = $1 AND h.type = b.type
             AND h.key = b.key AND h.solution = ANY($3::text[]))
         UNION SELECT type, key FROM layers WHERE env_id = $1 AND requires IS NOT NULL
         LIMIT $4) s`,
      [envId, scope.going, scope.staying, limit + 1],
    ),
  );
  const [types, names] = JSON.parse(components ?? '[null, null]') as [
    string[] | null,
    string[] | null,
  ];
  const keys = { types: types ?? [], keys: names ?? [] };
  if (keys.types.length > limit) return undefined;
  // their stacks, a probe of the primary key each (a lateral subquery kept apart by OFFSET 0:
  // joined, the planner sorted the environment's layers for a merge join, 0.66 s at 204,752)
  const [found] = await db.query<{ rows: string | null; n: number | string }>(
    `WITH picked AS MATERIALIZED (
       SELECT k.type, k.key, l.solution, l.kind, l.ordinal, l.requires, l.name
       FROM unnest($2::text[], $3::text[]) AS k(type, key)
       CROSS JOIN LATERAL (SELECT solution, kind, ordinal, requires, name FROM layers
         WHERE env_id = $1 AND type = k.type AND key = k.key OFFSET 0) l),
     n AS (SELECT count(*) AS n FROM picked)
     SELECT n.n, CASE WHEN n.n <= $4 THEN
         (SELECT json_agg(json_build_array(${layerColumns(false)}))::text FROM picked) END AS rows
     FROM n`,
    [envId, keys.types, keys.keys, limit],
  );
  if (Number(found.n) > limit) return undefined;
  const tables = scope.tablesOf.length
    ? await db.query<{ name: string }>(
        // a column's key is `table.column`: those of a table lie between `table.` and `table/`
        // in code point order, whatever the database's own collation
        `SELECT t.name FROM record_tables t WHERE t.env_id = $1 AND EXISTS (
           SELECT 1 FROM layers l WHERE l.env_id = t.env_id AND l.solution = ANY($2::text[])
             AND ((l.type = 'entity' AND l.key = t.name)
               OR (l.type = 'attribute' AND l.key COLLATE "C" >= (t.name || '.') COLLATE "C"
                 AND l.key COLLATE "C" < (t.name || '/') COLLATE "C")))`,
        [envId, scope.tablesOf],
      )
    : [];
  return {
    rows: found.rows ? (JSON.parse(found.rows) as LayerRow[]) : [],
    tables: tables.map((t) => t.name).sort(),
  };
}

/** The components that have an Active (unmanaged) layer in the environment, as identities. */
export async function activeIdentities(db: Queryable, envId: number): Promise<Set<string>> {
  const rows = await jsonRowsInBlocks<[string, string]>(
    db,
    { columns: 'type, key', table: 'layers', where: "env_id = $1 AND solution = 'Active'" },
    [envId],
  );
  return new Set(rows.map(([type, key]) => identity(type, key)));
}
