export const COMMANDS: Record<string, { usage: string; summary: string }> = {
  sample: {
    usage: 'strata sample [-o FILE]',
    summary: 'write the sample solution package (Contoso Projects) to a .zip',
  },
  inspect: {
    usage: 'strata inspect PKG [--env E] [--max-size MB] [--variant managed|unmanaged] [--json]',
    summary: 'show what a package holds and whether it updates an installed solution',
  },
  plan: {
    usage: 'strata plan PKG [IMPORT OPTIONS] [--verbose] [-o PLAN.json] [--json]',
    summary: 'show exactly what an import would do; changes nothing',
  },
  import: {
    usage:
      'strata import PKG [--env E] [--stage-and-upgrade | --import-as-holding | --update] [--force-overwrite] [--activate-plugins] [--skip-lower-version] [--publish-changes] [--max-size MB] [--variant managed|unmanaged] [--json]',
    summary:
      'import a solution package (.zip, .cab, or folder) as one transaction; an installed solution is upgraded by default',
  },
  upgrade: {
    usage: 'strata upgrade NAME [--abandon] [--dry-run] [--env E] [--json]',
    summary: 'apply a staged upgrade (NAME_Upgrade becomes NAME), or drop it with --abandon',
  },
  export: {
    usage:
      'strata export NAME [--managed | --unmanaged] [-o FILE.zip] [--force] [--env E] [--json]',
    summary:
      'write a solution package (.zip) from the environment: solution.xml, customizations.xml, files',
  },
  customize: {
    usage:
      'strata customize TYPE KEY --set PROPERTY=VALUE ... | --file DEFINITION.xml  ·  strata customize --remove-active TYPE KEY',
    summary:
      'change a component in the Active layer (local customization), or remove its Active layer (cannot be undone)',
  },
  'clone-patch': {
    usage: 'strata clone-patch NAME [--version V] [--env E] [--json]',
    summary: 'create a patch of an unmanaged solution (same major.minor, higher build/revision)',
  },
  clone: {
    usage: 'strata clone NAME [--version V] [--env E] [--json]',
    summary: "roll an unmanaged solution's patches into a new major or minor version",
  },
  delete: {
    usage: 'strata delete NAME [--dry-run] [--env E] [--json]',
    summary:
      'uninstall a solution: managed layers go (refused while others depend on them); unmanaged: only the container',
  },
  list: {
    usage: 'strata list [--env E] [--json]',
    summary: 'list the solutions installed in an environment',
  },
  components: {
    usage: 'strata components [--solution S] [--type T] [--env E] [--json]',
    summary: 'list components with their layer count and top layer',
  },
  layers: {
    usage: 'strata layers TYPE KEY [--xml] [--env E] [--json]',
    summary: "show a component's layers, top to bottom",
  },
  publish: {
    usage: 'strata publish [--all | TYPE:KEY ...] [--env E] [--json]',
    summary: 'publish drafts: all customizations, or the named components',
  },
  log: {
    usage: 'strata log JOB [--format xml|json] [-o FILE]',
    summary: "download an import job's log (xml = SpreadsheetML for Excel)",
  },
  history: {
    usage: 'strata history [--env E] [-n N] [--json]',
    summary: 'list solution operations: imports, publishes, with results',
  },
  unpack: {
    usage: 'strata unpack PKG DIR [--force] [--max-size MB] [--json]',
    summary: "unpack a package into SolutionPackager's folder layout (Other/, Entities/, ...)",
  },
  pack: {
    usage: 'strata pack DIR PKG.zip [--variant managed|unmanaged] [--force] [--json]',
    summary: 'pack a SolutionPackager folder into a solution .zip',
  },
  serve: {
    usage: 'strata serve [--port P] [--host H] [--quiet]',
    summary:
      'run the HTTP server: JSON API, Dataverse Web API actions, web UI (embedded store, or DATABASE_URL)',
  },
  token: {
    usage: 'strata token create --env E [--label L] | token list [--env E] | token revoke ID',
    summary: 'API tokens: each opens one environment over HTTP',
  },
  env: {
    usage: 'strata env create NAME [--base standard|empty] | env list | env delete NAME',
    summary: 'manage environments (several live in one store)',
  },
};

export function helpText(command?: string): string {
  if (command && COMMANDS[command])
    return `${COMMANDS[command].usage}\n\n  ${COMMANDS[command].summary}\n\nCommon flags: --env NAME (default: "default", created on first use), --json (machine output).\nSee docs/cli.md for details and exit codes.`;
  const w = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  return [
    'strata — solution lifecycle engine (Dynamics 365 / Dataverse style)',
    '',
    'Usage: strata COMMAND [options]',
    '',
    ...Object.entries(COMMANDS).map(([k, v]) => `  ${k.padEnd(w)}  ${v.summary}`),
    '',
    'Store: embedded PGlite under $STRATA_HOME (default ./.strata), or PostgreSQL when DATABASE_URL is set.',
    'Exit codes: 0 ok, 2 usage, 3 invalid package, 4 refused (e.g. missing dependencies), 5 not found, 6 environment changed, 1 internal error.',
    'strata help COMMAND shows one command. docs/cli.md has the full reference.',
  ].join('\n');
}
