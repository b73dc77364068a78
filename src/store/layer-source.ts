import type { ContentRef } from './layer-content.js';

/**
 * What the component list and a component's layers are read from, when not from the database:
 * a copy of an environment's layers, written beside the embedded store by a command that changed
 * it (store/pglite/read-copy.ts, decision 67). `listComponents` and `componentLayers`
 * (store/queries.ts) take either; they read the same rows from both and compute their answers the
 * same way, so that the copy can only answer what the database would.
 */
export interface LayerSource {
  readonly kind: 'layer-source';
  /**
   * Every layer as `[type, key, name, parent_key, solution, has a draft]`, ordered as the
   * database orders `type, key, ordinal DESC` (top layer first within a component).
   */
  componentTuples(envId: number, type?: string): ComponentTuple[];
  /**
   * Per workflow key, its top layer that has a definition (a draft, XML or content): what
   * `coalesce(draft_xml, xml)` and the content reference of that row are.
   */
  workflowTops(
    envId: number,
    keys: string[],
  ): Array<{ key: string; solution: string; xml: string | null; content: ContentRef | null }>;
  /**
   * One component's layers, top first, as rows of `layers` with the solution's `publisher` and
   * `version` and the layer's `files` (paths in the database's order). A copy leaves out the
   * definitions' hashes (`hash`, `draft_hash` are null): no read shows them.
   */
  componentLayerRows(envId: number, type: string, key: string): Array<Record<string, unknown>>;
  /** A chunk of a solution's layer content as stored: compressed, with its format. */
  content(
    envId: number,
    solution: string,
    chunk: number,
  ): { compressed: Uint8Array; format: string } | undefined;
}

/** [type, key, name, parent_key, solution, has a draft] */
export type ComponentTuple = [string, string, string | null, string | null, string, boolean];

export function isLayerSource(x: unknown): x is LayerSource {
  return (x as LayerSource | null)?.kind === 'layer-source';
}
