/**
 * plans/ holds the types that represent strata's plans, and the snapshot of an environment they
 * are made from: plain, serializable data. The engine makes plans (engine/plan.ts, lifecycle.ts,
 * clone.ts) from a snapshot the store loads; the store writes exactly what a plan says. plans/
 * imports only model/; the store and the engine import plans/, never the reverse.
 */
import type { ComponentValues } from '../model/environment-variables.js';
import type { MissingComponent } from '../model/errors.js';
import type { Publisher, RootComponent } from '../model/solution.js';
import type { DataAtRisk } from './data-at-risk.js';
import type { Refusal } from './refusal.js';

export type ComponentAction = 'add' | 'update' | 'skip';

/** One component's fate in an import, with everything apply needs to write it. */
export interface PlannedComponent {
  type: string;
  key: string;
  name: string;
  /** the name its type is shown by, when the type alone does not say it (a workflow's Category) */
  displayType?: string;
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
  /**
   * what the Active layer gets instead of the package's fragment: for a merge component under
   * managed layers, its changes relative to them (the hash stays the package definition's, so an
   * identical re-import is still recognized)
   */
  definition?: string;
}

/**
 * The result of planning an import: a plain, serializable description of everything the import
 * would do. engine/import.ts applies exactly this (applyImportPlan); a plan with refusals in
 * `blocked` is not applied, and the write refuses one made against an older revision of the
 * environment.
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
    /** a holding solution (`<name>_Upgrade`, staged for upgrade) */
    isHolding: boolean;
  };
  /**
   * new: first install; patch: a patch of an installed parent; upgrade: replaces the installed
   * version in place, rolls up its patches, deletes what the new version dropped; stage: installs
   * `<name>_Upgrade` beside the installed version (apply later with `strata upgrade`); update:
   * replaces the layer content, deletes nothing; skip: nothing to do (--skip-lower-version).
   */
  kind: PlanKind;
  /** the installed solution this package is an update of, with its patches */
  installed: {
    uniqueName: string;
    version: string;
    managed: boolean;
    patches: string[];
    holding: string | null;
  } | null;
  /** layers the import removes: components the new version no longer has (upgrade) */
  deletes: PlannedDelete[];
  /** patches removed because the upgrade rolls them into the new version */
  rolledUp: string[];
  /** what happens to Active-layer customizations of the imported components */
  customizations: PlannedCustomization[];
  publisher: { action: 'create' | 'update' | 'existing'; definition: Publisher };
  options: PlanOptions;
  components: PlannedComponent[];
  missing: MissingComponent[];
  /**
   * the first-party solutions of the environment's template that the package depends on
   * (absent from plans saved before templates)
   */
  firstParty?: FirstPartyDependency[];
  /** the records the import would drop (counted under the environment's lock) */
  dataAtRisk: DataAtRisk;
  /**
   * the package's environment variables and connection references, and where each one's value
   * or connection comes from (absent from plans saved before them)
   */
  parameters?: PlannedParameters;
  warnings: string[];
  blocked: Refusal[];
  summary: {
    add: number;
    update: number;
    skip: number;
    delete: number;
    drafts: number;
    warnings: number;
    missing: number;
    customizationsKept: number;
    customizationsOverwritten: number;
  };
}

/**
 * A first-party solution of the environment's template (a Microsoft solution the template
 * installs) that the package depends on: by a dependency its solution.xml declares, or by a
 * reference to a component the solution's inventory lists.
 */
export interface FirstPartyDependency {
  uniqueName: string;
  friendlyName: string;
  /** the publisher's unique name (MicrosoftCorporation) */
  publisher: string;
  /** the version the template installs */
  version: string;
  /** the highest version the package's declared dependencies name (null: none names one) */
  required: string | null;
  /** false: the template's version is lower than `required` (a missing dependency) */
  satisfied: boolean;
  /**
   * components the package says this solution provides that its inventory does not list:
   * assumed present, never silently (each also a warning on the component that needs it)
   */
  assumed: Array<{
    type: string;
    key: string;
    name?: string;
    requiredBy?: { type: string; key: string; name?: string };
  }>;
}

