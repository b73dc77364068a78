import { readFileSync, writeFileSync } from 'node:fs';
import { dataAtRiskLines } from '../data-at-risk.js';
import {
  componentTitle,
  componentType,
  componentTypeName,
  typeDisplayName,
} from '../../model/component-types.js';
import {
  MissingDependenciesError,
  StrataError,
  type MissingComponent,
} from '../../model/errors.js';
import { buildSolutionZip, nextSampleSolution, sampleSolution } from '../../package/build.js';
import { readPackage } from '../../package/read.js';
import { importSolution, planPackage, type ImportOutcome } from '../../engine/import.js';
import { UPDATE_BANNER } from '../../engine/plan.js';
import { describePackageIn } from '../../engine/inspect.js';
import { MICROSOFT_PUBLISHER } from '../../catalog/templates.js';
import type {
  FirstPartyDependency,
  ImportPlan,
  PlanOptions,
  PlannedCustomization,
} from '../../plans/import-plan.js';
import { findEnvironment } from '../../store/environments.js';
import { usage, type ArgsOf, type Io } from '../command.js';
import { environmentName, withStore } from '../context.js';
import { checkAsync, planOptions, readOptions } from '../flags.js';
import { cutList, ProgressBar, table } from '../render.js';
import type { IMPORT, INSPECT, PLAN, SAMPLE } from './index.js';
import { parameterLines, settingsFileValues } from './settings.js';

function onePath(positionals: string[], what: string): string {
  if (positionals.length !== 1)
    throw usage(`${what} takes one package: a .zip or .cab file, or a folder.`);
  return positionals[0];
}

export async function inspectCommand(
  { values, positionals }: ArgsOf<typeof INSPECT>,
  io: Io,
): Promise<number> {
  const pkg = readPackage(onePath(positionals, 'inspect'), readOptions(values));
  const { info, env } = await withStore(async (store) => {
    const env = await findEnvironment(store, await environmentName(store, values.env));
    return { info: await describePackageIn(store, env.id, pkg), env: env.name };
  });
  if (values.json) {
    io.out(JSON.stringify(info, null, 2));
    return 0;
  }
  const { installed, publisher, source } = info;
  if (info.status === 'update')
    io.out(
      `! ${UPDATE_BANNER} ` +
        `(installed: ${installed!.version}, ${installed!.managed ? 'managed' : 'unmanaged'})\n`,
    );
  io.out(
    `${info.displayName} (${info.uniqueName}) ${info.version}  ` +
      `${info.managed ? 'managed' : 'unmanaged'}` +
      `${info.parentUniqueName ? `  patch of ${info.parentUniqueName}` : ''}`,
  );
  io.out(
    `Publisher:   ${publisher.displayName} ` +
      `(${publisher.uniqueName}, prefix ${publisher.prefix})`,
  );
  if (info.description) io.out(`Description: ${info.description}`);
  io.out(
    `Package:     ${source.kind}${source.inner ? ` holding ${source.inner}` : ''}, ` +
      `${info.components} components, ${info.declaredDependencies} declared dependencies`,
  );
  io.out(
    `Status:      ${info.status === 'new' ? 'new solution' : 'update of an installed solution'}\n`,
  );
  if (info.blocked.length) {
    io.out(`! An import of this package into ${env} would fail:`);
    for (const b of info.blocked)
      io.out(`  ${b.code}: ${b.message}${b.hint ? `\n    → ${b.hint}` : ''}`);
    io.out('');
  }
  io.out(
    table(
      ['Type', 'Count'],
      Object.entries(info.countsByType).map(([t, n]) => [
        typeDisplayName(t) + (t.includes(':') ? ` ${t.slice(t.indexOf(':') + 1)}` : ''),
        n,
      ]),
    ),
  );
  if (info.executableCode.length) {
    io.out(
      '\nThis package carries code that will run in the environment ' +
        `(${info.executableCode.length}). Import it only from a source you trust:`,
    );
    io.out(
      table(
        ['Type', 'Name'],
        info.executableCode.map((e) => [componentTypeName(e), e.name]),
      ),
    );
  }
  for (const w of info.warnings) io.err(`warning: ${w}`);
  return 0;
}

