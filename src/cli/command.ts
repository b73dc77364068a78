/**
 * A CLI command is declared once: its name, summary, positionals, flags (each with a description)
 * and handler. main.ts dispatches from the declarations, parseCommandLine parses with them and
 * help.ts renders them, so a flag that parses is always a flag that help and docs/cli.md describe.
 *
 * This module is loaded on every start, `strata --help` included: it must stay light (no store,
 * no engine, no HTTP stack). Handlers load what they need when they run.
 */
import { parseArgs } from 'node:util';
import { StrataError } from '../model/errors.js';

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  isTTY: boolean;
}

/** A bad command line: exit 2, with the command's usage line printed below the message. */
export function usage(message: string, hint?: string): StrataError {
  return new StrataError('USAGE', message, {
    hint: hint ?? 'strata help lists the commands; strata help COMMAND shows one.',
  });
}

/** One flag: how it parses, and how usage and help show it. */
export interface FlagSpec {
  type: 'boolean' | 'string';
  /** the one-letter form, e.g. o for -o */
  short?: string;
  /** a string flag that may be repeated: its values arrive as a list */
  multiple?: boolean;
  /** what the value is called in usage and help, e.g. MB in --max-size MB */
  value?: string;
  /** the value of a string flag that is not given */
  default?: string;
  /** flags naming the same choice are alternatives: usage shows them as [--a | --b] */
  choice?: string;
  description: string;
}

export type Flags = Record<string, FlagSpec>;

/** Declares a group of flags; the const type parameter keeps their types for the handlers. */
export function defineFlags<const F extends Flags>(flags: F): F {
  return flags;
}

/** The flags every command takes. */
export const COMMON_FLAGS = defineFlags({
  env: {
    type: 'string',
    short: 'e',
    value: 'NAME',
    description: 'the environment (default: $STRATA_ENV or "default", created on first use)',
  },
  json: { type: 'boolean', description: 'machine output on stdout, errors included' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
});

/**
 * A flag's value. Distributive, so that a flag of any spec (the index of `Flags`) may hold any
 * value: every Command<F> is then a Command, whatever F declares.
 */
type ValueOf<S extends FlagSpec> = S['type'] extends infer T
  ? T extends 'boolean'
    ? boolean
    : S['multiple'] extends infer M
      ? M extends true
        ? string[]
        : string
      : never
  : never;

type Defaulted<F extends Flags> = {
  [K in keyof F]: F[K] extends { default: string } ? K : never;
}[keyof F];

/** The parsed values of flags F: a flag with a default is always there, the others may be. */
export type FlagValues<F extends Flags> = {
  [K in Exclude<keyof F, Defaulted<F>>]?: ValueOf<F[K]>;
} & { [K in Defaulted<F>]: ValueOf<F[K]> };

export interface CommandArgs<F extends Flags> {
  values: FlagValues<F & typeof COMMON_FLAGS>;
  positionals: string[];
}

export interface Command<F extends Flags = Flags> {
  name: string;
  /** one line for `strata help` */
  summary: string;
  /** what follows the name, e.g. 'TYPE KEY'; a command without it takes no positionals */
  positionals?: string;
  /** the command's own flags; COMMON_FLAGS come on top */
  flags: F;
  run(args: CommandArgs<F>, io: Io): Promise<number>;
}

/** A command that is a family of sub-commands: strata env create|list|delete. */
export interface CommandGroup {
  name: string;
  summary: string;
  commands: Command[];
  /** the sub-command run when none is named; without one, naming none is a usage error */
  defaultCommand?: string;
}

/** The handler's arguments for a declared command: `ArgsOf<typeof UPGRADE>`. */
export type ArgsOf<C> = C extends Command<infer F> ? CommandArgs<F> : never;

/**
 * Declares a command. Its handler usually lives in a module that loads the store: `run` imports
 * that module when the command runs, so declaring a command costs nothing at start-up.
 */
export function defineCommand<const F extends Flags>(command: Command<F>): Command<F> {
  return command;
}

export function defineCommandGroup(group: CommandGroup): CommandGroup {
  return group;
}

export function isGroup(command: Command | CommandGroup): command is CommandGroup {
  return 'commands' in command;
}

/** A command line resolved to the command that runs it. */
export interface Invocation {
  command: Command;
  /** the words that named it: ['import'], ['env', 'create'] */
  words: string[];
  /** what follows those words */
  argv: string[];
}

/** Finds the sub-command a group's argv names (its first word), or the group's default. */
export function invocationOf(command: Command | CommandGroup, argv: string[]): Invocation {
  if (!isGroup(command)) return { command, words: [command.name], argv };
  const [word, ...rest] = argv;
  const name = word ?? command.defaultCommand;
  const sub = command.commands.find((c) => c.name === name);
  if (sub) return { command: sub, words: [command.name, sub.name], argv: word ? rest : [] };
  throw usage(
    word ? `Unknown ${command.name} command "${word}".` : `${command.name} needs a command.`,
    `strata ${command.name} ${command.commands.map((c) => c.name).join('|')}`,
  );
}

/** Parses argv with the command's flags and the common ones; anything else is a usage error. */
export function parseCommandLine<F extends Flags>(
  command: Command<F>,
  argv: string[],
): CommandArgs<F> {
  const flags: Flags = { ...COMMON_FLAGS, ...command.flags };
  const options = Object.fromEntries(
    Object.entries(flags).map(([name, f]) => [name, parseArgsOption(f)]),
  );
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options,
      allowPositionals: command.positionals !== undefined,
      strict: true,
    });
    return { values: values as FlagValues<F & typeof COMMON_FLAGS>, positionals };
  } catch (e) {
    throw usage((e as Error).message);
  }
}

/** parseArgs validates the keys it is given: pass only those a flag sets. */
function parseArgsOption(f: FlagSpec): {
  type: 'boolean' | 'string';
  short?: string;
  multiple?: boolean;
  default?: string;
} {
  return {
    type: f.type,
    ...(f.short !== undefined && { short: f.short }),
    ...(f.multiple !== undefined && { multiple: f.multiple }),
    ...(f.default !== undefined && { default: f.default }),
  };
}
