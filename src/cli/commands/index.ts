/**
 * Every strata command, declared once: name, summary, positionals, flags with their descriptions,
 * and the handler. main.ts dispatches from COMMANDS, help.ts renders them, and test/cli.test.ts
 * checks that docs/cli.md mentions every flag declared here.
 *
 * Handlers are imported when they run (`run` loads their module), so that `strata --help` and
 * usage errors do not load the store, the engine or the HTTP stack.
 *
 * A `run` declares its return type: the handler's argument type is derived from the declaration
 * (ArgsOf<typeof IMPORT>), and TypeScript needs the annotation to resolve that loop.
 */
import {
  defineCommand,
  defineCommandGroup,
  defineFlags,
  type Command,
  type CommandGroup,
} from '../command.js';
import {
  ACCEPT_DATA_LOSS,
  ASYNC_FLAGS,
  FULL,
  IMPORT_FLAGS,
  PACKAGER_FLAGS,
  READ_FLAGS,
} from '../flags.js';
import { AUTH, JOB, servable } from '../remote/declarations.js';

const packageCommands = () => import('./package.js');
const lifecycleCommands = () => import('./lifecycle.js');
const environmentCommands = () => import('./environment.js');
const layerCommands = () => import('./layers.js');
const packagerCommands = () => import('./packager.js');
const serverCommands = () => import('./server.js');
const dataCommands = () => import('./data.js');
const settingsCommands = () => import('./settings.js');

/** pac's --settings-file: environment variable values and connections for the import. */
const SETTINGS_FILE = defineFlags({
  'settings-file': {
    type: 'string',
    value: 'FILE',
    description:
      'a deployment settings file (strata create-settings): environment variable values and ' +
      'connection ids, written in the same transaction',
  },
});

/** pac's --solution-name (-sn): the same as the NAME argument of upgrade and delete. */
const SOLUTION_NAME = defineFlags({
  'solution-name': {
    type: 'string',
    short: 'sn',
    value: 'NAME',
    description: 'the solution, as pac names it (the same as NAME)',
  },
});

/** pac's --include: organization settings exported with the solution. */
const INCLUDE_UNSUPPORTED = defineFlags({
  include: {
    type: 'string',
    short: 'i',
    value: 'SETTINGS',
    description: "pac's organization settings to export (autonumbering, calendar, ...)",
    unsupported:
      'strata environments hold no organization settings (auto-numbering, calendar, email ' +
      'tracking, ...): export the solution without --include.',
  },
});

/** pac's --targetversion: deprecated, and ignored by pac itself. */
const TARGET_VERSION = defineFlags({
  targetversion: {
    type: 'string',
    short: 'v',
    value: 'V',
    description: 'deprecated in pac, which ignores it; accepted and ignored the same way',
  },
});
const retentionCommands = () => import('./retention.js');
const revisionCommands = () => import('./revisions.js');

const DRY_RUN = defineFlags({
  'dry-run': { type: 'boolean', description: 'show what would happen, and change nothing' },
});

export const SAMPLE = defineCommand({
  name: 'sample',
  summary: 'write the sample solution package (Contoso Projects) to a .zip',
  flags: {
    out: {
      type: 'string',
      short: 'o',
      value: 'FILE',
      default: 'contoso-projects_1_0_0_0_managed.zip',
      description: 'the file to write',
    },
    next: {
      type: 'boolean',
      description: 'write version 2.0.0.0 instead: Notes removed from projects, Status added',
    },
    unmanaged: {
      type: 'boolean',
      description: 'write the solution unmanaged (it imports into the Active layer, as drafts)',
    },
  },
  run: async (args, io): Promise<number> => (await packageCommands()).sampleCommand(args, io),
});

export const INSPECT = defineCommand({
  name: 'inspect',
  summary: 'show what a package holds and whether it updates an installed solution',
  positionals: 'PKG',
  flags: READ_FLAGS,
  run: async (args, io): Promise<number> => (await packageCommands()).inspectCommand(args, io),
});

