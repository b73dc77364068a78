import type { ComponentRef } from '../model/errors.js';
import { decodeRequires } from './component-keys.js';
import type { Queryable } from './store.js';

/**
 * An environment's solutions, publishers and solution members as they are stored, one row per
 * record: what the Web API's entity sets (server/webapi/entity-sets.ts) map to Dataverse's
 * columns, and the lookups by name the server's actions need.
 */
export interface SolutionRecord {
  uniqueName: string;
  friendlyName: string;
  description: string | null;
  version: string;
  managed: boolean;
  publisher: string;
  parentUniqueName: string | null;
  isHolding: boolean;
  installOrder: number;
  installedOn: string | null;
  updatedOn: string | null;
}

const iso = (v: unknown): string | null => (v ? new Date(v as string).toISOString() : null);

/** An environment's solutions in install order. */
export async function solutionRecords(db: Queryable, envId: number): Promise<SolutionRecord[]> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT unique_name, friendly_name, description, version, managed, publisher,
       parent_unique_name, is_holding, install_order, installed_on, updated_on
     FROM solutions WHERE env_id = $1 ORDER BY install_order, unique_name`,
    [envId],
  );
  return rows.map((r) => ({
    uniqueName: String(r.unique_name),
    friendlyName: String(r.friendly_name),
    description: (r.description as string) ?? null,
    version: String(r.version),
    managed: Boolean(r.managed),
    publisher: String(r.publisher),
    parentUniqueName: (r.parent_unique_name as string) ?? null,
    isHolding: Boolean(r.is_holding),
    installOrder: Number(r.install_order),
    installedOn: iso(r.installed_on),
    updatedOn: iso(r.updated_on),
  }));
}

export interface PublisherRecord {
  uniqueName: string;
  friendlyName: string;
  customizationPrefix: string;
  optionValuePrefix: number | null;
  createdOn: string | null;
}

/** An environment's publishers by unique name. */
export async function publisherRecords(db: Queryable, envId: number): Promise<PublisherRecord[]> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT unique_name, friendly_name, customization_prefix, option_value_prefix, created_on
     FROM publishers WHERE env_id = $1 ORDER BY unique_name`,
    [envId],
  );
  return rows.map((r) => ({
    uniqueName: String(r.unique_name),
    friendlyName: String(r.friendly_name),
    customizationPrefix: String(r.customization_prefix),
    optionValuePrefix:
      r.option_value_prefix === null || r.option_value_prefix === undefined
        ? null
        : Number(r.option_value_prefix),
    createdOn: iso(r.created_on),
  }));
}

export interface SolutionMemberRecord {
  solution: string;
  type: string;
  key: string;
  /** Dataverse's rootcomponentbehavior, when the solution declared one */
  rootBehavior: number | null;
}

/** The components each solution of an environment holds, by solution, type and key. */
export async function solutionMemberRecords(
  db: Queryable,
  envId: number,
): Promise<SolutionMemberRecord[]> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT solution, type, key, root_behavior FROM solution_members
     WHERE env_id = $1 ORDER BY solution, type, key`,
    [envId],
  );
  return rows.map((r) => ({
    solution: String(r.solution),
    type: String(r.type),
    key: String(r.key),
    rootBehavior:
      r.root_behavior === null || r.root_behavior === undefined ? null : Number(r.root_behavior),
  }));
}

/** The unique name of the solution called `name`, whatever its case; null when there is none. */
export async function solutionNameIgnoringCase(
  db: Queryable,
  envId: number,
  name: string,
): Promise<string | null> {
  const rows = await db.query<{ unique_name: string }>(
    'SELECT unique_name FROM solutions WHERE env_id = $1 AND lower(unique_name) = lower($2)',
    [envId, name],
  );
  return rows.length ? String(rows[0].unique_name) : null;
}

/** Whether `name` (in any case) is installed as a holding solution (a staged upgrade). */
export async function isHoldingSolution(
  db: Queryable,
  envId: number,
  name: string,
): Promise<boolean> {
  const rows = await db.query(
    'SELECT 1 FROM solutions WHERE env_id = $1 AND lower(unique_name) = lower($2) AND is_holding',
    [envId, name],
  );
  return rows.length > 0;
}

/** A layer's component and what it requires outside the package that wrote it. */
export interface RecordedRequirement {
  component: ComponentRef;
  requires: ComponentRef[];
}

/**
 * What a solution needs outside itself, as its imports recorded it: the requirements on the
 * solution's own layers, and on the Active layers of the components it holds (an unmanaged
 * solution's components live in the Active layer).
 */
export async function solutionRequirements(
  db: Queryable,
  envId: number,
  solution: string,
): Promise<RecordedRequirement[]> {
  const rows = await db.query<{ type: string; key: string; requires: string }>(
    `SELECT l.type, l.key, l.requires FROM layers l
     WHERE l.env_id = $1 AND l.requires IS NOT NULL AND (l.solution = $2 OR (l.solution = 'Active'
       AND EXISTS (SELECT 1 FROM solution_components sc WHERE sc.env_id = l.env_id
                   AND sc.solution = $2 AND sc.type = l.type AND sc.key = l.key)))`,
    [envId, solution],
  );
  return rows.map((r) => ({
    component: { type: r.type, key: r.key },
    requires: decodeRequires(r.requires),
  }));
}
