import { createHash, hash } from 'node:crypto';
import type { XmlElement } from '../xml.js';

/**
 * Slices `el` out of `src`, leaving the listed descendant elements out. A removed element is
 * replaced by nothing when `keepShell` is false, or by its empty shell (`<FormXml />`) when true,
 * so the parent keeps its shape for export.
 */
export function fragmentWithout(
  src: string,
  el: XmlElement,
  remove: XmlElement[],
  keepShell = false,
): string {
  if (remove.length === 0) return src.slice(el.start, el.end);
  const sorted = [...remove].sort((a, b) => a.start - b.start);
  let out = '';
  let at = el.start;
  for (const r of sorted) {
    if (r.start < at) continue; // nested inside something already removed
    out += src.slice(at, r.start);
    if (keepShell) out += `<${r.name}${shellAttrs(r)} />`;
    at = r.end;
  }
  out += src.slice(at, el.end);
  return out;
}

const ATTR_SPECIAL = /[&"<]/;

function shellAttrs(el: XmlElement): string {
  let s = '';
  for (const k in el.attrs) {
    const v = el.attrs[k];
    const escaped = ATTR_SPECIAL.exec(v)
      ? v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')
      : v;
    s += ` ${k}="${escaped}"`;
  }
  return s;
}

export function sha256(parts: Array<string | Uint8Array>): string {
  // one-shot hashing is about twice as fast for the common case of a lone XML fragment
  if (parts.length === 1 && typeof parts[0] === 'string') return hash('sha256', parts[0], 'hex');
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
}

/** Normalizes a GUID to the form strata keys by: lower case, with braces. */
export function guidKey(raw: string): string {
  const t = raw
    .trim()
    .toLowerCase()
    .replace(/^\{|\}$/g, '');
  return `{${t}}`;
}

export function isGuid(raw: string): boolean {
  return (
    /^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$/.exec(
      raw.trim(),
    ) !== null
  );
}
