// The Import Solution wizard, after Dynamics 365's Settings > Solutions > Import dialogs:
// select package → information → options → review (plan) → progress → result.
import { api, download } from './api.js';
import { acceptLossBox, dataAtRiskBlock, losesData, otherRefusals } from './data-risk.js';
import {
  clear,
  componentTypeLabel,
  errorBox,
  focusHeading,
  h,
  plainHint,
  table,
  typeLabel,
} from './dom.js';

const STEPS = ['Select package', 'Information', 'Options', 'Review', 'Importing', 'Result'];
/**
 * The step for environment variables and connections (view 6), shown after Options only when
 * the package defines any, as Power Apps' import asks for them there.
 */
const VALUES_STEP = 6;
const VALUES_LABEL = 'Connections and variables';
const STAGES = {
  queued: 'Waiting in the queue',
  read: 'Reading the package',
  validate: 'Checking dependencies',
  plan: 'Planning the changes',
  apply: 'Importing components',
  publish: 'Publishing',
  succeeded: 'Finished',
  failed: 'Stopped',
};
const TRUST_WARNING =
  'This solution package contains code that will run in your environment. Because ' +
  'this code may access or change data, import it only from a source you trust.';

/**
 * `abandonUpgrade(base)`: the Solutions page's Abandon a staged upgrade (asks first); resolves
 * true when it was abandoned. The Review step offers it when a staged upgrade blocks the import.
 */
