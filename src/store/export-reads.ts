import { identity } from '../model/component.js';
import type { ExportComponent } from '../package/export.js';
import type { PackageLayout } from '../package/layout.js';
import { contentRefOf, resolveContent } from './layer-content.js';
import { manifestOf } from './solution-manifest.js';
import type { Queryable } from './store.js';

/**
 * What an export needs from the store: the solution's row, its members with the definition to
 * export (a managed solution: its own layers; an unmanaged one: each member's published Active
 * definition, else the top managed one), and the files of those layers.
 */
export interface SolutionExportData {
  solution: {
    uniqueName: string;
    version: string;
    managed: boolean;
    publisher: string;
    friendlyName: string;
    solutionXml: string | null;
    /** a patch's parent, and the parent's manifest when the patch has none (clone-patch) */
    parentUniqueName: string | null;
    parentSolutionXml: string | null;
    /** the imported package's section order and content types (none for older imports) */
    layout: PackageLayout | null;
  };
  components: ExportComponent[];
  files: Map<string, Uint8Array>;
  /** members without a definition to export (never published, unmodified forms) */
  skipped: Array<{ type: string; key: string; reason: string }>;
}

interface LayerRow {
  type: string;
  key: string;
  name: string;
  parent_type: string | null;
  parent_key: string | null;
  place: string | null;
  solution: string;
  kind: string;
  xml: string | null;
  draft_xml?: string | null;
  content_chunk: number | null;
  content_start: number | null;
  content_length: number | null;
  ordinal: number;
}

export async function readSolutionForExport(
  db: Queryable,
  envId: number,
  solution: string,
): Promise<SolutionExportData | null> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT s.unique_name, s.version, s.managed, s.publisher, s.friendly_name,
       s.parent_unique_name, s.manifest, p.manifest AS parent_manifest
     FROM solutions s LEFT JOIN solutions p
       ON p.env_id = s.env_id AND p.unique_name = s.parent_unique_name
     WHERE s.env_id = $1 AND lower(s.unique_name) = lower($2)`,
    [envId, solution],
  );
  if (!rows[0]) return null;
  const r = rows[0];
  // asked for in any case: the layers and members are kept under the name as installed
  solution = String(r.unique_name);
  const manifest = manifestOf(r.manifest);
  const solutionXml = manifest?.solutionXml ?? null;
  const info = {
    uniqueName: String(r.unique_name),
    version: String(r.version),
    managed: Boolean(r.managed),
    publisher: String(r.publisher),
    friendlyName: String(r.friendly_name),
    solutionXml,
    parentUniqueName: r.parent_unique_name ? String(r.parent_unique_name) : null,
    parentSolutionXml:
      solutionXml === null ? (manifestOf(r.parent_manifest)?.solutionXml ?? null) : null,
    layout: manifest?.layout ?? null,
  };
  const cols = `l.type, l.key, l.name, l.parent_type, l.parent_key, l.place, l.solution,
     l.kind, l.xml, l.content_chunk, l.content_start, l.content_length, l.ordinal`;
  const skipped: SolutionExportData['skipped'] = [];
  let chosen: LayerRow[];
  if (info.managed) {
    chosen = await db.query<LayerRow & Record<string, unknown>>(
      `SELECT ${cols} FROM layers l WHERE l.env_id = $1 AND l.solution = $2
       ORDER BY l.content_chunk, l.content_start, l.type, l.key`,
      [envId, solution],
    );
  } else {
    const all = await db.query<LayerRow & Record<string, unknown>>(
      `SELECT ${cols}, l.draft_xml FROM solution_components sc
       JOIN layers l ON l.env_id = sc.env_id AND l.type = sc.type AND l.key = sc.key
       WHERE sc.env_id = $1 AND sc.solution = $2
         AND (l.kind = 'managed'
           OR (l.kind = 'active' AND (l.xml IS NOT NULL OR l.draft_xml IS NOT NULL)))
       ORDER BY l.type, l.key, l.ordinal DESC`,
      [envId, solution],
    );
    chosen = exportedLayers(all);
  }
  const resolved = await resolveContent(
    db,
    envId,
    chosen.map((l) => ({
      ...l,
      content: contentRefOf(l),
    })),
  );
  const components: ExportComponent[] = resolved.map((l) => ({
    type: l.type,
    key: l.key,
    name: l.name,
    xml: l.xml ?? '',
    place: l.place,
    parent: l.parent_type && l.parent_key ? { type: l.parent_type, key: l.parent_key } : null,
  }));
  // members without a layer of their own: tables included as containers get an empty shell
  const have = new Set(components.map((c) => identity(c.type, c.key)));
  const members = await db.query<{ type: string; key: string }>(
    `SELECT type, key FROM solution_components WHERE env_id = $1 AND solution = $2
     ORDER BY type, key`,
    [envId, solution],
  );
  for (const m of members) {
    if (have.has(identity(m.type, m.key))) continue;
    if (m.type === 'entity')
      components.push({
        type: 'entity',
        key: m.key,
        name: m.key,
        xml: info.layout?.shells[m.key] ?? `<Entity><Name>${m.key}</Name></Entity>`,
        place: null,
        parent: null,
        shell: true,
      });
    else
      skipped.push({
        type: m.type,
        key: m.key,
        reason: info.managed ? 'no layer of this solution' : 'no published definition',
      });
  }
  const fileLayer = info.managed ? solution : 'Active';
  const fileRows = await db.query<{ path: string; b64: string; type: string; key: string }>(
    `SELECT f.path, encode(f.content, 'base64') AS b64, f.type, f.key FROM layer_files f
     WHERE f.env_id = $1 AND f.solution = $2`,
    [envId, fileLayer],
  );
  const files = new Map<string, Uint8Array>();
  for (const f of fileRows)
    if (have.has(identity(f.type, f.key)))
      files.set(f.path, new Uint8Array(Buffer.from(f.b64, 'base64')));
  return { solution: info, components, files, skipped };
}

/**
 * An unmanaged solution's member exports its published definition: the Active layer's, else the
 * top managed one. A member with neither exists only as a draft (an unmanaged import created it
 * and nothing was published since): it exists all the same, as a table or column does in
 * Dataverse as soon as the import that creates it completes, and exports as that draft. Only a
 * change to something already published waits for publishing. `rows`: each member's layers, top
 * first.
 */
function exportedLayers(rows: LayerRow[]): LayerRow[] {
  const byMember = new Map<string, LayerRow[]>();
  for (const l of rows) {
    const k = identity(l.type, l.key);
    byMember.set(k, [...(byMember.get(k) ?? []), l]);
  }
  const out: LayerRow[] = [];
  for (const layers of byMember.values()) {
    const published = layers.find((l) => l.kind === 'managed' || l.xml !== null);
    const draft = layers.find((l) => l.kind === 'active' && l.draft_xml);
    if (published) out.push(published);
    else if (draft) out.push({ ...draft, xml: draft.draft_xml! });
  }
  return out;
}
