import type { ColumnKind, ColumnShape, DateTimeBehavior } from '../../model/table-shape.js';
import { child, childI, childText, children, type XmlElement } from '../xml.js';

/**
 * One column of a table shape from one `<attribute>` definition (table-shape.ts gathers them).
 * Types are those customizations.xml uses, in real exports and in the catalog's System layer.
 */

/** What tableShapeOf knows beyond the attribute itself. */
export interface ColumnContext {
  /** global option sets by lower-cased name */
  optionSets: ReadonlyMap<string, number[]>;
  /** the table's lookups → the tables its 1:N relationships point them at */
  relationshipTargets: ReadonlyMap<string, string[]>;
  tablesByTypeCode?: ReadonlyMap<number, string>;
  /** the table's lookup, customer and owner columns, whose companions are left out */
  lookups: ReadonlySet<string>;
}

const KINDS: Record<string, ColumnKind> = {
  primarykey: 'id',
  uniqueidentifier: 'uuid',
  nvarchar: 'text',
  string: 'text',
  memo: 'text',
  ntext: 'text',
  entityname: 'text',
  int: 'integer',
  integer: 'integer',
  bigint: 'bigint',
  // versionnumber's type in real exports
  timestamp: 'bigint',
  decimal: 'decimal',
  money: 'money',
  float: 'float',
  double: 'float',
  bit: 'boolean',
  boolean: 'boolean',
  picklist: 'choice',
  state: 'choice',
  status: 'choice',
  multiselectpicklist: 'choices',
  datetime: 'datetime',
  lookup: 'lookup',
  customer: 'lookup',
  owner: 'lookup',
  file: 'file',
  image: 'file',
};

/**
 * Columns that strata maintains: a create or update never sets them, so a definition's
 * requirement level does not apply to them.
 */
export const SYSTEM_COLUMNS: ReadonlySet<string> = new Set([
  'createdon',
  'modifiedon',
  'versionnumber',
  'createdby',
  'modifiedby',
  'createdonbehalfby',
  'modifiedonbehalfby',
  'ownerid',
  'owninguser',
  'owningteam',
  'owningbusinessunit',
  'organizationid',
  'statecode',
  'statuscode',
]);

const REQUIRED_LEVELS = new Set(['required', 'applicationrequired', 'systemrequired']);

/**
 * The column an attribute defines, or undefined for one that holds no value of its own: types
 * without a physical value (virtual, partylist, managedproperty, calendarrules, and any type
 * strata does not know), companions of another attribute (`<AttributeOf>`, the `IsLogical`
 * owneridname and owninguser of real exports, a lookup's name, yomi name and type columns).
 */
export function columnOf(a: XmlElement, ctx: ColumnContext): ColumnShape | undefined {
  const name = attributeNameOf(a);
  const type = (childText(a, 'Type') ?? '').toLowerCase();
  const kind = KINDS[type];
  if (!name || !kind) return undefined;
  if (childText(a, 'AttributeOf')) return undefined;
  if (childText(a, 'IsLogical') === '1' && kind !== 'file') return undefined;
  if (childText(a, 'IsCustomField') !== '1' && isCompanion(name, kind, ctx.lookups))
    return undefined;
  const system = SYSTEM_COLUMNS.has(name);
  const level = (childText(a, 'RequiredLevel') ?? '').toLowerCase();
  const column: ColumnShape = {
    name,
    kind,
    type,
    required: kind !== 'id' && !system && REQUIRED_LEVELS.has(level),
    ...detailsOf(a, name, type, kind, ctx),
  };
  if (system) column.system = true;
  return column;
}

export function attributeNameOf(a: XmlElement): string {
  return (
    childText(a, 'LogicalName') ||
    childText(a, 'Name') ||
    a.attrs.PhysicalName ||
    ''
  ).toLowerCase();
}

/** The lookup, customer and owner columns among the attributes. */
export function lookupNames(attributes: XmlElement[]): Set<string> {
  const out = new Set<string>();
  for (const a of attributes)
    if (KINDS[(childText(a, 'Type') ?? '').toLowerCase()] === 'lookup') out.add(attributeNameOf(a));
  return out;
}

/**
 * A lookup's name (`createdbyname`), yomi name and table (`owneridtype`,
 * `regardingobjecttypecode`): Dataverse derives them from the lookup, and strata keeps the
 * table beside the value (`col@table`, store/record-names.ts). The catalog lists them as plain
 * columns; real exports mark them IsLogical or list them without a marker (owneridtype). A
 * custom column is never one: Dataverse makes them for its own lookups.
 */
function isCompanion(name: string, kind: ColumnKind, lookups: ReadonlySet<string>): boolean {
  if (kind !== 'text' && kind !== 'integer') return false;
  for (const suffix of ['name', 'yominame', 'type'])
    if (name.endsWith(suffix) && lookups.has(name.slice(0, -suffix.length))) return true;
  return name.endsWith('typecode') && lookups.has(`${name.slice(0, -'typecode'.length)}id`);
}

type Details = Omit<ColumnShape, 'name' | 'kind' | 'type' | 'required'>;

const TEXT_DEFAULT_LENGTH: Record<string, number> = {
  nvarchar: 100,
  string: 100,
  memo: 2000,
  ntext: 2000,
};

/** Numbers: [default precision, default min, default max]. */
const NUMBER_DEFAULTS: Record<string, [number | undefined, number, number]> = {
  integer: [undefined, -2147483648, 2147483647],
  decimal: [2, -100000000000, 100000000000],
  money: [4, -922337203685477, 922337203685477],
  float: [2, -100000000000, 100000000000],
};

