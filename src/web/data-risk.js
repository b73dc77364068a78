// Data at risk: what a plan would delete from the environment's records (the plan's dataAtRisk,
// as the CLI prints it first), and the explicit consent such a plan needs. Without records at
// risk nothing is shown and nothing is asked.
import { h } from './dom.js';

/** The refusal a plan carries while its loss is not accepted: the consent box stands for it. */
export const DATA_LOSS_REFUSAL = 'DATA_LOSS_NOT_ACCEPTED';

/** Whether carrying out the plan would delete records or column values. */
export function losesData(plan) {
  const d = plan?.dataAtRisk;
  return !!d && d.rows + d.values > 0;
}

/** The plan's refusals other than the one the consent box answers. */
export function otherRefusals(plan) {
  return (plan?.blocked ?? []).filter((b) => b.code !== DATA_LOSS_REFUSAL);
}

const count = (n, one, many) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** A warning listing the tables that go with their records and the columns with their values. */
export function dataAtRiskBlock(plan) {
  if (!losesData(plan)) return null;
  const d = plan.dataAtRisk;
  const tables = d.tables.filter((t) => t.rows > 0);
  const columns = d.columns.filter((c) => c.values > 0);
  const total = [
    d.rows ? count(d.rows, 'record', 'records') : null,
    d.values ? count(d.values, 'column value', 'column values') : null,
  ]
    .filter(Boolean)
    .join(' and ');
  return h(
    'div',
    { class: 'warning data-at-risk', role: 'note', 'aria-label': 'Data at risk' },
    h('p', {}, h('strong', {}, `Data at risk: this deletes ${total}.`)),
    d.retainedFor
      ? h(
          'p',
          { class: 'retained' },
          `They are kept in the environment's retention area for ` +
            `${count(d.retainedFor, 'revision', 'revisions')} first, then purged.`,
        )
      : null,
    tables.length
      ? [
          h('p', {}, 'Tables that are removed, with their records:'),
          h(
            'ul',
            { class: 'risk-tables' },
            tables.map((t) =>
              h(
                'li',
                { dataset: { table: t.table } },
                h('code', {}, t.table),
                ' — ',
                count(t.rows, 'record', 'records'),
              ),
            ),
          ),
        ]
      : null,
    columns.length
      ? [
          h('p', {}, 'Columns that are removed, with their values:'),
          h(
            'ul',
            { class: 'risk-columns' },
            columns.map((c) =>
              h(
                'li',
                { dataset: { column: `${c.table}.${c.column}` } },
                h('code', {}, `${c.table}.${c.column}`),
                ' — ',
                count(c.values, 'value', 'values'),
              ),
            ),
          ),
        ]
      : null,
    h(
      'p',
      { class: 'muted' },
      'Copy the records you need before you go on: they can be read from Tables or the Web API.',
    ),
  );
}

/**
 * The consent box a plan with data at risk needs: "I accept that these records will be
 * deleted". `onchange(checked)` is told each change.
 */
export function acceptLossBox(id, onchange) {
  const input = h('input', {
    type: 'checkbox',
    id,
    onchange: () => onchange(input.checked),
  });
  return h(
    'div',
    { class: 'choice accept-loss' },
    input,
    h('label', { for: id }, 'I accept that these records will be deleted'),
  );
}
