import { constants, deflateRawSync, inflateRawSync } from 'node:zlib';
import { StrataError } from '../model/errors.js';
import type { ComponentResult, ImportJobLog, JobStatus, ResultKind } from '../model/job-log.js';
import type { Queryable } from './store.js';

export interface NewJob {
  id: string;
  envId: number;
  solution: ImportJobLog['solution'];
  operation: string;
  options: Record<string, unknown>;
}

/**
 * Job ids name jobs within their environment (migration 7): every lookup is scoped by one, so
 * a client of one environment gets the same answers for another environment's job id as for an
 * id nobody used.
 */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function jobNotFound(id: string): StrataError {
  return new StrataError('JOB_NOT_FOUND', `No import job ${id}.`, {
    hint:
      'Job ids are returned when the import is queued; ' +
      "GET /api/v1/jobs (or strata history) lists the environment's jobs.",
  });
}

/**
 * What a process running an import claims (Store.claim) before the job shows 'running', until
 * the job's end has committed: a running job nobody claims was interrupted.
 */
export function importJobClaim(envId: number, jobId: string): string {
  return `strata import job ${envId} ${jobId.toLowerCase()}`;
}

/**
 * Starts a job: a new row, or the queued row of the same id (jobs/runner.ts), which starts
 * running now. The caller claimed it first (importJobClaim).
 */
export async function createJob(db: Queryable, job: NewJob): Promise<void> {
  await db.query(
    `INSERT INTO import_jobs
       (id, env_id, solution_name, operation, status, progress, stage, solution, options)
     VALUES ($1, $2, $3, $4, $5, 0, $6, $7, $8)
     ON CONFLICT (env_id, id) DO UPDATE SET solution_name = EXCLUDED.solution_name,
       operation = EXCLUDED.operation, status = EXCLUDED.status, stage = EXCLUDED.stage,
       solution = EXCLUDED.solution, options = EXCLUDED.options, started_on = now()`,
    [
      job.id,
      job.envId,
      job.solution.uniqueName,
      job.operation,
      'running',
      'read',
      JSON.stringify(job.solution),
      JSON.stringify(job.options),
    ],
  );
}

/** Where a job stands; a job that ended (its end committed with the import) stays as it ended. */
export async function updateJobProgress(
  db: Queryable,
  envId: number,
  id: string,
  progress: number,
  stage: string,
): Promise<void> {
  await db.query(
    `UPDATE import_jobs SET progress = $3, stage = $4
     WHERE env_id = $1 AND id = $2 AND status IN ('queued', 'running')`,
    [envId, id, progress, stage],
  );
}

/** A job's per-component results, serialized and deflated for finishJob (see packResults). */
export interface PackedResults {
  base64: string;
}

/**
 * Serializes and deflates results for finishJob, a piece at a time: the results are one
 * document (like Dataverse's importjob.data), one raw deflate stream of pieces each flushed to a
 * byte boundary. At 105,001 components the text is 25 MB; as one string and one buffer it was
 * 50 MB at once, and given to a zlib stream in pieces it waited whole in the stream's buffer: the
 * stream compresses a piece on the thread pool only when the event loop turns, which an import's
 * write does not let it do until the end, where its compression ran anyway (0.2 s at that size,
 * the same here). Now each piece is compressed as it is made (level 1), and only the 1–2 MB of
 * compressed bytes is kept.
 */
export function packResults(results: ComponentResult[]): PackedResults {
  const out: Buffer[] = [];
  for (let i = 0; i === 0 || i < results.length; i += PACK_PIECE) {
    const last = i + PACK_PIECE >= results.length;
    // serialized as they are, type label included (plain JSON.stringify is about twice as fast
    // as one with a key list or over copies); loadJob derives the label from the type again
    const piece = JSON.stringify(results.slice(i, i + PACK_PIECE));
    // the piece's elements, without its brackets (ASCII, so a slice of the text)
    const text = (i > 0 ? ',' : '[') + piece.slice(1, -1) + (last ? ']' : '');
    out.push(
      deflateRawSync(text, {
        level: 1,
        finishFlush: last ? constants.Z_FINISH : constants.Z_SYNC_FLUSH,
      }),
    );
  }
  // deflated before it travels: sending megabytes of text into PGlite costs more than zlib does
  return { base64: Buffer.concat(out).toString('base64') };
}

/** Results serialized at once by packResults: about 1 MB of text. */
const PACK_PIECE = 5_000;

/** How a job ended, as its row records it. */
export interface JobEnd {
  envId: number;
  id: string;
  status: JobStatus;
  result: ResultKind;
  code: string;
  message: string;
  results: ComponentResult[] | PackedResults;
  /** the solution and options as planned (a staged upgrade names NAME_Upgrade), when known */
  solution?: ImportJobLog['solution'];
  options?: Record<string, unknown>;
}

