import { catalogComponents } from '../../catalog/catalog.js';
import type { TableShape } from '../../model/table-shape.js';
import { optionLabelsOf } from '../../package/customizations/option-labels.js';
import { environmentRevision } from '../../store/environments.js';
import { storedTableNames } from '../../store/table-definitions.js';
import type { Queryable } from '../../store/store.js';
import { effectiveDefinitions, shapeOfDefinitions } from './schema-sync.js';

/**
 * Every table of an environment with its shape, as its effective definitions give it: the entity components
 * stored in the environment and, unless it was created empty, the standard tables of the
 * catalog (its System layer). The Web API resolves entity set names against it and describes
 * it in $metadata. Deriving it parses every entity's definitions, so it is kept per (store,
 * environment) and made again only when the environment's revision moves: every change to
 * definitions (import, uninstall, customize, publish) moves it.
 */
export interface EnvironmentShapes {
  envId: number;
  revision: number;
  /** every table, by logical name */
  readonly tables: readonly TableShape[];
  byName(table: string): TableShape | undefined;
  /** the table whose EntitySetName this is (case-sensitive, as Dataverse's) */
  bySet(entitySetName: string): TableShape | undefined;
  /** a choice, state, status or yes/no column's option labels, by value */
  optionLabels(table: string, column: string): ReadonlyMap<number, string> | undefined;
}

const cache = new WeakMap<object, Map<number, EnvironmentShapes>>();

/** The environment's tables; null when the environment no longer exists. */
export async function environmentShapes(
  db: Queryable,
  envId: number,
): Promise<EnvironmentShapes | null> {
  const state = await environmentRevision(db, envId);
  if (!state) return null;
  const perStore = cache.get(db) ?? new Map<number, EnvironmentShapes>();
  cache.set(db, perStore);
  const known = perStore.get(envId);
  if (known?.revision === state.revision) return known;
  const made = await deriveTables(db, envId, state.revision, state.base !== 'empty');
  // a change that committed while the definitions were read would leave them half old: keep
  // the answer only when the revision stood still
  const after = await environmentRevision(db, envId);
  if (after?.revision === state.revision) perStore.set(envId, made);
  return made;
}

async function deriveTables(
  db: Queryable,
  envId: number,
  revision: number,
  withCatalog: boolean,
): Promise<EnvironmentShapes> {
  const names = new Set(await storedTableNames(db, envId));
  if (withCatalog) for (const c of catalogComponents()) if (c.type === 'entity') names.add(c.key);
  const definitions = await effectiveDefinitions(db, envId, [...names].sort());
  const byName = new Map<string, TableShape>();
  const bySet = new Map<string, TableShape>();
  const labels = new Map<string, Map<number, string>>();
  for (const [table, d] of definitions) {
    const shape = shapeOfDefinitions(d);
    byName.set(table, shape);
    if (!bySet.has(shape.entitySetName)) bySet.set(shape.entitySetName, shape);
    for (const c of shape.columns) {
      const xml = d.attributes.get(c.name);
      if (!xml || (c.kind !== 'choice' && c.kind !== 'choices' && c.kind !== 'boolean')) continue;
      const found = optionLabelsOf(xml);
      if (found.size) labels.set(`${table}.${c.name}`, found);
    }
  }
  return {
    envId,
    revision,
    tables: [...byName.values()],
    byName: (t) => byName.get(t),
    bySet: (s) => bySet.get(s),
    optionLabels: (t, c) => labels.get(`${t}.${c}`),
  };
}
