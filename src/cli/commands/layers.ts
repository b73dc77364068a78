/**
 * `strata components` and `strata layers`: an environment's components and one component's
 * layers, read from the copy of its layers that the last write left, or from the store
 * (cli/layer-reads.ts, decision 67). Kept apart from the other environment commands so that a
 * read answered from the copy loads no more than it needs.
 */
import { componentTypeName, resolveComponentType } from '../../model/component-types.js';
import { listComponents } from '../../store/queries.js';
import { usage, type ArgsOf, type Io } from '../command.js';
import { withLayers } from '../layer-reads.js';
import { cutList, table } from '../render.js';
import type { COMPONENTS, LAYERS } from './index.js';

/** A component type as the command line names it (a name, a code, a label), else a usage error. */
export function typeArg(input: string): string {
  const t = resolveComponentType(input);
  if (!t)
    throw usage(
      `Unknown component type "${input}".`,
      'Use a type name (entity, attribute, systemform, savedquery, webresource, ...) ' +
        'or a Dataverse type code (1, 2, 60, ...).',
    );
  return t.name;
}

export async function componentsCommand(
  { values }: ArgsOf<typeof COMPONENTS>,
  io: Io,
): Promise<number> {
  // a copy of the environment's layers answers it after a write, but for one solution's
  // components, which need the solutions' members (decision 67)
  const storeOnly = values.solution !== undefined;
  return withLayers(
    values.env,
    async (db, env) => {
      const rows = await listComponents(db, env.id, {
        solution: values.solution,
        type: values.type ? typeArg(values.type) : undefined,
      });
      if (values.json) io.out(JSON.stringify(rows, null, 2));
      else
        io.out(
          rows.length
            ? table(
                ['Type', 'Key', 'Name', 'Layers', 'Top layer', 'Unpublished'],
                rows.map((r) => [
                  componentTypeName(r),
                  r.key,
                  r.name,
                  r.layers,
                  r.top,
                  r.unpublished ? 'yes' : '',
                ]),
              ) + `\n${rows.length} component(s)`
            : 'No components match.',
        );
      return 0;
    },
    { storeOnly },
  );
}

export async function layersCommand(
  { values, positionals }: ArgsOf<typeof LAYERS>,
  io: Io,
): Promise<number> {
  if (positionals.length !== 2)
    throw usage('layers takes a type and a key: strata layers attribute account.name');
  const type = typeArg(positionals[0]);
  const key = positionals[1].toLowerCase();
  return withLayers(values.env, async (db, env) => {
    const { describeLayers } = await import('../../engine/layers.js');
    const out = await describeLayers(db, env, type, key, { xml: !!values.xml });
    const merged = out.effectiveXml !== undefined ? { xml: out.effectiveXml } : null;
    if (values.json) {
      io.out(JSON.stringify(out, null, 2));
      return 0;
    }
    io.out(
      `${componentTypeName(out)} ${key}${out.name !== key ? ` — ${out.name}` : ''} ` +
        `in ${env.name}; effective layer: ${out.effective ?? '(none published yet)'}\n`,
    );
    io.out(
      table(
        ['Order', 'Layer', 'Kind', 'Publisher', 'Version', 'State', 'Changes'],
        out.layers.map((l) => [
          l.order,
          l.solution,
          l.kind,
          l.publisher ?? '',
          l.version ?? '',
          l.draft ? (l.published ? 'published + draft' : 'draft (unpublished)') : 'published',
          typeof l.changes === 'number'
            ? `(base: ${l.changes} properties)`
            : `${l.changes.length} properties`,
        ]),
      ),
    );
    for (const l of out.layers) {
      if (typeof l.changes === 'number' || l.changes.length === 0) continue;
      io.out(`\n${l.solution} changes (relative to the layer below):`);
      const { shown, more } = cutList(l.changes, 25, !!values.full);
      for (const c of shown) io.out(`  ${c.path}: ${c.from ?? '(none)'} → ${c.to ?? '(removed)'}`);
      if (more) io.out(more);
    }
    if (values.xml)
      for (const l of out.layers)
        io.out(`\n--- ${l.solution}${l.draft ? ' (draft)' : ''} ---\n${l.draftXml ?? l.xml ?? ''}`);
    if (values.xml && merged?.xml) io.out(`\n--- effective (merged) ---\n${merged.xml}`);
    return 0;
  });
}
