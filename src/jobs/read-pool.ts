/**
 * Packages are read on reader threads, not on the server's event loop: reading is synchronous
 * work (unzip, XML parse) that takes seconds for a large package and, for a package built to
 * stall a parser, much longer — on the event loop it would hold every other request of every
 * environment. A small pool of worker threads reads them instead, each read under a deadline and
 * a memory limit: a read that overruns either ends the thread (a new one takes its place) and is
 * refused as PACKAGE_READ_TIMEOUT or PACKAGE_READ_OUT_OF_MEMORY, and the server goes on.
 *
 * Reads queue when every thread is busy; the deadline counts from when a thread takes the read.
 * The read package comes back by structured clone (jobs/package-message.ts says what crosses).
 */
import { availableParallelism, totalmem } from 'node:os';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { categoryOf, type ErrorCode } from '../model/error-codes.js';
import { PackageError, StrataError } from '../model/errors.js';
import type { SolutionManifest } from '../model/solution.js';
import type { PackageLimits } from '../package/limits.js';
import type { SolutionPackage } from '../package/read.js';
import { manifestFromMessage, packageFromMessage, type PackageMessage } from './package-message.js';
import type { ReadFailure, ReadTask } from './read-worker.js';

export interface ReadPoolOptions {
  /** reader threads: the cores, at least 1, at most 4 (STRATA_READ_WORKERS) */
  size: number;
  /** how long one package may take to read (STRATA_READ_TIMEOUT_SECONDS, default 60 s) */
  timeoutMs: number;
  /**
   * the heap one reader thread may use (STRATA_READ_MEMORY_MB; by default 2048 MB, less where
   * the readers together would take more than half the machine's memory)
   */
  memoryMb: number;
  /** an idle thread ends after this long; the next read starts a new one */
  idleMs: number;
}

/** What a read needs besides the bytes (package/read.ts ReadOptions, for bytes). */
export interface BytesReadOptions {
  label: string;
  limits?: PackageLimits;
  variant?: 'managed' | 'unmanaged';
}

function positive(raw: string | undefined): number | undefined {
  const n = Number(raw);
  return raw !== undefined && raw !== '' && Number.isFinite(n) && n > 0 ? n : undefined;
}

/** The machine's memory in MB, or the process's share of it where that is limited (cgroups). */
function memoryOfMachineMb(): number {
  const total = totalmem();
  const constrained = process.constrainedMemory?.() ?? 0;
  return Math.floor((constrained > 0 && constrained < total ? constrained : total) / 2 ** 20);
}

/** The pool's settings from the environment, with their defaults. */
export function readPoolOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): ReadPoolOptions {
  const size = Math.max(
    1,
    Math.min(4, Math.floor(positive(env.STRATA_READ_WORKERS) ?? availableParallelism())),
  );
  const share = Math.floor(memoryOfMachineMb() / 2 / size);
  return {
    size,
    timeoutMs: (positive(env.STRATA_READ_TIMEOUT_SECONDS) ?? 60) * 1000,
    memoryMb: Math.floor(
      positive(env.STRATA_READ_MEMORY_MB) ?? Math.max(256, Math.min(2048, share)),
    ),
    idleMs: 60_000,
  };
}

interface Task {
  message: ReadTask;
  resolve: (answer: Answer) => void;
  reject: (e: Error) => void;
}

type Answer = { package: PackageMessage } | { manifest: PackageMessage['manifest'] };

interface Reader {
  worker: Worker;
  task: Task | null;
  /** the task's deadline, or the idle thread's end */
  timer: NodeJS.Timeout | null;
}

/** A pool of reader threads; one per process is enough (sharedReadPool). */
export class PackageReadPool {
  private readonly readers = new Set<Reader>();
  private readonly queue: Task[] = [];

  constructor(readonly options: ReadPoolOptions = readPoolOptionsFromEnv()) {}

  /** Reads the package on a reader thread. The bytes are copied, not taken. */
  async readPackage(bytes: Uint8Array, opts: BytesReadOptions): Promise<SolutionPackage> {
    const answer = await this.submit(bytes, opts, 'package');
    return packageFromMessage((answer as { package: PackageMessage }).package);
  }

  /**
   * Reads the whole package on a reader thread (refusing what readPackage refuses), and answers
   * only its manifest: what queueing an import needs.
   */
  async readManifest(bytes: Uint8Array, opts: BytesReadOptions): Promise<SolutionManifest> {
    const answer = await this.submit(bytes, opts, 'manifest');
    return manifestFromMessage((answer as { manifest: PackageMessage['manifest'] }).manifest);
  }

  /** Ends every thread; queued and running reads fail. The pool starts threads again on use. */
  async close(): Promise<void> {
    const closed = new StrataError('INTERNAL', 'The package reader was closed.');
    for (const task of this.queue.splice(0)) task.reject(closed);
    const readers = [...this.readers];
    this.readers.clear();
    for (const r of readers) {
      if (r.timer) clearTimeout(r.timer);
      r.task?.reject(closed);
      r.task = null;
    }
    await Promise.all(readers.map((r) => r.worker.terminate()));
  }

  private submit(
    bytes: Uint8Array,
    opts: BytesReadOptions,
    want: ReadTask['want'],
  ): Promise<Answer> {
    // a copy of its own, so it can be transferred: the caller keeps its bytes (a request body
    // may sit in a buffer Node shares between requests)
    const message: ReadTask = { ...opts, bytes: new Uint8Array(bytes), want };
    return new Promise<Answer>((resolve, reject) => {
      this.queue.push({ message, resolve, reject });
      this.dispatch();
    });
  }

