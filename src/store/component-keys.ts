import { splitIdentity } from '../model/component.js';

/**
 * The store's form of a component's identity. SQL matches many components at once on one text
 * key, `type U+0001 key` (model/component.ts's identity() uses U+0000, which PostgreSQL text
 * cannot hold), and layers.requires keeps one such key a line. The key is built and read here
 * only; SQL_KEY is the same key computed from a row's columns.
 */
const SEPARATOR = '\u0001';

/** A row's key in SQL, to compare with `= ANY($n::text[])` against sqlKeys(). */
export const SQL_KEY = '(type || chr(1) || key)';

/** The store's key of one component. */
function sqlKey(type: string, key: string): string {
  return `${type}${SEPARATOR}${key}`;
}

/** The store's keys of the given components, for a `SQL_KEY = ANY(...)` parameter. */
export function sqlKeys(items: ReadonlyArray<{ type: string; key: string }>): string[] {
  return items.map((i) => sqlKey(i.type, i.key));
}

/** The store's key of a component named by its identity(). */
export function sqlKeyOf(id: string): string {
  const [type, key] = splitIdentity(id);
  return sqlKey(type, key);
}

/** The type and key a sqlKey() was built from; undefined for text that is not one. */
function fromSqlKey(text: string): { type: string; key: string } | undefined {
  const i = text.indexOf(SEPARATOR);
  if (i < 0) return undefined;
  return { type: text.slice(0, i), key: text.slice(i + 1) };
}

/** layers.requires: the components a layer requires, one sqlKey() a line; null for none. */
export function encodeRequires(items: ReadonlyArray<{ type: string; key: string }>): string | null {
  return items.length ? sqlKeys(items).join('\n') : null;
}

/** The components a layers.requires text names. */
export function decodeRequires(text: string): Array<{ type: string; key: string }> {
  const out: Array<{ type: string; key: string }> = [];
  for (const line of text.split('\n')) {
    const ref = fromSqlKey(line);
    if (ref?.type && ref.key) out.push(ref);
  }
  return out;
}
