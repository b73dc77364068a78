import type { ImportJobLog } from '../model/job-log.js';

export interface LogSummary {
  total: number;
  success: number;
  warning: number;
  failure: number;
}

function summarizeLog(log: ImportJobLog): LogSummary {
  const s: LogSummary = { total: log.results.length, success: 0, warning: 0, failure: 0 };
  for (const r of log.results) {
    if (r.result === 'success') s.success++;
    else if (r.result === 'warning') s.warning++;
    else if (r.result === 'failure') s.failure++;
  }
  return s;
}

/**
 * The import log as pretty JSON (2-space indent): the log as stored, results in the given (seq)
 * order, plus a summary.
 */
export function renderJsonLog(log: ImportJobLog): string {
  return `${JSON.stringify({ ...log, summary: summarizeLog(log) }, null, 2)}\n`;
}
