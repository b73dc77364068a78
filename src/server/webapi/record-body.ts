import type { RecordKey } from '../../engine/records/keys.js';
import type { RecordValues } from '../../engine/records/values.js';
import { StrataError } from '../../model/errors.js';
import {
  columnOf,
  polymorphic,
  type ColumnShape,
  type TableShape,
} from '../../model/table-shape.js';
import { normalizeGuid } from './ids.js';

/**
 * A record in a Web API request body, read into the values the record API takes
 * (engine/records/values.ts): columns by their logical names; a lookup set with
 * `nav@odata.bind: "/accounts(<guid>)"` (or `accounts(<guid>)`, or the full URL), where `nav`
 * is the lookup's navigation property — its logical name, or `<lookup>_<table>` for a lookup
 * that may name several tables (parentcustomerid_account) — and the entity set names a table
 * the lookup may point to. Instance annotations (`@odata.type`, `x@OData...`) are not values
 * and are passed over. What Dataverse refuses is refused, naming the property: an unknown
 * property, a lookup given a plain value, a binding to a table the lookup cannot name.
 */
export interface BodyContext {
  shape: TableShape;
  /** the table an entity set name stands for */
  tableOfSet(entitySetName: string): TableShape | undefined;
}

const LOOKUP_VALUE = /^_(.+)_value$/;

export function recordOfBody(body: unknown, ctx: BodyContext): RecordValues {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw bodyInvalid(
      ctx.shape,
      `The request body must be a JSON object of column values, not ${describe(body)}.`,
    );
  const out: RecordValues = {};
  for (const [name, value] of Object.entries(body)) {
    const at = name.indexOf('@');
    if (at === 0) continue;
    if (at > 0) {
      if (name.slice(at + 1) === 'odata.bind') bind(out, name.slice(0, at), value, ctx);
      continue;
    }
    const column = columnOf(ctx.shape, name);
    if (!column) {
      const lookup = LOOKUP_VALUE.exec(name);
      const c = lookup && columnOf(ctx.shape, lookup[1]);
      throw invalidProperty(
        ctx.shape,
        name,
        c?.kind === 'lookup'
          ? `_${c.name}_value is read-only: set the lookup with "${c.name}@odata.bind": "/<set>(<id>)".`
          : undefined,
      );
    }
    if (column.kind === 'lookup')
      throw bodyInvalid(
        ctx.shape,
        `'${name}' is a lookup: set it with "${navigationsOf(column)[0]}@odata.bind": ` +
          `"/<entity set>(<id>)", not a plain value.`,
      );
    out[name] = value;
  }
  return out;
}

/** `nav@odata.bind`: the lookup it sets, and the record its value names. */
function bind(out: RecordValues, nav: string, value: unknown, ctx: BodyContext): void {
  const lookup = lookupOfNavigation(ctx.shape, nav);
  if (!lookup)
    throw bodyInvalid(
      ctx.shape,
      `An undeclared property '${nav}' which only has property annotations in the payload but ` +
        `no property value was found in the payload: ${ctx.shape.name} has no single-valued ` +
        `navigation property '${nav}'.`,
    );
  const { column, table: fixed } = lookup;
  if (value === null) {
    out[column.name] = null;
    return;
  }
  const ref = typeof value === 'string' ? entityReference(value) : null;
  const target = ref && ctx.tableOfSet(ref.set);
  if (!ref || !target)
    throw bodyInvalid(
      ctx.shape,
      `${nav}@odata.bind takes a record's address, /<entity set>(<id>); ${describe(value)} is none` +
        `${ref ? ` (no entity set is named '${ref.set}')` : ''}.`,
    );
  const allowed = fixed ? [fixed] : (column.targets ?? []);
  if (allowed.length && !allowed.includes(target.name))
    throw bodyInvalid(
      ctx.shape,
      `${nav}@odata.bind names a record of ${target.name} (${ref.set}); ${ctx.shape.name}.` +
        `${column.name} points to ${allowed.join(' or ')} only.`,
    );
  out[column.name] = polymorphic(column) ? { id: ref.id, table: target.name } : ref.id;
}

