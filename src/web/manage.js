// What the CLI and the JSON API do beyond import, export, apply and delete, as screens:
// Clone a Patch and Clone Solution (POST /solutions/NAME/clone-patch, /clone), Abandon Upgrade
// (POST /solutions/NAME/abandon-upgrade), Remove Active Customizations of a component
// (POST /customize with removeActive) and Publish Selected components (POST /publish).
// Each dialog keeps the server's refusal on screen, so the user can change the version and
// try again.
import { api } from './api.js';
import { acceptLossBox, dataAtRiskBlock, losesData, otherRefusals } from './data-risk.js';
import { clear, componentTypeLabel, errorBox, focusHeading, h } from './dom.js';

/**
 * A modal dialog whose confirm button runs `action` (async). While it runs the buttons wait;
 * when it throws, the error is shown in the dialog and the dialog stays open. `onError(e, ui)`
 * may handle an error instead (and return true); `waiting` keeps the confirm button disabled
 * until `ui.confirm` is enabled (a consent box). `content` may be a function of `ui`. Resolves
 * with what `action` returned, or null when cancelled. `cancelLabel` names the other button.
 */
export function actionDialog({
  title,
  content,
  confirmLabel,
  cancelLabel = 'Cancel',
  danger = false,
  waiting = false,
  action,
  onError,
}) {
  return new Promise((resolve) => {
    let result = null;
    const status = h('div', { class: 'step-status' });
    const confirm = h(
      'button',
      {
        type: 'button',
        class: danger ? 'danger primary' : 'primary',
        onclick: async () => {
          confirm.disabled = cancel.disabled = true;
          clear(status, h('p', { class: 'working', role: 'status' }, 'Working…'));
          try {
            result = await action();
            dialog.close();
          } catch (e) {
            clear(status);
            if (!onError?.(e, ui)) clear(status, errorBox(e, `${title} failed`));
            // a tall dialog (New environment) scrolls: bring the refusal into view
            status.scrollIntoView?.({ block: 'nearest' });
            cancel.disabled = false;
            if (!ui.waiting) confirm.disabled = false;
          }
        },
      },
      confirmLabel,
    );
    const cancel = h('button', { type: 'button', onclick: () => dialog.close() }, cancelLabel);
    const ui = { confirm, status, waiting };
    confirm.disabled = waiting;
    const dialog = h(
      'dialog',
      { class: 'confirm manage', 'aria-labelledby': 'manage-title' },
      h('h2', { id: 'manage-title', class: 'dialog-title' }, title),
      h(
        'div',
        { class: 'dialog-content' },
        typeof content === 'function' ? content(ui) : content,
        status,
      ),
      h('div', { class: 'dialog-footer' }, confirm, cancel),
    );
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(result);
    });
    document.body.append(dialog);
    dialog.showModal();
    focusHeading(dialog);
  });
}

const versionParts = (v) =>
  String(v ?? '0.0.0.0')
    .split('.')
    .map(Number);

/** The version a new patch gets: the parent's major.minor, above the parent and its patches. */
function nextPatchVersion(parent, solutions) {
  const [major, minor] = versionParts(parent.version);
  const builds = solutions
    .filter((s) => s.parentUniqueName === parent.uniqueName)
    .concat(parent)
    .map((s) => versionParts(s.version)[2] ?? 0);
  return `${major}.${minor}.${Math.max(...builds) + 1}.0`;
}

/** A clone raises the minor version. */
function nextCloneVersion(parent) {
  const [major, minor] = versionParts(parent.version);
  return `${major}.${minor + 1}.0.0`;
}

function versionField(id, value) {
  const input = h('input', {
    type: 'text',
    id,
    value,
    inputmode: 'decimal',
    autocomplete: 'off',
    spellcheck: 'false',
  });
  return { input, field: h('div', { class: 'field' }, h('label', { for: id }, 'Version'), input) };
}

/**
 * The Solutions page's extra commands: Clone a Patch, Clone Solution, Abandon Upgrade.
 * `current()` is the selected solution, `holdingOf(s)` its staged upgrade. Every screen ends
 * with `done({ message, select, error })`: refresh the page (selecting `select`), then say what
 * happened (or show the error).
 */
