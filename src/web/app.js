// strata web UI: sign-in, solutions list, a solution's components, a component's layers, history,
// and the tables with their records (tables.js).
// Plain ES modules, no build step; views are chosen by the address's #/... part.
import { api, ApiError, download, getToken, setToken } from './api.js';
import { acceptLossBox, dataAtRiskBlock, losesData, otherRefusals } from './data-risk.js';
import {
  clear,
  errorBox,
  fmtDate,
  focusHeading,
  h,
  plainHint,
  table,
  componentTypeLabel,
  yesNo,
} from './dom.js';
import { newEnvironmentButton } from './environments.js';
import { publishSelection, removeActiveButton, solutionCommands } from './manage.js';
import { showTable, showTables } from './tables.js';
import { openImportWizard } from './wizard.js';

const main = document.getElementById('main');
const envName = document.getElementById('env-name');
const nav = document.getElementById('nav');
const notice = document.getElementById('notice');

let environment = null;

// A token in the address (#token=...) is taken and removed from the address bar at once.
const fromHash = new URLSearchParams(location.hash.replace(/^#\/?/, '')).get('token');
if (fromHash) {
  setToken(fromHash);
  history.replaceState(null, '', `${location.pathname}${location.search}#/`);
}

function notify(text, kind = 'ok') {
  clear(notice, text ? h('p', { class: `notice ${kind}` }, text) : null);
}

/** After a screen of manage.js: show the page again, then what happened (or the error). */
async function afterManage({ message, select, error }, show = route) {
  if (select) selected = select;
  if (!error) await show();
  if (error) clear(notice, error);
  else notify(message);
}

function go(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

async function start() {
  if (!getToken()) return showSignIn();
  try {
    environment = await api('/environment');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      setToken(null);
      return showSignIn(e);
    }
    clear(main, errorBox(e, 'Could not reach the server'));
    return;
  }
  envName.textContent = `Environment: ${environment.name}`;
  nav.hidden = false;
  document.getElementById('sign-out').hidden = false;
  window.addEventListener('hashchange', route);
  route();
}

/**
 * Signs this tab in to another environment with its token (a new environment's, from New
 * environment): the current token is kept when the new one is not accepted.
 */
async function switchEnvironment(token) {
  const previous = getToken();
  setToken(token);
  try {
    environment = await api('/environment');
  } catch (e) {
    setToken(previous);
    throw e;
  }
  envName.textContent = `Environment: ${environment.name}`;
  selected = null;
  go('#/');
  notify(`Signed in to environment ${environment.name}.`);
}

function showSignIn(err) {
  nav.hidden = true;
  document.getElementById('sign-out').hidden = true;
  envName.textContent = '';
  const input = h('input', {
    type: 'password',
    id: 'token',
    name: 'token',
    autocomplete: 'off',
    spellcheck: 'false',
    required: true,
  });
  const status = h('div', {}, err ? errorBox(err, 'The token was not accepted') : null);
  const form = h(
    'form',
    {
      class: 'signin',
      onsubmit: async (ev) => {
        ev.preventDefault();
        const token = input.value.trim();
        if (!token) return;
        setToken(token);
        try {
          await api('/environment');
          start();
        } catch (e) {
          setToken(null);
          clear(status, errorBox(e, 'The token was not accepted'));
          input.focus();
        }
      },
    },
    h('h1', {}, 'Sign in to strata'),
    h(
      'p',
      {},
      'Enter an API token. A token opens one environment; whoever runs the strata server ' +
        'can give you one.',
    ),
    h('div', { class: 'field' }, h('label', { for: 'token' }, 'API token'), input),
    h(
      'p',
      { class: 'muted' },
      'The token is kept only for this browser tab (sessionStorage) ' +
        'and sent with each request as "Authorization: Bearer".',
    ),
    h('button', { type: 'submit', class: 'primary' }, 'Sign in'),
    status,
  );
  clear(main, form);
  input.focus();
}

async function route() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  try {
    if (parts[0] === 'solutions' && parts[1]) await showSolution(parts[1]);
    else if (parts[0] === 'layers' && parts[1] && parts[2])
      await showLayers(parts[1], parts.slice(2).join('/'));
    else if (parts[0] === 'history') await showHistory(parts[1]);
    else if (parts[0] === 'tables' && parts[1]) await showTable(main, parts[1]);
    else if (parts[0] === 'tables') await showTables(main);
    else await showSolutions();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      setToken(null);
      return showSignIn(e);
    }
    clear(
      main,
      h('h1', {}, 'Could not show this page'),
      errorBox(e),
      h('p', {}, h('a', { href: '#/' }, 'Back to Solutions')),
    );
    focusHeading(main);
  }
  // a solution's components and a component's layers belong to Solutions
  const section = ['history', 'tables'].includes(parts[0]) ? parts[0] : '';
  for (const a of nav.querySelectorAll('a'))
    a.toggleAttribute('aria-current', a.getAttribute('href') === `#/${section}`);
}

