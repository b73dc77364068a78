import { descendant, escapeXml, parseXml, type XmlElement } from '../../package/xml.js';

/**
 * Merge components (forms, site maps, ribbons, apps) do not follow "top wins": each layer holds
 * its changes relative to the layer below, and the effective definition is the bottom-up merge
 * (spec §6). Elements are matched by their ids (form tabs, sections, cells, controls; site map
 * areas, groups, sub-areas; ribbon custom actions and command definitions; app components), or,
 * without an id, by name and position. A change is written the way Dataverse writes it in a
 * layer: the elements that differ, with `solutionaction="Added"` / `"Removed"` where an element
 * appears or goes. A lower layer's change shows through wherever the upper layers did not touch
 * the same element. An added element goes to the end of its container (a layer's changes carry no
 * position). Form parts whose container is gone land on a generated Conflicts tab.
 */
interface Node {
  name: string;
  attrs: Record<string, string>;
  text: string;
  children: Node[];
}

const KEY_ATTRS = ['id', 'Id', 'ID', 'HideActionId', 'languagecode', 'LCID', 'schemaName', 'Name'];
const ACTION = 'solutionaction';
export const CONFLICTS_TAB_ID = '{c0f11c75-0000-4000-8000-000000000001}';

const toNode = (el: XmlElement): Node => ({
  name: el.name,
  attrs: { ...el.attrs },
  text: el.children.length ? '' : el.text.trim(),
  children: el.children.map(toNode),
});
const parse = (xml: string): Node => toNode(parseXml(xml, 'definition'));

function keyOf(n: Node): string | undefined {
  const k = KEY_ATTRS.find((a) => n.attrs[a] !== undefined);
  return k ? `${k}=${n.attrs[k].toLowerCase()}` : undefined;
}

/** An element without an id of its own (a form row, a labels list) goes by the first id in it. */
function derivedKey(n: Node): string | undefined {
  for (const c of n.children) {
    const k = keyOf(c) ?? derivedKey(c);
    if (k) return `~${k}`;
  }
  return undefined;
}

/**
 * Pairs each child of `next` with the child of `base` it stands for: same name and id; else same
 * name and the same first id inside (rows by their cells); else same name and position among the
 * elements with no id anywhere.
 */
function match(base: Node[], next: Node[]): Array<[Node | undefined, Node]> {
  const used = new Set<Node>();
  const pos = new Map<string, number>();
  const many = (name: string): boolean =>
    base.filter((x) => x.name === name).length > 1 ||
    next.filter((x) => x.name === name).length > 1;
  return next.map((n) => {
    const key = keyOf(n);
    let b: Node | undefined;
    if (key) b = base.find((x) => !used.has(x) && x.name === n.name && keyOf(x) === key);
    else if (!many(n.name)) b = base.find((x) => !used.has(x) && x.name === n.name && !keyOf(x));
    else {
      const derived = derivedKey(n);
      if (derived)
        b = base.find(
          (x) => !used.has(x) && x.name === n.name && !keyOf(x) && derivedKey(x) === derived,
        );
      if (!b && !derived) {
        const i = pos.get(n.name) ?? 0;
        pos.set(n.name, i + 1);
        b = base.filter((x) => x.name === n.name && !keyOf(x) && !derivedKey(x))[i];
      }
    }
    if (b) used.add(b);
    return [b, n];
  });
}

function strip(n: Node): Node {
  const { [ACTION]: _drop, ...attrs } = n.attrs;
  void _drop;
  return { ...n, attrs, children: n.children.map(strip) };
}

/** What `next` changes relative to `base`, as a layer holds it; null when nothing changed. */
export function diffDefinition(base: string | null, next: string): string | null {
  if (!base) return next;
  const d = diffNode(parse(base), parse(next));
  return d ? serialize(d) : null;
}

function diffNode(b: Node, n: Node): Node | null {
  const keyAttrs = Object.fromEntries(
    Object.entries(n.attrs).filter(([k]) => KEY_ATTRS.includes(k)),
  );
  const changedAttrs = Object.fromEntries(
    Object.entries(n.attrs).filter(([k, v]) => b.attrs[k] !== v),
  );
  const children: Node[] = [];
  for (const [bc, nc] of match(b.children, n.children)) {
    if (!bc) {
      children.push({ ...nc, attrs: { ...nc.attrs, [ACTION]: 'Added' } });
      continue;
    }
    const d = diffNode(bc, nc);
    if (d) children.push(d);
  }
  const matched = new Set(match(b.children, n.children).map(([bc]) => bc));
  for (const bc of b.children) {
    if (matched.has(bc) || !keyOf(bc)) continue;
    const k = KEY_ATTRS.find((a) => bc.attrs[a] !== undefined)!;
    children.push({
      name: bc.name,
      attrs: { [k]: bc.attrs[k], [ACTION]: 'Removed' },
      text: '',
      children: [],
    });
  }
  const textChanged = n.text !== b.text;
  if (!Object.keys(changedAttrs).length && !children.length && !textChanged) return null;
  const attrs = {
    ...keyAttrs,
    ...changedAttrs,
    ...(Object.keys(changedAttrs).length ? { [ACTION]: 'Modified' } : {}),
  };
  return { name: n.name, attrs, text: textChanged ? n.text : '', children };
}

