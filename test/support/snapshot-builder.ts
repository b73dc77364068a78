/**
 * Builds an EnvironmentSnapshot in memory, shaped like the one store/snapshot.ts loads, so the
 * pure planners (planImport, planLifecycle, planClone) can be tested without a store.
 *
 *   const snapshot = environment()                       // the standard base (System catalog)
 *     .installed(readPackage(buildSolutionZip(v1)))      // a solution with its layers
 *     .solution('Tweaks', { managed: false })            // or only its row
 *     .layer('attribute', 'cnt_project.cnt_budget', 'Active', { xml: '<attribute …/>' })
 *     .build();
 *
 * Install order follows the order of the calls; patches sit directly above their parent and a
 * holding solution above both, at the ordinals the store gives them (plans/layer-order.ts).
 */
import { CATALOG_ID } from '../../src/catalog/catalog.js';
import { componentType } from '../../src/model/component-types.js';
import { identity } from '../../src/model/component.js';
import { definedKeys, type SolutionPackage } from '../../src/package/read.js';
import {
  ACTIVE_ORDINAL,
  HOLDING_OFFSET,
  ORDINAL_GROUP,
  holdingNameOf,
} from '../../src/plans/layer-order.js';
import type {
  EnvironmentSnapshot,
  LayerInfo,
  PublisherInfo,
  SolutionInfo,
} from '../../src/plans/snapshot.js';

export interface SolutionOptions {
  version?: string;
  /** default true */
  managed?: boolean;
  /** the publisher's unique name: default contoso, the sample's (prefix cnt) */
  publisher?: string;
  /** a patch: the unique name of its parent */
  parent?: string;
  /** a holding solution: `name` is the base's, the solution is `<name>_Upgrade` */
  holding?: boolean;
}

export interface LayerOptions {
  hash?: string;
  /** an unpublished Active-layer definition */
  draftHash?: string;
  state?: 'active' | 'inactive';
  /** what the layer needs outside its own solution: [type, key] pairs */
  requires?: Array<[string, string]>;
  name?: string;
  /** the Active layer's definition, for per-property reports (snapshot.activeXml) */
  xml?: string;
}

const INSTALLED_ON = '2024-01-01T00:00:00.000Z';

export class SnapshotBuilder {
  private readonly solutions: SolutionInfo[] = [];
  private readonly publishers: PublisherInfo[] = [];
  private readonly layers = new Map<string, LayerInfo[]>();
  private readonly activeXml = new Map<string, string>();
  private readonly mergeBelow = new Map<string, string>();
  private revision = 1;

  constructor(
    private readonly name: string,
    private readonly base: string,
  ) {}

  /** A publisher (the first one of a name stays). */
  publisher(uniqueName: string, prefix: string): this {
    if (!this.publishers.some((p) => p.uniqueName === uniqueName))
      this.publishers.push({
        uniqueName,
        friendlyName: uniqueName,
        customizationPrefix: prefix,
        optionValuePrefix: 10000,
      });
    return this;
  }

  /** A solution's row, at the next install order (a patch or holding solution: its base's). */
  solution(uniqueName: string, o: SolutionOptions = {}): this {
    const managed = o.managed ?? true;
    const publisher = o.publisher ?? 'contoso';
    this.publisher(publisher, publisher === 'contoso' ? 'cnt' : publisher.slice(0, 3));
    const base = o.parent ?? (o.holding ? uniqueName : undefined);
    const baseRow = base === undefined ? undefined : this.find(base);
    if (base !== undefined && !baseRow) throw new Error(`install ${base} before ${uniqueName}`);
    const installOrder = baseRow?.installOrder ?? this.nextInstallOrder();
    const patches = this.solutions.filter((s) => s.parentUniqueName === o.parent).length;
    const ordinal = !baseRow
      ? installOrder * ORDINAL_GROUP
      : o.holding
        ? baseRow.ordinal + HOLDING_OFFSET
        : baseRow.ordinal + patches + 1;
    this.solutions.push({
      uniqueName: o.holding ? holdingNameOf(uniqueName) : uniqueName,
      friendlyName: uniqueName,
      version: o.version ?? '1.0.0.0',
      managed,
      publisher,
      parentUniqueName: o.parent ?? null,
      isHolding: o.holding ?? false,
      installOrder,
      ordinal,
      installedOn: INSTALLED_ON,
    });
    this.revision++;
    return this;
  }

