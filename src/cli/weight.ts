import { statSync } from 'node:fs';

/**
 * How a command runs the embedded store (decision 55). Most commands are short: PGlite's
 * WebAssembly runs on V8's baseline compiler alone and PostgreSQL takes 16 MB of shared buffers,
 * which halves their memory and start-up. A command given a large package or data file runs
 * long enough to gain from optimised code (the 105,001-component upgrade took 18.4 s light and
 * 14.8 s heavy), and runs heavy: optimised code, 32 MB of shared buffers, and a heap that grows
 * by a quarter between full collections (decision 61). `strata serve` keeps PGlite's and V8's
 * defaults.
 */
export type CommandWeight = 'light' | 'heavy';

let current: CommandWeight = 'light';
let reading = false;

/**
 * Sets the weight of the command under way (cli/main.ts, from its command line), and whether it
 * only reads (`list`, `components`, `layers`, `history`, `env list`).
 */
export function setCommandWeight(w: CommandWeight, readsOnly = false): void {
  current = w;
  reading = readsOnly;
}

/** Whether the command under way only reads (a light read takes the fewest shared buffers). */
export function currentCommandReadsOnly(): boolean {
  return reading;
}

/** The weight of the command under way: how cli/context.ts opens the store. */
export function currentCommandWeight(): CommandWeight {
  return current;
}

/** A file argument this large (on disk, so a zip's compressed size) makes a command heavy. */
export const HEAVY_FILE_BYTES = 2 * 1024 * 1024;

/** The weight of `strata ARGV…`: heavy for `serve`, or when an argument names a large file. */
export function commandWeight(argv: readonly string[]): CommandWeight {
  if (argv[0] === 'serve') return 'heavy';
  for (const arg of argv.slice(1)) {
    // a path on its own, or after the = of --flag=PATH
    const path = arg.startsWith('-') ? arg.slice(arg.indexOf('=') + 1 || arg.length) : arg;
    if (path && isLargeFile(path)) return 'heavy';
  }
  return 'light';
}

function isLargeFile(path: string): boolean {
  try {
    const st = statSync(path);
    return st.isFile() && st.size >= HEAVY_FILE_BYTES;
  } catch {
    return false; // not a file: a name, a number
  }
}
