/** The environment a command works on when none is named: made on first use (cli/context.ts). */
export const DEFAULT_ENV = 'default';

/** The environment a --env flag names: the flag, else $STRATA_ENV, else the default one. */
export function environmentNamed(flag: string | undefined): string {
  return flag ?? process.env.STRATA_ENV ?? DEFAULT_ENV;
}
