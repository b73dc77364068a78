import { catalogHas, catalogHasIdentity } from '../catalog/catalog.js';
import { entry, identity } from '../model/component.js';
import { definedKeys, type SolutionPackage } from '../package/read.js';
import { hasStoredComponent, type EnvironmentSnapshot } from '../plans/snapshot.js';

/**
 * Answers "is this component there?" against the package being imported, the environment's
 * stored layers and (for environments with the standard base) the System catalog.
 */
export class ComponentIndex {
  /** the package's components (tables that are only containers left out), by type, then key */
  private readonly inPackage: Map<string, Set<string>>;
  readonly customPrefixes: Set<string>;

  /** `pkg` null: questions about the environment alone (uninstall, apply upgrade) */
  constructor(
    readonly snapshot: EnvironmentSnapshot,
    pkg: SolutionPackage | null,
  ) {
    this.inPackage = pkg ? definedKeys(pkg) : new Map();
    this.customPrefixes = new Set(
      [
        pkg?.manifest.publisher.customizationPrefix ?? '',
        ...snapshot.publishers.map((p) => p.customizationPrefix),
      ]
        .filter(Boolean)
        .map((p) => p.toLowerCase()),
    );
  }

  /** the environment was made from the standard base: the System catalog's components exist */
  get hasStandardBase(): boolean {
    return this.snapshot.environment.base !== 'empty';
  }

  /** the System catalog provides it (and the environment has the standard base) */
  inCatalog(type: string, key: string): boolean {
    return this.hasStandardBase && catalogHas(type, key);
  }

  /** the environment has it: a stored layer, or the System catalog */
  inEnvironment(type: string, key: string): boolean {
    return hasStoredComponent(this.snapshot, type, key) || this.inCatalog(type, key);
  }

  /** answers already given, by type, then key */
  private readonly known = new Map<string, Map<string, boolean>>();

  /** the package defines it, or the environment has it */
  exists(type: string, key: string): boolean {
    // remembered by type and key, so a repeated question builds no identity string: this runs
    // for every reference of every component, and references repeat (every column of a table
    // refers to the table)
    const byKey = entry(this.known, type, () => new Map<string, boolean>());
    let yes = byKey.get(key);
    if (yes === undefined) {
      yes = this.inPackage.get(type)?.has(key) === true;
      if (!yes) {
        const id = identity(type, key);
        yes =
          (this.snapshot.layers.get(id)?.length ?? 0) > 0 ||
          (this.hasStandardBase && catalogHasIdentity(id));
      }
      byKey.set(key, yes);
    }
    return yes;
  }

  /**
   * Whether a table or column name belongs to a publisher (custom) rather than to the platform.
   * Custom tables always carry a prefix (`prefix_name`); a column is custom when its prefix is
   * one a publisher here uses. Platform names that the catalog lacks are assumed present, with a
   * warning (docs/decisions.md: "References to platform components the catalog lacks").
   */
  looksCustomTable(name: string): boolean {
    return name.includes('_');
  }

  /** a column whose prefix is one a publisher here (or the package's) uses */
  looksCustomColumn(name: string): boolean {
    const i = name.indexOf('_');
    return i > 0 && this.customPrefixes.has(name.slice(0, i));
  }
}
