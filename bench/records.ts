/**
 * The record scenarios of `npm run bench` (issue 12), on the same store as the rest:
 *
 * - `bulk-load`: 1,000,000 rows into one table through the bulk path (engine/records/load.ts:
 *   every value checked, then COPY in batches), against a plain COPY of the same rows (the same
 *   columns and values, formatted before its clock starts) into an identical table (indexes and
 *   defaults included), in the same run. Targets: ≥ 100,000 rows/s, ratio ≤ 2.
 * - `upgrade-data`: an upgrade whose 1,000,000-row table loses a column and which removes a
 *   second table of 1,000,000 rows, including the data-at-risk counts. Target: ≤ 2 s.
 * - `retention` (issue 16): the same upgrade with retention (K = 10: the table and the column are
 *   kept) and without (K = 0: dropped at once), alternating with / without / without / with … in
 *   fresh environments, the median of each; and `restore`: restoreRetained bringing the
 *   1,000,000-row table and the column of 1,000,000 rows back. Targets: ≤ 10 % more, ≤ 5 s.
 */
import { CATALOG_ID } from '../src/catalog/catalog.js';
import { importSolution } from '../src/engine/import.js';
import { loadRecords } from '../src/engine/records/load.js';
import { tableIn } from '../src/engine/records/records.js';
import type { RecordValues } from '../src/engine/records/values.js';
import { buildSolutionZip, type SolutionSpec, type TableSpec } from '../src/package/build.js';
import {
  createEnvironment,
  deleteEnvironment,
  findEnvironment,
} from '../src/store/environments.js';
import { restoreRetained, setRetentionRevisions } from '../src/store/retention.js';
import { columnIdent, tableRef } from '../src/store/record-names.js';
import { loadTableShapes, recordSchemaOf } from '../src/store/record-tables.js';
import { CopyBatchWriter } from '../src/engine/records/copy-lines.js';
import { writerValues } from '../src/engine/records/values.js';
import { writeSequentialGuid } from '../src/model/sequential-guid.js';
import type { Store } from '../src/store/store.js';

export interface RecordResult {
  scenario: string;
  store: string;
  rows: number;
  seconds: number;
  [k: string]: number | string;
}

const PUBLISHER = {
  uniqueName: 'benchpub',
  displayName: 'Bench',
  prefix: 'bnc',
  optionValuePrefix: 55500,
};

function table(name: string, columns: TableSpec['columns']): TableSpec {
  return { name, display: name, forms: 0, views: 0, columns };
}

const ORDER_COLUMNS: TableSpec['columns'] = [
  { name: 'bnc_name', display: 'Name', type: 'nvarchar' },
  { name: 'bnc_quantity', display: 'Quantity', type: 'int' },
  { name: 'bnc_placedon', display: 'Placed on', type: 'datetime' },
  { name: 'bnc_note', display: 'Note', type: 'nvarchar' },
];

function solution(name: string, version: string, tables: TableSpec[]): SolutionSpec {
  return {
    uniqueName: name,
    displayName: name,
    version,
    managed: true,
    publisher: PUBLISHER,
    tables,
  };
}

/** The i-th generated record: the same every time, so both sides load the same rows. */
function order(i: number): RecordValues {
  return {
    bnc_name: `Order ${i}`,
    bnc_quantity: i % 1000,
    bnc_placedon: new Date(Date.UTC(2026, 0, 1) + (i % 86400) * 1000).toISOString(),
    bnc_note: i % 3 === 0 ? null : `note ${i % 97}`,
  };
}

function* orders(n: number): Generator<RecordValues> {
  for (let i = 0; i < n; i++) yield order(i);
}

async function schemaOf(store: Store, env: string): Promise<string> {
  return (await recordSchemaOf(store, (await findEnvironment(store, env)).id))!;
}

