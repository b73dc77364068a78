// New environment: a name and a template (GET /templates), made with POST /environments. The
// answer carries a token for the new environment, the only way into it: the UI offers to switch
// to it (using that token instead of the current one) and shows it once, to keep for later.
import { api } from './api.js';
import { clear, errorBox, h } from './dom.js';
import { actionDialog } from './manage.js';

const solutionsLine = (n) =>
  n
    ? `Installs ${n} Microsoft solution${n === 1 ? '' : 's'}.`
    : 'The standard tables only, no Microsoft solutions.';

/** The template choice: one radio a template, its title, what it is and what it installs. */
function templateChoice(templates, chosen) {
  return h(
    'fieldset',
    { class: 'template-choice' },
    h('legend', {}, 'Template'),
    templates.map((t) => {
      const id = `template-${t.id}`;
      return h(
        'div',
        { class: 'choice', dataset: { template: t.id } },
        h('input', { type: 'radio', name: 'template', id, value: t.id, checked: t.id === chosen }),
        h('label', { for: id }, t.title),
        h('p', { class: 'help' }, t.description, ' ', h('strong', {}, solutionsLine(t.total))),
      );
    }),
  );
}

/**
 * The "New environment" button of the Solutions page. `current` is the environment signed in to;
 * `switchTo(token)` signs in with the new environment's token; `notify(text)` says what happened
 * when the user stays.
 */
export function newEnvironmentButton({ current, switchTo, notify, onError }) {
  return h(
    'button',
    {
      type: 'button',
      id: 'new-environment',
      onclick: async () => {
        let templates;
        try {
          templates = await api('/templates');
        } catch (e) {
          onError(errorBox(e, 'Could not list the templates'));
          return;
        }
        const made = await createDialog(templates);
        if (made) await readyDialog(made, { current, switchTo, notify });
      },
    },
    'New environment',
  );
}

function createDialog(templates) {
  const name = h('input', {
    type: 'text',
    id: 'new-env-name',
    autocomplete: 'off',
    spellcheck: 'false',
    maxlength: '63',
    required: true,
    'aria-describedby': 'new-env-name-help',
  });
  const chosen = templates.some((t) => t.id === 'dataverse') ? 'dataverse' : templates[0]?.id;
  const choice = templateChoice(templates, chosen);
  return actionDialog({
    title: 'New environment',
    confirmLabel: 'Create',
    content: [
      h(
        'p',
        {},
        'A new environment starts from a template: the standard tables, and the Microsoft ' +
          'solutions a new environment of that kind has. It does not change this one.',
      ),
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'new-env-name' }, 'Name'),
        name,
        h(
          'p',
          { id: 'new-env-name-help', class: 'help muted' },
          'A letter, then letters, digits, "-" or "_".',
        ),
      ),
      choice,
    ],
    action: () =>
      api('/environments', {
        method: 'POST',
        body: {
          name: name.value.trim(),
          template: choice.querySelector('input[name="template"]:checked')?.value,
        },
      }),
  });
}

/** Made: offer to switch to it, and show its token once. */
async function readyDialog(made, { current, switchTo, notify }) {
  const env = made.environment;
  const tokenField = h('input', {
    type: 'text',
    id: 'new-env-token',
    value: made.token,
    readOnly: true,
    spellcheck: 'false',
    onfocus: (ev) => ev.target.select(),
  });
  const copied = h('span', { class: 'muted', role: 'status' });
  const copy = h(
    'button',
    {
      type: 'button',
      onclick: async () => {
        try {
          await navigator.clipboard.writeText(made.token);
          clear(copied, 'Copied.');
        } catch {
          tokenField.select();
          clear(copied, 'Select the token and copy it.');
        }
      },
    },
    'Copy',
  );
  const switched = await actionDialog({
    title: `Environment ${env.name} is ready`,
    confirmLabel: `Switch to ${env.name}`,
    cancelLabel: `Stay in ${current}`,
    content: [
      h(
        'p',
        { id: 'new-env-summary' },
        `Made from template ${env.template}`,
        env.templateTitle ? ` (${env.templateTitle})` : '',
        env.firstPartySolutions
          ? `, with ${env.firstPartySolutions} Microsoft solutions.`
          : ', with no Microsoft solutions.',
      ),
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'new-env-token' }, 'Its API token'),
        h('div', { class: 'token-copy' }, tokenField, copy),
        copied,
        h(
          'p',
          { class: 'help muted' },
          `Keep it: it is shown only now, and it is how you sign in to ${env.name} later. ` +
            `Switching signs this tab in to ${env.name}; to come back to ${current}, ` +
            'sign in again with its token.',
        ),
      ),
    ],
    action: async () => {
      await switchTo(made.token);
      return true;
    },
  });
  if (!switched) notify(`Environment ${env.name} was made. This tab stays in ${current}.`);
}
