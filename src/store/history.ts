import { nameRevision } from './revisions.js';
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
  /** the revision of the environment the operation made (read back only; none for a failure) */
  revision?: number | null;
}

/**
 * A history row; when the transaction made a revision (store/revisions.ts), the row names it and
 * it is named after the row's operation.
 */
export async function recordHistory(db: Queryable, envId: number, h: HistoryEntry): Promise<void> {
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO history (env_id, solution_name, solution_version, publisher, managed, operation,
       sub_operation, options, started_on, ended_on, result, error_code, message, job_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
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
  if (h.result === 'success')
    await nameRevision(db, envId, {
      historyId: Number(row.id),
      operation: h.operation,
      subOperation: h.subOperation,
      solution: h.solutionName,
    });
}

export async function listHistory(
  db: Queryable,
  envId: number,
  limit = 100,
): Promise<Array<HistoryEntry & { id: number }>> {
  return (await queryHistory(db, envId, { limit, count: false })).rows;
}

/** What a history page asks for: filters (each optional), then a page of newest-first rows. */
export interface HistoryQuery {
  /** solution unique names (any of them) */
  solutions?: string[];
  operation?: string;
  result?: 'success' | 'failure';
  limit?: number;
  offset?: number;
  /** also count every matching row (the total a pager shows); default true */
  count?: boolean;
}

/** A page of the history that matches the filters, newest first, and how many rows match. */
export async function queryHistory(
  db: Queryable,
  envId: number,
  q: HistoryQuery = {},
): Promise<{ rows: Array<HistoryEntry & { id: number }>; total: number | null }> {
  const where = ['env_id = $1'];
  const args: unknown[] = [envId];
  if (q.solutions?.length) {
    // unique names match in any case, as in Dataverse (decision 39)
    const at = q.solutions.map((name) => {
      args.push(name.toLowerCase());
      return `$${args.length}`;
    });
    where.push(`lower(solution_name) IN (${at.join(', ')})`);
  }
  if (q.operation) {
    args.push(q.operation);
    where.push(`operation = $${args.length}`);
  }
  if (q.result) {
    args.push(q.result);
    where.push(`result = $${args.length}`);
  }
  const filter = where.join(' AND ');
  const page = [...args, q.limit ?? 100, q.offset ?? 0];
  const rows = await db.query<Record<string, unknown>>(
    `SELECT h.*, r.number AS revision FROM history h
     LEFT JOIN revisions r ON r.env_id = h.env_id AND r.history_id = h.id
     WHERE ${filter.replace(/\b(env_id|solution_name|operation|result)\b/g, 'h.$1')}
     ORDER BY h.id DESC ` + `LIMIT $${page.length - 1} OFFSET $${page.length}`,
    page,
  );
  let total: number | null = null;
  if (q.count !== false) {
    const c = await db.query<{ n: unknown }>(
      `SELECT count(*) AS n FROM history WHERE ${filter}`,
      args,
    );
    total = Number(c[0]?.n ?? 0);
  }
  return { rows: rows.map(historyRow), total };
}

function historyRow(r: Record<string, unknown>): HistoryEntry & { id: number } {
  return {
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
    revision: r.revision === null || r.revision === undefined ? null : Number(r.revision),
  };
}
