import { canonicalElement } from '../canonical.js';
import type { XmlElement } from '../xml.js';
import { guidKey, isGuid, sha256 } from './fragment.js';

/**
 * The identity of an element strata does not model in depth: the first of an id-like attribute
 * or child (`...Id`, `...id` holding a GUID), a name (`Name`, `name`, `UniqueName`, `msdyn_name`),
 * the record-reference attributes of data components (`a.b="x"`), and as a last resort a hash of
 * the element's canonical XML, so identical elements collapse and different ones never do.
 */
export function opaqueIdentity(el: XmlElement, _src?: string): { key: string; name: string } {
  for (const [k, v] of Object.entries(el.attrs)) {
    if (/id$/i.exec(k) !== null && isGuid(v))
      return { key: guidKey(v), name: el.attrs.name ?? el.attrs.Name ?? v };
  }
  for (const c of el.children) {
    if (/id$/i.exec(c.name) !== null && isGuid(c.text)) {
      const nm = el.children.find((x) => /(^|_)name$/i.exec(x.name) !== null)?.text.trim();
      return { key: guidKey(c.text), name: nm || c.text.trim() };
    }
  }
  for (const n of [
    'UniqueName',
    'uniquename',
    'Name',
    'name',
    'msdyn_uniquename',
    'msdyn_name',
    'schemaname',
    'SchemaName',
  ]) {
    const a = el.attrs[n];
    if (a) return { key: a.toLowerCase(), name: a };
    const c = el.children.find(
      (x) => x.name === n && x.children.length === 0 && x.text.trim() !== '',
    );
    if (c) return { key: c.text.trim().toLowerCase(), name: c.text.trim() };
  }
  const refAttrs = Object.entries(el.attrs).filter(([k]) => k.includes('.'));
  if (refAttrs.length) {
    const key = refAttrs
      .map(([k, v]) => `${k}=${v}`)
      .sort()
      .join(';')
      .toLowerCase();
    return { key, name: refAttrs.map(([, v]) => v).join(' / ') };
  }
  // of the canonical form: SolutionPackager re-indents what it unpacks, and a folder must read
  // into the same components as the zip it came from
  const h = sha256([canonicalElement(el)]).slice(0, 16);
  return { key: `sha256:${h}`, name: el.name };
}
