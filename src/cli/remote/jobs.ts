/**
 * strata job show|wait ID: an asynchronous job. On a server, the Web API's asyncoperations (an
 * import's progress from importjobs); on the local store, its import jobs, which a server
 * sharing the store (PostgreSQL) runs from its queue.
 */
import { writeFileSync } from 'node:fs';
import { isErrorCode } from '../../model/error-codes.js';
import { StrataError } from '../../model/errors.js';
import type { ImportJobLog } from '../../model/job-log.js';
import { usage, type ArgsOf, type Io } from '../command.js';
import { WebApiClient } from './client.js';
import type { JOB_SHOW, JOB_WAIT } from './declarations.js';
import { importJob, operation, STATUS, SUCCEEDED, waitFor } from './operations.js';
import { serverTarget } from './target.js';

function oneId(positionals: string[], what: string): string {
  if (positionals.length !== 1) throw usage(`job ${what} takes a job id: strata job ${what} ID`);
  return positionals[0].replace(/^\{|\}$/g, '').toLowerCase();
}

export async function jobShow(
  { values, positionals }: ArgsOf<typeof JOB_SHOW>,
  io: Io,
): Promise<number> {
  const id = oneId(positionals, 'show');
  const target = serverTarget(values);
  if (!target) return printLocal(await localJob(id, values.env), values.json === true, io);
  const client = new WebApiClient(target);
  const op = await operation(client, id);
  const job = await importJob(client, id);
  if (values.json) {
    io.out(JSON.stringify({ ...op, importjob: job }, null, 2));
    return 0;
  }
  io.out(`Job ${op.asyncoperationid} on ${target.label}: ${op.name ?? 'asynchronous operation'}`);
  io.out(
    `  ${op.statecode === 3 ? 'Completed' : 'Not completed'}: ${STATUS[op.statuscode] ?? op.statuscode}` +
      (job && op.statecode !== 3 ? ` (${job.progress ?? 0}%)` : ''),
  );
  if (job?.solutionname) io.out(`  Solution: ${job.solutionname}`);
  io.out(
    `  Created: ${op.createdon ?? ''}${op.completedon ? `   Completed: ${op.completedon}` : ''}`,
  );
  const message = op.message ?? op.friendlymessage;
  if (message) io.out(`  ${op.statuscode === SUCCEEDED ? 'Message' : 'Reason'}: ${message}`);
  if (job) io.out(`  Log: strata log ${op.asyncoperationid} --format xml -o import-log.xml`);
  return 0;
}

export async function jobWait(
  { values, positionals }: ArgsOf<typeof JOB_WAIT>,
  io: Io,
): Promise<number> {
  const id = oneId(positionals, 'wait');
  const minutes =
    values['max-async-wait-time'] === undefined ? 60 : Number(values['max-async-wait-time']);
  if (!(minutes > 0)) throw usage('--max-async-wait-time takes minutes, e.g. 60 or 0.5');
  if (values.out && !values['export-job']) throw usage('-o goes with --export-job ID (an export).');
  const target = serverTarget(values);
  if (!target) {
    if (values['export-job'])
      throw usage('--export-job is for a server export (strata export --async).');
    return waitLocal(id, values.env, minutes, values.json === true, io);
  }
  const client = new WebApiClient(target);
  const job = await importJob(client, id);
  const op = await waitFor(client, id, io, {
    importJobId: job ? id : undefined,
    label: job?.solutionname ? `Importing ${job.solutionname}` : 'Waiting',
    maxMinutes: minutes,
    failure: job ? 'IMPORT_FAILED' : 'LIFECYCLE_FAILED',
    json: values.json === true,
  });
  let file: string | undefined;
  let bytes = 0;
  if (values['export-job']) {
    const r = await client.action<{ ExportSolutionFile: string }>(
      'DownloadSolutionExportData',
      { ExportJobId: values['export-job'] },
      { what: 'job', name: values['export-job'] },
    );
    const zip = Buffer.from(r.ExportSolutionFile, 'base64');
    file = values.out ?? `${values['export-job']}.zip`;
    writeFileSync(file, zip);
    bytes = zip.length;
  }
  if (values.json) io.out(JSON.stringify({ ...op, ...(file ? { file, bytes } : {}) }, null, 2));
  else {
    const message = op.friendlymessage ?? op.message;
    io.out(`Job ${id} succeeded${message ? `: ${message}` : '.'}`);
    if (file) io.out(`  Wrote the export to ${file} (${bytes} bytes).`);
    if (job) io.out(`  Log: strata log ${id} --format xml -o import-log.xml`);
  }
  return 0;
}

// ---- the local store ---------------------------------------------------------------------------

async function localJob(id: string, env: string | undefined): Promise<ImportJobLog> {
  const [{ withStore }, { loadJob }, { findEnvironment }, { typeDisplayName }] = await Promise.all([
    import('../context.js'),
    import('../../store/jobs.js'),
    import('../../store/environments.js'),
    import('../../model/component-types.js'),
  ]);
  return withStore(async (store) => {
    const envId = env ? (await findEnvironment(store, env)).id : undefined;
    return loadJob(store, id, typeDisplayName, envId);
  });
}

function printLocal(log: ImportJobLog, json: boolean, io: Io): number {
  const { results: _r, ...summary } = log;
  if (json) {
    io.out(JSON.stringify(summary, null, 2));
    return 0;
  }
  io.out(
    `Job ${log.jobId} in ${log.environment}: ${log.operation} of ${log.solution.uniqueName} ${log.solution.version}`,
  );
  io.out(`  ${log.status}${log.status === 'running' ? ` (${log.progress}%)` : ''}`);
  io.out(`  Started: ${log.startedOn}${log.completedOn ? `   Completed: ${log.completedOn}` : ''}`);
  if (log.message) io.out(`  ${log.status === 'failed' ? 'Reason' : 'Message'}: ${log.message}`);
  io.out(`  Log: strata log ${log.jobId.slice(0, 8)} --format xml -o import-log.xml`);
  return 0;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitLocal(
  id: string,
  env: string | undefined,
  minutes: number,
  json: boolean,
  io: Io,
): Promise<number> {
  const deadline = Date.now() + minutes * 60_000;
  for (;;) {
    const log = await localJob(id, env);
    if (log.status === 'failed') {
      const code = isErrorCode(log.code) ? log.code : 'IMPORT_FAILED';
      throw new StrataError(code, log.message || 'The import failed.', {
        hint: `The import log says why: strata log ${log.jobId.slice(0, 8)}`,
        jobId: log.jobId,
      });
    }
    if (log.status === 'succeeded') return printLocal(log, json, io);
    if (Date.now() > deadline)
      throw new StrataError(
        'JOB_WAIT_TIMEOUT',
        `Job ${log.jobId} has not ended after ${minutes} minute(s): it is ${log.status}.`,
        {
          hint:
            'An import queued on the local store runs in a strata serve that shares the store ' +
            `(DATABASE_URL). strata job wait ${log.jobId} waits again.`,
          jobId: log.jobId,
        },
      );
    await sleep(500);
  }
}
