import { readFileSync, writeFileSync } from 'node:fs';
import { componentType } from '../../model/component-types.js';
import { MissingDependenciesError, StrataError } from '../../model/errors.js';
import { buildSolutionZip, sampleSolution } from '../../package/build.js';
import { DEFAULT_LIMITS } from '../../package/limits.js';
import { readPackage } from '../../package/read.js';
import { importSolution, planPackage } from '../../engine/import.js';
import { UPDATE_BANNER } from '../../engine/plan.js';
import { describePackageIn } from '../../engine/inspect.js';
import type { ImportPlan, PlanOptions } from '../../plans/import-plan.js';
import { findEnvironment } from '../../store/environments.js';
import { environmentName, parse, usage, withStore, type Io } from '../context.js';
import { ProgressBar, table } from '../render.js';

export const readFlags = {
  'max-size': { type: 'string' as const },
  variant: { type: 'string' as const },
};

export function readOptions(values: Record<string, unknown>) {
  const mb = values['max-size'] !== undefined ? Number(values['max-size']) : undefined;
  if (mb !== undefined && !(mb > 0))
    throw usage('--max-size takes a size in MB, e.g. --max-size 300');
  const variant = values.variant as string | undefined;
  if (variant && variant !== 'managed' && variant !== 'unmanaged')
    throw usage('--variant is managed or unmanaged');
  return {
    limits: mb ? { ...DEFAULT_LIMITS, maxTotalBytes: Math.floor(mb * 1024 * 1024) } : undefined,
    variant: variant as 'managed' | 'unmanaged' | undefined,
  };
}

function onePath(positionals: string[], what: string): string {
  if (positionals.length !== 1)
    throw usage(`${what} takes one package: a .zip or .cab file, or a folder.`);
  return positionals[0];
}

export async function inspectCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, readFlags);
  const pkg = readPackage(onePath(positionals, 'inspect'), readOptions(values));
  const info = await withStore(async (store) => {
    const env = await findEnvironment(store, await environmentName(store, values.env));
    return describePackageIn(store, env.id, pkg);
  });
  if (values.json) {
    io.out(JSON.stringify(info, null, 2));
    return 0;
  }
  if (info.status === 'update')
    io.out(
      `! ${UPDATE_BANNER} (installed: ${info.installed!.version}, ${info.installed!.managed ? 'managed' : 'unmanaged'})\n`,
    );
  io.out(
    `${info.displayName} (${info.uniqueName}) ${info.version}  ${info.managed ? 'managed' : 'unmanaged'}${info.parentUniqueName ? `  patch of ${info.parentUniqueName}` : ''}`,
  );
  io.out(
    `Publisher:   ${info.publisher.displayName} (${info.publisher.uniqueName}, prefix ${info.publisher.prefix})`,
  );
  if (info.description) io.out(`Description: ${info.description}`);
  io.out(
    `Package:     ${info.source.kind}${info.source.inner ? ` holding ${info.source.inner}` : ''}, ${info.components} components, ${info.declaredDependencies} declared dependencies`,
  );
  io.out(
    `Status:      ${info.status === 'new' ? 'new solution' : 'update of an installed solution'}\n`,
  );
  io.out(
    table(
      ['Type', 'Count'],
      Object.entries(info.countsByType).map(([t, n]) => [
        componentType(t).label + (t.includes(':') ? ` ${t.slice(t.indexOf(':') + 1)}` : ''),
        n,
      ]),
    ),
  );
  if (info.executableCode.length) {
    io.out(
      `\nThis package carries code that will run in the environment (${info.executableCode.length}). Import it only from a source you trust:`,
    );
    io.out(
      table(
        ['Type', 'Name'],
        info.executableCode.map((e) => [componentType(e.type).label, e.name]),
      ),
    );
  }
  for (const w of info.warnings) io.err(`warning: ${w}`);
  return 0;
}

