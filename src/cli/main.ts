#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { StrataError } from '../model/errors.js';
import {
  flagSpellings,
  invocationOf,
  parseCommandLine,
  usage,
  type Command,
  type CommandGroup,
  type Invocation,
  type Io,
} from './command.js';
import { findCommand } from './commands/index.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { helpText, usageOf } from './help.js';
import { commandV8Settings } from './v8-settings.js';
import { strataVersion } from './version.js';
import { commandWeight, setCommandWeight, type CommandWeight } from './weight.js';

/**
 * Runs one CLI invocation; returns the exit code. Errors are printed, never thrown. `weight`:
 * how heavy the command is (cli/weight.ts), when the caller has weighed it already.
 */
export async function run(
  argv: string[],
  io: Io,
  weight: CommandWeight = commandWeight(argv),
): Promise<number> {
  const [name, ...rest] = argv;
  const json = rest.includes('--json');
  const declared = name === undefined ? undefined : findCommand(name);
  let invocation: Invocation | undefined;
  try {
    if (!name || name === 'help' || name === '--help' || name === '-h') {
      io.out(helpText(rest));
      return EXIT.ok;
    }
    if (name === '--version' || (name === 'version' && rest.length === 0)) {
      io.out(strataVersion());
      return EXIT.ok;
    }
    if (!declared) throw usage(`Unknown command "${name}".`);
    if (wantsHelp(declared, rest)) {
      io.out(helpText(argv));
      return EXIT.ok;
    }
    invocation = invocationOf(declared, rest);
    const { command } = invocation;
    setCommandWeight(weight, command.readsOnly === true);
    const args = parseCommandLine(command, invocation.argv);
    if (command.readsOnly) {
      const { keptOrRun } = await import('./read-cache.js');
      return await keptOrRun(invocation, io, (io) => command.run(args, io));
    }
    return await command.run(args, io);
  } catch (e) {
    const code = exitCodeFor(e);
    if (e instanceof StrataError) {
      if (json) io.out(JSON.stringify({ error: e.toJSON() }, null, 2));
      else {
        io.err(`error ${e.code}: ${e.message}`);
        if (e.hint) io.err(`→ ${e.hint}`);
        if (e.code === 'USAGE' && declared) io.err(`usage: ${usageOf(declared, invocation)}`);
      }
    } else {
      io.err(`internal error: ${(e as Error).stack ?? String(e)}`);
      if (json)
        io.out(JSON.stringify({ error: { code: 'INTERNAL', message: (e as Error).message } }));
    }
    return code;
  }
}

/**
 * --help anywhere asks for help; so does -h, unless the command gives -h a meaning of its own
 * (pac's -h of import is --import-as-holding).
 */
function wantsHelp(declared: Command | CommandGroup, rest: string[]): boolean {
  if (rest.some((a) => a.toLowerCase() === '--help')) return true;
  if (!rest.some((a) => a.toLowerCase() === '-h')) return false;
  try {
    return flagSpellings(invocationOf(declared, rest).command).get('-h') === 'help';
  } catch {
    return true;
  }
}

/** Whether `strata ARGV…` names a command that only reads (`list`, `components`, `env list`…). */
export function readsOnly(argv: string[]): boolean {
  const declared = argv[0] === undefined ? undefined : findCommand(argv[0]);
  try {
    return !!declared && invocationOf(declared, argv.slice(1)).command.readsOnly === true;
  } catch {
    return false; // not a command: run() says so
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
  const argv = process.argv.slice(2);
  const weight = commandWeight(argv);
  commandV8Settings(weight, argv[0] === 'serve', readsOnly(argv));
  // `strata ... | head` closes stdout early: stop quietly instead of crashing on EPIPE
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    else throw e;
  });
  const code = await run(
    argv,
    {
      out: (s) => process.stdout.write(s + '\n'),
      err: (s) => process.stderr.write(s + '\n'),
      isTTY: !!process.stderr.isTTY,
    },
    weight,
  );
  process.exitCode = code;
}