export const PLAN = defineCommand({
  name: 'plan',
  summary: 'show exactly what an import would do; changes nothing',
  positionals: 'PKG',
  flags: {
    ...IMPORT_FLAGS,
    ...SETTINGS_FILE,
    verbose: {
      type: 'boolean',
      short: 'v',
      description: 'one row per component, and every warning',
    },
    ...FULL,
    out: {
      type: 'string',
      short: 'o',
      value: 'PLAN.json',
      description: 'also write the plan as JSON, for strata import --plan',
    },
    ...READ_FLAGS,
  },
  run: async (args, io): Promise<number> => (await packageCommands()).planCommand(args, io),
});

export const IMPORT = defineCommand({
  name: 'import',
  summary:
    'import a solution package (.zip, .cab, or folder) as one transaction; ' +
    'an installed solution is upgraded by default',
  positionals: 'PKG',
  flags: {
    path: {
      type: 'string',
      short: 'p',
      value: 'PKG',
      description: "the package, as pac names it (the same as PKG; pac's default is a cdsproj)",
    },
    ...IMPORT_FLAGS,
    ...SETTINGS_FILE,
    ...ASYNC_FLAGS,
    plan: {
      type: 'string',
      value: 'PLAN.json',
      description: 'execute a plan saved with strata plan -o, exactly',
    },
    ...READ_FLAGS,
  },
  run: async (args, io): Promise<number> => (await packageCommands()).importCommand(args, io),
});

export const UPGRADE = defineCommand({
  name: 'upgrade',
  summary: 'apply a staged upgrade (NAME_Upgrade becomes NAME), or drop it with --abandon',
  positionals: 'NAME',
  flags: {
    ...SOLUTION_NAME,
    abandon: {
      type: 'boolean',
      description: 'drop the staged upgrade instead: NAME_Upgrade goes, NAME stays as it was',
    },
    ...DRY_RUN,
    ...ACCEPT_DATA_LOSS,
    ...FULL,
    ...ASYNC_FLAGS,
  },
  run: async (args, io): Promise<number> => (await lifecycleCommands()).upgradeCommand(args, io),
});

export const EXPORT = defineCommand({
  name: 'export',
  summary:
    'write a solution package (.zip) from the environment: ' +
    'solution.xml, customizations.xml, files',
  positionals: 'NAME',
  flags: {
    name: {
      type: 'string',
      short: 'n',
      value: 'NAME',
      description: 'the solution, as pac names it (the same as NAME)',
    },
    managed: {
      type: 'boolean',
      short: 'm',
      choice: 'flavor',
      description: 'export as managed (the default for a managed solution)',
    },
    unmanaged: {
      type: 'boolean',
      choice: 'flavor',
      description: 'export as unmanaged (the default for an unmanaged solution)',
    },
    out: {
      type: 'string',
      short: 'o',
      aliases: ['--path', '-p'],
      value: 'FILE.zip',
      description: 'the file to write, or a folder to write NAME.zip in (default: NAME.zip)',
    },
    force: {
      type: 'boolean',
      aliases: ['--overwrite', '-ow'],
      description: 'replace the file if it exists',
    },
    ...ASYNC_FLAGS,
    ...INCLUDE_UNSUPPORTED,
    ...TARGET_VERSION,
  },
  run: async (args, io): Promise<number> => (await lifecycleCommands()).exportCommand(args, io),
});

export const CUSTOMIZE = defineCommand({
  name: 'customize',
  summary:
    'change a component in the Active layer (local customization), ' +
    'or remove its Active layer (cannot be undone)',
  positionals: 'TYPE KEY',
  flags: {
    set: {
      type: 'string',
      multiple: true,
      value: 'PROPERTY=VALUE',
      choice: 'change',
      description: 'set displayname, description, requiredlevel, or any element of the definition',
    },
    file: {
      type: 'string',
      value: 'DEFINITION.xml',
      choice: 'change',
      description: 'replace the whole definition; its root element must stay the same',
    },
    'remove-active': {
      type: 'boolean',
      choice: 'change',
      description: 'remove the Active layer: the managed definition below is in effect again',
    },
    ...ACCEPT_DATA_LOSS,
  },
  run: async (args, io): Promise<number> => (await lifecycleCommands()).customizeCommand(args, io),
});

