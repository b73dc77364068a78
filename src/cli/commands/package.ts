import { writeFileSync } from 'node:fs';
import { componentType } from '../../model/component-types.js';
import { MissingDependenciesError } from '../../model/errors.js';
import { displayName } from '../../model/solution.js';
import { buildSolutionZip, sampleSolution } from '../../package/build.js';
import { DEFAULT_LIMITS } from '../../package/limits.js';
import { readPackage, type SolutionPackage } from '../../package/read.js';
import { importSolution, planPackage } from '../../engine/import.js';
import { UPDATE_BANNER } from '../../engine/plan.js';
import type { ImportPlan } from '../../engine/plan-types.js';
import { loadSnapshot } from '../../store/snapshot.js';
import { environmentName, parse, usage, withStore, type Io } from '../context.js';
import { ProgressBar, table } from '../render.js';

export const readFlags = { 'max-size': { type: 'string' as const }, variant: { type: 'string' as const } };

export function readOptions(values: Record<string, unknown>) {
  const mb = values['max-size'] !== undefined ? Number(values['max-size']) : undefined;
  if (mb !== undefined && !(mb > 0)) throw usage('--max-size takes a size in MB, e.g. --max-size 300');
  const variant = values.variant as string | undefined;
  if (variant && variant !== 'managed' && variant !== 'unmanaged') throw usage('--variant is managed or unmanaged');
  return { limits: mb ? { ...DEFAULT_LIMITS, maxTotalBytes: Math.floor(mb * 1024 * 1024) } : undefined, variant: variant as 'managed' | 'unmanaged' | undefined };
}

function onePath(positionals: string[], what: string): string {
  if (positionals.length !== 1) throw usage(`${what} takes one package: a .zip or .cab file, or a folder.`);
  return positionals[0];
}

/** What a package holds: counts by type, the code it carries, and whether it updates an installed solution. */
export function describePackage(pkg: SolutionPackage, installed?: { version: string; managed: boolean }) {
  const m = pkg.manifest;
  const counts: Record<string, number> = {};
  for (const c of pkg.components) counts[c.type] = (counts[c.type] ?? 0) + 1;
  const executable = pkg.components.filter((c) => {
    if (c.type === 'webresource') return /<WebResourceType>3<\/WebResourceType>/.test(c.xml) || /\.js$/i.test(c.key);
    return ['pluginassembly', 'workflow', 'customapi', 'customcontrol'].includes(c.type);
  }).map((c) => ({ type: c.type, key: c.key, name: c.name }));
  return {
    uniqueName: m.uniqueName,
    displayName: displayName(m.localizedNames, m.uniqueName, m.languageCode),
    version: m.version.text,
    managed: m.managed,
    publisher: { uniqueName: m.publisher.uniqueName, displayName: displayName(m.publisher.names, m.publisher.uniqueName), prefix: m.publisher.customizationPrefix, optionValuePrefix: m.publisher.optionValuePrefix },
    description: displayName(m.descriptions, '', m.languageCode),
    parentUniqueName: m.parentUniqueName ?? null,
    source: pkg.source,
    components: pkg.components.length,
    countsByType: Object.fromEntries(Object.entries(counts).sort()),
    executableCode: executable,
    declaredDependencies: m.missingDependencies.length,
    status: installed ? 'update' : 'new',
    ...(installed ? { installed, banner: UPDATE_BANNER } : {}),
    warnings: pkg.warnings,
    hash: pkg.hash,
  };
}

export async function inspectCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, readFlags);
  const pkg = readPackage(onePath(positionals, 'inspect'), readOptions(values));
  const info = await withStore(async (store) => {
    const env = await environmentName(store, values.env);
    const snap = await loadSnapshot(store, env);
    const s = snap.solutions.find((x) => x.uniqueName === pkg.manifest.uniqueName);
    return describePackage(pkg, s ? { version: s.version, managed: s.managed } : undefined);
  });
  if (values.json) { io.out(JSON.stringify(info, null, 2)); return 0; }
  if (info.status === 'update') io.out(`! ${UPDATE_BANNER} (installed: ${info.installed!.version}, ${info.installed!.managed ? 'managed' : 'unmanaged'})\n`);
  io.out(`${info.displayName} (${info.uniqueName}) ${info.version}  ${info.managed ? 'managed' : 'unmanaged'}${info.parentUniqueName ? `  patch of ${info.parentUniqueName}` : ''}`);
  io.out(`Publisher:   ${info.publisher.displayName} (${info.publisher.uniqueName}, prefix ${info.publisher.prefix})`);
  if (info.description) io.out(`Description: ${info.description}`);
  io.out(`Package:     ${info.source.kind}${info.source.inner ? ` holding ${info.source.inner}` : ''}, ${info.components} components, ${info.declaredDependencies} declared dependencies`);
  io.out(`Status:      ${info.status === 'new' ? 'new solution' : 'update of an installed solution'}\n`);
  io.out(table(['Type', 'Count'], Object.entries(info.countsByType).map(([t, n]) => [componentType(t).label + (t.includes(':') ? ` ${t.slice(t.indexOf(':') + 1)}` : ''), n])));
  if (info.executableCode.length) {
    io.out(`\nThis package carries code that will run in the environment (${info.executableCode.length}). Import it only from a source you trust:`);
    io.out(table(['Type', 'Name'], info.executableCode.map((e) => [componentType(e.type).label, e.name])));
  }
  for (const w of info.warnings) io.err(`warning: ${w}`);
  return 0;
}

