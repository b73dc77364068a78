/**
 * The `Prefer` request header as Dataverse reads it (RFC 7240 with OData's preferences):
 * `return=representation` (a create or update answers with the record), `odata.maxpagesize=N`
 * (rows per page) and `odata.include-annotations="..."` (which instance annotations records
 * carry: `*`, names, `namespace.*` patterns, and exclusions written `-name`). Unknown
 * preferences are ignored, as the RFC says.
 */
export interface Preferences {
  returnRepresentation: boolean;
  maxPageSize: number | null;
  /** the include-annotations value as sent, for Preference-Applied; null when not asked */
  annotations: string | null;
  /** whether records carry an annotation of this name */
  wantsAnnotation(name: string): boolean;
}

export function parsePrefer(header: string | string[] | undefined): Preferences {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  let returnRepresentation = false;
  let maxPageSize: number | null = null;
  let annotations: string | null = null;
  for (const item of splitOutsideQuotes(text, ',')) {
    const [name, ...rest] = splitOutsideQuotes(item, ';')[0].split('=');
    const key = name.trim().toLowerCase();
    const value = unquote(rest.join('=').trim());
    if (key === 'return' && value.toLowerCase() === 'representation') returnRepresentation = true;
    else if (key === 'odata.maxpagesize' && /^\d{1,9}$/.test(value)) maxPageSize = Number(value);
    else if (key === 'odata.include-annotations') annotations = value;
  }
  const patterns = (annotations ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  return {
    returnRepresentation,
    maxPageSize,
    annotations,
    wantsAnnotation: (n) => annotationWanted(patterns, n),
  };
}

/** OData's rule: an exclusion wins over an inclusion; `*` and `ns.*` include by pattern. */
function annotationWanted(patterns: string[], name: string): boolean {
  const matches = (p: string): boolean =>
    p === '*' || p === name || (p.endsWith('.*') && name.startsWith(p.slice(0, -1)));
  if (patterns.some((p) => p.startsWith('-') && matches(p.slice(1)))) return false;
  return patterns.some((p) => !p.startsWith('-') && matches(p));
}

function splitOutsideQuotes(text: string, separator: string): string[] {
  const out: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '"') quoted = !quoted;
    else if (text[i] === separator && !quoted) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.filter((s) => s.trim() !== '');
}

function unquote(v: string): string {
  return v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v;
}
