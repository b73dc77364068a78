import { packageLayout, readContentTypes, type PackageLayout } from './layout.js';
import { statSync, existsSync } from 'node:fs';
import { inflateSync } from 'fflate';
import { basename } from 'node:path';
import { entry } from '../model/component.js';
import { PackageError } from '../model/errors.js';
import type { SolutionManifest } from '../model/solution.js';
import { isCabinet, readCabinet } from './cab.js';
import { parseCustomizations, type ParsedComponent } from './customizations/parse.js';
import { sha256 } from './customizations/fragment.js';
import { readFolderEntries, readPackageFile } from './folder.js';
import { checkEntryName, limitsFromEnv, type PackageLimits } from './limits.js';
import { parseManifest } from './manifest.js';
import { assembleSolutionPackagerFolder } from './solution-packager.js';
import { decodeText, own } from './xml.js';
import { isZip, readZip } from './zip.js';

export type PackageKind = 'zip' | 'cab' | 'folder' | 'solutionpackager';

/** A solution package read into the domain model. Nothing here has touched an environment. */
export interface SolutionPackage {
  source: { kind: PackageKind; label: string; inner?: string };
  /** sha-256 over solution.xml, customizations.xml and every file (sorted by name) */
  hash: string;
  manifest: SolutionManifest;
  components: ParsedComponent[];
  /**
   * Every entry of the package by its name, but for customizations.xml when the zip holds it
   * deflated: that one is kept as `customizationsXml` and, compressed, as
   * `customizationsDeflated` (a 113 MB document is then not held twice). packageEntry() gives
   * any entry's bytes.
   */
  files: Map<string, Uint8Array>;
  /** customizations.xml's name as the package spells it */
  customizationsName: string;
  /** raw XML of the two documents, kept for faithful export */
  solutionXml: string;
  customizationsXml: string;
  /** what the documents hold besides components (section order, content types) */
  layout: PackageLayout;
  warnings: string[];
  totalBytes: number;
  /**
   * customizations.xml as the zip holds it (a raw deflate stream), when it was deflated there.
   * Components marked `inDocument` are exact slices of it, so their managed layers can point
   * into this copy instead of being compressed again (store/layer-content.ts).
   */
  customizationsDeflated?: Uint8Array;
}

export interface ReadOptions {
  limits?: PackageLimits;
  /** SolutionPackager "both" folders: which variant to read (default unmanaged) */
  variant?: 'unmanaged' | 'managed';
  /** label used in messages when reading bytes */
  label?: string;
}

const REQUIRED = ['solution.xml', 'customizations.xml', '[Content_Types].xml'];

/** Reads a .zip / .cab file, an extracted package folder or a SolutionPackager folder. */
export function readPackage(input: string | Uint8Array, opts: ReadOptions = {}): SolutionPackage {
  const limits = opts.limits ?? limitsFromEnv();
  if (typeof input === 'string') {
    if (!existsSync(input))
      throw new PackageError('PACKAGE_NOT_FOUND', `No file or folder at ${input}.`, {
        hint: 'Check the path.',
      });
    // the path itself may be a link: the user named it; inside a folder none is followed
    if (statSync(input).isDirectory())
      return readFolder(input, limits, opts.variant ?? 'unmanaged');
    const label = opts.label ?? basename(input);
    return readBytes(readPackageFile(input, limits, label), limits, label);
  }
  return readBytes(input, limits, opts.label ?? 'package');
}

function readBytes(bytes: Uint8Array, limits: PackageLimits, label: string): SolutionPackage {
  if (isCabinet(bytes)) {
    const files = readCabinet(bytes, limits, label);
    const map = new Map(files.map((f) => [checkEntryName(f.name, label), f.data]));
    if (!hasRootFiles(map)) {
      // first-party cabinets wrap the ordinary solution zip: unwrap exactly one
      const zips = [...map.keys()].filter((k) => /\.zip$/i.exec(k) !== null);
      if (zips.length === 1 && isZip(map.get(zips[0])!)) {
        const innerLabel = `${label}:${zips[0]}`;
        const inner = readZip(map.get(zips[0])!, limits, innerLabel);
        return build(
          checkLayout(inner.files, innerLabel),
          { kind: 'cab', label, inner: zips[0] },
          inner.deflated,
        );
      }
    }
    return build(checkLayout(map, label), { kind: 'cab', label });
  }
  if (!isZip(bytes)) {
    throw new PackageError(
      'PACKAGE_NOT_A_SOLUTION',
      `${label} is neither a zip nor a cabinet file.`,
      {
        hint:
          'Import the .zip (or .cab) that a solution ' +
          'export produced, or a folder unpacked from one.',
      },
    );
  }
  const zip = readZip(bytes, limits, label);
  return build(checkLayout(zip.files, label), { kind: 'zip', label }, zip.deflated);
}

