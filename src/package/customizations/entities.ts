import { flatString, type Reference } from '../../model/component.js';
import { COLUMN_NAME, TABLE_NAME, checkName, shown } from '../names.js';
import { child, childI, childText, children, type XmlElement } from '../xml.js';
import { stepOf, type ReadContext } from './context.js';
import { fragmentWithout, guidKey } from './fragment.js';

/**
 * Reads one `<Entity>`: the table itself (unless it is only a shell holding forms or views of a
 * table defined elsewhere), its attributes, forms, views, charts and ribbon diff, each a
 * component of its own keyed under the table's logical name.
 */
export function readEntity(ctx: ReadContext, el: XmlElement): void {
  const nameEl = child(el, 'Name');
  const logical = (
    nameEl?.text.trim() ||
    childText(childI(child(el, 'EntityInfo'), 'entity'), 'Name') ||
    ''
  ).toLowerCase();
  if (!logical) {
    ctx.warnings.push(
      `An <Entity> without a <Name> was kept as an opaque component (offset ${el.start}).`,
    );
    ctx.add({
      type: 'opaque:Entities/Entity',
      key: `offset:${el.start}`,
      name: 'Entity without name',
      el,
    });
    return;
  }
  checkName(logical, TABLE_NAME, ctx.file, { type: 'entity', key: shown(logical) });
  const display = nameEl?.attrs.LocalizedName || nameEl?.text.trim() || logical;
  const entityRef = { type: 'entity', key: logical };
  const info = child(el, 'EntityInfo');
  const entityDef = childI(info, 'entity');
  const removed: XmlElement[] = [];

  // attributes
  const attrsEl = child(entityDef, 'attributes');
  const attrPlace = info && entityDef ? `${info.name}/${entityDef.name}/attributes` : undefined;
  // one parent and one list of requirements for all the table's columns (read-only, shared)
  const attrRequires: Reference[] = [{ ...entityRef, via: 'attribute of table' }];
  for (const a of children(attrsEl, 'attribute')) {
    const an = (
      childText(a, 'LogicalName') ||
      childText(a, 'Name') ||
      a.attrs.PhysicalName ||
      ''
    ).toLowerCase();
    if (!an) continue;
    checkName(an, COLUMN_NAME, ctx.file, { type: 'attribute', key: `${logical}.${shown(an)}` });
    const label = child(child(a, 'displaynames'), 'displayname')?.attrs.description;
    const key = ctx.columnKey(logical, an);
    ctx.add({
      type: 'attribute',
      key,
      name: label ? flatString(label, ' (', key, ')') : key,
      el: a,
      parent: entityRef,
      requires: attrRequires,
      place: attrPlace,
    });
    removed.push(a);
  }

  // forms
  const formXml = child(el, 'FormXml');
  for (const forms of children(formXml, 'forms')) {
    for (const f of children(forms, 'systemform')) {
      const id = childText(f, 'formid');
      if (!id) continue;
      const formName = child(child(f, 'LocalizedNames'), 'LocalizedName')?.attrs.description;
      const formType = forms.attrs.type;
      ctx.add({
        type: 'systemform',
        key: guidKey(id),
        name: flatString(
          formName ?? formType ?? 'form',
          ' (',
          logical,
          ', ',
          formType ?? 'main',
          ')',
        ),
        el: f,
        parent: entityRef,
        requires: [{ ...entityRef, via: 'form of table' }, ...formFieldRefs(ctx, f, logical)],
        unmodified: f.attrs.unmodified === '1',
        place: `${formXml!.name}/${stepOf(forms)}`,
      });
    }
  }
  if (formXml) removed.push(formXml);

  // views
  const sq = child(el, 'SavedQueries');
  for (const q of children(child(sq, 'savedqueries'), 'savedquery')) {
    const id = childText(q, 'savedqueryid');
    if (!id) continue;
    const vname = child(child(q, 'LocalizedNames'), 'LocalizedName')?.attrs.description;
    ctx.add({
      type: 'savedquery',
      key: guidKey(id),
      name: flatString(vname ?? 'view', ' (', logical, ')'),
      el: q,
      parent: entityRef,
      requires: [{ ...entityRef, via: 'view of table' }, ...viewRefs(ctx, q, logical)],
      place: 'SavedQueries/savedqueries',
    });
  }
  if (sq) removed.push(sq);

  // charts
  const viz = child(el, 'Visualizations');
  for (const v of viz?.children ?? []) {
    const id = childText(v, 'savedqueryvisualizationid');
    if (!id) {
      ctx.warnings.push(`A chart of ${logical} without an id stayed inside the table definition.`);
      continue;
    }
    ctx.add({
      type: 'visualization',
      key: guidKey(id),
      name: flatString(childText(v, 'name') ?? 'chart', ' (', logical, ')'),
      el: v,
      parent: entityRef,
      requires: [{ ...entityRef, via: 'chart of table' }],
    });
  }
  if (viz && viz.children.every((v) => childText(v, 'savedqueryvisualizationid')))
    removed.push(viz);

  // ribbon diff: a component only when it customizes something
  const ribbon = child(el, 'RibbonDiffXml');
  if (ribbon && ribbonHasContent(ribbon)) {
    ctx.add({
      type: 'entityribbon',
      key: logical,
      name: `Ribbon (${logical})`,
      el: ribbon,
      parent: entityRef,
      requires: [{ ...entityRef, via: 'ribbon of table' }],
    });
    removed.push(ribbon);
  }

  const shell = !entityDef;
  ctx.add({
    type: 'entity',
    key: logical,
    name: display,
    el,
    xml: fragmentWithout(ctx.src, el, removed, true),
    shell,
    requires: shell
      ? [{ ...entityRef, via: 'table referenced by the package (no definition)' }]
      : [],
  });
}

