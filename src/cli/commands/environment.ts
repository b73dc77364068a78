import { writeFileSync } from 'node:fs';
import { firstPartySolutionRows, templateSummaries } from '../../catalog/template-listing.js';
import {
  DEFAULT_TEMPLATE,
  EMPTY_BASE,
  firstPartySolutionsOf,
  templateIdOfBase,
} from '../../catalog/templates.js';
import { typeDisplayName } from '../../model/component-types.js';
import { publish } from '../../engine/publish.js';
import { renderLog, type LogFormat } from '../../jobs/log-format.js';
import {
  createEnvironment,
  deleteEnvironment,
  findEnvironment,
  listEnvironments,
} from '../../store/environments.js';
import { listHistory } from '../../store/history.js';
import { loadJob } from '../../store/jobs.js';
import { listSolutions, type SolutionRow } from '../../store/queries.js';
import { checkAsync } from '../flags.js';
import { usage, type ArgsOf, type Io } from '../command.js';
import { environmentName, templateArg, withStore } from '../context.js';
import { typeArg } from './layers.js';
import { historyTable, solutionsTable } from '../listings.js';
import { table } from '../render.js';
import type {
  ENV_CREATE,
  ENV_DELETE,
  ENV_LIST,
  ENV_TEMPLATES,
  HISTORY,
  LIST,
  LOG,
  PUBLISH,
} from './index.js';

/** strata env create NAME [--template T] (or the older --base standard|empty) */
export async function envCreate(
  { values, positionals }: ArgsOf<typeof ENV_CREATE>,
  io: Io,
): Promise<number> {
  if (positionals.length !== 1)
    throw usage('env create takes a name: strata env create NAME [--template T]');
  const [name] = positionals;
  const base = baseOf(values.template, values.base);
  await withStore((store) => createEnvironment(store, name, base));
  const template = templateIdOfBase(base);
  const solutions = firstPartySolutionsOf(base).length;
  if (values.json) io.out(JSON.stringify({ created: name, template, base }));
  else
    io.out(
      `Created environment ${name} ` +
        (template
          ? `from template ${template} ` +
            (solutions
              ? '(the System layer and Microsoft solutions: strata env templates lists them).'
              : '(the System layer only).')
          : '(empty: no System layer).'),
    );
  return 0;
}

/**
 * What environments.base holds for the flags given: a template id, or `empty`. The older --base
 * keeps its meaning: standard is the System layer alone (bare), empty is nothing.
 */
function baseOf(template: string | undefined, base: string | undefined): string {
  if (template !== undefined && base !== undefined)
    throw usage('Use --template or --base, not both (--base standard is --template bare).');
  if (base !== undefined) {
    if (base === 'standard') return 'bare';
    if (base === 'empty') return EMPTY_BASE;
    throw usage(
      '--base is standard (the System layer of standard tables) or empty',
      'Newer environments name a template instead: strata env create NAME --template T',
    );
  }
  return templateArg(template ?? DEFAULT_TEMPLATE);
}

/** strata env templates: each template with the solutions it installs. */
export async function envTemplates(
  { values }: ArgsOf<typeof ENV_TEMPLATES>,
  io: Io,
): Promise<number> {
  const templates = templateSummaries();
  if (values.json) {
    io.out(JSON.stringify(templates, null, 2));
    return 0;
  }
  const blocks = templates.map((t) => {
    const head =
      `${t.id}${t.id === DEFAULT_TEMPLATE ? ' (default)' : ''} — ${t.title}\n` +
      `  ${t.description}\n` +
      (t.parent ? `  adds ${t.own} solution(s) to ${t.parent}; ` : '  ') +
      `installs ${t.total} Microsoft solution(s) in all` +
      (t.total ? ':' : '.');
    if (!t.total) return head;
    const rows = table(
      ['Unique name', 'Version', 'Components', 'From'],
      t.solutions.map((s) => [
        s.uniqueName,
        s.version,
        s.components,
        s.inherited ? `inherited (${s.from})` : t.id,
      ]),
    );
    return `${head}\n${rows.replace(/^/gm, '  ')}`;
  });
  io.out(blocks.join('\n\n'));
  io.out(`\n${templates.length} template(s). strata env create NAME --template T makes one.`);
  return 0;
}

/** strata env list (and plain strata env) */
export async function envList({ values }: ArgsOf<typeof ENV_LIST>, io: Io): Promise<number> {
  const envs = (await withStore((store) => listEnvironments(store))).map((e) => ({
    ...e,
    template: templateIdOfBase(e.base),
  }));
  if (values.json) io.out(JSON.stringify(envs, null, 2));
  else
    io.out(
      envs.length
        ? table(
            ['Name', 'Template', 'Solutions', 'Components', 'Created'],
            envs.map((e) => [
              e.name,
              e.template ?? 'empty (no System layer)',
              e.solutions,
              e.components,
              e.createdOn.slice(0, 19),
            ]),
          )
        : 'No environments yet. strata env create NAME makes one; ' +
            'commands without --env use "default".',
    );
  return 0;
}

