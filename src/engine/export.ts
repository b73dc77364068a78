import { StrataError } from '../model/errors.js';
import { buildPackage, exportManifest, patchManifest } from '../package/export.js';
import { parseXml } from '../package/xml.js';
import { readSolutionForExport } from '../store/export-reads.js';
import { recordHistory } from '../store/history.js';
import { findEnvironment } from '../store/environments.js';
import type { Store } from '../store/store.js';
import { collectLarge } from './collect.js';
import { firstPartySolutionError } from './refusals.js';

export interface ExportResult {
  solution: string;
  version: string;
  managed: boolean;
  components: number;
  files: number;
  skipped: Array<{ type: string; key: string; reason: string }>;
  zip: Uint8Array;
}

/** Characters of definitions from which an export collects before writing the package. */
const EXPORT_COLLECT_AFTER = 4 * 1024 * 1024;

/**
 * `strata export`: writes a solution package from the environment. A managed solution exports
 * its own layers (as managed); an unmanaged solution exports each member's published definition,
 * as unmanaged or managed.
 */
export async function exportSolution(
  store: Store,
  environment: string,
  name: string,
  opts: { managed?: boolean } = {},
): Promise<ExportResult> {
  const started = new Date();
  const env = await findEnvironment(store, environment);
  const data = await readSolutionForExport(store, env.id, name);
  const firstParty = data ? undefined : firstPartySolutionError(env, name, 'exported');
  if (firstParty) throw firstParty;
  if (!data)
    throw new StrataError(
      'SOLUTION_NOT_FOUND',
      `There is no solution named ${name} in ${environment}.`,
      { hint: 'strata list shows the installed solutions.' },
    );
  const managed = opts.managed ?? data.solution.managed;
  if (data.solution.managed && !managed) {
    throw new StrataError(
      'EXPORT_MANAGED_AS_UNMANAGED',
      `${name} is managed; a managed solution cannot be exported as unmanaged.`,
      {
        hint:
          'Export it as managed, or export the unmanaged solution from the environment where ' +
          'it is developed.',
      },
    );
  }
  const sol = data.solution;
  // a patch made by clone-patch has no package of its own: its manifest is its parent's, renamed
  const solutionXml = sol.solutionXml
    ? exportManifest(sol.solutionXml, sol.version, managed)
    : sol.parentUniqueName && sol.parentSolutionXml
      ? patchManifest(
          sol.parentSolutionXml,
          {
            uniqueName: sol.uniqueName,
            friendlyName: sol.friendlyName,
            parentUniqueName: sol.parentUniqueName,
          },
          sol.version,
          managed,
        )
      : null;
  if (!solutionXml) {
    throw new StrataError(
      'EXPORT_MANIFEST_MISSING',
      `${name} was imported from a package whose solution.xml was too large to keep, ` +
        'so strata cannot write its manifest.',
      { hint: 'Export it from the environment it was developed in.' },
    );
  }
  // what reading the definitions left (the chunks inflated, the rows) goes before the document
  // is written: at 10,000 components after an upgrade, 252–265 → 233–238 MB (decision 64)
  collectLarge(
    data.components.reduce((n, c) => n + c.xml.length, 0),
    EXPORT_COLLECT_AFTER,
  );
  const root = parseXml(solutionXml, 'solution.xml');
  const rootAttrs = Object.fromEntries(Object.entries(root.attrs));
  const zip = buildPackage({
    solutionXml,
    rootAttrs,
    components: data.components,
    files: data.files,
    layout: sol.layout,
  });
  await recordHistory(store, env.id, {
    solutionName: data.solution.uniqueName,
    solutionVersion: data.solution.version,
    publisher: data.solution.publisher,
    managed,
    operation: 'export',
    subOperation: managed ? 'managed' : 'unmanaged',
    options: { managed },
    startedOn: started,
    endedOn: new Date(),
    result: 'success',
  });
  return {
    solution: data.solution.uniqueName,
    version: data.solution.version,
    managed,
    components: data.components.length,
    files: data.files.size,
    skipped: data.skipped,
    zip,
  };
}
