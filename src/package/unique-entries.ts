import { PackageError } from '../model/errors.js';

/**
 * Refuses a package that holds two entries of one name, or of names equal but for case. Readers
 * disagree on which of two same-named entries counts (.NET's ZipArchive, which Dataverse runs
 * on, finds the first; fflate and Python's zipfile the last), and Windows and Dataverse do not
 * tell names apart by case, so a reviewer's tool and strata could read different files. strata
 * itself looks files up ignoring case (customizations/context.ts), which is why names are folded
 * the same way here. Identical duplicates are refused too: the rule is decided from the names
 * alone, before anything is inflated (docs/decisions.md, 35).
 */
export function checkUniqueEntries(names: Iterable<string>, label: string): void {
  const seen = new Map<string, string>();
  for (const name of names) {
    const folded = name.toLowerCase();
    const first = seen.get(folded);
    if (first === undefined) {
      seen.set(folded, name);
      continue;
    }
    throw duplicateEntry(label, first, name);
  }
}

export function duplicateEntry(label: string, first: string, second: string): PackageError {
  const what =
    first === second
      ? `two entries named "${first}"`
      : `two entries whose names differ only by case, "${first}" and "${second}"`;
  return new PackageError(
    'PACKAGE_DUPLICATE_ENTRY',
    `${label} holds ${what}; which one counts depends on the tool that reads it.`,
    {
      hint:
        'A solution package holds each file once, and names that differ only by case are ' +
        'the same file on Windows and in Dataverse. Remove one of them and pack the ' +
        'package again (or export the solution again).',
      details: { entries: [first, second] },
    },
  );
}
