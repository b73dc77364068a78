import { StrataError } from '../model/errors.js';
import type { ImportJobLog } from '../model/job-log.js';
import { recordHistory } from './history.js';
import { importJobClaim } from './jobs.js';
import { isUniqueViolation } from './sqlstate.js';
import type { Queryable, Store } from './store.js';

/**
 * The import queue (spec §9: one import at a time per environment; strata queues the rest).
 *
 * A queued import is a job row (status 'queued', so clients can poll it at once) plus a queue row
 * holding the package. A runner claims the oldest queued import of an environment that has none
 * running by setting its queue row to 'running'; the partial unique index
 * import_queue_one_running makes the database refuse a second running row for the same
 * environment, so two runners — in one process or in two servers sharing PostgreSQL — cannot
 * both start one. The queue row goes when the import finished; the job row stays as its log.
 */
export interface QueuedRequest {
  /** PlanOptions, as sent */
  options: Record<string, unknown>;
  variant?: 'unmanaged' | 'managed';
  /** who asked: 'api', 'webapi', 'ui', ... (for the job's options and the logs) */
  via: string;
}

export interface ClaimedImport {
  jobId: string;
  envId: number;
  environment: string;
  label: string;
  bytes: Uint8Array;
  request: QueuedRequest;
}

export interface ImportToQueue {
  jobId: string;
  envId: number;
  label: string;
  bytes: Uint8Array;
  solution: ImportJobLog['solution'];
  request: QueuedRequest;
}

/**
 * Queues an import: its job row and its queue row, in one transaction. A job id the environment
 * already has (a client's retry racing its lost original) is refused with IMPORT_JOB_EXISTS, and
 * nothing is queued. Another environment's job ids do not count: ids name jobs per environment.
 */
export async function enqueueImport(store: Store, job: ImportToQueue): Promise<void> {
  try {
    await store.transaction((tx) => insertQueued(tx, job));
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    // the one unique key a queued job can collide on is its id in its environment (import_jobs'
    // primary key)
    throw new StrataError('IMPORT_JOB_EXISTS', `An import job ${job.jobId} already exists.`, {
      hint: 'Give each import a new job id; the job with this id is the one to follow.',
    });
  }
}

async function insertQueued(tx: Queryable, job: ImportToQueue): Promise<void> {
  await tx.query(
    `INSERT INTO import_jobs
       (id, env_id, solution_name, operation, status, progress, stage, solution, options, queued_on)
     VALUES ($1, $2, $3, 'import', 'queued', 0, 'queued', $4, $5, now())`,
    [
      job.jobId,
      job.envId,
      job.solution.uniqueName,
      JSON.stringify(job.solution),
      JSON.stringify({ ...job.request.options, via: job.request.via }),
    ],
  );
  await tx.query(
    `INSERT INTO import_queue (job_id, env_id, state, package, label, request)
     VALUES ($1, $2, 'queued', decode($3, 'base64'), $4, $5)`,
    [
      job.jobId,
      job.envId,
      Buffer.from(job.bytes).toString('base64'),
      job.label,
      JSON.stringify(job.request),
    ],
  );
}

/**
 * Claims the next import that may start: the oldest queued one of an environment with nothing
 * running and nothing queued before it. Returns null when there is none, or when another runner
 * won the race for that environment (the unique index refused this one).
 */
export async function claimNextImport(store: Store, runner: string): Promise<ClaimedImport | null> {
  try {
    const rows = await store.query<Record<string, unknown>>(
      `UPDATE import_queue q SET state = 'running', claimed_by = $1, heartbeat_on = now()
       FROM environments e
       WHERE e.id = q.env_id AND q.job_id = (
         SELECT c.job_id FROM import_queue c
         WHERE c.state = 'queued'
           AND NOT EXISTS (SELECT 1 FROM import_queue r
                           WHERE r.env_id = c.env_id AND r.state = 'running')
           AND NOT EXISTS (SELECT 1 FROM import_queue b
                           WHERE b.env_id = c.env_id AND b.state = 'queued' AND b.seq < c.seq)
         ORDER BY c.seq LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING q.job_id, q.env_id, e.name, q.label,
         encode(q.package, 'base64') AS package, q.request`,
      [runner],
    );
    if (!rows.length) return null;
    const r = rows[0];
    return {
      jobId: String(r.job_id),
      envId: Number(r.env_id),
      environment: String(r.name),
      label: String(r.label),
      bytes: new Uint8Array(Buffer.from(String(r.package), 'base64')),
      request: (typeof r.request === 'string' ? JSON.parse(r.request) : r.request) as QueuedRequest,
    };
  } catch (e) {
    // another runner started an import in that environment first
    if (isUniqueViolation(e)) return null;
    throw e;
  }
}

/** Records which runner (host:pid:id) runs a job, for the log and for operators. */
export async function markRunner(
  db: Queryable,
  envId: number,
  jobId: string,
  runner: string,
): Promise<void> {
  await db.query('UPDATE import_jobs SET runner = $3 WHERE env_id = $1 AND id = $2', [
    envId,
    jobId,
    runner,
  ]);
}