// ---------------- solutions ----------------

let selected = null;
/** "Show Microsoft solutions": off by default, as Dataverse hides its own solutions */
let showMicrosoft = false;

/** Which template the environment was made from, and the toggle for its Microsoft solutions. */
function templateLine(onToggle) {
  const t = environment?.template;
  const count = environment?.firstPartySolutions ?? 0;
  const made = t
    ? [
        'Made from template ',
        h('strong', {}, t),
        environment.templateTitle ? ` (${environment.templateTitle})` : '',
        count ? `, with ${count} Microsoft solution${count === 1 ? '' : 's'} below yours.` : '.',
      ]
    : 'Made empty: no System layer and no Microsoft solutions.';
  const toggle = count
    ? h(
        'label',
        { class: 'toggle' },
        h('input', {
          type: 'checkbox',
          id: 'show-microsoft',
          checked: showMicrosoft,
          onchange: (ev) => {
            showMicrosoft = ev.target.checked;
            onToggle();
          },
        }),
        ' Show Microsoft solutions',
      )
    : null;
  // only for a token that may make environments: others would only meet a refusal
  const create = environment?.canCreateEnvironments
    ? newEnvironmentButton({
        current: environment.name,
        switchTo: switchEnvironment,
        notify,
        onError: (box) => clear(notice, box),
      })
    : null;
  return h(
    'div',
    { class: 'template-line' },
    h('p', { id: 'env-template' }, made),
    h('div', { class: 'template-actions' }, toggle, create),
  );
}

