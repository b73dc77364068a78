import { componentTypeName } from '../../model/component-types.js';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runClone } from '../../engine/clone.js';
import { customize, removeActive } from '../../engine/customize.js';
import { exportSolution } from '../../engine/export.js';
import { runLifecycle } from '../../engine/lifecycle.js';
import { baseNameOf } from '../../plans/layer-order.js';
import type { LifecycleOperation, LifecyclePlan } from '../../plans/lifecycle-plan.js';
import { usage, type ArgsOf, type Io } from '../command.js';
import { environmentName, withStore } from '../context.js';
import { checkAsync, nameArgument } from '../flags.js';
import { dataAtRiskLines } from '../data-at-risk.js';
import { cutList, table } from '../render.js';
import type { CLONE, CLONE_PATCH, CUSTOMIZE, DELETE, EXPORT, UPGRADE } from './index.js';

function print(
  plan: LifecyclePlan,
  dryRun: boolean,
  accepted: boolean,
  full: boolean,
  io: Io,
): void {
  if (dryRun && plan.blocked.length) return printRefused(plan, accepted, io);
  for (const line of dataAtRiskLines(plan.dataAtRisk, accepted)) io.out(line);
  io.out(`${headline(plan, dryRun)} in ${plan.environment}.`);
  const others = plan.removes.filter(
    (r) => r.uniqueName !== plan.solution.uniqueName && r.uniqueName !== plan.holding?.uniqueName,
  );
  if (others.length) io.out(`  Also removed: ${others.map((r) => r.uniqueName).join(', ')}`);
  io.out(
    `  ${plan.summary.layersRemoved} layer(s) removed, ` +
      `${plan.summary.componentsDeleted} component(s) deleted.`,
  );
  const gone = cutList(
    plan.deletes.filter((d) => d.componentGoes),
    40,
    full,
  );
  if (gone.shown.length)
    io.out(
      table(
        ['Deleted component', 'Key'],
        gone.shown.map((d) => [componentTypeName(d), d.key]),
      ),
    );
  if (gone.more) io.out(gone.more);
  if (dryRun) io.out('Nothing has been changed (--dry-run).');
}

/**
 * A dry run that the operation would refuse: the refusals first (code, reason, hint, the
 * dependents they name), then the data at risk; no "Would …" for what would not happen.
 */
function printRefused(plan: LifecyclePlan, accepted: boolean, io: Io): void {
  io.out(`${refusedHeadline(plan)} in ${plan.environment} would be refused:`);
  for (const b of plan.blocked)
    io.out(`  ${b.code}: ${b.message}${b.hint ? `\n    → ${b.hint}` : ''}`);
  for (const line of dataAtRiskLines(plan.dataAtRisk, accepted)) io.out(line);
  io.out('Nothing has been changed (--dry-run).');
}

function refusedHeadline({ operation, solution, holding }: LifecyclePlan): string {
  switch (operation) {
    case 'apply-upgrade':
      return `Applying the upgrade of ${solution.uniqueName} (${holding?.uniqueName} ${holding?.version})`;
    case 'abandon':
      return `Dropping the staged upgrade ${holding?.uniqueName} ${holding?.version}`;
    case 'uninstall':
      return `Uninstalling ${solution.uniqueName} ${solution.version}`;
  }
}

/** What the operation did (or, with --dry-run, would do) to the solution. */
function headline(plan: LifecyclePlan, dryRun: boolean): string {
  const { solution, holding } = plan;
  switch (plan.operation) {
    case 'apply-upgrade':
      return (
        `${dryRun ? 'Would apply' : 'Applied'} the upgrade of ${solution.uniqueName}: ` +
        `${holding?.uniqueName} ${holding?.version} ${dryRun ? 'would become' : 'is now'} ` +
        `${solution.uniqueName} (was ${solution.version})`
      );
    case 'abandon':
      return (
        `${dryRun ? 'Would drop' : 'Dropped'} the staged upgrade ` +
        `${holding?.uniqueName} ${holding?.version}; ` +
        `${baseNameOf(solution.uniqueName)} stays as it was`
      );
    case 'uninstall':
      return (
        `${dryRun ? 'Would uninstall' : 'Uninstalled'} ${solution.uniqueName} ` +
        `${solution.version} (${
          solution.managed
            ? 'managed: its layers go'
            : 'unmanaged: only the container goes, its components stay'
        })`
      );
  }
}

