/**
 * Which server a command runs on, if any: `--url`/`--token`, else $STRATA_URL/$STRATA_TOKEN,
 * else the selected profile (strata auth select). `--local` keeps a command on the local store.
 */
import { usage } from '../command.js';
import { readProfiles, type Profile } from './profiles.js';

export interface ServerTarget {
  /** the Web API's root: …/api/data/v9.2 */
  apiRoot: string;
  token: string;
  /** how messages name the server: the profile's name, else the URL */
  label: string;
}

const API_PATH = '/api/data/v9.2';

/** The Web API root of a server URL: given as the server's root, or as the API's own. */
export function apiRootOf(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw usage(`"${url}" is not a URL.`, 'Give the server as http(s)://host[:port].');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw usage(`"${url}" is not an http(s) URL.`);
  const path = u.pathname.replace(/\/+$/, '');
  if (/\/api\/data\/v\d+\.\d+$/i.test(path)) return `${u.origin}${path}`;
  return `${u.origin}${path}${API_PATH}`;
}

export function serverTarget(values: Record<string, unknown>): ServerTarget | undefined {
  const flagUrl = values.url as string | undefined;
  const flagToken = values.token as string | undefined;
  if (values.local) {
    if (flagUrl || flagToken) throw usage('--local and --url/--token exclude each other.');
    return undefined;
  }
  const envUrl = process.env.STRATA_URL || undefined;
  const envToken = process.env.STRATA_TOKEN || undefined;
  const explicitUrl = flagUrl ?? envUrl;
  const explicitToken = flagToken ?? envToken;
  const saved = explicitUrl && explicitToken ? undefined : readProfiles();
  const selected = saved?.selected
    ? saved.profiles.find((p) => p.name === saved.selected)
    : undefined;
  let profile: Profile | undefined;
  if (explicitUrl) {
    const root = apiRootOf(explicitUrl);
    profile = saved?.profiles.find((p) => apiRootOf(p.url) === root);
  } else profile = selected;
  const url = explicitUrl ?? profile?.url;
  const token = explicitToken ?? profile?.token;
  if (!url && !token) return undefined;
  if (!url)
    throw usage(
      '--token needs a server: add --url URL, set STRATA_URL, or select a profile.',
      'strata auth create --url URL --token TOKEN saves one.',
    );
  if (!token)
    throw usage(
      `No token for ${url}: add --token TOKEN or set STRATA_TOKEN.`,
      'strata auth create --url URL --token TOKEN saves one.',
    );
  if (values.env !== undefined)
    throw usage(
      '--env names an environment of the local store; on a server, the token opens its environment.',
      'Drop --env, or add --local to run on the local store.',
    );
  const root = apiRootOf(url);
  return { apiRoot: root, token, label: profile && !explicitUrl ? profile.name : url };
}
