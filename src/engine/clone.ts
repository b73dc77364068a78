import { randomBytes } from 'node:crypto';
import { StrataError } from '../model/errors.js';
import { sameSolutionName } from '../model/solution.js';
import { Version } from '../model/version.js';
import { recordHistory } from '../store/history.js';
import { loadSnapshot } from '../store/snapshot.js';
import { writeClone } from '../store/lifecycle-writes.js';
import { findEnvironment } from '../store/environments.js';
import { lockEnvironment } from '../store/revision.js';
import type { Queryable, Store } from '../store/store.js';
import type { ClonePlan } from '../plans/clone-plan.js';
import type { Refusal } from '../plans/refusal.js';
import type { SolutionInfo } from '../plans/snapshot.js';
import { firstPartySolutionError, refusalError } from './refusals.js';

/** What a clone asks for besides the solution: the version, and the new patch's name suffix. */
export interface CloneRequest {
  /** the version of the patch (clone-patch) or of the clone; the next one that fits if absent */
  version?: string;
  /** clone-patch: the patch is named `<parent>_Patch_<suffix>` (runClone draws it at random) */
  patchSuffix: string;
}

/**
 * Plans a clone-patch (a new, empty patch of an unmanaged solution) or a clone (its patches
 * rolled into a new major or minor version). Pure: refusals come back in `blocked`; it throws
 * only when there is no such solution (SOLUTION_NOT_FOUND), or the name is a first-party solution
 * of the environment's template (FIRST_PARTY_SOLUTION).
 */
export function planClone(
  snapshot: {
    environment: { name: string; revision: number; base?: string };
    solutions: SolutionInfo[];
  },
  operation: ClonePlan['operation'],
  asked: string,
  request: CloneRequest,
): ClonePlan {
  const env = snapshot.environment.name;
  // any case finds the solution (as in Dataverse); the plan uses its installed spelling
  const parent = snapshot.solutions.find(
    (s) => sameSolutionName(s.uniqueName, asked) && !s.isHolding,
  );
  const verb = operation === 'clone-patch' ? 'patched' : 'cloned';
  const firstParty =
    !parent && snapshot.environment.base !== undefined
      ? firstPartySolutionError({ name: env, base: snapshot.environment.base }, asked, verb)
      : undefined;
  if (firstParty) throw firstParty;
  if (!parent)
    throw new StrataError('SOLUTION_NOT_FOUND', `There is no solution named ${asked} in ${env}.`, {
      hint: 'strata list shows the installed solutions.',
    });
  const name = parent.uniqueName;
  const patches = snapshot.solutions.filter((s) => sameSolutionName(s.parentUniqueName, name));
  const fit = operation === 'clone-patch' ? patchVersions(parent, patches) : cloneVersions(parent);
  const version = request.version ? parseVersion(request.version) : Version.parse(fit.next);
  const refusal =
    sourceRefusal(parent, operation) ??
    (version instanceof Version ? fit.refusal(version) : version);
  return {
    operation,
    environment: env,
    environmentRevision: snapshot.environment.revision,
    parent: { uniqueName: name, version: parent.version },
    result: {
      uniqueName: operation === 'clone-patch' ? `${name}_Patch_${request.patchSuffix}` : name,
      version: version instanceof Version ? version.text : request.version!,
    },
    rolledUp: operation === 'clone' ? patches.map((p) => p.uniqueName) : [],
    blocked: refusal ? [refusal] : [],
  };
}

/** Patches and clones are made from an unmanaged base solution. */
function sourceRefusal(parent: SolutionInfo, operation: ClonePlan['operation']): Refusal | null {
  const name = parent.uniqueName;
  if (parent.managed)
    return {
      code: 'CLONE_REQUIRES_UNMANAGED',
      message:
        `${name} is managed; patches and clones are made from the unmanaged solution in the ` +
        'development environment.',
      hint:
        'Clone the unmanaged solution where it is developed, export the result managed, and ' +
        'import that here.',
    };
  if (parent.parentUniqueName)
    return {
      code: 'CLONE_OF_PATCH',
      message: `${name} is a patch of ${parent.parentUniqueName}; clone its parent instead.`,
      hint: `strata ${operation} ${parent.parentUniqueName}`,
    };
  return null;
}

