import type { PackageComponent, Reference } from '../../model/component.js';
import type { XmlElement } from '../xml.js';
import { sha256 } from './fragment.js';

/** A component as the customizations reader produces it: the package model plus where it came from. */
export interface ParsedComponent extends PackageComponent {
  /** offsets of the element in customizations.xml (or the file it came from) */
  origin: { file: string; start: number; end: number };
  /** an entity present only as a container for its subcomponents (no EntityInfo): not a definition */
  shell?: boolean;
  /** an unmanaged export's untouched form (`unmodified="1"`): skipped on import */
  unmodified?: boolean;
}

/** Shared state while reading one customizations.xml. */
export class ReadContext {
  readonly components: ParsedComponent[] = [];
  readonly warnings: string[] = [];
  private readonly filesByLower: Map<string, string>;
  readonly claimedFiles = new Set<string>();

  constructor(readonly src: string, readonly file: string, readonly files: Map<string, Uint8Array>) {
    this.filesByLower = new Map([...files.keys()].map((k) => [k.toLowerCase(), k]));
  }

  /** Finds a package file named by an element like `<FileName>/WebResources/x.js</FileName>`. */
  resolveFile(ref: string | undefined): string | undefined {
    if (!ref) return undefined;
    const p = ref.trim().replace(/\\/g, '/').replace(/^\/+/, '');
    if (!p) return undefined;
    return this.files.has(p) ? p : this.filesByLower.get(p.toLowerCase());
  }

  /** All package files under a folder (for custom controls, custom APIs, environment variables). */
  filesUnder(folder: string): string[] {
    const f = folder.replace(/^\/+/, '').replace(/\/?$/, '/').toLowerCase();
    return [...this.files.keys()].filter((k) => k.toLowerCase().startsWith(f)).sort();
  }

  add(c: {
    type: string; key: string; name: string; el: XmlElement; xml?: string; parent?: { type: string; key: string };
    files?: (string | undefined)[]; requires?: Reference[]; state?: 'active' | 'inactive'; shell?: boolean; unmodified?: boolean; originFile?: string;
  }): ParsedComponent {
    const xml = c.xml ?? this.src.slice(c.el.start, c.el.end);
    // most components carry no files: keep that path free of temporary arrays (10,000s per package)
    const files = c.files && c.files.length ? [...new Set(c.files.filter((f): f is string => !!f))].sort() : [];
    for (const f of files) this.claimedFiles.add(f);
    const hash = files.length ? sha256([xml, ...files.flatMap((f) => ['\u0000' + f + '\u0000', this.files.get(f) ?? new Uint8Array()])]) : sha256([xml]);
    const pc: ParsedComponent = { type: c.type, key: c.key, name: c.name || c.key, xml, hash, origin: { file: c.originFile ?? this.file, start: c.el.start, end: c.el.end } };
    if (c.parent) pc.parent = c.parent;
    if (files.length) pc.files = files;
    if (c.requires && c.requires.length) pc.requires = dedupe(c.requires);
    if (c.state) pc.state = c.state;
    if (c.shell) pc.shell = true;
    if (c.unmodified) pc.unmodified = true;
    this.components.push(pc);
    return pc;
  }
}

function dedupe(refs: Reference[]): Reference[] {
  const seen = new Set<string>();
  const out: Reference[] = [];
  for (const r of refs) {
    const k = `${r.type}\u0000${r.key}`;
    if (!seen.has(k)) { seen.add(k); out.push(r); }
  }
  return out;
}
