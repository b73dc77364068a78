import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CATALOG_ID } from '../catalog/catalog.js';
import { StrataError } from '../model/errors.js';
import { ensureEnvironment } from '../store/environments.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';

export const DEFAULT_ENV = 'default';

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  isTTY: boolean;
}

export function usage(message: string, hint?: string): StrataError {
  return new StrataError('USAGE', message, {
    hint: hint ?? 'strata help lists the commands; strata help COMMAND shows one.',
  });
}

/** parseArgs with strata's common flags and a usage error (not a crash) for unknown ones. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type FlagValues = { env?: string; json?: boolean; help?: boolean; [flag: string]: any };

export function parse(
  argv: string[],
  options: NonNullable<ParseArgsConfig['options']>,
  allowPositionals = true,
): { values: FlagValues; positionals: string[] } {
  try {
    return parseArgs({
      args: argv,
      allowPositionals,
      strict: true,
      options: {
        json: { type: 'boolean' },
        env: { type: 'string', short: 'e' },
        help: { type: 'boolean', short: 'h' },
        ...options,
      },
    });
  } catch (e) {
    throw usage((e as Error).message);
  }
}

/** Opens the store for one command and always closes it (PGlite holds the process open otherwise). */
export async function withStore<T>(fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore();
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** The environment a command works on; the default one is created on first use. */
export async function environmentName(store: Store, flag: string | undefined): Promise<string> {
  const name = flag ?? process.env.STRATA_ENV ?? DEFAULT_ENV;
  if (name === DEFAULT_ENV) await ensureEnvironment(store, name, CATALOG_ID);
  return name;
}