/** An environment variable of the package, and the value it will have after the import. */
export interface PlannedVariable {
  schemaName: string;
  displayName: string;
  type: string;
  isRequired: boolean;
  defaultValue: string | null;
  /**
   * settings: given to this import; environment: the environment's value, kept; package: the
   * package's own value; default: none, the default applies; none: no value at all
   */
  source: 'settings' | 'environment' | 'package' | 'default' | 'none';
  /** the value after the import (null: none) */
  value: string | null;
}

/** A connection reference of the package, and the connection it will use after the import. */
export interface PlannedConnectionReference {
  logicalName: string;
  displayName: string;
  connectorId: string;
  source: 'settings' | 'environment' | 'none';
  connectionId: string | null;
}

export interface PlannedParameters {
  variables: PlannedVariable[];
  connectionReferences: PlannedConnectionReference[];
}

export type PlanKind = 'new' | 'patch' | 'upgrade' | 'stage' | 'update' | 'skip';

/**
 * A layer the operation removes; `componentGoes` when no managed or System layer is left, so the
 * component (and any Active layer on it) is deleted.
 */
export interface PlannedDelete {
  type: string;
  key: string;
  name: string;
  /** the name its type is shown by, when the type alone does not say it (a workflow's Category) */
  displayType?: string;
  /** the solution whose layer goes (the base or one of its patches) */
  solution: string;
  componentGoes: boolean;
}

export interface PlannedCustomization {
  type: string;
  key: string;
  name: string;
  /** the name its type is shown by, when the type alone does not say it (a workflow's Category) */
  displayType?: string;
  /**
   * kept: maintain (default) — the Active layer stays on top and hides the new managed definition;
   * overwritten: the incoming definition is copied into the Active layer;
   * merged: a merge component (form, site map, ribbon, app) keeps its Active changes, merged on
   * top.
   */
  effect: 'kept' | 'overwritten' | 'merged';
  /**
   * per property, the local value and the package's: what maintain keeps showing instead of the
   * package's value, or what overwrite loses (omitted when the Active definition was not loaded)
   */
  properties?: Array<{ path: string; active: string | null; incoming: string | null }>;
  /**
   * merge components: local changes that will not fit the incoming definition (they go to the
   * Conflicts tab)
   */
  conflicts?: number;
}

export interface PlanOptions {
  publishChanges?: boolean;
  /**
   * for a solution that is already installed: upgrade (default), stage (holding solution),
   * update
   */
  action?: 'upgrade' | 'stage' | 'update';
  /**
   * with action stage: a solution that is not installed yet is installed as it is (stage and
   * apply in one go, the Web API's StageAndUpgrade). Without it, staging a solution whose base
   * is not installed is refused (HOLDING_BASE_NOT_INSTALLED).
   */
  installWithoutBase?: boolean;
  /** overwrite Active-layer customizations of the imported components (except merge components) */
  overwrite?: boolean;
  /**
   * enable the SDK message processing steps and workflows in the package; otherwise they land
   * deactivated
   */
  activatePlugins?: boolean;
  /** a package whose version is not higher than the installed one is skipped, not refused */
  skipLowerVersion?: boolean;
  /**
   * Dataverse's SkipProductUpdateDependencies (pac's --skip-dependency-check): a first-party
   * solution of the template older than the package requires does not refuse the import (a
   * warning says it); every other missing dependency still does
   */
  skipProductUpdateDependencies?: boolean;
  /**
   * carry out a plan that drops records or values (data at risk); without it such a plan is
   * refused with DATA_LOSS_NOT_ACCEPTED
   */
  acceptDataLoss?: boolean;
  /**
   * environment variable values and connections for the package's definitions (a deployment
   * settings file, the Web API's ComponentParameters), written in the import's transaction
   */
  componentValues?: ComponentValues;
}
