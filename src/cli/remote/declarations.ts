/**
 * The CLI against a server, declared: the flags that send a command to a server (`--url`,
 * `--token`, `--local`), `servable` (a command that runs on the local store or, with a server
 * profile selected or those flags, on a server through the Dataverse Web API), and the `auth`
 * and `job` commands. Loaded at start-up with the other declarations: keep it light; the client
 * and the handlers load when a command runs.
 */
import {
  defineCommand,
  defineCommandGroup,
  defineFlags,
  usage,
  type Command,
  type CommandArgs,
  type Flags,
  type Io,
} from '../command.js';

/** Where a command runs when it does not run on the local store. */
export const SERVER_FLAGS = defineFlags({
  url: {
    type: 'string',
    value: 'URL',
    description:
      'run on this server (its Dataverse Web API) instead of the local store ' +
      '(default: $STRATA_URL, else the selected strata auth profile)',
  },
  token: {
    type: 'string',
    value: 'TOKEN',
    description: "the server's bearer token (default: $STRATA_TOKEN, else the profile's)",
  },
  local: {
    type: 'boolean',
    description: 'run on the local store even when a server profile is selected',
  },
});

/** Submit and return: import and export. */
export const ASYNC_FLAGS = defineFlags({
  async: {
    type: 'boolean',
    short: 'a',
    description:
      'on a server: submit, print the job id and exit 0 (follow it with strata job wait ID)',
  },
});

const WAIT_FLAGS = defineFlags({
  'max-async-wait-time': {
    type: 'string',
    value: 'MIN',
    description: 'give up waiting after this many minutes, as pac does (default: 60)',
  },
});

/** The commands that run on a server too, by the name of their remote handler. */
export type ServableName =
  'import' | 'upgrade' | 'export' | 'list' | 'delete' | 'publish' | 'history' | 'log';

const remoteCommands = () => import('./commands.js');
const remoteTarget = () => import('./target.js');

/**
 * `command` with the server flags: with a server named (flags, environment variables or the
 * selected profile) it runs through the Web API client, else as it always has on the local store.
 */
export function servable(command: Command, name: ServableName): Command {
  const withAsync = name === 'import' || name === 'export';
  const flags: Flags = {
    ...(withAsync ? ASYNC_FLAGS : {}),
    ...command.flags,
    ...SERVER_FLAGS,
  };
  return {
    ...command,
    flags,
    run: async (args: CommandArgs<Flags>, io: Io): Promise<number> => {
      const values = args.values as Record<string, unknown>;
      const target = (await remoteTarget()).serverTarget(values);
      if (target) return (await remoteCommands()).runRemote(name, target, args, io);
      if (values.async && !('async' in command.flags))
        throw usage(
          '--async needs a server: an import or export on the local store runs to its end.',
          'Name a server with --url and --token, or select a profile (strata auth select NAME).',
        );
      // the command's own handler gets its own flags: --async only when it declares it
      const { url: _u, token: _t, local: _l, ...own } = values;
      if (!('async' in command.flags)) delete own.async;
      return command.run({ ...args, values: own as CommandArgs<Flags>['values'] }, io);
    },
  };
}

const authCommands = () => import('./auth.js');
const jobCommands = () => import('./jobs.js');

export const AUTH_CREATE = defineCommand({
  name: 'create',
  summary: 'save a server profile (URL and token) and select it; the token is checked, never shown',
  flags: {
    url: {
      type: 'string',
      value: 'URL',
      description: "the server: its root (http://host:8080) or its Web API's (…/api/data/v9.2)",
    },
    token: {
      type: 'string',
      value: 'TOKEN',
      description: 'the bearer token (strata token create)',
    },
    name: {
      type: 'string',
      short: 'n',
      value: 'N',
      description: "the profile's name (default: the server's host and port)",
    },
  },
  run: async (args, io): Promise<number> => (await authCommands()).authCreate(args, io),
});

export const AUTH_LIST = defineCommand({
  name: 'list',
  summary: 'list the server profiles; * marks the selected one',
  flags: {},
  run: async (args, io): Promise<number> => (await authCommands()).authList(args, io),
});

export const AUTH_SELECT = defineCommand({
  name: 'select',
  summary: 'select a profile: the server commands run on from now on',
  positionals: 'NAME',
  flags: {},
  run: async (args, io): Promise<number> => (await authCommands()).authSelect(args, io),
});

export const AUTH_DELETE = defineCommand({
  name: 'delete',
  summary: 'delete a profile (and its token); when it was selected, commands run locally again',
  positionals: 'NAME',
  flags: {},
  run: async (args, io): Promise<number> => (await authCommands()).authDelete(args, io),
});

export const AUTH = defineCommandGroup({
  name: 'auth',
  summary: 'server profiles: run import, export, list, ... on a server through its Web API',
  commands: [AUTH_CREATE, AUTH_LIST, AUTH_SELECT, AUTH_DELETE],
  defaultCommand: 'list',
});

export const JOB_SHOW = defineCommand({
  name: 'show',
  summary: 'show an asynchronous job: what it is, its state, its result',
  positionals: 'ID',
  flags: { ...SERVER_FLAGS },
  run: async (args, io): Promise<number> => (await jobCommands()).jobShow(args, io),
});

export const JOB_WAIT = defineCommand({
  name: 'wait',
  summary: "wait for an asynchronous job to end, with the import's progress; exit as it ended",
  positionals: 'ID',
  flags: {
    ...WAIT_FLAGS,
    'export-job': {
      type: 'string',
      value: 'ID',
      description:
        "an export's ExportJobId (strata export --async prints it): download the file when done",
    },
    out: {
      type: 'string',
      short: 'o',
      value: 'FILE.zip',
      description: 'with --export-job: the file to write (replaced if it exists)',
    },
    ...SERVER_FLAGS,
  },
  run: async (args, io): Promise<number> => (await jobCommands()).jobWait(args, io),
});

export const JOB = defineCommandGroup({
  name: 'job',
  summary: 'asynchronous jobs (import --async, export --async): show one, wait for one',
  commands: [JOB_SHOW, JOB_WAIT],
});