/** Ends a job: in the import's own transaction, so the job ends exactly when the import does. */
export async function finishJob(db: Queryable, end: JobEnd): Promise<void> {
  const packed = (Array.isArray(end.results) ? packResults(end.results) : end.results).base64;
  await db.query(
    `UPDATE import_jobs SET status = $3, result = $4, code = $5, message = $6,
       progress = CASE WHEN $3 = 'succeeded' THEN 100 ELSE progress END,
       stage = CASE WHEN $3 = 'succeeded' THEN 'publish' ELSE stage END,
       completed_on = now(), results_deflated = decode($7, 'base64'),
       solution = coalesce($8::jsonb, solution),
       solution_name = coalesce($8::jsonb ->> 'uniqueName', solution_name),
       options = coalesce($9::jsonb, options)
     WHERE env_id = $1 AND id = $2`,
    [
      end.envId,
      end.id,
      end.status,
      end.result,
      end.code,
      end.message,
      packed,
      end.solution ? JSON.stringify(end.solution) : null,
      end.options ? JSON.stringify(end.options) : null,
    ],
  );
}

/**
 * Reads a job (by full id or a unique prefix) with its per-component results: in environment
 * `envId`, or (the CLI, which sees every environment) in any.
 */
export async function loadJob(
  db: Queryable,
  idOrPrefix: string,
  labelOf: (type: string) => string,
  envId?: number,
): Promise<ImportJobLog> {
  const q = idOrPrefix.toLowerCase();
  const rows = await db.query<Record<string, unknown>>(
    `SELECT j.id, j.solution, j.operation, j.status, j.progress, j.started_on, j.completed_on,
       j.result, j.code, j.message, j.results,
       encode(j.results_deflated, 'base64') AS results_b64, e.name AS env_name
     FROM import_jobs j JOIN environments e ON e.id = j.env_id
     WHERE j.id::text LIKE $1 AND ($2::int IS NULL OR j.env_id = $2)
     ORDER BY j.id::text = $3 DESC, j.started_on DESC LIMIT 2`,
    [`${q.replace(/[%_\\]/g, '')}%`, envId ?? null, q],
  );
  if (rows.length === 0) throw jobNotFound(idOrPrefix);
  // a whole id names one job, unless two environments use it (the CLI looks in all of them)
  const exact = String(rows[0].id) === q && String(rows[1]?.id) !== q;
  if (rows.length > 1 && !exact)
    throw new StrataError('JOB_AMBIGUOUS', `More than one job has an id starting ${idOrPrefix}.`, {
      hint:
        'Give more characters of the job id, or name its environment (strata log JOB --env ' +
        'NAME): a job id names a job in its environment, and two may use the same one.',
    });
  const j = rows[0];
  const doc =
    j.results_b64 != null
      ? inflateRawSync(Buffer.from(String(j.results_b64), 'base64')).toString('utf8')
      : String(j.results ?? '[]');
  const results = JSON.parse(doc) as Array<Record<string, unknown>>;
  return {
    jobId: String(j.id),
    environment: String(j.env_name),
    solution: j.solution as ImportJobLog['solution'],
    operation: String(j.operation),
    status: j.status as JobStatus,
    progress: Number(j.progress),
    startedOn: new Date(j.started_on as string).toISOString(),
    completedOn: j.completed_on ? new Date(j.completed_on as string).toISOString() : null,
    result: (j.result as ResultKind) ?? 'success',
    code: (j.code as string) ?? '',
    message: (j.message as string) ?? '',
    results: results.map((r) => ({
      seq: Number(r.seq),
      type: String(r.type),
      typeLabel: labelOf(String(r.displayType ?? r.type)),
      ...(r.displayType ? { displayType: String(r.displayType) } : {}),
      key: String(r.key),
      name: String(r.name),
      result: r.result as ResultKind,
      action: String(r.action),
      code: String(r.code),
      message: String(r.message),
      durationMs: Number(r.durationMs),
    })),
  };
}

/** A job as clients poll it: no per-component rows, but where it stands in the queue. */
export interface JobSummary {
  jobId: string;
  environment: string;
  solution: ImportJobLog['solution'];
  status: JobStatus;
  stage: string | null;
  progress: number;
  /**
   * imports ahead of this one in its environment's queue (0: running or next); null once it
   * left the queue
   */
  importsAhead: number | null;
  queuedOn: string | null;
  startedOn: string;
  completedOn: string | null;
  result: ResultKind | null;
  code: string | null;
  message: string | null;
  options: Record<string, unknown>;
  /** the server process that ran it (host:pid:id) */
  runner: string | null;
  /** per-component outcomes once the job finished */
  counts: { success: number; warning: number; failure: number } | null;
}

const SUMMARY_COLUMNS = `j.id, e.name AS env_name, j.runner, j.solution, j.status, j.stage,
  j.progress, j.queued_on, j.started_on, j.completed_on, j.result, j.code, j.message, j.options,
  (SELECT CASE WHEN q.state = 'running' THEN 0 ELSE (
     SELECT count(*) FROM import_queue a
     WHERE a.env_id = q.env_id AND a.job_id <> q.job_id AND (a.state = 'running' OR a.seq < q.seq)
   ) END
   FROM import_queue q WHERE q.env_id = j.env_id AND q.job_id = j.id)::int AS ahead`;

