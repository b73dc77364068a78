/**
 * Server profiles (`strata auth`): a name, the server's URL and a bearer token, kept in
 * $STRATA_HOME/auth.json (mode 0600: it holds tokens), with the selected one marked. A token is
 * written here and sent to its server; it is never printed.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { StrataError } from '../../model/errors.js';

export interface Profile {
  name: string;
  url: string;
  token: string;
}

export interface Profiles {
  selected: string | null;
  profiles: Profile[];
}

/** The folder of the embedded store: the profiles live beside it. */
function home(): string {
  return resolve(process.env.STRATA_HOME || '.strata');
}

export function profilesFile(): string {
  return join(home(), 'auth.json');
}

export function readProfiles(): Profiles {
  const file = profilesFile();
  if (!existsSync(file)) return { selected: null, profiles: [] };
  try {
    const p = JSON.parse(readFileSync(file, 'utf8')) as Partial<Profiles>;
    return { selected: p.selected ?? null, profiles: Array.isArray(p.profiles) ? p.profiles : [] };
  } catch {
    throw new StrataError('PROFILE_FILE_INVALID', `${file} is not a strata profile file.`, {
      hint: `Delete it and save the profiles again with strata auth create.`,
    });
  }
}

export function writeProfiles(p: Profiles): void {
  mkdirSync(home(), { recursive: true, mode: 0o700 });
  const file = profilesFile();
  writeFileSync(file, JSON.stringify(p, null, 2) + '\n', { mode: 0o600 });
  // writeFileSync keeps the mode of a file that exists: make sure
  chmodSync(file, 0o600);
}

export function findProfile(p: Profiles, name: string): Profile {
  const found = p.profiles.find((x) => x.name === name);
  if (!found)
    throw new StrataError('PROFILE_NOT_FOUND', `There is no server profile "${name}".`, {
      hint: p.profiles.length
        ? `strata auth list shows them: ${p.profiles.map((x) => x.name).join(', ')}.`
        : 'Save one with: strata auth create --url URL --token TOKEN --name NAME',
    });
  return found;
}

/** A profile's default name: the server's host (with its port), as pac names by environment. */
export function defaultProfileName(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'server';
  }
}
