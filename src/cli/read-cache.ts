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
 *
 * A command that wrote leaves answers behind it (leaveAnswers): before it closes the store, it
 * runs again the few read commands asked lately (`read-asked.json`) whose answers were small, and
 * keeps what they print under the generation its own writes made; `strata list` and
 * `strata history` are left always. `strata list` after `strata import` is then answered at once
 * (decisions 59, 60). It also leaves a copy of the layers of the environment it worked on, from
 * which `strata components` and `strata layers` of any component are answered (decision 67).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  defaultHome,
  fileNameOf,
  READ_CACHE_DIR,
  readGeneration,
  writeAtomically,
} from '../store/pglite/generation.js';
import type { StoreSession } from '../store/open.js';
import { writeReadCopy, type CopySource } from '../store/pglite/read-copy.js';
import type { Invocation, Io } from './command.js';
import { strataVersion } from './version.js';

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
 * The key holds strata's version, so that an upgraded strata never prints an older one's answer.
 */
export async function keptOrRun(
  invocation: Invocation,
  io: Io,
  run: (io: Io) => Promise<number>,
): Promise<number> {
  if (!keeping()) return run(io);
  const home = defaultHome();
  const asked: Asked = {
    words: invocation.words,
    argv: invocation.argv,
    env: process.env.STRATA_ENV ?? null,
    version: strataVersion(),
    chars: 0,
  };
  const key = keyOf(asked);
  const file = keptFile(home, key);
  const generation = readGeneration(home);
  const kept = generation ? readKept(file) : undefined;
  if (kept && kept.key === key && kept.generation === generation) {
    for (const s of kept.out) io.out(s);
    for (const s of kept.err) io.err(s);
    noteAsked(home, { ...asked, chars: size(kept) });
    return kept.code;
  }
  const out: string[] = [];
  const err: string[] = [];
  sessions = [];
  const code = await run({
    ...io,
    out: (s) => {
      out.push(s);
      io.out(s);
    },
    err: (s) => {
      err.push(s);
      io.err(s);
    },
  });
  const [session, ...more] = sessions;
  sessions = [];
  const answer = { key, generation: session?.generation ?? '', out, err, code };
  const keep =
    code === 0 &&
    size(answer) <= MAX_KEPT_CHARS &&
    session !== undefined &&
    more.length === 0 &&
    !session.wrote &&
    session.home === home &&
    session.generation !== '' &&
    // nothing else wrote between this session's end and now
    readGeneration(home) === session.generation;
  if (keep) {
    writeKept(file, answer);
    noteAsked(home, { ...asked, chars: size(answer) });
  }
  return code;
}

/** Whether answers are kept at all: the embedded store, and not turned off. */
function keeping(): boolean {
  return !process.env.DATABASE_URL && process.env.STRATA_READ_CACHE !== '0';
}

function size(kept: Pick<Kept, 'out' | 'err'>): number {
  let n = 0;
  for (const s of kept.out) n += s.length;
  for (const s of kept.err) n += s.length;
  return n;
}

function keyOf(a: Asked): string {
  return JSON.stringify([a.version, a.words, a.argv, a.env]);
}

function keptFile(home: string, key: string): string {
  // the answer read back is taken only when it holds this key (keptOrRun)
  return join(home, READ_CACHE_DIR, `${fileNameOf(key)}.kept`);
}

/** A read command asked lately: what runs it again, and how long its answer was. */
interface Asked {
  words: string[];
  argv: string[];
  /** STRATA_ENV when it was asked (part of what it answers) */
  env: string | null;
  version: string;
  chars: number;
}

/** Kept beside the store, not in read-cache/: it outlives the generations. */
const ASKED_FILE = 'read-asked.json';
/** How many of the reads asked lately a write answers again, at most. */
const MAX_ASKED = 4;
/**
 * Only a short answer is left by a write: `list`, `history`, one component's `layers` take a few
 * milliseconds to answer again on the store the write has open; the 10,000 lines of a large
 * `components` take 0.1–0.15 s, which the write would pay whether the list is asked again or
 * not.
 */
const MAX_LEFT_CHARS = 64 * 1024;

function readAsked(home: string): Asked[] {
  try {
    const list = JSON.parse(readFileSync(join(home, ASKED_FILE), 'utf8')) as unknown;
    return Array.isArray(list) ? (list as Asked[]).filter(validAsked) : [];
  } catch {
    return [];
  }
}

function validAsked(a: Asked): boolean {
  return (
    typeof a === 'object' &&
    a !== null &&
    Array.isArray(a.words) &&
    a.words.every((w) => typeof w === 'string') &&
    Array.isArray(a.argv) &&
    a.argv.every((w) => typeof w === 'string') &&
    (a.env === null || typeof a.env === 'string') &&
    typeof a.version === 'string' &&
    typeof a.chars === 'number'
  );
}

