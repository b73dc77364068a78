/**
 * The tables of `strata list` and `strata history`, the same whether the rows come from the local
 * store or from a server's Dataverse Web API (cli/remote): each side maps its rows to these shapes.
 */
import { table } from './render.js';

/** A solution as `strata list` shows it. */
export interface SolutionListing {
  uniqueName: string;
  friendlyName: string | null;
  version: string | null;
  managed: boolean;
  publisher: string | null;
  publisherName?: string | null;
  parentUniqueName?: string | null;
  /** a Microsoft solution of the environment's template (`list --all`) */
  template?: string;
  components: number | null;
  /** ISO date and time */
  installedOn: string | null;
}

export function solutionsTable(rows: SolutionListing[]): string {
  return table(
    [
      'Unique name',
      'Display name',
      'Version',
      'Managed',
      'Publisher',
      'Components',
      'Installed on',
    ],
    rows.map((r) => [
      r.uniqueName +
        (r.parentUniqueName ? ` (patch of ${r.parentUniqueName})` : '') +
        (r.template ? ` (template ${r.template})` : ''),
      r.friendlyName,
      r.version,
      r.managed ? 'yes' : 'no',
      r.publisherName ?? r.publisher,
      r.components,
      dateTime(r.installedOn),
    ]),
  );
}

/** An operation as `strata history` shows it. */
export interface HistoryListing {
  /** the environment's revision it made (local store only) */
  revision?: number | null;
  /** ISO date and time */
  startedOn: string | null;
  solutionName: string | null;
  solutionVersion: string | null;
  operation: string;
  subOperation: string;
  result: string;
  seconds: number | null;
  errorCode?: string | null;
  jobId?: string | null;
}

/** `withRevisions`: the local store numbers its revisions; a server's history does not say them. */
export function historyTable(rows: HistoryListing[], withRevisions: boolean): string {
  const head = [
    'Started',
    'Solution',
    'Version',
    'Operation',
    'Sub-operation',
    'Result',
    'Duration',
    'Job / error',
  ];
  return table(
    withRevisions ? ['Revision', ...head] : head,
    rows.map((h) => {
      const cells = [
        dateTime(h.startedOn),
        h.solutionName,
        h.solutionVersion ?? '',
        h.operation,
        h.subOperation,
        h.result,
        h.seconds === null ? '' : `${h.seconds.toFixed(2)} s`,
        h.errorCode
          ? `${h.errorCode}${h.jobId ? ` (job ${h.jobId.slice(0, 8)})` : ''}`
          : (h.jobId?.slice(0, 8) ?? ''),
      ];
      return withRevisions ? [h.revision == null ? '' : String(h.revision), ...cells] : cells;
    }),
  );
}

function dateTime(iso: string | null): string {
  return iso ? iso.slice(0, 19).replace('T', ' ') : '';
}
