import { findEnvironment } from '../store/environments.js';
import {
  listRetention,
  purgeableRetention,
  purgeRetention,
  retentionRevisions,
  setRetentionRevisions,
  type RetentionEntry,
} from '../store/retention.js';
import { lockEnvironment } from '../store/revision.js';
import type { Queryable, Store } from '../store/store.js';

/**
 * The retention area as the interfaces show it (strata retention, GET /retention): what an
 * environment keeps of the tables and columns its operations dropped, for how many revisions,
 * and freeing it early. Purging and setting K change no definition, layer or record of the
 * environment, so they make no revision: they only decide how far back records can come.
 */

/** What purging frees: retained tables, retained columns, and the rows they hold. */
export interface RetentionFigures {
  tables: number;
  columns: number;
  rows: number;
}

export interface RetentionListing {
  environment: string;
  revision: number;
  /** K: how many revisions a drop is kept */
  keepRevisions: number;
  /** what is kept now */
  kept: RetentionFigures;
  /** every retained table and column, newest first, purged ones included */
  entries: RetentionEntry[];
}

/** The environment's retention area. */
export async function retentionListing(
  db: Queryable,
  environment: string,
): Promise<RetentionListing> {
  const env = await findEnvironment(db, environment);
  const entries = await listRetention(db, env.id);
  const kept = entries.filter((e) => e.state === 'kept');
  return {
    environment: env.name,
    revision: env.revision,
    keepRevisions: await retentionRevisions(db, env.id),
    kept: {
      tables: kept.filter((e) => !e.column).length,
      columns: kept.filter((e) => e.column).length,
      rows: kept.reduce((n, e) => n + e.rows, 0),
    },
    entries,
  };
}

/**
 * Frees retained records early: all of them, or those older than the last `keepRevisions`
 * revisions. One transaction, under the environment's lock; `onPlan` is told what will be freed
 * before anything is, so the CLI can say it first.
 */
export async function purgeRetained(
  store: Store,
  environment: string,
  opts: { all?: boolean; keepRevisions?: number },
  onPlan?: (figures: RetentionFigures) => void,
): Promise<RetentionFigures> {
  return store.transaction(async (tx) => {
    const env = await findEnvironment(tx, environment);
    await lockEnvironment(tx, env.id);
    onPlan?.(await purgeableRetention(tx, env.id, opts));
    return purgeRetention(tx, env.id, opts);
  });
}

/** Sets K for the environment; returns what the new K purged at once. */
export async function setRetention(
  store: Store,
  environment: string,
  keepRevisions: number,
): Promise<{ keepRevisions: number; purged: RetentionFigures }> {
  return store.transaction(async (tx) => {
    const env = await findEnvironment(tx, environment);
    await lockEnvironment(tx, env.id);
    const purged = await setRetentionRevisions(tx, env.id, keepRevisions);
    return { keepRevisions, purged };
  });
}