async function lifecycle(
  operation: LifecycleOperation,
  name: string,
  { values }: ArgsOf<typeof UPGRADE> | ArgsOf<typeof DELETE>,
  io: Io,
): Promise<number> {
  const dryRun = !!values['dry-run'];
  const acceptDataLoss = !!values['accept-data-loss'];
  const plan = await withStore(async (store) =>
    runLifecycle(store, await environmentName(store, values.env), operation, name, {
      dryRun,
      acceptDataLoss,
    }),
  );
  if (values.json) io.out(JSON.stringify(plan, null, 2));
  else print(plan, dryRun, acceptDataLoss, !!values.full, io);
  return dryRun && plan.blocked.length ? 4 : 0;
}

/** strata upgrade NAME [--abandon]: Apply Solution Upgrade (DeleteAndPromote), or drop it. */
export async function upgradeCommand(args: ArgsOf<typeof UPGRADE>, io: Io): Promise<number> {
  const name = nameArgument(
    args.positionals,
    args.values['solution-name'],
    '--solution-name',
    'strata upgrade NAME [--abandon]',
  );
  checkAsync(args.values);
  const operation = args.values.abandon ? 'abandon' : 'apply-upgrade';
  return lifecycle(operation, name, args, io);
}

/** strata delete NAME: uninstall a solution (managed: its layers go; unmanaged: the container). */
export async function deleteCommand(args: ArgsOf<typeof DELETE>, io: Io): Promise<number> {
  const name = nameArgument(
    args.positionals,
    args.values['solution-name'],
    '--solution-name',
    'strata delete NAME',
  );
  return lifecycle('uninstall', name, args, io);
}

/** strata clone-patch NAME [--version V]: a patch of an unmanaged solution. */
export async function clonePatchCommand(args: ArgsOf<typeof CLONE_PATCH>, io: Io): Promise<number> {
  return clone('clone-patch', args, io);
}

/** strata clone NAME [--version V]: roll an unmanaged solution's patches into a new version. */
export async function cloneCommand(args: ArgsOf<typeof CLONE>, io: Io): Promise<number> {
  return clone('clone', args, io);
}

async function clone(
  operation: 'clone-patch' | 'clone',
  { values, positionals }: ArgsOf<typeof CLONE_PATCH> | ArgsOf<typeof CLONE>,
  io: Io,
): Promise<number> {
  const name = nameArgument(
    positionals,
    'name' in values ? values.name : undefined,
    '--name',
    `strata ${operation} NAME [--version V]`,
  );
  if ('async' in values) checkAsync(values);
  const plan = await withStore(async (store) =>
    runClone(store, await environmentName(store, values.env), operation, name, values.version),
  );
  const { parent, result } = plan;
  if (values.json) io.out(JSON.stringify(plan, null, 2));
  else if (operation === 'clone-patch')
    io.out(
      `Created the patch ${result.uniqueName} ${result.version} ` +
        `of ${parent.uniqueName} ${parent.version}. ` +
        `${parent.uniqueName} cannot change until its patches are rolled up ` +
        `(strata clone ${parent.uniqueName}) or deleted.`,
    );
  else
    io.out(
      `Cloned ${parent.uniqueName} ${parent.version} as ${result.version}` +
        `${plan.rolledUp.length ? `, rolling up ${plan.rolledUp.join(', ')}` : ''}.`,
    );
  return 0;
}

