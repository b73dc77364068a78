import { identity } from '../model/component.js';
import type { EnvironmentSnapshot, LayerInfo } from '../plans/snapshot.js';
import { ORDINAL_GROUP } from '../plans/layer-order.js';
import { decodeRequires, SQL_KEY, sqlKeyOf } from './component-keys.js';
import { findEnvironment } from './environments.js';
import { jsonRowsInBlocks } from './json-rows.js';
import type { Queryable } from './store.js';

/**
 * Everything planning needs about an environment, read in one consistent go. `activeXmlFor`:
 * the identities whose Active definitions planning wants (the components a package brings);
 * asked for only when the environment has Active layers at all. `hashes: false` leaves the
 * layers' hashes and states out (null): an import's planning compares them, a lifecycle
 * operation's does not, and at 199,502 layers they are half of the snapshot's text (decision 70).
 */
export async function loadSnapshot(
  db: Queryable,
  envName: string,
  { activeXmlFor, hashes = true }: { activeXmlFor?: () => Set<string>; hashes?: boolean } = {},
): Promise<EnvironmentSnapshot> {
  const env = await findEnvironment(db, envName);
  const solutions = await db.query<Record<string, unknown>>(
    `SELECT unique_name, friendly_name, version, managed, publisher, parent_unique_name,
       is_holding, install_order, installed_on
     FROM solutions WHERE env_id = $1 ORDER BY install_order, unique_name`,
    [env.id],
  );
  const publishers = await db.query<Record<string, unknown>>(
    `SELECT unique_name, friendly_name, customization_prefix, option_value_prefix
     FROM publishers WHERE env_id = $1`,
    [env.id],
  );
  // (20,000 rows one by one took PGlite 0.3 s; a large result comes in pages of the table's
  // blocks, in no order: json-rows.ts)
  type S = string | null;
  const layerRows = await jsonRowsInBlocks<
    [string, string, string, LayerInfo['kind'], number, S, S, S, S, string]
  >(
    db,
    {
      columns: hashes
        ? 'type, key, solution, kind, ordinal, hash, draft_hash, state, requires, name'
        : 'type, key, solution, kind, ordinal, NULL, NULL, NULL, requires, name',
      table: 'layers',
      where: 'env_id = $1',
    },
    [env.id],
  );
  const layers = new Map<string, LayerInfo[]>();
  const ordinals = new Map<string, number>();
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
    if (kind === 'managed' && !ordinals.has(solution)) ordinals.set(solution, ordinal);
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
  return {
    activeXml,
    environment: {
      id: env.id,
      name: env.name,
      base: env.base,
      revision: env.revision,
      nextInstallOrder: env.next_install_order,
    },
    solutions: solutions.map((s) => ({
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
    })),
    publishers: publishers.map((p) => ({
      uniqueName: String(p.unique_name),
      friendlyName: String(p.friendly_name),
      customizationPrefix: String(p.customization_prefix),
      optionValuePrefix: p.option_value_prefix === null ? null : Number(p.option_value_prefix),
    })),
    layers,
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