async function showSolutions() {
  const listed = await api('/solutions', { query: { all: showMicrosoft } });
  // the template's solutions are listed, not managed here: no selection, no commands
  const solutions = listed.filter((s) => !s.firstParty);
  if (selected && !solutions.some((s) => s.uniqueName === selected)) selected = null;
  const holdingOf = (s) =>
    s.isHolding
      ? s
      : solutions.find((x) => x.isHolding && x.uniqueName === `${s.uniqueName}_Upgrade`);
  const current = () => solutions.find((s) => s.uniqueName === selected);

  const applyBtn = h(
    'button',
    { type: 'button', id: 'apply-upgrade', onclick: () => applyUpgrade(current()) },
    'Apply Solution Upgrade',
  );
  const exportBtn = h(
    'button',
    { type: 'button', id: 'export', onclick: () => exportSolution(current()) },
    'Export',
  );
  const deleteBtn = h(
    'button',
    { type: 'button', id: 'delete', class: 'danger', onclick: () => deleteSolution(current()) },
    'Delete',
  );
  const manage = solutionCommands({
    solutions,
    current,
    holdingOf,
    done: (out) => afterManage(out, showSolutions),
  });
  const refreshButtons = () => {
    const s = current();
    applyBtn.disabled = !s || !holdingOf(s);
    exportBtn.disabled = !s || s.isHolding;
    deleteBtn.disabled = !s;
    manage.refresh();
  };

  const toolbar = h(
    'div',
    { class: 'toolbar', role: 'toolbar', 'aria-label': 'Solution commands' },
    h(
      'button',
      {
        type: 'button',
        id: 'import',
        class: 'primary',
        onclick: () => {
          notify('');
          openImportWizard({
            onClose: (job) => {
              if (job) showSolutions();
            },
            abandonUpgrade,
          });
        },
      },
      'Import',
    ),
    applyBtn,
    h(
      'button',
      { type: 'button', id: 'publish-all', onclick: publishAll },
      'Publish All Customizations',
    ),
    exportBtn,
    deleteBtn,
    manage.buttons,
  );

  const grid = table(
    [
      {
        label: 'Select',
        class: 'sel',
        cell: (s) =>
          s.firstParty
            ? ''
            : h('input', {
                type: 'radio',
                name: 'solution',
                value: s.uniqueName,
                checked: s.uniqueName === selected,
                'aria-label': `Select ${s.uniqueName}`,
                onchange: () => {
                  selected = s.uniqueName;
                  refreshButtons();
                },
              }),
      },
      {
        label: 'Name',
        cell: (s) =>
          s.firstParty
            ? s.uniqueName
            : h(
                'a',
                {
                  href: `#/solutions/${encodeURIComponent(s.uniqueName)}`,
                  class: 'solution-link',
                },
                s.uniqueName,
              ),
      },
      {
        label: 'Display name',
        cell: (s) => [
          s.friendlyName,
          s.isHolding ? h('span', { class: 'tag' }, 'staged upgrade') : null,
          s.firstParty ? h('span', { class: 'tag managed' }, `template ${s.template}`) : null,
        ],
      },
      { label: 'Version', cell: (s) => s.version, class: 'version' },
      { label: 'Managed', cell: (s) => yesNo(s.managed) },
      { label: 'Publisher', cell: (s) => s.publisherName ?? s.publisher },
      { label: 'Installed on', cell: (s) => fmtDate(s.installedOn), class: 'nowrap' },
      { label: 'Components', cell: (s) => String(s.components), class: 'num' },
    ],
    listed,
    {
      label: 'Installed solutions',
      empty: 'No solutions are installed yet. Select Import to install one.',
      rowAttrs: (s) => ({
        dataset: { solution: s.uniqueName, ...(s.firstParty && { firstParty: 'true' }) },
      }),
    },
  );

  const toggled = async () => {
    try {
      await showSolutions();
      main.querySelector('#show-microsoft')?.focus();
    } catch (e) {
      clear(notice, errorBox(e, 'Could not list the solutions'));
    }
  };
  clear(main, h('h1', {}, 'Solutions'), templateLine(toggled), toolbar, grid);
  refreshButtons();
  focusHeading(main);
}

async function publishAll() {
  try {
    notify('Publishing all customizations…', 'working');
    const out = await api('/publish', { method: 'POST', body: {} });
    notify(
      out.published.length
        ? `Published ${out.published.length} customization(s).`
        : 'There was nothing to publish: no component has unpublished changes.',
    );
  } catch (e) {
    clear(notice, errorBox(e, 'Publish All Customizations failed'));
  }
}

/**
 * A modal confirmation; resolves true when confirmed. Esc or Cancel resolve false. With
 * `plan`, its data at risk comes first, and when it would delete records the confirm button waits
 * for the "I accept that these records will be deleted" box.
 */
function confirmDialog({ title, content, confirmLabel, danger = false, plan = null }) {
  return new Promise((resolve) => {
    let ok = false;
    const consent = losesData(plan);
    // a plan the server refuses cannot be confirmed: the refusal says why, above
    const refused = otherRefusals(plan).length > 0;
    const confirm = h(
      'button',
      {
        type: 'button',
        class: danger ? 'danger primary' : 'primary',
        disabled: consent || refused,
        onclick: () => {
          ok = true;
          dialog.close();
        },
      },
      confirmLabel,
    );
    const dialog = h(
      'dialog',
      { class: 'confirm', 'aria-labelledby': 'confirm-title' },
      h('h2', { id: 'confirm-title', class: 'dialog-title' }, title),
      h(
        'div',
        { class: 'dialog-content' },
        dataAtRiskBlock(plan),
        consent
          ? acceptLossBox('confirm-accept-data-loss', (checked) => {
              confirm.disabled = !checked || refused;
            })
          : null,
        content,
      ),
      h(
        'div',
        { class: 'dialog-footer' },
        confirm,
        h('button', { type: 'button', onclick: () => dialog.close() }, 'Cancel'),
      ),
    );
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(ok);
    });
    document.body.append(dialog);
    dialog.showModal();
    focusHeading(dialog);
  });
}

/** Closes the confirmation dialog that holds `el` (an action inside it takes over). */
const closeDialogOf = (el) => el.closest('dialog')?.close();