function printPlan(plan: ImportPlan, io: Io, verbose: boolean): void {
  const s = plan.solution;
  const what = {
    new: 'install',
    patch: 'install the patch',
    upgrade: 'upgrade to',
    stage: 'stage for upgrade',
    update: 'update to',
    skip: 'skip',
  }[plan.kind];
  io.out(
    `Plan: ${what} ${s.friendlyName} (${s.uniqueName}) ${s.version}, ${s.managed ? 'managed' : 'unmanaged'}, in ${plan.environment}`,
  );
  if (plan.installed)
    io.out(
      `! ${UPDATE_BANNER} (installed: ${plan.installed.version}${plan.installed.patches.length ? `, patches ${plan.installed.patches.join(', ')}` : ''}${plan.installed.holding ? `, holding ${plan.installed.holding}` : ''})`,
    );
  if (plan.kind === 'skip')
    io.out(
      'The package is not newer than the installed version: --skip-lower-version skips it; nothing would change.',
    );
  io.out(
    `Publisher ${s.publisher}: ${plan.publisher.action === 'create' ? 'will be created' : 'exists'}`,
  );
  io.out(
    `Components: ${plan.summary.add} add, ${plan.summary.update} update, ${plan.summary.skip} skip${plan.summary.delete ? `, ${plan.summary.delete} delete` : ''}${plan.summary.drafts ? `, ${plan.summary.drafts} land as drafts until published` : ''}`,
  );
  if (plan.rolledUp.length) io.out(`Patches rolled up and removed: ${plan.rolledUp.join(', ')}`);
  if (plan.deletes.length) {
    io.out(`\nRemoved by this ${plan.kind} (${plan.deletes.length}):`);
    io.out(
      table(
        ['Type', 'Key', 'Layer of', 'Component'],
        plan.deletes
          .slice(0, verbose ? undefined : 30)
          .map((d) => [
            componentType(d.type).label,
            d.key,
            d.solution,
            d.componentGoes ? 'deleted' : 'stays (other layers)',
          ]),
      ),
    );
  }
  if (plan.customizations.length) {
    io.out(`\nActive-layer customizations on imported components (${plan.customizations.length}):`);
    io.out(
      table(
        ['Type', 'Key', 'Effect'],
        plan.customizations
          .slice(0, verbose ? undefined : 30)
          .map((c) => [
            componentType(c.type).label,
            c.key,
            c.effect === 'kept'
              ? 'kept on top (maintain): the new definition does not show'
              : c.effect === 'overwritten'
                ? 'overwritten with the new definition'
                : 'kept, merged on top (merge component)',
          ]),
      ),
    );
    for (const c of plan.customizations
      .filter((x) => x.properties?.length)
      .slice(0, verbose ? undefined : 10)) {
      io.out(`  ${c.key} (${c.effect === 'kept' ? 'stays local' : 'local values lost'}):`);
      for (const p of c.properties!.slice(0, verbose ? undefined : 5))
        io.out(`    ${p.path}: local ${p.active ?? '(none)'} · package ${p.incoming ?? '(none)'}`);
    }
  }
  const rows = plan.components.filter(
    (p) => verbose || p.action !== 'skip' || p.reason.startsWith('unchanged'),
  );
  if (verbose)
    io.out(
      '\n' +
        table(
          ['Action', 'Type', 'Key', 'Layer', 'Note'],
          rows.map((p) => [
            p.action,
            componentType(p.type).label,
            p.key,
            p.layer,
            p.warnings[0] ?? p.reason,
          ]),
        ),
    );
  if (plan.missing.length) {
    io.out(`\nMissing required components (${plan.missing.length}):`);
    io.out(
      table(
        ['Type', 'Name', 'Id', 'Provided by', 'Needed by'],
        plan.missing.map((m) => [
          m.type,
          m.name ?? m.key,
          m.id ?? '',
          m.solution ?? '',
          m.requiredBy ? `${m.requiredBy.type} ${m.requiredBy.key}` : '',
        ]),
      ),
    );
  }
  if (plan.warnings.length)
    io.out(
      `\n${plan.warnings.length} warning(s)${verbose ? ':\n  ' + plan.warnings.slice(0, 50).join('\n  ') : ' (--verbose lists them)'}`,
    );
  if (plan.blocked.length) {
    io.out('\nThis import would fail:');
    for (const b of plan.blocked)
      io.out(`  ${b.code}: ${b.message}${b.hint ? `\n    → ${b.hint}` : ''}`);
  } else
    io.out(
      '\nNothing has been changed. Run strata import with the same options to apply this plan.',
    );
}

/** The import options, with pac's flag names: how to treat a solution that is already installed. */
const importFlags = {
  'publish-changes': { type: 'boolean' as const },
  'stage-and-upgrade': { type: 'boolean' as const },
  'import-as-holding': { type: 'boolean' as const },
  update: { type: 'boolean' as const },
  'force-overwrite': { type: 'boolean' as const },
  'activate-plugins': { type: 'boolean' as const },
  'skip-lower-version': { type: 'boolean' as const },
};

export function planOptions(values: Record<string, unknown>): PlanOptions {
  const actions = (['stage-and-upgrade', 'import-as-holding', 'update'] as const).filter(
    (f) => values[f],
  );
  if (actions.length > 1)
    throw usage(
      `--${actions.join(' and --')} exclude each other: pick one solution action.`,
      'Upgrade (--stage-and-upgrade, the default), stage for upgrade (--import-as-holding) or update (--update).',
    );
  return {
    publishChanges: !!values['publish-changes'],
    action: values['import-as-holding'] ? 'stage' : values.update ? 'update' : 'upgrade',
    overwrite: !!values['force-overwrite'],
    activatePlugins: !!values['activate-plugins'],
    skipLowerVersion: !!values['skip-lower-version'],
  };
}

export async function planCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...readFlags,
    ...importFlags,
    verbose: { type: 'boolean', short: 'v' },
    out: { type: 'string', short: 'o' },
  });
  const source = onePath(positionals, 'plan');
  const { plan } = await withStore(async (store) =>
    planPackage(
      store,
      await environmentName(store, values.env),
      source,
      planOptions(values),
      readOptions(values),
    ),
  );
  if (values.out) writeFileSync(String(values.out), JSON.stringify(plan, null, 2));
  if (values.json) io.out(JSON.stringify(plan, null, 2));
  else printPlan(plan, io, !!values.verbose);
  return plan.blocked.length ? 4 : 0;
}