function printPlan(plan: ImportPlan, io: Io, verbose: boolean): void {
  const s = plan.solution;
  io.out(`Plan: ${plan.kind === 'update' ? 'update' : plan.kind === 'patch' ? 'patch' : 'install'} ${s.friendlyName} (${s.uniqueName}) ${s.version}, ${s.managed ? 'managed' : 'unmanaged'}, into ${plan.environment}`);
  if (plan.kind === 'update') io.out(`! ${UPDATE_BANNER}`);
  io.out(`Publisher ${s.publisher}: ${plan.publisher.action === 'create' ? 'will be created' : 'exists'}`);
  io.out(`Components: ${plan.summary.add} add, ${plan.summary.update} update (new layer), ${plan.summary.skip} skip${plan.summary.drafts ? `, ${plan.summary.drafts} land as drafts until published` : ''}`);
  const rows = plan.components.filter((p) => verbose || p.action !== 'skip' || p.reason.startsWith('unchanged'));
  if (verbose) io.out('\n' + table(['Action', 'Type', 'Key', 'Layer', 'Note'], rows.map((p) => [p.action, componentType(p.type).label, p.key, p.layer, p.warnings[0] ?? p.reason])));
  if (plan.missing.length) {
    io.out(`\nMissing required components (${plan.missing.length}):`);
    io.out(table(['Type', 'Name', 'Id', 'Provided by', 'Needed by'], plan.missing.map((m) => [m.type, m.name ?? m.key, m.id ?? '', m.solution ?? '', m.requiredBy ? `${m.requiredBy.type} ${m.requiredBy.key}` : ''])));
  }
  if (plan.warnings.length) io.out(`\n${plan.warnings.length} warning(s)${verbose ? ':\n  ' + plan.warnings.slice(0, 50).join('\n  ') : ' (--verbose lists them)'}`);
  if (plan.blocked.length) {
    io.out('\nThis import would fail:');
    for (const b of plan.blocked) io.out(`  ${b.code}: ${b.message}${b.hint ? `\n    → ${b.hint}` : ''}`);
  } else io.out('\nNothing has been changed. Run strata import with the same options to apply this plan.');
}

export async function planCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, { ...readFlags, 'publish-changes': { type: 'boolean' }, verbose: { type: 'boolean', short: 'v' }, out: { type: 'string', short: 'o' } });
  const source = onePath(positionals, 'plan');
  const { plan } = await withStore(async (store) => planPackage(store, await environmentName(store, values.env), source, { publishChanges: !!values['publish-changes'] }, readOptions(values)));
  if (values.out) writeFileSync(String(values.out), JSON.stringify(plan, null, 2));
  if (values.json) io.out(JSON.stringify(plan, null, 2));
  else printPlan(plan, io, !!values.verbose);
  return plan.blocked.length ? 4 : 0;
}

export async function importCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, { ...readFlags, 'publish-changes': { type: 'boolean' } });
  const source = onePath(positionals, 'import');
  const bar = new ProgressBar(io.isTTY && !values.json);
  try {
    const outcome = await withStore(async (store) => importSolution(store, {
      environment: await environmentName(store, values.env), source, options: { publishChanges: !!values['publish-changes'] }, ...readOptions(values),
      onProgress: (p) => bar.update(p.percent, p.message),
    }));
    bar.done();
    const { plan, log } = outcome;
    if (values.json) {
      io.out(JSON.stringify({ jobId: outcome.jobId, status: log.status, solution: log.solution, summary: plan.summary, published: outcome.published, warnings: plan.warnings, seconds: outcome.seconds }, null, 2));
      return 0;
    }
    io.out(`Imported ${plan.solution.friendlyName} (${plan.solution.uniqueName}) ${plan.solution.version} into ${plan.environment} — ${plan.solution.managed ? 'managed, published' : outcome.published ? `unmanaged, ${outcome.published} components published` : 'unmanaged: drafts until you run strata publish'}`);
    io.out(`  ${plan.summary.add} added, ${plan.summary.update} updated, ${plan.summary.skip} skipped, ${plan.warnings.length} warning(s), ${outcome.seconds.total.toFixed(2)} s`);
    io.out(`  Import job ${outcome.jobId}: strata log ${outcome.jobId.slice(0, 8)} --format xml -o import-log.xml`);
    return 0;
  } catch (e) {
    bar.done();
    if (e instanceof MissingDependenciesError && !values.json) {
      io.err(`error MISSING_DEPENDENCIES: Import failed due to missing dependencies. ${e.missing.length} required component(s) are in neither the package nor ${values.env ?? 'the environment'}:`);
      io.err(table(['Type', 'Name', 'Id', 'Provided by', 'Needed by'], e.missing.map((m) => [m.type, m.name ?? m.key, m.id ?? '', m.solution ?? '', m.requiredBy ? `${m.requiredBy.type} ${m.requiredBy.key}` : ''])));
      io.err(`→ ${e.hint}\n  Nothing was changed. Log: strata log ${(e as { jobId?: string }).jobId?.slice(0, 8)} --format xml -o import-log.xml`);
      return 4;
    }
    throw e;
  }
}

export async function sampleCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parse(argv, { out: { type: 'string', short: 'o' } }, false);
  const file = String(values.out ?? 'contoso-projects_1_0_0_0_managed.zip');
  writeFileSync(file, buildSolutionZip(sampleSolution()));
  if (values.json) io.out(JSON.stringify({ file }));
  else io.out(`Wrote the sample solution package ${file} (Contoso Projects 1.0.0.0, managed). Import it with: strata import ${file}`);
  return 0;
}
