import { PackageError } from '../model/errors.js';

/**
 * A small, strict, non-validating XML reader built for solution files.
 *
 * Why not a library: strata needs the source offsets of every element (a component's original
 * XML fragment is sliced from the file, byte for byte, for faithful export), and it must refuse
 * DTDs and entity declarations outright (no entity expansion, no external fetches). Both are
 * simple to guarantee here and awkward to bolt onto general parsers.
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** concatenated direct text content (entities decoded, CDATA included) */
  text: string;
  /** offset of '<' of the start tag in the source */
  start: number;
  /** offset just past the end tag (or '/>') */
  end: number;
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function lineOf(src: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < src.length; i++) if (src.charCodeAt(i) === 10) line++;
  return line;
}

function fail(
  file: string,
  src: string,
  offset: number,
  what: string,
  code: 'XML_MALFORMED' | 'XML_DTD_FORBIDDEN' | 'XML_ENTITY_FORBIDDEN' = 'XML_MALFORMED',
): never {
  throw new PackageError(
    code,
    `${file} is not well-formed XML: ${what} (line ${lineOf(src, offset)}).`,
    {
      hint: 'Repair or re-export the file; strata reads only well-formed XML.',
      details: { file, line: lineOf(src, offset) },
    },
  );
}

function decodeEntities(s: string, file = 'XML', src = s, at = 0): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|[A-Za-z][\w.-]*);?/g, (m, ref: string) => {
    if (!m.endsWith(';')) fail(file, src, at, `unterminated entity reference "${m}"`);
    if (ref[0] === '#') {
      const cp =
        ref[1] === 'x' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
      if (!Number.isFinite(cp) || cp > 0x10ffff)
        fail(file, src, at, `bad character reference "${m}"`);
      return String.fromCodePoint(cp);
    }
    const v = NAMED[ref];
    if (v === undefined) fail(file, src, at, `undefined entity "&${ref};"`, 'XML_ENTITY_FORBIDDEN');
    return v;
  });
}

