import { MissingDependenciesError, StrataError, type MissingComponent } from '../model/errors.js';
import { firstPartySolution, templateIdOfBase } from '../catalog/templates.js';
import { baseNameOf, isHoldingName } from '../plans/layer-order.js';
import type { Refusal } from '../plans/refusal.js';

/**
 * The error a refused plan throws, the same for every operation: the first refusal's code, hint
 * and component, every refusal's message, and the refusals in `details.blocked`. With a job
 * (`jobId`: imports), the error names it, in `jobId` and in `details`. Missing dependencies, when
 * the first refusal, are listed one by one (MissingDependenciesError) from `missing`.
 */
export function refusalError(
  blocked: Refusal[],
  context: {
    jobId?: string;
    missing?: { solution: string; components: MissingComponent[] };
  } = {},
): StrataError {
  const first = blocked[0];
  const { jobId, missing } = context;
  if (first.code === 'MISSING_DEPENDENCIES' && missing)
    return new MissingDependenciesError(missing.solution, missing.components, jobId);
  return new StrataError(first.code, blocked.map((b) => b.message).join(' '), {
    hint: first.hint,
    component: first.component,
    details: jobId === undefined ? { blocked } : { jobId, blocked },
    jobId,
  });
}

/**
 * FIRST_PARTY_SOLUTION: `name` (or the base of `<name>_Upgrade`) is a first-party solution of the
 * environment's template. Microsoft's solutions belong to the template: no operation uninstalls,
 * upgrades, patches, clones or exports them. Undefined when the name is no such solution.
 */
export function firstPartySolutionError(
  env: { name: string; base: string },
  name: string,
  operation: string,
): StrataError | undefined {
  const fp =
    firstPartySolution(env.base, name) ??
    (isHoldingName(name) ? firstPartySolution(env.base, baseNameOf(name)) : undefined);
  if (!fp) return undefined;
  return new StrataError(
    'FIRST_PARTY_SOLUTION',
    `${fp.uniqueName} ${fp.version} is a first-party solution (Microsoft) of ${env.name}'s ` +
      `template (${templateIdOfBase(env.base)}): it belongs to the template and cannot be ` +
      `${operation}.`,
    {
      hint:
        "strata list --all shows the template's solutions beside the ones imported; only " +
        'imported solutions can be changed.',
      details: {
        solution: fp.uniqueName,
        version: fp.version,
        template: templateIdOfBase(env.base),
      },
    },
  );
}