const lifecycleSummary = (plan) => {
  const s = plan.summary;
  return (
    `${s.solutionsRemoved} solution(s) removed, ${s.layersRemoved} layer(s) removed, ` +
    `${s.componentsDeleted} component(s) deleted.`
  );
};
/**
 * The refusals of a plan, in words; `actions(refusal)` adds the buttons that resolve one here
 * (Abandon the staged upgrade) instead of a command to type.
 */
const blockedBox = (plan, actions = () => null) =>
  otherRefusals(plan).length
    ? h(
        'div',
        { class: 'error', role: 'alert' },
        otherRefusals(plan).map((b) => [
          h('p', { class: 'error-message' }, b.message),
          plainHint(b) ? h('p', { class: 'error-hint' }, plainHint(b)) : null,
          actions(b),
        ]),
      )
    : null;

/**
 * Abandon a staged upgrade (NAME_Upgrade): asks first, with what it removes (a dry run) and its
 * data at risk, then drops the holding solution. Resolves true when it was abandoned.
 */
async function abandonUpgrade(base) {
  const path = `/solutions/${encodeURIComponent(base)}/abandon-upgrade`;
  const dry = await api(path, { method: 'POST', query: { dryRun: true } });
  const holding = dry.holding ?? { uniqueName: `${base}_Upgrade`, version: '' };
  const ok = await confirmDialog({
    title: `Abandon ${holding.uniqueName}?`,
    content: [
      h(
        'p',
        {},
        `The staged upgrade ${holding.uniqueName} ${holding.version} is removed; ` +
          `${base} ${dry.solution.version} stays installed as it is.`,
      ),
      h('p', {}, lifecycleSummary(dry)),
      blockedBox(dry),
    ],
    confirmLabel: 'Abandon Upgrade',
    danger: true,
    plan: dry,
  });
  if (!ok) return false;
  await api(path, { method: 'POST', query: { acceptDataLoss: losesData(dry) } });
  notify(`Abandoned the staged upgrade ${holding.uniqueName}; ${base} is unchanged.`);
  return true;
}

/** The button that abandons the staged upgrade a HOLDING_EXISTS refusal names. */
function abandonButton(base, after) {
  return h(
    'button',
    {
      type: 'button',
      class: 'abandon-upgrade',
      onclick: async (ev) => {
        closeDialogOf(ev.currentTarget);
        try {
          if (await abandonUpgrade(base)) await after();
        } catch (e) {
          clear(notice, errorBox(e, `Abandoning the staged upgrade of ${base} failed`));
        }
      },
    },
    'Abandon the staged upgrade',
  );
}

async function applyUpgrade(s) {
  if (!s) return;
  const base = s.isHolding ? s.uniqueName.replace(/_Upgrade$/, '') : s.uniqueName;
  try {
    const dry = await api(`/solutions/${encodeURIComponent(base)}/apply-upgrade`, {
      method: 'POST',
      query: { dryRun: true },
    });
    const ok = await confirmDialog({
      title: 'Apply Solution Upgrade',
      content: [
        h(
          'p',
          {},
          `${dry.holding?.uniqueName ?? `${base}_Upgrade`} ` +
            `${dry.holding?.version ?? ''} replaces ${base} ${dry.solution.version}.`,
        ),
        h('p', {}, lifecycleSummary(dry)),
        blockedBox(dry),
      ],
      confirmLabel: 'Apply Upgrade',
      plan: dry,
    });
    if (!ok) return;
    notify(`Applying the upgrade of ${base}…`, 'working');
    const out = await api(`/solutions/${encodeURIComponent(base)}/apply-upgrade`, {
      method: 'POST',
      query: { acceptDataLoss: losesData(dry) },
    });
    selected = base;
    await showSolutions();
    notify(
      `Upgrade applied: ${base} is now version ` +
        `${out.holding?.version ?? ''}. ${lifecycleSummary(out)}`,
    );
  } catch (e) {
    clear(notice, errorBox(e, 'Apply Solution Upgrade failed'));
  }
}

