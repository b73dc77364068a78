import { identity } from '../model/component.js';

/** What planning knows about an environment. Loaded by store/snapshot.ts; read-only here. */
export interface LayerInfo {
  solution: string;
  kind: 'system' | 'managed' | 'active';
  ordinal: number;
  hash: string | null;
  draftHash: string | null;
  state: string | null;
  /** identity() (model/component.ts) of each component this layer's definition requires */
  requires: string[];
  /** the component's name as this layer has it */
  name?: string;
}

export interface SolutionInfo {
  uniqueName: string;
  friendlyName: string;
  version: string;
  managed: boolean;
  publisher: string;
  parentUniqueName: string | null;
  isHolding: boolean;
  installOrder: number;
  /**
   * where its managed layers sit (install order × 1,000,000, plus the place of a patch or
   * holding solution)
   */
  ordinal: number;
  installedOn: string;
}

export interface PublisherInfo {
  uniqueName: string;
  friendlyName: string;
  customizationPrefix: string;
  optionValuePrefix: number | null;
}

/**
 * The part of an environment's layers a lifecycle operation plans from (engine/lifecycle.ts
 * lifecycleScope, decision 72): what may go, what needs it, and the tables whose shape may change.
 */
export interface LayerScope {
  /** the components with a layer of one of these solutions are read, each whole… */
  going: string[];
  /** …but for those that also have a layer of one of these (they keep their layers) */
  staying: string[];
  /** the solutions whose entity and attribute layers name the tables the operation touches */
  tablesOf: string[];
}

export interface EnvironmentSnapshot {
  environment: {
    id: number;
    name: string;
    base: string;
    revision: number;
    nextInstallOrder: number;
  };
  solutions: SolutionInfo[];
  publishers: PublisherInfo[];
  /** identity(type, key) → layers bottom to top (the components in no particular order) */
  layers: Map<string, LayerInfo[]>;
  /**
   * Set when only part of the layers was read (store/snapshot.ts loadSnapshot's `scope`):
   * `layers` then holds the whole stack of every component with a layer of `going` and none of
   * `staying`, and of every component with a layer that requires something; `tables` are the
   * environment's made record tables that an entity or attribute layer of `tablesOf` belongs to.
   */
  scope?: LayerScope & { tables: string[] };
  /**
   * the Active layer's definition (draft, else published) of the components asked for, for
   * per-property reports
   */
  activeXml?: Map<string, string>;
  /**
   * merge components the package brings: the merged definition of their layers below the
   * Active one
   */
  mergeBelow?: Map<string, string>;
}

/**
 * A stored component exists when it has any layer; catalog components exist when the
 * environment has the standard base.
 */
export function hasStoredComponent(s: EnvironmentSnapshot, type: string, key: string): boolean {
  return (s.layers.get(identity(type, key))?.length ?? 0) > 0;
}
