import {
  columnOf,
  polymorphic,
  type ColumnShape,
  type TableShape,
} from '../../model/table-shape.js';
import { odataError } from './errors.js';

/**
 * What a record query may name, as the Web API names it. A column answers to its logical name,
 * except a lookup, which OData reads as `_x_value` (its plain name is the navigation property
 * that $expand follows). The route builds a resolver from the table's shape (tableColumns).
 */
export interface ColumnResolver {
  /** the table's logical name, as messages give it: Microsoft.Dynamics.CRM.<table> */
  readonly table: string;
  /** the column of that logical name */
  column(name: string): ColumnShape | undefined;
  /** a single-valued navigation property: the lookup it follows and the table it leads to */
  navigation(name: string): Navigation | undefined;
}

export interface Navigation {
  /** the lookup column */
  column: string;
  /** the table the lookup points to */
  table: string;
  /** the columns of that table, for the $select inside $expand */
  target: ColumnResolver;
}

/**
 * A resolver over a table's shape; `shapeOf` gives the shapes of the tables its lookups point
 * to. Navigation properties are named as Dataverse names most of them: a lookup's logical name,
 * or `<lookup>_<table>` for each target of a polymorphic one (`parentcustomerid_account`). They
 * are matched without regard to case, because Dataverse spells custom ones with the schema
 * name (`new_ParentId`) and a shape knows only the logical name.
 */
export function tableColumns(
  shape: TableShape,
  shapeOf: (table: string) => TableShape | undefined,
): ColumnResolver {
  return {
    table: shape.name,
    column: (name) => columnOf(shape, name),
    navigation: (name) => {
      const wanted = name.toLowerCase();
      for (const c of shape.columns) {
        if (c.kind !== 'lookup') continue;
        for (const table of c.targets ?? []) {
          const nav = polymorphic(c) ? `${c.name}_${table}` : c.name;
          const target = nav === wanted ? shapeOf(table) : undefined;
          if (target) return { column: c.name, table, target: tableColumns(target, shapeOf) };
        }
      }
      return undefined;
    },
  };
}

/** Dataverse's answer to a name the table does not have (0x80060888, 400). */
export function propertyNotFound(resolve: ColumnResolver, name: string, hint?: string) {
  return odataError(
    'ODATA_PROPERTY_NOT_FOUND',
    `Could not find a property named '${name}' on type 'Microsoft.Dynamics.CRM.${resolve.table}'.`,
    hint,
  );
}

const LOOKUP_VALUE = /^_(.+)_value$/;

/** The column an OData property name stands for: `_x_value` for lookup x, else the name. */
export function columnNamed(resolve: ColumnResolver, name: string): ColumnShape {
  const lookup = LOOKUP_VALUE.exec(name);
  if (lookup) {
    const c = resolve.column(lookup[1]);
    if (c?.kind === 'lookup') return c;
  } else {
    const c = resolve.column(name);
    if (c?.kind === 'lookup')
      throw propertyNotFound(
        resolve,
        name,
        `'${name}' is a lookup: read and filter its value as _${name}_value, ` +
          `or $expand=${name} for the record it points to.`,
      );
    if (c) return c;
  }
  if (name.includes('/'))
    throw odataError(
      'ODATA_QUERY_INVALID',
      `The property path '${name}' is not supported by strata: a query names the columns of ` +
        'its own table.',
      'Use $expand=lookup($select=...) to read the columns of the record a lookup points to.',
    );
  throw propertyNotFound(resolve, name);
}
