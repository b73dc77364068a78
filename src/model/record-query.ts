/**
 * A query over one table's records, as the record API asks it: parsed from OData query options
 * (server/webapi/odata.ts) or from CLI flags, turned into SQL by the store
 * (store/record-sql.ts). Names are column logical names; values are plain JSON values.
 */
export type Literal = string | number | boolean | null;

export type Filter =
  | { op: 'and' | 'or'; left: Filter; right: Filter }
  | { op: 'not'; expr: Filter }
  | { op: 'cmp'; cmp: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le'; column: string; value: Literal }
  | { op: 'fn'; fn: 'contains' | 'startswith' | 'endswith'; column: string; value: string };

/** A single-valued lookup whose target record comes with each row. */
export interface Expansion {
  /** the lookup column */
  column: string;
  /** the navigation property name the answer uses */
  navigation: string;
  /** the target table */
  table: string;
  select: string[] | null;
}

export interface RecordQuery {
  /** columns to return; null: all */
  select: string[] | null;
  filter: Filter | null;
  orderBy: Array<{ column: string; desc: boolean }>;
  /** at most this many rows in all ($top) */
  top: number | null;
  /** rows to pass over first (paging) */
  skip: number;
  /** the number of rows the filter matches, besides the page */
  count: boolean;
  expand: Expansion[];
}

export const EMPTY_QUERY: RecordQuery = {
  select: null,
  filter: null,
  orderBy: [],
  top: null,
  skip: 0,
  count: false,
  expand: [],
};
