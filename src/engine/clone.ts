import { randomBytes } from 'node:crypto';
import { StrataError } from '../model/errors.js';
import { Version } from '../model/version.js';
import { recordHistory } from '../store/history.js';
import { loadSnapshot } from '../store/snapshot.js';
import { writeClone } from '../store/lifecycle-writes.js';
import type { Store } from '../store/store.js';
import type { ClonePlan } from '../plans/clone-plan.js';
import type { SolutionInfo } from '../plans/snapshot.js';

export function planClone(
  snapshot: { environment: { name: string; revision: number }; solutions: SolutionInfo[] },
  operation: ClonePlan['operation'],
  name: string,
  version?: string,
): ClonePlan {
  const env = snapshot.environment.name;
  const parent = snapshot.solutions.find((s) => s.uniqueName === name && !s.isHolding);
  if (!parent)
    throw new StrataError('SOLUTION_NOT_FOUND', `There is no solution named ${name} in ${env}.`, {
      hint: 'strata list shows the installed solutions.',
    });
  if (parent.managed)
    throw new StrataError(
      'CLONE_REQUIRES_UNMANAGED',
      `${name} is managed; patches and clones are made from the unmanaged solution in the development environment.`,
      {
        hint: 'Clone the unmanaged solution where it is developed, export the result managed, and import that here.',
      },
    );
  if (parent.parentUniqueName)
    throw new StrataError(
      'CLONE_OF_PATCH',
      `${name} is a patch of ${parent.parentUniqueName}; clone its parent instead.`,
      { hint: `strata ${operation} ${parent.parentUniqueName}` },
    );
  const patches = snapshot.solutions.filter((s) => s.parentUniqueName === name);
  const pv = Version.parse(parent.version);
  if (operation === 'clone-patch') {
    const highest = patches
      .map((p) => Version.parse(p.version))
      .reduce((a, b) => (b.isHigherThan(a) ? b : a), pv);
    const v = version
      ? Version.parse(version)
      : Version.parse(`${pv.major}.${pv.minor}.${highest.build + 1}.0`);
    if (v.major !== pv.major || v.minor !== pv.minor || !v.isHigherThan(highest)) {
      throw new StrataError(
        'PATCH_VERSION_INVALID',
        `Patch version ${v.text} is invalid for ${name} ${parent.version}${patches.length ? ` and its patches (highest ${highest.text})` : ''}: a patch keeps ${pv.major}.${pv.minor} and raises the build or revision.`,
        { hint: `For example --version ${pv.major}.${pv.minor}.${highest.build + 1}.0` },
      );
    }
    return {
      operation,
      environment: env,
      environmentRevision: snapshot.environment.revision,
      parent: { uniqueName: name, version: parent.version },
      result: { uniqueName: `${name}_Patch_${randomBytes(4).toString('hex')}`, version: v.text },
      rolledUp: [],
    };
  }
  const v = version ? Version.parse(version) : Version.parse(`${pv.major}.${pv.minor + 1}.0.0`);
  if (!(v.major > pv.major || (v.major === pv.major && v.minor > pv.minor))) {
    throw new StrataError(
      'CLONE_VERSION_INVALID',
      `Version ${v.text} is invalid for a clone of ${name} ${parent.version}: a clone raises the major or minor version.`,
      { hint: `For example --version ${pv.major}.${pv.minor + 1}.0.0` },
    );
  }
  return {
    operation,
    environment: env,
    environmentRevision: snapshot.environment.revision,
    parent: { uniqueName: name, version: parent.version },
    result: { uniqueName: name, version: v.text },
    rolledUp: patches.map((p) => p.uniqueName),
  };
}

export async function runClone(
  store: Store,
  environment: string,
  operation: ClonePlan['operation'],
  name: string,
  version?: string,
): Promise<ClonePlan> {
  const started = new Date();
  const snapshot = await loadSnapshot(store, environment);
  const plan = planClone(snapshot, operation, name, version);
  const envId = snapshot.environment.id;
  await store.transaction((tx) => writeClone(tx, envId, plan));
  await recordHistory(store, envId, {
    solutionName: plan.result.uniqueName,
    solutionVersion: plan.result.version,
    publisher: snapshot.solutions.find((s) => s.uniqueName === name)!.publisher,
    managed: false,
    operation: 'clone',
    subOperation: operation === 'clone-patch' ? 'patch' : 'solution',
    options: { version: version ?? null },
    startedOn: started,
    endedOn: new Date(),
    result: 'success',
  });
  return plan;
}
