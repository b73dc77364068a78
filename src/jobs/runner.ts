import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { importSolution } from '../engine/import.js';
import type { PlanOptions } from '../plans/import-plan.js';
import { StrataError } from '../model/errors.js';
import { finishJob, jobStatus, updateJobProgress } from '../store/jobs.js';
import {
  claimNextImport,
  dequeue,
  failInterruptedImports,
  failStaleImports,
  heartbeat,
  markRunner,
  type ClaimedImport,
} from '../store/queue.js';
import type { Store } from '../store/store.js';
import { sharedReadPool, type PackageReadPool } from './read-pool.js';

export interface RunnerOptions {
  /** how often to look for queued imports when nothing nudged the runner (ms) */
  pollMs?: number;
  /** a running import whose heartbeat is older than this is taken as lost (s) */
  staleSeconds?: number;
  /** structured log lines (the server passes its logger) */
  log?: { info: (obj: object, msg: string) => void; error: (obj: object, msg: string) => void };
  /** where packages are read (default: the process's reader pool) */
  reader?: PackageReadPool;
}

/**
 * Runs queued imports (store/queue.ts), one per environment at a time, as long as the server
 * runs. Several runners may share one database; the queue's unique index decides which one
 * starts an environment's next import. An import runs to its end whatever happens to the
 * request that queued it: a client that went away re-attaches by job id.
 */
export class ImportRunner {
  readonly id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private timer: NodeJS.Timeout | null = null;
  private running = new Set<Promise<void>>();
  private stopped = false;
  /** the tick under way, if any: stop() waits for it, or a job it claims would run on alone */
  private ticking: Promise<void> | null = null;
  private lastStaleCheck = 0;

  constructor(
    private readonly store: Store,
    private readonly opts: RunnerOptions = {},
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops claiming new imports and waits for the ones running here to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.ticking;
    await Promise.all([...this.running]);
  }

  /** Something was queued: look now instead of at the next poll. */
  nudge(): void {
    if (!this.stopped) this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.ticking || this.stopped) return;
      this.ticking = this.tick().finally(() => {
        this.ticking = null;
        this.schedule(this.opts.pollMs ?? 500);
      });
    }, ms);
  }

  private async tick(): Promise<void> {
    try {
      // a lost server is noticed within a quarter of the stale period, not on every poll; a
      // process that died running an import (a server, or strata import) lets go of its claim at
      // once, so those jobs are failed within seconds (failInterruptedImports)
      const stale = this.opts.staleSeconds ?? 120;
      if (Date.now() - this.lastStaleCheck >= Math.min(stale * 250, 5_000)) {
        this.lastStaleCheck = Date.now();
        await failStaleImports(this.store, stale);
        await failInterruptedImports(this.store);
      }
      // start every import that may start now (each in another environment)
      while (!this.stopped) {
        const job = await claimNextImport(this.store, this.id);
        if (!job) break;
        const p = this.run(job).finally(() => {
          this.running.delete(p);
          this.nudge();
        });
        this.running.add(p);
      }
    } catch (e) {
      this.opts.log?.error({ err: e }, 'import queue: claiming failed');
    }
  }

  private async run(job: ClaimedImport): Promise<void> {
    const log = this.opts.log;
    log?.info(
      { jobId: job.jobId, environment: job.environment, label: job.label },
      'import started',
    );
    const beat = setInterval(() => {
      void heartbeat(this.store, job.envId, job.jobId).catch(() => undefined);
    }, 5_000);
    let lastWrite = 0;
    try {
      await markRunner(this.store, job.envId, job.jobId, this.id);
      const { via: _via, ...options } = job.request.options as PlanOptions & { via?: string };
      // read on a reader thread: the event loop serves other environments meanwhile
      const pkg = await (this.opts.reader ?? sharedReadPool()).readPackage(job.bytes, {
        label: job.label,
        variant: job.request.variant,
      });
      const out = await importSolution(this.store, {
        environment: job.environment,
        source: pkg,
        label: job.label,
        options,
        variant: job.request.variant,
        jobId: job.jobId,
        onProgress: (p) => {
          // progress is written at most a few times a second; the last stage always lands
          const now = Date.now();
          if (now - lastWrite < 250 && p.percent < 100) return;
          lastWrite = now;
          void updateJobProgress(this.store, job.envId, job.jobId, p.percent, p.stage).catch(
            () => undefined,
          );
        },
      });
      log?.info(
        {
          jobId: job.jobId,
          environment: job.environment,
          kind: out.plan.kind,
          seconds: out.seconds.total,
        },
        'import finished',
      );
    } catch (e) {
      // importSolution records plan and write failures in the job itself; a package that could
      // not be read at all never got that far, so the job is failed here
      const status = await jobStatus(this.store, job.envId, job.jobId);
      if (status === 'queued' || status === 'running') {
        await finishJob(this.store, {
          envId: job.envId,
          id: job.jobId,
          status: 'failed',
          result: 'failure',
          code: e instanceof StrataError ? e.code : 'IMPORT_FAILED',
          message: `Solution import: FAILURE: ${(e as Error).message}`,
          results: [],
        });
      }
      log?.info(
        {
          jobId: job.jobId,
          environment: job.environment,
          code: e instanceof StrataError ? e.code : 'INTERNAL',
        },
        'import failed',
      );
      if (!(e instanceof StrataError))
        log?.error({ err: e, jobId: job.jobId }, 'import failed unexpectedly');
    } finally {
      clearInterval(beat);
      // (an import that ran left the queue with its end; this is for one that never started)
      await dequeue(this.store, job.envId, job.jobId).catch((e) =>
        log?.error({ err: e, jobId: job.jobId }, 'could not dequeue'),
      );
    }
  }
}
