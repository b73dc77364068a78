/**
 * The shape of a table that holds records: what a table's effective entity and attribute
 * definitions say its records may hold. The store makes a real SQL table of each shape
 * (store/record-tables.ts); the record API checks values against it (engine/records/);
 * the Web API describes it in $metadata. A shape is derived from definitions
 * (package/customizations/table-shape.ts), never stored as such.
 */

/**
 * What a column holds. `text` covers nvarchar and memo (multiline text); `choice` covers
 * picklist, state and status (an integer from the column's option set); `lookup` covers
 * lookup, customer and owner (a record id, with the target table when the lookup is
 * polymorphic); `file` covers file and image (metadata: name and size, never content).
 */
export type ColumnKind =
  | 'id'
  | 'text'
  | 'integer'
  | 'bigint'
  | 'decimal'
  | 'money'
  | 'float'
  | 'boolean'
  | 'choice'
  | 'choices'
  | 'datetime'
  | 'lookup'
  | 'uuid'
  | 'file';

/** How a date and time column keeps its value (Dataverse's DateTimeBehavior). */
export type DateTimeBehavior = 'UserLocal' | 'DateOnly' | 'TimeZoneIndependent';

export interface ColumnShape {
  /** the attribute's logical name */
  name: string;
  kind: ColumnKind;
  /** the attribute type as customizations.xml gives it (nvarchar, memo, picklist, owner, ...) */
  type: string;
  /** ApplicationRequired or SystemRequired: a create without a value is refused */
  required: boolean;
  /** text: the most characters a value may have */
  maxLength?: number;
  /** integer, bigint, decimal, money, float: the range a value must lie in */
  min?: number;
  max?: number;
  /** decimal, money, float: digits after the point */
  precision?: number;
  /** choice, choices: the values the option set allows (empty: any, the set was not found) */
  options?: number[];
  /** the option set's name, for formatted values */
  optionSet?: string;
  /** datetime */
  behavior?: DateTimeBehavior;
  /** lookup: the tables a value may name; more than one makes the lookup polymorphic */
  targets?: string[];
  /** maintained by strata (createdon, modifiedon, versionnumber, statecode, ...): not writable */
  system?: boolean;
}

export interface AlternateKey {
  name: string;
  columns: string[];
}

export interface TableShape {
  /** the entity's logical name */
  name: string;
  /** the Web API entity set name (EntitySetName, or the collection name) */
  entitySetName: string;
  /** the primary key column, `<name>id` */
  primaryId: string;
  /** the primary name column, when the table has one */
  primaryName?: string;
  ownership: 'user' | 'org' | 'business' | 'none';
  /** the columns, primary key first, in a stable order (by logical name after it) */
  columns: ColumnShape[];
  keys: AlternateKey[];
}

/** The columns that strata maintains on every table, whether the definitions list them or not. */
export const MAINTAINED_COLUMNS = ['createdon', 'modifiedon', 'versionnumber'] as const;

/** Attribute types that are one type under two names (customizations.xml has used both). */
const SAME_TYPE: Record<string, string> = { string: 'nvarchar', ntext: 'memo', boolean: 'bit' };

/**
 * Whether a column's new definition changes its data type, which Dataverse refuses (an import
 * cannot turn a text column into a number): the attribute types differ, or a lookup turns
 * polymorphic or back. Changes within one type (a maximum length, a range, a format, a date
 * behaviour) are not type changes.
 */
export function changesType(from: ColumnShape, to: ColumnShape): boolean {
  const norm = (t: string): string => SAME_TYPE[t] ?? t;
  if (norm(from.type) !== norm(to.type)) return true;
  if (from.kind === 'lookup') return polymorphic(from) !== polymorphic(to);
  return false;
}

export function polymorphic(c: ColumnShape): boolean {
  return (c.targets?.length ?? 0) > 1 || c.type === 'customer' || c.type === 'owner';
}

export function columnOf(shape: TableShape, name: string): ColumnShape | undefined {
  return shape.columns.find((c) => c.name === name);
}
