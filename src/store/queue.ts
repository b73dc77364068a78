import { StrataError } from '../model/errors.js';
import type { ImportJobLog } from '../model/job-log.js';
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
 * Queues an import: its job row and its queue row, in one transaction. A job id that is already
 * taken (a client's retry racing its lost original) is refused with IMPORT_JOB_EXISTS, and
 * nothing is queued.
 */
export async function enqueueImport(store: Store, job: ImportToQueue): Promise<void> {
  try {
    await store.transaction((tx) => insertQueued(tx, job));
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    // the one unique key a queued job can collide on is its id (import_jobs' primary key)
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
export async function markRunner(db: Queryable, jobId: string, runner: string): Promise<void> {
  await db.query('UPDATE import_jobs SET runner = $2 WHERE id = $1', [jobId, runner]);
}

/** The runner is alive and still on this job. */
export async function heartbeat(db: Queryable, jobId: string): Promise<void> {
  await db.query('UPDATE import_queue SET heartbeat_on = now() WHERE job_id = $1', [jobId]);
}

/** The import ran (whatever its result): its package leaves the queue. */
export async function dequeue(db: Queryable, jobId: string): Promise<void> {
  await db.query('DELETE FROM import_queue WHERE job_id = $1', [jobId]);
}

const INTERRUPTED =
  'The server running this import stopped before it finished. ' +
  'Nothing was changed; import the package again.';

/**
 * A runner that stopped without finishing (its process died) leaves a 'running' row whose
 * heartbeat goes stale. Its import wrote nothing (one transaction), so the job is marked failed
 * and the environment's queue moves on.
 */
export async function failStaleImports(store: Store, staleSeconds: number): Promise<string[]> {
  return store.transaction(async (tx) => {
    const stale = await tx.query<{ job_id: string }>(
      `DELETE FROM import_queue
       WHERE state = 'running' AND heartbeat_on < now() - make_interval(secs => $1)
       RETURNING job_id`,
      [staleSeconds],
    );
    for (const s of stale) {
      await tx.query(
        `UPDATE import_jobs
         SET status = 'failed', result = 'failure', code = 'JOB_INTERRUPTED', completed_on = now(),
           message = $2
         WHERE id = $1 AND status IN ('queued', 'running')`,
        [s.job_id, INTERRUPTED],
      );
    }
    return stale.map((s) => String(s.job_id));
  });
}

/** The job must belong to the environment (tokens open one environment; ids are global). */
export async function jobEnvironment(db: Queryable, jobId: string): Promise<number> {
  if (!/^[0-9a-f-]{36}$/i.exec(jobId))
    throw new StrataError('JOB_NOT_FOUND', `No import job ${jobId}.`, {
      hint: 'Job ids are GUIDs, as returned when the import was queued.',
    });
  const rows = await db.query<{ env_id: number }>('SELECT env_id FROM import_jobs WHERE id = $1', [
    jobId,
  ]);
  if (!rows.length)
    throw new StrataError('JOB_NOT_FOUND', `No import job ${jobId}.`, {
      hint:
        'Job ids are returned when the import is queued; ' +
        "GET /api/v1/jobs lists this environment's jobs.",
    });
  return Number(rows[0].env_id);
}
