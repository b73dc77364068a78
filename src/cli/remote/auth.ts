/** strata auth create|list|select|delete: the server profiles (profiles.ts). */
import { usage, type ArgsOf, type Io } from '../command.js';
import { table } from '../render.js';
import { WebApiClient } from './client.js';
import type { AUTH_CREATE, AUTH_DELETE, AUTH_LIST, AUTH_SELECT } from './declarations.js';
import {
  defaultProfileName,
  findProfile,
  profilesFile,
  readProfiles,
  writeProfiles,
} from './profiles.js';
import { apiRootOf } from './target.js';

/** strata auth create --url URL --token T [--name N]: checks the token (WhoAmI), saves, selects. */
export async function authCreate({ values }: ArgsOf<typeof AUTH_CREATE>, io: Io): Promise<number> {
  const url = values.url ?? process.env.STRATA_URL;
  const token = values.token ?? process.env.STRATA_TOKEN;
  if (!url || !token)
    throw usage('auth create needs the server and its token: --url URL --token TOKEN');
  const apiRoot = apiRootOf(url);
  const name = values.name ?? defaultProfileName(url);
  // a token that does not open the server is refused here rather than on the first import
  await new WebApiClient({ apiRoot, token, label: url }).get('WhoAmI()');
  const saved = readProfiles();
  const replaced = saved.profiles.some((p) => p.name === name);
  writeProfiles({
    selected: name,
    profiles: [...saved.profiles.filter((p) => p.name !== name), { name, url, token }],
  });
  if (values.json) io.out(JSON.stringify({ name, url: apiRoot, selected: true }, null, 2));
  else
    io.out(
      `${replaced ? 'Replaced' : 'Saved'} the profile ${name} (${apiRoot}) and selected it: ` +
        'import, upgrade, export, list, delete, publish, history and log now run there ' +
        '(--local runs one on the local store).',
    );
  return 0;
}

export async function authList({ values }: ArgsOf<typeof AUTH_LIST>, io: Io): Promise<number> {
  const { selected, profiles } = readProfiles();
  const rows = profiles.map((p) => ({
    name: p.name,
    url: apiRootOf(p.url),
    selected: p.name === selected,
  }));
  if (values.json) io.out(JSON.stringify(rows, null, 2));
  else if (!rows.length)
    io.out(
      'No server profiles: commands run on the local store. ' +
        'Save one with: strata auth create --url URL --token TOKEN',
    );
  else {
    io.out(
      table(
        ['', 'Name', 'Web API'],
        rows.map((r) => [r.selected ? '*' : '', r.name, r.url]),
      ),
    );
    io.out(
      selected
        ? `\nCommands run on ${selected} (--local runs one on the local store). ${profilesFile()}`
        : `\nNo profile is selected: commands run on the local store. ${profilesFile()}`,
    );
  }
  return 0;
}

export async function authSelect(
  { values, positionals }: ArgsOf<typeof AUTH_SELECT>,
  io: Io,
): Promise<number> {
  if (positionals.length !== 1) throw usage("auth select takes a profile's name.");
  const saved = readProfiles();
  const p = findProfile(saved, positionals[0]);
  writeProfiles({ ...saved, selected: p.name });
  if (values.json) io.out(JSON.stringify({ name: p.name, selected: true }));
  else io.out(`Selected ${p.name} (${apiRootOf(p.url)}).`);
  return 0;
}

export async function authDelete(
  { values, positionals }: ArgsOf<typeof AUTH_DELETE>,
  io: Io,
): Promise<number> {
  if (positionals.length !== 1) throw usage("auth delete takes a profile's name.");
  const saved = readProfiles();
  const p = findProfile(saved, positionals[0]);
  const wasSelected = saved.selected === p.name;
  writeProfiles({
    selected: wasSelected ? null : saved.selected,
    profiles: saved.profiles.filter((x) => x.name !== p.name),
  });
  if (values.json) io.out(JSON.stringify({ name: p.name, deleted: true }));
  else
    io.out(
      `Deleted the profile ${p.name}` +
        (wasSelected ? ': no profile is selected, commands run on the local store.' : '.'),
    );
  return 0;
}
