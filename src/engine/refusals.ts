import { MissingDependenciesError, StrataError, type MissingComponent } from '../model/errors.js';
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
