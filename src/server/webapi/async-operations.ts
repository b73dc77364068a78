import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';

/**
 * The system jobs of the asynchronous actions that are not imports: ExportSolutionAsync and
 * DeleteAndPromoteAsync. (An import's job is its import job, kept in the store; StageAndUpgradeAsync
 * adds its apply step beside it, entity-sets.ts.) Each runs at once in the server and is seen in
 * `asyncoperations` as Dataverse's system jobs are: In Progress, then Completed with Succeeded or
 * Failed. They are kept in memory, per environment, for the life of the server: a restart forgets
 * them, as it forgets StageAndUpgradeAsync's apply step (decision 47). An environment keeps the
 * files of its KEEP_FILES newest exports; each can be downloaded more than once.
 */
export interface AsyncOperation {
  id: string;
  envId: number;
  /** the message, as asyncoperation.name shows it: ExportSolution, DeleteAndPromote */
  name: string;
  status: 'running' | 'succeeded' | 'failed';
  createdOn: string;
  completedOn: string | null;
  /** what the job did, or why it failed */
  message: string | null;
  /** ExportSolutionAsync: the export job's id, and its file once done */
  exportJobId?: string;
  file?: Uint8Array;
}

/** How many exported files an environment keeps before the oldest is let go. */
const KEEP_FILES = 20;

export class AsyncOperations {
  private readonly ops = new Map<string, AsyncOperation>();

  constructor(private readonly log: FastifyBaseLogger) {}

  /** Starts `work` now; its result (a message, a file) completes the job, an error fails it. */
  start(
    envId: number,
    name: string,
    work: () => Promise<{ message: string; file?: Uint8Array }>,
    extra: { exportJobId?: string } = {},
  ): AsyncOperation {
    const op: AsyncOperation = {
      id: randomUUID(),
      envId,
      name,
      status: 'running',
      createdOn: new Date().toISOString(),
      completedOn: null,
      message: null,
      ...extra,
    };
    this.ops.set(op.id, op);
    void (async () => {
      try {
        const r = await work();
        op.message = r.message;
        if (r.file) {
          op.file = r.file;
          this.forgetOldFiles(envId);
        }
        op.status = 'succeeded';
      } catch (e) {
        op.message = (e as Error).message;
        op.status = 'failed';
        this.log.info({ err: e, operation: op.id }, `${name} (asynchronous) failed`);
      }
      op.completedOn = new Date().toISOString();
    })();
    return op;
  }

  get(envId: number, id: string): AsyncOperation | undefined {
    const op = this.ops.get(id);
    return op?.envId === envId ? op : undefined;
  }

  list(envId: number): AsyncOperation[] {
    return [...this.ops.values()].filter((o) => o.envId === envId);
  }

  byExportJob(envId: number, exportJobId: string): AsyncOperation | undefined {
    return this.list(envId).find((o) => o.exportJobId === exportJobId);
  }

  private forgetOldFiles(envId: number): void {
    const withFiles = this.list(envId).filter((o) => o.file);
    for (const o of withFiles.slice(0, Math.max(0, withFiles.length - KEEP_FILES))) delete o.file;
  }
}