/** The plan as text; `full` (--full, or --verbose) prints long lists whole. */
function printPlan(plan: ImportPlan, io: Io, verbose: boolean, full: boolean): void {
  const s = plan.solution;
  const what = {
    new: 'install',
    patch: 'install the patch',
    upgrade: 'upgrade to',
    stage: 'stage for upgrade',
    update: 'update to',
    skip: 'skip',
  }[plan.kind];
  const { installed, summary } = plan;
  for (const line of dataAtRiskLines(plan.dataAtRisk, !!plan.options.acceptDataLoss)) io.out(line);
  io.out(
    `Plan: ${what} ${s.friendlyName} (${s.uniqueName}) ${s.version}, ` +
      `${s.managed ? 'managed' : 'unmanaged'}, in ${plan.environment}`,
  );
  if (installed)
    io.out(
      `! ${UPDATE_BANNER} (installed: ${installed.version}` +
        `${installed.patches.length ? `, patches ${installed.patches.join(', ')}` : ''}` +
        `${installed.holding ? `, holding ${installed.holding}` : ''})`,
    );
  if (plan.kind === 'skip')
    io.out(
      'The package is not newer than the installed version: ' +
        '--skip-lower-version skips it; nothing would change.',
    );
  const publisherAction = plan.publisher.action === 'create' ? 'will be created' : 'exists';
  io.out(`Publisher ${s.publisher}: ${publisherAction}`);
  io.out(
    `Components: ${summary.add} add, ${summary.update} update, ${summary.skip} skip` +
      `${summary.delete ? `, ${summary.delete} delete` : ''}` +
      `${summary.drafts ? `, ${summary.drafts} land as drafts until published` : ''}`,
  );
  if (plan.rolledUp.length) io.out(`Patches rolled up and removed: ${plan.rolledUp.join(', ')}`);
  if (plan.deletes.length) {
    io.out(`\nRemoved by this ${plan.kind} (${plan.deletes.length}):`);
    const { shown, more } = cutList(plan.deletes, 30, full);
    io.out(
      table(
        ['Type', 'Key', 'Layer of', 'Component'],
        shown.map((d) => [
          componentTypeName(d),
          d.key,
          d.solution,
          d.componentGoes ? 'deleted' : 'stays (other layers)',
        ]),
      ),
    );
    if (more) io.out(more);
  }
  if (plan.customizations.length) printCustomizations(plan.customizations, io, full);
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
            componentTypeName(p),
            p.key,
            p.layer,
            p.warnings[0] ?? p.reason,
          ]),
        ),
    );
  if (plan.firstParty?.length) printFirstParty(plan.firstParty, io);
  for (const line of parameterLines(plan)) io.out(line);
  if (plan.missing.length) {
    io.out(`\nMissing required components (${plan.missing.length}):`);
    io.out(missingTable(plan.missing));
  }
  if (plan.warnings.length && !verbose)
    io.out(`\n${plan.warnings.length} warning(s) (--verbose lists them)`);
  else if (plan.warnings.length) {
    const { shown, more } = cutList(plan.warnings, 50, full);
    io.out(`\n${plan.warnings.length} warning(s):\n  ${shown.join('\n  ')}`);
    if (more) io.out(more);
  }
  if (plan.blocked.length) {
    io.out('\nThis import would fail:');
    for (const b of plan.blocked)
      io.out(`  ${b.code}: ${b.message}${b.hint ? `\n    → ${b.hint}` : ''}`);
  } else
    io.out(
      '\nNothing has been changed. Run strata import with the same options to apply this plan.',
    );
}

/** The plan options with the values of a deployment settings file (read before the store opens). */
function withSettings(options: PlanOptions, file: string | undefined): PlanOptions {
  const componentValues = settingsFileValues(file);
  return componentValues ? { ...options, componentValues } : options;
}

export async function planCommand(
  { values, positionals }: ArgsOf<typeof PLAN>,
  io: Io,
): Promise<number> {
  const source = onePath(positionals, 'plan');
  const { plan } = await withStore(async (store) =>
    planPackage(
      store,
      await environmentName(store, values.env),
      source,
      withSettings(planOptions(values), values['settings-file']),
      readOptions(values),
    ),
  );
  if (values.out) writeFileSync(values.out, JSON.stringify(plan, null, 2));
  if (values.json) io.out(JSON.stringify(plan, null, 2));
  else printPlan(plan, io, !!values.verbose, !!values.full || !!values.verbose);
  return plan.blocked.length ? 4 : 0;
}

