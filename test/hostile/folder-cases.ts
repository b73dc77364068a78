import { execFileSync } from 'node:child_process';
import {
  closeSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { strToU8 } from 'fflate';
import { unpackToFolder } from '../../src/package/unpack.js';
import { zipEntries } from '../support/package-builder.js';
import { writeEntries } from '../support/temp.js';
import {
  ACCEPTED,
  MB,
  acceptedEntries,
  baseEntries,
  latin1,
  refused,
  webResourcePath,
  writeFolder,
  writeInput,
  type HostileCase,
} from './case.js';

type FolderCase = Omit<HostileCase, 'container' | 'build'> & {
  /** fills the package folder `root`; `dir` (its parent) is the place for things outside it */
  fill: (root: string, dir: string) => void;
};

/** A case whose input is a folder named after it. */
function folder(c: FolderCase): HostileCase {
  const { fill, ...rest } = c;
  return {
    ...rest,
    container: 'folder',
    build: (dir) => {
      const root = join(dir, c.name);
      mkdirSync(root);
      fill(root, dir);
      return root;
    },
  };
}

const WR = webResourcePath(baseEntries());

/** The base package unpacked into `root`, with `path` replaced by a link to `target`. */
function withLink(root: string, path: string, target: string): void {
  writeEntries(root, baseEntries());
  rmSync(join(root, path), { recursive: true, force: true });
  mkdirSync(dirname(join(root, path)), { recursive: true });
  symlinkSync(target, join(root, path));
}

/** A file outside the package folder, as a link would reach it: the secret of another user. */
function outsideFile(dir: string, name: string, content: string | Uint8Array): string {
  const path = join(dir, 'outside', name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return path;
}

/** The first file of that name below `root` (SolutionPackager folders name them by table). */
function find(root: string, name: string): string {
  for (const entry of readdirSync(root)) {
    const p = join(root, entry);
    if (statSync(p).isDirectory()) {
      const found = find(p, name);
      if (found) return found;
    } else if (entry === name) return p;
  }
  return '';
}

const unpacked = (root: string, entries = baseEntries()): void => {
  unpackToFolder(zipEntries(entries), root, { force: true });
};

// ---- controls --------------------------------------------------------------------------------

const controls: HostileCase[] = [
  folder({
    name: 'folder-control',
    class: 'control',
    what: 'the base package as an extracted folder: what every folder case below starts from',
    expect: ACCEPTED,
    fill: (root) => writeEntries(root, acceptedEntries('HostileFolderControl')),
  }),
  folder({
    name: 'solutionpackager-control',
    class: 'control',
    what: 'the base package unpacked in the SolutionPackager layout',
    expect: ACCEPTED,
    fill: (root) => unpacked(root, acceptedEntries('HostilePackagerControl')),
  }),
];

// ---- links and special files -----------------------------------------------------------------

const links: HostileCase[] = [
  folder({
    name: 'folder-web-resource-links-to-passwd',
    class: 'symlink',
    what: "the web resource's file is a symbolic link to /etc/passwd",
    expect: refused('PACKAGE_LINK_FORBIDDEN', WR),
    finding: 'symbolic links: a web resource linked to /etc/passwd',
    fill: (root) => withLink(root, WR, '/etc/passwd'),
  }),
  folder({
    name: 'folder-extra-file-links-outside',
    class: 'symlink',
    what: "an extra file linked to another user's secret outside the folder",
    expect: refused('PACKAGE_LINK_FORBIDDEN', 'Assets/extra.txt'),
    finding: 'symbolic links: an extra file linked to /etc/shadow',
    fill: (root, dir) =>
      withLink(
        root,
        'Assets/extra.txt',
        outsideFile(dir, 'shadow', 'root:$6$secret:19000::::::\n'),
      ),
  }),
  folder({
    name: 'folder-customizations-links-outside',
    class: 'symlink',
    what: 'customizations.xml is a link to a customizations.xml outside the folder',
    expect: refused('PACKAGE_LINK_FORBIDDEN', 'customizations.xml'),
    finding: 'symbolic links: customizations.xml linked outside the folder',
    fill: (root, dir) =>
      withLink(
        root,
        'customizations.xml',
        outsideFile(dir, 'customizations.xml', baseEntries()['customizations.xml']),
      ),
  }),
  folder({
    name: 'folder-links-to-directory',
    class: 'symlink',
    what: 'the WebResources folder is a link to a folder outside',
    expect: refused('PACKAGE_LINK_FORBIDDEN', 'WebResources'),
    finding: 'symbolic links: a link to a directory',
    fill: (root, dir) => {
      const target = outsideFile(dir, WR, baseEntries()[WR]);
      withLink(root, 'WebResources', dirname(target));
    },
  }),
  folder({
    name: 'folder-links-to-dev-zero',
    class: 'symlink',
    what: 'a file linked to /dev/zero, which never ends',
    expect: refused('PACKAGE_LINK_FORBIDDEN', 'WebResources/zero.bin'),
    isolate: true,
    finding: 'symbolic links: a link to /dev/zero',
    fill: (root) => withLink(root, 'WebResources/zero.bin', '/dev/zero'),
  }),
  folder({
    name: 'folder-fifo',
    class: 'symlink',
    what: 'a named pipe (FIFO) among the files: opening it waits for a writer forever',
    expect: refused('PACKAGE_SPECIAL_FILE', 'WebResources/pipe.js'),
    isolate: true,
    finding: 'symbolic links: a FIFO',
    fill: (root) => {
      writeEntries(root, baseEntries());
      execFileSync('mkfifo', [join(root, 'WebResources', 'pipe.js')]);
    },
  }),
  folder({
    name: 'folder-symlink-loop',
    class: 'symlink',
    what: 'two links pointing at each other',
    expect: refused('PACKAGE_LINK_FORBIDDEN', 'loop-a'),
    isolate: true,
    finding: 'symbolic links: a symlink loop',
    fill: (root) => {
      withLink(root, 'loop-a', 'loop-b');
      symlinkSync('loop-a', join(root, 'loop-b'));
    },
  }),
  folder({
    name: 'folder-dangling-symlink',
    class: 'symlink',
    what: 'a link to a file that does not exist',
    expect: refused('PACKAGE_LINK_FORBIDDEN', 'WebResources/gone.js'),
    finding: 'symbolic links: a dangling symlink',
    fill: (root, dir) => withLink(root, 'WebResources/gone.js', join(dir, 'outside', 'gone.js')),
  }),
];

// ---- other hostile folders -------------------------------------------------------------------

const others: HostileCase[] = [
  folder({
    name: 'folder-file-named-backslash-parent',
    class: 'path-traversal',
    what: 'a file whose name is "..\\evil.txt" (legal on Linux; a climb out on Windows)',
    expect: refused('PACKAGE_BAD_ENTRY_NAME', '..\\evil.txt'),
    fill: (root) => {
      writeEntries(root, baseEntries());
      writeFileSync(join(root, '..\\evil.txt'), 'x');
    },
  }),
  folder({
    name: 'folder-holding-zip',
    class: 'nested',
    what: 'a folder holding the solution zip instead of its files',
    expect: refused('PACKAGE_NESTED_ZIP', 'Hostile_1_0_0_0.zip'),
    fill: (root) => {
      writeInput(root, 'Hostile_1_0_0_0.zip', zipEntries(baseEntries()));
    },
  }),
  folder({
    name: 'folder-300mb-sparse-file',
    class: 'zip-bomb',
    what: 'a 300 MB sparse file (no disk space, all zeros) among the files',
    expect: refused('PACKAGE_TOO_LARGE'),
    isolate: true,
    fill: (root) => {
      writeEntries(root, baseEntries());
      const fd = openSync(join(root, 'WebResources', 'huge.bin'), 'w');
      ftruncateSync(fd, 300 * MB);
      closeSync(fd);
    },
  }),
  folder({
    name: 'solutionpackager-entity-doctype',
    class: 'xml-entities',
    what: "a SolutionPackager folder whose table's Entity.xml declares an external entity",
    expect: refused('XML_DTD_FORBIDDEN', 'Entity.xml'),
    fill: (root) => {
      unpacked(root);
      const path = find(root, 'Entity.xml');
      const xml = readFileSync(path, 'utf8').replace(/^\uFEFF?<\?xml[^>]*\?>/, '');
      writeFileSync(path, `<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${xml}`);
    },
  }),
  folder({
    name: 'folder-solution-not-utf8',
    class: 'encoding',
    what: 'an extracted folder whose solution.xml is in Latin-1',
    expect: refused('XML_ENCODING', 'solution.xml'),
    fill: (root) => {
      const entries = baseEntries();
      const s = Buffer.from(entries['solution.xml'])
        .toString('utf8')
        .replace('Hostile<', 'Höstile<');
      writeEntries(root, {
        ...entries,
        'solution.xml': latin1(s),
      });
    },
  }),
  folder({
    name: 'solutionpackager-entity-not-utf8',
    class: 'encoding',
    what: "a SolutionPackager folder whose table's Entity.xml is in Latin-1",
    expect: refused('XML_ENCODING', 'Entity.xml'),
    fill: (root) => {
      unpacked(root);
      const path = find(root, 'Entity.xml');
      writeFileSync(path, latin1(readFileSync(path, 'utf8').replace('Box', 'Kiste für Bücher')));
    },
  }),
  folder({
    name: 'folder-solution-and-Solution',
    class: 'ambiguous',
    what: 'an extracted folder with solution.xml (1.0.0.0) and Solution.xml (9.0.0.0)',
    expect: refused('PACKAGE_DUPLICATE_ENTRY', 'solution.xml', 'Solution.xml'),
    finding: 'ambiguous: solution.xml next to Solution.xml',
    fill: (root) => {
      writeEntries(root, baseEntries());
      writeFileSync(
        join(root, 'Solution.xml'),
        baseEntries({ version: '9.0.0.0' })['solution.xml'],
      );
    },
  }),
  folder({
    name: 'folder-200-levels-deep',
    class: 'deep-nesting',
    what: 'an extracted folder with a file 200 folders deep',
    expect: ACCEPTED,
    fill: (root) =>
      writeEntries(root, {
        ...acceptedEntries('HostileDeepFolder'),
        [`Assets/${'d/'.repeat(200)}leaf.txt`]: strToU8('leaf'),
      }),
  }),
  folder({
    name: 'folder-empty',
    class: 'layout',
    what: 'an empty folder',
    expect: refused('PACKAGE_LAYOUT_INVALID', 'solution.xml'),
    fill: () => undefined,
  }),
  folder({
    name: 'folder-one-level-down',
    class: 'layout',
    what: 'a folder holding the extracted package one folder down',
    expect: refused('PACKAGE_LAYOUT_INVALID', 'customizations.xml'),
    fill: (root) => writeFolder(root, 'Hostile', baseEntries()),
  }),
  folder({
    name: 'solutionpackager-without-customizations',
    class: 'layout',
    what: 'a SolutionPackager folder without Other/Customizations.xml',
    expect: refused('PACKAGE_LAYOUT_INVALID', 'Other/Customizations.xml'),
    fill: (root) => {
      unpacked(root);
      renameSync(join(root, 'Other', 'Customizations.xml'), join(root, 'Customizations.txt'));
    },
  }),
];

/** A path where nothing is: the package named on the command line does not exist. */
const missing: HostileCase = {
  name: 'folder-that-does-not-exist',
  class: 'layout',
  container: 'folder',
  what: 'a path where there is no file or folder',
  expect: refused('PACKAGE_NOT_FOUND', 'folder-that-does-not-exist'),
  build: (dir) => join(dir, 'folder-that-does-not-exist'),
};

export const FOLDER_CASES: HostileCase[] = [...controls, ...links, ...others, missing];
