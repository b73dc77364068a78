import { componentType } from '../../model/component-types.js';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { runClone } from '../../engine/clone.js';
import { customize, removeActive } from '../../engine/customize.js';
import { exportSolution } from '../../engine/export.js';
import { runLifecycle } from '../../engine/lifecycle.js';
import type { LifecycleOperation, LifecyclePlan } from '../../plans/lifecycle-plan.js';
import { environmentName, parse, usage, withStore, type Io } from '../context.js';
import { table } from '../render.js';

function print(plan: LifecyclePlan, dryRun: boolean, io: Io): void {
  const head = {
    'apply-upgrade': `${dryRun ? 'Would apply' : 'Applied'} the upgrade of ${plan.solution.uniqueName}: ${plan.holding?.uniqueName} ${plan.holding?.version} ${dryRun ? 'would become' : 'is now'} ${plan.solution.uniqueName} (was ${plan.solution.version})`,
    abandon: `${dryRun ? 'Would drop' : 'Dropped'} the staged upgrade ${plan.holding?.uniqueName} ${plan.holding?.version}; ${plan.solution.uniqueName.replace(/_Upgrade$/, '')} stays as it was`,
    uninstall: `${dryRun ? 'Would uninstall' : 'Uninstalled'} ${plan.solution.uniqueName} ${plan.solution.version} (${plan.solution.managed ? 'managed: its layers go' : 'unmanaged: only the container goes, its components stay'})`,
  }[plan.operation];
  io.out(`${head} in ${plan.environment}.`);
  const others = plan.removes.filter(
    (r) => r.uniqueName !== plan.solution.uniqueName && r.uniqueName !== plan.holding?.uniqueName,
  );
  if (others.length) io.out(`  Also removed: ${others.map((r) => r.uniqueName).join(', ')}`);
  io.out(
    `  ${plan.summary.layersRemoved} layer(s) removed, ${plan.summary.componentsDeleted} component(s) deleted.`,
  );
  const gone = plan.deletes.filter((d) => d.componentGoes);
  if (gone.length)
    io.out(
      table(
        ['Deleted component', 'Key'],
        gone.slice(0, 40).map((d) => [componentType(d.type).label, d.key]),
      ) + (gone.length > 40 ? `\n  … and ${gone.length - 40} more (--json lists all)` : ''),
    );
  if (dryRun) io.out('Nothing has been changed (--dry-run).');
}

async function lifecycle(
  operation: LifecycleOperation,
  name: string,
  values: Record<string, unknown>,
  io: Io,
): Promise<number> {
  const dryRun = !!values['dry-run'];
  const plan = await withStore(async (store) =>
    runLifecycle(
      store,
      await environmentName(store, values.env as string | undefined),
      operation,
      name,
      { dryRun },
    ),
  );
  if (values.json) io.out(JSON.stringify(plan, null, 2));
  else print(plan, dryRun, io);
  return dryRun && plan.blocked.length ? 4 : 0;
}

/** strata upgrade NAME [--abandon]: Apply Solution Upgrade (DeleteAndPromote), or drop the holding solution. */
export async function upgradeCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, {
    abandon: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
  });
  if (positionals.length !== 1)
    throw usage("upgrade takes the solution's unique name: strata upgrade NAME [--abandon]");
  return lifecycle(values.abandon ? 'abandon' : 'apply-upgrade', positionals[0], values, io);
}

/** strata delete NAME: uninstall a solution (managed: its layers go; unmanaged: the container). */
export async function deleteCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, { 'dry-run': { type: 'boolean' } });
  if (positionals.length !== 1)
    throw usage("delete takes the solution's unique name: strata delete NAME");
  return lifecycle('uninstall', positionals[0], values, io);
}