/**
 * pac's clone writes a solution project (export, then unpack into a folder); strata's clone is
 * Dataverse's CloneAsSolution. The project flags say where to look instead.
 */
const PROJECT_INSTEAD =
  "pac's clone writes a solution project folder; strata clone rolls patches up " +
  '(CloneAsSolution). For a folder: strata export NAME -o NAME.zip, then strata unpack.';
const PAC_CLONE_PROJECT = defineFlags({
  outputDirectory: {
    type: 'string',
    short: 'o',
    value: 'DIR',
    description: "pac's project folder",
    unsupported: PROJECT_INSTEAD,
  },
  packagetype: {
    type: 'string',
    short: 'p',
    value: 'TYPE',
    description: "pac's project package type",
    unsupported: PROJECT_INSTEAD,
  },
  ...INCLUDE_UNSUPPORTED,
});

const VERSION_FLAG = (what: string) =>
  defineFlags({ version: { type: 'string', value: 'V', description: what } });

export const CLONE_PATCH = defineCommand({
  name: 'clone-patch',
  summary: 'create a patch of an unmanaged solution (same major.minor, higher build/revision)',
  positionals: 'NAME',
  flags: VERSION_FLAG("the patch's version (default: the next build)"),
  run: async (args, io): Promise<number> => (await lifecycleCommands()).clonePatchCommand(args, io),
});

export const CLONE = defineCommand({
  name: 'clone',
  summary: "roll an unmanaged solution's patches into a new major or minor version",
  positionals: 'NAME',
  flags: {
    ...VERSION_FLAG('the new version, a higher major or minor (default: the next minor)'),
    name: {
      type: 'string',
      short: 'n',
      value: 'NAME',
      description: 'the solution, as pac names it (the same as NAME)',
    },
    ...ASYNC_FLAGS,
    ...PAC_CLONE_PROJECT,
  },
  run: async (args, io): Promise<number> => (await lifecycleCommands()).cloneCommand(args, io),
});

export const DELETE = defineCommand({
  name: 'delete',
  summary:
    'uninstall a solution: managed layers go (refused while others depend on them); ' +
    'unmanaged: only the container',
  positionals: 'NAME',
  flags: { ...SOLUTION_NAME, ...DRY_RUN, ...ACCEPT_DATA_LOSS, ...FULL },
  run: async (args, io): Promise<number> => (await lifecycleCommands()).deleteCommand(args, io),
});

const LIST_FLAGS = defineFlags({
  all: {
    type: 'boolean',
    short: 'a',
    aliases: ['--includeSystemSolutions'],
    description:
      "also the Microsoft solutions of the environment's template (hidden otherwise, " +
      'as Dataverse hides them)',
  },
});

export const LIST = defineCommand({
  name: 'list',
  summary: 'list the solutions installed in an environment',
  readsOnly: true,
  flags: LIST_FLAGS,
  run: async (args, io): Promise<number> => (await environmentCommands()).listCommand(args, io),
});

export const COMPONENTS = defineCommand({
  name: 'components',
  summary: 'list components with their layer count and top layer',
  readsOnly: true,
  flags: {
    solution: {
      type: 'string',
      short: 's',
      value: 'S',
      description: "only this solution's components",
    },
    type: {
      type: 'string',
      short: 't',
      value: 'T',
      description: 'only components of this type (a name, a type code or a label)',
    },
  },
  run: async (args, io): Promise<number> => (await layerCommands()).componentsCommand(args, io),
});

export const LAYERS = defineCommand({
  name: 'layers',
  summary: "show a component's layers, top to bottom",
  readsOnly: true,
  positionals: 'TYPE KEY',
  flags: {
    xml: {
      type: 'boolean',
      description: "print each layer's XML (its draft when it has one) and the effective XML",
    },
    ...FULL,
  },
  run: async (args, io): Promise<number> => (await layerCommands()).layersCommand(args, io),
});

