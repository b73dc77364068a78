/**
 * The README's walkthrough, run as a new user runs it: the set-up command of "Two commands that
 * work on a fresh machine" (without `npm ci`), then every command of the Walkthrough's ```sh
 * blocks, in order, in a new folder with an embedded store of its own. Each must exit as the
 * README says (0, or the code a `# exits N` comment gives), and the first line the README shows
 * for it must be printed (dates, durations, sizes and ids aside). Tables and the rest of the
 * outputs are not compared: they are the CLI's to change, and the README's to follow.
 *
 * `npx strata` runs the CLI in this process (as test/cli.test.ts does): a process per command
 * would take minutes. Other commands (printf, cat) run in bash. With STRATA_WALKTHROUGH_OUT=FILE
 * set, what every command printed is written to FILE, to bring the README's outputs up to date.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { run } from '../src/cli/main.js';

const README = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');

interface Step {
  /** the command as the README writes it, continuation lines joined */
  command: string;
  exit: number;
  /** the output the README shows under it */
  shown: string[];
}

/** The text of a `## ` section of the README, up to the next one. */
function section(title: string): string {
  const start = README.indexOf(`\n## ${title}\n`);
  assert.ok(start >= 0, `README has no section "${title}"`);
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

/** The bodies of the ```sh blocks of a text. */
function shBlocks(text: string): string[] {
  return [...text.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
}

/** `$ command` lines (with `\` continuations) and the output lines below each. */
function stepsOf(block: string): Step[] {
  const steps: Step[] = [];
  const lines = block.replace(/\n$/, '').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line.startsWith('$ ')) {
      if (line.trim()) steps.at(-1)?.shown.push(line);
      continue;
    }
    let command = line.slice(2);
    while (command.endsWith('\\')) command = `${command}\n${lines[++i]}`;
    const exit = /#\s*exits (\d+)/.exec(command);
    steps.push({ command, exit: exit ? Number(exit[1]) : 0, shown: [] });
  }
  return steps;
}

/**
 * A line the README shows, as a pattern: what varies from run to run (dates, durations, rates,
 * sizes, job ids) matches anything of its kind.
 */
function shownLine(line: string): RegExp {
  const wild: [RegExp, string][] = [
    [/\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d/g, '\\d{4}-\\d\\d-\\d\\d[ T]\\d\\d:\\d\\d:\\d\\d'],
    [/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}/g, '[0-9a-f-]{36}'],
    [/\b[0-9a-f]{8}\b/g, '[0-9a-f]{8}'],
    [/\d+(\.\d+)? s\b/g, '[\\d.]+ s'],
    [/\d[\d,]* rows\/s/g, '[\\d,]+ rows/s'],
    [/\d+ bytes/g, '\\d+ bytes'],
  ];
  const marks: string[] = [];
  let text = line.trim();
  for (const [find, pattern] of wild)
    text = text.replace(find, () => `\u0000${marks.push(pattern) - 1}\u0000`);
  const escaped = text
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/\u0000(\d+)\u0000/g, (_, n: string) => marks[Number(n)]);
  return new RegExp(escaped);
}

/** A table's header: the line under it is made of dashes. */
const isTableHeader = (shown: string[]): boolean => /^-+( +-+)+$/.test(shown[1] ?? '');

/** The arguments bash gives a command line (quotes, comments), without running it. */
function argvOf(commandLine: string): string[] {
  const out = execFileSync('bash', ['-c', `set -- ${commandLine}\nprintf '%s\\0' "$@"`]);
  return out.toString().split('\0').slice(0, -1);
}

const dir = mkdtempSync(join(tmpdir(), 'strata-readme-'));
const saved = {
  cwd: process.cwd(),
  home: process.env.STRATA_HOME,
  url: process.env.DATABASE_URL,
  env: process.env.STRATA_ENV,
};
before(() => {
  process.chdir(dir);
  process.env.STRATA_HOME = join(dir, 'home');
  delete process.env.DATABASE_URL;
  delete process.env.STRATA_ENV;
});
after(() => {
  process.chdir(saved.cwd);
  for (const [key, value] of [
    ['STRATA_HOME', saved.home],
    ['DATABASE_URL', saved.url],
    ['STRATA_ENV', saved.env],
  ] as const)
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  rmSync(dir, { recursive: true, force: true });
});

/** The job id the last import printed: what `strata log` is given, as the README says. */
let lastJob = '';

async function execute(command: string): Promise<{ code: number; out: string }> {
  if (!command.startsWith('npx strata ')) {
    const r = spawnSync('bash', ['-c', command], { cwd: dir, encoding: 'utf8' });
    return { code: r.status ?? 1, out: r.stdout + r.stderr };
  }
  let argv = argvOf(command.slice('npx strata '.length));
  if (argv[0] === 'log') argv = ['log', lastJob, ...argv.slice(2)];
  let out = '';
  const code = await run(argv, {
    out: (s) => (out += s + '\n'),
    err: (s) => (out += s + '\n'),
    isTTY: false,
  });
  lastJob = /Import job ([0-9a-f-]{36})/.exec(out)?.[1] ?? lastJob;
  return { code, out };
}

test('the set-up command and every command of the README walkthrough run as the README says', async () => {
  const setup = shBlocks(section('Two commands that work on a fresh machine'))[0];
  assert.ok(setup, 'the set-up command is in a ```sh block');
  const parts = setup
    .trim()
    .split('&&')
    .map((p) => p.trim());
  assert.equal(parts[0], 'npm ci', setup);
  for (const part of parts.slice(1)) {
    const r = await execute(part);
    assert.equal(r.code, 0, `${part}\n${r.out}`);
  }

  const transcript = process.env.STRATA_WALKTHROUGH_OUT;
  if (transcript) writeFileSync(transcript, '');
  const steps = shBlocks(section('Walkthrough')).flatMap(stepsOf);
  assert.ok(steps.length >= 25, `only ${steps.length} commands found in the walkthrough`);
  for (const step of steps) {
    const r = await execute(step.command);
    if (transcript) appendFileSync(transcript, `$ ${step.command}\n${r.out}[exit ${r.code}]\n\n`);
    assert.equal(r.code, step.exit, `$ ${step.command}\n${r.out}`);
    if (step.shown.length && !isTableHeader(step.shown))
      assert.match(r.out, shownLine(step.shown[0]), `$ ${step.command}`);
  }
});
