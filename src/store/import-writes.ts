import { componentType } from '../model/component-types.js';
import { StrataError } from '../model/errors.js';
import { ACTIVE_ORDINAL } from '../engine/plan.js';
import type { ImportPlan } from '../engine/plan-types.js';
import type { SolutionPackage } from '../package/read.js';
import { guidKey } from '../package/customizations/fragment.js';
import { insertRows } from './bulk.js';
import type { Queryable } from './store.js';

/** Test hook: throw after a named step, inside the transaction (fault-injection tests). */
export interface WriteFaults { failAfter?: 'solution' | 'components' | 'layers' | 'files' | 'membership' }

function fault(faults: WriteFaults | undefined, step: NonNullable<WriteFaults['failAfter']>): void {
  if (faults?.failAfter === step) throw new StrataError('FAULT_INJECTED', `Injected failure after writing ${step}.`);
}

/**
 * Writes an import plan into the environment inside the caller's transaction. Checks first that
 * the environment is still at the revision the plan was made against (row lock, so concurrent
 * writers serialize), then writes publisher, solution, components, layers, files and membership.
 */
export async function writeImport(tx: Queryable, envId: number, plan: ImportPlan, pkg: SolutionPackage, faults?: WriteFaults): Promise<void> {
  const rev = await tx.query<{ revision: number }>('SELECT revision FROM environments WHERE id = $1 FOR UPDATE', [envId]);
  if (!rev[0] || Number(rev[0].revision) !== plan.environmentRevision) {
    throw new StrataError('ENVIRONMENT_CHANGED', `Environment ${plan.environment} changed since this plan was made (revision ${plan.environmentRevision}, now ${rev[0]?.revision ?? 'gone'}).`, {
      hint: 'Run the plan again and review it before importing.',
    });
  }
  const s = plan.solution;
  const pub = plan.publisher.definition;
  if (plan.publisher.action === 'create') {
    await tx.query(
      'INSERT INTO publishers (env_id, unique_name, friendly_name, customization_prefix, option_value_prefix, definition) VALUES ($1, $2, $3, $4, $5, $6)',
      [envId, pub.uniqueName, pub.names.find((n) => n.languageCode === 1033)?.text ?? pub.names[0]?.text ?? pub.uniqueName, pub.customizationPrefix, pub.optionValuePrefix, JSON.stringify(pub)],
    );
  }
  await tx.query(
    `INSERT INTO solutions (env_id, unique_name, friendly_name, description, version, managed, publisher, parent_unique_name, install_order, package_hash, manifest)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [envId, s.uniqueName, s.friendlyName, s.description, s.version, s.managed, s.publisher, s.parentUniqueName, s.installOrder, plan.packageHash,
      JSON.stringify({ rootComponents: s.rootComponents, solutionXml: pkg.solutionXml.length > 2_000_000 ? null : pkg.solutionXml })],
  );
  fault(faults, 'solution');

  const writing = plan.components.filter((p) => p.layer !== 'none');
  await insertRows(tx, 'components', [['env_id', 'int'], ['type', 'text'], ['key', 'text'], ['name', 'text'], ['parent_type', 'text'], ['parent_key', 'text']],
    writing.map((p) => ({ env_id: envId, type: p.type, key: p.key, name: p.name, parent_type: p.parent?.type ?? null, parent_key: p.parent?.key ?? null })),
    'ON CONFLICT (env_id, type, key) DO NOTHING');
  fault(faults, 'components');

  const layerCols: Array<[string, string]> = [['env_id', 'int'], ['type', 'text'], ['key', 'text'], ['solution', 'text'], ['kind', 'text'], ['ordinal', 'bigint'], ['xml', 'text'], ['hash', 'text'], ['draft_xml', 'text'], ['draft_hash', 'text'], ['state', 'text']];
  const xmlOf = (i: number): string => pkg.components[i].xml;
  await insertRows(tx, 'layers', layerCols, writing.filter((p) => p.systemLayer).map((p) => ({
    env_id: envId, type: p.type, key: p.key, solution: 'System', kind: 'system', ordinal: 0, xml: xmlOf(p.index), hash: p.hash, draft_xml: null, draft_hash: null, state: null,
  })), 'ON CONFLICT DO NOTHING');
  await insertRows(tx, 'layers', layerCols, writing.filter((p) => p.layer === 'managed').map((p) => ({
    env_id: envId, type: p.type, key: p.key, solution: s.uniqueName, kind: 'managed', ordinal: s.ordinal, xml: xmlOf(p.index), hash: p.hash, draft_xml: null, draft_hash: null, state: p.state ?? null,
  })));
  await insertRows(tx, 'layers', layerCols, writing.filter((p) => p.layer === 'active').map((p) => ({
    env_id: envId, type: p.type, key: p.key, solution: 'Active', kind: 'active', ordinal: ACTIVE_ORDINAL,
    xml: p.draft ? null : xmlOf(p.index), hash: p.draft ? null : p.hash, draft_xml: p.draft ? xmlOf(p.index) : null, draft_hash: p.draft ? p.hash : null, state: p.state ?? null,
  })), `ON CONFLICT (env_id, type, key, solution) DO UPDATE SET
      xml = CASE WHEN EXCLUDED.draft_xml IS NULL THEN EXCLUDED.xml ELSE layers.xml END,
      hash = CASE WHEN EXCLUDED.draft_xml IS NULL THEN EXCLUDED.hash ELSE layers.hash END,
      draft_xml = EXCLUDED.draft_xml, draft_hash = EXCLUDED.draft_hash, state = EXCLUDED.state, updated_on = now()`);
  fault(faults, 'layers');

  const fileRows: Array<Record<string, unknown>> = [];
  for (const p of writing) {
    const c = pkg.components[p.index];
    const layerSolution = p.layer === 'managed' ? s.uniqueName : 'Active';
    for (const f of c.files ?? []) {
      const bytes = pkg.files.get(f);
      if (bytes) fileRows.push({ env_id: envId, type: p.type, key: p.key, solution: layerSolution, path: f, content: Buffer.from(bytes).toString('base64') });
    }
  }
  await insertRows(tx, 'layer_files', [['env_id', 'int'], ['type', 'text'], ['key', 'text'], ['solution', 'text'], ['path', 'text'], ['content', 'bytea']], fileRows,
    'ON CONFLICT (env_id, type, key, solution, path) DO UPDATE SET content = EXCLUDED.content');
  fault(faults, 'files');

  const roots = new Map<string, number>();
  for (const r of s.rootComponents) {
    const key = r.id ? guidKey(r.id) : (r.schemaName ?? '').toLowerCase();
    roots.set(`${r.typeCode}\u0000${key}`, r.behavior);
  }
  await insertRows(tx, 'solution_components', [['env_id', 'int'], ['solution', 'text'], ['type', 'text'], ['key', 'text'], ['root_behavior', 'int']],
    plan.components.map((p) => ({
      env_id: envId, solution: s.uniqueName, type: p.type, key: p.key,
      root_behavior: roots.get(`${componentType(p.type).code}\u0000${p.key}`) ?? null,
    })), 'ON CONFLICT DO NOTHING');
  fault(faults, 'membership');

  await tx.query(
    `UPDATE environments SET revision = revision + 1, next_install_order = GREATEST(next_install_order, $2 + 1) WHERE id = $1`,
    [envId, s.installOrder],
  );
}