async function deleteSolution(s) {
  if (!s) return;
  try {
    const dry = await api(`/solutions/${encodeURIComponent(s.uniqueName)}`, {
      method: 'DELETE',
      query: { dryRun: true },
    });
    const ok = await confirmDialog({
      title: `Delete ${s.uniqueName}?`,
      content: [
        h(
          'p',
          {},
          s.managed
            ? `Deleting the managed solution ${s.friendlyName} ${s.version} removes ` +
                'its layers, and components that no other solution holds, with their data.'
            : `Deleting the unmanaged solution ${s.friendlyName} ${s.version} ` +
                'removes the solution container; its components stay in the environment.',
        ),
        h('p', {}, lifecycleSummary(dry)),
        blockedBox(dry, (b) =>
          b.code === 'HOLDING_EXISTS'
            ? abandonButton(s.uniqueName, async () => {
                await showSolutions();
                await deleteSolution(s);
              })
            : null,
        ),
        h('p', {}, h('strong', {}, 'This cannot be undone.')),
      ],
      confirmLabel: 'Delete',
      danger: true,
      plan: dry,
    });
    if (!ok) return;
    notify(`Deleting ${s.uniqueName}…`, 'working');
    const out = await api(`/solutions/${encodeURIComponent(s.uniqueName)}`, {
      method: 'DELETE',
      query: { acceptDataLoss: losesData(dry) },
    });
    selected = null;
    await showSolutions();
    notify(`Deleted ${s.uniqueName}. ${lifecycleSummary(out)}`);
  } catch (e) {
    clear(notice, errorBox(e, `Delete ${s.uniqueName} failed`));
  }
}

async function exportSolution(s) {
  if (!s) return;
  let managed = s.managed;
  const choice = (value, label) => {
    const id = `export-${value ? 'managed' : 'unmanaged'}`;
    return h(
      'div',
      { class: 'choice' },
      h('input', {
        type: 'radio',
        name: 'export-kind',
        id,
        checked: managed === value,
        onchange: () => {
          managed = value;
        },
      }),
      h('label', { for: id }, label),
    );
  };
  const ok = await confirmDialog({
    title: `Export ${s.uniqueName}`,
    content: h(
      'fieldset',
      {},
      h('legend', {}, 'Package type'),
      choice(false, 'Unmanaged'),
      choice(true, 'Managed'),
    ),
    confirmLabel: 'Export',
  });
  if (!ok) return;
  try {
    const name = await download(
      `/solutions/${encodeURIComponent(s.uniqueName)}/export`,
      { managed: managed ? 'true' : 'false' },
      `${s.uniqueName}.zip`,
    );
    notify(`Exported ${name}.`);
  } catch (e) {
    clear(notice, errorBox(e, `Export of ${s.uniqueName} failed`));
  }
}

// ---------------- one solution: components ----------------

async function showSolution(name) {
  const [solutions, components] = await Promise.all([
    api('/solutions'),
    api('/components', { query: { solution: name } }),
  ]);
  const s = solutions.find((x) => x.uniqueName === name);
  const filter = h('input', {
    type: 'search',
    id: 'component-filter',
    placeholder: 'name, key or type',
  });
  const holder = h('div', {});
  const publish = publishSelection({ done: afterManage });
  const draw = () => {
    const q = filter.value.trim().toLowerCase();
    const rows = q
      ? components.filter((c) =>
          `${c.name} ${c.key} ${c.type} ${componentTypeLabel(c)}`.toLowerCase().includes(q),
        )
      : components;
    clear(
      holder,
      table(
        [
          publish.column,
          { label: 'Type', cell: (c) => componentTypeLabel(c) },
          {
            label: 'Name',
            cell: (c) =>
              h(
                'a',
                { href: `#/layers/${encodeURIComponent(c.type)}/${encodeURIComponent(c.key)}` },
                c.name || c.key,
              ),
          },
          { label: 'Key', cell: (c) => h('code', {}, c.key) },
          { label: 'Layers', cell: (c) => String(c.layers), class: 'num' },
          { label: 'Top layer', cell: (c) => c.top },
          { label: 'Unpublished', cell: (c) => (c.unpublished ? 'Yes' : '') },
        ],
        rows,
        {
          label: `Components of ${name}`,
          empty: q ? 'No component matches the filter.' : 'This solution has no components.',
        },
      ),
    );
  };
  filter.addEventListener('input', draw);
  draw();
  clear(
    main,
    h(
      'nav',
      { class: 'crumbs', 'aria-label': 'Breadcrumb' },
      h('a', { href: '#/' }, 'Solutions'),
      ' › ',
      name,
    ),
    h('h1', {}, s ? `${s.friendlyName} (${s.uniqueName})` : name),
    s
      ? h(
          'dl',
          { class: 'props inline' },
          h('dt', {}, 'Version'),
          h('dd', {}, s.version),
          h('dt', {}, 'Managed'),
          h('dd', {}, yesNo(s.managed)),
          h('dt', {}, 'Publisher'),
          h('dd', {}, s.publisher),
          h('dt', {}, 'Installed on'),
          h('dd', {}, fmtDate(s.installedOn)),
          s.parentUniqueName ? [h('dt', {}, 'Patch of'), h('dd', {}, s.parentUniqueName)] : null,
        )
      : h('p', { class: 'muted' }, 'This solution is not installed (any more).'),
    h('p', {}, h('a', { href: `#/history/${encodeURIComponent(name)}` }, `History of ${name}`)),
    h('h2', {}, `Components (${components.length})`),
    h('div', { class: 'field inline' }, h('label', { for: 'component-filter' }, 'Filter'), filter),
    publish.toolbar,
    holder,
  );
  focusHeading(main);
}