export const PUBLISH = defineCommand({
  name: 'publish',
  summary: 'publish drafts: all customizations, or the named components',
  positionals: '[TYPE:KEY ...]',
  flags: {
    all: {
      type: 'boolean',
      description: 'publish every draft (PublishAllXml), as when no component is named',
    },
    ...ASYNC_FLAGS,
  },
  run: async (args, io): Promise<number> => (await environmentCommands()).publishCommand(args, io),
});

export const LOG = defineCommand({
  name: 'log',
  summary: "download an import job's log (xml = SpreadsheetML for Excel)",
  positionals: 'JOB',
  flags: {
    format: {
      type: 'string',
      short: 'f',
      value: 'xml|json',
      description: 'SpreadsheetML 2003 for Excel, or JSON (default: xml; json with --json)',
    },
    output: {
      type: 'string',
      short: 'o',
      value: 'FILE',
      description: 'write the log to FILE instead of stdout',
    },
  },
  run: async (args, io): Promise<number> => (await environmentCommands()).logCommand(args, io),
});

export const HISTORY = defineCommand({
  name: 'history',
  summary: 'list solution operations: imports, publishes, with results',
  readsOnly: true,
  flags: {
    limit: {
      type: 'string',
      short: 'n',
      value: 'N',
      default: '100',
      description: 'how many operations to list, newest first',
    },
  },
  run: async (args, io): Promise<number> => (await environmentCommands()).historyCommand(args, io),
});

export const ROLLBACK = defineCommand({
  name: 'rollback',
  summary:
    'return the environment to an earlier revision (strata history lists them): a plan, ' +
    'then one transaction, itself a new revision',
  flags: {
    to: { type: 'string', value: 'N', description: 'the revision to go back to' },
    ...DRY_RUN,
    ...ACCEPT_DATA_LOSS,
  },
  run: async (args, io): Promise<number> => (await revisionCommands()).rollbackCommand(args, io),
});

export const REVISION_SHOW = defineCommand({
  name: 'show',
  summary: 'what revision N changed: operation, solutions, components added, changed, removed',
  positionals: 'N',
  flags: {},
  run: async (args, io): Promise<number> =>
    (await revisionCommands()).revisionShowCommand(args, io),
});

const REVISION = defineCommandGroup({
  name: 'revision',
  summary: "an environment's revisions: one per operation that changed it",
  commands: [REVISION_SHOW],
});

const RECORD_FORMAT = defineFlags({
  format: {
    type: 'string',
    value: 'csv|jsonl',
    description: "the file's format (default: from its extension)",
  },
});

const SELECT = defineFlags({
  select: {
    type: 'string',
    value: 'a,b',
    description: 'only these columns (logical names)',
  },
});

const FILTER = defineFlags({
  filter: {
    type: 'string',
    value: 'EXPR',
    description: 'only the records an OData $filter matches: "new_pages gt 100 and statecode eq 0"',
  },
});

export const DATA_IMPORT = defineCommand({
  name: 'import',
  summary: 'load a CSV or JSON Lines file (- for stdin) into a table, as one transaction',
  positionals: 'TABLE FILE',
  flags: RECORD_FORMAT,
  run: async (args, io): Promise<number> => (await dataCommands()).dataImport(args, io),
});

export const DATA_EXPORT = defineCommand({
  name: 'export',
  summary: "write a table's records to a CSV or JSON Lines file, or to stdout",
  positionals: 'TABLE',
  flags: {
    out: {
      type: 'string',
      short: 'o',
      value: 'FILE',
      description:
        'the file to write, replaced if it exists (default: stdout, as CSV; JSON Lines with --json)',
    },
    ...RECORD_FORMAT,
    ...SELECT,
    ...FILTER,
  },
  run: async (args, io): Promise<number> => (await dataCommands()).dataExport(args, io),
});

