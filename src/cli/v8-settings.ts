import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { CommandWeight } from './weight.js';

/**
 * V8's settings for strata's processes, all named here. `everyProcessV8Settings` is set for
 * every command and `strata serve` (cli/main.ts, through `commandV8Settings`), and by `npm run
 * bench` before its in-process scenarios, so that they measure the engine as strata runs it.
 *
 * - **No allocation-site pretenuring** (decision 65). Once most of the objects made at one place
 *   in the code have outlived a young-generation collection, V8 makes everything of that place
 *   straight in the old generation (`--trace-pretenuring-statistics` shows places switching to
 *   "tenure" during the first imports of a process). An import keeps its components to the end
 *   but lets go of the parser's elements and most of what it makes along the way: tenured, those
 *   fill the old generation with garbage that only a full collection frees. In one process that
 *   imports again and again (the bench, a script on the engine), the 10,501-component install
 *   took 0.85–1.0 s with V8's default and 0.6–0.77 s without it. A single CLI import measured
 *   the same either way, as did the 105,001-component package's install and upgrade (time and
 *   peak RSS) and `strata serve`'s imports (its reader threads parse).
 */
export function everyProcessV8Settings(): void {
  setFlagsFromString('--no-allocation-site-pretenuring');
}

/**
 * The settings of one CLI command, by its weight (cli/weight.ts), set before it runs:
 *
 * - A light command runs PGlite's WebAssembly on V8's baseline compiler alone: optimising it in
 *   the background cost each command ~0.3 s of CPU (and a wait for it at exit) and ~90 MB. A
 *   heavy one keeps V8's defaults (decision 55).
 * - A light command that only reads keeps V8's young generation at the 1 MB it starts with: V8
 *   doubles it, up to 16 MB, as objects outlive its collections, and every page it grows into
 *   is a page fault of the process (11 µs each on the bench's machine). `components` of the
 *   10,000-component environment, answered from the copy of its layers, grew it to 12 MB: 2,400
 *   page faults, a tenth of the command (decision 73). A command that writes keeps the growth:
 *   held at 1 MB, the 10,000-component install and uninstall measured 5–7 % slower, and a young
 *   generation held at 2–4 MB made the 105,001-component import 30–50 % slower (decision 62).
 * - A large import's heap grows several times over between two full collections at V8's own
 *   pace (125 → 540 MB of heap, a quarter of it live, at 105,001 components): a heavy command
 *   lets the heap grow by a quarter before collecting (decision 61). `strata serve` keeps V8's
 *   pace: it lives long, and its idle heap is given back anyway.
 * - Both may collect at once where they let go of much (engine/collect.ts): an export before it
 *   writes its package, an import as soon as it lets go of a large document's text (decision
 *   62). `strata serve` does not.
 */
export function commandV8Settings(weight: CommandWeight, serve: boolean, readsOnly = false): void {
  everyProcessV8Settings();
  if (weight === 'light') setFlagsFromString('--liftoff-only');
  else if (!serve) setFlagsFromString('--heap-growing-percent=25');
  if (weight === 'light' && readsOnly) setFlagsFromString('--semi-space-growth-factor=1');
  if (weight === 'light' || !serve) (globalThis as { gc?: unknown }).gc = lazyGc();
}

/**
 * V8's full collection, for the few points where a command lets go of much at once
 * (engine/collect.ts). It is fetched from a new context made with `--expose-gc`, which costs
 * ~2 ms: only when first called.
 */
function lazyGc(): () => void {
  let gc: (() => void) | undefined;
  return () => {
    if (!gc) {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as () => void;
    }
    gc();
  };
}