const DEFINED_KEYS = new WeakMap<SolutionPackage, Map<string, Set<string>>>();

/**
 * The keys of the components a package defines, by type (a table present only as a container for
 * its forms and views is not a definition). Computed once per package: planning asks it whether
 * a reference is satisfied inside the package, the write which references lead outside it.
 */
export function definedKeys(pkg: SolutionPackage): Map<string, Set<string>> {
  let keys = DEFINED_KEYS.get(pkg);
  if (!keys) {
    keys = new Map();
    for (const c of pkg.components)
      if (!c.shell) entry(keys, c.type, () => new Set<string>()).add(c.key);
    DEFINED_KEYS.set(pkg, keys);
  }
  return keys;
}

function hasRootFiles(map: Map<string, Uint8Array>): boolean {
  const lower = new Set([...map.keys()].map((k) => k.toLowerCase()));
  return REQUIRED.every((r) => lower.has(r.toLowerCase()));
}

/** The three root parts must exist; a zip in a zip gets its own message naming the inner file. */
function checkLayout(map: Map<string, Uint8Array>, label: string): Map<string, Uint8Array> {
  if (hasRootFiles(map)) return map;
  const lower = new Set([...map.keys()].map((k) => k.toLowerCase()));
  const missing = REQUIRED.filter((r) => !lower.has(r.toLowerCase()));
  const zips = [...map.keys()].filter((k) => /\.(zip|cab)$/i.exec(k) !== null);
  if (zips.length > 0) {
    throw new PackageError(
      'PACKAGE_NESTED_ZIP',
      `${label} is not a solution: it holds another package, ` +
        `${zips[0]}${zips.length > 1 ? ` (and ${zips.length - 1} more)` : ''}, instead ` +
        'of solution.xml, customizations.xml and [Content_Types].xml at its root.',
      {
        hint: `Extract ${zips[0]} from ${label} and import that file.`,
        details: { inner: zips },
      },
    );
  }
  const nested = [...map.keys()].find((k) => /^[^/]+\/solution\.xml$/i.exec(k) !== null);
  throw new PackageError(
    'PACKAGE_LAYOUT_INVALID',
    'The solution file is invalid. The compressed file must contain ' +
      'the following files at its root: solution.xml, customizations.xml, ' +
      `and [Content_Types].xml. ${label} lacks ${missing.join(', ')}.`,
    {
      hint: nested
        ? `The files are inside the folder "${nested.split('/')[0]}/": ` +
          'zip the contents of that folder, not the folder itself.'
        : 'Import a package produced by a solution export (or `strata pack`).',
      details: { missing },
    },
  );
}

function readFolder(
  dir: string,
  limits: PackageLimits,
  variant: 'unmanaged' | 'managed',
): SolutionPackage {
  const entries = readFolderEntries(dir, limits);
  const label = basename(dir);
  if ([...entries.keys()].some((k) => k.toLowerCase() === 'other/solution.xml')) {
    return build(assembleSolutionPackagerFolder(entries, variant, dir), {
      kind: 'solutionpackager',
      label: dir,
    });
  }
  return build(checkLayout(entries, label), { kind: 'folder', label: dir });
}

/** `deflated`: an entry's compressed bytes as its zip holds them, where there is a zip */
function build(
  map: Map<string, Uint8Array>,
  source: SolutionPackage['source'],
  deflated?: (name: string) => Uint8Array | undefined,
): SolutionPackage {
  // the entries' names as the package spells them, and their text: no local holds their bytes
  const nameOf = (name: string): string =>
    [...map.keys()].find((x) => x.toLowerCase() === name.toLowerCase())!;
  const solName = nameOf('solution.xml');
  const custName = nameOf('customizations.xml');
  const solutionXml = decodeText(map.get(solName)!, solName);
  const customizationsXml = decodeText(map.get(custName)!, custName);
  // what needs every entry's bytes is done before the parse: where the zip holds
  // customizations.xml deflated, its inflated bytes (as large as its text) then go
  const names = [...map.keys()].sort();
  const hash = sha256(names.flatMap((n) => [n, '\u0000', map.get(n)!, '\u0000']));
  let totalBytes = 0;
  for (const v of map.values()) totalBytes += v.length;
  const customizationsDeflated = deflated?.(custName);
  if (customizationsDeflated) map.delete(custName);
  const manifest = parseManifest(solutionXml, solName);
  const { components, warnings, layout } = parseCustomizations(customizationsXml, map, custName);
  const typesName = [...map.keys()].find((x) => x.toLowerCase() === '[content_types].xml');
  // a SolutionPackager folder has none of its own (the reader writes one): nothing to keep
  const contentTypes =
    typesName && source.kind !== 'solutionpackager'
      ? contentTypesOf(map.get(typesName)!, typesName)
      : null;
  const pkg: SolutionPackage = {
    source,
    hash,
    manifest,
    components,
    files: map,
    customizationsName: custName,
    solutionXml,
    customizationsXml,
    layout: packageLayout(components, layout, contentTypes),
    warnings,
    totalBytes,
  };
  if (customizationsDeflated) pkg.customizationsDeflated = customizationsDeflated;
  return pkg;
}

