import { setFlagsFromString } from 'node:v8';

/**
 * V8 settings every strata process runs with: set by cli/main.ts before any command (the CLI's
 * commands and `strata serve` alike), and by `npm run bench` before its in-process scenarios, so
 * that they measure the engine as strata runs it (decision 65).
 *
 * - **No allocation-site pretenuring.** Once most of the objects made at one place in the code
 *   have outlived a young-generation collection, V8 makes everything of that place straight in
 *   the old generation (`--trace-pretenuring-statistics` shows places switching to "tenure"
 *   during the first imports of a process). An import keeps its components to the end but lets
 *   go of the parser's elements and most of what it makes along the way: tenured, those fill the
 *   old generation with garbage that only a full collection frees. In one process that imports
 *   again and again (the bench, a script on the engine), the 10,501-component install took
 *   0.85–1.0 s with V8's default and 0.6–0.77 s without it. A single CLI import measured the same
 *   either way, as did the 105,001-component package's install and upgrade (time and peak RSS)
 *   and `strata serve`'s imports (its reader threads parse).
 */
export function everyProcessV8Settings(): void {
  setFlagsFromString('--no-allocation-site-pretenuring');
}
