import { entry, identity } from '../model/component.js';
import { DEFAULT_PLACE } from './customizations/context.js';
import { orderKey, writeContentTypes, type PackageLayout } from './layout.js';
import {
  applyEdits,
  child,
  children,
  escapeXml,
  parseXml,
  type TextEdit,
  type XmlElement,
} from './xml.js';
import { writeZip, type ZipFile } from './zip-writer.js';

/**
 * Writes a solution package from component definitions: the inverse of the customizations
 * reader. Each definition goes back where a solution file has it (ParsedComponent.place):
 * top-level components into their section, subcomponents into their parent's definition — an
 * attribute replaces its `<attribute PhysicalName="…" />` shell under
 * EntityInfo/entity/attributes, forms fill `<FormXml />` grouped by form type, views fill
 * `<SavedQueries />`, and so on.
 */
export interface ExportComponent {
  type: string;
  key: string;
  name: string;
  /** the definition; empty for components that are files only */
  xml: string;
  place: string | null;
  parent: { type: string; key: string } | null;
  /** a table included only as a container for its forms and views */
  shell?: boolean;
}

export interface ExportInput {
  solutionXml: string;
  /** root attributes for customizations.xml (version, languagecode, ...) */
  rootAttrs: Record<string, string>;
  components: ExportComponent[];
  files: Map<string, Uint8Array>;
  /** the imported package's layout, when strata kept it */
  layout?: PackageLayout | null;
}

/** The order sections have in Dataverse exports; others follow in the order first met. */
const SECTION_ORDER = [
  'Entities',
  'Roles',
  'Workflows',
  'FieldSecurityProfiles',
  'Templates',
  'EntityMaps',
  'EntityRelationships',
  'OrganizationSettings',
  'optionsets',
  'CustomControls',
  'EntityDataProviders',
  'SolutionPluginAssemblies',
  'SdkMessageProcessingSteps',
  'ServiceEndpoints',
  'Reports',
  'Dashboards',
  'WebResources',
  'AppModuleSiteMaps',
  'AppModules',
  'CanvasApps',
  'connectionreferences',
  'Languages',
];

/** customizations.xml, in pieces: written into the zip a batch at a time (zip-writer.ts). */
function assembleCustomizations(
  unordered: ExportComponent[],
  rootAttrs: Record<string, string>,
  layout: PackageLayout | null,
): string[] {
  const components = inDocumentOrder(unordered, layout?.order ?? []);
  const byId = new Map(components.map((c) => [identity(c.type, c.key), c]));
  const children = new Map<string, ExportComponent[]>();
  const top: ExportComponent[] = [];
  for (const c of components) {
    const place = c.place ?? DEFAULT_PLACE[c.type];
    // files only (folder-based components, file components)
    if (place === undefined || place === 'file') continue;
    if (c.parent && byId.has(identity(c.parent.type, c.parent.key)))
      entry(children, identity(c.parent.type, c.parent.key), () => []).push(c);
    else top.push(c);
  }

  const fill = (c: ExportComponent): string => {
    const kids = children.get(identity(c.type, c.key)) ?? [];
    const groups = new Map<string, string[]>();
    for (const k of kids)
      entry(groups, k.place ?? DEFAULT_PLACE[k.type] ?? '', () => []).push(fill(k));
    const xml = groups.size ? insertAll(c.xml, groups) : c.xml;
    return c.type === 'entity' ? dropShells(xml) : xml;
  };

  const sections = new Map<string, string[]>();
  const rootLevel = new Map<string, string[]>();
  for (const c of top) {
    const place = c.place ?? DEFAULT_PLACE[c.type] ?? '';
    const xml = fill(c);
    if (place === '') {
      entry(rootLevel, rootOf(xml).name, () => []).push(xml);
      continue;
    }
    const [section, ...rest] = place.split('/');
    entry(sections, section, () => []).push(rest.length ? wrap(rest, xml) : xml);
  }
  // the imported document's sections in its order, empty ones too; then any others, Languages
  // last
  const kept = layout?.customizations.sections ?? [];
  const skeletons = layout?.customizations.skeletons ?? {};
  const names = [
    ...kept,
    ...SECTION_ORDER.filter((s) => sections.has(s) && s !== 'Languages'),
    ...[...sections.keys()].filter((s) => !SECTION_ORDER.includes(s)),
    ...rootLevel.keys(),
    ...(sections.has('Languages') ? ['Languages'] : []),
  ].filter((n, i, all) => all.indexOf(n) === i);
  const attrs = Object.entries(layout?.customizations.attrs ?? rootAttrs)
    .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
    .join('');
  const parts = [`<?xml version="1.0" encoding="utf-8"?><ImportExportXml${attrs}>`];
  for (const n of names) {
    if (rootLevel.has(n)) parts.push(...rootLevel.get(n)!);
    else if (sections.has(n)) parts.push(`<${n}>`, ...sections.get(n)!, `</${n}>`);
    else parts.push(skeletons[n] ?? `<${n} />`);
  }
  parts.push('</ImportExportXml>');
  return parts;
}