// ---------------- one component: layers ----------------

async function showLayers(type, key) {
  const v = await api(`/components/${encodeURIComponent(type)}/${encodeURIComponent(key)}/layers`);
  const layerCard = (l) =>
    h(
      'section',
      { class: 'layer', 'aria-label': `Layer ${l.order}: ${l.solution}` },
      h('h2', {}, `${l.order}. ${l.solution}`, h('span', { class: `tag ${l.kind}` }, l.kind)),
      h(
        'dl',
        { class: 'props inline' },
        h('dt', {}, 'Publisher'),
        h('dd', {}, l.publisher ?? '—'),
        h('dt', {}, 'Version'),
        h('dd', {}, l.version ?? '—'),
        h('dt', {}, 'State'),
        h(
          'dd',
          {},
          [
            l.published ? 'published' : 'not published',
            l.draft ? 'unpublished draft' : null,
            l.state,
          ]
            .filter(Boolean)
            .join(', '),
        ),
        l.updatedOn ? [h('dt', {}, 'Changed on'), h('dd', {}, fmtDate(l.updatedOn))] : null,
      ),
      typeof l.changes === 'number'
        ? h(
            'p',
            { class: 'muted' },
            `Base layer: defines ${l.changes} propert${l.changes === 1 ? 'y' : 'ies'}.`,
          )
        : l.changes.length
          ? table(
              [
                { label: 'Property', cell: (c) => h('code', {}, c.path) },
                { label: 'Below', cell: (c) => c.from ?? '(none)' },
                { label: 'This layer', cell: (c) => c.to ?? '(removed)' },
              ],
              l.changes,
              { label: `Changes in ${l.solution}`, class: 'grid compact' },
            )
          : h('p', { class: 'muted' }, 'No property changes relative to the layer below.'),
    );
  clear(
    main,
    h(
      'nav',
      { class: 'crumbs', 'aria-label': 'Breadcrumb' },
      h('a', { href: '#/' }, 'Solutions'),
      ' › ',
      `${componentTypeLabel(v)} ${v.key}`,
    ),
    h('h1', {}, `Solution layers: ${v.name}`),
    h(
      'p',
      {},
      `${componentTypeLabel(v)} `,
      h('code', {}, v.key),
      `. In effect: ${v.effective ?? 'nothing (no published layer)'}. Top layer first.`,
    ),
    removeActiveButton(v, { done: afterManage }),
    v.layers.map(layerCard),
  );
  focusHeading(main);
}

// ---------------- history ----------------

