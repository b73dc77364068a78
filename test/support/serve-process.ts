/**
 * `strata serve` as its own process on an embedded store, started from source (through tsx, as
 * `npm run strata` does) or from a build (as `npx strata` does), for tests that need a server
 * whose event loop is not the test's own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { PGliteStore } from '../../src/store/pglite/adapter.js';
import { migrate } from '../../src/store/migrations.js';
import { REPO_ROOT } from './fixtures.js';
import { environmentsWithTokens } from './server.js';

/** How to start strata: node's arguments before the command's. */
export type Launch = { name: string; args: string[] };

export const FROM_SOURCE: Launch = {
  name: 'from source (tsx)',
  args: ['--import', 'tsx', join(REPO_ROOT, 'src', 'cli', 'main.ts')],
};

/** strata built into `outDir` (tsc, as `npm run build` does into dist/). */
export function fromBuild(outDir: string): Launch {
  return { name: 'built (tsc)', args: [join(outDir, 'src', 'cli', 'main.js')] };
}

/**
 * Builds strata with the project's tsconfig into a new folder under the project (so that the
 * build finds node_modules), for a test to start; remove it afterwards.
 */
export async function buildStrata(): Promise<string> {
  mkdirSync(join(REPO_ROOT, 'test-output'), { recursive: true });
  const outDir = mkdtempSync(join(REPO_ROOT, 'test-output', 'build-'));
  const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const child = spawn(process.execPath, [tsc, '-p', 'tsconfig.json', '--outDir', outDir], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`tsc exited with ${code}`);
  return outDir;
}

export interface ServeProcess {
  base: string;
  tokens: Record<string, string>;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * An embedded store in a new folder with the environments named (each with a token), served by
 * `strata serve` in its own process with `env` added to its environment.
 */
export async function serveProcess(
  launch: Launch,
  environments: string[],
  env: Record<string, string> = {},
): Promise<ServeProcess> {
  const home = mkdtempSync(join(tmpdir(), 'strata-serve-'));
  const store = await PGliteStore.open(home);
  let tokens: Record<string, string>;
  try {
    await migrate(store);
    tokens = await environmentsWithTokens(store, environments);
  } finally {
    await store.close();
  }
  const child = spawn(process.execPath, [...launch.args, 'serve', '--port', '0', '--quiet'], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env, STRATA_HOME: home, DATABASE_URL: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      // a server whose event loop is stuck never handles SIGTERM
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(kill);
    }
    rmSync(home, { recursive: true, force: true });
  };
  // the address comes on stderr ("strata serving ... at http://..."); it is read to its end
  const said: string[] = [];
  const base = await new Promise<string | null>((resolve) => {
    const lines = createInterface({ input: child.stderr! });
    lines.on('line', (line) => {
      said.push(line);
      const at = / at (http:\/\/\S+)$/.exec(line);
      if (at) resolve(at[1]);
    });
    lines.on('close', () => resolve(null));
  });
  if (base) return { base, tokens, child, stop };
  await stop();
  throw new Error(`strata serve did not start:\n${said.join('\n')}`);
}
