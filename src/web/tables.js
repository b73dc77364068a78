// Tables: the environment's tables with their row counts (GET /tables), and a table's records,
// page by page (GET /tables/NAME/records), with the columns as headers and the values as
// written, formatted simply.
import { api } from './api.js';
import { clear, fmtDate, focusHeading, h, table } from './dom.js';

const PAGE_SIZES = [50, 100, 250];
const NUMERIC = new Set(['integer', 'bigint', 'decimal', 'money', 'float']);
const number = (n) => n.toLocaleString('en-US');
const tableLink = (t) => `#/tables/${encodeURIComponent(t)}`;

// ---------------- the list ----------------

export async function showTables(main) {
  const tables = await api('/tables');
  // tables with records first, then by logical name (the server's order)
  const ordered = [...tables.filter((t) => t.rows > 0), ...tables.filter((t) => t.rows === 0)];
  const withRows = tables.filter((t) => t.rows > 0);
  const filter = h('input', { type: 'search', id: 'table-filter', placeholder: 'name' });
  const onlyRows = h('input', {
    type: 'checkbox',
    id: 'with-records',
    checked: withRows.length > 0,
  });
  const holder = h('div', {});
  const draw = () => {
    const q = filter.value.trim().toLowerCase();
    const rows = ordered.filter(
      (t) =>
        (!onlyRows.checked || t.rows > 0) &&
        (!q || `${t.table} ${t.displayName} ${t.entitySetName}`.toLowerCase().includes(q)),
    );
    clear(
      holder,
      table(
        [
          {
            label: 'Display name',
            cell: (t) => h('a', { href: tableLink(t.table), class: 'table-link' }, t.displayName),
          },
          { label: 'Logical name', cell: (t) => h('code', {}, t.table) },
          { label: 'Entity set', cell: (t) => h('code', {}, t.entitySetName) },
          { label: 'Kind', cell: (t) => (t.standard ? 'Standard' : 'Custom') },
          { label: 'Records', cell: (t) => number(t.rows), class: 'num' },
          {
            label: 'SQL table',
            cell: (t) => (t.made ? 'Made' : h('span', { class: 'muted' }, 'Not yet')),
          },
        ],
        rows,
        {
          label: 'Tables',
          empty: q
            ? 'No table matches the filter.'
            : 'No table holds records yet. Records are written through the Web API or loaded ' +
              'from files on the server; clear "Only tables with records" to see every table.',
          rowAttrs: (t) => ({ dataset: { table: t.table } }),
        },
      ),
    );
  };
  filter.addEventListener('input', draw);
  onlyRows.addEventListener('change', draw);
  draw();
  const records = withRows.reduce((n, t) => n + t.rows, 0);
  clear(
    main,
    h('h1', {}, 'Tables'),
    h(
      'p',
      { class: 'table-summary' },
      `${number(tables.length)} tables; ${number(withRows.length)} with records ` +
        `(${number(records)} records in all).`,
    ),
    h(
      'div',
      { class: 'filters' },
      h('div', { class: 'field inline' }, h('label', { for: 'table-filter' }, 'Filter'), filter),
      h(
        'div',
        { class: 'choice' },
        onlyRows,
        h('label', { for: 'with-records' }, 'Only tables with records'),
      ),
    ),
    holder,
  );
  focusHeading(main);
}

// ---------------- one table's records ----------------