/** The lines of a rollback plan (POST /rollback dryRun): what comes back, leaves and stays. */
function rollbackSummary(plan) {
  const items = [];
  for (const s of plan.solutions)
    items.push(
      s.change === 'comes-back'
        ? `${s.uniqueName} ${s.versionThen} comes back`
        : s.change === 'leaves'
          ? `${s.uniqueName} ${s.versionNow} is removed`
          : s.change === 'version'
            ? `${s.uniqueName} goes from ${s.versionNow} back to ${s.versionThen}`
            : `${s.uniqueName} ${s.versionNow} changes`,
    );
  const c = plan.components;
  items.push(
    `Components: ${c.comesBack} come back, ${c.leaves} are removed, ${c.changes} change layers`,
  );
  for (const t of plan.records.restored.tables)
    items.push(`Table ${t.table} comes back with its ${t.rows} records`);
  for (const col of plan.records.restored.columns)
    items.push(`Column ${col.table}.${col.column} comes back with its values`);
  for (const x of plan.records.purged)
    items.push(
      `Cannot restore ${x.column ? `column ${x.table}.${x.column}` : `table ${x.table}`}: ` +
        `its records were purged`,
    );
  if (plan.records.kept.length)
    items.push(`Records written since stay as they are in: ${plan.records.kept.join(', ')}`);
  return h(
    'ul',
    { class: 'rollback-plan' },
    items.map((t) => h('li', {}, t)),
  );
}

/**
 * Roll back to revision `n`: the plan first (a dry run) in a confirmation with its data at risk,
 * then the rollback. Resolves true when it ran.
 */
async function rollbackTo(n) {
  const dry = await api('/rollback', { method: 'POST', body: { to: n, dryRun: true } });
  const ok = await confirmDialog({
    title: `Roll back to revision ${n}?`,
    content: [
      h(
        'p',
        {},
        `The environment goes back from revision ${dry.plan.environmentRevision} to ${n}, ` +
          `undoing ${dry.plan.undone.length} operation(s). The rollback is a revision too: ` +
          'it can be rolled back.',
      ),
      rollbackSummary(dry.plan),
      blockedBox(dry.plan),
    ],
    confirmLabel: 'Roll Back',
    danger: true,
    plan: dry.plan,
  });
  if (!ok) return false;
  const acceptDataLoss = losesData(dry.plan) || dry.plan.records.purged.length > 0;
  const out = await api('/rollback', { method: 'POST', body: { to: n, acceptDataLoss } });
  notify(`Rolled back to revision ${n}: the environment is at revision ${out.revision}.`);
  return true;
}

/** The operations history records (the Operation filter). */
const OPERATIONS = [
  'import',
  'upgrade',
  'uninstall',
  'clone',
  'customize',
  'publish',
  'export',
  'rollback',
];
const PAGE_SIZES = [25, 50, 100];
/** The history page's filters and page; kept while the tab is open. */
const historyView = { solution: '', operation: '', result: '', top: 50, skip: 0 };

