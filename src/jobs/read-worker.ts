/**
 * A reader thread of jobs/read-pool.ts: reads the package bytes it is sent and answers with the
 * package (or only its manifest), or with the error that refused it. The pool gives it a deadline
 * and a memory limit; this side only reads.
 */
import { parentPort } from 'node:worker_threads';
import { StrataError } from '../model/errors.js';
import type { PackageLimits } from '../package/limits.js';
import { readPackage } from '../package/read.js';
import { manifestMessage, packageMessage } from './package-message.js';

export interface ReadTask {
  bytes: Uint8Array;
  label: string;
  limits?: PackageLimits;
  variant?: 'managed' | 'unmanaged';
  /** 'manifest': only validate the package and answer with its manifest (queueing an import) */
  want: 'package' | 'manifest';
}

/** A refusal as it crosses threads: the StrataError's fields, or a defect's message and stack. */
export type ReadFailure =
  { strata: ReturnType<StrataError['toJSON']> } | { defect: { message: string; stack?: string } };

function failure(e: unknown): ReadFailure {
  if (e instanceof StrataError) return { strata: e.toJSON() };
  const err = e instanceof Error ? e : new Error(String(e));
  return { defect: { message: err.message, stack: err.stack } };
}

/**
 * Test hook: STRATA_TEST_SLOW_READ=LABEL=MS keeps this thread busy for MS milliseconds before it
 * reads a package labelled LABEL, as a parser stuck on a hostile package would.
 */
function slowOnPurpose(label: string): void {
  const hook = process.env.STRATA_TEST_SLOW_READ;
  if (!hook) return;
  const at = hook.lastIndexOf('=');
  if (hook.slice(0, at) !== label) return;
  const until = Date.now() + Number(hook.slice(at + 1));
  while (Date.now() < until);
}

function answer(task: ReadTask): void {
  slowOnPurpose(task.label);
  const pkg = readPackage(task.bytes, {
    label: task.label,
    limits: task.limits,
    variant: task.variant,
  });
  if (task.want === 'manifest') {
    parentPort!.postMessage({ manifest: manifestMessage(pkg.manifest) });
    return;
  }
  const { message, transfer } = packageMessage(pkg);
  try {
    parentPort!.postMessage({ package: message }, transfer);
  } catch {
    // a buffer that may not be transferred (one of Node's pooled ones): copied instead
    parentPort!.postMessage({ package: message });
  }
}

parentPort!.on('message', (task: ReadTask) => {
  try {
    answer(task);
  } catch (e) {
    parentPort!.postMessage({ failure: failure(e) });
  }
});
