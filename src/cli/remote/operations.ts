/**
 * Following an asynchronous job on a server as Dataverse's clients do: poll
 * `asyncoperations(id)` until statecode is 3 (Completed), and `importjobs(id)` for an import's
 * progress. A job that failed becomes the StrataError its import result names (importjobs.data,
 * Dataverse's `<importexportxml>`), so `strata job wait` exits as the import would have.
 */
import type { ErrorCode } from '../../model/error-codes.js';
import { StrataError } from '../../model/errors.js';
import { ProgressBar } from '../render.js';
import type { Io } from '../command.js';
import type { WebApiClient } from './client.js';
import { codeOfDataverse } from './remote-errors.js';
import { isErrorCode } from '../../model/error-codes.js';

export interface AsyncOperationRow {
  asyncoperationid: string;
  name: string | null;
  statecode: number;
  statuscode: number;
  message: string | null;
  friendlymessage: string | null;
  createdon: string | null;
  startedon: string | null;
  completedon: string | null;
}

export interface ImportJobRow {
  importjobid: string;
  solutionname: string | null;
  progress: number | null;
  startedon: string | null;
  completedon: string | null;
  data?: string | null;
}

const OPERATION_COLUMNS =
  'asyncoperationid,name,statecode,statuscode,message,friendlymessage,' +
  'createdon,startedon,completedon';

/** statuscode of asyncoperation, as Dataverse names them */
export const STATUS: Record<number, string> = {
  0: 'Waiting for resources',
  10: 'Waiting',
  20: 'In progress',
  21: 'Pausing',
  22: 'Canceling',
  30: 'Succeeded',
  31: 'Failed',
  32: 'Canceled',
};

export const SUCCEEDED = 30;

export function operation(client: WebApiClient, id: string): Promise<AsyncOperationRow> {
  return client.get<AsyncOperationRow>(`asyncoperations(${id})?$select=${OPERATION_COLUMNS}`, {
    what: 'job',
    name: id,
  });
}

/** The import job of that id, or null: an export's or DeleteAndPromote's job has none. */
export async function importJob(
  client: WebApiClient,
  id: string,
  withData = false,
): Promise<ImportJobRow | null> {
  const columns = `importjobid,solutionname,progress,startedon,completedon${withData ? ',data' : ''}`;
  try {
    return await client.get<ImportJobRow>(`importjobs(${id})?$select=${columns}`, {
      what: 'job',
      name: id,
    });
  } catch (e) {
    if (e instanceof StrataError && e.code === 'JOB_NOT_FOUND') return null;
    throw e;
  }
}