/** Puts a read first among those asked lately (rewritten only when that changes something). */
function noteAsked(home: string, a: Asked): void {
  const list = readAsked(home);
  const key = keyOf(a);
  if (list.length && keyOf(list[0]) === key && list[0].chars === a.chars) return;
  const next = [a, ...list.filter((b) => keyOf(b) !== key)].slice(0, MAX_ASKED);
  try {
    writeAtomically(join(home, ASKED_FILE), JSON.stringify(next));
  } catch {
    // a read-only home: nothing is left by writes
  }
}

/**
 * Left by every write, asked or not: what a user looks at after an import — the solutions, and
 * what the operation did. Both are short (`history` shows 100 operations) and take a few
 * milliseconds on the open store (decision 60).
 */
const ALWAYS_LEFT: Array<Pick<Asked, 'words' | 'argv'>> = [
  { words: ['list'], argv: [] },
  { words: ['history'], argv: [] },
];

/**
 * Called by cli/context.ts when a command that wrote to the store has succeeded, with the store
 * still open (`lend` runs read commands on it): the copy of the layers of the environment the
 * command worked on is written (store/pglite/read-copy.ts: `components` and `layers` of any
 * component read it), and the reads asked lately, with short answers and the same STRATA_ENV,
 * and `list` and `history` (ALWAYS_LEFT), run again and are kept under the generation this
 * session's writes made. A read that fails, or would write, leaves nothing.
 */
export async function leaveAnswers(
  session: StoreSession,
  lend: (fn: () => Promise<void>) => Promise<void>,
  copy: { store: CopySource | undefined; environment: string | undefined },
): Promise<void> {
  if (!keeping() || session.home !== defaultHome()) return;
  const generation = readGeneration(session.home);
  if (!generation) return;
  // the layers of the environment the command worked on, for `components` and `layers` of any
  // component (decision 67)
  if (copy.environment !== undefined && copy.store !== undefined)
    await writeReadCopy(copy.store, session.home, generation, copy.environment).catch(() => false);
  const version = strataVersion();
  const env = process.env.STRATA_ENV ?? null;
  const { runRead: run } = await import('./run-read.js');
  const asked = readAsked(session.home).filter(
    (a) => a.version === version && a.env === env && a.chars <= MAX_LEFT_CHARS,
  );
  const due = [
    ...asked,
    ...ALWAYS_LEFT.map((a) => ({ ...a, env, version, chars: 0 })).filter(
      (a) => !asked.some((b) => keyOf(b) === keyOf(a)),
    ),
  ];
  await lend(async () => {
    for (const a of due) {
      const out: string[] = [];
      const err: string[] = [];
      let code: number;
      try {
        code = await run(a.words, a.argv, {
          out: (s) => out.push(s),
          err: (s) => err.push(s),
          isTTY: false,
        });
      } catch {
        continue;
      }
      // (nothing can move the generation meanwhile: the lent store refuses writes, and this
      // process holds the store's lock)
      if (code !== 0) continue;
      const key = keyOf(a);
      writeKept(keptFile(session.home, key), { key, generation, out, err, code });
    }
  });
}

/**
 * A kept answer's file: a first line of JSON (the key, the generation, the exit code and the
 * length of each piece printed), then the pieces' text as printed, one after another. Not one
 * JSON value: the 10,000 lines of a large `components` took 20 ms to escape into JSON and write,
 * and as long to read back and unescape (decision 73). A file cut short, of another format or
 * an older strata's, is not an answer.
 */
interface KeptHead {
  format: number;
  key: string;
  generation: string;
  code: number;
  /** each piece's length in UTF-16 units, those printed to stdout first */
  out: number[];
  err: number[];
}

const KEPT_FORMAT = 2;

function readKept(file: string): Kept | undefined {
  try {
    const text = readFileSync(file, 'utf8');
    const eol = text.indexOf('\n');
    if (eol < 0) return undefined;
    const head = JSON.parse(text.slice(0, eol)) as KeptHead;
    if (
      head.format !== KEPT_FORMAT ||
      typeof head.key !== 'string' ||
      typeof head.generation !== 'string' ||
      typeof head.code !== 'number' ||
      !Array.isArray(head.out) ||
      !Array.isArray(head.err)
    )
      return undefined;
    let at = eol + 1;
    const pieces = (lengths: unknown[]): string[] =>
      lengths.map((n) => {
        if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new Error('bad length');
        const piece = text.slice(at, at + n);
        at += n;
        return piece;
      });
    const out = pieces(head.out);
    const err = pieces(head.err);
    // every piece there, and nothing after them
    if (at !== text.length) return undefined;
    return { key: head.key, generation: head.generation, out, err, code: head.code };
  } catch {
    return undefined; // none, or one cut short: answered by the store
  }
}

function writeKept(file: string, kept: Kept): void {
  const head: KeptHead = {
    format: KEPT_FORMAT,
    key: kept.key,
    generation: kept.generation,
    code: kept.code,
    out: kept.out.map((s) => s.length),
    err: kept.err.map((s) => s.length),
  };
  try {
    mkdirSync(join(file, '..'), { recursive: true });
    writeAtomically(file, [`${JSON.stringify(head)}\n`, ...kept.out, ...kept.err]);
  } catch {
    // a read-only home, a full disk: the answer was printed; it is simply not kept
  }
}
