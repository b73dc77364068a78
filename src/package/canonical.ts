import { escapeXml, parseXml, type XmlElement } from './xml.js';

/**
 * A canonical form of an XML fragment, for "is this the same definition?" comparisons that must
 * not depend on formatting: attributes sorted, whitespace-only text between elements dropped,
 * text trimmed, entities decoded and re-escaped one way, empty elements written one way, the
 * namespace declarations SolutionPackager adds to file roots (xmlns:xsi) left out.
 * Element order is kept: in solution XML it carries meaning (form layout, site map order).
 */
export function canonicalXml(xml: string, file = 'XML'): string {
  return canonicalElement(parseXml(xml, file));
}

/** `canonicalXml` of an element already parsed. */
export function canonicalElement(el: XmlElement): string {
  const attrs = Object.entries(el.attrs)
    .filter(([k]) => k !== 'xmlns:xsi')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
    .join('');
  const text = el.text.trim();
  const inner = (text ? escapeXml(text) : '') + el.children.map(canonicalElement).join('');
  return inner ? `<${el.name}${attrs}>${inner}</${el.name}>` : `<${el.name}${attrs}/>`;
}
