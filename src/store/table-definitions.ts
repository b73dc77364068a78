import { contentRefOf, resolveContent } from './layer-content.js';
import type { Queryable } from './store.js';

/**
 * The effective definitions of tables as stored: for each table, its entity's top layer and the
 * top layer of each of its attributes. A draft counts (an Active layer not yet published): a
 * table or column exists as soon as the import that makes it commits, published or not. The
 * System layer of the standard tables is not stored (decision 2): the engine adds the catalog's
 * definitions where no layer is (engine/records/definitions.ts).
 */
export interface StoredTableDefinitions {
  /** the entity's definition, or null when no stored layer has it */
  entity: string | null;
  /** attribute logical name → definition */
  attributes: Map<string, string>;
}

export async function storedTableDefinitions(
  db: Queryable,
  envId: number,
  tables: string[],
): Promise<Map<string, StoredTableDefinitions>> {
  const out = new Map<string, StoredTableDefinitions>(
    tables.map((t) => [t, { entity: null, attributes: new Map() }]),
  );
  if (!tables.length) return out;
  const found = await topDefinitions(
    db,
    envId,
    `(l.type = 'entity' AND l.key = ANY($2::text[]))
       OR (l.type = 'attribute' AND split_part(l.key, '.', 1) = ANY($2::text[]))`,
    [tables],
  );
  for (const r of found) {
    if (r.type === 'entity') out.get(r.key)!.entity = r.definition;
    else {
      const dot = r.key.indexOf('.');
      out.get(r.key.slice(0, dot))?.attributes.set(r.key.slice(dot + 1), r.definition);
    }
  }
  return out;
}

/**
 * The effective definitions of every component of one type (the global option sets, the
 * relationships): key → the top layer's definition, a draft before the published one.
 */
export async function storedDefinitionsOfType(
  db: Queryable,
  envId: number,
  type: 'optionset' | 'relationship' | 'environmentvariabledefinition' | 'connectionreference',
): Promise<Map<string, string>> {
  const found = await topDefinitions(db, envId, 'l.type = $2', [type]);
  return new Map(found.map((r) => [r.key, r.definition]));
}

/**
 * The top layer's definition (a draft before the published one) of each component the
 * condition on `l` picks ($1 is the environment; `params` fill $2 on).
 */
async function topDefinitions(
  db: Queryable,
  envId: number,
  where: string,
  params: unknown[],
): Promise<Array<{ type: string; key: string; definition: string }>> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT DISTINCT ON (l.type, l.key) l.type, l.key, l.solution, l.xml, l.draft_xml,
       l.content_chunk, l.content_start, l.content_length
     FROM layers l
     WHERE l.env_id = $1 AND (${where})
     ORDER BY l.type, l.key, l.ordinal DESC`,
    [envId, ...params],
  );
  const resolved = await resolveContent(
    db,
    envId,
    rows.map((r) => ({
      solution: String(r.solution),
      type: String(r.type),
      key: String(r.key),
      draft: (r.draft_xml as string) ?? null,
      xml: (r.xml as string) ?? null,
      content: contentRefOf(r),
    })),
  );
  return resolved.flatMap((r) => {
    const definition = r.draft ?? r.xml;
    return definition ? [{ type: r.type, key: r.key, definition }] : [];
  });
}

export async function storedTableNames(db: Queryable, envId: number): Promise<string[]> {
  const rows = await db.query<{ key: string }>(
    `SELECT DISTINCT key FROM layers WHERE env_id = $1 AND type = 'entity' ORDER BY key`,
    [envId],
  );
  return rows.map((r) => r.key);
}
