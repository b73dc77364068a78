/**
 * PGlite's WebAssembly compiled while the command's own modules load: started by cli/main.ts for a command that will open the embedded store, and taken by
 * the adapter (adapter.ts) when it opens one. Nothing here loads PGlite's JavaScript.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PreparedPGlite {
  pgliteWasmModule: WebAssembly.Module;
}

let prepared: Promise<PreparedPGlite | undefined> | undefined;

/** Starts compiling PGlite's WebAssembly (once). */
export function preparePGlite(): void {
  if (prepared) return;
  const dir = dirname(fileURLToPath(import.meta.resolve('@electric-sql/pglite')));
  prepared = readFile(join(dir, 'pglite.wasm'))
    .then(async (bytes) => ({ pgliteWasmModule: await WebAssembly.compile(bytes) }))
    // PGlite reads and compiles it itself then
    .catch(() => undefined);
}

/** What preparePGlite made, once; undefined when it was not started (or failed). */
export async function takePreparedPGlite(): Promise<PreparedPGlite | undefined> {
  const p = prepared;
  prepared = undefined;
  return p;
}
