import { PackageError } from '../model/errors.js';
import { keepShape } from '../model/shapes.js';

/**
 * A small, strict, non-validating XML reader built for solution files. It refuses what XML 1.0
 * forbids, DTDs and entity declarations, and nesting past MAX_XML_DEPTH, and reads any input,
 * however hostile, in one pass (time in proportion to its length).
 *
 * Why not a library: strata needs the source offsets of every element (a component's original
 * XML fragment is sliced from the file, byte for byte, for faithful export), and it must refuse
 * DTDs and entity declarations outright (no entity expansion, no external fetches). Both are
 * simple to guarantee here and awkward to bolt onto general parsers.
 */

/** V8 makes a slice this long or longer a view of its source, not a copy. */
const SLICE_MIN = 13;

/**
 * `s` as a string of its own, not a view into the document it was sliced from. V8 keeps a slice
 * of 13 characters or more as a view that holds its whole source alive: one component name or
 * GUID sliced from a 113 MB customizations.xml would keep all of it after the package lets its
 * text go (package/read.ts releaseText). Concatenation flattens into a new string; the slice
 * taken from that is a view of the copy.
 */
export function own(s: string): string {
  return s.length < SLICE_MIN ? s : (' ' + s).slice(1);
}

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

/**
 * How deep elements may nest. Real solution files nest at most 32 levels (a workflow's XAML; forms
 * reach about 20); the bound keeps the tree walks that consume the result (properties, merges,
 * placement) far from the call stack's limit.
 */
export const MAX_XML_DEPTH = 256;

/**
 * XML 1.0's Char production (https://www.w3.org/TR/xml/#charsets), which every character of a
 * document and every character reference must satisfy.
 */
const CHAR_RULE =
  'XML 1.0 allows only tab, line feed, carriage return and the characters from U+0020 on, ' +
  'except the surrogates U+D800–U+DFFF, U+FFFE and U+FFFF';

/** UTF-16 code units no Char can contain (lone surrogates are found apart: see firstForbidden) */
const FORBIDDEN_UNIT = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function isXmlChar(cp: number): boolean {
  return cp < 0x20
    ? cp === 9 || cp === 10 || cp === 13
    : cp <= 0xd7ff || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function isDigit(c: number, hexDigit: boolean): boolean {
  return (c >= 48 && c <= 57) || (hexDigit && ((c >= 97 && c <= 102) || (c >= 65 && c <= 70)));
}

// ASCII name characters (the Name production); other characters are checked by NAME_UNICODE
const NAME_START = 1;
const NAME_CHAR = 2;
const ASCII_NAME = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z_:]/.test(ch)) ASCII_NAME[c] = NAME_START | NAME_CHAR;
  else if (/[0-9.-]/.test(ch)) ASCII_NAME[c] = NAME_CHAR;
}
const NAME_UNICODE = new RegExp(
  '^[:A-Z_a-z\\u{C0}-\\u{D6}\\u{D8}-\\u{F6}\\u{F8}-\\u{2FF}\\u{370}-\\u{37D}\\u{37F}-\\u{1FFF}' +
    '\\u{200C}-\\u{200D}\\u{2070}-\\u{218F}\\u{2C00}-\\u{2FEF}\\u{3001}-\\u{D7FF}' +
    '\\u{F900}-\\u{FDCF}\\u{FDF0}-\\u{FFFD}\\u{10000}-\\u{EFFFF}]' +
    '[-.0-9:A-Z_a-z\\u{B7}\\u{C0}-\\u{D6}\\u{D8}-\\u{F6}\\u{F8}-\\u{37D}\\u{37F}-\\u{1FFF}' +
    '\\u{200C}-\\u{200D}\\u{203F}-\\u{2040}\\u{2070}-\\u{218F}\\u{2C00}-\\u{2FEF}' +
    '\\u{3001}-\\u{D7FF}\\u{F900}-\\u{FDCF}\\u{FDF0}-\\u{FFFD}\\u{10000}-\\u{EFFFF}]*$',
  'u',
);

const LT = 60;
const GT = 62;
const SLASH = 47;
const EQUALS = 61;
const QUOT = 34;
const APOS = 39;

type XmlCode = 'XML_MALFORMED' | 'XML_CHAR_FORBIDDEN' | 'XML_TOO_DEEP' | 'XML_ENTITY_FORBIDDEN';

function lineOf(src: string, offset: number): number {
  let line = 1;
  for (let at = src.indexOf('\n'); at >= 0 && at < offset; at = src.indexOf('\n', at + 1)) line++;
  return line;
}