export function openImportWizard({ onClose, abandonUpgrade } = {}) {
  const state = {
    step: 0,
    file: null,
    bytes: null,
    info: null,
    plan: null,
    /** the user ticked "I accept that these records will be deleted" for this plan */
    acceptDataLoss: false,
    job: null,
    log: null,
    busy: false,
    polling: null,
    options: { action: 'upgrade', overwrite: false, activatePlugins: false, publishChanges: false },
    /** the package defines environment variables or connection references: the values step shows */
    hasValues: false,
    /** what the user typed there: schema name → value, logical name → connection id */
    values: { variables: {}, connections: {} },
  };

  const title = h('h1', { id: 'wizard-title', class: 'dialog-title' }, 'Import Solution');
  const steps = h('ol', { class: 'steps', 'aria-label': 'Import steps' });
  const body = h('div', { class: 'wizard-body' });
  const footer = h('div', { class: 'dialog-footer' });
  const dialog = h(
    'dialog',
    { class: 'wizard', 'aria-labelledby': 'wizard-title' },
    h(
      'div',
      { class: 'dialog-head' },
      title,
      h(
        'button',
        { type: 'button', class: 'icon', 'aria-label': 'Close', onclick: () => dialog.close() },
        '×',
      ),
    ),
    steps,
    body,
    footer,
  );
  dialog.addEventListener('close', () => {
    if (state.polling) clearTimeout(state.polling);
    dialog.remove();
    onClose?.(state.job);
  });
  document.body.append(dialog);
  dialog.showModal();

  const query = () => ({
    filename: state.file?.name,
    action: state.info?.status === 'update' ? state.options.action : undefined,
    overwrite: state.info?.status === 'update' ? state.options.overwrite : undefined,
    activatePlugins: state.options.activatePlugins,
    publishChanges: state.options.publishChanges,
    acceptDataLoss: state.acceptDataLoss && losesData(state.plan),
    settings: settingsJson(),
  });
  /** The values typed in the values step as a deployment settings file (pac's format). */
  function settingsJson() {
    const vars = Object.entries(state.values.variables).filter(([, v]) => v !== '');
    const conns = Object.entries(state.values.connections).filter(([, v]) => v !== '');
    if (!vars.length && !conns.length) return undefined;
    const refs = state.plan?.parameters?.connectionReferences ?? [];
    return JSON.stringify({
      EnvironmentVariables: vars.map(([SchemaName, Value]) => ({ SchemaName, Value })),
      ConnectionReferences: conns.map(([LogicalName, ConnectionId]) => ({
        LogicalName,
        ConnectionId,
        ConnectorId: refs.find((r) => r.logicalName === LogicalName)?.connectorId ?? '',
      })),
    });
  }
  /** The views in the order the step strip shows them. */
  const order = () => (state.hasValues ? [0, 1, 2, VALUES_STEP, 3, 4, 5] : [0, 1, 2, 3, 4, 5]);
  const labelOf = (view) => (view === VALUES_STEP ? VALUES_LABEL : STEPS[view]);
  const contentType = () =>
    state.file?.name.toLowerCase().endsWith('.cab')
      ? 'application/vnd.ms-cab-compressed'
      : 'application/zip';

  function button(label, onclick, cls = '') {
    return h('button', { type: 'button', class: cls, onclick }, label);
  }

  function render(step) {
    state.step = step;
    const views = order();
    const at = views.indexOf(step);
    clear(
      steps,
      views.map((view, i) =>
        h(
          'li',
          {
            class: i < at ? 'done' : i === at ? 'current' : '',
            'aria-current': i === at ? 'step' : null,
          },
          labelOf(view),
        ),
      ),
    );
    dialog.dataset.step = String(at + 1);
    clear(body, VIEWS[step]());
    clear(footer, FOOTERS[step]());
    focusHeading(body);
  }

  /** Runs an async action with the buttons disabled and a message; errors show in the step. */
  async function busy(message, fn) {
    state.busy = true;
    // the buttons that were enabled come back on an error (a refused Import stays disabled)
    const enabled = [...footer.querySelectorAll('button')].filter((b) => !b.disabled);
    for (const b of enabled) b.disabled = true;
    const slot = body.querySelector('.step-status');
    if (slot) clear(slot, h('p', { class: 'working', role: 'status' }, message));
    try {
      await fn();
    } catch (e) {
      if (slot) clear(slot, errorBox(e, 'This step could not be completed'));
      for (const b of enabled) b.disabled = false;
    } finally {
      state.busy = false;
    }
  }

  // ---- 1. select package ----
  function viewSelect() {
    const input = h('input', {
      type: 'file',
      id: 'package-file',
      accept: '.zip,.cab',
      onchange: () => {
        state.file = input.files?.[0] ?? null;
        showSelected();
      },
    });
    const selected = h(
      'p',
      { class: 'muted selected-file', role: 'status' },
      state.file ? `Selected: ${state.file.name}` : '',
    );
    const showSelected = () => {
      selected.textContent = state.file ? `Selected: ${state.file.name}` : '';
    };
    // a package file dropped anywhere on the zone is taken as if chosen with the file input
    const drop = h(
      'div',
      {
        class: 'drop-zone',
        ondragenter: (ev) => {
          ev.preventDefault();
          drop.classList.add('over');
        },
        ondragover: (ev) => {
          ev.preventDefault();
          if (ev.dataTransfer) ev.dataTransfer.dropEffect = 'copy';
        },
        ondragleave: (ev) => {
          if (!drop.contains(ev.relatedTarget)) drop.classList.remove('over');
        },
        ondrop: (ev) => {
          ev.preventDefault();
          drop.classList.remove('over');
          const file = ev.dataTransfer?.files?.[0];
          if (!file) return;
          state.file = file;
          input.value = '';
          showSelected();
          clear(body.querySelector('.step-status'));
        },
      },
      h('p', {}, 'Drop the .zip or .cab file here, or choose it:'),
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'package-file' }, 'Solution package file'),
        input,
      ),
      selected,
    );
    return [
      h('h2', {}, 'Select Solution Package'),
      h(
        'p',
        {},
        'Select the compressed (.zip or .cab) file that contains the solution you want to import.',
      ),
      drop,
      h('div', { class: 'step-status' }),
    ];
  }
  async function next1() {
    const input = body.querySelector('#package-file');
    state.file = input?.files?.[0] ?? state.file;
    if (!state.file) {
      clear(
        body.querySelector('.step-status'),
        errorBox(
          {
            message: 'No package is selected.',
            hint:
              'Choose a .zip or .cab file with "Solution package file" (or drop it on the ' +
              'dialog), then select Next.',
          },
          'Select a file first',
        ),
      );
      input?.focus();
      return;
    }
    await busy(`Reading ${state.file.name}…`, async () => {
      state.bytes = await state.file.arrayBuffer();
      state.info = await api('/packages/inspect', {
        method: 'POST',
        body: state.bytes,
        contentType: contentType(),
        query: { filename: state.file.name },
      });
      render(1);
    });
  }

  // ---- 2. information ----
  function viewInfo() {
    const i = state.info;
    const counts = Object.entries(i.countsByType ?? {});
    return [
      h('h2', {}, 'Solution Information'),
      i.status === 'update'
        ? h(
            'div',
            { class: 'banner', role: 'note' },
            h(
              'strong',
              {},
              i.banner ||
                'This solution package contains an update ' +
                  'for a solution that is already installed.',
            ),
            i.installed
              ? h(
                  'span',
                  {},
                  ` Installed: version ${i.installed.version}, ` +
                    `${i.installed.managed ? 'managed' : 'unmanaged'}.`,
                )
              : null,
          )
        : null,
      h(
        'dl',
        { class: 'props' },
        h('dt', {}, 'Name'),
        h('dd', { class: 'info-name' }, i.displayName),
        h('dt', {}, 'Unique name'),
        h('dd', {}, i.uniqueName),
        h('dt', {}, 'Publisher'),
        h('dd', {}, `${i.publisher.displayName} (${i.publisher.uniqueName})`),
        h('dt', {}, 'Version'),
        h('dd', { class: 'info-version' }, i.version),
        h('dt', {}, 'Package type'),
        h('dd', {}, i.managed ? 'Managed' : 'Unmanaged'),
        i.parentUniqueName ? [h('dt', {}, 'Patch of'), h('dd', {}, i.parentUniqueName)] : null,
        i.description ? [h('dt', {}, 'Description'), h('dd', {}, i.description)] : null,
      ),
      i.executableCode?.length
        ? h(
            'div',
            { class: 'warning', role: 'note' },
            h('p', {}, h('strong', {}, TRUST_WARNING)),
            h(
              'ul',
              {},
              i.executableCode.map((c) =>
                h('li', {}, `${componentTypeLabel(c)}: ${c.name || c.key}`),
              ),
            ),
          )
        : null,
      h('h3', {}, `Components (${i.components})`),
      table(
        [
          { label: 'Component type', cell: (r) => typeLabel(r[0]) },
          { label: 'Count', cell: (r) => String(r[1]), class: 'num' },
        ],
        counts,
        { label: 'Components by type', class: 'grid compact' },
      ),
      i.warnings?.length
        ? h(
            'details',
            {},
            h('summary', {}, `${i.warnings.length} warning(s) from reading the package`),
            h(
              'ul',
              {},
              i.warnings.map((w) => h('li', {}, w)),
            ),
          )
        : null,
      h('div', { class: 'step-status' }),
    ];
  }

  // ---- 3. options ----
  function radio(name, value, label, help) {
    const id = `opt-${name}-${value}`;
    const input = h('input', {
      type: 'radio',
      name,
      id,
      value,
      checked: String(state.options[name]) === String(value),
      onchange: () => {
        state.options[name] = value === 'true' ? true : value === 'false' ? false : value;
      },
    });
    return h(
      'div',
      { class: 'choice' },
      input,
      h('label', { for: id }, label),
      help ? h('p', { class: 'help' }, help) : null,
    );
  }
  function checkbox(name, label, help) {
    const id = `opt-${name}`;
    const input = h('input', {
      type: 'checkbox',
      id,
      checked: !!state.options[name],
      onchange: () => {
        state.options[name] = input.checked;
      },
    });
    return h(
      'div',
      { class: 'choice' },
      input,
      h('label', { for: id }, label),
      help ? h('p', { class: 'help' }, help) : null,
    );
  }
  function viewOptions() {
    const i = state.info;
    const update = i.status === 'update';
    return [
      h('h2', {}, 'Import Options'),
      update
        ? [
            h(
              'p',
              {},
              `${i.displayName} ${i.installed?.version ?? ''} is installed. ` +
                `Choose how this package (version ${i.version}) is applied.`,
            ),
            h(
              'fieldset',
              {},
              h('legend', {}, 'Solution action'),
              radio(
                'action',
                'upgrade',
                'Upgrade (recommended)',
                'Upgrades the solution to this version and removes what ' +
                  'the new version no longer has. Patches are rolled into it.',
              ),
              radio(
                'action',
                'stage',
                'Stage for Upgrade',
                `Installs the package as ${i.uniqueName}_Upgrade beside ` +
                  'the installed version. The installed version stays ' +
                  'in force until you select Apply Solution Upgrade.',
              ),
              radio(
                'action',
                'update',
                'Update',
                "Replaces the solution's components with the package's; " +
                  'nothing is deleted, even components the new version dropped.',
              ),
            ),
            h(
              'fieldset',
              {},
              h('legend', {}, 'Customizations'),
              radio(
                'overwrite',
                'false',
                'Maintain customizations (recommended)',
                'Unmanaged customizations of these components stay on top of the new version.',
              ),
              radio(
                'overwrite',
                'true',
                'Overwrite customizations',
                "The package's definitions replace unmanaged customizations of " +
                  'these components (forms, site maps and ribbons keep merging).',
              ),
            ),
          ]
        : h(
            'p',
            {},
            `${i.displayName} is not installed in this environment: ` +
              'it will be installed as a new solution.',
          ),
      h(
        'fieldset',
        {},
        h('legend', {}, 'Processes and publishing'),
        checkbox(
          'activatePlugins',
          'Enable any SDK message processing steps included in the solution',
          'Also activates the processes (workflows) the package ' +
            'holds. Without it they are imported deactivated.',
        ),
        checkbox(
          'publishChanges',
          'Publish changes after import',
          'Publishes the imported drafts when the import succeeds (unmanaged ' +
            'packages); otherwise use Publish All Customizations later.',
        ),
      ),
      h('div', { class: 'step-status' }),
    ];
  }
  async function planNow() {
    await busy('Working out what the import would change…', async () => {
      state.plan = null;
      state.acceptDataLoss = false;
      state.plan = await api('/packages/plan', {
        method: 'POST',
        body: state.bytes,
        contentType: contentType(),
        query: query(),
      });
      const params = state.plan.parameters;
      state.hasValues = !!(params?.variables.length || params?.connectionReferences.length);
      render(state.hasValues && state.step === 2 ? VALUES_STEP : 3);
    });
  }

  // ---- 3b. connections and environment variables (when the package defines any) ----
  function viewValues() {
    const params = state.plan?.parameters ?? { variables: [], connectionReferences: [] };
    const SOURCE = {
      settings: 'the value given here',
      environment: "this environment's current value",
      package: "the solution's own value",
      default: 'the default value',
      none: 'no value',
    };
    const variable = (v) => {
      const id = `var-${v.schemaName}`;
      const typed = state.values.variables[v.schemaName];
      return h(
        'div',
        { class: 'field' },
        h(
          'label',
          { for: id },
          `${v.displayName} (${v.schemaName})`,
          v.isRequired ? h('span', { class: 'tag' }, 'required') : null,
        ),
        h('input', {
          id,
          type: 'text',
          value: typed ?? '',
          placeholder: v.value ?? v.defaultValue ?? '',
          'aria-describedby': `${id}-help`,
          oninput: (e) => {
            state.values.variables[v.schemaName] = e.target.value;
          },
        }),
        h(
          'p',
          { class: 'muted', id: `${id}-help` },
          `${v.type}. Without a value here it keeps ${SOURCE[v.source] ?? 'no value'}` +
            (v.value !== null && v.source !== 'settings' ? ` (${v.value})` : '') +
            '.',
        ),
      );
    };
    const connection = (r) => {
      const id = `conn-${r.logicalName}`;
      return h(
        'div',
        { class: 'field' },
        h('label', { for: id }, `${r.displayName} (${r.logicalName})`),
        h('input', {
          id,
          type: 'text',
          value: state.values.connections[r.logicalName] ?? '',
          placeholder: r.connectionId ?? 'connection id',
          'aria-describedby': `${id}-help`,
          oninput: (e) => {
            state.values.connections[r.logicalName] = e.target.value;
          },
        }),
        h(
          'p',
          { class: 'muted', id: `${id}-help` },
          `Connector ${r.connectorId.split('/').pop()}. ` +
            (r.connectionId ? `Uses connection ${r.connectionId} now.` : 'No connection yet.'),
        ),
      );
    };
    return [
      h('h2', {}, VALUES_LABEL),
      h(
        'p',
        {},
        'The solution defines environment variables and connection references. Their values ' +
          'belong to this environment: give them here, or leave a field empty to keep what it ' +
          'says below.',
      ),
      params.connectionReferences.length
        ? h(
            'fieldset',
            { class: 'values' },
            h('legend', {}, `Connections (${params.connectionReferences.length})`),
            params.connectionReferences.map(connection),
          )
        : null,
      params.variables.length
        ? h(
            'fieldset',
            { class: 'values' },
            h('legend', {}, `Environment variables (${params.variables.length})`),
            params.variables.map(variable),
          )
        : null,
      h('div', { class: 'step-status' }),
    ];
  }

  // ---- 4. review (the plan) ----
  function kindSentence(p) {
    const s = p.solution;
    switch (p.kind) {
      case 'new':
        return (
          `${s.friendlyName} ${s.version} will be installed as ` +
          `a new ${s.managed ? 'managed' : 'unmanaged'} solution.`
        );
      case 'patch':
        return (
          `${s.friendlyName} ${s.version} will be installed ` +
          `as a patch of ${s.parentUniqueName}.`
        );
      case 'upgrade':
        return `${s.friendlyName} will be upgraded from ${p.installed?.version} to ${s.version}.`;
      case 'stage':
        return (
          `${s.friendlyName} ${s.version} will be staged as ${s.uniqueName}; ` +
          `${p.installed?.version} stays in force until you apply the upgrade.`
        );
      case 'update':
        return (
          `${s.friendlyName} ${p.installed?.version} will be updated to ${s.version}; ` +
          'nothing is deleted.'
        );
      case 'skip':
        return (
          `${s.friendlyName} ${s.version} is not newer than the installed version: ` +
          'nothing will change.'
        );
      default:
        return `${s.friendlyName} ${s.version}: ${p.kind}.`;
    }
  }
  function viewReview() {
    const p = state.plan;
    const s = p.summary;
    const count = (label, n, cls) =>
      h(
        'div',
        { class: `count ${cls}` },
        h('span', { class: 'n' }, String(n)),
        h('span', { class: 'l' }, label),
      );
    const kept = p.customizations.filter((c) => c.effect !== 'overwritten');
    const blocked = otherRefusals(p);
    return [
      h('h2', {}, 'Review the Import'),
      dataAtRiskBlock(p),
      losesData(p)
        ? acceptLossBox('accept-data-loss', (checked) => {
            state.acceptDataLoss = checked;
            const importButton = footer.querySelector('button.import-now');
            if (importButton) importButton.disabled = !checked || blocked.length > 0;
          })
        : null,
      h('p', { class: 'plan-kind' }, kindSentence(p)),
      h(
        'div',
        { class: 'counts', role: 'group', 'aria-label': 'Component changes' },
        count('to add', s.add, 'add'),
        count('to update', s.update, 'update'),
        count('to delete', s.delete, 'delete'),
        count('unchanged', s.skip, 'skip'),
      ),
      blocked.length
        ? h(
            'div',
            { class: 'error blocked', role: 'alert' },
            h('p', { class: 'error-title' }, 'This package cannot be imported:'),
            blocked.map((b) => [
              h('p', { class: 'error-message' }, b.message),
              plainHint(b) ? h('p', { class: 'error-hint' }, plainHint(b)) : null,
              b.code === 'HOLDING_EXISTS' && abandonUpgrade
                ? h(
                    'button',
                    { type: 'button', class: 'abandon-upgrade', onclick: abandonThenPlan },
                    'Abandon the staged upgrade',
                  )
                : null,
            ]),
            p.missing.length
              ? [
                  h('p', {}, 'Missing components:'),
                  h(
                    'ul',
                    { class: 'missing' },
                    p.missing.map((m) => h('li', {}, missingText(m))),
                  ),
                ]
              : null,
          )
        : null,
      h('h3', {}, 'Customizations'),
      p.customizations.length
        ? [
            h(
              'p',
              {},
              `${s.customizationsKept} customization(s) kept, ` +
                `${s.customizationsOverwritten} overwritten.`,
            ),
            table(
              [
                { label: 'Component', cell: (c) => c.name || c.key },
                { label: 'Type', cell: (c) => componentTypeLabel(c) },
                {
                  label: 'What happens',
                  cell: (c) =>
                    c.effect === 'kept'
                      ? 'Kept (stays on top)'
                      : c.effect === 'merged'
                        ? `Merged${c.conflicts ? `, ${c.conflicts} conflict(s)` : ''}`
                        : 'Overwritten by the package',
                },
              ],
              p.customizations,
              { label: 'Customizations', class: 'grid compact' },
            ),
          ]
        : h(
            'p',
            { class: 'muted' },
            kept.length ? '' : 'No unmanaged customizations of these components.',
          ),
      p.deletes.length
        ? [
            h('h3', {}, `To delete (${p.deletes.length})`),
            h(
              'ul',
              { class: 'deletes' },
              p.deletes
                .slice(0, 50)
                .map((d) =>
                  h(
                    'li',
                    {},
                    `${componentTypeLabel(d)} ${d.name || d.key} (layer of ` +
                      `${d.solution}${d.componentGoes ? ', component removed' : ''})`,
                  ),
                ),
            ),
          ]
        : null,
      p.warnings.length
        ? h(
            'details',
            {},
            h('summary', {}, `${p.warnings.length} warning(s)`),
            h(
              'ul',
              {},
              p.warnings.map((w) => h('li', {}, w)),
            ),
          )
        : null,
      h('div', { class: 'step-status' }),
    ];
  }
  /** Abandons the staged upgrade that blocks the import, then plans again. */
  async function abandonThenPlan() {
    const p = state.plan;
    const base = p.installed?.uniqueName ?? p.solution.uniqueName.replace(/_Upgrade$/, '');
    try {
      if (await abandonUpgrade(base)) await planNow();
    } catch (e) {
      clear(
        body.querySelector('.step-status'),
        errorBox(e, 'The staged upgrade was not abandoned'),
      );
    }
  }

  async function importNow() {
    await busy('Queuing the import…', async () => {
      state.job = await api('/imports', {
        method: 'POST',
        body: state.bytes,
        contentType: contentType(),
        query: query(),
      });
      render(4);
      poll();
    });
  }

  // ---- 5. progress ----
  function viewProgress() {
    return [
      h('h2', {}, 'Importing Solution'),
      h('p', {}, `${state.info.displayName} ${state.info.version}`),
      h(
        'div',
        { class: 'progress-box' },
        h('label', { for: 'import-progress', id: 'progress-label' }, 'Starting the import…'),
        // no value until the first poll: an indeterminate (moving) bar, not an empty one
        h('progress', { id: 'import-progress', max: 100 }),
        h('p', { id: 'queue-position', role: 'status', 'aria-live': 'polite' }),
      ),
      h(
        'p',
        { class: 'muted' },
        'You can close this dialog: the import continues on ' +
          'the server, and its result appears in Solution History.',
      ),
      h('div', { class: 'step-status' }),
    ];
  }
  function showJob(job) {
    const label = body.querySelector('#progress-label');
    const bar = body.querySelector('#import-progress');
    const queue = body.querySelector('#queue-position');
    if (!label || !bar || !queue) return;
    const stage = STAGES[job.status === 'queued' ? 'queued' : job.stage] ?? job.stage;
    label.textContent = `${stage} — ${job.progress ?? 0}%`;
    bar.value = job.progress ?? 0;
    queue.textContent =
      job.status === 'queued' && job.importsAhead
        ? `${job.importsAhead} import${job.importsAhead === 1 ? '' : 's'} ahead of this one.`
        : '';
  }
  async function poll() {
    try {
      const job = await api(`/jobs/${encodeURIComponent(state.job.jobId)}`);
      state.job = job;
      showJob(job);
      if (job.status === 'succeeded' || job.status === 'failed') {
        state.log = await api(`/jobs/${encodeURIComponent(job.jobId)}/log`, {
          query: { format: 'json' },
        });
        if (dialog.open) render(5);
        return;
      }
    } catch (e) {
      const slot = body.querySelector('.step-status');
      if (slot) clear(slot, errorBox(e, "Could not read the import's progress (retrying)"));
    }
    if (dialog.open) state.polling = setTimeout(poll, 250);
  }

  // ---- 6. result ----
  function viewResult() {
    const job = state.job;
    const log = state.log;
    const ok = job.status === 'succeeded';
    const missing = log.results.filter((r) => r.type === 'dependency');
    const sum = log.summary ?? { success: 0, warning: 0, failure: 0, total: log.results.length };
    const outcome = (r) =>
      h(
        'span',
        { class: `badge ${r.result}` },
        r.result === 'success' ? 'Success' : r.result === 'warning' ? 'Warning' : 'Failure',
      );
    return [
      h(
        'h2',
        { class: ok ? 'result-ok' : 'result-failed' },
        ok
          ? `${log.solution.displayName} ${log.solution.version} was imported successfully`
          : `The import of ${log.solution.displayName} ${log.solution.version} failed`,
      ),
      log.message ? h('p', { class: ok ? '' : 'result-message' }, log.message) : null,
      missing.length
        ? h(
            'div',
            { class: 'error', role: 'alert' },
            h(
              'p',
              { class: 'error-title' },
              `Missing components (${missing.length}) — ` +
                'install the solutions that provide them first:',
            ),
            h(
              'ul',
              { class: 'missing' },
              missing.map((r) => h('li', {}, r.message || r.name)),
            ),
          )
        : null,
      h(
        'p',
        {},
        `${sum.success} succeeded, ${sum.warning} with warnings, ` +
          `${sum.failure} failed (of ${sum.total}).`,
      ),
      h(
        'div',
        { class: 'table-scroll' },
        table(
          [
            { label: 'Type', cell: (r) => r.typeLabel || componentTypeLabel(r), class: 'c-type' },
            { label: 'Name', cell: (r) => r.name || r.key, class: 'c-name' },
            { label: 'Result', cell: outcome, class: 'c-result' },
            {
              label: 'Details',
              cell: (r) => [r.action, r.message].filter(Boolean).join(': '),
              class: 'c-details',
            },
          ],
          log.results,
          { label: 'Component results', class: 'grid compact results' },
        ),
      ),
      h('div', { class: 'step-status' }),
    ];
  }
  async function downloadLog() {
    await busy('Preparing the log file…', async () => {
      const name = await download(
        `/jobs/${encodeURIComponent(state.job.jobId)}/log`,
        { format: 'xml' },
        'import-log.xml',
      );
      clear(
        body.querySelector('.step-status'),
        h('p', { class: 'muted', role: 'status' }, `Downloaded ${name} (opens in Excel).`),
      );
      for (const b of footer.querySelectorAll('button')) b.disabled = false;
    });
  }

  const cancel = () => button('Cancel', () => dialog.close());
  const VIEWS = [
    viewSelect,
    viewInfo,
    viewOptions,
    viewReview,
    viewProgress,
    viewResult,
    viewValues,
  ];
  const FOOTERS = [
    () => [button('Next', next1, 'primary'), cancel()],
    () => [button('Back', () => render(0)), button('Next', () => render(2), 'primary'), cancel()],
    () => [button('Back', () => render(1)), button('Next', planNow, 'primary'), cancel()],
    () => {
      // a plan that deletes records waits for the consent box
      const importButton = button('Import', importNow, 'primary import-now');
      importButton.disabled = losesData(state.plan) && !state.acceptDataLoss;
      // a refused plan cannot be imported: the footer says why
      const refusals = otherRefusals(state.plan);
      const why = refusals.length
        ? h(
            'p',
            { class: 'import-blocked', id: 'import-blocked-reason' },
            `Import is not available: ${refusals[0].message}`,
          )
        : null;
      if (why) {
        importButton.disabled = true;
        importButton.setAttribute('aria-describedby', 'import-blocked-reason');
      }
      const back = () => render(state.hasValues ? VALUES_STEP : 2);
      return [why, button('Back', back), importButton, cancel()];
    },
    () => [button('Close', () => dialog.close())],
    () => [
      button('Download Log File', downloadLog),
      button('Close', () => dialog.close(), 'primary'),
    ],
    // the values step: Next plans again with the values typed
    () => [button('Back', () => render(2)), button('Next', planNow, 'primary'), cancel()],
  ];

  render(0);
  return dialog;
}

function missingText(m) {
  const what = [m.type, m.name || m.key].filter(Boolean).join(' ');
  return m.solution ? `${what} (provided by ${m.solution})` : what;
}
