/**
 * A component as read from a package: its identity (type + stable key), where it sits
 * (parent entity for subcomponents), the original XML fragment (kept byte for byte for
 * faithful export) and a content hash. The normalized property tree is derived from the
 * fragment on demand (see engine/properties.ts), so it is never stale.
 */
export interface PackageComponent {
  /** strata type name (model/component-types.ts) */
  type: string;
  /**
   * stable key, unique per type in an environment: entity → logical name, attribute →
   * entity.attribute, form → {guid}
   */
  key: string;
  /** display name for reports */
  name: string;
  /**
   * the name its type is shown by when the type alone does not say it: a workflow's Category
   * ("cloudflow", "businessrule"; model/component-types.ts displayTypeOf). Absent otherwise.
   */
  displayType?: string;
  /** parent component, for subcomponents (attribute → entity) */
  parent?: { type: string; key: string };
  /** original XML fragment */
  xml: string;
  /** sha-256 (hex) of xml plus attached files */
  hash: string;
  /** package files that belong to this component (web resource content, assembly, XAML, ...) */
  files?: string[];
  /** references to other components, resolved by the dependency check */
  requires?: Reference[];
  /** workflows / steps: activation state declared by the package */
  state?: 'active' | 'inactive';
}

export interface Reference {
  type: string;
  key: string;
  /** how it was found, for the error message (e.g. "lookup target", "form field") */
  via: string;
}

/**
 * One string for a component's type and key, for maps and sets that hold components of several
 * types. Build it here and take it apart with splitIdentity(), never inline.
 */
export function identity(type: string, key: string): string {
  // flat, as flatString makes it (an array of two joined: no rest parameters to gather)
  return [type, key].join('\u0000');
}

/**
 * The parts as one string laid out flat. V8 keeps `a + b`, or a template literal, of 13
 * characters or more as a pair of pointers to its parts (32 bytes, and the flat copy it makes on
 * the first lookup comes on top); the keys, names and identities of 100,000 components made so
 * took 20 MB of an import's heap (decision 63). Joining makes the flat string at once: about
 * 0.1 µs more to make, which a string used as a map key then saves on its first lookup.
 */
export function flatString(...parts: string[]): string {
  return parts.join('');
}

/** The type and key an identity() was built from. */
export function splitIdentity(id: string): [type: string, key: string] {
  const i = id.indexOf('\u0000');
  return [id.slice(0, i), id.slice(i + 1)];
}

/**
 * The value under `key`, made on first use. Hot paths keep components in maps by type, then key
 * (`entry(byType, type, () => new Set()).add(key)`), so a lookup builds no identity string.
 */
export function entry<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = make()));
  return value;
}