/**
 * The lookup a navigation property follows: its own name, or `<lookup>_<table>` for each table
 * a polymorphic one may name. A customer or regarding lookup has no navigation property of its
 * own name (Dataverse refuses `parentcustomerid@odata.bind`); an owner has (`ownerid`).
 */
function lookupOfNavigation(
  shape: TableShape,
  nav: string,
): { column: ColumnShape; table?: string } | undefined {
  const wanted = nav.toLowerCase();
  for (const c of shape.columns) {
    if (c.kind !== 'lookup') continue;
    if (c.name === wanted && (!polymorphic(c) || c.type === 'owner')) return { column: c };
    for (const t of c.targets ?? [])
      if (`${c.name}_${t}` === wanted) return { column: c, table: t };
  }
  return undefined;
}

function navigationsOf(c: ColumnShape): string[] {
  return polymorphic(c) ? (c.targets ?? []).map((t) => `${c.name}_${t}`) : [c.name];
}

/**
 * A record's address as a binding or @odata.id gives it: `/set(<guid>)`, `set(<guid>)`, or the
 * service's full URL; the GUID may be in braces. Null when the text is none.
 */
export function entityReference(text: string): { set: string; id: string } | null {
  const path = text.replace(/^https?:\/\/[^/]+/i, '').replace(/^\/?(api\/data\/v[\d.]+\/)?/i, '');
  const m = /^([A-Za-z_][A-Za-z0-9_]*)\((.+)\)$/.exec(path);
  const id = m && normalizeGuid(m[2].trim());
  return m && id ? { set: m[1], id } : null;
}

/**
 * The key in `set(<key>)`: a GUID (bare or in braces), or alternate key values —
 * `name='text'` ('' escapes a quote), numbers, true/false, GUIDs; a lookup in a key is named
 * `_x_value`, as Dataverse names it.
 */
export function recordKeyOf(args: string, shape: TableShape): RecordKey {
  const id = normalizeGuid(args.trim());
  if (id) return { id };
  const parts = args.match(/(?:[^,']|'(?:[^']|'')*')+/g) ?? [];
  const key: RecordValues = {};
  for (const part of parts) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.+?)\s*$/s.exec(part);
    if (!m) return { id: args.trim() };
    const lookup = LOOKUP_VALUE.exec(m[1]);
    const name = lookup && columnOf(shape, lookup[1])?.kind === 'lookup' ? lookup[1] : m[1];
    if (!columnOf(shape, name)) throw invalidProperty(shape, m[1]);
    key[name] = keyLiteral(m[2]);
  }
  return parts.length ? { key } : { id: args.trim() };
}

function keyLiteral(text: string): unknown {
  if (text.length >= 2 && text.startsWith("'") && text.endsWith("'"))
    return text.slice(1, -1).replace(/''/g, "'");
  if (text === 'true' || text === 'false') return text === 'true';
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  return normalizeGuid(text) ?? text;
}

function invalidProperty(shape: TableShape, name: string, hint?: string): StrataError {
  return new StrataError(
    'RECORD_COLUMN_UNKNOWN',
    `Invalid property '${name}' was found in entity 'Microsoft.Dynamics.CRM.${shape.name}'.`,
    {
      hint:
        hint ?? `Column names are logical names in lower case; $metadata lists ${shape.name}'s.`,
      details: { table: shape.name, column: name },
    },
  );
}

export function bodyInvalid(shape: TableShape, message: string): StrataError {
  return new StrataError('RECORD_BODY_INVALID', message, {
    hint: 'docs/webapi.md shows the shape of a record in a request body.',
    details: { table: shape.name },
  });
}

function describe(v: unknown): string {
  if (v === undefined) return 'an empty body';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