export const DATA_QUERY = defineCommand({
  name: 'query',
  summary: "show a table's records: OData $select, $filter, $orderby and $top as flags",
  positionals: 'TABLE',
  flags: {
    ...SELECT,
    ...FILTER,
    orderby: {
      type: 'string',
      value: '"x desc"',
      description: 'the order of the records: columns, each asc (the default) or desc',
    },
    top: {
      type: 'string',
      value: 'N',
      description: 'at most N records (default: 50)',
    },
  },
  run: async (args, io): Promise<number> => (await dataCommands()).dataQuery(args, io),
});

export const DATA_COUNT = defineCommand({
  name: 'count',
  summary: "count a table's records, or those of every table that holds some",
  positionals: '[TABLE]',
  flags: {
    all: {
      type: 'boolean',
      description: 'every table of the environment, those without records too',
    },
  },
  run: async (args, io): Promise<number> => (await dataCommands()).dataCount(args, io),
});

export const DATA_COPY = defineCommand({
  name: 'copy',
  summary:
    "copy one table's records into another, or one column's values into another column " +
    '(migration while an upgrade is staged)',
  positionals: 'FROM TO',
  flags: {
    map: {
      type: 'string',
      multiple: true,
      value: 'a=b',
      description: 'table to table: copy column a into column b (default: the columns both have)',
    },
  },
  run: async (args, io): Promise<number> => (await dataCommands()).dataCopy(args, io),
});

const DATA = defineCommandGroup({
  name: 'data',
  summary: "the records of an environment's tables: import, export, query, count, copy",
  commands: [DATA_IMPORT, DATA_EXPORT, DATA_QUERY, DATA_COUNT, DATA_COPY],
});

export const RETENTION_LIST = defineCommand({
  name: 'list',
  summary:
    'list the tables and columns dropped in the last K revisions, kept with their records ' +
    '(and those purged)',
  flags: {},
  run: async (args, io): Promise<number> => (await retentionCommands()).retentionList(args, io),
});

export const RETENTION_PURGE = defineCommand({
  name: 'purge',
  summary: 'free retained records early, in one transaction; says how many rows first',
  flags: {
    all: {
      type: 'boolean',
      choice: 'what',
      description: 'purge everything retained: no rollback can bring it back',
    },
    keep: {
      type: 'string',
      value: 'K',
      choice: 'what',
      description: 'purge what is older than the last K revisions',
    },
  },
  run: async (args, io): Promise<number> => (await retentionCommands()).retentionPurge(args, io),
});

export const RETENTION_SET = defineCommand({
  name: 'set',
  summary:
    'keep dropped tables and columns for the last K revisions (default 10; 0 keeps nothing); ' +
    'what K no longer keeps is purged',
  positionals: 'K',
  flags: {},
  run: async (args, io): Promise<number> => (await retentionCommands()).retentionSet(args, io),
});

const RETENTION = defineCommandGroup({
  name: 'retention',
  summary: "the records of dropped tables and columns, kept for the environment's last K revisions",
  commands: [RETENTION_LIST, RETENTION_PURGE, RETENTION_SET],
  defaultCommand: 'list',
});

export const UNPACK = defineCommand({
  name: 'unpack',
  summary: "unpack a package into SolutionPackager's folder layout (Other/, Entities/, ...)",
  positionals: 'PKG DIR',
  flags: {
    force: {
      type: 'boolean',
      aliases: ['--clobber', '-c'],
      description: 'unpack into a folder that is not empty, overwriting the files the package has',
    },
    ...PACKAGER_FLAGS,
    ...READ_FLAGS,
  },
  run: async (args, io): Promise<number> => (await packagerCommands()).unpackCommand(args, io),
});

export const PACK = defineCommand({
  name: 'pack',
  summary: 'pack a SolutionPackager folder into a solution .zip',
  positionals: 'DIR PKG.zip',
  flags: {
    force: {
      type: 'boolean',
      aliases: ['--clobber', '-c'],
      description: 'replace PKG.zip (and PKG_managed.zip) if it exists',
    },
    ...PACKAGER_FLAGS,
    ...READ_FLAGS,
  },
  run: async (args, io): Promise<number> => (await packagerCommands()).packCommand(args, io),
});

