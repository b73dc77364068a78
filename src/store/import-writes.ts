import { componentType } from '../model/component-types.js';
import { entry, identity } from '../model/component.js';
import { StrataError } from '../model/errors.js';
import { ACTIVE_ORDINAL } from '../plans/layer-order.js';
import type { ImportPlan, PlannedComponent } from '../plans/import-plan.js';
import { definedKeys, type SolutionPackage } from '../package/read.js';
import { guidKey } from '../package/customizations/fragment.js';
import { insertRows, type ColumnSpec } from './bulk.js';
import { jsonRowsInBlocks } from './json-rows.js';
import { encodeRequires, SQL_KEY, sqlKeyOf } from './component-keys.js';
import { lockRevision } from './revision.js';
import { manifestText } from './solution-manifest.js';
import { bumpRevision } from './revisions.js';
import {
  type ContentRef,
  deflateChunks,
  dropUnreferencedContent,
  packContent,
  writeContentChunks,
  writePackageFileChunk,
} from './layer-content.js';
import { deleteLayerRows, removeLayers, removeSolutionRows } from './lifecycle-writes.js';
import type { Queryable } from './store.js';

/** Test hook: throw after a named step, inside the transaction (fault-injection tests). */
export interface WriteFaults {
  /** `tables`, `parameters`: after the record tables, and the values given (engine/import.ts) */
  failAfter?: 'solution' | 'layers' | 'files' | 'membership' | 'content' | 'tables' | 'parameters';
}

const INLINE_LAYER_COLUMNS: ColumnSpec[] = [
  ['env_id', 'int'],
  ['type', 'text'],
  ['key', 'text'],
  ['solution', 'text'],
  ['kind', 'text'],
  ['ordinal', 'bigint'],
  ['name', 'text'],
  ['parent_type', 'text'],
  ['parent_key', 'text'],
  ['xml', 'text'],
  ['hash', 'text'],
  ['draft_xml', 'text'],
  ['draft_hash', 'text'],
  ['state', 'text'],
  ['requires', 'text'],
  ['place', 'text'],
];
const MANAGED_LAYER_COLUMNS: ColumnSpec[] = [
  ['env_id', 'int'],
  ['type', 'text'],
  ['key', 'text'],
  ['solution', 'text'],
  ['kind', 'text'],
  ['ordinal', 'bigint'],
  ['name', 'text'],
  ['parent_type', 'text'],
  ['parent_key', 'text'],
  ['hash', 'text'],
  ['state', 'text'],
  ['content_chunk', 'int'],
  ['content_start', 'int'],
  ['content_length', 'int'],
  ['root_behavior', 'int'],
  ['requires', 'text'],
  ['place', 'text'],
];
const FILE_COLUMNS: ColumnSpec[] = [
  ['env_id', 'int'],
  ['type', 'text'],
  ['key', 'text'],
  ['solution', 'text'],
  ['path', 'text'],
  ['content', 'bytea'],
];
const MEMBER_COLUMNS: ColumnSpec[] = [
  ['env_id', 'int'],
  ['solution', 'text'],
  ['type', 'text'],
  ['key', 'text'],
  ['root_behavior', 'int'],
];

export function fault(
  faults: WriteFaults | undefined,
  step: NonNullable<WriteFaults['failAfter']>,
): void {
  if (faults?.failAfter === step)
    throw new StrataError('FAULT_INJECTED', `Injected failure after writing ${step}.`);
}

/**
 * The components whose definitions writeImport reads from the package itself: those it writes a
 * System or an Active layer from, and those whose Active layer it overwrites. A managed layer
 * points into the compressed document instead (store/layer-content.ts).
 */
export function readsDefinition(plan: ImportPlan): (c: { type: string; key: string }) => boolean {
  const overwritten = new Set(overwrittenCustomizations(plan).map((x) => identity(x.type, x.key)));
  const read = new Set(
    plan.components
      .filter(
        (p) => p.systemLayer || p.layer === 'active' || overwritten.has(identity(p.type, p.key)),
      )
      .map((p) => identity(p.type, p.key)),
  );
  return (c) => read.has(identity(c.type, c.key));
}

/** Customizations whose Active layer takes the incoming definition (overwrite). */
function overwrittenCustomizations(plan: ImportPlan): ImportPlan['customizations'] {
  return plan.customizations.filter((x) => x.effect === 'overwritten');
}

/**
 * Writes an import plan into the environment inside the caller's transaction. Checks first that
 * the environment is still at the revision the plan was made against (row lock, so concurrent
 * writers serialize), then writes publisher, solution, layers, files, membership and layer content.
 */
