import { odataError } from './errors.js';

/**
 * The path of a request on a table's entity set: `set`, `set(<key>)`, and what follows them
 * (`set/$count`, `set/Microsoft.Dynamics.CRM.CreateMultiple`). A key may hold quoted text with
 * parentheses and slashes (`accounts(name='a/b (c)')`), so it is scanned, not split.
 */
export interface RecordPath {
  set: string;
  /** the text between the parentheses, or null for the collection */
  key: string | null;
  /** the segment after `/`, or null */
  rest: string | null;
}

export function recordPath(path: string): RecordPath {
  const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(path);
  if (!m) throw notFound(path);
  const set = m[0];
  let i = set.length;
  let key: string | null = null;
  if (path[i] === '(') {
    const close = closingParen(path, i);
    if (close < 0) throw notFound(path);
    key = path.slice(i + 1, close);
    i = close + 1;
  }
  if (i === path.length) return { set, key, rest: null };
  if (path[i] !== '/' || i + 1 === path.length) throw notFound(path);
  return { set, key, rest: path.slice(i + 1) };
}

/** The index of the `)` that closes the `(` at `open`, outside quoted text; -1 if none. */
function closingParen(text: string, open: number): number {
  let quoted = false;
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'") quoted = !quoted;
    else if (!quoted && ch === '(') depth++;
    else if (!quoted && ch === ')' && --depth === 0) return i;
  }
  return -1;
}

function notFound(path: string) {
  return odataError('ODATA_SEGMENT_NOT_FOUND', `Resource not found for the segment '${path}'.`);
}

/** The query string's options, each given once (`$filter` twice is refused, not guessed at). */
export function queryOptions(query: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((query ?? {}) as Record<string, unknown>)) {
    if (Array.isArray(v))
      throw odataError('ODATA_QUERY_INVALID', `The query parameter ${k} is given more than once.`);
    out[k] = String(v);
  }
  return out;
}

/**
 * The query string of the next page: the request's own, as the client wrote it, with the
 * `$skiptoken` that says where the next page starts.
 */
export function nextPageQuery(url: string, skipToken: string): string {
  const q = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  const kept = q.split('&').filter((p) => p !== '' && !/^(\$|%24)skiptoken=/i.test(p));
  return [...kept, `$skiptoken=${skipToken}`].join('&');
}
