/**
 * An embedded store's generation: a name for "the database as it is now", kept in a small file
 * beside it (`strata.generation`), that changes before anything in the database does. What is
 * computed from a store that wrote nothing may be kept under the generation it saw, and stays
 * true for as long as that file says the same (cli/read-cache.ts keeps the output of read
 * commands so). Nothing here loads PGlite: reading the generation costs one small file read.
 *
 * Why a file of its own and not the database's files: PostgreSQL touches its control file, its
 * WAL and its relation caches each time it starts and stops, also when nothing was written, so
 * no fingerprint of the data folder stays put across two reads (decision 56).
 */
import {
  closeSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join, resolve } from 'node:path';

const GENERATION_FILE = 'strata.generation';

/** The folder that holds what was kept under a generation (removed when it changes). */
export const READ_CACHE_DIR = 'read-cache';

/** The embedded store's folder: $STRATA_HOME, else ./.strata. */
export function defaultHome(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.STRATA_HOME || '.strata');
}

/** The store's generation now ('' for a store that has never been written since it had one). */
export function readGeneration(home: string): string {
  try {
    return readFileSync(join(home, GENERATION_FILE), 'utf8').trim();
  } catch {
    return '';
  }
}

/**
 * Starts a new generation: called by the store before the first statement of a session that may
 * write. The new name is in place (renamed over the old one: never half written) before the
 * write begins, so nothing kept under the old one is ever taken for the new state, also when the
 * process dies right after; then what was kept is removed.
 */
export function newGeneration(home: string): void {
  // the Web Crypto global, not node:crypto: a read command, which loads this module, never loads
  // node:crypto's ~40 internal modules (5–8 ms of every read, decision 71)
  writeAtomically(join(home, GENERATION_FILE), globalThis.crypto.randomUUID());
  rmSync(join(home, READ_CACHE_DIR), { recursive: true, force: true });
}

/**
 * A file name for `text` (a kept answer's key, an environment's name): 32 hex digits, four
 * FNV-1a hashes with different starting values. Not a cryptographic hash, and it need not be:
 * what is read from such a file is taken only when the key or name it holds is `text`, so two
 * texts of one name only take each other's place. Computed without node:crypto, which a read
 * answered from what is kept here would load for this alone (decision 71).
 */
export function fileNameOf(text: string): string {
  let out = '';
  for (const start of [0x811c9dc5, 0x050c5d1f, 0x2b2ae9b3, 0x6c62272e]) {
    let h = start;
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    // each finished by mixing its bits (FNV-1a alone leaves the last characters in the low bits)
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
    out += (h >>> 0).toString(16).padStart(8, '0');
  }
  return out;
}

/**
 * Writes a file beside the store whole or not at all: a temporary file of this process, renamed
 * over it (the generation, kept answers, the copy of an environment's layers). `data` as pieces
 * is their text one after another.
 */
export function writeAtomically(file: string, data: string | Uint8Array | string[]): void {
  const temp = `${file}.${process.pid}`;
  if (Array.isArray(data)) {
    // pieces written one after another, not joined into one more copy of them first
    const fd = openSync(temp, 'w');
    try {
      for (const piece of data) {
        const bytes = Buffer.from(piece, 'utf8');
        for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at);
      }
    } finally {
      closeSync(fd);
    }
  } else writeFileSync(temp, data);
  renameSync(temp, file);
}

/**
 * Whether a statement may change the database. Conservative: only SELECT, WITH … SELECT, SHOW,
 * EXPLAIN, transaction control, SET and LOCK count as reads, and a SELECT, WITH or EXPLAIN that
 * names a writing word anywhere (a data-modifying CTE, nextval, SELECT INTO, FOR UPDATE, EXPLAIN
 * ANALYZE of an INSERT) counts as a write. Taking a read for a write only costs the kept
 * outputs; the reverse never happens.
 */
export function mayWrite(sql: string): boolean {
  const head = LEADING.exec(sql);
  if (!head) return true;
  const word = head[1].toLowerCase();
  if (word === 'select' || word === 'with' || word === 'explain') return WRITING_WORD.test(sql);
  return false;
}

/** the first word, after any comments; only these words can start a statement that only reads */
const LEADING =
  /^\s*(?:--[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*(select|with|show|explain|begin|commit|rollback|savepoint|release|set|reset|lock)\b/i;

const WRITING_WORD =
  /\b(insert|update|delete|merge|truncate|create|drop|alter|copy|into|nextval|setval|pg_advisory_lock|lo_\w+)\b/i;
