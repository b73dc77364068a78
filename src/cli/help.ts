/** Usage lines and help, rendered from the command declarations (commands/index.ts). */
import {
  COMMON_FLAGS,
  isGroup,
  type Command,
  type CommandGroup,
  type FlagSpec,
  type Flags,
  type Invocation,
} from './command.js';
import { COMMANDS, findCommand } from './commands/index.js';

/** Help wraps its lines at this width. */
const WIDTH = 100;

const OVERVIEW_HEAD = [
  'strata — solution lifecycle engine (Dynamics 365 / Dataverse style)',
  '',
  'Usage: strata COMMAND [options]',
  '',
];

const OVERVIEW_FOOT = [
  '',
  'Store: embedded PGlite under $STRATA_HOME (default ./.strata), ' +
    'or PostgreSQL when DATABASE_URL is set.',
  'Exit codes: 0 ok, 2 usage, 3 invalid package, 4 refused (e.g. missing dependencies), ' +
    '5 not found, 6 environment changed, 1 internal error.',
  'strata help COMMAND shows one command. docs/cli.md has the full reference.',
];

const COMMAND_FOOT = 'See docs/cli.md for details and exit codes.';

/**
 * `strata help [COMMAND [SUB-COMMAND]]` and `strata COMMAND ... --help`: one command's help when
 * words name one, else the list of commands.
 */
export function helpText(words: string[] = []): string {
  const command = words[0] === undefined ? undefined : findCommand(words[0]);
  if (!command) return overview();
  if (!isGroup(command)) return commandHelp(command, [command.name]);
  const sub = command.commands.find((c) => c.name === words[1]);
  return sub ? commandHelp(sub, [command.name, sub.name]) : groupHelp(command);
}

/** The usage line below a usage error: the sub-command's once it is known, else the group's. */
export function usageOf(command: Command | CommandGroup, invocation?: Invocation): string {
  if (invocation) return usageLine(invocation.command, invocation.words);
  return isGroup(command) ? groupUsageLine(command) : usageLine(command, [command.name]);
}

/** The usage line of a command (words: what names it, e.g. ['env', 'create']), wrapped. */
function usageLine(command: Command, words: string[]): string {
  return wrap(usageParts(command, words), '    ');
}

/** The usage line of a group: its sub-commands' usages, side by side. */
function groupUsageLine(group: CommandGroup): string {
  const parts = group.commands.flatMap((c, i) => [
    ...(i ? ['|'] : []),
    ...usageParts(c, [group.name, c.name]).slice(1),
  ]);
  return wrap(['strata', ...parts], '    ');
}

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    ...OVERVIEW_HEAD,
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    ...OVERVIEW_FOOT,
  ].join('\n');
}

function commandHelp(command: Command, words: string[]): string {
  const flags = Object.entries(command.flags);
  return [
    usageLine(command, words),
    '',
    wrap(command.summary.split(' '), '  ', '  '),
    ...(flags.length ? ['', 'Flags:', ...flagTable(command.flags, '  ')] : []),
    '',
    commonFlagsLine(),
    COMMAND_FOOT,
  ].join('\n');
}

function groupHelp(group: CommandGroup): string {
  return [
    groupUsageLine(group),
    '',
    wrap(group.summary.split(' '), '  ', '  '),
    '',
    'Commands:',
    ...group.commands.flatMap((c) => [
      wrap(usageParts(c, [group.name, c.name]), '      ', '  '),
      wrap(c.summary.split(' '), '      ', '      '),
      ...flagTable(c.flags, '      '),
    ]),
    '',
    commonFlagsLine(),
    COMMAND_FOOT,
  ].join('\n');
}

/** strata, the words, the positionals, then each flag; flags of one choice as [--a | --b]. */
function usageParts(command: Command, words: string[]): string[] {
  const flags = Object.entries(command.flags).filter(([, f]) => !f.unsupported);
  const flagParts = flags.flatMap(([name, f], i) => {
    if (!f.choice) return [`[${flagUsage(name, f)}]`];
    if (flags.findIndex(([, g]) => g.choice === f.choice) !== i) return [];
    const alternatives = flags.filter(([, g]) => g.choice === f.choice);
    return [`[${alternatives.map(([n, g]) => flagUsage(n, g)).join(' | ')}]`];
  });
  return ['strata', ...words, ...(command.positionals ? [command.positionals] : []), ...flagParts];
}

function flagUsage(name: string, f: FlagSpec): string {
  return `--${name}${f.value ? ` ${f.value}` : ''}${f.multiple ? ' ...' : ''}`;
}

/**
 * `-o, --out FILE`, `-ap, --activate-plugins`; with shortWidth, the short forms (up to that many
 * characters) are right-aligned, so that the long names line up.
 */
function flagLabel(name: string, f: FlagSpec, shortWidth = 0): string {
  const short = f.short ? `-${f.short}, ` : '';
  const pad = shortWidth ? ' '.repeat(Math.max(0, shortWidth + 2 - short.length)) : '';
  return `${pad}${short}--${name}${f.value ? ` ${f.value}` : ''}`;
}

/** What help says of a flag: its description, then what its declaration implies. */
function flagDescription(f: FlagSpec): string {
  return (
    f.description +
    (f.multiple ? ' (repeatable)' : '') +
    (f.default !== undefined ? ` (default: ${f.default})` : '') +
    (f.aliases?.length ? ` (also ${f.aliases.join(', ')})` : '') +
    (f.unsupported ? ' — not supported: strata refuses it, saying why' : '')
  );
}

/** One aligned row per flag: label, then the description, wrapped below itself. */
function flagTable(flags: Flags, indent: string): string[] {
  const entries = Object.entries(flags);
  if (!entries.length) return [];
  const shortWidth = Math.max(0, ...entries.map(([, f]) => (f.short ? f.short.length + 1 : 0)));
  const rows = entries.map(([name, f]) => [flagLabel(name, f, shortWidth), flagDescription(f)]);
  const width = Math.max(...rows.map(([label]) => label.length));
  const hanging = indent + ' '.repeat(width + 2);
  return rows.map(([label, text]) =>
    wrap([indent + label.padEnd(width + 1), ...text.split(' ')], hanging),
  );
}

function commonFlagsLine(): string {
  const flags = Object.entries(COMMON_FLAGS).map(
    ([name, f]) => `${flagLabel(name, f)}: ${flagDescription(f)}`,
  );
  return wrap(`Common flags: ${flags.join('; ')}.`.split(' '), '  ');
}

/** Joins parts with spaces into lines of at most WIDTH; a part is never split. */
function wrap(parts: string[], hanging: string, first = ''): string {
  const lines: string[] = [];
  let line = first;
  for (const part of parts) {
    const blank = line.trim() === '';
    if (!blank && line.length + 1 + part.length > WIDTH) {
      lines.push(line);
      line = hanging + part;
    } else line = blank ? line + part : `${line} ${part}`;
  }
  lines.push(line);
  return lines.join('\n');
}