export const VERSION = defineCommand({
  name: 'version',
  summary:
    "set an unpacked solution's version in its Other/Solution.xml (pac solution version); " +
    "without arguments, print strata's version",
  positionals: '[DIR]',
  flags: {
    solutionPath: {
      type: 'string',
      short: 'sp',
      value: 'DIR',
      description: 'the unpacked solution folder or its Solution.xml (the same as DIR)',
    },
    buildversion: {
      type: 'string',
      short: 'bv',
      value: 'N',
      description: 'the build number to set (the third part)',
    },
    revisionversion: {
      type: 'string',
      short: 'rv',
      value: 'N',
      description: 'the revision number to set (the fourth part)',
    },
    strategy: {
      type: 'string',
      short: 's',
      value: 'None|Solution',
      description:
        'Solution: raise the build number by one; None: only what -bv and -rv say ' +
        '(GitTags and FileTracking are refused)',
    },
    filename: {
      type: 'string',
      short: 'fn',
      value: 'FILE',
      description: "pac's tracking file for --strategy FileTracking",
      unsupported: 'it belongs to --strategy FileTracking, which strata does not have.',
    },
    patchversion: {
      type: 'string',
      short: 'pv',
      value: 'N',
      description: 'deprecated in pac, which ignores it; accepted and ignored the same way',
    },
  },
  run: async (args, io): Promise<number> =>
    (await import('./solution-version.js')).versionCommand(args, io),
});

export const SERVE = defineCommand({
  name: 'serve',
  summary:
    'run the HTTP server: JSON API, Dataverse Web API actions, web UI ' +
    '(embedded store, or DATABASE_URL)',
  flags: {
    port: {
      type: 'string',
      short: 'p',
      value: 'P',
      description: 'the port to listen on (default: $PORT, else 8080)',
    },
    host: {
      type: 'string',
      value: 'H',
      description: 'the address to listen on (default: $HOST, else 127.0.0.1)',
    },
    quiet: { type: 'boolean', short: 'q', description: 'no request logs on stdout' },
  },
  run: async (args, io): Promise<number> => (await serverCommands()).serveCommand(args, io),
});

export const TOKEN_CREATE = defineCommand({
  name: 'create',
  summary:
    'make a token that opens the environment of --env (made with --template T when new); ' +
    'it is shown only once',
  flags: {
    label: { type: 'string', value: 'L', description: 'a note that tells tokens apart' },
    template: {
      type: 'string',
      short: 't',
      value: 'T',
      description:
        'make the environment of --env from this template first, when it does not exist yet ' +
        '(without it, the environment must exist)',
    },
    'can-create-environments': {
      type: 'boolean',
      description:
        'the token may also make new environments over HTTP (POST /environments, the web ' +
        "UI's New environment); each comes with a token of its own",
    },
  },
  run: async (args, io): Promise<number> => (await serverCommands()).tokenCreate(args, io),
});

export const TOKEN_LIST = defineCommand({
  name: 'list',
  summary: 'list the tokens (of the environment of --env, when given) and when each was used',
  flags: {},
  run: async (args, io): Promise<number> => (await serverCommands()).tokenList(args, io),
});

export const TOKEN_REVOKE = defineCommand({
  name: 'revoke',
  summary: "delete a token, by its id or the id's first characters",
  positionals: 'ID',
  flags: {},
  run: async (args, io): Promise<number> => (await serverCommands()).tokenRevoke(args, io),
});

const TOKEN = defineCommandGroup({
  name: 'token',
  summary: 'API tokens: each opens one environment over HTTP',
  commands: [TOKEN_CREATE, TOKEN_LIST, TOKEN_REVOKE],
});

