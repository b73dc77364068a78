import type { Refusal } from './refusal.js';

/**
 * Clone as patch and clone as solution (Dataverse's CloneAsPatch / CloneAsSolution) for
 * unmanaged solutions. An unmanaged solution is a container, so both change only solution rows
 * and membership: a patch starts empty above its parent; a clone rolls the patches' members into
 * the parent under a new major or minor version and removes the patches.
 */
export interface ClonePlan {
  operation: 'clone-patch' | 'clone';
  environment: string;
  environmentRevision: number;
  parent: { uniqueName: string; version: string };
  /** clone-patch: the new patch; clone: the parent's new version */
  result: { uniqueName: string; version: string };
  rolledUp: string[];
  /** why the clone cannot be made (a managed solution, a patch, a version that does not fit) */
  blocked: Refusal[];
}
