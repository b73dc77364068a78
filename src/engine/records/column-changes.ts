import type { SolutionPackage } from '../../package/read.js';
import type { ImportPlan } from '../../plans/import-plan.js';
import type { Refusal } from '../../plans/refusal.js';
import { changesType } from '../../model/table-shape.js';
import { countLongerThan, loadTableShapes } from '../../store/record-tables.js';
import type { Queryable } from '../../store/store.js';
import { tableOf } from './data-at-risk.js';
import { effectiveDefinitions, shapeOfDefinitions } from './schema-sync.js';

/**
 * Changes to columns that cannot keep their data, refused before anything is written: a column
 * whose data type changes (Dataverse refuses it too), and a text column whose new maximum length
 * is shorter than values it holds (with how many). The tables are compared as they are made
 * with the shape the package's definitions would give them.
 */
export async function columnChangeRefusals(
  db: Queryable,
  envId: number,
  plan: ImportPlan,
  pkg: SolutionPackage,
): Promise<Refusal[]> {
  const incoming = plan.components.filter(
    (c) => c.action !== 'skip' && (c.type === 'entity' || c.type === 'attribute'),
  );
  const tables = [...new Set(incoming.map((c) => tableOf(c)!))];
  const made = await loadTableShapes(db, envId, tables);
  if (!made.size) return [];
  const definitions = await effectiveDefinitions(db, envId, [...made.keys()]);
  for (const c of incoming) {
    const d = definitions.get(tableOf(c)!);
    if (!d) continue;
    const xml = pkg.components[c.index].xml;
    if (c.type === 'entity') d.entity = xml;
    else d.attributes.set(c.key.slice(c.key.indexOf('.') + 1), xml);
  }
  const out: Refusal[] = [];
  for (const [table, have] of made) {
    const d = definitions.get(table);
    if (!d) continue;
    const want = shapeOfDefinitions(d);
    for (const from of have.columns) {
      const to = want.columns.find((w) => w.name === from.name);
      if (!to) continue;
      const component = { type: 'attribute', key: `${table}.${from.name}` };
      if (changesType(from, to)) {
        out.push({
          code: 'COLUMN_TYPE_CHANGED',
          message:
            `Column ${table}.${from.name} would change from ${from.type} to ${to.type}; ` +
            'a column cannot change its data type.',
          hint:
            'Add a column of the new type in another version, copy the values ' +
            '(strata data copy), then remove the old column.',
          component,
        });
        continue;
      }
      if (from.kind === 'text' && to.maxLength && to.maxLength < (from.maxLength ?? Infinity)) {
        const n = await countLongerThan(db, envId, table, from.name, to.maxLength);
        if (n)
          out.push({
            code: 'COLUMN_VALUES_TOO_LONG',
            message:
              `Column ${table}.${from.name} would take at most ${to.maxLength} characters, ` +
              `but ${n} of its values are longer.`,
            hint: 'Shorten or move those values first (strata data query, the record API).',
            component,
          });
      }
    }
  }
  return out;
}
