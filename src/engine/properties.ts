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

export function properties(xml: string): PropertyMap {
  const out: PropertyMap = new Map();
  const walk = (el: XmlElement, path: string): void => {
    for (const [k, v] of Object.entries(el.attrs))
      if (!k.startsWith('xmlns')) out.set(`${path}/@${k}`, v);
    const text = el.text.trim();
    if (text && el.children.length === 0) out.set(path, text);
    const counts = new Map<string, number>();
    for (const c of el.children) counts.set(c.name, (counts.get(c.name) ?? 0) + 1);
    const seen = new Map<string, number>();
    for (const c of el.children) {
      let step = c.name;
      if ((counts.get(c.name) ?? 0) > 1) {
        const key = KEY_ATTRS.find((k) => c.attrs[k] !== undefined);
        const n = (seen.get(c.name) ?? 0) + 1;
        seen.set(c.name, n);
        step = key ? `${c.name}[${key}=${c.attrs[key]}]` : `${c.name}[${n}]`;
      }
      walk(c, `${path}/${step}`);
    }
  };
  const root = parseXml(xml, 'definition');
  walk(root, root.name);
  return out;
}

export interface PropertyChange {
  path: string;
  from: string | null;
  to: string | null;
}

/** What `upper` changes relative to `lower`: values that differ, appear or disappear. */
export function changedProperties(lower: string | null, upper: string): PropertyChange[] {
  const a = lower ? properties(lower) : new Map<string, string>();
  const b = properties(upper);
  const out: PropertyChange[] = [];
  for (const [path, to] of b)
    if (a.get(path) !== to) out.push({ path, from: a.get(path) ?? null, to });
  for (const [path, from] of a) if (!b.has(path)) out.push({ path, from, to: null });
  return out.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
}