/** strata customize TYPE KEY --set P=V ... | --file DEF.xml | --remove-active */
export async function customizeCommand(
  { values, positionals }: ArgsOf<typeof CUSTOMIZE>,
  io: Io,
): Promise<number> {
  if (positionals.length !== 2)
    throw usage(
      'customize takes a component type and key: ' +
        'strata customize TYPE KEY --set PROPERTY=VALUE | --file DEFINITION.xml',
    );
  const [type, key] = positionals;
  if (values['remove-active']) {
    const out = await withStore(async (store) =>
      removeActive(store, await environmentName(store, values.env), type, key, {
        acceptDataLoss: !!values['accept-data-loss'],
      }),
    );
    if (values.json) io.out(JSON.stringify({ type, key, ...out }));
    else
      io.out(
        `Removed the Active layer of ${type} ${key}: its local customizations are gone for good` +
          (out.componentGone
            ? ', and so is the component (it had no other layer).'
            : '; the managed definition below is in effect again.'),
      );
    return 0;
  }
  const set = (values.set ?? []).map((s): [string, string] => {
    const i = s.indexOf('=');
    if (i <= 0) throw usage(`--set takes PROPERTY=VALUE, not "${s}".`);
    return [s.slice(0, i), s.slice(i + 1)];
  });
  if (!set.length && !values.file)
    throw usage('customize needs --set PROPERTY=VALUE (repeatable) or --file DEFINITION.xml');
  if (set.length && values.file) throw usage('--set and --file exclude each other.');
  const definition = values.file === undefined ? undefined : readDefinition(values.file);
  const out = await withStore(async (store) =>
    customize(store, await environmentName(store, values.env), { type, key, set, definition }),
  );
  if (values.json) io.out(JSON.stringify(out, null, 2));
  else
    io.out(
      `Customized ${type} ${key} (${out.changed.join(', ')}) in the Active layer` +
        `${out.draft ? ': a draft until you run strata publish' : ''}.`,
    );
  return 0;
}

function readDefinition(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw usage(`Cannot read ${file}.`);
  }
}

/** strata export NAME [--managed | --unmanaged] -o FILE.zip */
export async function exportCommand(
  { values, positionals }: ArgsOf<typeof EXPORT>,
  io: Io,
): Promise<number> {
  const name = nameArgument(
    positionals,
    values.name,
    '--name',
    'strata export NAME [--managed|--unmanaged] -o FILE.zip',
  );
  if (values.managed && values.unmanaged)
    throw usage('--managed and --unmanaged exclude each other.');
  checkAsync(values);
  if (values.targetversion !== undefined && !values.json)
    io.err('note: --targetversion is ignored (pac deprecated it and ignores it too).');
  // pac's --path may name a folder: the zip is written in it, named after the solution
  const file =
    values.out === undefined
      ? `${name}.zip`
      : existsSync(values.out) && statSync(values.out).isDirectory()
        ? join(values.out, `${name}.zip`)
        : values.out;
  if (existsSync(file) && !values.force)
    throw usage(
      `${file} exists; nothing was written.`,
      'Choose another file name, or add --force to replace it.',
    );
  const out = await withStore(async (store) =>
    exportSolution(store, await environmentName(store, values.env), name, {
      managed: values.managed ? true : values.unmanaged ? false : undefined,
    }),
  );
  writeFileSync(file, out.zip);
  const { zip, ...summary } = out;
  if (values.json) io.out(JSON.stringify({ ...summary, file, bytes: zip.length }, null, 2));
  else {
    io.out(
      `Exported ${out.solution} ${out.version} (${out.managed ? 'managed' : 'unmanaged'}): ` +
        `${out.components} components, ${out.files} files, to ${file} (${zip.length} bytes).`,
    );
    for (const s of out.skipped) io.err(`warning: ${s.type} ${s.key} not exported: ${s.reason}`);
  }
  return 0;
}
