/**
 * Reads packages in a process of its own, so that the reader's peak memory can be measured and a
 * read that hangs can be killed. Two ways to run it:
 *
 *   node --import tsx test/hostile/read-child.ts PATH   prints one ReadReport as JSON
 *   fork(...) with an IPC channel                      answers { path } messages, one at a time
 */
import { readFileSync } from 'node:fs';
import { StrataError } from '../../src/model/errors.js';
import { readPackage } from '../../src/package/read.js';

/** What reading one package did. */
export interface ReadReport {
  outcome: 'accepted' | 'refused' | 'crashed';
  code?: string;
  message?: string;
  hint?: string;
  components?: number;
  /** time spent in readPackage */
  ms: number;
  /** the process's peak resident set so far, in MB */
  maxRssMb: number;
}

export function readOnce(path: string): ReadReport {
  const start = performance.now();
  let result: Omit<ReadReport, 'ms' | 'maxRssMb'>;
  try {
    const pkg = readPackage(path);
    result = { outcome: 'accepted', components: pkg.components.length };
  } catch (e) {
    result =
      e instanceof StrataError
        ? { outcome: 'refused', code: e.code, message: e.message, hint: e.hint }
        : { outcome: 'crashed', message: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
  return {
    ...result,
    ms: Math.round(performance.now() - start),
    maxRssMb: peakResidentMb(),
  };
}

/**
 * The peak resident memory of this process, in MB. Linux keeps getrusage's maxrss across fork and
 * exec, so `process.resourceUsage().maxRSS` of a child starts at the size of the test process
 * that forked it; VmHWM belongs to the process's own address space. maxRSS where there is no /proc.
 */
function peakResidentMb(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Math.round(Number(m[1]) / 1024);
  } catch {
    // not Linux
  }
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

if (process.send) {
  process.on('message', (m: { path: string }) => process.send!(readOnce(m.path)));
  process.send({ ready: true });
} else if (process.argv[2]) {
  console.log(JSON.stringify(readOnce(process.argv[2])));
}
