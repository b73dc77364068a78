import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { packToZip, unpackBothToFolder, unpackToFolder } from '../../package/unpack.js';
import { usage, type ArgsOf, type Io } from '../command.js';
import { readOptions } from '../flags.js';
import type { PACK, UNPACK } from './index.js';

type PackageType = 'unmanaged' | 'managed' | 'both';
type PackagerValues = ArgsOf<typeof PACK>['values'] | ArgsOf<typeof UNPACK>['values'];

/** pac's --packagetype: Unmanaged, Managed or Both, in any case; undefined when not given. */
function packageType(values: PackagerValues): PackageType | undefined {
  const t = values.packagetype?.toLowerCase();
  if (t === undefined) return undefined;
  if (t !== 'unmanaged' && t !== 'managed' && t !== 'both')
    throw usage(`--packagetype is Unmanaged, Managed or Both, not "${values.packagetype}".`);
  if (values.variant !== undefined)
    throw usage('--packagetype and --variant say the same thing: give one of them.');
  return t;
}

/**
 * The zip and the folder, from the arguments or pac's --zipfile and --folder: the flags name
 * theirs, and the arguments fill the others in their order (unpack: PKG DIR; pack: DIR PKG).
 */
function zipAndFolder(
  values: PackagerValues,
  positionals: string[],
  order: ['zip', 'folder'] | ['folder', 'zip'],
  usageText: string,
): { zip: string; folder: string } {
  const given = { zip: values.zipfile, folder: values.folder };
  const rest = [...positionals];
  for (const what of order) given[what] ??= rest.shift();
  if (rest.length || given.zip === undefined || given.folder === undefined)
    throw usage(`${usageText.split(':')[0]} needs a package and a folder, once each.`, usageText);
  return { zip: given.zip, folder: given.folder };
}

/** pac's --errorlevel: Warning, Error and Off keep the summary line of a success off stdout. */
function report(values: PackagerValues, io: Io, line: string, json: object): void {
  const level = values.errorlevel?.toLowerCase();
  if (level !== undefined && !['verbose', 'info', 'warning', 'error', 'off'].includes(level))
    throw usage(
      `--errorlevel is Verbose, Info, Warning, Error or Off, not "${values.errorlevel}".`,
    );
  if (values.log !== undefined) appendFileSync(values.log, `${new Date().toISOString()} ${line}\n`);
  if (values.json) io.out(JSON.stringify(json, null, 2));
  else if (level === undefined || level === 'verbose' || level === 'info') io.out(line);
}

/** PKG.zip → PKG_managed.zip, as SolutionPackager names a "Both" pair. */
function managedTwinOf(zip: string): string {
  return zip.replace(/(\.zip)?$/i, '_managed.zip');
}

/**
 * strata unpack PKG DIR: a package into SolutionPackager's folder layout; with --packagetype
 * Both, PKG.zip and PKG_managed.zip beside it into one folder.
 */
export async function unpackCommand(
  { values, positionals }: ArgsOf<typeof UNPACK>,
  io: Io,
): Promise<number> {
  const { zip, folder } = zipAndFolder(
    values,
    positionals,
    ['zip', 'folder'],
    'unpack: strata unpack PKG DIR',
  );
  const type = packageType(values);
  const write = { force: !!values.force, allowDelete: !!values.allowDelete };
  const read = readOptions(values);
  if (type === 'both') {
    const managed = managedTwinOf(zip);
    if (!existsSync(managed))
      throw usage(
        `--packagetype Both unpacks ${zip} with its managed twin ${managed}, which is not there.`,
        'Export the solution both ways next to each other: NAME.zip and NAME_managed.zip.',
      );
    const r = unpackBothToFolder(zip, managed, folder, { ...read, ...write });
    const m = r.pkg.manifest;
    report(
      values,
      io,
      `Unpacked ${m.uniqueName} ${m.version.text} unmanaged and managed (${r.pkg.components.length} ` +
        `components) into ${folder}: ${r.files} files, ${r.twins} of them managed differences ` +
        '(*_managed.xml).',
      {
        package: zip,
        managedPackage: managed,
        folder,
        files: r.files,
        managedTwins: r.twins,
        solution: m.uniqueName,
        version: m.version.text,
        components: r.pkg.components.length,
      },
    );
    return 0;
  }
  const { files, pkg } = unpackToFolder(zip, folder, { ...read, ...write });
  if (type !== undefined && pkg.manifest.managed !== (type === 'managed'))
    io.err(
      `warning: ${zip} is ${pkg.manifest.managed ? 'managed' : 'unmanaged'}, ` +
        `not ${type}; it was unpacked as it is.`,
    );
  report(
    values,
    io,
    `Unpacked ${pkg.manifest.uniqueName} ${pkg.manifest.version.text} ` +
      `(${pkg.components.length} components) into ${folder}: ${files} files in ` +
      "SolutionPackager's layout.",
    {
      package: zip,
      folder,
      files,
      solution: pkg.manifest.uniqueName,
      version: pkg.manifest.version.text,
      components: pkg.components.length,
    },
  );
  return 0;
}

/**
 * strata pack DIR PKG: a SolutionPackager folder into a solution zip; with --packagetype Both, a
 * "Both" folder into PKG.zip and PKG_managed.zip.
 */
export async function packCommand(
  { values, positionals }: ArgsOf<typeof PACK>,
  io: Io,
): Promise<number> {
  const { zip, folder } = zipAndFolder(
    values,
    positionals,
    ['folder', 'zip'],
    'pack: strata pack DIR PKG.zip',
  );
  const type = packageType(values);
  const base = type === 'both' ? zip.replace(/_managed\.zip$/i, '.zip') : zip;
  const targets: Array<{ file: string; variant?: 'managed' | 'unmanaged' }> =
    type === 'both'
      ? [
          { file: base, variant: 'unmanaged' },
          { file: managedTwinOf(base.replace(/\.zip$/i, '')), variant: 'managed' },
        ]
      : [{ file: zip, variant: type }];
  for (const t of targets)
    if (existsSync(t.file) && !values.force)
      throw usage(
        `${t.file} exists; nothing was written.`,
        'Choose another file name, or add --force to replace it.',
      );
  const read = readOptions(values);
  const written = targets.map((t) => {
    // the folder is read (and checked) exactly as import reads it, then zipped
    const { zip: bytes, pkg } = packToZip(folder, { ...read, variant: t.variant ?? read.variant });
    if (type === 'both' && t.variant === 'managed' && !pkg.manifest.managed)
      throw usage(
        `${folder} is not a "Both" folder (its Solution.xml does not say <Managed>2</Managed>): ` +
          'it packs one way only.',
        'Unpack with --packagetype Both first, or pack with --packagetype Unmanaged.',
      );
    return { file: t.file, bytes, pkg };
  });
  for (const w of written) {
    mkdirSync(dirname(w.file), { recursive: true });
    writeFileSync(w.file, w.bytes);
  }
  const out = written.map((w) => ({
    folder,
    package: w.file,
    bytes: w.bytes.length,
    solution: w.pkg.manifest.uniqueName,
    version: w.pkg.manifest.version.text,
    managed: w.pkg.manifest.managed,
    components: w.pkg.components.length,
  }));
  report(
    values,
    io,
    out
      .map(
        (o) =>
          `Packed ${o.solution} ${o.version} ` +
          `(${o.managed ? 'managed' : 'unmanaged'}, ${o.components} components) ` +
          `into ${o.package} (${o.bytes} bytes).`,
      )
      .join('\n'),
    type === 'both' ? out : out[0],
  );
  return 0;
}
