/**
 * What a plan would do to records: the tables it drops with their rows, the columns it drops
 * with their values (counted when the plan was made), and the tables whose shape it changes.
 * Every plan carries one (ImportPlan, LifecyclePlan); the CLI prints it first, and a plan whose
 * figures are not zero is carried out only when the loss was accepted (`acceptDataLoss`).
 */
export interface DataAtRisk {
  tables: Array<{ table: string; rows: number }>;
  columns: Array<{ table: string; column: string; values: number }>;
  /** rows of the dropped tables, in all */
  rows: number;
  /** non-empty values of the dropped columns, in all */
  values: number;
  /** the tables whose SQL shape the plan may change (made, altered or dropped) */
  touched: string[];
  /**
   * How many revisions what the plan drops is kept in the environment's retention area before it
   * is purged (store/retention.ts); 0 or absent: it is deleted at once.
   */
  retainedFor?: number;
}

export const NO_DATA_AT_RISK: DataAtRisk = {
  tables: [],
  columns: [],
  rows: 0,
  values: 0,
  touched: [],
};

/** Whether carrying out the plan would lose records or values. */
export function losesData(d: DataAtRisk | undefined): boolean {
  return !!d && d.rows + d.values > 0;
}