const ATTR_RE = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** Parses `src` (already decoded to a string) and returns the root element. */
export function parseXml(src: string, file = 'XML'): XmlElement {
  let i = 0;
  const n = src.length;
  if (src.charCodeAt(0) === 0xfeff) i = 1;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;

  while (i < n) {
    const lt = src.indexOf('<', i);
    const textEnd = lt < 0 ? n : lt;
    if (textEnd > i) {
      const raw = src.slice(i, textEnd);
      const top = stack[stack.length - 1];
      if (top) top.text += decodeEntities(raw, file, src, i);
      else if (raw.trim() !== '') fail(file, src, i, 'text outside the root element');
    }
    if (lt < 0) break;
    i = lt;
    const c1 = src.charCodeAt(i + 1);
    if (c1 === 63 /* ? */) {
      const e = src.indexOf('?>', i + 2);
      if (e < 0) fail(file, src, i, 'unterminated processing instruction');
      i = e + 2;
      continue;
    }
    if (c1 === 33 /* ! */) {
      if (src.startsWith('<!--', i)) {
        const e = src.indexOf('-->', i + 4);
        if (e < 0) fail(file, src, i, 'unterminated comment');
        i = e + 3;
        continue;
      }
      if (src.startsWith('<![CDATA[', i)) {
        const e = src.indexOf(']]>', i + 9);
        if (e < 0) fail(file, src, i, 'unterminated CDATA section');
        const top = stack[stack.length - 1];
        if (!top) fail(file, src, i, 'CDATA outside the root element');
        top.text += src.slice(i + 9, e);
        i = e + 3;
        continue;
      }
      const word = src.slice(i + 2, i + 9).toUpperCase();
      if (word.startsWith('DOCTYPE') || word.startsWith('ENTITY')) {
        throw new PackageError(
          'XML_DTD_FORBIDDEN',
          `${file} contains a document type or entity declaration ` +
            `(line ${lineOf(src, i)}); strata refuses such XML.`,
          {
            hint:
              'Solution files never need a DTD. Remove the ' +
              '<!DOCTYPE>/<!ENTITY> declaration or re-export the solution.',
            details: { file },
          },
        );
      }
      fail(file, src, i, 'unexpected markup declaration');
    }
    if (c1 === 47 /* / */) {
      const e = src.indexOf('>', i + 2);
      if (e < 0) fail(file, src, i, 'unterminated end tag');
      const name = src.slice(i + 2, e).trim();
      const top = stack.pop();
      if (!top) fail(file, src, i, `end tag </${name}> without a start tag`);
      if (top.name !== name) fail(file, src, i, `end tag </${name}> does not match <${top.name}>`);
      top.end = e + 1;
      i = e + 1;
      if (stack.length === 0) root = top;
      continue;
    }
    // start tag: find the closing '>' outside quotes
    let j = i + 1;
    let quote = 0;
    for (; j < n; j++) {
      const c = src.charCodeAt(j);
      if (quote) {
        if (c === quote) quote = 0;
      } else if (c === 34 || c === 39) quote = c;
      else if (c === 62 /* > */) break;
      else if (c === 60 /* < */) fail(file, src, i, 'unexpected "<" inside a tag');
    }
    if (j >= n) fail(file, src, i, 'unterminated start tag');
    const selfClosing = src.charCodeAt(j - 1) === 47;
    const body = src.slice(i + 1, selfClosing ? j - 1 : j);
    const m = /^[^\s/>]+/.exec(body);
    if (!m) fail(file, src, i, 'element without a name');
    const name = m[0];
    const attrs: Record<string, string> = {};
    const rest = body.slice(name.length);
    if (rest.trim() !== '') {
      ATTR_RE.lastIndex = 0;
      let a: RegExpExecArray | null;
      let consumed = 0;
      while ((a = ATTR_RE.exec(rest)) !== null) {
        if (rest.slice(consumed, a.index).trim() !== '')
          fail(file, src, i, `bad attribute syntax in <${name}>`);
        const v = a[2] ?? a[3] ?? '';
        attrs[a[1]] = decodeEntities(v, file, src, i);
        consumed = a.index + a[0].length;
      }
      if (rest.slice(consumed).trim() !== '')
        fail(file, src, i, `bad attribute syntax in <${name}>`);
    }
    const el: XmlElement = { name, attrs, children: [], text: '', start: i, end: j + 1 };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    else if (root) fail(file, src, i, 'more than one root element');
    if (!selfClosing) stack.push(el);
    else if (!parent) root = el;
    i = j + 1;
  }
  if (stack.length > 0)
    fail(file, src, n, `element <${stack[stack.length - 1].name}> is not closed`);
  if (!root) fail(file, src, 0, 'no root element');
  return root;
}

/** Decodes bytes as UTF-8 (or UTF-16 with a BOM), the encodings Dynamics exports use. */
export function decodeText(bytes: Uint8Array, file: string): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe)
    return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff)
    return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new PackageError('XML_ENCODING', `${file} is not valid UTF-8 text.`, {
      hint: 'Re-export the solution; solution files are UTF-8.',
      details: { file },
    });
  }
}

// ---- small navigation helpers -------------------------------------------------------------

/** The first element named `name` below `el`, depth first (any tree of named elements). */
export function descendant<T extends { name: string; children: T[] }>(
  el: T,
  name: string,
): T | undefined {
  for (const c of el.children) {
    if (c.name === name) return c;
    const d = descendant(c, name);
    if (d) return d;
  }
  return undefined;
}

export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  if (!el) return undefined;
  for (const c of el.children) if (c.name === name) return c;
  return undefined;
}

/** First child whose name matches case-insensitively (Dataverse is inconsistent about case). */
export function childI(el: XmlElement | undefined, name: string): XmlElement | undefined {
  if (!el) return undefined;
  const l = name.toLowerCase();
  // only names of the same length are lowered: this runs for every column's properties
  for (const c of el.children) {
    const n = c.name;
    if (n === name || (n.length === l.length && n.toLowerCase() === l)) return c;
  }
  return undefined;
}

export function children(el: XmlElement | undefined, name: string): XmlElement[] {
  return el ? el.children.filter((c) => c.name === name) : [];
}

export function childText(el: XmlElement | undefined, name: string): string | undefined {
  const c = childI(el, name);
  return c ? c.text.trim() : undefined;
}

/** Escapes text for element content or attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) =>
    c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : c === '"' ? '&quot;' : '&apos;',
  );
}
