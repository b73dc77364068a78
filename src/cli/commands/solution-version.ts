import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Version } from '../../model/version.js';
import { usage, type ArgsOf, type Io } from '../command.js';
import type { VERSION } from './index.js';

/** Other/Solution.xml of a SolutionPackager folder, the folder's Solution.xml, or the file named. */
function solutionXmlPath(path: string): string {
  if (!existsSync(path)) throw usage(`${path} does not exist.`);
  if (!statSync(path).isDirectory()) return path;
  for (const p of [join(path, 'Other', 'Solution.xml'), join(path, 'Solution.xml')])
    if (existsSync(p)) return p;
  throw usage(
    `${path} has no Other/Solution.xml: it is not an unpacked solution.`,
    'Name the folder strata unpack wrote, or its Solution.xml.',
  );
}

function whole(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim())) throw usage(`${flag} takes a whole number of 0 or more.`);
  return Number(value);
}

/**
 * strata version [DIR] [-bv N] [-rv N] [-s None|Solution]: pac solution version, on an unpacked
 * solution's Solution.xml. Without a folder or flags: strata's own version (main.ts).
 */
export async function versionCommand(
  { values, positionals }: ArgsOf<typeof VERSION>,
  io: Io,
): Promise<number> {
  const paths = [...positionals, ...(values.solutionPath ? [values.solutionPath] : [])];
  if (paths.length !== 1) throw usage('version takes one solution folder (DIR or --solutionPath).');
  const strategy = (values.strategy ?? 'None').toLowerCase();
  if (strategy === 'gittags' || strategy === 'filetracking')
    throw usage(
      `--strategy ${values.strategy} is not supported: strata does not read git tags or ` +
        'tracking files.',
      'Use --strategy Solution (the build number + 1), or --buildversion/--revisionversion.',
    );
  if (strategy !== 'none' && strategy !== 'solution')
    throw usage(`--strategy is None, GitTags, FileTracking or Solution, not "${values.strategy}".`);
  if (values.filename !== undefined)
    throw usage(
      '--filename names the tracking file of --strategy FileTracking, which strata lacks.',
    );
  const build = whole('--buildversion', values.buildversion);
  const revision = whole('--revisionversion', values.revisionversion);
  if (values.patchversion !== undefined && !values.json)
    io.err('note: --patchversion is ignored (pac deprecated it and ignores it too).');
  const file = solutionXmlPath(paths[0]);
  const xml = readFileSync(file, 'utf8');
  const m = /(<SolutionManifest>[\s\S]*?<Version>)([^<]*)(<\/Version>)/.exec(xml);
  if (!m) throw usage(`${file} has no <SolutionManifest><Version>.`);
  const old = Version.parse(m[2].trim(), file);
  const next = [
    old.major,
    old.minor,
    build ?? (strategy === 'solution' ? old.build + 1 : old.build),
    revision ?? old.revision,
  ].join('.');
  const updated = xml.slice(0, m.index) + m[1] + next + m[3] + xml.slice(m.index + m[0].length);
  if (next !== old.text) writeFileSync(file, updated);
  if (values.json) io.out(JSON.stringify({ file, from: old.text, to: next }, null, 2));
  else
    io.out(
      next === old.text
        ? `${file}: the version stays ${old.text} (nothing asked to change it).`
        : `${file}: version ${old.text} → ${next}.`,
    );
  return 0;
}
