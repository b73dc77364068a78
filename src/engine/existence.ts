import { catalogComponents, catalogHas, catalogHasIdentity } from '../catalog/catalog.js';
import {
  EMPTY_BASE,
  firstPartyProvider,
  firstPartySolution,
  firstPartySolutionsOf,
  type FirstPartyComponent,
  type FirstPartySolution,
} from '../catalog/templates.js';
import { entry, identity } from '../model/component.js';
import { keepShape } from '../model/shapes.js';
import { definedKeys, type SolutionPackage } from '../package/read.js';
import { hasStoredComponent, type EnvironmentSnapshot } from '../plans/snapshot.js';

const roleName = (name: string): string => name.trim().toLowerCase();

/**
 * Answers "is this component there?" against the package being imported, the environment's
 * stored layers and (for environments with the standard base) the System catalog and the
 * first-party solutions of the environment's template (catalog/templates.ts), which, like the
 * System layer, are not stored but answered from the inventory.
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

  /**
   * the environment was made from the standard base (any template, `bare` too): the System
   * catalog's components exist
   */
  get hasStandardBase(): boolean {
    return this.snapshot.environment.base !== EMPTY_BASE;
  }

  /** the System catalog provides it (and the environment has the standard base) */
  inCatalog(type: string, key: string): boolean {
    return this.hasStandardBase && catalogHas(type, key);
  }

  /** the first-party solution of the environment's template whose inventory lists it */
  fromTemplate(
    type: string,
    key: string,
  ): { solution: FirstPartySolution; component: FirstPartyComponent } | undefined {
    return firstPartyProvider(this.snapshot.environment.base, identity(type, key));
  }

  /** the environment's base has it: the System catalog, or a first-party solution */
  inBase(type: string, key: string): boolean {
    return this.inCatalog(type, key) || this.fromTemplate(type, key) !== undefined;
  }

  /** inBase for an identity already built (model/component.ts identity()) */
  inBaseIdentity(id: string): boolean {
    return (
      this.hasStandardBase &&
      (catalogHasIdentity(id) ||
        firstPartyProvider(this.snapshot.environment.base, id) !== undefined)
    );
  }

  /** the environment has it: a stored layer, the System catalog or a first-party solution */
  inEnvironment(type: string, key: string): boolean {
    return hasStoredComponent(this.snapshot, type, key) || this.inBase(type, key);
  }

  /** the first-party solution of this unique name (any case) that the template installs */
  templateSolution(uniqueName: string): FirstPartySolution | undefined {
    return firstPartySolution(this.snapshot.environment.base, uniqueName);
  }

  private roles: Map<string, string> | undefined;

  /**
   * The standard security role of this display name (trimmed, any case) that the System layer
   * or a first-party solution of the template has: its key. A role is the same role in every
   * environment by name, not by id (docs/decisions.md: "Standard security roles are matched by
   * name").
   */
  standardRoleNamed(name: string): string | undefined {
    if (!this.hasStandardBase) return undefined;
    if (!this.roles) {
      this.roles = new Map();
      const named = [
        ...catalogComponents().map((c) => ({ type: c.type as string, key: c.key, name: c.name })),
        ...firstPartySolutionsOf(this.snapshot.environment.base).flatMap((s) => s.components),
      ];
      for (const c of named)
        if (c.type === 'role' && c.name) this.roles.set(roleName(c.name), c.key);
    }
    return this.roles.get(roleName(name));
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
        yes = (this.snapshot.layers.get(id)?.length ?? 0) > 0 || this.inBaseIdentity(id);
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

// the hidden class of an index outlives each plan (model/shapes.ts)
keepShape(
  new ComponentIndex(
    {
      environment: { id: 0, name: '', base: EMPTY_BASE, revision: 0, nextInstallOrder: 0 },
      solutions: [],
      publishers: [],
      layers: new Map(),
    },
    null,
  ),
);