export function solutionCommands({ solutions, current, holdingOf, done }) {
  const isSource = (s) => s && !s.managed && !s.isHolding && !s.parentUniqueName;
  const patchBtn = h(
    'button',
    { type: 'button', id: 'clone-patch', onclick: () => clonePatch(current()) },
    'Clone a Patch',
  );
  const cloneBtn = h(
    'button',
    { type: 'button', id: 'clone-solution', onclick: () => cloneSolution(current()) },
    'Clone Solution',
  );
  const abandonBtn = h(
    'button',
    { type: 'button', id: 'abandon-upgrade', onclick: () => abandonUpgrade(current()) },
    'Abandon Upgrade',
  );

  async function clonePatch(s) {
    if (!isSource(s)) return;
    const { input, field } = versionField('patch-version', nextPatchVersion(s, solutions));
    const out = await actionDialog({
      title: 'Clone a Patch',
      content: [
        h(
          'p',
          {},
          `A patch of ${s.friendlyName} (${s.uniqueName} ${s.version}) starts empty: add ` +
            'components to it and export it on its own. It keeps the major and minor ' +
            'version of its parent; raise the build or revision number.',
        ),
        field,
      ],
      confirmLabel: 'Save',
      action: () =>
        api(`/solutions/${encodeURIComponent(s.uniqueName)}/clone-patch`, {
          method: 'POST',
          body: { version: input.value.trim() },
        }),
    });
    if (out)
      await done({
        message: `Created the patch ${out.result.uniqueName} ${out.result.version} of ${s.uniqueName}.`,
        select: out.result.uniqueName,
      });
  }

  async function cloneSolution(s) {
    if (!isSource(s)) return;
    const patches = solutions.filter((p) => p.parentUniqueName === s.uniqueName);
    const { input, field } = versionField('clone-version', nextCloneVersion(s));
    const out = await actionDialog({
      title: 'Clone Solution',
      content: [
        h(
          'p',
          {},
          `Makes a new version of ${s.friendlyName} (${s.uniqueName} ${s.version}) ` +
            (patches.length
              ? `that holds its ${patches.length} patch(es), which are removed: ` +
                patches.map((p) => `${p.uniqueName} ${p.version}`).join(', ') +
                '. '
              : 'with its components (it has no patches). ') +
            'Raise the major or minor version number.',
        ),
        field,
      ],
      confirmLabel: 'Save',
      action: () =>
        api(`/solutions/${encodeURIComponent(s.uniqueName)}/clone`, {
          method: 'POST',
          body: { version: input.value.trim() },
        }),
    });
    if (out)
      await done({
        message:
          `${s.uniqueName} is now version ${out.result.version}` +
          (out.rolledUp.length ? `; it holds ${out.rolledUp.join(', ')}.` : '.'),
        select: s.uniqueName,
      });
  }

  async function abandonUpgrade(s) {
    const holding = s && holdingOf(s);
    if (!holding) return;
    const base = holding.uniqueName.replace(/_Upgrade$/, '');
    const path = `/solutions/${encodeURIComponent(base)}/abandon-upgrade`;
    let dry;
    try {
      dry = await api(path, { method: 'POST', query: { dryRun: true } });
    } catch (e) {
      await done({ error: errorBox(e, 'Abandon Upgrade failed') });
      return;
    }
    let accepted = false;
    const consent = losesData(dry);
    const blocked = otherRefusals(dry);
    const out = await actionDialog({
      title: 'Abandon Upgrade',
      danger: true,
      waiting: consent,
      content: (ui) => [
        dataAtRiskBlock(dry),
        consent
          ? acceptLossBox('abandon-accept-data-loss', (checked) => {
              accepted = checked;
              ui.waiting = !checked;
              ui.confirm.disabled = !checked;
            })
          : null,
        h(
          'p',
          {},
          `Removes the staged upgrade ${holding.uniqueName} ${holding.version}. ` +
            `${base} ${s.isHolding ? '' : `${s.version} `}stays installed as it is; ` +
            'the components only the staged version brought are deleted.',
        ),
        blocked.length
          ? h(
              'div',
              { class: 'error', role: 'alert' },
              blocked.map((b) => h('p', { class: 'error-message' }, b.message)),
            )
          : null,
      ],
      confirmLabel: 'Abandon Upgrade',
      action: () => api(path, { method: 'POST', query: { acceptDataLoss: consent && accepted } }),
    });
    if (out)
      await done({ message: `Abandoned the staged upgrade ${holding.uniqueName}.`, select: base });
  }

  return {
    buttons: [patchBtn, cloneBtn, abandonBtn],
    refresh() {
      const s = current();
      patchBtn.disabled = !isSource(s);
      cloneBtn.disabled = !isSource(s);
      abandonBtn.disabled = !s || !holdingOf(s);
    },
  };
}

