/**
 * A CLI command is declared once: its name, summary, positionals, flags (each with a description)
 * and handler. main.ts dispatches from the declarations, parseCommandLine parses with them and
 * help.ts renders them, so a flag that parses is always a flag that help and docs/cli.md describe.
 *
 * This module is loaded on every start, `strata --help` included: it must stay light (no store,
 * no engine, no HTTP stack). Handlers load what they need when they run.
 */
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
  /**
   * the short form after one dash: a letter (o for -o) or pac's multi-letter alias (ap for -ap);
   * a command's own short form wins over a common flag's (import's -h is --import-as-holding)
   */
  short?: string;
  /** other spellings, dashes included: pac's names for the same flag ('--path', '-ow') */
  aliases?: string[];
  /**
   * a pac flag that strata does not carry out: giving it is a usage error with this reason (so
   * a pac command line fails loudly instead of doing something else)
   */
  unsupported?: string;
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
    aliases: ['-env', '--environment'],
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
  /**
   * It only reads: what it printed is kept, and printed again without opening the store while
   * the store stays as it was (cli/read-cache.ts)
   */
  readsOnly?: true;
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

/**
 * Parses argv with the command's flags and the common ones. Flags are matched whole (no -abc
 * groups: pac's short forms have several letters) and case-insensitively, as pac matches them;
 * `--flag=value` and, for a switch, pac's `--flag true|false` are accepted. Anything unknown is
 * a usage error that names the closest flag the command has.
 */
export function parseCommandLine<F extends Flags>(
  command: Command<F>,
  argv: string[],
): CommandArgs<F> {
  const flags: Flags = { ...COMMON_FLAGS, ...command.flags };
  const spellings = flagSpellings(command);
  const values: Record<string, unknown> = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (token === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!isFlagToken(token)) {
      positionals.push(token);
      continue;
    }
    const eq = token.indexOf('=');
    const spelled = eq > 0 ? token.slice(0, eq) : token;
    const inline = eq > 0 ? token.slice(eq + 1) : undefined;
    const name = spellings.get(spelled.toLowerCase());
    if (name === undefined) throw unknownFlag(spelled, spellings);
    const f = flags[name];
    if (f.unsupported)
      throw usage(`${spelled} is not supported by strata ${command.name}: ${f.unsupported}`);
    if (f.type === 'boolean') {
      const next = inline ?? (/^(true|false)$/i.test(argv[i + 1] ?? '') ? argv[++i] : 'true');
      if (!/^(true|false)$/i.test(next))
        throw usage(`${spelled} is a switch: it takes no value, or true or false.`);
      values[name] = next.toLowerCase() === 'true';
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined)
      throw usage(`${spelled} needs a value${f.value ? `: ${spelled} ${f.value}` : ''}.`);
    if (f.multiple) values[name] = [...((values[name] as string[] | undefined) ?? []), value];
    else values[name] = value;
  }
  for (const [name, f] of Object.entries(flags))
    if (f.default !== undefined && values[name] === undefined) values[name] = f.default;
  if (positionals.length && command.positionals === undefined)
    throw usage(`strata ${command.name} takes no arguments; "${positionals[0]}" was given.`);
  return { values: values as FlagValues<F & typeof COMMON_FLAGS>, positionals };
}

/** A token that names a flag: -x, --xyz; not "-" (standard input) nor a negative number. */
function isFlagToken(token: string): boolean {
  return token.length > 1 && token.startsWith('-') && !/^-\d/.test(token);
}

/**
 * Every spelling of the command's flags, lower-cased, with the flag it names: --name, -short and
 * the aliases. The command's own flags come last, so their short forms win over common ones.
 */
export function flagSpellings(command: Command): Map<string, string> {
  const out = new Map<string, string>();
  const all: Array<[string, FlagSpec]> = [
    ...Object.entries(COMMON_FLAGS as Flags),
    ...Object.entries(command.flags),
  ];
  for (const [name, f] of all) {
    out.set(`--${name}`.toLowerCase(), name);
    if (f.short) out.set(`-${f.short}`.toLowerCase(), name);
    for (const a of f.aliases ?? []) out.set(a.toLowerCase(), name);
  }
  return out;
}

function unknownFlag(spelled: string, spellings: Map<string, string>): StrataError {
  const lower = spelled.toLowerCase();
  let best = '';
  let bestDistance = Infinity;
  for (const s of spellings.keys()) {
    const d = editDistance(lower, s);
    if (d < bestDistance) [best, bestDistance] = [s, d];
  }
  const name = spellings.get(best)!;
  const canonical = `--${name}`;
  return usage(
    `Unknown flag ${spelled}.`,
    `The closest flag is ${best === canonical.toLowerCase() ? canonical : `${best} (${canonical})`}; ` +
      'strata COMMAND --help lists them all.',
  );
}

/** Levenshtein distance: how many letters to add, remove or change to turn a into b. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++)
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length];
}