export async function showTable(main, name) {
  const [tables, first] = await Promise.all([
    api('/tables'),
    api(`/tables/${encodeURIComponent(name)}/records`),
  ]);
  const info = tables.find((t) => t.table === first.table);
  const title = info ? `${info.displayName} (${first.table})` : first.table;
  const columns = orderColumns(first);
  let page = first;
  const status = h('p', { class: 'page-status', role: 'status', 'aria-live': 'polite' });
  const previous = h('button', { type: 'button', id: 'previous-page' }, 'Previous');
  const next = h('button', { type: 'button', id: 'next-page' }, 'Next');
  const size = h(
    'select',
    { id: 'page-size' },
    PAGE_SIZES.map((n) => h('option', { value: String(n), selected: n === page.top }, String(n))),
  );
  const holder = h('div', { class: 'table-wide' });

  const draw = () => {
    const from = page.records.length ? page.skip + 1 : 0;
    const to = page.skip + page.records.length;
    status.textContent = page.count
      ? `Records ${number(from)}–${number(to)} of ${number(page.count)}`
      : 'No records';
    previous.disabled = page.skip === 0;
    next.disabled = page.nextSkip === null;
    clear(
      holder,
      table(
        columns.map((c) => ({
          label: h('span', { title: `${c.type} (${c.kind})` }, c.name),
          class: NUMERIC.has(c.kind) ? 'num' : null,
          cell: (r) => cellOf(c, r),
        })),
        page.records,
        {
          label: `Records of ${first.table}`,
          class: 'grid compact records',
          empty:
            info && !info.made
              ? 'No records yet: the SQL table is made when the first record is written.'
              : 'This table has no records.',
          rowAttrs: (r) => ({ dataset: { id: String(r[first.primaryId] ?? '') } }),
        },
      ),
    );
  };
  const load = async (skip, top = page.top) => {
    for (const b of [previous, next]) b.disabled = true;
    page = await api(`/tables/${encodeURIComponent(first.table)}/records`, {
      query: { top, skip },
    });
    draw();
  };
  previous.addEventListener('click', () => load(Math.max(0, page.skip - page.top)));
  next.addEventListener('click', () => load(page.nextSkip));
  size.addEventListener('change', () => load(0, Number(size.value)));
  draw();

  clear(
    main,
    h(
      'nav',
      { class: 'crumbs', 'aria-label': 'Breadcrumb' },
      h('a', { href: '#/tables' }, 'Tables'),
      ' › ',
      first.table,
    ),
    h('h1', {}, title),
    h(
      'dl',
      { class: 'props inline' },
      h('dt', {}, 'Records'),
      h('dd', { class: 'record-count' }, number(first.count)),
      h('dt', {}, 'Entity set'),
      h('dd', {}, h('code', {}, first.entitySetName)),
      h('dt', {}, 'Primary key'),
      h('dd', {}, h('code', {}, first.primaryId)),
      h('dt', {}, 'Columns'),
      h('dd', {}, String(columns.length)),
    ),
    h(
      'div',
      { class: 'toolbar pager', role: 'toolbar', 'aria-label': 'Pages' },
      previous,
      next,
      h('label', { for: 'page-size' }, 'Records per page'),
      size,
      status,
    ),
    holder,
  );
  focusHeading(main);
}

/**
 * The primary key, then the primary name, then the table's own columns, then the ones strata
 * maintains (created on, modified on, version, ...), each in the server's order.
 */
function orderColumns(page) {
  const rank = (c) =>
    c.name === page.primaryId ? 0 : c.name === page.primaryName ? 1 : c.system ? 3 : 2;
  return [...page.columns].sort((a, b) => rank(a) - rank(b));
}

/** A value as people read it: dates, Yes/No, ids and lookups as GUIDs, files by name. */
function cellOf(column, record) {
  const v = record[column.name];
  if (column.kind === 'file') {
    const fileName = record[`${column.name}@name`];
    return fileName
      ? `${fileName} (${number(Number(record[`${column.name}@size`] ?? 0))} bytes)`
      : '';
  }
  if (v === null || v === undefined) return '';
  switch (column.kind) {
    case 'boolean':
      return v ? 'Yes' : 'No';
    case 'datetime':
      return dateText(String(v));
    case 'choices':
      return Array.isArray(v) ? v.join(', ') : String(v);
    case 'id':
    case 'uuid':
      return h('code', { class: 'guid' }, String(v));
    case 'lookup': {
      const target = record[`${column.name}@table`];
      return [h('code', { class: 'guid' }, String(v)), target ? ` (${target})` : null];
    }
    case 'text': {
      const s = String(v);
      return s.length > 80 ? h('span', { title: s }, `${s.slice(0, 79)}…`) : s;
    }
    default:
      return String(v);
  }
}

/**
 * A date only as it is; a moment with an offset in the browser's time zone; a time-zone
 * independent one as written, without seconds' fractions.
 */
function dateText(s) {
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return s;
  if (/(Z|[+-]\d{2}:?\d{2})$/.test(s)) return fmtDate(s);
  return s.replace('T', ' ').replace(/:\d{2}(\.\d+)?$/, '');
}
