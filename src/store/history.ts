import type { Queryable } from './store.js';

export interface HistoryEntry {
  solutionName: string;
  solutionVersion: string | null;
  publisher: string | null;
  managed: boolean | null;
  /** import, uninstall, export, publish, ... */
  operation: string;
  /** new, update, upgrade, holding, apply, none */
  subOperation: string;
  options: Record<string, unknown>;
  startedOn: Date;
  endedOn: Date;
  result: 'success' | 'failure';
  errorCode?: string | null;
  message?: string | null;
  jobId?: string | null;
}

export async function recordHistory(db: Queryable, envId: number, h: HistoryEntry): Promise<void> {
  await db.query(
    `INSERT INTO history (env_id, solution_name, solution_version, publisher, managed, operation,
       sub_operation, options, started_on, ended_on, result, error_code, message, job_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
    [
      envId,
      h.solutionName,
      h.solutionVersion,
      h.publisher,
      h.managed,
      h.operation,
      h.subOperation,
      JSON.stringify(h.options),
      h.startedOn.toISOString(),
      h.endedOn.toISOString(),
      h.result,
      h.errorCode ?? null,
      h.message ?? null,
      h.jobId ?? null,
    ],
  );
}

export async function listHistory(
  db: Queryable,
  envId: number,
  limit = 100,
): Promise<Array<HistoryEntry & { id: number }>> {
  const rows = await db.query<Record<string, unknown>>(
    'SELECT * FROM history WHERE env_id = $1 ORDER BY id DESC LIMIT $2',
    [envId, limit],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    solutionName: String(r.solution_name),
    solutionVersion: (r.solution_version as string) ?? null,
    publisher: (r.publisher as string) ?? null,
    managed: r.managed === null ? null : Boolean(r.managed),
    operation: String(r.operation),
    subOperation: String(r.sub_operation),
    options: r.options as Record<string, unknown>,
    startedOn: new Date(r.started_on as string),
    endedOn: new Date(r.ended_on as string),
    result: r.result as 'success' | 'failure',
    errorCode: (r.error_code as string) ?? null,
    message: (r.message as string) ?? null,
    jobId: (r.job_id as string) ?? null,
  }));
}
