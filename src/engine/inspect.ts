import { displayName, sameSolutionName } from '../model/solution.js';
import { listSolutions } from '../store/queries.js';
import type { Queryable } from '../store/store.js';
import type { SolutionPackage } from '../package/read.js';
import type { Refusal } from '../plans/refusal.js';
import { refuse, UPDATE_BANNER } from './plan.js';

export type PackageDescription = ReturnType<typeof describePackage>;

/**
 * What a package holds: counts by type, the code it carries, and whether it updates an installed
 * solution.
 */
function describePackage(
  pkg: SolutionPackage,
  installed?: { version: string; managed: boolean },
  blocked: Refusal[] = [],
) {
  const m = pkg.manifest;
  const counts: Record<string, number> = {};
  // by the name people read: a package's cloud flows and business rules are counted apart
  for (const c of pkg.components) {
    const shown = c.displayType ?? c.type;
    counts[shown] = (counts[shown] ?? 0) + 1;
  }
  const executable = pkg.components
    .filter((c) => {
      if (c.type === 'webresource')
        return (
          c.xml.includes('<WebResourceType>3</WebResourceType>') ||
          c.key.toLowerCase().endsWith('.js')
        );
      return ['pluginassembly', 'workflow', 'customapi', 'customcontrol'].includes(c.type);
    })
    .map((c) => ({
      type: c.type,
      key: c.key,
      name: c.name,
      ...(c.displayType ? { displayType: c.displayType } : {}),
    }));
  return {
    uniqueName: m.uniqueName,
    displayName: displayName(m.localizedNames, m.uniqueName, m.languageCode),
    version: m.version.text,
    managed: m.managed,
    publisher: {
      uniqueName: m.publisher.uniqueName,
      displayName: displayName(m.publisher.names, m.publisher.uniqueName),
      prefix: m.publisher.customizationPrefix,
      optionValuePrefix: m.publisher.optionValuePrefix,
    },
    description: displayName(m.descriptions, '', m.languageCode),
    parentUniqueName: m.parentUniqueName ?? null,
    source: pkg.source,
    components: pkg.components.length,
    countsByType: Object.fromEntries(Object.entries(counts).sort()),
    executableCode: executable,
    declaredDependencies: m.missingDependencies.length,
    status: installed ? 'update' : 'new',
    /** what an import into the environment would refuse whatever its options (plan has all) */
    blocked,
    ...(installed ? { installed, banner: UPDATE_BANNER } : {}),
    warnings: pkg.warnings,
    hash: pkg.hash,
  };
}

/**
 * describePackage against an environment: is the package's solution installed there already, and
 * in the package's mode? A managed package over an unmanaged solution (or the reverse), or a patch
 * whose parent is installed in the other mode, is refused by every import: inspect says so.
 */
export async function describePackageIn(
  db: Queryable,
  envId: number,
  pkg: SolutionPackage,
): Promise<PackageDescription> {
  const m = pkg.manifest;
  const solutions = await listSolutions(db, envId);
  const find = (name: string) =>
    solutions.find((x) => sameSolutionName(x.uniqueName, name) && !x.isHolding);
  const s = find(m.uniqueName);
  const parent = m.parentUniqueName ? find(m.parentUniqueName) : undefined;
  const blocked: Refusal[] = [];
  if (s && s.managed !== m.managed) blocked.push(refuse.modeMismatch(s, m));
  else if (!s && parent && parent.managed !== m.managed)
    blocked.push(refuse.patchModeMismatch(m, parent));
  return describePackage(pkg, s ? { version: s.version, managed: s.managed } : undefined, blocked);
}
