import type { DataAtRisk } from './data-at-risk.js';
import type { Refusal } from './refusal.js';

/**
 * A rollback plan: what going back to revision `to` does to an environment, read from the undo
 * log (store/revisions.ts) and the retention area (store/retention.ts) before anything is
 * written. `strata rollback --dry-run`, `POST /rollback {dryRun: true}` and the web UI's confirm
 * dialog show it; the rollback applies exactly it, in one transaction, as a new revision.
 */
export interface RollbackPlan {
  environment: string;
  /** the revision the environment is at: the plan is refused if it moved on */
  environmentRevision: number;
  to: number;
  /** the revisions undone, newest first */
  undone: Array<{ number: number; operation: string | null; solution: string | null }>;
  solutions: Array<{
    uniqueName: string;
    /** comes back: installed at `to`, gone now; leaves: the reverse; version: both, another one */
    change: 'comes-back' | 'leaves' | 'version' | 'changes';
    versionNow: string | null;
    versionThen: string | null;
  }>;
  publishers: Array<{ uniqueName: string; change: 'comes-back' | 'leaves' | 'changes' }>;
  /** the components whose layers differ between now and `to` */
  components: {
    comesBack: number;
    leaves: number;
    changes: number;
    items: Array<{
      type: string;
      key: string;
      name: string;
      change: 'comes-back' | 'leaves' | 'changes';
      /** the solutions whose layer of it comes back, leaves or changes */
      layers: Array<{ solution: string; change: 'comes-back' | 'leaves' | 'changes' }>;
    }>;
  };
  records: {
    /** tables made after `to`: dropped, with their records (data at risk) */
    dropped: Array<{ table: string; rows: number }>;
    /** columns added after `to` to tables kept: dropped, with their values (data at risk) */
    droppedColumns: Array<{ table: string; column: string; values: number }>;
    /** tables and columns dropped after `to`, restored from retention with their records */
    restored: {
      tables: Array<{ table: string; rows: number }>;
      columns: Array<{ table: string; column: string }>;
    };
    /** what was dropped after `to` and cannot come back: its retention was purged */
    purged: Array<{ revision: number; table: string; column?: string }>;
    /** tables at both revisions: their records stay as they are now */
    kept: string[];
  };
  dataAtRisk: DataAtRisk;
  blocked: Refusal[];
}