/** The version that fits when none is asked for, and the refusal of one that does not fit. */
interface VersionFit {
  next: string;
  refusal(v: Version): Refusal | null;
}

/** A patch keeps its parent's major.minor and goes above the parent and every patch. */
function patchVersions(parent: SolutionInfo, patches: SolutionInfo[]): VersionFit {
  const pv = Version.parse(parent.version);
  const highest = patches
    .map((p) => Version.parse(p.version))
    .reduce((a, b) => (b.isHigherThan(a) ? b : a), pv);
  const next = `${pv.major}.${pv.minor}.${highest.build + 1}.0`;
  return {
    next,
    refusal: (v) =>
      v.major === pv.major && v.minor === pv.minor && v.isHigherThan(highest)
        ? null
        : {
            code: 'PATCH_VERSION_INVALID',
            message:
              `Patch version ${v.text} is invalid for ${parent.uniqueName} ${parent.version}` +
              `${patches.length ? ` and its patches (highest ${highest.text})` : ''}: ` +
              `a patch keeps ${pv.major}.${pv.minor} and raises the build or revision.`,
            hint: `For example --version ${next}`,
          },
  };
}

/** A clone raises the major or minor version. */
function cloneVersions(parent: SolutionInfo): VersionFit {
  const pv = Version.parse(parent.version);
  const next = `${pv.major}.${pv.minor + 1}.0.0`;
  return {
    next,
    refusal: (v) =>
      v.major > pv.major || (v.major === pv.major && v.minor > pv.minor)
        ? null
        : {
            code: 'CLONE_VERSION_INVALID',
            message:
              `Version ${v.text} is invalid for a clone of ${parent.uniqueName} ` +
              `${parent.version}: a clone raises the major or minor version.`,
            hint: `For example --version ${next}`,
          },
  };
}

/** The version asked for, or the refusal of a string that is not one (VERSION_INVALID). */
function parseVersion(text: string): Version | Refusal {
  try {
    return Version.parse(text);
  } catch (e) {
    if (!(e instanceof StrataError)) throw e;
    return { code: e.code, message: e.message, hint: e.hint };
  }
}

/**
 * Plans and runs a clone-patch or clone in one transaction, with history. Like runLifecycle, it
 * locks the environment before reading it, so it plans against what it writes over. A refused
 * plan is recorded as a failure and thrown (refusalError), like a write that fails.
 */
export async function runClone(
  store: Store,
  environment: string,
  operation: ClonePlan['operation'],
  name: string,
  version?: string,
): Promise<ClonePlan> {
  const started = new Date();
  let planned: { envId: number; plan: ClonePlan; publisher: string } | undefined;
  const history = (
    db: Queryable,
    result: 'success' | 'failure',
    code?: string,
    message?: string,
  ): Promise<void> =>
    recordHistory(db, planned!.envId, {
      solutionName: planned!.plan.result.uniqueName,
      solutionVersion: planned!.plan.result.version,
      publisher: planned!.publisher,
      managed: false,
      operation: 'clone',
      subOperation: operation === 'clone-patch' ? 'patch' : 'solution',
      options: { version: version ?? null },
      startedOn: started,
      endedOn: new Date(),
      result,
      errorCode: code ?? null,
      message: message ?? null,
    });
  let refused: StrataError | undefined;
  try {
    await store.transaction(async (tx) => {
      await lockEnvironment(tx, (await findEnvironment(tx, environment)).id);
      const snapshot = await loadSnapshot(tx, environment);
      const plan = planClone(snapshot, operation, name, {
        version,
        patchSuffix: randomBytes(4).toString('hex'),
      });
      planned = {
        envId: snapshot.environment.id,
        plan,
        publisher: snapshot.solutions.find((s) => s.uniqueName === plan.parent.uniqueName)!
          .publisher,
      };
      if (plan.blocked.length) {
        refused = refusalError(plan.blocked);
        await history(tx, 'failure', refused.code, refused.message);
        return;
      }
      await writeClone(tx, planned.envId, plan);
      await history(tx, 'success');
    });
  } catch (e) {
    if (!planned) throw e;
    const code = e instanceof StrataError ? e.code : 'CLONE_FAILED';
    await store.transaction((tx) => history(tx, 'failure', code, (e as Error).message));
    throw e;
  }
  if (refused) throw refused;
  return planned!.plan;
}