async function showHistory(solution) {
  const v = historyView;
  // the address names the solution (#/history/NAME); the other filters stay while the tab is open
  if ((solution ?? '') !== v.solution) Object.assign(v, { solution: solution ?? '', skip: 0 });
  const res = await api('/history', {
    query: {
      solution: v.solution,
      operation: v.operation,
      result: v.result,
      top: v.top,
      skip: v.skip,
    },
    raw: true,
  });
  const rows = await res.json();
  const total = Number(res.headers.get('x-total-count') ?? rows.length);
  const ms = (r) => {
    const d = new Date(r.endedOn).getTime() - new Date(r.startedOn).getTime();
    return Number.isFinite(d) ? `${(d / 1000).toFixed(2)} s` : '';
  };
  const reload = () => showHistory(v.solution || undefined).catch(showPageError);
  const select = (id, label, value, options, onchange) =>
    h(
      'div',
      { class: 'field inline' },
      h('label', { for: id }, label),
      h(
        'select',
        { id, onchange: (ev) => onchange(ev.currentTarget.value) },
        options.map(([val, text]) => h('option', { value: val, selected: val === value }, text)),
      ),
    );
  const solutionBox = h('input', {
    type: 'search',
    id: 'history-solution',
    value: v.solution,
    placeholder: 'unique name',
  });
  const filters = h(
    'form',
    {
      class: 'filters history-filters',
      role: 'search',
      'aria-label': 'Filter the history',
      onsubmit: (ev) => {
        ev.preventDefault();
        const name = solutionBox.value.trim();
        if (name === v.solution) return reload();
        go(name ? `#/history/${encodeURIComponent(name)}` : '#/history');
      },
    },
    h(
      'div',
      { class: 'field inline' },
      h('label', { for: 'history-solution' }, 'Solution'),
      solutionBox,
    ),
    select(
      'history-operation',
      'Operation',
      v.operation,
      [['', 'All operations'], ...OPERATIONS.map((o) => [o, o])],
      (val) => {
        v.operation = val;
        v.skip = 0;
        reload();
      },
    ),
    select(
      'history-result',
      'Result',
      v.result,
      [
        ['', 'All results'],
        ['success', 'success'],
        ['failure', 'failure'],
      ],
      (val) => {
        v.result = val;
        v.skip = 0;
        reload();
      },
    ),
    h('button', { type: 'submit' }, 'Filter'),
  );
  const first = total ? v.skip + 1 : 0;
  const last = v.skip + rows.length;
  const pageSize = h(
    'select',
    {
      id: 'history-top',
      onchange: (ev) => {
        v.top = Number(ev.currentTarget.value);
        v.skip = 0;
        reload();
      },
    },
    PAGE_SIZES.map((n) => h('option', { value: String(n), selected: n === v.top }, String(n))),
  );
  const pager = h(
    'div',
    { class: 'toolbar pager', role: 'toolbar', 'aria-label': 'Pages' },
    h(
      'button',
      {
        type: 'button',
        id: 'history-previous',
        disabled: v.skip === 0,
        onclick: () => {
          v.skip = Math.max(0, v.skip - v.top);
          reload();
        },
      },
      'Previous',
    ),
    h(
      'button',
      {
        type: 'button',
        id: 'history-next',
        disabled: last >= total,
        onclick: () => {
          v.skip += v.top;
          reload();
        },
      },
      'Next',
    ),
    h('label', { for: 'history-top' }, 'Operations per page'),
    pageSize,
    h(
      'p',
      { class: 'page-status', id: 'history-range', role: 'status' },
      total ? `Operations ${first}–${last} of ${total}` : 'No operations',
    ),
  );
  const filtered = v.solution || v.operation || v.result;
  clear(
    main,
    h('h1', {}, v.solution ? `Solution history: ${v.solution}` : 'Solution history'),
    filters,
    pager,
    table(
      [
        {
          label: 'Revision',
          cell: (r) => (r.revision == null ? '' : String(r.revision)),
          class: 'num',
        },
        { label: 'Started', cell: (r) => fmtDate(r.startedOn), class: 'nowrap' },
        { label: 'Solution', cell: (r) => r.solutionName },
        { label: 'Version', cell: (r) => r.solutionVersion },
        {
          label: 'Operation',
          cell: (r) => [r.operation, r.subOperation].filter(Boolean).join(' / '),
          class: 'nowrap',
        },
        { label: 'Result', cell: (r) => h('span', { class: `badge ${r.result}` }, r.result) },
        { label: 'Message', cell: (r) => r.message ?? '' },
        { label: 'Duration', cell: ms, class: 'num' },
        {
          label: 'Log',
          cell: (r) =>
            r.jobId
              ? h(
                  'button',
                  {
                    type: 'button',
                    class: 'link',
                    onclick: () =>
                      download(
                        `/jobs/${encodeURIComponent(r.jobId)}/log`,
                        { format: 'xml' },
                        'import-log.xml',
                      ).catch((e) => clear(notice, errorBox(e, 'Could not download the log'))),
                  },
                  'Download',
                )
              : '',
        },
        {
          label: 'Roll back',
          cell: (r) =>
            r.revision == null
              ? ''
              : h(
                  'button',
                  {
                    type: 'button',
                    class: 'link rollback',
                    'aria-label': `Roll back to revision ${r.revision}`,
                    onclick: () =>
                      rollbackTo(r.revision)
                        .then((done) => (done ? reload() : undefined))
                        .catch((e) => clear(notice, errorBox(e, 'The rollback failed'))),
                  },
                  'Roll back to here',
                ),
        },
      ],
      rows,
      {
        label: 'Solution history',
        empty: filtered
          ? 'No operation matches the filter.'
          : 'Nothing has happened in this environment yet.',
      },
    ),
  );
  focusHeading(main);
}

function showPageError(e) {
  clear(main, h('h1', {}, 'Could not show this page'), errorBox(e));
  focusHeading(main);
}

document.querySelector('.skip-link').addEventListener('click', (ev) => {
  ev.preventDefault();
  focusHeading(main);
});
document.getElementById('sign-out').addEventListener('click', () => {
  setToken(null);
  notify('');
  showSignIn();
});

start();
