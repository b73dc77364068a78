import type { PlannedDelete } from './import-plan.js';
import type { DataAtRisk } from './data-at-risk.js';
import type { Refusal } from './refusal.js';

/**
 * The solution operations that are not imports: Apply Solution Upgrade (DeleteAndPromote),
 * abandoning a staged upgrade, and uninstall. Each is planned purely from a snapshot — what
 * goes, what is renamed, who still depends on what would be deleted — and then written in one
 * transaction by store/lifecycle-writes.ts.
 */
export type LifecycleOperation = 'apply-upgrade' | 'abandon' | 'uninstall';

export interface LifecyclePlan {
  operation: LifecycleOperation;
  environment: string;
  environmentRevision: number;
  solution: { uniqueName: string; version: string; managed: boolean; publisher: string };
  /** the holding solution that is promoted (apply) or dropped (abandon) */
  holding: { uniqueName: string; version: string } | null;
  /** solutions removed with their layers (managed) or as containers only (unmanaged) */
  removes: Array<{ uniqueName: string; managed: boolean }>;
  deletes: PlannedDelete[];
  renames: Array<{ from: string; to: string; ordinal: number; installOrder: number }>;
  /** the records the operation would drop (counted under the environment's lock) */
  dataAtRisk: DataAtRisk;
  blocked: Refusal[];
  summary: { solutionsRemoved: number; layersRemoved: number; componentsDeleted: number };
}
