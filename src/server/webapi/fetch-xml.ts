import { StrataError } from '../../model/errors.js';
import { parseXml, type XmlElement } from '../../package/xml.js';
import { odataError } from './errors.js';
import type { Expr, ODataQuery, QueryTarget, Value } from './odata.js';

/**
 * `?fetchXml=<fetch>` on the solution entity sets, read into the query the sets run in memory
 * (odata.ts). What strata honours: <fetch top count page>, one <entity name> (the set's own),
 * <attribute name>, <all-attributes/>, <order attribute descending>, and <filter type="and|or">
 * (nested) with <condition attribute operator value> where the operator is eq, ne, like,
 * not-like, in, not-in, null or not-null, on the entity's own columns. Anything else
 * (link-entity, aggregate, distinct, other operators, another entity) is refused with a 400
 * naming it: a query strata cannot honour is never answered with every row.
 */
export interface FetchQuery extends ODataQuery {
  /** <fetch count>: rows per page (with <fetch page>, which page) */
  pageSize: number | null;
}

const refuse = (what: string): StrataError =>
  odataError(
    'ODATA_QUERY_INVALID',
    `The FetchXML ${what} is not supported by strata.`,
    'strata honours <fetch top|count|page>, one <entity> with <attribute>, <all-attributes/>, ' +
      '<order> and <filter>/<condition> (eq, ne, like, not-like, in, not-in, null, not-null) on ' +
      "the entity's own columns (docs/webapi.md).",
  );

function positiveInt(el: XmlElement, name: string): number | null {
  const v = el.attrs[name];
  if (v === undefined) return null;
  if (!/^\d{1,9}$/.test(v) || Number(v) < 1)
    throw odataError(
      'ODATA_QUERY_INVALID',
      `The FetchXML attribute ${name}="${v}" must be a positive whole number.`,
    );
  return Number(v);
}

/** A fetch column as the set's rows name it: a lookup `x` is `_x_value`. */
function columnOf(name: string | undefined, target: QueryTarget, where: string): string {
  if (!name) throw refuse(`${where} without an attribute`);
  const n = name.toLowerCase();
  if (target.columns.has(n)) return n;
  if (target.columns.has(`_${n}_value`)) return `_${n}_value`;
  throw odataError(
    'ODATA_PROPERTY_NOT_FOUND',
    `'${target.entity}' entity doesn't contain attribute with Name = '${name}'.`,
    'FetchXML names the columns of the entity of the entity set queried.',
  );
}

function literal(text: string): Value {
  return text;
}

function condition(el: XmlElement, target: QueryTarget): Expr {
  const field = columnOf(el.attrs.attribute, target, '<condition>');
  if (el.attrs.entityname) throw refuse('condition on a linked entity (entityname)');
  const op = (el.attrs.operator ?? '').toLowerCase();
  const value = el.attrs.value;
  const needValue = (): string => {
    if (value === undefined)
      throw odataError(
        'ODATA_QUERY_INVALID',
        `The FetchXML condition on ${el.attrs.attribute} (operator ${op}) needs a value.`,
      );
    return value;
  };
  const values = (): Value[] => {
    const list = el.children.filter((c) => c.name === 'value').map((c) => literal(c.text));
    if (!list.length) throw refuse(`condition operator ${op} without <value> elements`);
    return list;
  };
  switch (op) {
    case 'eq':
      return { op: 'cmp', cmp: 'eq', field, value: literal(needValue()) };
    case 'ne':
    case 'neq':
      return { op: 'cmp', cmp: 'ne', field, value: literal(needValue()) };
    case 'like':
      return { op: 'like', field, pattern: needValue() };
    case 'not-like':
      return { op: 'not', expr: { op: 'like', field, pattern: needValue() } };
    case 'in':
      return { op: 'in', field, values: values() };
    case 'not-in':
      return { op: 'not', expr: { op: 'in', field, values: values() } };
    case 'null':
      return { op: 'cmp', cmp: 'eq', field, value: null };
    case 'not-null':
      return { op: 'cmp', cmp: 'ne', field, value: null };
    default:
      throw refuse(`condition operator '${el.attrs.operator ?? ''}'`);
  }
}

