import type { MissingComponent } from '../model/errors.js';
import type { Publisher, RootComponent } from '../model/solution.js';

export type ComponentAction = 'add' | 'update' | 'skip';

/** One component's fate in an import, with everything apply needs to write it. */
export interface PlannedComponent {
  type: string;
  key: string;
  name: string;
  parent?: { type: string; key: string };
  action: ComponentAction;
  /** which layer it writes: the solution's managed layer, the Active layer, or none (skip/shell) */
  layer: 'managed' | 'active' | 'none';
  /** also create a System layer from the package's definition (standard table the catalog lacks) */
  systemLayer?: boolean;
  /** lands as an unpublished draft (unmanaged import of a publishable type) */
  draft: boolean;
  hash: string;
  /** index into the package's component list (apply reads the XML and files from there) */
  index: number;
  reason: string;
  warnings: string[];
  state?: 'active' | 'inactive';
  /** planning time for this component (ms) */
  ms: number;
}

export interface PlanIssue {
  code: string;
  message: string;
  hint?: string;
  component?: { type: string; key: string; name?: string };
}

/**
 * The result of planning an import: a plain, serializable description of everything the import
 * would do. `apply` executes exactly this; it refuses a plan with `blocked` issues or one made
 * against an older revision of the environment.
 */
export interface ImportPlan {
  planVersion: 1;
  environment: string;
  environmentRevision: number;
  packageHash: string;
  createdOn: string;
  solution: {
    uniqueName: string;
    friendlyName: string;
    description: string;
    version: string;
    managed: boolean;
    publisher: string;
    parentUniqueName: string | null;
    rootComponents: RootComponent[];
    /** managed-layer position: group (install order) and place within it (patches) */
    installOrder: number;
    ordinal: number;
  };
  /** "new" install, or an "update" of an installed solution (refused until the lifecycle issue lands) */
  kind: 'new' | 'update' | 'patch';
  publisher: { action: 'create' | 'existing'; definition: Publisher };
  options: PlanOptions;
  components: PlannedComponent[];
  missing: MissingComponent[];
  warnings: string[];
  blocked: PlanIssue[];
  summary: { add: number; update: number; skip: number; drafts: number; warnings: number; missing: number };
}

export interface PlanOptions {
  publishChanges?: boolean;
}
