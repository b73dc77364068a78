/**
 * The flag groups several commands share, declared once, and what their values mean to the
 * engine. Loaded at start-up with the declarations: keep it light.
 */
import { DEFAULT_LIMITS, type PackageLimits } from '../package/limits.js';
import type { PlanOptions } from '../plans/import-plan.js';
import { defineFlags, usage, type FlagValues } from './command.js';

/** How a package is read: inspect, plan, import, unpack, pack. */
export const READ_FLAGS = defineFlags({
  'max-size': {
    type: 'string',
    value: 'MB',
    description:
      'the largest package to read, uncompressed (default: $STRATA_MAX_PACKAGE_MB or 200)',
  },
  variant: {
    type: 'string',
    value: 'managed|unmanaged',
    description: 'which half of a SolutionPackager "both" folder to read (default: unmanaged)',
  },
});

const SOLUTION_PACKAGER_ONLY = "is SolutionPackager's, and strata's packager does not do it: ";

/**
 * pac solution pack/unpack's flags (SolutionPackager's). strata takes the zip and the folder as
 * arguments too; the localization and mapping options are refused with the reason.
 */
export const PACKAGER_FLAGS = defineFlags({
  zipfile: {
    type: 'string',
    short: 'z',
    value: 'PKG.zip',
    description: 'the solution zip, as pac names it (the same as the PKG argument)',
  },
  folder: {
    type: 'string',
    short: 'f',
    value: 'DIR',
    description: 'the SolutionPackager folder, as pac names it (the same as the DIR argument)',
  },
  packagetype: {
    type: 'string',
    short: 'p',
    value: 'Unmanaged|Managed|Both',
    description:
      'Both: unpack PKG.zip with PKG_managed.zip beside it into one folder (managed ' +
      'differences as *_managed.xml); pack such a folder into both zips. Unmanaged or Managed: ' +
      'the half of a Both folder to pack (default: the package as it is)',
  },
  allowDelete: {
    type: 'boolean',
    short: 'ad',
    description:
      'unpack: delete the files of the folder that the package does not have (implies --force)',
  },
  allowWrite: {
    type: 'boolean',
    short: 'aw',
    description: 'accepted: strata always writes the folder or the zip (no dry run)',
  },
  errorlevel: {
    type: 'string',
    short: 'e',
    value: 'Verbose|Info|Warning|Error|Off',
    description: 'Warning, Error or Off: no summary line on success (default: Info)',
  },
  log: {
    type: 'string',
    short: 'l',
    value: 'FILE',
    description: 'also append the summary line to FILE',
  },
  map: {
    type: 'string',
    short: 'm',
    value: 'FILE',
    description: "SolutionPackager's mapping file",
    unsupported: `--map ${SOLUTION_PACKAGER_ONLY}pack from the folder as it is.`,
  },
  sourceLoc: {
    type: 'string',
    short: 'src',
    value: 'LCID',
    description: "SolutionPackager's resource template",
    unsupported: `--sourceLoc ${SOLUTION_PACKAGER_ONLY}labels stay in the XML files.`,
  },
  localize: {
    type: 'boolean',
    short: 'loc',
    description: "SolutionPackager's .resx extraction",
    unsupported: `--localize ${SOLUTION_PACKAGER_ONLY}labels stay in the XML files.`,
  },
  useLcid: {
    type: 'boolean',
    short: 'lcid',
    description: "SolutionPackager's .resx file names",
    unsupported: `--useLcid ${SOLUTION_PACKAGER_ONLY}labels stay in the XML files.`,
  },
  singleComponent: {
    type: 'string',
    short: 'sc',
    value: 'TYPE',
    description: "SolutionPackager's one-type run",
    unsupported: `--singleComponent ${SOLUTION_PACKAGER_ONLY}the whole solution is processed.`,
  },
  useUnmanagedFileForMissingManaged: {
    type: 'boolean',
    short: 'same',
    description:
      'accepted: packing the managed half of a Both folder always uses the unmanaged file ' +
      'where no *_managed.xml twin is',
  },
  disablePluginRemap: {
    type: 'boolean',
    short: 'dpm',
    description: "SolutionPackager's plug-in type name remapping switch",
    unsupported: `--disablePluginRemap ${SOLUTION_PACKAGER_ONLY}plug-in type names are never remapped.`,
  },
  processCanvasApps: {
    type: 'boolean',
    short: 'pca',
    description: "pac's (preview) .msapp unpacking",
    unsupported: `--processCanvasApps ${SOLUTION_PACKAGER_ONLY}.msapp files stay as they are.`,
  },
});

/** Lists printed whole instead of cut (with "… and N more"): plan, upgrade, delete, layers. */
export const FULL = defineFlags({
  full: {
    type: 'boolean',
    description: 'print every row of every list (long lists are cut otherwise)',
  },
});

/** Consent to a plan that deletes records: import, upgrade, delete. */
export const ACCEPT_DATA_LOSS = defineFlags({
  'accept-data-loss': {
    type: 'boolean',
    description: 'carry out a plan that deletes rows or column values (its data at risk)',
  },
});

/**
 * pac's --async and --max-async-wait-time, for the commands where pac has them. strata's
 * commands on a local store run in the process that asks, to their end: there is no job to leave
 * behind (docs/cli.md, "pac compatibility").
 */