function detailsOf(
  a: XmlElement,
  name: string,
  type: string,
  kind: ColumnKind,
  ctx: ColumnContext,
): Details {
  switch (kind) {
    case 'text': {
      const max = numberOf(a, 'MaxLength') ?? TEXT_DEFAULT_LENGTH[type];
      return max === undefined ? {} : { maxLength: max };
    }
    case 'integer':
    case 'decimal':
    case 'money':
    case 'float': {
      const [precision, min, max] = NUMBER_DEFAULTS[kind];
      const details: Details = { min: numberOf(a, 'MinValue') ?? min };
      details.max = numberOf(a, 'MaxValue') ?? max;
      if (precision !== undefined)
        details.precision = numberOf(a, 'Precision') ?? numberOf(a, 'Accuracy') ?? precision;
      return details;
    }
    case 'choice':
    case 'choices':
      return optionsOf(a, ctx);
    case 'datetime':
      return { behavior: behaviorOf(a) };
    case 'lookup':
      return { targets: targetsOf(a, name, type, ctx) };
    default:
      return {};
  }
}

function numberOf(a: XmlElement, element: string): number | undefined {
  const text = childText(a, element);
  if (!text) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * The attribute's own option set (options, or the states and statuses of statecode and
 * statuscode), else the global one it names (`<OptionSetName>`, or an `<optionset>` marked
 * global that carries no options). Empty values: the set was not found, any value goes.
 */
function optionsOf(a: XmlElement, ctx: ColumnContext): Details {
  const local = childI(a, 'optionset');
  const localValues = local ? optionValues(local) : [];
  const setName = (childText(a, 'OptionSetName') || local?.attrs.Name || '').toLowerCase();
  if (localValues.length && childText(local, 'IsGlobal') !== '1')
    return { options: localValues, ...(setName ? { optionSet: setName } : {}) };
  const global = setName ? ctx.optionSets.get(setName) : undefined;
  const options = global ?? localValues;
  return setName ? { options, optionSet: setName } : { options };
}

/** The values of an `<optionset>`: options, or the states or statuses of a state/status set. */
export function optionValues(optionSet: XmlElement): number[] {
  const values: number[] = [];
  const lists: Array<[string, string]> = [
    ['options', 'option'],
    ['states', 'state'],
    ['statuses', 'status'],
  ];
  for (const [list, item] of lists)
    for (const o of children(childI(optionSet, list), item)) {
      const v = Number(o.attrs.value);
      if (o.attrs.value !== undefined && Number.isInteger(v) && !values.includes(v)) values.push(v);
    }
  return values;
}

const BEHAVIORS: Record<string, DateTimeBehavior> = {
  '1': 'UserLocal',
  '2': 'DateOnly',
  '3': 'TimeZoneIndependent',
  userlocal: 'UserLocal',
  dateonly: 'DateOnly',
  timezoneindependent: 'TimeZoneIndependent',
};

/**
 * `<Behavior>` (1 UserLocal, 2 DateOnly, 3 TimeZoneIndependent, as real exports write it).
 * Without one, UserLocal whatever the format: exports from before CRM Online 2015 Update 1
 * carry none, and Microsoft's "Behavior and format of the date and time attribute" says values
 * were then stored as UserLocal; `<Format>date</Format>` is only how a form shows the value
 * (real exports pair it with Behavior 1 in 147 columns).
 */
function behaviorOf(a: XmlElement): DateTimeBehavior {
  const behavior = childText(a, 'Behavior') || childText(a, 'DateTimeBehavior') || '';
  return BEHAVIORS[behavior.toLowerCase()] ?? 'UserLocal';
}

/** Object type codes that are the same in every organization (standard tables). */
const STANDARD_TYPE_CODES: Record<number, string> = {
  1: 'account',
  2: 'contact',
  8: 'systemuser',
  9: 'team',
  10: 'businessunit',
  1019: 'organization',
  9105: 'transactioncurrency',
};

/** Lookups every table has, whose target real exports often leave unsaid. */
const SYSTEM_LOOKUP_TARGETS: Record<string, string> = {
  createdby: 'systemuser',
  modifiedby: 'systemuser',
  createdonbehalfby: 'systemuser',
  modifiedonbehalfby: 'systemuser',
  owninguser: 'systemuser',
  owningteam: 'team',
  owningbusinessunit: 'businessunit',
  organizationid: 'organization',
  transactioncurrencyid: 'transactioncurrency',
};

/**
 * The tables a lookup may name: its LookupTypes (names, or object type codes as real exports
 * write them) and the relationships that reference it; failing those, what Dataverse implies
 * (an owner names a user or a team, a customer an account or a contact, createdby a user, ...).
 */
function targetsOf(a: XmlElement, name: string, type: string, ctx: ColumnContext): string[] {
  const targets = new Set<string>();
  const table = (code: string): string | undefined => {
    if (!/^\d+$/.test(code)) return code.toLowerCase();
    return ctx.tablesByTypeCode?.get(Number(code)) ?? STANDARD_TYPE_CODES[Number(code)];
  };
  for (const t of children(child(a, 'LookupTypes'), 'LookupType')) {
    const target = table(t.text.trim());
    if (target) targets.add(target);
  }
  // an owner's relationships reference the abstract `owner` table, which stands for its targets
  for (const t of ctx.relationshipTargets.get(name) ?? [])
    if (!(type === 'owner' && t === 'owner')) targets.add(t);
  if (targets.size === 0) {
    const referenced = childText(a, 'ReferencedEntityObjectTypeCode');
    const implied =
      type === 'owner'
        ? ['systemuser', 'team']
        : type === 'customer'
          ? ['account', 'contact']
          : [SYSTEM_LOOKUP_TARGETS[name] ?? (referenced ? table(referenced) : undefined)];
    for (const t of implied) if (t) targets.add(t);
  }
  return [...targets].sort();
}