/** Applies one layer's changes (a delta with solutionaction marks, or a whole definition). */
function applyLayer(base: string | null, layer: string): { xml: string; conflicts: number } {
  if (!base) return { xml: serialize(strip(parse(layer))), conflicts: 0 };
  const orphans: Node[] = [];
  const merged = mergeNode(parse(base), parse(layer), orphans);
  if (orphans.length) placeOnConflictsTab(merged, orphans);
  return { xml: serialize(merged), conflicts: orphans.length };
}

function mergeNode(b: Node, d: Node, orphans: Node[]): Node {
  const { [ACTION]: _a, ...attrs } = d.attrs;
  void _a;
  const out: Node = {
    name: b.name,
    attrs: { ...b.attrs, ...attrs },
    text: d.text || b.text,
    children: [...b.children],
  };
  for (const [matched, dc] of match(b.children, d.children)) {
    const action = dc.attrs[ACTION];
    // an added element replaces only the element with its own id (or the first id inside);
    // otherwise it is new
    const bc =
      action === 'Added'
        ? b.children.find(
            (x) =>
              x.name === dc.name &&
              ((keyOf(dc) && keyOf(x) === keyOf(dc)) ||
                (!keyOf(dc) && derivedKey(dc) && derivedKey(x) === derivedKey(dc))),
          )
        : matched;
    const at = bc ? out.children.indexOf(bc) : -1;
    if (action === 'Removed') {
      if (at >= 0) out.children.splice(at, 1);
      continue;
    }
    if (at >= 0) out.children[at] = action === 'Added' ? strip(dc) : mergeNode(bc!, dc, orphans);
    else if (action === 'Added' || !keyOf(dc)) out.children.push(strip(dc));
    // a changed element whose counterpart below is gone: what it added has nowhere to go
    else orphans.push(...addedParts(dc));
  }
  return out;
}

/** The form parts (cells, sections) a delta adds, to keep when their container is gone. */
const PARTS = new Set(['cell', 'section', 'tab', 'SubArea', 'Group', 'CustomAction']);
function addedParts(n: Node, added = false): Node[] {
  const isAdded = added || n.attrs[ACTION] === 'Added';
  if (isAdded && PARTS.has(n.name)) return [strip(n)];
  return n.children.flatMap((c) => addedParts(c, isAdded));
}

/**
 * Forms get a generated "Conflicts" tab holding the orphaned parts; other types keep them at the
 * end.
 */
function placeOnConflictsTab(root: Node, orphans: Node[]): void {
  const form = descendant(root, 'form');
  const tabs = form && descendant(form, 'tabs');
  if (!tabs) {
    root.children.push(...orphans);
    return;
  }
  const label = (text: string): Node => ({
    name: 'labels',
    attrs: {},
    text: '',
    children: [
      { name: 'label', attrs: { description: text, languagecode: '1033' }, text: '', children: [] },
    ],
  });
  const sections = orphans.filter((o) => o.name === 'section');
  const cells = orphans.filter((o) => o.name === 'cell');
  const other = orphans.filter((o) => o.name !== 'section' && o.name !== 'cell');
  if (cells.length) {
    sections.push({
      name: 'section',
      attrs: {
        id: '{c0f11c75-0000-4000-8000-000000000002}',
        name: 'conflicts_section',
        showlabel: 'true',
      },
      text: '',
      children: [
        label('Conflicts'),
        {
          name: 'rows',
          attrs: {},
          text: '',
          children: cells.map((c) => ({ name: 'row', attrs: {}, text: '', children: [c] })),
        },
      ],
    });
  }
  tabs.children.push(
    {
      name: 'tab',
      attrs: { id: CONFLICTS_TAB_ID, name: 'conflicts', IsUserDefined: '0' },
      text: '',
      children: [
        label('Conflicts'),
        {
          name: 'columns',
          attrs: {},
          text: '',
          children: [
            {
              name: 'column',
              attrs: { width: '100%' },
              text: '',
              children: [{ name: 'sections', attrs: {}, text: '', children: sections }],
            },
          ],
        },
      ],
    },
    ...other,
  );
}

/** The effective definition of a merge component: its layers' changes applied bottom up. */
export function mergeLayers(bottomToTop: string[]): { xml: string | null; conflicts: number } {
  let xml: string | null = null;
  let conflicts = 0;
  for (const layer of bottomToTop) {
    const r = applyLayer(xml, layer);
    xml = r.xml;
    conflicts += r.conflicts;
  }
  return { xml, conflicts };
}

function serialize(n: Node): string {
  const attrs = Object.entries(n.attrs)
    .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
    .join('');
  const inner = (n.text ? escapeXml(n.text) : '') + n.children.map(serialize).join('');
  return inner ? `<${n.name}${attrs}>${inner}</${n.name}>` : `<${n.name}${attrs} />`;
}