export function ribbonHasContent(ribbon: XmlElement): boolean {
  const hasKids = (e: XmlElement | undefined): boolean => !!e && e.children.length > 0;
  if (
    hasKids(child(ribbon, 'CustomActions')) ||
    hasKids(child(ribbon, 'CommandDefinitions')) ||
    hasKids(child(ribbon, 'LocLabels'))
  )
    return true;
  const templates = child(child(ribbon, 'Templates'), 'RibbonTemplates');
  if (hasKids(templates)) return true;
  const rules = child(ribbon, 'RuleDefinitions');
  return !!rules && rules.children.some((r) => r.children.length > 0);
}

/**
 * Form → the columns its controls are bound to (`datafieldname`), except removed diff nodes. A
 * control with `relationship="…"` (business process flow forms: `bpf_<table>_<process>`) names a
 * column of the table on the relationship's other side.
 */
function formFieldRefs(ctx: ReadContext, form: XmlElement, entity: string): Reference[] {
  const out: Reference[] = [];
  const walk = (e: XmlElement): void => {
    if (e.attrs.solutionaction === 'Removed') return;
    if (e.name === 'control' && e.attrs.datafieldname) {
      const f = e.attrs.datafieldname.toLowerCase();
      const rel = e.attrs.relationship?.trim().toLowerCase();
      const column = /^[a-z0-9_]+$/.exec(f) !== null;
      // through a relationship: the package's relationships may come further down the file,
      // still unread; resolved when they are (resolveThroughRelationships)
      if (column && rel) out.push(ctx.throughRelationship(rel, entity, f));
      else if (column)
        out.push({ type: 'attribute', key: ctx.columnKey(entity, f), via: 'form field' });
    }
    for (const c of e.children) walk(c);
  };
  walk(form);
  return out;
}

/**
 * The references of form fields through a relationship, once the package's relationships are
 * all read: the column of the table on the relationship's other side, else the relationship.
 */
export function resolveThroughRelationships(ctx: ReadContext): void {
  for (const { ref, rel, entity, column } of ctx.pendingThrough) {
    const table = relatedTable(ctx, rel, entity);
    if (table) {
      ref.type = 'attribute';
      ref.key = ctx.columnKey(table, column);
      ref.via = `form field (through ${rel})`;
    } else {
      ref.type = 'relationship';
      ref.key = rel;
      ref.via = 'form field relationship';
    }
  }
}

/**
 * The table a form of `entity` reaches through relationship `rel`: its other side in the
 * package, else the one a process flow's relationship is named after (`bpf_<table>_<entity>`).
 */
function relatedTable(ctx: ReadContext, rel: string, entity: string): string | undefined {
  const r = ctx.relationships.get(rel);
  if (r) {
    const other = r.referencing === entity ? r.referenced : r.referencing;
    if (other) return other;
  }
  const suffix = `_${entity}`;
  if (rel.startsWith('bpf_') && rel.endsWith(suffix) && rel.length > 4 + suffix.length)
    return rel.slice(4, -suffix.length);
  return undefined;
}

/** View → the columns of its own table that the query and the layout use. */
function viewRefs(ctx: ReadContext, q: XmlElement, entity: string): Reference[] {
  const out: Reference[] = [];
  const fetchEntity = child(child(child(q, 'fetchxml'), 'fetch'), 'entity');
  const target = (fetchEntity?.attrs.name ?? entity).toLowerCase();
  if (fetchEntity) {
    for (const a of fetchEntity.children) {
      if (a.name === 'attribute' && a.attrs.name)
        out.push({
          type: 'attribute',
          key: ctx.columnKey(target, a.attrs.name.toLowerCase()),
          via: 'view column',
        });
    }
  }
  const grid = child(child(q, 'layoutxml'), 'grid');
  const walk = (e: XmlElement): void => {
    if (e.name === 'cell' && e.attrs.name && !e.attrs.name.includes('.'))
      out.push({
        type: 'attribute',
        key: ctx.columnKey(target, e.attrs.name.toLowerCase()),
        via: 'view layout cell',
      });
    for (const c of e.children) walk(c);
  };
  if (grid) walk(grid);
  return out;
}
