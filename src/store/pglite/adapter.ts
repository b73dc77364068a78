import {
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { StrataError } from '../../model/errors.js';
import { PGlite, types } from '@electric-sql/pglite';
import type { Queryable, Row, Store } from '../store.js';
import { BUILTIN_ARRAY_TYPES } from './array-types.js';
import { mayWrite } from './generation.js';

/**
 * New WAL segments are not filled with zeros before use (PostgreSQL's `wal_init_zero`; only
 * their last byte is written). PGlite runs PostgreSQL alone, with no checkpointer to recycle
 * segments as it goes, so a large write makes most of its segments new: a million records
 * write 200 MB of WAL, and filling 200 segments of 1 MB with zeros first, through the file
 * system's JavaScript, took the first load into a store from 8.5–9.5 s to 7.6–8.2 s
 * (decision 58). The zeros buy nothing here: PGlite runs with fsync off.
 */
const WAL_PARAMS = ['-c', 'wal_init_zero=off'];

/**
 * PGlite, told the array types of PostgreSQL's built-in types (array-types.ts) instead of asking
 * the catalog for them as it starts: 60–80 ms less of every command (decision 59). Asked again
 * (refreshArrayTypes), it asks the catalog.
 */
class StrataPGlite extends PGlite {
  override async _initArrayTypes(opts: { force?: boolean } = {}): Promise<void> {
    if (opts.force) return super._initArrayTypes(opts);
    for (const [element, array] of BUILTIN_ARRAY_TYPES) {
      this.serializers[array] = (x) => types.arraySerializer(x, this.serializers[element], array);
      this.parsers[array] = (x) => types.arrayParser(x, this.parsers[element], array);
    }
  }
}

/** An initialised store to start new ones from (store/pglite/template.ts). */
export interface StoreTemplate {
  /** its data folder, copied into a new store's folder */
  dir: string;
  /** the same as a tar file, loaded into a new store in memory */
  tarball: string;
}

export interface PGliteOpenOptions {
  /** start a new store from this template instead of initialising a database (initdb) */
  template?: StoreTemplate | null;
  /** arguments for initdb when the database is made here */
  initdb?: string[];
  /** PostgreSQL's shared_buffers (PGlite's own default, 128 MB, when not given) */
  sharedBuffers?: string;
  /**
   * Called once, before the first statement of this session that may write (generation.ts
   * mayWrite): a store in a folder starts a new generation there (store/open.ts).
   */
  beforeFirstWrite?: () => void;
}

/** The embedded store: PGlite (PostgreSQL compiled to WASM) in a folder, or in memory. */
export class PGliteStore implements Store {
  readonly kind = 'pglite' as const;
  readonly rowsDecodedHere = true;
  private constructor(
    private readonly db: PGlite,
    readonly location: string,
    private readonly lockFile: string | null,
    private beforeFirstWrite: (() => void) | undefined,
  ) {}

  /** Whether this session ran a statement that may have written (generation.ts mayWrite). */
  get wrote(): boolean {
    return this.written;
  }
  private written = false;

  private willRun(sql: string): void {
    if (this.written || !mayWrite(sql)) return;
    this.written = true;
    const hook = this.beforeFirstWrite;
    this.beforeFirstWrite = undefined;
    hook?.();
  }

  /** `dir` null = in memory (tests). A folder is opened by one process at a time (lock file). */
  static async open(dir: string | null, opts: PGliteOpenOptions = {}): Promise<PGliteStore> {
    let lock: string | null = null;
    if (dir) {
      mkdirSync(dir, { recursive: true });
      lock = takeLock(dir);
    }
    try {
      const template = opts.template;
      let loadDataDir: Blob | undefined;
      if (template && dir && !isDataDir(dir)) {
        cpSync(template.dir, dir, { recursive: true });
      } else if (template && !dir) {
        loadDataDir = new Blob([readFileSync(template.tarball)]);
      }
      const startParams = [
        ...PGlite.defaultStartParams,
        ...WAL_PARAMS,
        ...(opts.sharedBuffers ? ['-c', `shared_buffers=${opts.sharedBuffers}`] : []),
      ];
      const options = { startParams, loadDataDir, initDbStartParams: opts.initdb };
      const db = dir ? new StrataPGlite(dir, options) : new StrataPGlite(options);
      await db.waitReady;
      return new PGliteStore(db, dir ?? 'memory', lock, opts.beforeFirstWrite);
    } catch (e) {
      if (lock) {
        rmSync(lock, { force: true });
        openHere.delete(lock);
      }
      throw e;
    }
  }

  /** Writes this store's database, as it is now, as a tar file (PGlite's own format). */
  async dumpTo(tarball: string): Promise<void> {
    const tar = await this.db.dumpDataDir('none');
    writeFileSync(tarball, new Uint8Array(await tar.arrayBuffer()));
  }

  async query<T extends Row = Row>(sql: string, params: unknown[] = []): Promise<T[]> {
    this.willRun(sql);
    const r = await this.db.query<T>(sql, params);
    return r.rows;
  }

  async copyText(table: string, columns: string[], body: string | Uint8Array): Promise<void> {
    this.willRun('COPY');
    await this.copyIn(table, columns, body, (sql) => this.db.query(sql));
  }

  /**
   * COPY from a file of PGlite's in-memory file system, written with the body's bytes at once
   * (one native copy each way). PGlite's own source for this, /dev/blob, hands PostgreSQL's
   * reads their bytes one JavaScript assignment at a time: ≈ 0.5 s of the main thread for the
   * 130 MB of a million records (decision 12).
   */
  private async copyIn(
    table: string,
    columns: string[],
    body: string | Uint8Array,
    run: (sql: string) => Promise<unknown>,
  ): Promise<void> {
    await this.inFile(
      typeof body === 'string' ? new TextEncoder().encode(body) : body,
      'copy',
      (file) => run(`COPY ${table} (${columns.join(', ')}) FROM '${file}'`),
    );
  }

  /**
   * Writes what a SELECT returns to `file`, a path in the store's folder, in COPY's text (or
   * binary) format: PostgreSQL writes it through the folder PGlite mounts, and nothing crosses into JavaScript
   * (store/pglite/read-copy.ts). Only a read is run: a statement that may write is refused.
   */
  async copyOutToFile(
    select: string,
    file: string,
    format: 'text' | 'binary' = 'text',
  ): Promise<void> {
    const inFolder = this.location === 'memory' ? '' : relative(this.location, file);
    if (mayWrite(select) || !/^[\w-]+(?:\/[\w.-]+)*$/.test(inFolder) || inFolder.includes('..'))
      throw new Error(`copyOutToFile: a read into a file of the store's folder; refused: ${file}`);
    // where PGlite mounts the folder, asked once (a write leaves its copy with several COPYs)
    this.dataDirectory ??= (
      await this.db.query<{ dir: string }>(`SELECT current_setting('data_directory') AS dir`)
    ).rows[0].dir;
    await this.db.query(
      `COPY (${select}) TO '${this.dataDirectory}/${inFolder}' WITH (FORMAT ${format})`,
    );
  }
  private dataDirectory: string | undefined;

  withFile<T>(bytes: Uint8Array, fn: (path: string) => Promise<T>): Promise<T> {
    return this.inFile(bytes, 'bin', fn);
  }

  /** `bytes` as a file of PGlite's in-memory file system while `fn` runs. */
  private async inFile<T>(
    bytes: Uint8Array,
    suffix: string,
    fn: (path: string) => Promise<T>,
  ): Promise<T> {
    const fs = this.db.Module.FS;
    const file = `${COPY_DIR}/${++copies}.${suffix}`;
    // the file takes the bytes as they are (canOwn), not a copy: they are only read from
    fs.writeFile(file, bytes, { canOwn: true });
    try {
      return await fn(file);
    } finally {
      fs.unlink(file);
    }
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) =>
      fn({
        query: async <R extends Row = Row>(sql: string, params: unknown[] = []) => {
          this.willRun(sql);
          return (await tx.query<R>(sql, params)).rows;
        },
        rowsDecodedHere: true,
        copyText: async (table: string, columns: string[], body: string | Uint8Array) => {
          this.willRun('COPY');
          await this.copyIn(table, columns, body, (sql) => tx.query(sql));
        },
        withFile: <R>(bytes: Uint8Array, f: (path: string) => Promise<R>) =>
          this.withFile(bytes, f),
      }),
    );
  }

  /**
   * One process opens a folder at a time (strata.lock), so the claims of live processes are
   * exactly this one's: kept in memory, they end with it.
   */
  private readonly claims = new Set<string>();

  async claim(key: string): Promise<() => Promise<void>> {
    this.claims.add(key);
    return async () => {
      this.claims.delete(key);
    };
  }

  async isClaimed(key: string): Promise<boolean> {
    return this.claims.has(key);
  }

  async close(): Promise<void> {
    try {
      await this.db.close();
    } finally {
      if (this.lockFile) {
        rmSync(this.lockFile, { force: true });
        openHere.delete(this.lockFile);
      }
    }
  }
}