  /** Gives queued reads to idle threads, starting threads up to the pool's size. */
  private dispatch(): void {
    while (this.queue.length > 0) {
      let reader = [...this.readers].find((r) => r.task === null);
      if (!reader && this.readers.size < this.options.size) reader = this.start();
      if (!reader) return;
      this.run(reader, this.queue.shift()!);
    }
  }

  private run(reader: Reader, task: Task): void {
    if (reader.timer) clearTimeout(reader.timer);
    reader.task = task;
    reader.worker.ref();
    reader.timer = setTimeout(() => this.overran(reader), this.options.timeoutMs);
    reader.worker.postMessage(task.message, [task.message.bytes.buffer as ArrayBuffer]);
  }

  /** The read took longer than the deadline: the thread is ended, the read refused. */
  private overran(reader: Reader): void {
    const task = reader.task;
    this.retire(reader);
    task?.reject(readTimeout(task.message.label, this.options.timeoutMs));
    this.dispatch();
  }

  private retire(reader: Reader): void {
    if (reader.timer) clearTimeout(reader.timer);
    reader.timer = null;
    reader.task = null;
    this.readers.delete(reader);
    void reader.worker.terminate();
  }

  private start(): Reader {
    const worker = startReaderThread(this.options.memoryMb);
    const reader: Reader = { worker, task: null, timer: null };
    this.readers.add(reader);
    worker.on('message', (answer: Answer | { failure: ReadFailure }) => {
      if (!this.readers.has(reader)) return; // an answer that came too late: refused already
      const task = reader.task;
      if (reader.timer) clearTimeout(reader.timer);
      reader.task = null;
      worker.unref();
      reader.timer = setTimeout(() => this.retire(reader), this.options.idleMs);
      reader.timer.unref();
      if (task) {
        if ('failure' in answer) task.reject(errorFromFailure(answer.failure));
        else task.resolve(answer);
      }
      this.dispatch();
    });
    worker.on('error', (e: Error & { code?: string }) => {
      const task = reader.task;
      this.retire(reader);
      if (task) {
        const label = task.message.label;
        task.reject(
          e.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? readOutOfMemory(label, this.options.memoryMb)
            : readerFailed(label, e),
        );
      }
      this.dispatch();
    });
    worker.on('exit', () => {
      if (!this.readers.has(reader)) return; // retired: its task was settled then
      const task = reader.task;
      this.retire(reader);
      task?.reject(readerFailed(task.message.label, new Error('the reader thread exited')));
      this.dispatch();
    });
    return reader;
  }
}

/**
 * The reader thread's script sits next to this module, with this module's extension: .js when
 * strata runs built (dist/), .ts when it runs from source through tsx. Worker threads do not get
 * tsx's loader from `--import tsx` (Node 20 runs loader hooks per thread), so from source the
 * thread registers tsx itself before it imports the script.
 */
function startReaderThread(memoryMb: number): Worker {
  const ext = extname(fileURLToPath(import.meta.url));
  const script = new URL(`./read-worker${ext}`, import.meta.url);
  const options = { resourceLimits: { maxOldGenerationSizeMb: memoryMb } };
  if (ext !== '.ts') return new Worker(script, options);
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot =
    `import(${JSON.stringify(tsx)})` +
    `.then((api) => { api.register(); return import(${JSON.stringify(script.href)}); })`;
  return new Worker(boot, { ...options, eval: true });
}

function errorFromFailure(f: ReadFailure): Error {
  if ('defect' in f) {
    const e = new Error(f.defect.message);
    e.stack = f.defect.stack;
    return e;
  }
  const { code, message, ...opts } = f.strata as { code: ErrorCode; message: string };
  const category = categoryOf(code);
  return category === 'bad-package' || category === 'too-large'
    ? new PackageError(code as 'PACKAGE_CORRUPT', message, opts)
    : new StrataError(code, message, opts);
}

function readTimeout(label: string, ms: number): PackageError {
  const seconds = Math.round(ms / 100) / 10;
  return new PackageError(
    'PACKAGE_READ_TIMEOUT',
    `${label} was still being read after ${seconds} s; reading it was stopped.`,
    {
      hint:
        'A solution package reads in seconds, even a large one: this file may be built to ' +
        'stall a reader. If you trust it, raise the limit (STRATA_READ_TIMEOUT_SECONDS on ' +
        'the server).',
      details: { seconds },
    },
  );
}

function readOutOfMemory(label: string, mb: number): PackageError {
  return new PackageError(
    'PACKAGE_READ_OUT_OF_MEMORY',
    `${label} needs more than ${mb} MB of memory to read; reading it was stopped.`,
    {
      hint:
        'Reading a package takes about ten times its customizations.xml in memory: this file ' +
        'may be built to exhaust a reader. If you trust it, raise the limit ' +
        '(STRATA_READ_MEMORY_MB on the server).',
      details: { memoryMb: mb },
    },
  );
}

function readerFailed(label: string, cause: Error): StrataError {
  return new StrataError(
    'INTERNAL',
    `Reading ${label} failed unexpectedly: ${cause.message}. Nothing was changed.`,
    { hint: 'The server log has the details.', cause },
  );
}

let shared: PackageReadPool | null = null;

/**
 * The process's reader pool, set up from the environment on first use. Its idle threads do not
 * keep the process alive.
 */
export function sharedReadPool(): PackageReadPool {
  shared ??= new PackageReadPool();
  return shared;
}
