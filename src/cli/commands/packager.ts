import { existsSync, writeFileSync } from 'node:fs';
import { packToZip, unpackToFolder } from '../../package/unpack.js';
import { usage, type ArgsOf, type Io } from '../command.js';
import { readOptions } from '../flags.js';
import type { PACK, UNPACK } from './index.js';

/** strata unpack PKG DIR [--force]: a package into SolutionPackager's folder layout. */
export async function unpackCommand(
  { values, positionals }: ArgsOf<typeof UNPACK>,
  io: Io,
): Promise<number> {
  if (positionals.length !== 2)
    throw usage('unpack takes a package and a folder: strata unpack PKG DIR');
  const [source, dir] = positionals;
  const { files, pkg } = unpackToFolder(source, dir, {
    ...readOptions(values),
    force: !!values.force,
  });
  const out = {
    package: source,
    folder: dir,
    files,
    solution: pkg.manifest.uniqueName,
    version: pkg.manifest.version.text,
    components: pkg.components.length,
  };
  if (values.json) io.out(JSON.stringify(out, null, 2));
  else
    io.out(
      `Unpacked ${out.solution} ${out.version} (${out.components} components) into ${dir}: ` +
        `${files} files in SolutionPackager's layout.`,
    );
  return 0;
}

/** strata pack DIR PKG [--force]: a SolutionPackager folder into a solution zip. */
export async function packCommand(
  { values, positionals }: ArgsOf<typeof PACK>,
  io: Io,
): Promise<number> {
  if (positionals.length !== 2)
    throw usage('pack takes a folder and the .zip to write: strata pack DIR PKG.zip');
  const [dir, target] = positionals;
  if (existsSync(target) && !values.force)
    throw usage(
      `${target} exists; nothing was written.`,
      'Choose another file name, or add --force to replace it.',
    );
  // the folder is read (and checked) exactly as import reads it, then zipped
  const { zip, pkg } = packToZip(dir, readOptions(values));
  writeFileSync(target, zip);
  const out = {
    folder: dir,
    package: target,
    bytes: zip.length,
    solution: pkg.manifest.uniqueName,
    version: pkg.manifest.version.text,
    managed: pkg.manifest.managed,
    components: pkg.components.length,
  };
  if (values.json) io.out(JSON.stringify(out, null, 2));
  else
    io.out(
      `Packed ${out.solution} ${out.version} ` +
        `(${out.managed ? 'managed' : 'unmanaged'}, ${out.components} components) ` +
        `into ${target} (${out.bytes} bytes).`,
    );
  return 0;
}