/** Whether `dir` already holds a database (PostgreSQL writes PG_VERSION first). */
function isDataDir(dir: string): boolean {
  return existsSync(join(dir, 'PG_VERSION'));
}

/** Where COPY bodies are written for PostgreSQL to read: /tmp of PGlite's file system is in memory. */
const COPY_DIR = '/tmp';
let copies = 0;

/**
 * PGlite is one PostgreSQL in one process: a second process opening the same folder would
 * corrupt it. The first one writes `strata.lock` with its pid; another finds it and is refused
 * while that process lives (a lock left by a process that died is taken over).
 */
const openHere = new Set<string>();

function takeLock(dir: string): string {
  const file = join(dir, 'strata.lock');
  if (openHere.has(file)) {
    throw new StrataError(
      'STORE_IN_USE',
      `The embedded store in ${dir} is already open in this process.`,
      { hint: 'Close it before opening it again.' },
    );
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      openHere.add(file);
      return file;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (pid && pid !== process.pid && alive(pid)) {
        throw new StrataError(
          'STORE_IN_USE',
          `The embedded store in ${dir} is in use by another strata process (pid ${pid}): ` +
            'one process at a time can open it.',
          {
            hint:
              'Run this again when that process has ended (a command such as strata import ' +
              "ends by itself); if it is strata serve, use that server's API or stop it first. " +
              'With PostgreSQL (DATABASE_URL) any number of processes share one database, and ' +
              'imports into one environment wait their turn.',
          },
        );
      }
      // left by a process that is gone (or by this one, before a crash)
      rmSync(file, { force: true });
    }
  }
  throw new StrataError('STORE_IN_USE', `Could not lock the embedded store in ${dir}.`, {
    hint: 'Try again.',
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
