/** The generated packages the benchmark times (npm run bench). */
import type { SolutionSpec, TableSpec } from '../src/package/build.js';

/** 20 components per table: the table, 16 columns, 1 form, 2 views. */
export function spec(components: number, next = false): SolutionSpec {
  const perTable = 20;
  const tables: TableSpec[] = [];
  const count = Math.ceil(components / perTable);
  for (let t = 0; t < count; t++) {
    // the next version drops every 20th table (5 % of the components) and relabels two of the
    // 16 columns of every table it keeps (10 % changed)
    if (next && t % 20 === 19) continue;
    tables.push({
      name: `bnc_Table${t}`,
      display: `Table ${t}`,
      forms: 1,
      views: 2,
      columns: Array.from({ length: 16 }, (_, c) => ({
        name: `bnc_Col${c}`,
        display: next && c < 2 ? `Column ${c} (v2)` : `Column ${c}`,
        type: c % 4 === 0 ? 'int' : c % 4 === 1 ? 'datetime' : ('nvarchar' as const),
      })),
    });
  }
  return {
    uniqueName: `Bench${components}`,
    displayName: `Bench ${components}`,
    version: next ? '2.0.0.0' : '1.0.0.0',
    managed: true,
    publisher: {
      uniqueName: 'benchpub',
      displayName: 'Bench',
      prefix: 'bnc',
      optionValuePrefix: 55500,
    },
    tables,
  };
}
