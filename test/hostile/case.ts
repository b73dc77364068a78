import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, strToU8 } from 'fflate';
import type { ErrorCategory, ErrorCode } from '../../src/model/error-codes.js';
import { packageEntries, type BuildOptions } from '../support/package-builder.js';
import { writeEntries } from '../support/temp.js';

/**
 * One input of the hostile corpus: what it is, how to write it, and what strata must do with it.
 * The corpus is generated, never checked in: each case writes its input into a folder it is given.
 */
export interface HostileCase {
  /** unique, and the input's file name: messages that name the package name the case */
  name: string;
  class: CaseClass;
  container: 'zip' | 'cab' | 'folder';
  /** the input and what it tries, in one line */
  what: string;
  /** writes the input under `dir` (which exists and is empty) and returns its path */
  build(dir: string): string;
  expect: Expectation;
  /**
   * Memory or time is at stake (bombs, huge values, many entries, devices, lying sizes): the read
   * runs in a child of its own, so the peak memory measured is this case's alone.
   */
  isolate?: boolean;
  /** the finding of issue 11 ("Hostile input and concurrency") this case reproduces */
  finding?: string;
}

export type CaseClass =
  | 'control'
  | 'zip-bomb'
  | 'many-entries'
  | 'slow-path'
  | 'path-traversal'
  | 'symlink'
  | 'nested'
  | 'xml-entities'
  | 'xml-characters'
  | 'malformed-xml'
  | 'encoding'
  | 'huge-values'
  | 'dataverse-values'
  | 'deep-nesting'
  | 'ambiguous'
  | 'zip-integrity'
  | 'corrupt-zip'
  | 'corrupt-cab'
  | 'layout';

/**
 * What strata must do: refuse with this code; accept (inspect, plan and import succeed); or, for inputs whose
 * only danger is time, finish in time either way (refused as a bad package, or accepted).
 * `names`: strings the error message must contain (the entry, the path, the offending value).
 */
export type Expectation =
  { code: ErrorCode; names?: string[] } | { accepted: true } | { finishes: true };

export const PACKAGE_CATEGORIES: ErrorCategory[] = ['bad-package', 'too-large'];

export const refused = (code: ErrorCode, ...names: string[]): Expectation => ({ code, names });
export const ACCEPTED: Expectation = { accepted: true };
export const FINISHES: Expectation = { finishes: true };

export const MB = 1024 * 1024;

/** A small valid package every case starts from: a table with a form and a view, a script. */
export const BASE: BuildOptions = {
  uniqueName: 'Hostile',
  version: '1.0.0.0',
  managed: true,
  publisher: { uniqueName: 'hostilepub', prefix: 'new', optionValuePrefix: 30000 },
  entities: [
    {
      name: 'new_box',
      attributes: ['new_boxid', 'new_name'],
      forms: [{ name: 'Box', fields: ['new_name'] }],
      views: [{ name: 'Boxes', columns: ['new_name'] }],
    },
  ],
  webResources: [{ name: 'new_/box.js', content: 'function onLoad(ctx) { return ctx; }' }],
};

/** The base package's entries, changed by `o`. */
export function baseEntries(o: BuildOptions = {}): Record<string, Uint8Array> {
  return packageEntries({ ...BASE, ...o });
}

/** The entries of an accepted case: a solution of its own name, so imports do not meet. */
export function acceptedEntries(
  uniqueName: string,
  o: BuildOptions = {},
): Record<string, Uint8Array> {
  return baseEntries({ ...o, uniqueName });
}

/** The path of the base package's web resource content file (WebResources/newbox...). */
export function webResourcePath(entries: Record<string, Uint8Array>): string {
  return Object.keys(entries).find((k) => k.startsWith('WebResources/'))!;
}

/** The entries with one XML file's text edited. */
export function editXml(
  entries: Record<string, Uint8Array>,
  file: string,
  edit: (xml: string) => string,
): Record<string, Uint8Array> {
  return { ...entries, [file]: strToU8(edit(strFromU8(entries[file]))) };
}

/** The entries with one file's bytes replaced. */
export function withBytes(
  entries: Record<string, Uint8Array>,
  file: string,
  bytes: Uint8Array,
): Record<string, Uint8Array> {
  return { ...entries, [file]: bytes };
}

export const text = (entries: Record<string, Uint8Array>, file: string): string =>
  strFromU8(entries[file]);

/** The last section of customizations.xml: cases put what they add right before it. */
export const LANGUAGES = '<Languages>';

/** Writes bytes to `dir/name` and returns the path. */
export function writeInput(dir: string, name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** Writes entries as an unpacked folder `dir/name` and returns its path. */
export function writeFolder(
  dir: string,
  name: string,
  entries: Record<string, Uint8Array>,
): string {
  const path = join(dir, name);
  mkdirSync(path, { recursive: true });
  writeEntries(path, entries);
  return path;
}

/** Bytes from a latin1 string (each char one byte), for hand-made invalid encodings. */
export const latin1 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));

export function concat(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}
