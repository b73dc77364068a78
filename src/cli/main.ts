#!/usr/bin/env node
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { StrataError } from '../model/errors.js';
import {
  componentsCommand,
  envCommand,
  historyCommand,
  layersCommand,
  listCommand,
  logCommand,
  publishCommand,
} from './commands/environment.js';
import { importCommand, inspectCommand, planCommand, sampleCommand } from './commands/package.js';
import {
  clonePatchCommand,
  cloneSolutionCommand,
  customizeCommand,
  deleteCommand,
  exportCommand,
  upgradeCommand,
} from './commands/lifecycle.js';
import { packCommand, unpackCommand } from './commands/packager.js';
import { serveCommand, tokenCommand } from './commands/server.js';
import { usage, type Io } from './context.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { COMMANDS, helpText } from './help.js';

function packageJsonPath(): string {
  // src/cli/main.ts and dist/src/cli/main.js both sit below the project root
  const here = fileURLToPath(import.meta.url);
  return here.replace(/(\/dist)?\/src\/cli\/main\.[jt]s$/, '/package.json');
}

const HANDLERS: Record<string, (argv: string[], io: Io) => Promise<number>> = {
  sample: sampleCommand,
  inspect: inspectCommand,
  plan: planCommand,
  import: importCommand,
  list: listCommand,
  components: componentsCommand,
  layers: layersCommand,
  publish: publishCommand,
  log: logCommand,
  history: historyCommand,
  env: envCommand,
  unpack: unpackCommand,
  pack: packCommand,
  upgrade: upgradeCommand,
  delete: deleteCommand,
  'clone-patch': clonePatchCommand,
  clone: cloneSolutionCommand,
  customize: customizeCommand,
  export: exportCommand,
  serve: serveCommand,
  token: tokenCommand,
};

/** Runs one CLI invocation; returns the exit code. Errors are printed, never thrown. */
export async function run(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  const json = rest.includes('--json');
  try {
    if (!command || command === 'help' || command === '--help' || command === '-h') {
      io.out(helpText(rest[0]));
      return EXIT.ok;
    }
    if (command === '--version' || command === 'version') {
      const pkg = JSON.parse(readFileSync(packageJsonPath(), 'utf8')) as { version: string };
      io.out(pkg.version);
      return EXIT.ok;
    }
    const handler = HANDLERS[command];
    if (!handler) throw usage(`Unknown command "${command}".`);
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(helpText(command));
      return EXIT.ok;
    }
    return await handler(rest, io);
  } catch (e) {
    const code = exitCodeFor(e);
    if (e instanceof StrataError) {
      if (json) io.out(JSON.stringify({ error: e.toJSON() }, null, 2));
      else {
        io.err(`error ${e.code}: ${e.message}`);
        if (e.hint) io.err(`→ ${e.hint}`);
        if (e.code === 'USAGE' && command && COMMANDS[command])
          io.err(`usage: ${COMMANDS[command].usage}`);
      }
    } else {
      io.err(`internal error: ${(e as Error).stack ?? String(e)}`);
      if (json)
        io.out(JSON.stringify({ error: { code: 'INTERNAL', message: (e as Error).message } }));
    }
    return code;
  }
}

function invokedDirectly(): boolean {
  try {
    return (
      !!process.argv[1] &&
      realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))
    );
  } catch {
    return false;
  }
}
const isMain = invokedDirectly();
if (isMain) {
  // `strata ... | head` closes stdout early: stop quietly instead of crashing on EPIPE
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    else throw e;
  });
  const code = await run(process.argv.slice(2), {
    out: (s) => process.stdout.write(s + '\n'),
    err: (s) => process.stderr.write(s + '\n'),
    isTTY: !!process.stderr.isTTY,
  });
  process.exitCode = code;
}