/** strata clone-patch NAME [--version V] / strata clone NAME [--version V] (unmanaged solutions). */
export async function clonePatchCommand(argv: string[], io: Io): Promise<number> {
  return cloneCommand('clone-patch', argv, io);
}
export async function cloneSolutionCommand(argv: string[], io: Io): Promise<number> {
  return cloneCommand('clone', argv, io);
}
async function cloneCommand(
  operation: 'clone-patch' | 'clone',
  argv: string[],
  io: Io,
): Promise<number> {
  const { values, positionals } = parse(argv, { version: { type: 'string' } });
  if (positionals.length !== 1)
    throw usage(
      `${operation} takes the solution's unique name: strata ${operation} NAME [--version V]`,
    );
  const plan = await withStore(async (store) =>
    runClone(
      store,
      await environmentName(store, values.env),
      operation,
      positionals[0],
      values.version,
    ),
  );
  if (values.json) io.out(JSON.stringify(plan, null, 2));
  else if (operation === 'clone-patch')
    io.out(
      `Created the patch ${plan.result.uniqueName} ${plan.result.version} of ${plan.parent.uniqueName} ${plan.parent.version}. ${plan.parent.uniqueName} cannot change until its patches are rolled up (strata clone ${plan.parent.uniqueName}) or deleted.`,
    );
  else
    io.out(
      `Cloned ${plan.parent.uniqueName} ${plan.parent.version} as ${plan.result.version}${plan.rolledUp.length ? `, rolling up ${plan.rolledUp.join(', ')}` : ''}.`,
    );
  return 0;
}

/** strata customize TYPE KEY --set P=V ... | --file DEF.xml;  strata customize --remove-active TYPE KEY */
export async function customizeCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, {
    set: { type: 'string', multiple: true },
    file: { type: 'string' },
    'remove-active': { type: 'boolean' },
  });
  if (positionals.length !== 2)
    throw usage(
      'customize takes a component type and key: strata customize TYPE KEY --set PROPERTY=VALUE | --file DEFINITION.xml',
    );
  const [type, key] = positionals;
  if (values['remove-active']) {
    const out = await withStore(async (store) =>
      removeActive(store, await environmentName(store, values.env), type, key),
    );
    if (values.json) io.out(JSON.stringify({ type, key, ...out }));
    else
      io.out(
        `Removed the Active layer of ${type} ${key}: its local customizations are gone for good${out.componentGone ? ', and so is the component (it had no other layer)' : '; the managed definition below is in effect again'}.`,
      );
    return 0;
  }
  const set = ((values.set ?? []) as string[]).map((s): [string, string] => {
    const i = s.indexOf('=');
    if (i <= 0) throw usage(`--set takes PROPERTY=VALUE, not "${s}".`);
    return [s.slice(0, i), s.slice(i + 1)];
  });
  if (!set.length && !values.file)
    throw usage('customize needs --set PROPERTY=VALUE (repeatable) or --file DEFINITION.xml');
  if (set.length && values.file) throw usage('--set and --file exclude each other.');
  let definition: string | undefined;
  if (values.file) {
    try {
      definition = readFileSync(String(values.file), 'utf8');
    } catch {
      throw usage(`Cannot read ${values.file}.`);
    }
  }
  const out = await withStore(async (store) =>
    customize(store, await environmentName(store, values.env), { type, key, set, definition }),
  );
  if (values.json) io.out(JSON.stringify(out, null, 2));
  else
    io.out(
      `Customized ${type} ${key} (${out.changed.join(', ')}) in the Active layer${out.draft ? ': a draft until you run strata publish' : ''}.`,
    );
  return 0;
}

/** strata export NAME [--managed | --unmanaged] -o FILE.zip */
export async function exportCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, {
    managed: { type: 'boolean' },
    unmanaged: { type: 'boolean' },
    out: { type: 'string', short: 'o' },
    force: { type: 'boolean' },
  });
  if (positionals.length !== 1)
    throw usage(
      "export takes the solution's unique name: strata export NAME [--managed|--unmanaged] -o FILE.zip",
    );
  if (values.managed && values.unmanaged)
    throw usage('--managed and --unmanaged exclude each other.');
  const name = positionals[0];
  const file = String(values.out ?? `${name}.zip`);
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
      `Exported ${out.solution} ${out.version} (${out.managed ? 'managed' : 'unmanaged'}): ${out.components} components, ${out.files} files, to ${file} (${zip.length} bytes).`,
    );
    for (const s of out.skipped) io.err(`warning: ${s.type} ${s.key} not exported: ${s.reason}`);
  }
  return 0;
}