/**
 * Lets go of customizations.xml's text, where the package keeps the document compressed: the
 * components that are slices of it, and `customizationsXml`, read it again from the compressed
 * copy if they are ever asked (once, then kept as before). Writing does not ask: managed layers
 * point into the compressed copy by offsets. At 105,001 components the text is 108 MB that
 * planning and the write would otherwise carry to their end (decisions 61 and 62).
 *
 * `keep` picks the components whose definitions are still to be read (planning's comparisons
 * with Active layers, column changes, deployment settings): each keeps a copy of its own, so
 * reading one does not bring the whole document back. Called again, it lets go of the copies
 * kept before that `keep` does not pick again: a managed import's write reads none of them.
 * Returns the characters of the document let go (0 when it was let go of before, or cannot be).
 */
export function releaseText(pkg: SolutionPackage, keep?: (c: ParsedComponent) => boolean): number {
  const deflated = pkg.customizationsDeflated;
  // nothing to let go of: no compressed copy to read the text again from
  if (!deflated) return 0;
  let slice = SLICES.get(pkg);
  // the first release lets go of the text; a later one only of copies kept before
  const released = slice ? 0 : pkg.customizationsXml.length;
  if (!slice) SLICES.set(pkg, (slice = slicesOf(pkg, deflated)));
  const components = pkg.components;
  for (let i = 0; i < components.length; i++) {
    const c = components[i];
    if (!c.inDocument || Object.getPrototypeOf(c) === slice.prototype) continue;
    if (keep?.(c)) {
      // a copy: a slice of 13 characters or more would hold the whole text (package/xml.ts own)
      if (released) c.xml = own(c.xml);
      continue;
    }
    components[i] = new slice(c);
  }
  return released;
}

/** A package's text let go of: what makes its components, each reading its XML from the document. */
const SLICES = new WeakMap<SolutionPackage, new (c: ParsedComponent) => ParsedComponent>();

/**
 * Lets go of customizations.xml's text (releaseText): read again from the compressed copy when
 * asked, once, then kept. Returns what makes a component whose XML is a slice of that document.
 */
function slicesOf(
  pkg: SolutionPackage,
  deflated: Uint8Array,
): new (c: ParsedComponent) => ParsedComponent {
  let text: string | undefined;
  const document = (): string =>
    (text ??= decodeText(inflateSync(deflated), pkg.customizationsName));
  Object.defineProperty(pkg, 'customizationsXml', {
    get: document,
    enumerable: true,
    configurable: true,
  });
  // each slice is made again on a prototype that reads its XML from the document: redefining
  // `xml` on 100,000 objects would turn each into a dictionary (43 MB of them, measured)
  const slices = Object.create(Object.prototype, {
    xml: {
      get(this: ParsedComponent): string {
        return document().slice(this.origin.start, this.origin.end);
      },
    },
  }) as object;
  // made by a constructor: V8 then keeps each object's fields in the object itself, where
  // Object.create() keeps four and the rest in an array of their own (3 MB more at 105,001
  // components, decision 63)
  function Slice(this: Record<string, unknown>, c: ParsedComponent): void {
    for (const k of Object.keys(c)) if (k !== 'xml') this[k] = c[k as keyof ParsedComponent];
  }
  Slice.prototype = slices;
  return Slice as unknown as new (c: ParsedComponent) => ParsedComponent;
}

/**
 * The bytes of the package's entry `name` (any case), as the package holds them:
 * customizations.xml inflated again when only its compressed copy is kept.
 */
export function packageEntry(pkg: SolutionPackage, name: string): Uint8Array | undefined {
  const lower = name.toLowerCase();
  const key = [...pkg.files.keys()].find((k) => k.toLowerCase() === lower);
  if (key !== undefined) return pkg.files.get(key);
  if (lower === pkg.customizationsName.toLowerCase() && pkg.customizationsDeflated)
    return inflateSync(pkg.customizationsDeflated);
  return undefined;
}

/** The entries of [Content_Types].xml, kept for export; an unreadable one is simply not kept. */
function contentTypesOf(bytes: Uint8Array, name: string): PackageLayout['contentTypes'] {
  try {
    return readContentTypes(decodeText(bytes, name));
  } catch {
    return null;
  }
}
