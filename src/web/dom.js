// Small DOM helpers: h() builds elements, text is always set as text (never as HTML).

/**
 * h('button', { class: 'primary', onclick: fn }, 'Import') — attributes starting with "on" become
 * listeners; `false`/`null` attributes are left out; children may be strings, nodes, arrays or
 * null.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === false || v === null || v === undefined) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k in el && typeof v !== 'string') el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export function fmtDate(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const p = (n) => String(n).padStart(2, '0');
  return (
    `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ` +
    `${p(d.getHours())}:${p(d.getMinutes())}`
  );
}

export const yesNo = (b) => (b ? 'Yes' : 'No');

/**
 * What to do next, in the UI's words. The server's hints are written for the command line
 * ("strata upgrade NAME --abandon"); where one names a command, the UI says what to do here
 * instead (by the error's code), or leaves the hint out.
 */
const UI_HINTS = {
  UNAUTHORIZED:
    'Check that you pasted the whole token. A revoked token no longer works: ask whoever ' +
    'runs the strata server for a new one.',
  HOLDING_EXISTS:
    'Finish the staged upgrade with Apply Solution Upgrade on the Solutions page, or abandon ' +
    'it, then try again.',
  VERSION_LOWER: 'Import a version higher than the installed one.',
  SOLUTION_HAS_PATCHES: 'Roll the patches up into the solution, or delete them, then import again.',
  SOLUTION_NOT_FOUND: 'The Solutions page shows what is installed.',
  ENVIRONMENT_NOT_FOUND: 'Sign out and sign in with a token of an environment that exists.',
  ENVIRONMENT_CREATE_FORBIDDEN:
    'Ask whoever runs the strata server to make the environment, or for a token that may ' +
    'make environments.',
  PATCH_VERSION_INVALID:
    "A patch keeps its solution's major and minor numbers and takes a higher build: change " +
    'the version above (the one filled in fits).',
  CLONE_VERSION_INVALID:
    'A clone takes a higher major or minor number than the solution and its patches: change ' +
    'the version above (the one filled in fits).',
};
const COMMAND_WORDS = /\bstrata\s+(?!server\b)[a-z]|(^|\s)--[a-z]|\bcurl\b/;

export function plainHint(err) {
  if (!err) return '';
  if (err.hint && !COMMAND_WORDS.test(err.hint)) return err.hint;
  return UI_HINTS[err.code] ?? '';
}

/** An error as words: the message, then the hint, with the code small (for support). */
export function errorBox(err, title = 'Something went wrong') {
  const hint = plainHint(err);
  return h(
    'div',
    { class: 'error', role: 'alert' },
    h('p', { class: 'error-title' }, title),
    h('p', { class: 'error-message' }, err?.message || String(err)),
    hint ? h('p', { class: 'error-hint' }, hint) : null,
    err?.code ? h('p', { class: 'error-code' }, `Code: ${err.code}`) : null,
  );
}

/** A simple table: columns = [{ label, cell(row) }]. */
export function table(columns, rows, opts = {}) {
  return h(
    'table',
    { class: opts.class ?? 'grid', 'aria-label': opts.label ?? null },
    opts.caption ? h('caption', {}, opts.caption) : null,
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        columns.map((c) => h('th', { scope: 'col', class: c.class ?? null }, c.label)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.length
        ? rows.map((r) =>
            h(
              'tr',
              opts.rowAttrs ? opts.rowAttrs(r) : {},
              columns.map((c) =>
                h('td', { class: c.class ?? null, 'data-label': c.label }, c.cell(r)),
              ),
            ),
          )
        : h(
            'tr',
            {},
            h(
              'td',
              { colspan: String(columns.length), class: 'empty' },
              opts.empty ?? 'Nothing to show.',
            ),
          ),
    ),
  );
}

/**
 * Type names as people read them ("savedquery" → "View"), as Power Apps shows them: the server's
 * one table (src/model/component-type-names.ts), fetched once; the raw name if it is unreachable.
 */
const TYPE_LABELS = await fetch('/component-types.json')
  .then((r) => (r.ok ? r.json() : {}))
  .catch(() => ({}));
export const typeLabel = (t) => TYPE_LABELS[t] ?? t;
/** A component's type as people read it: a workflow's by its Category ("Cloud flow"). */
export const componentTypeLabel = (c) => typeLabel(c.displayType ?? c.type);

export function focusHeading(container) {
  const heading = container.querySelector('h1, h2, h3');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus();
  }
}
