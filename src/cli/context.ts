/** What handlers share: the store, opened for one command, and the environment it works on. */
import { templateIds } from '../catalog/template-listing.js';
import { DEFAULT_TEMPLATE, environmentTemplate } from '../catalog/templates.js';
import { ensureEnvironment } from '../store/environments.js';
import {
  COMMAND_SHARED_BUFFERS,
  embeddedSession,
  LARGE_FILE_SHARED_BUFFERS,
  openStore,
  READ_SHARED_BUFFERS,
} from '../store/open.js';
import type { PGliteStore } from '../store/pglite/adapter.js';
import type { CopySource } from '../store/pglite/read-copy.js';
import { readingOnly } from '../store/reading-only.js';
import type { Store } from '../store/store.js';
import { usage } from './command.js';
import { DEFAULT_ENV, environmentNamed } from './environment-name.js';
import { lendStore, lentStore } from './lent.js';
import { leaveAnswers, storeSessionEnded } from './read-cache.js';
import { currentCommandReadsOnly, currentCommandWeight } from './weight.js';

/**
 * Opens the store for one command and always closes it (PGlite holds the process open otherwise).
 * A light command's PGlite takes fewer shared buffers (decision 55), a read fewest (decision 60).
 * Inside `lend`, commands use the store lent to them instead.
 */
export async function withStore<T>(fn: (store: Store) => Promise<T>): Promise<T> {
  const lent = lentStore();
  if (lent) return fn(lent);
  const store = await openStore({ sharedBuffers: commandSharedBuffers() });
  let succeeded = false;
  try {
    const result = await fn(store);
    succeeded = true;
    return result;
  } finally {
    // what a read command printed may be kept while the store stays as it is, and a command
    // that wrote answers the reads asked lately again before it lets go (read-cache.ts)
    const session = embeddedSession(store);
    if (session) storeSessionEnded(session);
    try {
      if (session?.wrote && succeeded)
        await leaveAnswers(session, (run) => lend(store, run), {
          store: copySource(store),
          environment: environmentWorkedOn,
        }).catch(() => undefined);
    } finally {
      await store.close();
    }
  }
}

/** What a copy of an environment's layers is read from: the embedded store, reading only. */
function copySource(store: Store): CopySource | undefined {
  if (store.kind !== 'pglite') return undefined;
  const pglite = store as PGliteStore;
  return {
    query: readingOnly(store).query,
    copyOutToFile: (select, file, format) => pglite.copyOutToFile(select, file, format),
  };
}

/** PGlite's shared buffers: 32 MB for a heavy command, 16 for a light one, 4 for a read. */
function commandSharedBuffers(): string {
  if (currentCommandWeight() === 'heavy') return LARGE_FILE_SHARED_BUFFERS;
  return currentCommandReadsOnly() ? READ_SHARED_BUFFERS : COMMAND_SHARED_BUFFERS;
}

/**
 * Runs `fn` with every withStore in it given `store`, open already (and left open), refusing any
 * statement that may write: the reads a write leaves behind answer what the write made, and must
 * not change it (a `list` that made the default environment again after `env delete default`).
 */
async function lend(store: Store, fn: () => Promise<void>): Promise<void> {
  lendStore(readingOnly(store));
  try {
    await fn();
  } finally {
    lendStore(undefined);
  }
}

/**
 * The environment a command works on; the default one is created on first use, from the
 * default template (environments made before templates keep theirs).
 */
export async function environmentName(store: Store, flag: string | undefined): Promise<string> {
  const name = environmentNamed(flag);
  if (name === DEFAULT_ENV) await ensureEnvironment(store, name, DEFAULT_TEMPLATE);
  if (!lentStore()) environmentWorkedOn = name;
  return name;
}

/** The environment the command under way named last: its layers are copied after a write. */
let environmentWorkedOn: string | undefined;

/** A --template value: a template's id (any case), else a usage error naming the valid ones. */
export function templateArg(input: string): string {
  const t = environmentTemplate(input);
  if (!t)
    throw usage(
      `There is no environment template "${input}".`,
      `Use one of: ${templateIds().join(', ')} (strata env templates lists what each installs).`,
    );
  return t.id;
}