/** The runner is alive and still on this job. */
export async function heartbeat(db: Queryable, envId: number, jobId: string): Promise<void> {
  await db.query('UPDATE import_queue SET heartbeat_on = now() WHERE env_id = $1 AND job_id = $2', [
    envId,
    jobId,
  ]);
}

/**
 * The import ran (whatever its result): its package leaves the queue. Done in the import's own
 * transaction (engine/import.ts), so the next import of the environment may start the moment this
 * one committed, whatever becomes of its process afterwards.
 */
export async function dequeue(db: Queryable, envId: number, jobId: string): Promise<void> {
  await db.query('DELETE FROM import_queue WHERE env_id = $1 AND job_id = $2', [envId, jobId]);
}

const INTERRUPTED =
  'The process running this import (strata import, or a server) stopped before the import ' +
  'finished. Nothing was changed; import the package again.';

/**
 * Ends an interrupted job: failed with JOB_INTERRUPTED, recorded in history, out of the queue.
 * Only a job still queued or running is touched: one that ended meanwhile stays as it ended.
 */
async function markInterrupted(tx: Queryable, envId: number, jobId: string): Promise<boolean> {
  const rows = await tx.query<{ solution: { uniqueName: string; version: string } | string }>(
    `UPDATE import_jobs
     SET status = 'failed', result = 'failure', code = 'JOB_INTERRUPTED', completed_on = now(),
       message = $3
     WHERE env_id = $1 AND id = $2 AND status IN ('queued', 'running')
     RETURNING solution, options, started_on, completed_on`,
    [envId, jobId, INTERRUPTED],
  );
  await dequeue(tx, envId, jobId);
  if (!rows.length) return false;
  const r = rows[0] as Record<string, unknown>;
  const solution = (typeof r.solution === 'string' ? JSON.parse(r.solution) : r.solution) as {
    uniqueName: string;
    version?: string;
    publisher?: string;
    managed?: boolean;
  };
  await recordHistory(tx, envId, {
    solutionName: solution.uniqueName,
    solutionVersion: solution.version ?? null,
    publisher: solution.publisher ?? null,
    managed: solution.managed ?? null,
    operation: 'import',
    subOperation: 'none',
    options: (r.options as Record<string, unknown>) ?? {},
    startedOn: new Date(r.started_on as string),
    endedOn: new Date(r.completed_on as string),
    result: 'failure',
    errorCode: 'JOB_INTERRUPTED',
    message: INTERRUPTED,
    jobId,
  });
  return true;
}

/**
 * A runner that stopped without finishing (its process died) leaves a 'running' queue row whose
 * heartbeat goes stale. Its import wrote nothing (the job's end commits with the import), so the
 * job is marked failed and the environment's queue moves on. A job whose process still claims
 * it is alive, however late its heartbeat.
 */
export async function failStaleImports(store: Store, staleSeconds: number): Promise<string[]> {
  const stale = await store.query<{ env_id: number; job_id: string }>(
    `SELECT env_id, job_id FROM import_queue
     WHERE state = 'running' AND heartbeat_on < now() - make_interval(secs => $1)`,
    [staleSeconds],
  );
  return failUnclaimed(
    store,
    stale.map((s) => ({ envId: Number(s.env_id), id: String(s.job_id) })),
  );
}

/**
 * Jobs shown 'running' that no live process claims (Store.claim, importJobClaim): the process
 * that ran them died — a `strata import` killed, a server gone. Their imports did not commit
 * (a job's end commits with its import), so they are marked failed with JOB_INTERRUPTED. Run
 * whenever a store is opened (store/open.ts) and by the server's runner. Returns their ids.
 */
export async function failInterruptedImports(store: Store): Promise<string[]> {
  const running = await store.query<{ env_id: number; id: string }>(
    "SELECT env_id, id FROM import_jobs WHERE status = 'running'",
  );
  return failUnclaimed(
    store,
    running.map((j) => ({ envId: Number(j.env_id), id: String(j.id) })),
  );
}

async function failUnclaimed(
  store: Store,
  jobs: Array<{ envId: number; id: string }>,
): Promise<string[]> {
  const failed: string[] = [];
  for (const { envId, id } of jobs) {
    if (await store.isClaimed(importJobClaim(envId, id))) continue;
    // a job that ended between the two reads keeps its end (markInterrupted checks the status)
    if (await store.transaction((tx) => markInterrupted(tx, envId, id))) failed.push(id);
  }
  return failed;
}

/**
 * Whether an import job of the environment is running (or an interrupted one is not yet failed:
 * failInterruptedImports fails those when a store opens). A rollback refuses meanwhile.
 */
export async function importRunning(db: Queryable, envId: number): Promise<boolean> {
  const rows = await db.query(
    "SELECT 1 FROM import_jobs WHERE env_id = $1 AND status = 'running' LIMIT 1",
    [envId],
  );
  return rows.length > 0;
}
