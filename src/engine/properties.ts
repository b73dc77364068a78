import { parseXml, type XmlElement } from '../package/xml.js';

/**
 * The normalized property tree of a definition, derived from its XML on demand (never stored;
 * docs/decisions.md #3): every leaf value — element text and attribute — under a path of element
 * names. Repeated siblings are told apart by their identifying attribute (id, name, languagecode,
 * PhysicalName, value, ...) or by position. Used for "what does this layer change" and "what
 * would overwrite lose".
 */
export type PropertyMap = Map<string, string>;

const KEY_ATTRS = [
  'id',
  'Id',
  'ID',
  'name',
  'Name',
  'PhysicalName',
  'languagecode',
  'value',
  'LogicalName',
  'type',
  'controlid',
  'uniqueid',
];

/**
 * Every leaf under a path where each step names its element fully (`tab[id=…]`, `row[2]`), with
 * the sibling counts that decide how much of that a reader needs to see.
 */
interface PropertyTree {
  /** full path → value, and the steps of that path */
  leaves: Map<string, { value: string; steps: Step[]; attr?: string }>;
  /** `parent full path` + NUL + element name → how many such children it has */
  counts: Map<string, number>;
}
interface Step {
  parent: string;
  name: string;
  suffix: string;
}

function propertyTree(xml: string): PropertyTree {
  const leaves: PropertyTree['leaves'] = new Map();
  const counts: PropertyTree['counts'] = new Map();
  const walk = (el: XmlElement, path: string, steps: Step[]): void => {
    for (const [k, v] of Object.entries(el.attrs))
      if (!k.startsWith('xmlns')) leaves.set(`${path}/@${k}`, { value: v, steps, attr: k });
    const text = el.text.trim();
    if (text && el.children.length === 0) leaves.set(path, { value: text, steps });
    const seen = new Map<string, number>();
    for (const c of el.children) {
      const n = (seen.get(c.name) ?? 0) + 1;
      seen.set(c.name, n);
      counts.set(`${path}\u0000${c.name}`, n);
      const key = KEY_ATTRS.find((k) => c.attrs[k] !== undefined);
      const suffix = key ? `[${key}=${c.attrs[key]}]` : `[${n}]`;
      const full = `${path}/${c.name}${suffix}`;
      walk(c, full, [...steps, { parent: path, name: c.name, suffix }]);
    }
  };
  const root = parseXml(xml, 'definition');
  walk(root, root.name, [{ parent: '', name: root.name, suffix: '' }]);
  return { leaves, counts };
}

/**
 * A path as people read it: a step carries its `[id=…]` or `[n]` only where its element has
 * siblings of the same name (in any of the trees compared), so a tab stays `tab` until a second
 * tab appears.
 */
function shownPath(leaf: { steps: Step[]; attr?: string }, ...trees: PropertyTree[]): string {
  const steps = leaf.steps.map((s) => {
    const k = `${s.parent}\u0000${s.name}`;
    const many = trees.some((t) => (t.counts.get(k) ?? 0) > 1);
    return many ? s.name + s.suffix : s.name;
  });
  return steps.join('/') + (leaf.attr ? `/@${leaf.attr}` : '');
}

export function properties(xml: string): PropertyMap {
  const tree = propertyTree(xml);
  const out: PropertyMap = new Map();
  for (const leaf of tree.leaves.values()) out.set(shownPath(leaf, tree), leaf.value);
  return out;
}

export interface PropertyChange {
  path: string;
  from: string | null;
  to: string | null;
}

/**
 * What `upper` changes relative to `lower`: values that differ, appear or disappear. Elements
 * are matched by their identity (id, name, …) whatever their siblings: a second tab or section
 * appearing (a merge's Conflicts tab) does not make everything in the first look removed.
 */
export function changedProperties(lower: string | null, upper: string): PropertyChange[] {
  const a: PropertyTree = lower ? propertyTree(lower) : { leaves: new Map(), counts: new Map() };
  const b = propertyTree(upper);
  const out: PropertyChange[] = [];
  for (const [path, leaf] of b.leaves) {
    const from = a.leaves.get(path)?.value;
    if (from !== leaf.value)
      out.push({ path: shownPath(leaf, a, b), from: from ?? null, to: leaf.value });
  }
  for (const [path, leaf] of a.leaves)
    if (!b.leaves.has(path)) out.push({ path: shownPath(leaf, a, b), from: leaf.value, to: null });
  return out.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
}