export async function writeImport(
  tx: Queryable,
  envId: number,
  plan: ImportPlan,
  pkg: SolutionPackage,
  faults?: WriteFaults,
): Promise<void> {
  await lockRevision(tx, envId, plan.environmentRevision, plan.environment);
  const s = plan.solution;
  const pub = plan.publisher.definition;
  if (plan.publisher.action === 'create') {
    await tx.query(
      `INSERT INTO publishers (env_id, unique_name, friendly_name, customization_prefix,
         option_value_prefix, definition)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        envId,
        pub.uniqueName,
        pub.names.find((n) => n.languageCode === 1033)?.text ??
          pub.names[0]?.text ??
          pub.uniqueName,
        pub.customizationPrefix,
        pub.optionValuePrefix,
        JSON.stringify(pub),
      ],
    );
  } else if (plan.publisher.action === 'update') {
    await tx.query(
      `UPDATE publishers SET customization_prefix = $3, option_value_prefix = $4, definition = $5
       WHERE env_id = $1 AND unique_name = $2`,
      [envId, pub.uniqueName, pub.customizationPrefix, pub.optionValuePrefix, JSON.stringify(pub)],
    );
  }
  // the solution row: new (install, patch, holding) or the installed one, updated in place
  const replacing = plan.kind === 'upgrade' || plan.kind === 'update';
  const manifest = manifestText({
    rootComponents: s.rootComponents,
    solutionXml: pkg.solutionXml.length > 2_000_000 ? null : pkg.solutionXml,
    layout: pkg.layout,
  });
  if (replacing) {
    await tx.query(
      `UPDATE solutions SET friendly_name = $3, description = $4, version = $5, publisher = $6,
         package_hash = $7, manifest = $8, updated_on = now()
       WHERE env_id = $1 AND unique_name = $2`,
      [
        envId,
        s.uniqueName,
        s.friendlyName,
        s.description,
        s.version,
        s.publisher,
        plan.packageHash,
        manifest,
      ],
    );
  } else {
    await tx.query(
      `INSERT INTO solutions (env_id, unique_name, friendly_name, description, version, managed,
         publisher, parent_unique_name, is_holding, install_order, package_hash, manifest)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        envId,
        s.uniqueName,
        s.friendlyName,
        s.description,
        s.version,
        s.managed,
        s.publisher,
        s.parentUniqueName,
        s.isHolding,
        s.installOrder,
        plan.packageHash,
        manifest,
      ],
    );
  }
  fault(faults, 'solution');

  // an upgrade rolls the patches up (their layers go) and removes what the new version dropped
  for (const patch of plan.rolledUp) await removeSolutionRows(tx, envId, patch);
  await removeLayers(tx, envId, plan.deletes);

  const writing = plan.components.filter((p) => p.layer !== 'none');
  const xmlOf = (i: number): string => pkg.components[i].xml;
  // A layer records what it requires outside its own package: what the package itself provides
  // comes and goes with the solution's layers, so only outside references can be left dangling by
  // an uninstall or upgrade elsewhere (the dependents check reads these)
  const inPackage = definedKeys(pkg);
  const placeOf = (i: number): string | null => pkg.components[i].place ?? null;
  const requiresOf = (i: number): string | null => {
    const r = pkg.components[i].requires;
    if (!r || r.length === 0) return null;
    return encodeRequires(r.filter((x) => !inPackage.get(x.type)?.has(x.key)));
  };

  // managed layers are immutable: their XML goes into compressed chunks (store/layer-content.ts),
  // deflated on the thread pool while the rows below are written; a changed layer is replaced whole
  const managed = writing.filter((p) => p.layer === 'managed');
  // what the solution already has (read once): its layers, for membership and for the requires of
  // unchanged ones
  const layerOf = s.managed ? s.uniqueName : 'Active';
  const existingLayers = replacing
    ? (
        await jsonRowsInBlocks<[string, string, string | null]>(
          tx,
          {
            columns: 'type, key, requires',
            table: 'layers',
            where: `env_id = $1 AND solution = $2${s.managed ? '' : ' AND requires IS NOT NULL'}`,
          },
          [envId, layerOf],
        )
      ).map(([type, key, requires]) => ({ type, key, requires }))
    : [];
  if (replacing)
    await deleteLayerRows(
      tx,
      envId,
      s.uniqueName,
      managed.filter((p) => p.action === 'update'),
    );
  const firstChunk = replacing
    ? Number(
        (
          await tx.query<{ n: number }>(
            `SELECT coalesce(max(chunk) + 1, 0) AS n FROM layer_content
             WHERE env_id = $1 AND solution = $2`,
            [envId, s.uniqueName],
          )
        )[0].n,
      )
    : 0;
  // definitions sliced from customizations.xml point into the zip's own compressed copy of it,
  // which becomes the chunk after the packed ones; only the rest is packed and deflated here
  const document = pkg.customizationsDeflated;
  const inDocument = (p: PlannedComponent): boolean =>
    document !== undefined && pkg.components[p.index].inDocument === true;
  const { refs: packedRefs, chunks } = packContent(
    managed.filter((p) => !inDocument(p)).map((p) => xmlOf(p.index)),
  );
  const documentChunk = chunks.length;
  // where each managed layer's definition lives: a slice of the document, or its packed place
  const packedAt = new Int32Array(managed.length).fill(-1);
  for (let i = 0, packed = 0; i < managed.length; i++)
    if (!inDocument(managed[i])) packedAt[i] = packed++;
  const refOf = (i: number): ContentRef => {
    if (packedAt[i] >= 0) return packedRefs[packedAt[i]];
    const { start, end } = pkg.components[managed[i].index].origin;
    return { chunk: documentChunk, start, length: end - start };
  };
  const deflating = deflateChunks(chunks);
  deflating.catch(() => undefined); // awaited below; a failure before then must not go unhandled

  // root components by type code, then key (no string built per row)
  const roots = new Map<number | null, Map<string, number>>();
  for (const r of s.rootComponents)
    entry(roots, r.typeCode, () => new Map<string, number>()).set(
      r.id ? guidKey(r.id) : (r.schemaName ?? '').toLowerCase(),
      r.behavior,
    );
  const rootBehavior = (p: PlannedComponent): number | null =>
    roots.get(componentType(p.type).code)?.get(p.key) ?? null;
  // layer rows go in primary-key order (type, key): the B-tree then takes them at its right edge
  // instead of all over; measured on 10,000 rows, the COPY is about 15 % faster
  await insertRows(
    tx,
    'layers',
    INLINE_LAYER_COLUMNS,
    byTypeAndKey(
      writing
        .filter((p) => p.systemLayer)
        .map((p) => [
          envId,
          p.type,
          p.key,
          'System',
          'system',
          0,
          p.name,
          p.parent?.type ?? null,
          p.parent?.key ?? null,
          xmlOf(p.index),
          p.hash,
          null,
          null,
          null,
          requiresOf(p.index),
          placeOf(p.index),
        ]),
    ),
    'ON CONFLICT DO NOTHING',
  );
  // made a piece at a time (store/bulk.ts Rows), not 105,001 arrays of 17 values at once
  const managedOrder = inTypeAndKeyOrder(managed);
  await insertRows(tx, 'layers', MANAGED_LAYER_COLUMNS, {
    length: managedOrder.length,
    row: (n) => {
      const i = managedOrder[n];
      const p = managed[i];
      const ref = refOf(i);
      return [
        envId,
        p.type,
        p.key,
        s.uniqueName,
        'managed',
        s.ordinal,
        p.name,
        p.parent?.type ?? null,
        p.parent?.key ?? null,
        p.hash,
        p.state ?? null,
        firstChunk + ref.chunk,
        ref.start,
        ref.length,
        rootBehavior(p),
        requiresOf(p.index),
        placeOf(p.index),
      ];
    },
  });
  await insertRows(
    tx,
    'layers',
    INLINE_LAYER_COLUMNS,
    byTypeAndKey(
      writing
        .filter((p) => p.layer === 'active')
        .map((p) => [
          envId,
          p.type,
          p.key,
          'Active',
          'active',
          ACTIVE_ORDINAL,
          p.name,
          p.parent?.type ?? null,
          p.parent?.key ?? null,
          p.draft ? null : (p.definition ?? xmlOf(p.index)),
          p.draft ? null : p.hash,
          p.draft ? (p.definition ?? xmlOf(p.index)) : null,
          p.draft ? p.hash : null,
          p.state ?? null,
          requiresOf(p.index),
          placeOf(p.index),
        ]),
    ),
    `ON CONFLICT (env_id, type, key, solution) DO UPDATE SET
      xml = CASE WHEN EXCLUDED.draft_xml IS NULL THEN EXCLUDED.xml ELSE layers.xml END,
      hash = CASE WHEN EXCLUDED.draft_xml IS NULL THEN EXCLUDED.hash ELSE layers.hash END,
      draft_xml = EXCLUDED.draft_xml, draft_hash = EXCLUDED.draft_hash, state = EXCLUDED.state,
      name = EXCLUDED.name, requires = EXCLUDED.requires, place = EXCLUDED.place,
      updated_on = now()`,
  );
  // overwrite customizations: the incoming definition is copied into the Active layer, which stays
  const overwritten = overwrittenCustomizations(plan);
  const incoming = new Map(
    overwritten.length ? writing.map((p) => [identity(p.type, p.key), p]) : [],
  );
  for (const c of overwritten) {
    const p = incoming.get(identity(c.type, c.key));
    if (!p) continue;
    await tx.query(
      `UPDATE layers SET xml = $4, hash = $5, draft_xml = NULL, draft_hash = NULL, requires = $6,
         updated_on = now()
       WHERE env_id = $1 AND type = $2 AND key = $3 AND solution = 'Active'`,
      [envId, p.type, p.key, xmlOf(p.index), p.hash, requiresOf(p.index)],
    );
  }
  // an unchanged (skipped) layer keeps its row; what it requires outside the new package is
  // refreshed
  if (replacing) {
    const stored = new Map(
      existingLayers
        .filter((r) => r.requires !== null)
        .map((r) => [identity(r.type, r.key), r.requires]),
    );
    for (const p of plan.components) {
      if (p.action !== 'skip' || !p.reason.startsWith('unchanged')) continue;
      const now = requiresOf(p.index);
      if ((stored.get(identity(p.type, p.key)) ?? null) === now) continue;
      await tx.query(
        `UPDATE layers SET requires = $5
         WHERE env_id = $1 AND type = $2 AND key = $3 AND solution = $4`,
        [envId, p.type, p.key, layerOf, now],
      );
    }
  }
  fault(faults, 'layers');

  // files of a new managed layer are new; the Active layer may already hold older ones
  const fileRows = (layer: 'managed' | 'active'): unknown[][] =>
    writing
      .filter((p) => p.layer === layer)
      .flatMap((p) =>
        (pkg.components[p.index].files ?? []).flatMap((f) => {
          const content = pkg.files.get(f);
          return content
            ? [[envId, p.type, p.key, layer === 'managed' ? s.uniqueName : 'Active', f, content]]
            : [];
        }),
      );
  await insertRows(tx, 'layer_files', FILE_COLUMNS, fileRows('managed'));
  await insertRows(
    tx,
    'layer_files',
    FILE_COLUMNS,
    fileRows('active'),
    'ON CONFLICT (env_id, type, key, solution, path) DO UPDATE SET content = EXCLUDED.content',
  );
  fault(faults, 'files');

  // a managed layer is its solution's membership (view solution_members); the other members get a
  // row: every component of an unmanaged solution, and components without a layer (shells, skipped
  // forms). An upgrade's membership is the new version's; an update adds to the old one.
  // (a new install has no existing layers: what gets a managed layer now is all there is)
  const held = new Set(s.managed ? existingLayers.map((l) => identity(l.type, l.key)) : []);
  const layered = (p: PlannedComponent): boolean =>
    p.layer === 'managed' || (held.size > 0 && held.has(identity(p.type, p.key)));
  if (plan.kind === 'upgrade')
    await tx.query('DELETE FROM solution_components WHERE env_id = $1 AND solution = $2', [
      envId,
      s.uniqueName,
    ]);
  else if (replacing && (managed.length || held.size)) {
    const ids = new Set([...managed.map((p) => identity(p.type, p.key)), ...held]);
    await tx.query(
      `DELETE FROM solution_components
       WHERE env_id = $1 AND solution = $2 AND ${SQL_KEY} = ANY($3::text[])`,
      [envId, s.uniqueName, [...ids].map(sqlKeyOf)],
    );
  }
  // plan.components holds each component once (the reader collapses identical duplicates)
  const members = plan.components.filter((p) => !layered(p));
  await insertRows(
    tx,
    'solution_components',
    MEMBER_COLUMNS,
    members.map((p) => [envId, s.uniqueName, p.type, p.key, rootBehavior(p)]),
    replacing
      ? `ON CONFLICT (env_id, solution, type, key)
         DO UPDATE SET root_behavior = EXCLUDED.root_behavior`
      : '',
  );
  fault(faults, 'membership');

  await writeContentChunks(tx, envId, s.uniqueName, await deflating, firstChunk);
  if (document && packedRefs.length < managed.length)
    await writePackageFileChunk(tx, envId, s.uniqueName, firstChunk + documentChunk, document);
  if (replacing) await dropUnreferencedContent(tx, envId, s.uniqueName);
  fault(faults, 'content');

  await tx.query(
    `UPDATE environments SET next_install_order = GREATEST(next_install_order, $2 + 1)
     WHERE id = $1`,
    [envId, s.installOrder],
  );
  await bumpRevision(tx, envId);
}

/** Sorts layer rows (env_id, type, key, ...) by type, then key. */
function byTypeAndKey(rows: unknown[][]): unknown[][] {
  return rows.sort((a, b) =>
    compareTypeAndKey(a[1] as string, a[2] as string, b[1] as string, b[2] as string),
  );
}

/** The positions of `items` in (type, key) order, as byTypeAndKey orders rows. */
function inTypeAndKeyOrder(items: ReadonlyArray<{ type: string; key: string }>): number[] {
  return items
    .map((_, i) => i)
    .sort((x, y) => compareTypeAndKey(items[x].type, items[x].key, items[y].type, items[y].key));
}

function compareTypeAndKey(ta: string, ka: string, tb: string, kb: string): number {
  if (ta !== tb) return ta < tb ? -1 : 1;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