export async function bulkLoad(store: Store, kind: string, rows: number): Promise<RecordResult> {
  const env = 'rec_load';
  await createEnvironment(store, env, CATALOG_ID);
  await importSolution(store, {
    environment: env,
    source: buildSolutionZip(
      solution('BenchRecords', '1.0.0.0', [table('bnc_order', ORDER_COLUMNS)]),
    ),
  });
  const ref = await tableIn(store, env, 'bnc_order');
  // the rows exist before either clock starts: only loading them is timed, on both sides
  const records = [...orders(rows)];
  // both sides start from a clean buffer pool: the scenarios before leave dirty pages, and
  // whichever side ran first would pay for writing them
  await checkpoint(store);
  const t = performance.now();
  await loadRecords(store, ref, records);
  const seconds = (performance.now() - t) / 1000;

  // the floor: the same rows — the same columns and values the load wrote (its own encoding,
  // done before the clock starts) — by a plain COPY into an identical table (its indexes and
  // defaults included)
  const schema = await schemaOf(store, env);
  const plain = tableRef(schema, 'bnc_order_plain');
  await store.query(`CREATE TABLE ${plain} (LIKE ${tableRef(schema, 'bnc_order')} INCLUDING ALL)`);
  const shape = (await loadTableShapes(store, ref.envId, ['bnc_order'])).get('bnc_order')!;
  const writer = new CopyBatchWriter(
    shape,
    writerValues(shape, ref.envId, 'create'),
    writeSequentialGuid,
  );
  const batches: Array<{ idents: string[]; body: Uint8Array }> = [];
  for (let start = 0; start < rows; start += 20_000) {
    for (const r of records.slice(start, start + 20_000)) writer.add(r);
    const batch = writer.take()!;
    const idents = batch.columns.map((c) => columnIdent(c.column, c.companion));
    batches.push({ idents, body: batch.body });
  }
  await checkpoint(store);
  const c = performance.now();
  await store.transaction(async (tx) => {
    for (const b of batches) await tx.copyText!(plain, b.idents, b.body);
  });
  const copySeconds = (performance.now() - c) / 1000;
  return {
    scenario: 'bulk-load',
    store: kind,
    rows,
    seconds: round(seconds),
    rowsPerSecond: Math.round(rows / seconds),
    copySeconds: round(copySeconds),
    ratio: round(seconds / copySeconds),
  };
}

const DATA_V1 = solution('BenchData', '1.0.0.0', [
  table('bnc_order', ORDER_COLUMNS),
  table('bnc_archive', ORDER_COLUMNS),
]);
const DATA_V2 = solution('BenchData', '2.0.0.0', [
  table(
    'bnc_order',
    ORDER_COLUMNS.filter((c) => c.name !== 'bnc_note'),
  ),
]);

/** An environment with BenchData 1.0 and `rows` records in each of its two tables. */
async function dataEnvironment(store: Store, env: string, rows: number): Promise<void> {
  await createEnvironment(store, env, CATALOG_ID);
  await importSolution(store, { environment: env, source: buildSolutionZip(DATA_V1) });
  await loadRecords(store, await tableIn(store, env, 'bnc_order'), orders(rows));
  await loadRecords(store, await tableIn(store, env, 'bnc_archive'), orders(rows));
}

export async function upgradeData(store: Store, kind: string, rows: number): Promise<RecordResult> {
  const env = 'rec_upgrade';
  await dataEnvironment(store, env, rows);
  const zip = buildSolutionZip(DATA_V2);
  const t = performance.now();
  const out = await importSolution(store, {
    environment: env,
    source: zip,
    options: { acceptDataLoss: true },
  });
  const seconds = (performance.now() - t) / 1000;
  const d = out.plan.dataAtRisk;
  return {
    scenario: 'upgrade-data',
    store: kind,
    rows,
    seconds: round(seconds),
    rowsAtRisk: d.rows,
    valuesAtRisk: d.values,
  };
}

/**
 * Retention's cost on `upgrade-data`, and restoring what it dropped. The machine may be shared:
 * with and without alternate (w, o, o, w, w, o, …), each in a fresh environment after a
 * checkpoint and a read of both tables, and the medians are compared. Nearly all of either side
 * is the two full scans that count the data at risk (≈ 0.6 s each on PGlite), and those vary
 * from run to run by more than retention costs (≈ 10 statements, 10–20 ms): without the read
 * first, whichever side found colder caches looked slower.
 */
