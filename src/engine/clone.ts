import { randomBytes } from 'node:crypto';
import { StrataError } from '../model/errors.js';
import { Version } from '../model/version.js';
import { recordHistory } from '../store/history.js';
import { loadSnapshot } from '../store/snapshot.js';
import type { Queryable, Store } from '../store/store.js';
import type { SolutionInfo } from './snapshot.js';

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
}

export function planClone(snapshot: { environment: { name: string; revision: number }; solutions: SolutionInfo[] }, operation: ClonePlan['operation'], name: string, version?: string): ClonePlan {
  const env = snapshot.environment.name;
  const parent = snapshot.solutions.find((s) => s.uniqueName === name && !s.isHolding);
  if (!parent) throw new StrataError('SOLUTION_NOT_FOUND', `There is no solution named ${name} in ${env}.`, { hint: 'strata list shows the installed solutions.' });
  if (parent.managed) throw new StrataError('CLONE_REQUIRES_UNMANAGED', `${name} is managed; patches and clones are made from the unmanaged solution in the development environment.`, { hint: 'Clone the unmanaged solution where it is developed, export the result managed, and import that here.' });
  if (parent.parentUniqueName) throw new StrataError('CLONE_OF_PATCH', `${name} is a patch of ${parent.parentUniqueName}; clone its parent instead.`, { hint: `strata ${operation} ${parent.parentUniqueName}` });
  const patches = snapshot.solutions.filter((s) => s.parentUniqueName === name);
  const pv = Version.parse(parent.version);
  if (operation === 'clone-patch') {
    const highest = patches.map((p) => Version.parse(p.version)).reduce((a, b) => (b.isHigherThan(a) ? b : a), pv);
    const v = version ? Version.parse(version) : Version.parse(`${pv.major}.${pv.minor}.${highest.build + 1}.0`);
    if (v.major !== pv.major || v.minor !== pv.minor || !v.isHigherThan(highest)) {
      throw new StrataError('PATCH_VERSION_INVALID', `Patch version ${v.text} is invalid for ${name} ${parent.version}${patches.length ? ` and its patches (highest ${highest.text})` : ''}: a patch keeps ${pv.major}.${pv.minor} and raises the build or revision.`, { hint: `For example --version ${pv.major}.${pv.minor}.${highest.build + 1}.0` });
    }
    return { operation, environment: env, environmentRevision: snapshot.environment.revision, parent: { uniqueName: name, version: parent.version }, result: { uniqueName: `${name}_Patch_${randomBytes(4).toString('hex')}`, version: v.text }, rolledUp: [] };
  }
  const v = version ? Version.parse(version) : Version.parse(`${pv.major}.${pv.minor + 1}.0.0`);
  if (!(v.major > pv.major || (v.major === pv.major && v.minor > pv.minor))) {
    throw new StrataError('CLONE_VERSION_INVALID', `Version ${v.text} is invalid for a clone of ${name} ${parent.version}: a clone raises the major or minor version.`, { hint: `For example --version ${pv.major}.${pv.minor + 1}.0.0` });
  }
  return { operation, environment: env, environmentRevision: snapshot.environment.revision, parent: { uniqueName: name, version: parent.version }, result: { uniqueName: name, version: v.text }, rolledUp: patches.map((p) => p.uniqueName) };
}

export async function runClone(store: Store, environment: string, operation: ClonePlan['operation'], name: string, version?: string): Promise<ClonePlan> {
  const started = new Date();
  const snapshot = await loadSnapshot(store, environment);
  const plan = planClone(snapshot, operation, name, version);
  const envId = snapshot.environment.id;
  await store.transaction((tx) => writeClone(tx, envId, plan));
  await recordHistory(store, envId, {
    solutionName: plan.result.uniqueName, solutionVersion: plan.result.version, publisher: snapshot.solutions.find((s) => s.uniqueName === name)!.publisher, managed: false,
    operation: 'clone', subOperation: operation === 'clone-patch' ? 'patch' : 'solution', options: { version: version ?? null }, startedOn: started, endedOn: new Date(), result: 'success',
  });
  return plan;
}

async function writeClone(tx: Queryable, envId: number, plan: ClonePlan): Promise<void> {
  const rev = await tx.query<{ revision: number }>('SELECT revision FROM environments WHERE id = $1 FOR UPDATE', [envId]);
  if (Number(rev[0]?.revision) !== plan.environmentRevision) throw new StrataError('ENVIRONMENT_CHANGED', `Environment ${plan.environment} changed meanwhile.`, { hint: 'Run the command again.' });
  if (plan.operation === 'clone-patch') {
    await tx.query(
      `INSERT INTO solutions (env_id, unique_name, friendly_name, description, version, managed, publisher, parent_unique_name, install_order, manifest)
       SELECT env_id, $3, friendly_name || ' (patch)', description, $4, false, publisher, unique_name, install_order, jsonb_build_object('rootComponents', '[]'::jsonb, 'solutionXml', NULL)
       FROM solutions WHERE env_id = $1 AND unique_name = $2`, [envId, plan.parent.uniqueName, plan.result.uniqueName, plan.result.version]);
  } else {
    for (const patch of plan.rolledUp) {
      await tx.query(`INSERT INTO solution_components (env_id, solution, type, key, root_behavior)
        SELECT env_id, $3, type, key, root_behavior FROM solution_components WHERE env_id = $1 AND solution = $2 ON CONFLICT (env_id, solution, type, key) DO NOTHING`, [envId, patch, plan.parent.uniqueName]);
      await tx.query('DELETE FROM solution_components WHERE env_id = $1 AND solution = $2', [envId, patch]);
      await tx.query('DELETE FROM solutions WHERE env_id = $1 AND unique_name = $2', [envId, patch]);
    }
    await tx.query('UPDATE solutions SET version = $3, updated_on = now() WHERE env_id = $1 AND unique_name = $2', [envId, plan.parent.uniqueName, plan.result.version]);
  }
  await tx.query('UPDATE environments SET revision = revision + 1 WHERE id = $1', [envId]);
}