/** A name or text quoted in a message: hostile files carry names of a megabyte. */
function shown(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

function hex(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}

/** Offset of the first character outside XML's Char production, or -1. */
function firstForbidden(src: string): number {
  const unit = FORBIDDEN_UNIT.exec(src);
  const wellFormed = (src as { isWellFormed?: () => boolean }).isWellFormed?.call(src);
  const lone = wellFormed === true ? null : LONE_SURROGATE.exec(src);
  if (!unit) return lone ? lone.index : -1;
  return lone && lone.index < unit.index ? lone.index : unit.index;
}

/**
 * The attributes of every element that has none: one frozen object, not one each (with element
 * names read once per name, this took the tree of a 113 MB customizations.xml, 2.8 M elements,
 * from 822 MB of heap to 623–637 MB, and its reader's peak RSS from 1,057 to 855 MB).
 */
const NO_ATTRS: Record<string, string> = Object.freeze({}) as Record<string, string>;

/**
 * One pass over a document: text runs are found with indexOf, markup is scanned character by
 * character, and nothing is searched twice, so every input (a megabyte-long name, an attribute
 * without '=', an unterminated comment) costs time in proportion to its length.
 */
class XmlReader {
  private pos = 0;
  private readonly stack: XmlElement[] = [];
  private readonly names = new Map<string, string>();
  private root: XmlElement | undefined;

  constructor(
    private readonly src: string,
    private readonly file: string,
    private readonly watch?: ParseWatch,
  ) {}

  /** An element has ended: tells the watcher, when it watches elements this shallow. */
  private ended(el: XmlElement): void {
    el.text = own(el.text);
    const w = this.watch;
    if (w && this.stack.length <= w.depth) w.ended(el, this.stack);
  }

  read(): XmlElement {
    this.checkChars();
    const src = this.src;
    const n = src.length;
    if (src.charCodeAt(0) === 0xfeff) this.pos = 1;
    while (this.pos < n) {
      const lt = src.indexOf('<', this.pos);
      const textEnd = lt < 0 ? n : lt;
      if (textEnd > this.pos) this.text(this.pos, textEnd);
      if (lt < 0) break;
      this.pos = lt;
      const c1 = src.charCodeAt(lt + 1);
      if (c1 === 63 /* ? */) this.processingInstruction();
      else if (c1 === 33 /* ! */) this.declaration();
      else if (c1 === SLASH) this.endTag();
      else this.startTag();
    }
    const open = this.stack[this.stack.length - 1];
    if (open) this.fail(open.start, `element <${shown(open.name)}> is not closed`);
    if (!this.root) this.fail(0, 'no root element');
    return this.root;
  }

  private fail(offset: number, what: string, code: XmlCode = 'XML_MALFORMED'): never {
    const line = lineOf(this.src, offset);
    const hint =
      code === 'XML_CHAR_FORBIDDEN'
        ? 'Remove the character (or the reference to it), or re-export the solution.'
        : code === 'XML_TOO_DEEP'
          ? 'Solution files nest a few dozen levels; this file was not made by a solution export.'
          : 'Repair or re-export the file; strata reads only well-formed XML.';
    throw new PackageError(code, `${this.file} is not well-formed XML: ${what} (line ${line}).`, {
      hint,
      details: { file: this.file, line },
    });
  }

  private checkChars(): void {
    const at = firstForbidden(this.src);
    if (at < 0) return;
    const cp = this.src.codePointAt(at)!;
    this.fail(at, `it contains the character ${hex(cp)}; ${CHAR_RULE}`, 'XML_CHAR_FORBIDDEN');
  }

  private text(from: number, to: number): void {
    const top = this.stack[this.stack.length - 1];
    const raw = this.src.slice(from, to);
    if (top) top.text += raw.indexOf('&') < 0 ? raw : this.decode(raw, from);
    else if (/[^ \t\r\n]/.test(raw)) this.fail(from, 'text outside the root element');
  }

  /**
   * Replaces the references in `raw` (which starts at `at` in the source). A loop, not a global
   * replace: V8 gathers every match of a global replace before calling back, a megabyte of '&'
   * took a second to refuse.
   */
  private decode(raw: string, at: number): string {
    let out = '';
    let from = 0;
    for (let amp = raw.indexOf('&'); amp >= 0; amp = raw.indexOf('&', from)) {
      const semi = this.referenceEnd(raw, amp, at);
      out += raw.slice(from, amp) + this.resolve(raw.slice(amp + 1, semi), at + amp);
      from = semi + 1;
    }
    return out + raw.slice(from);
  }

  /** The offset of the ';' closing the reference that starts at raw[amp]. */
  private referenceEnd(raw: string, amp: number, at: number): number {
    let p = amp + 1;
    if (raw.charCodeAt(p) === 35 /* # */) {
      const hexRef = raw.charCodeAt(p + 1) === 120; /* x */
      p += hexRef ? 2 : 1;
      while (isDigit(raw.charCodeAt(p), hexRef)) p++;
    } else {
      for (let c = raw.charCodeAt(p); c >= 128 || ASCII_NAME[c] & NAME_CHAR; c = raw.charCodeAt(p))
        p++;
    }
    if (p === amp + 1)
      this.fail(at + amp, '"&" must start a reference such as &amp;, &lt; or &#38;');
    if (raw.charCodeAt(p) !== 59 /* ; */)
      this.fail(at + amp, `reference "${shown(raw.slice(amp, p))}" lacks its ";"`);
    return p;
  }

  /** The text of the reference `&ref;` at `where`. */
  private resolve(ref: string, where: number): string {
    if (ref[0] !== '#') {
      const v = NAMED[ref];
      if (v === undefined)
        this.fail(where, `undefined entity "&${shown(ref)};"`, 'XML_ENTITY_FORBIDDEN');
      return v;
    }
    const digits = ref[1] === 'x' ? ref.slice(2) : ref.slice(1);
    const cp = digits === '' ? NaN : Number.parseInt(digits, ref[1] === 'x' ? 16 : 10);
    if (!isXmlChar(cp)) {
      const named = cp <= 0x10ffff ? `names ${hex(cp)}` : 'names no character';
      this.fail(
        where,
        `character reference "&${shown(ref)};" ${named}; ${CHAR_RULE}`,
        'XML_CHAR_FORBIDDEN',
      );
    }
    return String.fromCodePoint(cp);
  }

  /** Reads the name at `at`; `what` says whose name it is, for the message. */
  private name(at: number, what: string): string {
    const src = this.src;
    let p = at;
    let ascii = true;
    // past the end charCodeAt is NaN, which is neither below nor from 128
    for (let c = src.charCodeAt(p); c < 128 ? ASCII_NAME[c] & NAME_CHAR : c >= 128;) {
      if (c >= 128) ascii = false;
      c = src.charCodeAt(++p);
    }
    if (p === at) this.fail(at, `${what} without a name`);
    const sliced = src.slice(at, p);
    // names repeat (2.8 M elements, a few hundred names): one string each, not one per element
    let name = this.names.get(sliced);
    if (name === undefined) this.names.set(sliced, (name = own(sliced)));
    const c0 = src.charCodeAt(at);
    const valid = ascii ? (ASCII_NAME[c0] & NAME_START) !== 0 : NAME_UNICODE.test(name);
    if (!valid) this.fail(at, `"${shown(name)}" is not an XML name (${what})`);
    return name;
  }

  private skipSpace(p: number): number {
    while (isSpace(this.src.charCodeAt(p))) p++;
    return p;
  }

  private processingInstruction(): void {
    const e = this.src.indexOf('?>', this.pos + 2);
    if (e < 0) this.fail(this.pos, 'unterminated processing instruction');
    this.pos = e + 2;
  }

  /** `<!--`, `<![CDATA[`; a DOCTYPE or ENTITY is refused (no DTD, no entity expansion). */
  private declaration(): void {
    const src = this.src;
    const at = this.pos;
    if (src.startsWith('<!--', at)) {
      const e = src.indexOf('-->', at + 4);
      if (e < 0) this.fail(at, 'unterminated comment');
      this.pos = e + 3;
      return;
    }
    if (src.startsWith('<![CDATA[', at)) {
      const e = src.indexOf(']]>', at + 9);
      if (e < 0) this.fail(at, 'unterminated CDATA section');
      const top = this.stack[this.stack.length - 1];
      if (!top) this.fail(at, 'CDATA outside the root element');
      top.text += src.slice(at + 9, e);
      this.pos = e + 3;
      return;
    }
    const word = src.slice(at + 2, at + 9).toUpperCase();
    if (word.startsWith('DOCTYPE') || word.startsWith('ENTITY')) {
      throw new PackageError(
        'XML_DTD_FORBIDDEN',
        `${this.file} contains a document type or entity declaration ` +
          `(line ${lineOf(src, at)}); strata refuses such XML.`,
        {
          hint:
            'Solution files never need a DTD. Remove the ' +
            '<!DOCTYPE>/<!ENTITY> declaration or re-export the solution.',
          details: { file: this.file },
        },
      );
    }
    this.fail(at, 'unexpected markup declaration');
  }

  private endTag(): void {
    const at = this.pos;
    const name = this.name(at + 2, 'end tag');
    const p = this.skipSpace(at + 2 + name.length);
    if (p >= this.src.length) this.fail(at, 'unterminated end tag');
    if (this.src.charCodeAt(p) !== GT) this.fail(p, `unexpected text in end tag </${shown(name)}>`);
    const top = this.stack.pop();
    if (!top) this.fail(at, `end tag </${shown(name)}> without a start tag`);
    if (top.name !== name)
      this.fail(at, `end tag </${shown(name)}> does not match <${shown(top.name)}>`);
    top.end = p + 1;
    this.pos = p + 1;
    if (this.stack.length === 0) this.root = top;
    this.ended(top);
  }

  private startTag(): void {
    const src = this.src;
    const at = this.pos;
    const name = this.name(at + 1, 'element');
    const attrs: Record<string, string> = {};
    let p = at + 1 + name.length;
    let selfClosing = false;
    let count = 0;
    for (;;) {
      const spaced = this.skipSpace(p);
      const c = src.charCodeAt(spaced);
      if (c === GT) {
        p = spaced + 1;
        break;
      }
      if (c === SLASH && src.charCodeAt(spaced + 1) === GT) {
        selfClosing = true;
        p = spaced + 2;
        break;
      }
      if (spaced >= src.length) this.fail(at, `unterminated start tag <${shown(name)}>`);
      if (c === LT) this.fail(spaced, 'unexpected "<" inside a tag');
      if (spaced === p) this.fail(p, `bad attribute syntax in <${shown(name)}>`);
      p = this.attribute(spaced, name, attrs);
      count++;
    }
    this.open(
      { name, attrs: count ? attrs : NO_ATTRS, children: [], text: '', start: at, end: p },
      selfClosing,
    );
    this.pos = p;
  }

  /** Reads `name="value"` at `at` into `attrs`; returns the offset after it. */
  private attribute(at: number, element: string, attrs: Record<string, string>): number {
    const src = this.src;
    const name = this.name(at, `an attribute of <${shown(element)}>`);
    let p = this.skipSpace(at + name.length);
    if (src.charCodeAt(p) !== EQUALS)
      this.fail(at, `attribute ${shown(name)} of <${shown(element)}> has no "=" and value`);
    p = this.skipSpace(p + 1);
    const quote = src.charCodeAt(p);
    if (quote !== QUOT && quote !== APOS)
      this.fail(p, `the value of ${shown(name)} in <${shown(element)}> is not quoted`);
    const close = src.indexOf(quote === QUOT ? '"' : "'", p + 1);
    if (close < 0)
      this.fail(at, `the value of ${shown(name)} in <${shown(element)}> is not closed`);
    const raw = src.slice(p + 1, close);
    const lt = raw.indexOf('<');
    if (lt >= 0) this.fail(p + 1 + lt, `"<" in the value of ${shown(name)} (write &lt;)`);
    if (Object.hasOwn(attrs, name))
      this.fail(at, `attribute ${shown(name)} appears twice in <${shown(element)}>`);
    const value = own(raw.indexOf('&') < 0 ? raw : this.decode(raw, p + 1));
    if (name === '__proto__')
      Object.defineProperty(attrs, name, { value, enumerable: true, writable: true });
    else attrs[name] = value;
    return close + 1;
  }

  private open(el: XmlElement, selfClosing: boolean): void {
    const parent = this.stack[this.stack.length - 1];
    if (this.stack.length >= MAX_XML_DEPTH)
      this.fail(
        el.start,
        `elements nest deeper than ${MAX_XML_DEPTH} levels (<${shown(el.name)}>)`,
        'XML_TOO_DEEP',
      );
    if (parent) parent.children.push(el);
    else if (this.root) this.fail(el.start, 'more than one root element');
    if (!selfClosing) this.stack.push(el);
    else {
      if (!parent) this.root = el;
      this.ended(el);
    }
  }
}

// the hidden class of a reader outlives each parse (model/shapes.ts)
keepShape(new XmlReader('', 'kept'));

/**
 * Parses `src` (already decoded to a string) and returns the root element. Refuses what XML 1.0
 * forbids (characters outside its Char production, references to them, malformed markup), DTDs
 * and entity declarations, and nesting deeper than MAX_XML_DEPTH, each with the file and line.
 */
export function parseXml(src: string, file = 'XML', watch?: ParseWatch): XmlElement {
  return new XmlReader(src, file, watch).read();
}

/**
 * Told of each element of at most `depth` ancestors as soon as it ends, while the rest of the
 * document is still unread: a reader can take what it needs from a subtree and empty it, so that
 * a large document is never whole in memory as a tree (package/customizations/parse.ts).
 * `ancestors` are the open elements, the root first; only read them.
 */
export interface ParseWatch {
  depth: number;
  ended(el: XmlElement, ancestors: readonly XmlElement[]): void;
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

/** A change to a document's text: [start, end) becomes `text`. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/**
 * `src` from `from` to `to`, with `edits` made: they lie in that range and do not overlap; edits
 * at one place are made in their order. The text is written once.
 */
export function applyEdits(
  src: string,
  edits: readonly TextEdit[],
  from = 0,
  to = src.length,
): string {
  const parts: string[] = [];
  let at = from;
  for (const e of [...edits].sort((a, b) => a.start - b.start)) {
    parts.push(src.slice(at, e.start), e.text);
    at = e.end;
  }
  parts.push(src.slice(at, to));
  return parts.join('');
}
