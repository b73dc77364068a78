import { polymorphic, type ColumnShape, type TableShape } from '../model/table-shape.js';
import { physicalName } from './record-names.js';

/**
 * The physical layout of a table that holds records. The DDL (store/record-tables.ts) creates
 * exactly this, and the queries (store/record-sql.ts) read exactly this:
 *
 * - the schema `recordSchemaName(baseSchema, envId)`, one per environment; the table
 *   `tableRef(schema, shape.name)`;
 * - one column per ColumnShape, `columnIdent(name)`, whose SQL type follows its kind:
 *
 *   | kind                       | SQL type                                            |
 *   | -------------------------- | --------------------------------------------------- |
 *   | id, uuid                   | uuid                                                |
 *   | text                       | varchar(maxLength), or text when there is no maximum |
 *   | integer                    | integer                                             |
 *   | bigint                     | bigint                                              |
 *   | decimal                    | numeric                                             |
 *   | money                      | numeric(38,4)                                       |
 *   | float                      | double precision                                    |
 *   | boolean                    | boolean                                             |
 *   | choice                     | integer                                             |
 *   | choices (multi-select)     | integer[]                                           |
 *   | datetime, UserLocal        | timestamptz                                         |
 *   | datetime, DateOnly         | date                                                |
 *   | datetime, TimeZoneIndependent | timestamp                                        |
 *   | lookup                     | uuid                                                |
 *   | file                       | uuid                                                |
 *
 * - companions, named `columnIdent(name, companion)` (`x@table`, ...): a polymorphic lookup
 *   (model/table-shape.ts polymorphic()) keeps the logical name of the table its value points
 *   to in `x@table` text; a file or image keeps `x@name` text and `x@size` bigint beside its id.
 *
 * A datetime without a behaviour is UserLocal, as Dataverse's default is.
 */
export interface PhysicalColumn {
  /** the column's physical name (unquoted): physicalName(`name`) or physicalName(`name@...`) */
  name: string;
  sqlType: string;
}

export function sqlTypeOf(c: ColumnShape): string {
  switch (c.kind) {
    case 'id':
    case 'uuid':
    case 'lookup':
    case 'file':
      return 'uuid';
    case 'text':
      return c.maxLength ? `varchar(${c.maxLength})` : 'text';
    case 'integer':
    case 'choice':
      return 'integer';
    case 'bigint':
      return 'bigint';
    case 'decimal':
      return 'numeric';
    case 'money':
      return 'numeric(38,4)';
    case 'float':
      return 'double precision';
    case 'boolean':
      return 'boolean';
    case 'choices':
      return 'integer[]';
    case 'datetime':
      return c.behavior === 'DateOnly'
        ? 'date'
        : c.behavior === 'TimeZoneIndependent'
          ? 'timestamp'
          : 'timestamptz';
  }
}

/** A column and its companions, in that order. */
export function physicalColumns(c: ColumnShape): PhysicalColumn[] {
  const own: PhysicalColumn = { name: physicalName(c.name), sqlType: sqlTypeOf(c) };
  if (c.kind === 'lookup' && polymorphic(c))
    return [own, { name: physicalName(`${c.name}@table`), sqlType: 'text' }];
  if (c.kind === 'file')
    return [
      own,
      { name: physicalName(`${c.name}@name`), sqlType: 'text' },
      { name: physicalName(`${c.name}@size`), sqlType: 'bigint' },
    ];
  return [own];
}

/** Every physical column of a table, in the shape's column order. */
export function tableLayout(shape: TableShape): PhysicalColumn[] {
  return shape.columns.flatMap(physicalColumns);
}
