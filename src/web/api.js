// The JSON API client: every request carries the token kept in sessionStorage; errors become
// ApiError with the server's words (message, hint), never a bare status code.

const TOKEN_KEY = 'strata.token';

export function getToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(token) {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

export class ApiError extends Error {
  constructor(status, error) {
    super(error?.message || `The server answered ${status}.`);
    this.status = status;
    this.code = error?.code || `HTTP_${status}`;
    this.hint = error?.hint || '';
    this.component = error?.component;
    this.details = error?.details;
  }
}

/**
 * Calls /api/v1 + path. `body`: an ArrayBuffer/Uint8Array/Blob is sent as raw bytes (a package),
 * anything else as JSON. `raw: true` returns the Response (downloads).
 */
export async function api(path, opts = {}) {
  const { method = 'GET', body, query, raw = false, contentType } = opts;
  const url = new URL(`/api/v1${path}`, location.origin);
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined && v !== null && v !== '' && v !== false)
      url.searchParams.set(k, String(v));
  }
  const headers = { Authorization: `Bearer ${getToken() ?? ''}` };
  let payload;
  if (body instanceof ArrayBuffer || body instanceof Uint8Array || body instanceof Blob) {
    payload = body;
    headers['Content-Type'] = contentType || 'application/octet-stream';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
  }
  let res;
  try {
    res = await fetch(url, { method, headers, body: payload });
  } catch {
    throw new ApiError(0, {
      code: 'NETWORK',
      message: 'The server did not answer.',
      hint: 'Check that the strata server is still running, then try again.',
    });
  }
  if (!res.ok) {
    let error;
    try {
      error = (await res.json()).error;
    } catch {
      error = undefined;
    }
    throw new ApiError(
      res.status,
      error ?? { message: `The server answered ${res.status} ${res.statusText}.` },
    );
  }
  return raw ? res : res.json();
}

/** Fetches a file (with the token) and hands it to the browser as a download. */
export async function download(path, query, fallbackName) {
  const res = await api(path, { query, raw: true });
  const disposition = res.headers.get('content-disposition') ?? '';
  const m = disposition.match(/filename="([^"]+)"/);
  const name = m ? m[1] : fallbackName;
  const blob = await res.blob();
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10000);
  return name;
}