  /**
   * A solution installed from a package, as an import leaves it: its publisher, its row, and
   * its layers — a managed package's own layer per component it defines (with what each needs
   * outside the package), an unmanaged package's definitions in the Active layer (drafts for
   * publishable types).
   */
  installed(pkg: SolutionPackage, o: { holding?: boolean } = {}): this {
    const m = pkg.manifest;
    this.publisher(m.publisher.uniqueName, m.publisher.customizationPrefix);
    this.solution(m.uniqueName, {
      version: m.version.text,
      managed: m.managed,
      publisher: m.publisher.uniqueName,
      parent: m.parentUniqueName,
      holding: o.holding,
    });
    const solution = o.holding ? holdingNameOf(m.uniqueName) : m.uniqueName;
    const inPackage = definedKeys(pkg);
    for (const c of pkg.components) {
      if (c.shell || c.unmodified) continue;
      const requires = (c.requires ?? [])
        .filter((r) => !inPackage.get(r.type)?.has(r.key))
        .map((r): [string, string] => [r.type, r.key]);
      const publishable = componentType(c.type).publishable;
      this.layer(c.type, c.key, m.managed ? solution : 'Active', {
        ...(m.managed || !publishable ? { hash: c.hash } : { draftHash: c.hash }),
        state: c.state,
        requires,
        name: c.name,
        ...(m.managed ? {} : { xml: c.xml }),
      });
    }
    return this;
  }

  /**
   * One layer of a component: a managed solution's (installed before), 'Active' or 'System'.
   * A solution's second layer on the same component replaces its first.
   */
  layer(type: string, key: string, solution: string, o: LayerOptions = {}): this {
    const kind = solution === 'Active' ? 'active' : solution === 'System' ? 'system' : 'managed';
    const id = identity(type, key);
    const list = (this.layers.get(id) ?? []).filter((l) => l.solution !== solution);
    list.push({
      solution,
      kind,
      ordinal: 0, // set by build(), from the solution's place
      hash: o.hash ?? (o.draftHash ? null : `${solution}:${id}`),
      draftHash: o.draftHash ?? null,
      state: o.state ?? null,
      requires: (o.requires ?? []).map(([t, k]) => identity(t, k)),
      name: o.name ?? key,
    });
    this.layers.set(id, list);
    if (o.xml !== undefined && kind === 'active') this.activeXml.set(id, o.xml);
    return this;
  }

  /** What the managed layers below the Active one merge to (an unmanaged merge component). */
  mergedBelow(type: string, key: string, xml: string): this {
    this.mergeBelow.set(identity(type, key), xml);
    return this;
  }

  build(): EnvironmentSnapshot {
    const layers = new Map<string, LayerInfo[]>();
    for (const [id, list] of this.layers) {
      const placed = list.map((l) => ({ ...l, ordinal: this.ordinalOf(l) }));
      layers.set(
        id,
        placed.sort((a, b) => a.ordinal - b.ordinal),
      );
    }
    return {
      environment: {
        id: 1,
        name: this.name,
        base: this.base,
        revision: this.revision,
        nextInstallOrder: this.nextInstallOrder(),
      },
      solutions: this.solutions.map((s) => ({ ...s })),
      publishers: this.publishers.map((p) => ({ ...p })),
      layers,
      activeXml: new Map(this.activeXml),
      ...(this.mergeBelow.size ? { mergeBelow: new Map(this.mergeBelow) } : {}),
    };
  }

  private find(uniqueName: string): SolutionInfo | undefined {
    return this.solutions.find((s) => s.uniqueName === uniqueName && !s.isHolding);
  }

  private nextInstallOrder(): number {
    return Math.max(0, ...this.solutions.map((s) => s.installOrder)) + 1;
  }

  private ordinalOf(l: LayerInfo): number {
    if (l.kind === 'active') return ACTIVE_ORDINAL;
    if (l.kind === 'system') return 0;
    const s = this.solutions.find((x) => x.uniqueName === l.solution);
    if (!s) throw new Error(`a layer of ${l.solution}, which is not installed`);
    return s.ordinal;
  }
}

/** An environment to build: the standard base (System catalog) unless `base` says 'empty'. */
export function environment(
  name = 'test',
  o: { base?: typeof CATALOG_ID | 'empty' } = {},
): SnapshotBuilder {
  return new SnapshotBuilder(name, o.base ?? CATALOG_ID);
}