export const ASYNC_FLAGS = defineFlags({
  async: {
    type: 'boolean',
    short: 'a',
    description:
      "pac's asynchronous run: accepted; on a local store the command runs to its end " +
      'in this process (an import still records its job id, for strata log)',
  },
  'max-async-wait-time': {
    type: 'string',
    short: 'wt',
    value: 'MINUTES',
    description:
      "pac's limit on waiting for an asynchronous run (pac's default: 60); checked, " +
      'and nothing to wait for on a local store',
  },
});

/** The import options, with pac's flag names and short forms. */
export const IMPORT_FLAGS = defineFlags({
  'stage-and-upgrade': {
    type: 'boolean',
    short: 'up',
    choice: 'solution action',
    description: 'upgrade an installed solution in place (the default)',
  },
  'import-as-holding': {
    type: 'boolean',
    short: 'h',
    choice: 'solution action',
    description: 'stage for upgrade as NAME_Upgrade; finish with strata upgrade NAME',
  },
  update: {
    type: 'boolean',
    choice: 'solution action',
    description: 'replace the layer content; missing components and patches stay',
  },
  'force-overwrite': {
    type: 'boolean',
    short: 'f',
    description: 'overwrite Active-layer customizations (default: keep them on top)',
  },
  'activate-plugins': {
    type: 'boolean',
    short: 'ap',
    description: 'enable plug-in steps and workflows (default: they land deactivated)',
  },
  'skip-lower-version': {
    type: 'boolean',
    short: 'slv',
    description: 'skip, with exit 0, a package not newer than the installed version',
  },
  'publish-changes': {
    type: 'boolean',
    short: 'pc',
    description: 'publish what the import writes to the Active layer',
  },
  'skip-dependency-check': {
    type: 'boolean',
    short: 's',
    description:
      'import although a Microsoft solution of the template is older than the package requires ' +
      "(pac's dependencies flagged as product update); other missing dependencies still refuse",
  },
  'convert-to-managed': {
    type: 'boolean',
    short: 'cm',
    description:
      'accepted, no effect: Dataverse made ConvertToManaged obsolete, a managed import always ' +
      'takes in the unmanaged components it includes',
  },
  ...ACCEPT_DATA_LOSS,
});

/** --async and --max-async-wait-time: the wait time, when given, is a whole number of minutes. */
export function checkAsync(values: FlagValues<typeof ASYNC_FLAGS>): void {
  const wait = values['max-async-wait-time'];
  if (wait !== undefined && !/^\d+$/.test(wait.trim()))
    throw usage(
      `--max-async-wait-time takes whole minutes; "${wait}" is not.`,
      'e.g. --max-async-wait-time 60 (-wt 60), as pac takes it.',
    );
}

/**
 * The one name a command is about: its positional, or pac's flag for it (--name, --solution-name);
 * both, when they differ, is a usage error.
 */
export function nameArgument(
  positionals: string[],
  flagValue: string | undefined,
  flag: string,
  usageText: string,
): string {
  const names = [...positionals, ...(flagValue !== undefined ? [flagValue] : [])];
  const distinct = [...new Set(names)];
  if (distinct.length !== 1 || positionals.length > 1)
    throw usage(
      distinct.length > 1
        ? `Name the solution once: ${names.join(' and ')} were given (NAME and ${flag}).`
        : `The solution's unique name is missing: ${usageText}`,
      usageText,
    );
  return distinct[0];
}

export interface ReadOptions {
  limits?: PackageLimits;
  variant?: 'managed' | 'unmanaged';
}

/** The package reader's options from READ_FLAGS. */
export function readOptions(values: FlagValues<typeof READ_FLAGS>): ReadOptions {
  const mb = values['max-size'] !== undefined ? Number(values['max-size']) : undefined;
  if (mb !== undefined && !(mb > 0))
    throw usage('--max-size takes a size in MB, e.g. --max-size 300');
  const variant = values.variant;
  if (variant && variant !== 'managed' && variant !== 'unmanaged')
    throw usage('--variant is managed or unmanaged');
  return {
    limits: mb ? { ...DEFAULT_LIMITS, maxTotalBytes: Math.floor(mb * 1024 * 1024) } : undefined,
    variant: variant as ReadOptions['variant'],
  };
}

/** The planner's options from IMPORT_FLAGS; one solution action at most. */
export function planOptions(values: FlagValues<typeof IMPORT_FLAGS>): PlanOptions {
  const actions = (['stage-and-upgrade', 'import-as-holding', 'update'] as const).filter(
    (f) => values[f],
  );
  if (actions.length > 1)
    throw usage(
      `--${actions.join(' and --')} exclude each other: pick one solution action.`,
      'Upgrade (--stage-and-upgrade, the default), stage for upgrade (--import-as-holding) ' +
        'or update (--update).',
    );
  return {
    publishChanges: !!values['publish-changes'],
    action: values['import-as-holding'] ? 'stage' : values.update ? 'update' : 'upgrade',
    overwrite: !!values['force-overwrite'],
    activatePlugins: !!values['activate-plugins'],
    skipLowerVersion: !!values['skip-lower-version'],
    ...(values['skip-dependency-check'] && { skipProductUpdateDependencies: true }),
    acceptDataLoss: !!values['accept-data-loss'],
  };
}
