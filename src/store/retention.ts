import type { Queryable } from './store.js';

/**
 * PLACEHOLDER (issue 16, item 3 is built on another branch, which replaces this file): the
 * retention area of dropped tables and columns. Nothing is retained here yet, so nothing comes
 * back and nothing is reported purged.
 */

export interface RestoredSummary {
  tables: Array<{ table: string; rows: number }>;
  columns: Array<{ table: string; column: string }>;
}

/** Brings back, in reverse order, every table and column dropped at revisions > toRevision. */
export async function restoreRetained(
  tx: Queryable,
  envId: number,
  toRevision: number,
): Promise<RestoredSummary> {
  void tx;
  void envId;
  void toRevision;
  return { tables: [], columns: [] };
}

/** What a rollback to `toRevision` brings back from retention, and what it cannot (purged). */
export async function retainedSince(
  db: Queryable,
  envId: number,
  toRevision: number,
): Promise<{
  restorable: RestoredSummary;
  purged: Array<{ revision: number; table: string; column?: string }>;
}> {
  void db;
  void envId;
  void toRevision;
  return { restorable: { tables: [], columns: [] }, purged: [] };
}