export const ENV_CREATE = defineCommand({
  name: 'create',
  summary: 'make an environment from a template (strata env templates lists them)',
  positionals: 'NAME',
  flags: {
    template: {
      type: 'string',
      short: 't',
      value: 'T',
      description:
        'what the environment holds before any solution: bare, dataverse (the default), ' +
        'dynamics365, ... (strata env templates lists them)',
    },
    base: {
      type: 'string',
      value: 'standard|empty',
      description:
        'the older flag: standard is --template bare (the System layer only); ' +
        'empty is no System layer at all',
    },
  },
  run: async (args, io): Promise<number> => (await environmentCommands()).envCreate(args, io),
});

export const ENV_TEMPLATES = defineCommand({
  name: 'templates',
  summary:
    'list the environment templates and the Microsoft solutions (with versions) each installs',
  flags: {},
  run: async (args, io): Promise<number> => (await environmentCommands()).envTemplates(args, io),
});

export const ENV_LIST = defineCommand({
  name: 'list',
  summary: 'list the environments with their solutions and components (also: strata env)',
  readsOnly: true,
  flags: {},
  run: async (args, io): Promise<number> => (await environmentCommands()).envList(args, io),
});

export const ENV_DELETE = defineCommand({
  name: 'delete',
  summary: 'delete an environment and everything in it',
  positionals: 'NAME',
  flags: {},
  run: async (args, io): Promise<number> => (await environmentCommands()).envDelete(args, io),
});

const ENV = defineCommandGroup({
  name: 'env',
  summary: 'manage environments (several live in one store)',
  commands: [ENV_CREATE, ENV_TEMPLATES, ENV_LIST, ENV_DELETE],
  defaultCommand: 'list',
});

export const CREATE_SETTINGS = defineCommand({
  name: 'create-settings',
  summary:
    "write pac's deployment settings file for a package: its environment variables and " +
    'connection references, to fill in for import --settings-file',
  positionals: 'PKG',
  flags: {
    out: {
      type: 'string',
      short: 'o',
      value: 'FILE',
      description: 'the file to write (default: stdout)',
    },
    ...READ_FLAGS,
  },
  run: async (args, io): Promise<number> =>
    (await settingsCommands()).createSettingsCommand(args, io),
});

export const ENV_VAR_LIST = defineCommand({
  name: 'list',
  summary:
    "list the environment's variables (type, default, value) and connection references " +
    '(connector, connection)',
  flags: {},
  run: async (args, io): Promise<number> => (await settingsCommands()).envVarList(args, io),
});

export const ENV_VAR_SET = defineCommand({
  name: 'set',
  summary: "set an environment variable's value in the environment",
  positionals: 'NAME VALUE',
  flags: {},
  run: async (args, io): Promise<number> => (await settingsCommands()).envVarSet(args, io),
});

const ENV_VAR = defineCommandGroup({
  name: 'env-var',
  summary: 'environment variables: their values in the environment (list, set)',
  commands: [ENV_VAR_LIST, ENV_VAR_SET],
  defaultCommand: 'list',
});

/** All commands, in the order `strata help` lists them. */
export const COMMANDS: ReadonlyArray<Command | CommandGroup> = [
  SAMPLE,
  INSPECT,
  PLAN,
  // these run on a server too (src/cli/remote/), with --url/--token or a selected profile
  servable(IMPORT, 'import'),
  servable(UPGRADE, 'upgrade'),
  servable(EXPORT, 'export'),
  CUSTOMIZE,
  CLONE_PATCH,
  CLONE,
  servable(DELETE, 'delete'),
  servable(LIST, 'list'),
  COMPONENTS,
  LAYERS,
  servable(PUBLISH, 'publish'),
  servable(LOG, 'log'),
  servable(HISTORY, 'history'),
  JOB,
  REVISION,
  ROLLBACK,
  DATA,
  CREATE_SETTINGS,
  ENV_VAR,
  RETENTION,
  UNPACK,
  PACK,
  VERSION,
  SERVE,
  TOKEN,
  AUTH,
  ENV,
];

export function findCommand(name: string): Command | CommandGroup | undefined {
  return COMMANDS.find((c) => c.name === name);
}
