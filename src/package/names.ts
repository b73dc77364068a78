import type { ComponentRef } from '../model/errors.js';
import { PackageError } from '../model/errors.js';

/**
 * The names Dataverse validates when it imports a solution, with its rules, so that strata refuses
 * what Dataverse would refuse and says which rule was broken. Sources (docs/decisions.md, 29):
 *
 * - solution unique name: letters, digits and underscores (Learn, "Create, export, or import an
 *   unmanaged solution", Dynamics 365 CE developer guide); at most 65 characters (Solution
 *   table/entity reference: `uniquename` MaxLength 65).
 * - publisher unique name: letters, digits and underscores (same page), starting with a letter or
 *   an underscore (`pac solution init`); at most 256 characters (Publisher table/entity
 *   reference: `uniquename` MaxLength 256).
 * - customization prefix: 2 to 8 letters and digits, starting with a letter, not starting with
 *   "mscrm" (the CE page above; Publisher reference: `customizationprefix` MaxLength 8).
 * - logical names of tables and columns: at most 128 characters (Entity and Attribute
 *   table/entity references: `logicalname` MaxLength 128); of relationships at most 255
 *   (Relationship reference: `name` MaxLength 255). Their characters, letters, digits and
 *   underscores, are those of the publisher prefix and its "_" that every custom name starts
 *   with; every table, column, relationship and option set of the real packages in
 *   shared/fixtures/real keeps to them.
 */
export interface NameRule {
  /** what the name is, for the message: "solution unique name" */
  what: string;
  /** the rule as the message states it */
  rule: string;
  /** one character the name may not contain */
  forbidden: RegExp;
  minLength?: number;
  maxLength?: number;
  /** the characters the name may start with */
  first?: RegExp;
  /** a start the name may not have */
  reservedStart?: string;
}

const WORD_CHARS = 'letters, digits and underscores';
const NOT_WORD = /[^A-Za-z0-9_]/;

export const SOLUTION_UNIQUE_NAME: NameRule = {
  what: 'solution unique name',
  rule: `${WORD_CHARS} only, at most 65 characters`,
  forbidden: NOT_WORD,
  maxLength: 65,
};

export const PUBLISHER_UNIQUE_NAME: NameRule = {
  what: 'publisher unique name',
  rule: `${WORD_CHARS} only, starting with a letter or an underscore, at most 256 characters`,
  forbidden: NOT_WORD,
  maxLength: 256,
  first: /[A-Za-z_]/,
};

export const CUSTOMIZATION_PREFIX: NameRule = {
  what: 'publisher customization prefix',
  rule: '2 to 8 letters and digits, starting with a letter, not starting with "mscrm"',
  forbidden: /[^A-Za-z0-9]/,
  minLength: 2,
  maxLength: 8,
  first: /[A-Za-z]/,
  reservedStart: 'mscrm',
};

function logicalName(what: string, maxLength?: number): NameRule {
  const most = maxLength === undefined ? '' : `, at most ${maxLength} characters`;
  return { what, rule: `${WORD_CHARS} only${most}`, forbidden: NOT_WORD, maxLength };
}

export const TABLE_NAME = logicalName('table logical name', 128);
export const COLUMN_NAME = logicalName('column logical name', 128);
export const RELATIONSHIP_NAME = logicalName('relationship name', 255);
export const OPTION_SET_NAME = logicalName('option set name');

/** What about `name` breaks `rule`, or undefined when it keeps to it. */
export function nameProblem(name: string, rule: NameRule): string | undefined {
  const n = name.length;
  if (rule.minLength !== undefined && n < rule.minLength)
    return `it has ${n} character${n === 1 ? '' : 's'}`;
  if (rule.maxLength !== undefined && n > rule.maxLength) return `it has ${n} characters`;
  const bad = rule.forbidden.exec(name);
  if (bad) return `it contains ${describe(bad[0])}`;
  if (rule.first && !rule.first.test(name[0])) return `it starts with "${name[0]}"`;
  if (rule.reservedStart && name.toLowerCase().startsWith(rule.reservedStart))
    return `it starts with "${name.slice(0, rule.reservedStart.length)}"`;
  return undefined;
}

/**
 * Refuses `name` (NAME_INVALID) unless it keeps to `rule`; `file` is where it was read, and
 * `component` the component it names, when it names one.
 */
export function checkName(
  name: string,
  rule: NameRule,
  file: string,
  component?: ComponentRef,
): void {
  const problem = nameProblem(name, rule);
  if (problem === undefined) return;
  throw new PackageError(
    'NAME_INVALID',
    `${file}: the ${rule.what} "${shown(name)}" is not valid: Dataverse allows ${rule.rule} ` +
      `(${problem}).`,
    {
      hint:
        'Dataverse would refuse this package. Correct the name in the source solution ' +
        'and export it again.',
      ...(component ? { component } : {}),
      details: { file, rule: rule.rule },
    },
  );
}

/** A name quoted in a message: hostile packages carry names of a megabyte. */
export function shown(s: string): string {
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
}

function describe(ch: string): string {
  const code = `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  if (ch === ' ') return `a space (${code})`;
  return /[\x21-\x7e]/.test(ch) ? `"${ch}"` : code;
}
