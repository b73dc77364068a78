/**
 * A read command run again, for cli/read-cache.ts (leaveAnswers): by its words and arguments as
 * it was asked, loaded only when a command that wrote answers the reads asked lately.
 */
import { invocationOf, parseCommandLine, type Io } from './command.js';
import { findCommand } from './commands/index.js';
import { EXIT } from './exit-codes.js';

export async function runRead(words: string[], argv: string[], io: Io): Promise<number> {
  const declared = findCommand(words[0]);
  if (!declared) return EXIT.usage;
  const invocation = invocationOf(declared, [...words.slice(1), ...argv]);
  if (!invocation.command.readsOnly) return EXIT.usage;
  return invocation.command.run(parseCommandLine(invocation.command, invocation.argv), io);
}