export interface WaitOptions {
  /** the import job to show the progress of (Dataverse's ImportJobKey), when there is one */
  importJobId?: string;
  /** what the progress bar calls the work */
  label: string;
  maxMinutes?: number;
  /** the code a failure is given when the server names none strata knows */
  failure: ErrorCode;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until the job completes; returns it when it succeeded, throws what it failed with. */
export async function waitFor(
  client: WebApiClient,
  id: string,
  io: Io,
  opts: WaitOptions & { json?: boolean },
): Promise<AsyncOperationRow> {
  const bar = new ProgressBar(io.isTTY && !opts.json);
  const deadline = Date.now() + (opts.maxMinutes ?? 60) * 60_000;
  const importId = opts.importJobId;
  try {
    for (let n = 0; ; n++) {
      const op = await operation(client, id);
      if (op.statecode === 3) {
        bar.done();
        if (op.statuscode === SUCCEEDED) return op;
        throw await failureOf(client, op, importId, opts.failure);
      }
      if (importId) {
        const job = await importJob(client, importId);
        if (job)
          bar.update(job.progress ?? 0, `${opts.label}: ${STATUS[op.statuscode] ?? op.statuscode}`);
      } else bar.update(null, `${opts.label}: ${STATUS[op.statuscode] ?? op.statuscode}`);
      if (Date.now() > deadline)
        throw new StrataError(
          'JOB_WAIT_TIMEOUT',
          `Job ${id} has not ended after ${opts.maxMinutes ?? 60} minute(s): ` +
            `it is ${(STATUS[op.statuscode] ?? String(op.statuscode)).toLowerCase()}.`,
          { hint: `It goes on on the server: strata job wait ${id} waits again.`, jobId: id },
        );
      await sleep(n < 20 ? 150 : 1000);
    }
  } finally {
    bar.done();
  }
}

/** A failed job as a StrataError: the import result's code when there is one. */
export async function failureOf(
  client: WebApiClient,
  op: AsyncOperationRow,
  importId: string | undefined,
  fallback: ErrorCode,
): Promise<StrataError> {
  const job = importId ? await importJob(client, importId, true) : null;
  const result = job?.data ? manifestResult(job.data) : null;
  const id = importId ?? op.asyncoperationid;
  if (result && result.result === 'failure') {
    const code =
      result.strataCode && isErrorCode(result.strataCode)
        ? result.strataCode
        : codeOfDataverse(result.errorCode, 'IMPORT_FAILED');
    const missing = missingOf(job!.data!);
    const text = result.errorText || op.message || 'The import failed.';
    return new StrataError(
      code,
      missing.length && !missing.every((m) => text.includes(m))
        ? `${text} Missing: ${missing.join(', ')}.`
        : text,
      {
        hint: `The import log says which components failed: strata log ${id}`,
        jobId: id,
        ...(missing.length ? { details: { missing } } : {}),
      },
    );
  }
  const status = STATUS[op.statuscode] ?? String(op.statuscode);
  return new StrataError(
    fallback,
    op.message || op.friendlymessage || `Job ${op.asyncoperationid} ended: ${status}.`,
    { hint: `strata job show ${op.asyncoperationid} shows the job.`, jobId: id },
  );
}

/** The solution's `<result>` in Dataverse's import result document. */
export function manifestResult(xml: string): {
  result: string;
  errorCode?: string;
  errorText?: string;
  strataCode?: string;
} | null {
  const manifest = /<solutionManifest\b[\s\S]*?<\/solutionManifest>/.exec(xml)?.[0];
  const el = manifest && /<result\b([^>]*)\/?>/.exec(manifest.replace(/<results\s*\/>/g, ''));
  if (!el) return null;
  const attr = (name: string): string | undefined => {
    const m = new RegExp(`\\b${name}="([^"]*)"`).exec(el[1]);
    return m ? unescapeXml(m[1]) : undefined;
  };
  return {
    result: attr('result') ?? '',
    errorCode: attr('errorcode'),
    errorText: attr('errortext'),
    strataCode: attr('strataerrorcode'),
  };
}

function unescapeXml(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&amp;/g, '&');
}

/**
 * The names of the missing components an import result lists: strata's (and the import
 * result's) `<missingDependency LocalizedName>`, or Dataverse's `<Required schemaName>`.
 */
export function missingOf(xml: string): string[] {
  const section = /<missingDependencies>([\s\S]*?)<\/missingDependencies>/i.exec(xml)?.[1] ?? '';
  const names = [
    ...section.matchAll(/<missingDependency\b[^>]*\bLocalizedName="([^"]*)"/g),
    ...section.matchAll(/<Required\b[^>]*\bschemaName="([^"]*)"/gi),
  ].map((m) => unescapeXml(m[1]));
  return [...new Set(names)];
}

/** Counts of the components' results in an import result document. */
export function resultCounts(xml: string): { success: number; warning: number; failure: number } {
  const counts = { success: 0, warning: 0, failure: 0 };
  const body = xml.replace(/<solutionManifests>[\s\S]*?<\/solutionManifests>/, '');
  for (const m of body.matchAll(/<result\b[^>]*\bresult="(success|warning|failure)"/g))
    counts[m[1] as keyof typeof counts]++;
  return counts;
}