export async function retentionCost(
  store: Store,
  kind: string,
  rows: number,
  pairs = 3,
): Promise<RecordResult[]> {
  const zip = buildSolutionZip(DATA_V2);
  const timed: Record<'with' | 'without', number[]> = { with: [], without: [] };
  const restores: number[] = [];
  let run = 0;
  for (let p = 0; p < pairs; p++) {
    const order: Array<'with' | 'without'> = p % 2 ? ['without', 'with'] : ['with', 'without'];
    for (const side of order) {
      const env = `rec_retention_${run++}`;
      await dataEnvironment(store, env, rows);
      const envId = (await findEnvironment(store, env)).id;
      if (side === 'without') await store.transaction((tx) => setRetentionRevisions(tx, envId, 0));
      const before = (await findEnvironment(store, env)).revision;
      await checkpoint(store);
      // both sides scan the same 2,000,000 rows for the data-at-risk counts; read them once
      // first, so that neither side's figure depends on what the load left in the caches
      await warm(store, env);
      const t = performance.now();
      await importSolution(store, {
        environment: env,
        source: zip,
        options: { acceptDataLoss: true },
      });
      timed[side].push((performance.now() - t) / 1000);
      if (side === 'with') {
        const r = performance.now();
        const back = await store.transaction((tx) => restoreRetained(tx, envId, before));
        restores.push((performance.now() - r) / 1000);
        if (back.tables[0]?.rows !== rows) throw new Error('the archive did not come back whole');
      }
      await deleteEnvironment(store, env);
    }
  }
  const withRetention = median(timed.with);
  const without = median(timed.without);
  return [
    {
      scenario: 'retention',
      store: kind,
      rows,
      seconds: round(withRetention),
      withoutSeconds: round(without),
      overhead: round(withRetention / without - 1),
      runs: `with ${timed.with.map(round).join(', ')}; without ${timed.without.map(round).join(', ')}`,
    },
    {
      scenario: 'restore',
      store: kind,
      rows,
      seconds: round(median(restores)),
      runs: restores.map(round).join(', '),
    },
  ];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function warm(store: Store, env: string): Promise<void> {
  const schema = await schemaOf(store, env);
  for (const t of ['bnc_order', 'bnc_archive'])
    await store.query(`SELECT count(*), count("bnc_note") FROM ${tableRef(schema, t)}`);
}

async function checkpoint(store: Store): Promise<void> {
  await store.query('CHECKPOINT').catch(() => undefined);
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/**
 * One page of 5,000 records through the Web API (`Prefer: odata.maxpagesize=5000`), over HTTP
 * from the server on this store, from the bulk-load table: the first page and a page deep in the
 * table, each the median of seven requests of a server that has served ten pages (a running
 * server's latency; the very first page of a new server is reported as well). Target ≤ 100 ms.
 */
export async function webApiPage(store: Store, kind: string): Promise<RecordResult> {
  const { buildServer } = await import('../src/server/app.js');
  const { createToken } = await import('../src/store/tokens.js');
  const app = await buildServer({ store, logger: false, runImports: false });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const { token } = await createToken(store, 'rec_load', 'bench');
    const get = async (url: string): Promise<{ ms: number; rows: number; next?: string }> => {
      const t = performance.now();
      const res = await fetch(url, {
        headers: { authorization: `Bearer ${token}`, prefer: 'odata.maxpagesize=5000' },
      });
      const body = (await res.json()) as { value: unknown[]; '@odata.nextLink'?: string };
      if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${JSON.stringify(body)}`);
      return { ms: performance.now() - t, rows: body.value.length, next: body['@odata.nextLink'] };
    };
    const first = `${base}/api/data/v9.2/bnc_orders`;
    // the very first page of a new server, for the record; then a server warmed up as one that
    // has served a few pages is (V8 optimises the formatting after some calls): the target is
    // for a page of a running server
    const cold = (await get(first)).ms;
    for (let i = 0; i < 10; i++) await get(first);
    const times = async (url: string): Promise<number> => {
      const ms: number[] = [];
      for (let i = 0; i < 7; i++) ms.push((await get(url)).ms);
      return ms.sort((a, b) => a - b)[3];
    };
    const firstMs = await times(first);
    // a page deep in the table: follow next links 20 pages in (100,000 records)
    let url = first;
    for (let i = 0; i < 20; i++) url = (await get(url)).next ?? url;
    const deepMs = await times(url);
    return {
      scenario: 'webapi-page',
      store: kind,
      rows: 5000,
      seconds: round(firstMs / 1000),
      deepSeconds: round(deepMs / 1000),
      coldSeconds: round(cold / 1000),
    };
  } finally {
    await app.close();
  }
}