export async function importCommand(
  { values, positionals }: ArgsOf<typeof IMPORT>,
  io: Io,
): Promise<number> {
  const source = onePath(
    values.path !== undefined ? [...positionals, values.path] : positionals,
    'import',
  );
  checkAsync(values);
  const savedPlan = values.plan ? readPlanFile(values.plan) : undefined;
  const bar = new ProgressBar(io.isTTY && !values.json);
  try {
    const outcome = await withStore(async (store) => {
      const environment = await environmentName(store, values.env ?? savedPlan?.environment);
      return importSolution(store, {
        environment,
        source,
        options: withSettings(planOptions(values), values['settings-file']),
        plan: savedPlan,
        ...readOptions(values),
        onProgress: (p) => bar.update(p.percent, p.message),
        onWait: () => {
          bar.done();
          io.err(
            `Waiting for another import into ${environment} to finish ` +
              '(one import or change at a time per environment)…',
          );
        },
      });
    });
    bar.done();
    if (values.json) io.out(JSON.stringify(importSummary(outcome), null, 2));
    else printImport(outcome, io);
    return 0;
  } catch (e) {
    bar.done();
    if (e instanceof MissingDependenciesError && !values.json) {
      printMissingDependencies(e, values.env, io);
      return 4;
    }
    throw e;
  }
}

/** Active-layer customizations an import meets, and the local values each one keeps or loses. */
function printCustomizations(customizations: PlannedCustomization[], io: Io, full: boolean): void {
  io.out(`\nActive-layer customizations on imported components (${customizations.length}):`);
  const rows = cutList(customizations, 30, full);
  io.out(
    table(
      ['Type', 'Key', 'Effect'],
      rows.shown.map((c) => [
        componentTypeName(c),
        c.key,
        c.effect === 'kept'
          ? 'kept on top (maintain): the new definition does not show'
          : c.effect === 'overwritten'
            ? 'overwritten with the new definition'
            : 'kept, merged on top (merge component)',
      ]),
    ),
  );
  if (rows.more) io.out(rows.more);
  const changed = cutList(
    customizations.filter((x) => x.properties?.length),
    10,
    full,
    { what: 'customized components' },
  );
  for (const c of changed.shown) {
    io.out(`  ${c.key} (${c.effect === 'kept' ? 'stays local' : 'local values lost'}):`);
    const properties = cutList(c.properties!, 5, full, { indent: '    ', what: 'properties' });
    for (const p of properties.shown)
      io.out(`    ${p.path}: local ${p.active ?? '(none)'} · package ${p.incoming ?? '(none)'}`);
    if (properties.more) io.out(properties.more);
  }
  if (changed.more) io.out(changed.more);
}

/** What `strata import --json` prints. */
function importSummary({ jobId, plan, log, published, seconds }: ImportOutcome) {
  return {
    jobId,
    status: log.status,
    solution: log.solution,
    summary: plan.summary,
    published,
    warnings: plan.warnings,
    seconds,
  };
}

function printImport(outcome: ImportOutcome, io: Io): void {
  const { plan, log, jobId } = outcome;
  if (plan.kind === 'skip') {
    io.out(log.message);
    return;
  }
  const { solution, installed, summary } = plan;
  if (plan.dataAtRisk.rows + plan.dataAtRisk.values > 0)
    for (const line of dataAtRiskLines(plan.dataAtRisk, true)) io.out(line);
  const verb = {
    new: 'Imported',
    patch: 'Imported the patch',
    upgrade: 'Upgraded',
    stage: 'Staged for upgrade',
    update: 'Updated',
  }[plan.kind];
  const state = solution.managed
    ? 'managed, published'
    : outcome.published
      ? `unmanaged, ${outcome.published} components published`
      : summary.drafts
        ? 'unmanaged: drafts until you run strata publish'
        : 'unmanaged, nothing to publish';
  io.out(
    `${verb} ${solution.friendlyName} (${solution.uniqueName}) ${solution.version}` +
      `${installed && plan.kind !== 'stage' ? ` (was ${installed.version})` : ''} ` +
      `in ${plan.environment} — ${state}`,
  );
  io.out(
    `  ${summary.add} added, ${summary.update} updated, ${summary.skip} skipped` +
      `${plan.deletes.length ? `, ${plan.deletes.length} removed` : ''}, ` +
      `${plan.warnings.length} warning(s), ${outcome.seconds.total.toFixed(2)} s`,
  );
  if (plan.rolledUp.length) io.out(`  Patches rolled up and removed: ${plan.rolledUp.join(', ')}`);
  if (plan.kind === 'stage')
    io.out(
      `  ${installed!.uniqueName} ${installed!.version} stays in force. ` +
        `Finish with: strata upgrade ${installed!.uniqueName}   ` +
        `(or drop it: strata upgrade ${installed!.uniqueName} --abandon)`,
    );
  if (summary.customizationsKept)
    io.out(
      `  ${summary.customizationsKept} component(s) keep Active-layer customizations on top ` +
        '(maintain); --force-overwrite replaces them.',
    );
  io.out(`  Import job ${jobId}: strata log ${jobId.slice(0, 8)} --format xml -o import-log.xml`);
}

