import {
  entry,
  flatString,
  identity,
  type PackageComponent,
  type Reference,
} from '../../model/component.js';
import { keepShape } from '../../model/shapes.js';
import { childText, type XmlElement } from '../xml.js';
import { sha256 } from './fragment.js';

/**
 * A component as the customizations reader produces it: the package model plus where it came
 * from.
 */
export interface ParsedComponent extends PackageComponent {
  /** offsets of the element in customizations.xml (or the file it came from) */
  origin: { file: string; start: number; end: number };
  /**
   * an entity present only as a container for its subcomponents (no EntityInfo): not a
   * definition
   */
  shell?: boolean;
  /** an unmanaged export's untouched form (`unmodified="1"`): skipped on import */
  unmodified?: boolean;
  /**
   * Where the element sits, for export: the element path from its parent component's element
   * (or from the document root when it has no parent), each step `name` or `name[attr=value]`,
   * joined with '/'. 'file' for components that are files, not elements. See placeComponents().
   */
  place?: string;
  /**
   * `xml` is exactly customizations.xml from origin.start to origin.end (not rebuilt, not
   * another file)
   */
  inDocument?: boolean;
}

/** Shared state while reading one customizations.xml. */
export class ReadContext {
  readonly components: ParsedComponent[] = [];
  readonly warnings: string[] = [];
  readonly claimedFiles = new Set<string>();
  /** each component's element, for the placement pass (not kept in the model) */
  readonly elements = new Map<ParsedComponent, XmlElement>();
  /** the package's relationships by lower-cased name: the tables on either side */
  readonly relationships = new Map<string, { referencing?: string; referenced?: string }>();
  /**
   * Form fields bound through a relationship, read before the relationships may be: their
   * references are completed when all are read (entities.ts resolveThroughRelationships)
   */
  readonly pendingThrough: Array<{
    ref: Reference;
    rel: string;
    entity: string;
    column: string;
  }> = [];
  /** the identities of the components placed so far (placeComponents) */
  readonly placed = new Set<string>();
  /** the column keys made so far (columnKey), by table, then column */
  private readonly columnKeys = new Map<string, Map<string, string>>();

  /**
   * The key of column `column` of `table` (`table.column`): one string for the column and every
   * form, view and lookup that names it, not one each (5 MB at 105,001 components, decision 63).
   * Found by table, then column, so that a key named again is not built again to be looked up.
   */
  columnKey(table: string, column: string): string {
    let columns = this.columnKeys.get(table);
    if (columns === undefined) this.columnKeys.set(table, (columns = new Map()));
    let key = columns.get(column);
    if (key === undefined) columns.set(column, (key = flatString(table, '.', column)));
    return key;
  }

  /** the section whose relationships forms may name (the document's first EntityRelationships) */
  private relationshipsSection: XmlElement | undefined;

  /** A relationship of the package: the tables on either side, for the forms that name it. */
  noteRelationship(section: XmlElement, r: XmlElement): void {
    this.relationshipsSection ??= section;
    if (this.relationshipsSection !== section || !r.attrs.Name) return;
    const side = (n: string): string | undefined => childText(r, n)?.toLowerCase();
    this.relationships.set(r.attrs.Name.toLowerCase(), {
      referencing: side('ReferencingEntityName') ?? side('FirstEntityName'),
      referenced: side('ReferencedEntityName') ?? side('SecondEntityName'),
    });
  }

  /** A form field's reference through relationship `rel`, completed later (pendingThrough). */
  throughRelationship(rel: string, entity: string, column: string): Reference {
    // a key of its own until then: two such fields are one reference exactly when they will be
    const ref: Reference = {
      type: 'attribute',
      key: `\u0000${rel}\u0000${entity}.${column}`,
      via: '',
    };
    this.pendingThrough.push({ ref, rel, entity, column });
    return ref;
  }

  /**
   * `document`: src is the package's customizations.xml itself (components sliced from it are
   * marked inDocument)
   */
  constructor(
    readonly src: string,
    readonly file: string,
    readonly files: Map<string, Uint8Array>,
    private readonly document = false,
  ) {}

  /** Finds a package file named by an element like `<FileName>/WebResources/x.js</FileName>`. */
  resolveFile(ref: string | undefined): string | undefined {
    if (!ref) return undefined;
    const p = ref.trim().replace(/\\/g, '/').replace(/^\/+/, '');
    if (!p) return undefined;
    return this.files.has(p) ? p : fileIndex(this.files).byLower.get(p.toLowerCase());
  }

  /** All package files under a folder (for custom controls, custom APIs, environment variables). */
  filesUnder(folder: string): string[] {
    const f = folder.replace(/^\/+/, '').replace(/\/?$/, '/').toLowerCase();
    const { lower, names } = fileIndex(this.files);
    const under: string[] = [];
    for (let i = firstAtLeast(lower, f); i < lower.length && lower[i].startsWith(f); i++)
      under.push(names[i]);
    return under.sort();
  }

