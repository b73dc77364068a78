import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ReadReport } from './read-child.js';

const CHILD = fileURLToPath(new URL('./read-child.ts', import.meta.url));

/** A read that did not end by itself: it ran out of time, or past the memory ceiling. */
export interface ReadStopped {
  outcome: 'timeout' | 'memory' | 'died';
  message: string;
  ms: number;
  maxRssMb: number;
}

export type ProbeResult = ReadReport | ReadStopped;

/** Whether the reader was stopped (or died) instead of ending the read itself. */
export function stopped(r: ProbeResult): r is ReadStopped {
  return r.outcome === 'timeout' || r.outcome === 'memory' || r.outcome === 'died';
}

export interface ProbeLimits {
  /** a read still running after this is killed */
  timeoutMs: number;
  /** a reader whose resident set passes this is killed (it protects the machine) */
  killAboveMb: number;
}

/** A reader process: started, loaded, waiting for a path. */
class Reader {
  readonly process: ChildProcess;
  readonly ready: Promise<void>;
  private stderr = '';

  constructor() {
    this.process = fork(CHILD, [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.process.stderr!.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-2000);
    });
    this.ready = new Promise((resolve, reject) => {
      this.process.once('message', () => resolve());
      this.process.once('exit', (code) =>
        reject(new Error(`reader exited (${code}) ${this.stderr}`)),
      );
    });
    this.ready.catch(() => undefined);
  }

  /** Reads one package; kills the process when the read takes too long or too much memory. */
  async read(path: string, limits: ProbeLimits): Promise<ProbeResult> {
    await this.ready;
    const child = this.process;
    const start = performance.now();
    let peak = 0;
    return new Promise<ProbeResult>((resolve) => {
      const stop = (outcome: ReadStopped['outcome'], message: string): void => {
        finish();
        child.kill('SIGKILL');
        resolve({ outcome, message, ms: Math.round(performance.now() - start), maxRssMb: peak });
      };
      const watch = setInterval(() => {
        peak = Math.max(peak, residentMb(child.pid!));
        if (peak > limits.killAboveMb)
          stop('memory', `passed ${limits.killAboveMb} MB while reading (killed)`);
      }, 50);
      const timer = setTimeout(
        () => stop('timeout', `did not finish in ${limits.timeoutMs / 1000} s (killed)`),
        limits.timeoutMs,
      );
      const onMessage = (m: ReadReport): void => {
        finish();
        resolve(m);
      };
      const onExit = (code: number | null, signal: string | null): void => {
        finish();
        resolve({
          outcome: 'died',
          message: `the reader died (${signal ?? code}): ${this.stderr.trim()}`,
          ms: Math.round(performance.now() - start),
          maxRssMb: peak,
        });
      };
      const finish = (): void => {
        clearInterval(watch);
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      child.on('message', onMessage);
      child.on('exit', onExit);
      child.send({ path });
    });
  }

  alive(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  close(): void {
    if (this.alive()) this.process.kill('SIGKILL');
  }
}

/** The resident set of a process, in MB (0 when it is gone). */
function residentMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : 0;
  } catch {
    return 0;
  }
}

/**
 * Reads packages in child processes. Ordinary cases share one reader; an isolated case gets a
 * fresh one (its peak memory is then its own), started while the case before it ran, since
 * loading a reader takes seconds on a busy machine. A reader that hangs or bloats is killed and
 * replaced.
 */
export class ReadProbe {
  private shared?: Reader;
  private spare?: Reader;

  constructor(private readonly limits: ProbeLimits) {}

  async read(path: string, isolate: boolean): Promise<ProbeResult> {
    const reader = isolate ? this.takeSpare() : this.sharedReader();
    try {
      return await reader.read(path, this.limits);
    } finally {
      if (isolate) reader.close();
      else if (!reader.alive()) this.shared = undefined;
    }
  }

  close(): void {
    this.shared?.close();
    this.spare?.close();
  }

  private sharedReader(): Reader {
    if (!this.shared?.alive()) this.shared = new Reader();
    return this.shared;
  }

  private takeSpare(): Reader {
    const reader = this.spare?.alive() ? this.spare : new Reader();
    this.spare = new Reader();
    return reader;
  }
}
