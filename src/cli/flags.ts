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

/** The import options, with pac's flag names: how to treat a solution that is already installed. */
export const IMPORT_FLAGS = defineFlags({
  'stage-and-upgrade': {
    type: 'boolean',
    choice: 'solution action',
    description: 'upgrade an installed solution in place (the default)',
  },
  'import-as-holding': {
    type: 'boolean',
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
    description: 'overwrite Active-layer customizations (default: keep them on top)',
  },
  'activate-plugins': {
    type: 'boolean',
    description: 'enable plug-in steps and workflows (default: they land deactivated)',
  },
  'skip-lower-version': {
    type: 'boolean',
    description: 'skip, with exit 0, a package not newer than the installed version',
  },
  'publish-changes': {
    type: 'boolean',
    description: 'publish what the import writes to the Active layer',
  },
  ...ACCEPT_DATA_LOSS,
});

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
    acceptDataLoss: !!values['accept-data-loss'],
  };
}
