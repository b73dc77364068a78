import type { ParsedComponent } from './customizations/context.js';
import { escapeXml, parseXml, type XmlElement } from './xml.js';

/**
 * What a package's documents hold besides components, kept at import so that an export writes
 * them back as they were: customizations.xml's root attributes and its sections in order (the
 * empty ones too: Dataverse writes `<Roles />`, `<Templates />`, …), and the entries of
 * [Content_Types].xml.
 */
export interface PackageLayout {
  customizations: CustomizationsLayout;
  /** null for packages without a [Content_Types].xml (SolutionPackager folders) */
  contentTypes: ContentTypes | null;
  /** every component's orderKey in document order (siblings are written back in this order) */
  order: string[];
  /**
   * tables present only as containers (no EntityInfo): their element without the forms and views
   * (Name with its original case and labels, ObjectTypeCode, an empty RibbonDiffXml, ...)
   */
  shells: Record<string, string>;
}

export interface CustomizationsLayout {
  attrs: Record<string, string>;
  sections: string[];
  /** sections that held no component, as they were (an application RibbonDiffXml skeleton) */
  skeletons: Record<string, string>;
}

/** [Content_Types].xml: Default (by extension) and Override (by part name) entries, in order */
export interface ContentTypes {
  defaults: Array<{ extension: string; contentType: string }>;
  overrides: Array<{ partName: string; contentType: string }>;
}

/** Longest section kept whole when it held no component (skeletons are a few hundred bytes). */
const MAX_SKELETON = 16_384;

/**
 * customizations.xml's root attributes and top-level element names; `empty` says which sections
 * held no component, to keep them whole.
 */
export function customizationsLayout(
  src: string,
  root: XmlElement,
  empty: (section: XmlElement) => boolean,
): CustomizationsLayout {
  const skeletons: Record<string, string> = {};
  for (const c of root.children)
    if (c.children.length && c.end - c.start <= MAX_SKELETON && empty(c) && !(c.name in skeletons))
      skeletons[c.name] = src.slice(c.start, c.end);
  return { attrs: { ...root.attrs }, sections: root.children.map((c) => c.name), skeletons };
}

/** The layout of a package read: see PackageLayout. */
export function packageLayout(
  components: ParsedComponent[],
  customizations: CustomizationsLayout,
  contentTypes: ContentTypes | null,
): PackageLayout {
  const inDocument = components
    .map((c, i) => ({ c, i }))
    .sort((a, b) =>
      a.c.origin.file === b.c.origin.file
        ? a.c.origin.start - b.c.origin.start || a.i - b.i
        : a.c.origin.file < b.c.origin.file
          ? -1
          : 1,
    );
  const shells: Record<string, string> = {};
  for (const c of components) if (c.shell && c.type === 'entity') shells[c.key] = c.xml;
  return {
    customizations,
    contentTypes,
    order: inDocument.map(({ c }) => orderKey(c.type, c.key)),
    shells,
  };
}

/** The entries of a [Content_Types].xml; null when it is not one (nothing to keep). */
export function readContentTypes(xml: string): ContentTypes | null {
  let root: XmlElement;
  try {
    root = parseXml(xml, '[Content_Types].xml');
  } catch {
    return null;
  }
  if (root.name !== 'Types') return null;
  const out: ContentTypes = { defaults: [], overrides: [] };
  for (const c of root.children) {
    const contentType = c.attrs.ContentType ?? 'application/octet-stream';
    if (c.name === 'Default' && c.attrs.Extension)
      out.defaults.push({ extension: c.attrs.Extension, contentType });
    if (c.name === 'Override' && c.attrs.PartName)
      out.overrides.push({ partName: c.attrs.PartName, contentType });
  }
  return out;
}

const OCTET = 'application/octet-stream';

/**
 * [Content_Types].xml for a package holding `paths` (in the order they are written), as Dataverse
 * writes it: a Default for `xml` and for each extension met, an Override for each file without
 * an extension. Entries the imported package had keep their place and content type; new ones
 * follow them.
 */
export function writeContentTypes(paths: string[], kept: ContentTypes | null): string {
  const exts: string[] = ['xml'];
  const parts: string[] = [];
  for (const p of paths) {
    const m = /\.([A-Za-z0-9]+)$/.exec(p.split('/').pop() ?? '');
    if (!m) parts.push(`/${p}`);
    else if (!exts.includes(m[1].toLowerCase())) exts.push(m[1].toLowerCase());
  }
  const keptDefault = new Map(
    (kept?.defaults ?? []).map((d) => [d.extension.toLowerCase(), d] as const),
  );
  const keptOverride = new Map(
    (kept?.overrides ?? []).map((o) => [o.partName.toLowerCase(), o] as const),
  );
  const rank = <T>(items: T[], order: string[], key: (t: T) => string): T[] =>
    [...items].sort((a, b) => {
      const ia = order.indexOf(key(a).toLowerCase());
      const ib = order.indexOf(key(b).toLowerCase());
      if (ia < 0 || ib < 0) return ia < 0 ? (ib < 0 ? 0 : 1) : -1;
      return ia - ib;
    });
  const defaults = rank(
    exts.map((e) => keptDefault.get(e) ?? { extension: e, contentType: OCTET }),
    [...keptDefault.keys()],
    (d) => d.extension,
  );
  const overrides = rank(
    parts.map((p) => keptOverride.get(p.toLowerCase()) ?? { partName: p, contentType: OCTET }),
    [...keptOverride.keys()],
    (o) => o.partName,
  );
  return (
    '\ufeff<?xml version="1.0" encoding="utf-8"?>' +
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    defaults
      .map(
        (d) =>
          `<Default Extension="${escapeXml(d.extension)}" ` +
          `ContentType="${escapeXml(d.contentType)}" />`,
      )
      .join('') +
    overrides
      .map(
        (o) =>
          `<Override PartName="${escapeXml(o.partName)}" ` +
          `ContentType="${escapeXml(o.contentType)}" />`,
      )
      .join('') +
    '</Types>'
  );
}

/** A component in PackageLayout.order (JSON-safe, unlike identity()'s NUL separator). */
export function orderKey(type: string, key: string): string {
  return `${type}\t${key}`;
}
