import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { run } from '../../src/cli/main.js';

export interface CliExit {
  code: number;
  out: string;
  err: string;
  /** standard output and error as they were written, interleaved */
  both: string;
}

/** Runs the CLI in-process, capturing what it prints (not a terminal: no progress bars). */
export async function runCli(...argv: string[]): Promise<CliExit> {
  let out = '';
  let err = '';
  let both = '';
  const code = await run(argv, {
    out: (s) => {
      out += s + '\n';
      both += s + '\n';
    },
    err: (s) => {
      err += s + '\n';
      both += s + '\n';
    },
    isTTY: false,
  });
  return { code, out, err, both };
}

/**
 * For the tests of a describe: STRATA_HOME in a temporary folder (the embedded store) and no
 * DATABASE_URL, put back afterwards. Returns the folder, for the packages a test writes.
 */
export function useTempHome(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const saved = { home: process.env.STRATA_HOME, url: process.env.DATABASE_URL };
  before(() => {
    process.env.STRATA_HOME = join(dir, 'home');
    delete process.env.DATABASE_URL;
  });
  after(() => {
    // assigning undefined would set the text "undefined": a later store would open ./undefined
    if (saved.home === undefined) delete process.env.STRATA_HOME;
    else process.env.STRATA_HOME = saved.home;
    if (saved.url !== undefined) process.env.DATABASE_URL = saved.url;
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}