export async function importCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...readFlags,
    ...importFlags,
    plan: { type: 'string' },
  });
  const source = onePath(positionals, 'import');
  const savedPlan = values.plan ? readPlanFile(String(values.plan)) : undefined;
  const bar = new ProgressBar(io.isTTY && !values.json);
  try {
    const outcome = await withStore(async (store) =>
      importSolution(store, {
        environment: await environmentName(store, values.env ?? savedPlan?.environment),
        source,
        options: planOptions(values),
        plan: savedPlan,
        ...readOptions(values),
        onProgress: (p) => bar.update(p.percent, p.message),
      }),
    );
    bar.done();
    const { plan, log } = outcome;
    if (values.json) {
      io.out(
        JSON.stringify(
          {
            jobId: outcome.jobId,
            status: log.status,
            solution: log.solution,
            summary: plan.summary,
            published: outcome.published,
            warnings: plan.warnings,
            seconds: outcome.seconds,
          },
          null,
          2,
        ),
      );
      return 0;
    }
    if (plan.kind === 'skip') {
      io.out(log.message);
      return 0;
    }
    const verb = {
      new: 'Imported',
      patch: 'Imported the patch',
      upgrade: 'Upgraded',
      stage: 'Staged for upgrade',
      update: 'Updated',
      skip: 'Skipped',
    }[plan.kind];
    io.out(
      `${verb} ${plan.solution.friendlyName} (${plan.solution.uniqueName}) ${plan.solution.version}${plan.installed && plan.kind !== 'stage' ? ` (was ${plan.installed.version})` : ''} in ${plan.environment} — ${plan.solution.managed ? 'managed, published' : outcome.published ? `unmanaged, ${outcome.published} components published` : 'unmanaged: drafts until you run strata publish'}`,
    );
    io.out(
      `  ${plan.summary.add} added, ${plan.summary.update} updated, ${plan.summary.skip} skipped${plan.deletes.length ? `, ${plan.deletes.length} removed` : ''}, ${plan.warnings.length} warning(s), ${outcome.seconds.total.toFixed(2)} s`,
    );
    if (plan.rolledUp.length)
      io.out(`  Patches rolled up and removed: ${plan.rolledUp.join(', ')}`);
    if (plan.kind === 'stage')
      io.out(
        `  ${plan.installed!.uniqueName} ${plan.installed!.version} stays in force. Finish with: strata upgrade ${plan.installed!.uniqueName}   (or drop it: strata upgrade ${plan.installed!.uniqueName} --abandon)`,
      );
    if (plan.summary.customizationsKept)
      io.out(
        `  ${plan.summary.customizationsKept} component(s) keep Active-layer customizations on top (maintain); --force-overwrite replaces them.`,
      );
    io.out(
      `  Import job ${outcome.jobId}: strata log ${outcome.jobId.slice(0, 8)} --format xml -o import-log.xml`,
    );
    return 0;
  } catch (e) {
    bar.done();
    if (e instanceof MissingDependenciesError && !values.json) {
      io.err(
        `error MISSING_DEPENDENCIES: Import failed due to missing dependencies. ${e.missing.length} required component(s) are in neither the package nor ${values.env ?? 'the environment'}:`,
      );
      io.err(
        table(
          ['Type', 'Name', 'Id', 'Provided by', 'Needed by'],
          e.missing.map((m) => [
            m.type,
            m.name ?? m.key,
            m.id ?? '',
            m.solution ?? '',
            m.requiredBy ? `${m.requiredBy.type} ${m.requiredBy.key}` : '',
          ]),
        ),
      );
      io.err(
        `→ ${e.hint}\n  Nothing was changed. Log: strata log ${(e as { jobId?: string }).jobId?.slice(0, 8)} --format xml -o import-log.xml`,
      );
      return 4;
    }
    throw e;
  }
}

function readPlanFile(path: string): ImportPlan {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new StrataError('PLAN_NOT_FOUND', `Cannot read the plan file ${path}.`, {
      hint: 'Write one with: strata plan PKG -o PLAN.json',
    });
  }
  try {
    return JSON.parse(text) as ImportPlan;
  } catch {
    throw new StrataError('PLAN_INVALID', `${path} is not JSON.`, {
      hint: 'Write a plan with: strata plan PKG -o PLAN.json',
    });
  }
}

export async function sampleCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parse(argv, { out: { type: 'string', short: 'o' } }, false);
  const file = String(values.out ?? 'contoso-projects_1_0_0_0_managed.zip');
  writeFileSync(file, buildSolutionZip(sampleSolution()));
  if (values.json) io.out(JSON.stringify({ file }));
  else
    io.out(
      `Wrote the sample solution package ${file} (Contoso Projects 1.0.0.0, managed). Import it with: strata import ${file}`,
    );
  return 0;
}