function summaryOf(j: Record<string, unknown>, counts: JobSummary['counts']): JobSummary {
  const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);
  return {
    jobId: String(j.id),
    environment: String(j.env_name),
    solution: j.solution as ImportJobLog['solution'],
    status: j.status as JobStatus,
    stage: (j.stage as string) ?? null,
    progress: Number(j.progress),
    importsAhead:
      j.ahead === null || j.ahead === undefined || j.status === 'succeeded' || j.status === 'failed'
        ? null
        : Number(j.ahead),
    queuedOn: iso(j.queued_on),
    startedOn: iso(j.started_on)!,
    completedOn: iso(j.completed_on),
    result: (j.result as ResultKind) ?? null,
    code: (j.code as string) ?? null,
    message: (j.message as string) ?? null,
    options: (j.options as Record<string, unknown>) ?? {},
    runner: (j.runner as string) ?? null,
    counts,
  };
}

/** A job of environment `envId`; any other id, whether used elsewhere or not, is not found. */
export async function jobSummary(db: Queryable, envId: number, id: string): Promise<JobSummary> {
  if (!GUID.test(id)) throw jobNotFound(id);
  const rows = await db.query<Record<string, unknown>>(
    `SELECT ${SUMMARY_COLUMNS}, encode(j.results_deflated, 'base64') AS results_b64
     FROM import_jobs j JOIN environments e ON e.id = j.env_id
     WHERE j.env_id = $1 AND j.id = $2`,
    [envId, id],
  );
  if (!rows.length) throw jobNotFound(id);
  const j = rows[0];
  let counts: JobSummary['counts'] = null;
  if (j.results_b64 != null) {
    counts = { success: 0, warning: 0, failure: 0 };
    for (const r of JSON.parse(
      inflateRawSync(Buffer.from(String(j.results_b64), 'base64')).toString('utf8'),
    ) as Array<{ result: ResultKind }>)
      counts[r.result]++;
  }
  return summaryOf(j, counts);
}

export async function listJobs(db: Queryable, envId: number, top = 50): Promise<JobSummary[]> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT ${SUMMARY_COLUMNS}
     FROM import_jobs j JOIN environments e ON e.id = j.env_id
     WHERE j.env_id = $1 ORDER BY coalesce(j.queued_on, j.started_on) DESC LIMIT $2`,
    [envId, top],
  );
  return rows.map((j) => summaryOf(j, null));
}

/** Whether environment `envId` has an import job with this id. */
export async function importJobExists(db: Queryable, envId: number, id: string): Promise<boolean> {
  if (!GUID.test(id)) return false;
  const rows = await db.query('SELECT 1 FROM import_jobs WHERE env_id = $1 AND id = $2', [
    envId,
    id,
  ]);
  return rows.length > 0;
}

/** A job's status, or null when environment `envId` has no job with this id. */
export async function jobStatus(
  db: Queryable,
  envId: number,
  id: string,
): Promise<JobStatus | null> {
  const rows = await db.query<{ status: string }>(
    'SELECT status FROM import_jobs WHERE env_id = $1 AND id = $2',
    [envId, id],
  );
  return rows.length ? (rows[0].status as JobStatus) : null;
}

/** An import job's row as it is stored (no results, no queue position). */
export interface ImportJobRecord {
  jobId: string;
  solutionName: string;
  solution: ImportJobLog['solution'];
  status: JobStatus;
  stage: string | null;
  progress: number;
  queuedOn: string | null;
  startedOn: string | null;
  completedOn: string | null;
  result: ResultKind | null;
  code: string | null;
  message: string | null;
  /** PlanOptions as sent, and who sent them (`via`) */
  options: Record<string, unknown>;
}

/** An environment's import jobs (or the one with this id), newest first. */
export async function importJobRecords(
  db: Queryable,
  envId: number,
  id?: string,
): Promise<ImportJobRecord[]> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT id, solution_name, solution, operation, status, progress, stage, started_on,
       completed_on, queued_on, result, code, message, options
     FROM import_jobs WHERE env_id = $1${id ? ' AND id::text = lower($2)' : ''}
     ORDER BY coalesce(queued_on, started_on) DESC`,
    id ? [envId, id] : [envId],
  );
  const iso = (v: unknown): string | null => (v ? new Date(v as string).toISOString() : null);
  return rows.map((r) => ({
    jobId: String(r.id),
    solutionName: String(r.solution_name),
    solution: r.solution as ImportJobLog['solution'],
    status: r.status as JobStatus,
    stage: (r.stage as string) ?? null,
    progress: Number(r.progress),
    queuedOn: iso(r.queued_on),
    startedOn: iso(r.started_on),
    completedOn: iso(r.completed_on),
    result: (r.result as ResultKind) ?? null,
    code: (r.code as string) ?? null,
    message: (r.message as string) ?? null,
    options: (r.options as Record<string, unknown>) ?? {},
  }));
}