/** A failed import's missing components, as a table on stderr, with the job log to read. */
function printMissingDependencies(
  e: MissingDependenciesError,
  env: string | undefined,
  io: Io,
): void {
  io.err(
    'error MISSING_DEPENDENCIES: Import failed due to missing dependencies. ' +
      `${e.missing.length} required component(s) are in neither the package ` +
      `nor ${env ?? 'the environment'}:`,
  );
  io.err(missingTable(e.missing));
  const job = e.jobId?.slice(0, 8);
  io.err(
    `→ ${e.hint}\n  Nothing was changed. Log: strata log ${job} --format xml -o import-log.xml`,
  );
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

export async function sampleCommand({ values }: ArgsOf<typeof SAMPLE>, io: Io): Promise<number> {
  const base = values.next ? nextSampleSolution() : sampleSolution();
  const spec = { ...base, managed: !values.unmanaged };
  const mode = spec.managed ? 'managed' : 'unmanaged';
  // the default name follows Dataverse's export names: NAME_1_0_0_0_managed.zip, NAME_1_0_0_0.zip
  const file =
    values.out === SAMPLE_FILE
      ? `contoso-projects_${spec.version.replaceAll('.', '_')}${spec.managed ? '_managed' : ''}.zip`
      : values.out;
  writeFileSync(file, buildSolutionZip(spec));
  if (values.json) io.out(JSON.stringify({ file, version: spec.version, managed: spec.managed }));
  else
    io.out(
      `Wrote the sample solution package ${file} (Contoso Projects ${spec.version}, ${mode}). ` +
        `Import it with: strata import ${file}`,
    );
  return 0;
}

const SAMPLE_FILE = 'contoso-projects_1_0_0_0_managed.zip';

/**
 * The first-party solutions of the environment's template the package depends on, with the
 * version installed and the one required, and what is assumed present in each.
 */
function printFirstParty(deps: FirstPartyDependency[], io: Io): void {
  io.out(`\nFirst-party solutions it depends on (${deps.length}), installed by the template:`);
  io.out(
    table(
      ['Solution', 'Publisher', 'Installed', 'Required', ''],
      deps.map((d) => [
        d.uniqueName,
        d.publisher === MICROSOFT_PUBLISHER.uniqueName ? 'Microsoft' : d.publisher,
        d.version,
        d.required ?? '',
        d.satisfied ? '' : 'too old: a missing dependency',
      ]),
    ),
  );
  for (const d of deps)
    for (const a of d.assumed)
      io.out(
        `  ${componentType(a.type).label} ${a.name ?? a.key}: assumed present in ` +
          `${d.uniqueName} ${d.version} (the package says so; strata's inventory does not list it)`,
      );
}

/** The components an import lacks: what they are, who provides them, which component needs them. */
function missingTable(missing: MissingComponent[]): string {
  return table(
    ['Type', 'Name', 'Id', 'Provided by', 'Needed by'],
    missing.map((m) => [
      m.type,
      m.name ?? m.key,
      m.id ?? '',
      m.versionTooLow
        ? `${m.versionTooLow.solution} ${m.versionTooLow.required} ` +
          `(this environment has ${m.versionTooLow.installed})`
        : (m.solution ?? ''),
      m.requiredBy
        ? componentTitle(
            m.requiredBy.displayType ?? m.requiredBy.type,
            m.requiredBy.key,
            m.requiredBy.name,
          ) + (m.alsoRequiredBy?.length ? ` and ${m.alsoRequiredBy.length} more` : '')
        : '',
    ]),
  );
}