function filter(el: XmlElement, target: QueryTarget): Expr | null {
  const type = (el.attrs.type ?? 'and').toLowerCase();
  if (type !== 'and' && type !== 'or') throw refuse(`filter type '${el.attrs.type}'`);
  const parts: Expr[] = [];
  for (const c of el.children) {
    if (c.name === 'condition') parts.push(condition(c, target));
    else if (c.name === 'filter') {
      const inner = filter(c, target);
      if (inner) parts.push(inner);
    } else throw refuse(`element <${c.name}> inside <filter>`);
  }
  if (!parts.length) return null;
  return parts.reduce((left, right) => ({ op: type, left, right }));
}

export function parseFetchXml(text: string, target: QueryTarget): FetchQuery {
  let root: XmlElement;
  try {
    root = parseXml(text, 'fetchXml');
  } catch (e) {
    throw odataError(
      'ODATA_QUERY_INVALID',
      `The fetchXml parameter is not well-formed XML: ${(e as Error).message}`,
    );
  }
  if (root.name !== 'fetch') throw refuse(`root element <${root.name}> (expected <fetch>)`);
  for (const a of ['aggregate', 'distinct', 'returntotalrecordcount'])
    if ((root.attrs[a] ?? 'false').toLowerCase() === 'true') throw refuse(`attribute ${a}="true"`);
  const entities = root.children.filter((c) => c.name === 'entity');
  if (entities.length !== 1 || root.children.length !== 1)
    throw refuse('document: <fetch> holds exactly one <entity>');
  const entity = entities[0];
  if ((entity.attrs.name ?? '').toLowerCase() !== target.entity)
    throw odataError(
      'ODATA_QUERY_INVALID',
      `The FetchXML entity '${entity.attrs.name ?? ''}' does not match the entity set, whose ` +
        `entity is '${target.entity}'.`,
    );
  let select: string[] | null = [];
  let all = false;
  const orderby: FetchQuery['orderby'] = [];
  const filters: Expr[] = [];
  for (const c of entity.children) {
    switch (c.name) {
      case 'attribute':
        if (c.attrs.alias || c.attrs.aggregate || c.attrs.groupby)
          throw refuse('attribute with alias, aggregate or groupby');
        select.push(columnOf(c.attrs.name, target, '<attribute>'));
        break;
      case 'all-attributes':
        all = true;
        break;
      case 'order':
        if (c.attrs.alias) throw refuse('order by alias');
        orderby.push({
          field: columnOf(c.attrs.attribute, target, '<order>'),
          desc: (c.attrs.descending ?? 'false').toLowerCase() === 'true',
        });
        break;
      case 'filter': {
        const f = filter(c, target);
        if (f) filters.push(f);
        break;
      }
      default:
        throw refuse(`element <${c.name}>`);
    }
  }
  // no <attribute>: every column, as Dataverse answers it
  if (all || select.length === 0) select = null;
  const top = positiveInt(root, 'top');
  const pageSize = positiveInt(root, 'count');
  const page = positiveInt(root, 'page') ?? 1;
  if (top !== null && pageSize !== null)
    throw odataError(
      'ODATA_QUERY_INVALID',
      'The FetchXML top attribute cannot be used with count or page.',
      'Use top for the first N rows, or count (and page) to page through them.',
    );
  return {
    select: select && [...new Set(select)],
    filter: filters.length ? filters.reduce((left, right) => ({ op: 'and', left, right })) : null,
    orderby,
    top,
    count: false,
    skip: pageSize !== null ? (page - 1) * pageSize : 0,
    expand: [],
    pageSize,
  };
}
