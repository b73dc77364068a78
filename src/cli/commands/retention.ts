import { purgeRetained, retentionListing, setRetention } from '../../engine/retention.js';
import { usage, type ArgsOf, type Io } from '../command.js';
import { environmentName, withStore } from '../context.js';
import { table } from '../render.js';
import type { RETENTION_LIST, RETENTION_PURGE, RETENTION_SET } from './index.js';

/**
 * `strata retention`: the tables and columns an environment's operations dropped, kept in its
 * retention area for its last K revisions (a rollback past a drop brings them back); purging
 * frees them early.
 */

const count = (n: number): string => n.toLocaleString('en-US');

const figures = (f: { tables: number; columns: number; rows: number }): string =>
  `${count(f.rows)} row(s) in ${f.tables} table(s) and ${f.columns} column(s)`;

export async function retentionList(
  { values }: ArgsOf<typeof RETENTION_LIST>,
  io: Io,
): Promise<number> {
  return withStore(async (store) => {
    const listing = await retentionListing(store, await environmentName(store, values.env));
    if (values.json) {
      io.out(JSON.stringify(listing, null, 2));
      return 0;
    }
    io.out(
      `${listing.environment} is at revision ${listing.revision}; it keeps dropped tables and ` +
        `columns for ${listing.keepRevisions} revision(s). Kept now: ${figures(listing.kept)}.`,
    );
    if (listing.entries.length)
      io.out(
        table(
          ['Revision', 'Table', 'Column', 'Rows', 'State', 'Purged at revision'],
          listing.entries.map((e) => [
            e.revision,
            e.table,
            e.column ?? '(whole table)',
            count(e.rows),
            e.state,
            e.purgedAtRevision ?? '',
          ]),
        ),
      );
    return 0;
  });
}

export async function retentionPurge(
  { values }: ArgsOf<typeof RETENTION_PURGE>,
  io: Io,
): Promise<number> {
  const keep = values.keep === undefined ? undefined : revisionsArg(values.keep, '--keep');
  if (!values.all && keep === undefined)
    throw usage('strata retention purge needs --all or --keep K.');
  return withStore(async (store) => {
    const environment = await environmentName(store, values.env);
    const freed = await purgeRetained(
      store,
      environment,
      { all: values.all, keepRevisions: keep },
      (f) => {
        if (!values.json)
          io.out(
            f.rows + f.tables + f.columns
              ? `Purging ${figures(f)} from ${environment}'s retention area…`
              : `Nothing to purge in ${environment}'s retention area.`,
          );
      },
    );
    if (values.json) io.out(JSON.stringify({ environment, purged: freed }, null, 2));
    else if (freed.tables + freed.columns)
      io.out(`Purged: ${figures(freed)}. A rollback past those drops cannot bring them back.`);
    return 0;
  });
}

export async function retentionSet(
  { values, positionals }: ArgsOf<typeof RETENTION_SET>,
  io: Io,
): Promise<number> {
  if (positionals.length !== 1) throw usage('strata retention set takes K, a number of revisions.');
  const k = revisionsArg(positionals[0], 'K');
  return withStore(async (store) => {
    const environment = await environmentName(store, values.env);
    const out = await setRetention(store, environment, k);
    if (values.json) io.out(JSON.stringify({ environment, ...out }, null, 2));
    else
      io.out(
        `${environment} keeps dropped tables and columns for ${k} revision(s)` +
          (out.purged.tables + out.purged.columns
            ? `; purged what it no longer keeps: ${figures(out.purged)}.`
            : '.'),
      );
    return 0;
  });
}

function revisionsArg(value: string, what: string): number {
  if (!/^\d+$/.test(value))
    throw usage(`${what} is a number of revisions (0 or more), not "${value}".`);
  return Number(value);
}