  add(c: {
    type: string;
    key: string;
    name: string;
    el: XmlElement;
    xml?: string;
    parent?: { type: string; key: string };
    files?: (string | undefined)[];
    requires?: Reference[];
    state?: 'active' | 'inactive';
    displayType?: string;
    shell?: boolean;
    unmodified?: boolean;
    originFile?: string;
    /** where the element sits, when the reader knows it (saves the placement pass a walk) */
    place?: string;
  }): ParsedComponent {
    const xml = c.xml ?? this.src.slice(c.el.start, c.el.end);
    // most components carry no files: keep that path free of temporary arrays (10,000s per package)
    const files =
      c.files && c.files.length ? [...new Set(c.files.filter((f): f is string => !!f))].sort() : [];
    for (const f of files) this.claimedFiles.add(f);
    const hash = files.length
      ? sha256([
          xml,
          ...files.flatMap((f) => ['\u0000' + f + '\u0000', this.files.get(f) ?? new Uint8Array()]),
        ])
      : sha256([xml]);
    const pc: ParsedComponent = {
      type: c.type,
      key: c.key,
      name: c.name || c.key,
      xml,
      hash,
      origin: { file: c.originFile ?? this.file, start: c.el.start, end: c.el.end },
    };
    if (c.parent) pc.parent = c.parent;
    if (files.length) pc.files = files;
    if (c.requires && c.requires.length) pc.requires = dedupe(c.requires);
    if (c.state) pc.state = c.state;
    if (c.displayType) pc.displayType = c.displayType;
    if (c.shell) pc.shell = true;
    if (c.unmodified) pc.unmodified = true;
    if (this.document && c.xml === undefined && c.originFile === undefined) pc.inDocument = true;
    this.components.push(pc);
    if (c.place === undefined) this.elements.set(pc, c.el);
    else if (c.place !== DEFAULT_PLACE[c.type]) pc.place = c.place;
    return pc;
  }
}

// the hidden class of a reading context outlives each package read (model/shapes.ts)
keepShape(new ReadContext('', 'kept', new Map()));

/**
 * The package's file names folded to lower case, built once per package: every component
 * context of one package shares it (a context per file, each building its own, made reading a
 * package of 50,000 files quadratic).
 */
interface FileIndex {
  byLower: Map<string, string>;
  /** lower-cased names, sorted, and the name each stands for at the same position */
  lower: string[];
  names: string[];
}

const FILE_INDEXES = new WeakMap<Map<string, Uint8Array>, FileIndex>();

function fileIndex(files: Map<string, Uint8Array>): FileIndex {
  let index = FILE_INDEXES.get(files);
  if (!index) {
    const pairs = [...files.keys()].map((k) => [k.toLowerCase(), k] as const);
    pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    index = {
      byLower: new Map(pairs),
      lower: pairs.map(([l]) => l),
      names: pairs.map(([, k]) => k),
    };
    FILE_INDEXES.set(files, index);
  }
  return index;
}

/** The first position in a sorted list whose value is not below `value`. */
function firstAtLeast(sorted: string[], value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function dedupe(refs: Reference[]): Reference[] {
  if (refs.length < 2) return refs;
  // keys grouped by type: no identity string per reference (a form lists every field it shows)
  const seen = new Map<string, Set<string>>();
  let out: Reference[] | undefined;
  for (let i = 0; i < refs.length; i++) {
    const r = refs[i];
    const keys = entry(seen, r.type, () => new Set<string>());
    if (keys.has(r.key)) out ??= refs.slice(0, i);
    else {
      keys.add(r.key);
      out?.push(r);
    }
  }
  return out ?? refs;
}

/**
 * Records where every component read since the last call sits (ParsedComponent.place), so that
 * export can put a definition back where a solution file has it: an attribute under its entity's
 * EntityInfo/entity/attributes, a form under FormXml/forms[type=main], a role under Roles, ...
 * Called for each part of the document as it is read (parse.ts), whose elements are then let
 * go: `sectionOf` gives the section of the elements that are a section's children (most
 * components: found without walking). A component's place is found from its parent's element
 * when that is in the same part (a parent first read in an earlier part cannot hold it), else
 * from the root.
 */
export function placeComponents(
  ctx: ReadContext,
  root: XmlElement,
  sectionOf: ReadonlyMap<XmlElement, string>,
): void {
  const byIdentity = new Map<string, XmlElement>();
  for (const [c, el] of ctx.elements) {
    const id = identity(c.type, c.key);
    if (!byIdentity.has(id) && !ctx.placed.has(id)) byIdentity.set(id, el);
  }
  for (const [c, el] of ctx.elements) {
    if (el.end === 0) {
      c.place = 'file';
      continue;
    }
    const section = c.parent ? undefined : sectionOf.get(el);
    if (section !== undefined) {
      if (section !== DEFAULT_PLACE[c.type]) c.place = section;
      continue;
    }
    const from = (c.parent && byIdentity.get(identity(c.parent.type, c.parent.key))) || root;
    const place = pathBetween(from, el) ?? pathBetween(root, el);
    if (place !== undefined && place !== DEFAULT_PLACE[c.type]) c.place = place;
  }
  for (const c of ctx.elements.keys()) ctx.placed.add(identity(c.type, c.key));
  ctx.elements.clear();
}

/** The usual places, left out of the stored rows (most components of a package have them). */
export const DEFAULT_PLACE: Record<string, string> = {
  entity: 'Entities',
  attribute: 'EntityInfo/entity/attributes',
  savedquery: 'SavedQueries/savedqueries',
  visualization: 'Visualizations',
  entityribbon: '',
  workflow: 'Workflows',
  webresource: 'WebResources',
  optionset: 'optionsets',
  relationship: 'EntityRelationships',
  role: 'Roles',
};

/** A container in a place path: its name; a form group also its attributes (`forms[type=main]`). */
export function stepOf(el: XmlElement): string {
  // containers are found by name inside the parent; only a form's group carries a needed attribute
  const attrs =
    el.name === 'forms' ? Object.entries(el.attrs).filter(([k]) => !k.startsWith('xmlns')) : [];
  return attrs.length
    ? `${el.name}[${attrs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join(',')}]`
    : el.name;
}

function pathBetween(ancestor: XmlElement, el: XmlElement): string | undefined {
  const steps: string[] = [];
  let cur = ancestor;
  for (;;) {
    const next = cur.children.find((ch) => ch.start <= el.start && el.end <= ch.end);
    if (!next) return undefined;
    if (next === el) return steps.join('/');
    steps.push(stepOf(next));
    cur = next;
  }
}