/** strata env delete NAME */
export async function envDelete(
  { values, positionals }: ArgsOf<typeof ENV_DELETE>,
  io: Io,
): Promise<number> {
  if (positionals.length !== 1) throw usage('env delete takes a name');
  const [name] = positionals;
  await withStore((store) => deleteEnvironment(store, name));
  if (values.json) io.out(JSON.stringify({ deleted: name }));
  else io.out(`Deleted environment ${name} and everything in it.`);
  return 0;
}

export async function listCommand({ values }: ArgsOf<typeof LIST>, io: Io): Promise<number> {
  const all = values.all === true;
  return withStore(async (store) => {
    const env = await findEnvironment(store, await environmentName(store, values.env));
    const installed = await listSolutions(store, env.id);
    // the template's solutions are below every installed one; Dataverse hides them by default
    const firstParty = all
      ? firstPartySolutionRows(env.base, new Date(env.created_on).toISOString())
      : [];
    const rows: Array<SolutionRow & { publisherName?: string; template?: string }> = all
      ? [...firstParty, ...installed.map((r) => ({ ...r, firstParty: false }))]
      : installed;
    if (values.json) {
      io.out(JSON.stringify(rows, null, 2));
      return 0;
    }
    if (!rows.length) {
      const hidden = firstPartySolutionsOf(env.base).length;
      io.out(
        `No solutions in ${env.name} yet` +
          (hidden
            ? ` (its template, ${templateIdOfBase(env.base)}, holds ${hidden} Microsoft ` +
              'solution(s): strata list --all shows them).'
            : '.'),
      );
      return 0;
    }
    io.out(solutionsTable(rows));
    if (firstParty.length)
      io.out(
        `\n${firstParty.length} Microsoft solution(s) of template ${firstParty[0].template}, ` +
          `${installed.length} installed.`,
      );
    return 0;
  });
}

export async function publishCommand(
  { values, positionals }: ArgsOf<typeof PUBLISH>,
  io: Io,
): Promise<number> {
  if (values.all && positionals.length)
    throw usage('Use --all, or name components (TYPE:KEY ...), not both.');
  checkAsync(values);
  const only =
    values.all || positionals.length === 0
      ? undefined
      : positionals.map((p) => {
          const i = p.indexOf(':');
          if (i < 1)
            throw usage(`"${p}" is not TYPE:KEY (e.g. entity:cnt_project, systemform:{guid}).`);
          return { type: typeArg(p.slice(0, i)), key: p.slice(i + 1).toLowerCase() };
        });
  return withStore(async (store) => {
    const env = await environmentName(store, values.env);
    const { published } = await publish(store, env, only);
    if (values.json) io.out(JSON.stringify({ environment: env, published }, null, 2));
    else
      io.out(
        published.length
          ? `Published ${published.length} component(s) in ${env}.`
          : `Nothing to publish in ${env}: there are no unpublished customizations` +
              `${only ? ' on those components' : ''}.`,
      );
    return 0;
  });
}

export async function logCommand(
  { values, positionals }: ArgsOf<typeof LOG>,
  io: Io,
): Promise<number> {
  if (positionals.length !== 1)
    throw usage(
      'log takes a job id (or its first characters): strata log JOB --format xml|json [-o FILE]',
    );
  const format = (values.format ?? (values.json ? 'json' : 'xml')) as LogFormat;
  return withStore(async (store) => {
    // every environment's jobs, or with --env that environment's (job ids are per environment)
    const envId = values.env ? (await findEnvironment(store, values.env)).id : undefined;
    const log = await loadJob(store, positionals[0], typeDisplayName, envId);
    const r = renderLog(log, format);
    if (values.output) {
      writeFileSync(values.output, r.body);
      const what = format === 'xml' ? 'spreadsheet (SpreadsheetML, opens in Excel)' : 'JSON';
      io.err(`Wrote the ${what} log of job ${log.jobId} to ${values.output}.`);
    } else io.out(r.body);
    return 0;
  });
}

export async function historyCommand({ values }: ArgsOf<typeof HISTORY>, io: Io): Promise<number> {
  return withStore(async (store) => {
    const env = await findEnvironment(store, await environmentName(store, values.env));
    const rows = await listHistory(store, env.id, Number(values.limit));
    if (values.json) io.out(JSON.stringify(rows, null, 2));
    else
      io.out(
        rows.length
          ? historyTable(
              rows.map((h) => ({
                ...h,
                startedOn: h.startedOn.toISOString(),
                seconds: (h.endedOn.getTime() - h.startedOn.getTime()) / 1000,
              })),
              true,
            )
          : `No history in ${env.name} yet.`,
      );
    return 0;
  });
}
