/**
 * Kept answers of read commands (decision 56). `strata list`, `components`, `layers`, `history`
 * and `env list` on the embedded store are answered from what the same command printed last
 * time, for as long as the store has not changed since: its generation (store/pglite/
 * generation.ts) names the database's state, and the store starts a new one before anything is
 * written to it. A kept answer costs a file read; opening PGlite costs 0.4–0.6 s before a
 * single query.
 *
 * Only what a session that wrote nothing printed, with exit code 0, is kept, under the
 * generation the store had throughout (the session holds the store's lock, so no other process
 * wrote meanwhile). PostgreSQL (DATABASE_URL) is shared by many processes without such a file,
 * and is never answered from here. STRATA_READ_CACHE=0 turns it off.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultHome, READ_CACHE_DIR, readGeneration } from '../store/pglite/generation.js';
import type { StoreSession } from '../store/open.js';
import type { Invocation, Io } from './command.js';

let sessions: StoreSession[] = [];

/** Called by cli/context.ts as it closes a store it opened for the command under way. */
export function storeSessionEnded(session: StoreSession): void {
  sessions.push(session);
}

interface Kept {
  key: string;
  generation: string;
  out: string[];
  err: string[];
  code: number;
}

/** Answers larger than this are not kept (a `layers --xml` of a large form is a few MB). */
const MAX_KEPT_CHARS = 32 * 1024 * 1024;

/**
 * Runs a read command, or prints what it printed before when the store has not changed since.
 * `version`: strata's, so that an upgraded strata never prints an older one's answer.
 */
export async function keptOrRun(
  invocation: Invocation,
  version: string,
  io: Io,
  run: (io: Io) => Promise<number>,
): Promise<number> {
  if (process.env.DATABASE_URL || process.env.STRATA_READ_CACHE === '0') return run(io);
  const home = defaultHome();
  const key = JSON.stringify([
    version,
    invocation.words,
    invocation.argv,
    process.env.STRATA_ENV ?? null,
  ]);
  const file = join(
    home,
    READ_CACHE_DIR,
    createHash('sha256').update(key).digest('hex').slice(0, 40) + '.json',
  );
  const generation = readGeneration(home);
  const kept = generation ? readKept(file) : undefined;
  if (kept && kept.key === key && kept.generation === generation) {
    for (const s of kept.out) io.out(s);
    for (const s of kept.err) io.err(s);
    return kept.code;
  }
  const out: string[] = [];
  const err: string[] = [];
  let chars = 0;
  sessions = [];
  const code = await run({
    ...io,
    out: (s) => {
      chars += s.length;
      out.push(s);
      io.out(s);
    },
    err: (s) => {
      chars += s.length;
      err.push(s);
      io.err(s);
    },
  });
  const [session, ...more] = sessions;
  sessions = [];
  const keep =
    code === 0 &&
    chars <= MAX_KEPT_CHARS &&
    session !== undefined &&
    more.length === 0 &&
    !session.wrote &&
    session.home === home &&
    session.generation !== '' &&
    // nothing else wrote between this session's end and now
    readGeneration(home) === session.generation;
  if (keep) writeKept(file, { key, generation: session.generation, out, err, code });
  return code;
}

function readKept(file: string): Kept | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Kept;
  } catch {
    return undefined; // none, or one cut short: answered by the store
  }
}

function writeKept(file: string, kept: Kept): void {
  try {
    mkdirSync(join(file, '..'), { recursive: true });
    const temp = `${file}.${process.pid}`;
    writeFileSync(temp, JSON.stringify(kept));
    renameSync(temp, file);
  } catch {
    // a read-only home, a full disk: the answer was printed; it is simply not kept
  }
}