/**
 * The components in the order the imported document had them (so siblings such as a step's
 * images or a table's forms come back in their order); components it did not have follow, in
 * the order given.
 */
function inDocumentOrder(components: ExportComponent[], order: string[]): ExportComponent[] {
  if (!order.length) return components;
  const at = new Map(order.map((id, i) => [id, i]));
  const rank = (c: ExportComponent): number => at.get(orderKey(c.type, c.key)) ?? order.length;
  return components
    .map((c, i) => ({ c, i, r: rank(c) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map(({ c }) => c);
}

/**
 * Nests `xml` in the containers of a place path (for a top-level place deeper than its
 * section).
 */
function wrap(steps: string[], xml: string): string {
  return steps.reduceRight((inner, step) => {
    const { name, attrs } = parseStep(step);
    return `<${name}${attrs}>${inner}</${name}>`;
  }, xml);
}

function parseStep(step: string): { name: string; attrs: string; match: Record<string, string> } {
  const m = /^([^[]+)(?:\[(.*)\])?$/.exec(step)!;
  const match: Record<string, string> = {};
  for (const pair of (m[2] ?? '').split(',').filter(Boolean)) {
    const i = pair.indexOf('=');
    match[pair.slice(0, i)] = decodeURIComponent(pair.slice(i + 1));
  }
  return {
    name: m[1],
    attrs: Object.entries(match)
      .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
      .join(''),
    match,
  };
}

/**
 * Puts `items` at `place` inside the element `xml`: follows the containers that exist (creating
 * the rest), replaces a matching shell (`<attribute PhysicalName="x" />`) with its item, and
 * appends the others at the end of the innermost container.
 */
export function insertAt(xml: string, place: string, items: string[]): string {
  const { el, missing } = containerOf(parseXml(xml, 'definition'), place);
  return applyEdits(
    xml,
    missing.length ? [madeIn(xml, el, missing, items)] : editsInto(xml, el, items),
  );
}

/**
 * Puts each group of items at its place inside the element `xml`, as insertAt does one place
 * after another, but with the element read once and its text written once. A table's columns,
 * forms and views go into its definition this way: one place after another, each reading the
 * definition again with everything put into it before, took 0.7 s of the 1.2 s an export of the
 * 10,000-component package spent writing its document. Places that reach into one another go
 * one after another as before: two places ending in the same element (or one making its
 * containers inside an element another place fills), or edits that overlap (a place inside a
 * shell another place replaces).
 */
export function insertAll(xml: string, groups: Map<string, string[]>): string {
  const oneByOne = (): string => {
    let out = xml;
    for (const [place, items] of groups) out = insertAt(out, place, items);
    return out;
  };
  if (groups.size === 1) return oneByOne();
  const root = parseXml(xml, 'definition');
  // the element each place ends in, as far as it exists: the one it fills or makes containers in
  const reached = new Set<XmlElement>();
  const edits: TextEdit[] = [];
  for (const [place, items] of groups) {
    const { el, missing } = containerOf(root, place);
    if (reached.has(el)) return oneByOne();
    reached.add(el);
    if (missing.length) edits.push(madeIn(xml, el, missing, items));
    else edits.push(...editsInto(xml, el, items));
  }
  // stable: the edits at one place stay in their places' order
  edits.sort((a, b) => a.start - b.start);
  for (let i = 1; i < edits.length; i++) if (edits[i].start < edits[i - 1].end) return oneByOne();
  return applyEdits(xml, edits);
}

/**
 * The element a place names inside `root`, as far as it exists, and the steps of the place
 * below it that do not.
 */
function containerOf(root: XmlElement, place: string): { el: XmlElement; missing: string[] } {
  const steps = place ? place.split('/') : [];
  let cur = root;
  for (let i = 0; i < steps.length; i++) {
    const { name, match } = parseStep(steps[i]);
    const next = cur.children.find(
      (c) => c.name === name && Object.entries(match).every(([k, v]) => c.attrs[k] === v),
    );
    if (!next) return { el: cur, missing: steps.slice(i) };
    cur = next;
  }
  return { el: cur, missing: [] };
}

/** The edit that makes the `missing` containers of a place at the end of `el`, with `items`. */
function madeIn(xml: string, el: XmlElement, missing: string[], items: string[]): TextEdit {
  return appendInto(xml, el, wrap(missing, items.join('')));
}

/**
 * The edits that put `items` into the container `el` of `xml`: each replaces a shell that
 * stands for it, if any, and the rest are appended at the end.
 */
function editsInto(xml: string, el: XmlElement, items: string[]): TextEdit[] {
  const edits: TextEdit[] = [];
  let inner = '';
  const taken = new Set<XmlElement>();
  for (const item of items) {
    const r = rootOf(item);
    // a shell: an empty element of the item's name whose attributes the item has
    // (`<RibbonDiffXml />`, `<attribute PhysicalName="x" />`)
    const shell = el.children.find(
      (c) =>
        c.name === r.name &&
        c.children.length === 0 &&
        !c.text.trim() &&
        !taken.has(c) &&
        Object.entries(c.attrs).every(([k, v]) => r.attrs[k] === v),
    );
    if (shell) {
      taken.add(shell);
      edits.push({ start: shell.start, end: shell.end, text: item });
    } else inner += item;
  }
  if (inner) edits.push(appendInto(xml, el, inner));
  return edits;
}

/**
 * The name and attributes of a definition's root element, read from its start tag alone (what
 * a shell is matched on); a definition that does not begin with its start tag is read whole.
 */
function rootOf(xml: string): XmlElement {
  const end = startTagEnd(xml);
  if (end < 0) return parseXml(xml, 'definition');
  const tag = xml.slice(0, end);
  return parseXml(tag.endsWith('/') ? `${tag}>` : `${tag}/>`, 'definition');
}

/** Where the start tag `xml` begins with ends (its `>`), or -1. */
function startTagEnd(xml: string): number {
  if (xml.charCodeAt(0) !== 60 || /^<[?!/]/.test(xml)) return -1;
  let quote = 0;
  for (let i = 1; i < xml.length; i++) {
    const c = xml.charCodeAt(i);
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) quote = c;
    else if (c === 62) return i;
  }
  return -1;
}

/** An edit that appends `inner` as the last content of `el` (opening a self-closing element). */
function appendInto(xml: string, el: XmlElement, inner: string): TextEdit {
  const source = xml.slice(el.start, el.end);
  if (source.endsWith('/>')) {
    const open = source.slice(0, -2).replace(/\s+$/, '');
    return { start: el.start, end: el.end, text: `${open}>${inner}</${el.name}>` };
  }
  const close = source.lastIndexOf('</');
  return { start: el.start + close, end: el.start + close, text: inner };
}

/** Attribute shells no member filled (columns the solution does not carry) are left out. */
function dropShells(xml: string): string {
  return xml.replace(/<attribute PhysicalName="[^"]*"\s*\/>/g, '');
}

/** The whole package: solution.xml, customizations.xml, [Content_Types].xml and the files. */
export function buildPackage(input: ExportInput): Uint8Array {
  const enc = new TextEncoder();
  const paths = [...input.files.keys()].sort();
  const entries = new Map<string, ZipFile>([
    [
      '[Content_Types].xml',
      enc.encode(writeContentTypes(paths, input.layout?.contentTypes ?? null)),
    ],
    ['solution.xml', enc.encode(input.solutionXml)],
    [
      'customizations.xml',
      assembleCustomizations(input.components, input.rootAttrs, input.layout ?? null),
    ],
  ]);
  for (const p of paths) if (!entries.has(p)) entries.set(p, input.files.get(p)!);
  return writeZip([...entries]);
}

/**
 * solution.xml for an export: the stored manifest with the installed version and the chosen
 * flavor.
 */
export function exportManifest(solutionXml: string, version: string, managed: boolean): string {
  const root = parseXml(solutionXml, 'solution.xml');
  void root; // validates it
  return solutionXml
    .replace(/<Version>[^<]*<\/Version>/, `<Version>${escapeXml(version)}</Version>`)
    .replace(/<Managed>[^<]*<\/Managed>/, `<Managed>${managed ? 1 : 0}</Managed>`);
}

/** A patch made by clone-patch: what its manifest says that the parent's does not. */
export interface PatchIdentity {
  uniqueName: string;
  friendlyName: string;
  parentUniqueName: string;
}

/**
 * solution.xml for a patch that has no manifest of its own (clone-patch makes it in the
 * environment): the parent's manifest, with the patch's unique name, name, version and flavor, the
 * parent named in `<ParentUniqueName>` after `<Descriptions>` (where Dataverse writes it), and
 * no root components or missing dependencies of the parent's.
 */
export function patchManifest(
  parentXml: string,
  patch: PatchIdentity,
  version: string,
  managed: boolean,
): string {
  const root = parseXml(parentXml, 'solution.xml');
  const m = child(root, 'SolutionManifest');
  if (!m) return exportManifest(parentXml, version, managed);
  const lang =
    children(child(m, 'LocalizedNames'), 'LocalizedName')[0]?.attrs.languagecode ??
    root.attrs.languagecode ??
    '1033';
  // each element's new text; the parent reference goes after <Descriptions> (or its nearest
  // predecessor) unless the manifest has one
  const texts = new Map<XmlElement, string>();
  const set = (name: string, text: (el: XmlElement) => string): void => {
    const el = child(m, name);
    if (el) texts.set(el, text(el));
  };
  const source = (el: XmlElement): string => parentXml.slice(el.start, el.end);
  set('UniqueName', () => `<UniqueName>${escapeXml(patch.uniqueName)}</UniqueName>`);
  set(
    'LocalizedNames',
    () =>
      `<LocalizedNames><LocalizedName description="${escapeXml(patch.friendlyName)}" ` +
      `languagecode="${escapeXml(lang)}" /></LocalizedNames>`,
  );
  set('Descriptions', () => '<Descriptions />');
  const parentRef = `<ParentUniqueName>${escapeXml(patch.parentUniqueName)}</ParentUniqueName>`;
  if (child(m, 'ParentUniqueName')) set('ParentUniqueName', () => parentRef);
  else {
    const after = ['Descriptions', 'LocalizedNames', 'UniqueName'].find((n) => child(m, n));
    if (after) {
      const el = child(m, after)!;
      texts.set(el, (texts.get(el) ?? source(el)) + parentRef);
    }
  }
  set('Version', () => `<Version>${escapeXml(version)}</Version>`);
  set('Managed', () => `<Managed>${managed ? 1 : 0}</Managed>`);
  set('RootComponents', () => '<RootComponents />');
  set('MissingDependencies', () => '<MissingDependencies />');
  return applyEdits(
    parentXml,
    [...texts].map(([el, text]) => ({ start: el.start, end: el.end, text })),
  );
}
