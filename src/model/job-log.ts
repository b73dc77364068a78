/**
 * An import job as the user sees it: status, progress by stage and component, and one
 * result per component. The store persists it; jobs/log-*.ts render it as the downloadable
 * log (SpreadsheetML 2003 XML, opens in Excel and LibreOffice) and as JSON.
 */
export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed';
export type ResultKind = 'success' | 'warning' | 'failure';

/**
 * Named stages of an import, reported by progress and in the log (read → validate → plan → apply
 * → publish).
 */
export type Stage = 'read' | 'validate' | 'plan' | 'apply' | 'publish';

export interface ComponentResult {
  /** order of processing, 1-based */
  seq: number;
  /** strata type name, e.g. "attribute" */
  type: string;
  /** the type's name as people read it, e.g. "Column"; a workflow's by its Category, "Cloud flow" */
  typeLabel: string;
  /** the name the type is shown by when the type alone does not say it (a workflow's Category) */
  displayType?: string;
  /** stable key, e.g. "account.new_field" */
  key: string;
  /** display name */
  name: string;
  result: ResultKind;
  /** what happened: "added", "updated", "skipped", "published", ... */
  action: string;
  /** stable error/warning code, empty on success */
  code: string;
  message: string;
  durationMs: number;
}

export interface ImportJobLog {
  jobId: string;
  environment: string;
  solution: {
    uniqueName: string;
    displayName: string;
    version: string;
    managed: boolean;
    publisher: string;
  };
  operation: string;
  status: JobStatus;
  /** 0..100 */
  progress: number;
  startedOn: string;
  completedOn: string | null;
  /** overall result of the solution manifest step */
  result: ResultKind;
  code: string;
  message: string;
  results: ComponentResult[];
}