/**
 * Remove Active Customizations, for a component's layers page: drops its Active layer (its
 * unmanaged customizations), so the layer below is in effect again. When that deletes records
 * (a table or column only the Active layer held) the server refuses until the loss is accepted.
 */
export function removeActiveButton(view, { done }) {
  if (!view.layers.some((l) => l.kind === 'active')) return null;
  const name = `${componentTypeLabel(view)} ${view.name}`;
  const onlyActive = view.layers.every((l) => l.kind === 'active');
  return h(
    'div',
    { class: 'toolbar', role: 'toolbar', 'aria-label': 'Component commands' },
    h(
      'button',
      {
        type: 'button',
        id: 'remove-active',
        class: 'danger',
        onclick: async () => {
          let acceptDataLoss = false;
          const out = await actionDialog({
            title: 'Remove Active Customizations',
            danger: true,
            content: h(
              'p',
              {},
              `Removes the Active layer of ${name}: its unmanaged customizations are deleted` +
                (onlyActive
                  ? `. It has no other layer, so ${view.name} leaves the environment.`
                  : ', and the layer below takes effect again.') +
                ' This cannot be undone.',
            ),
            confirmLabel: 'Remove',
            action: () =>
              api('/customize', {
                method: 'POST',
                body: { type: view.type, key: view.key, removeActive: true, acceptDataLoss },
              }),
            onError: (e, ui) => {
              if (e.code !== 'DATA_LOSS_NOT_ACCEPTED') return false;
              ui.waiting = true;
              acceptDataLoss = false;
              clear(
                ui.status,
                h('div', { class: 'warning data-at-risk', role: 'note' }, h('p', {}, e.message)),
                acceptLossBox('remove-accept-data-loss', (checked) => {
                  acceptDataLoss = checked;
                  ui.waiting = !checked;
                  ui.confirm.disabled = !checked;
                }),
              );
              return true;
            },
          });
          // a component only the Active layer held is gone: back to the solutions
          if (out?.componentGone) history.replaceState(null, '', '#/');
          if (out)
            await done({
              message: out.componentGone
                ? `Removed ${name}: only its Active layer held it.`
                : `Removed the active customizations of ${name}.`,
            });
        },
      },
      'Remove Active Customizations',
    ),
  );
}

/**
 * Publish Selected, for a solution's components: a check box a row and a button that publishes
 * the checked components' drafts only. `column` goes first in the components table; the
 * selection survives the filter.
 */
export function publishSelection({ done }) {
  const picked = new Map();
  const id = (c) => `${c.type}/${c.key}`;
  const button = h(
    'button',
    { type: 'button', id: 'publish-selected', disabled: true, onclick: publishPicked },
    'Publish Selected',
  );
  const refresh = () => {
    button.disabled = picked.size === 0;
    button.textContent = picked.size ? `Publish Selected (${picked.size})` : 'Publish Selected';
  };
  async function publishPicked() {
    const components = [...picked.values()].map((c) => ({ type: c.type, key: c.key }));
    button.disabled = true;
    try {
      const out = await api('/publish', { method: 'POST', body: { components } });
      picked.clear();
      await done({
        message: out.published.length
          ? `Published ${out.published.length} customization(s).`
          : 'There was nothing to publish: the selected components have no unpublished changes.',
      });
    } catch (e) {
      refresh();
      await done({ error: errorBox(e, 'Publish Selected failed') });
    }
  }
  return {
    toolbar: h(
      'div',
      { class: 'toolbar', role: 'toolbar', 'aria-label': 'Component commands' },
      button,
    ),
    column: {
      label: 'Select',
      class: 'sel',
      cell: (c) =>
        h('input', {
          type: 'checkbox',
          checked: picked.has(id(c)),
          'aria-label': `Select ${c.name || c.key}`,
          onchange: (ev) => {
            if (ev.target.checked) picked.set(id(c), c);
            else picked.delete(id(c));
            refresh();
          },
        }),
    },
  };
}
