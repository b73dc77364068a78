import { randomUUID } from 'node:crypto';
import type { PackageLimits } from '../package/limits.js';
import type { PlanOptions } from '../plans/import-plan.js';
import { enqueueImport } from '../store/queue.js';
import type { Store } from '../store/store.js';
import { sharedReadPool, type PackageReadPool } from './read-pool.js';

export interface ImportToRun {
  envId: number;
  /** the package: the bytes of a .zip or .cab file */
  bytes: Uint8Array;
  /** the file name, for messages and the log */
  label: string;
  options: PlanOptions;
  /** who asked: 'api', 'webapi', 'ui', ... (for the job's options and the logs) */
  via: string;
  /** a job id the client chose; a new one otherwise */
  jobId?: string;
  variant?: 'managed' | 'unmanaged';
  limits?: PackageLimits;
}

/**
 * Queues an import as a job of its environment; the runner (jobs/runner.ts) runs it when its turn
 * comes. The package is read first (on a reader thread), so a file that is not a solution is
 * refused here, with nothing queued. Returns the job id.
 */
export async function queueImport(
  store: Store,
  run: ImportToRun,
  reader: PackageReadPool = sharedReadPool(),
): Promise<string> {
  const m = await reader.readManifest(run.bytes, {
    label: run.label,
    limits: run.limits,
    variant: run.variant,
  });
  const jobId = run.jobId ?? randomUUID();
  await enqueueImport(store, {
    jobId,
    envId: run.envId,
    label: run.label,
    bytes: run.bytes,
    solution: {
      uniqueName: m.uniqueName,
      displayName: m.localizedNames[0]?.text ?? m.uniqueName,
      version: m.version.text,
      managed: m.managed,
      publisher: m.publisher.uniqueName,
    },
    request: { options: { ...run.options }, variant: run.variant, via: run.via },
  });
  return jobId;
}
