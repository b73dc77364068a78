/**
 * import, upgrade, export, list, delete, publish, history and log on a server, through the
 * Dataverse Web API only (client.ts): the same flags, output and exit codes as on the local
 * store, where the Web API can say the same. What the server alone decides (plans, data at risk)
 * is refused up front with a usage error rather than silently dropped.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { StrataError } from '../../model/errors.js';
import { readPackage } from '../../package/read.js';
import { baseNameOf, holdingNameOf } from '../../plans/layer-order.js';
import { usage, type CommandArgs, type Flags, type Io } from '../command.js';
import { readOptions } from '../flags.js';
import { historyTable, solutionsTable } from '../listings.js';
import { literal, WebApiClient } from './client.js';
import type { ServableName } from './declarations.js';
import { importJob, resultCounts, waitFor } from './operations.js';
import type { ServerTarget } from './target.js';

type Values = Record<string, unknown>;
type Handler = (
  client: WebApiClient,
  values: Values,
  positionals: string[],
  io: Io,
) => Promise<number>;

const HANDLERS: Record<ServableName, Handler> = {
  import: importRemote,
  upgrade: upgradeRemote,
  export: exportRemote,
  list: listRemote,
  delete: deleteRemote,
  publish: publishRemote,
  history: historyRemote,
  log: logRemote,
};

export function runRemote(
  name: ServableName,
  target: ServerTarget,
  args: CommandArgs<Flags>,
  io: Io,
): Promise<number> {
  return HANDLERS[name](new WebApiClient(target), args.values as Values, args.positionals, io);
}

/** Flags that need the local store's planner: a usage error on a server, never ignored. */
function refuseLocalOnly(values: Values, flags: string[], what: string): void {
  const given = flags.filter((f) => values[f] !== undefined && values[f] !== false);
  if (given.length)
    throw usage(
      `--${given.join(', --')} ${given.length > 1 ? 'are' : 'is'} not available on a server: ${what}`,
      'Add --local to run on the local store.',
    );
}

export interface SolutionRow {
  solutionid: string;
  uniquename: string;
  friendlyname: string | null;
  version: string | null;
  ismanaged: boolean;
  installedon: string | null;
  _parentsolutionid_value?: string | null;
  publisherid?: { uniquename: string; friendlyname: string | null } | null;
}

const SOLUTION_COLUMNS = 'solutionid,uniquename,friendlyname,version,ismanaged,installedon';

/** The solution of that unique name (any case, as Dataverse compares), or null. */
async function findSolution(client: WebApiClient, name: string): Promise<SolutionRow | null> {
  const page = await client.get<{ value: SolutionRow[] }>(
    `solutions?$select=${SOLUTION_COLUMNS}&$filter=uniquename eq ${encodeURIComponent(literal(name))}`,
  );
  return page.value[0] ?? null;
}

async function solutionOrFail(client: WebApiClient, name: string): Promise<SolutionRow> {
  const s = await findSolution(client, name);
  if (s) return s;
  throw new StrataError(
    'SOLUTION_NOT_FOUND',
    `There is no solution ${name} on ${client.target.label}.`,
    {
      hint: 'strata list shows the solutions of the server.',
    },
  );
}

// ---- import ----------------------------------------------------------------------------------

interface AsyncAnswer {
  AsyncOperationId: string;
  ImportJobKey?: string;
}

async function importRemote(
  client: WebApiClient,
  values: Values,
  positionals: string[],
  io: Io,
): Promise<number> {
  if (positionals.length !== 1) throw usage('import takes one package: a .zip file.');
  refuseLocalOnly(values, ['plan'], 'a saved plan is made and executed on the local store.');
  const file = positionals[0];
  if (existsSync(file) && statSync(file).isDirectory())
    throw usage(
      `${file} is a folder: on a server, import takes a solution .zip.`,
      `Pack it first: strata pack ${file} PKG.zip`,
    );
  // read here as the local import reads it: an unreadable package fails the same way (exit 3)
  const pkg = readPackage(file, readOptions(values));
  const m = pkg.manifest;
  const actions = ['stage-and-upgrade', 'import-as-holding', 'update'].filter((f) => values[f]);
  if (actions.length > 1)
    throw usage(`--${actions.join(' and --')} exclude each other: pick one solution action.`);
  const installed = await findSolution(client, m.uniqueName);
  if (
    values['skip-lower-version'] &&
    installed?.version &&
    !newer(m.version.text, installed.version)
  ) {
    const msg =
      `Skipped ${m.uniqueName} ${m.version.text}: ${installed.version} is installed on ` +
      `${client.target.label} (--skip-lower-version).`;
    io.out(values.json ? JSON.stringify({ status: 'skipped', solution: m.uniqueName }) : msg);
    return 0;
  }
  // as on the local store, an installed managed solution is upgraded unless told otherwise
  const stage =
    values['stage-and-upgrade'] === true || (!actions.length && m.managed && installed !== null);
  const holding = values['import-as-holding'] === true;
  const parameters: Values = {
    CustomizationFile: readFileSync(file).toString('base64'),
    OverwriteUnmanagedCustomizations: values['force-overwrite'] === true,
    PublishWorkflows: values['activate-plugins'] === true,
    ...(values['convert-to-managed'] ? { ConvertToManaged: true } : {}),
    ...(values['skip-dependency-check'] ? { SkipProductUpdateDependencies: true } : {}),
    ...(holding ? { HoldingSolution: true } : {}),
  };
  const action = stage ? 'StageAndUpgradeAsync' : 'ImportSolutionAsync';
  const answer = await client.action<AsyncAnswer>(action, parameters);
  const id = answer.AsyncOperationId;
  const jobId = answer.ImportJobKey ?? id;
  const name = m.localizedNames[0]?.text ?? m.uniqueName;
  if (values.async) {
    if (values.json)
      io.out(JSON.stringify({ asyncOperationId: id, importJobId: jobId, action }, null, 2));
    else {
      io.out(
        `Submitted the import of ${name} (${m.uniqueName}) ${m.version.text} to ` +
          `${client.target.label} (${action}): job ${id}`,
      );
      io.out(`  Follow it: strata job wait ${id}    (strata job show ${id})`);
    }
    return 0;
  }
  await waitFor(client, id, io, {
    importJobId: jobId,
    label: `Importing ${m.uniqueName} ${m.version.text}`,
    failure: stage ? 'LIFECYCLE_FAILED' : 'IMPORT_FAILED',
    json: values.json === true,
  });
  const job = await importJob(client, jobId, true);
  const counts = job?.data ? resultCounts(job.data) : null;
  let published = false;
  if (values['publish-changes'] && !m.managed) {
    await client.action('PublishAllXml');
    published = true;
  }
  const kind = holding ? 'stage' : stage ? 'upgrade' : installed ? 'update' : 'new';
  if (values.json) {
    io.out(
      JSON.stringify(
        {
          jobId,
          asyncOperationId: id,
          status: 'succeeded',
          kind,
          solution: { uniqueName: m.uniqueName, version: m.version.text, managed: m.managed },
          was: installed?.version ?? null,
          counts,
          published,
        },
        null,
        2,
      ),
    );
    return 0;
  }
  const verb = {
    new: 'Imported',
    upgrade: 'Upgraded',
    stage: 'Staged for upgrade',
    update: 'Updated',
  }[kind];
  const state = m.managed
    ? 'managed, published'
    : published
      ? 'unmanaged, published'
      : 'unmanaged: drafts until you run strata publish';
  io.out(
    `${verb} ${name} (${m.uniqueName}) ${m.version.text}` +
      `${installed && kind !== 'stage' ? ` (was ${installed.version})` : ''} ` +
      `on ${client.target.label} — ${state}`,
  );
  if (counts)
    io.out(
      `  ${counts.success} component(s) imported` +
        `${counts.warning ? `, ${counts.warning} with warnings` : ''}` +
        `${counts.failure ? `, ${counts.failure} failed` : ''}`,
    );
  if (kind === 'stage')
    io.out(
      `  ${m.uniqueName} ${installed?.version ?? ''} stays in force. ` +
        `Finish with: strata upgrade ${m.uniqueName}   ` +
        `(or drop it: strata upgrade ${m.uniqueName} --abandon)`,
    );
  io.out(`  Import job ${jobId}: strata log ${jobId} --format xml -o import-log.xml`);
  return 0;
}

/** Whether version a is higher than b (four dotted numbers; missing parts are 0). */
function newer(a: string, b: string): boolean {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 4; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d > 0;
  }
  return false;
}

// ---- upgrade, delete -------------------------------------------------------------------------

async function upgradeRemote(
  client: WebApiClient,
  values: Values,
  positionals: string[],
  io: Io,
): Promise<number> {
  if (positionals.length !== 1)
    throw usage("upgrade takes the solution's unique name: strata upgrade NAME [--abandon]");
  refuseLocalOnly(values, ['dry-run'], 'the server plans nothing ahead of running it.');
  const name = baseNameOf(positionals[0]);
  const base = await solutionOrFail(client, name);
  const staged = await findSolution(client, holdingNameOf(base.uniquename));
  if (!staged) {
    throw new StrataError(
      'HOLDING_NOT_FOUND',
      `${base.uniquename} has no staged upgrade (${holdingNameOf(base.uniquename)}) on ` +
        `${client.target.label}.`,
      { hint: `Stage one with: strata import PKG --import-as-holding` },
    );
  }
  if (values.abandon) {
    await client.request('DELETE', `solutions(${staged.solutionid})`, {
      asked: { what: 'solution', name: staged.uniquename },
    });
    const out = { operation: 'abandon', solution: base.uniquename, holding: staged.version };
    if (values.json) io.out(JSON.stringify(out, null, 2));
    else
      io.out(
        `Dropped the staged upgrade ${staged.uniquename} ${staged.version} on ` +
          `${client.target.label}; ${base.uniquename} stays as it was`,
      );
    return 0;
  }
  await client.action(
    'DeleteAndPromote',
    { UniqueName: base.uniquename },
    {
      what: 'solution',
      name: base.uniquename,
    },
  );
  const out = {
    operation: 'apply-upgrade',
    solution: base.uniquename,
    version: staged.version,
    was: base.version,
  };
  if (values.json) io.out(JSON.stringify(out, null, 2));
  else
    io.out(
      `Applied the upgrade of ${base.uniquename}: ${staged.uniquename} ${staged.version} is now ` +
        `${base.uniquename} (was ${base.version}) on ${client.target.label}`,
    );
  return 0;
}

async function deleteRemote(
  client: WebApiClient,
  values: Values,
  positionals: string[],
  io: Io,
): Promise<number> {
  if (positionals.length !== 1)
    throw usage("delete takes the solution's unique name: strata delete NAME");
  refuseLocalOnly(values, ['dry-run'], 'the server plans nothing ahead of running it.');
  const s = await solutionOrFail(client, positionals[0]);
  await client.request('DELETE', `solutions(${s.solutionid})`, {
    asked: { what: 'solution', name: s.uniquename },
  });
  if (values.json)
    io.out(JSON.stringify({ operation: 'uninstall', solution: s.uniquename, version: s.version }));
  else
    io.out(
      `Uninstalled ${s.uniquename} ${s.version} from ${client.target.label} (${
        s.ismanaged
          ? 'managed: its layers go'
          : 'unmanaged: only the container goes, its components stay'
      })`,
    );
  return 0;
}

// ---- export ----------------------------------------------------------------------------------

async function exportRemote(
  client: WebApiClient,
  values: Values,
  positionals: string[],
  io: Io,
): Promise<number> {
  if (positionals.length !== 1)
    throw usage(
      "export takes the solution's unique name: strata export NAME [--managed|--unmanaged] -o FILE.zip",
    );
  if (values.managed && values.unmanaged)
    throw usage('--managed and --unmanaged exclude each other.');
  const s = await solutionOrFail(client, positionals[0]);
  const file = (values.out as string | undefined) ?? `${s.uniquename}.zip`;
  if (existsSync(file) && !values.force)
    throw usage(
      `${file} exists; nothing was written.`,
      'Choose another file name, or add --force to replace it.',
    );
  const managed = values.managed ? true : values.unmanaged ? false : s.ismanaged;
  const parameters = { SolutionName: s.uniquename, Managed: managed };
  if (values.async) {
    const a = await client.action<{ AsyncOperationId: string; ExportJobId: string }>(
      'ExportSolutionAsync',
      parameters,
      { what: 'solution', name: s.uniquename },
    );
    if (values.json)
      io.out(
        JSON.stringify(
          { asyncOperationId: a.AsyncOperationId, exportJobId: a.ExportJobId },
          null,
          2,
        ),
      );
    else {
      io.out(
        `Submitted the export of ${s.uniquename} (${managed ? 'managed' : 'unmanaged'}) on ` +
          `${client.target.label}: job ${a.AsyncOperationId}`,
      );
      io.out(
        `  Wait and download: strata job wait ${a.AsyncOperationId} ` +
          `--export-job ${a.ExportJobId} -o ${file}`,
      );
    }
    return 0;
  }
  const answer = await client.action<{ ExportSolutionFile: string }>('ExportSolution', parameters, {
    what: 'solution',
    name: s.uniquename,
  });
  const zip = Buffer.from(answer.ExportSolutionFile, 'base64');
  writeFileSync(file, zip);
  const summary = {
    solution: s.uniquename,
    version: s.version,
    managed,
    file,
    bytes: zip.length,
  };
  if (values.json) io.out(JSON.stringify(summary, null, 2));
  else
    io.out(
      `Exported ${s.uniquename} ${s.version} (${managed ? 'managed' : 'unmanaged'}) from ` +
        `${client.target.label} to ${file} (${zip.length} bytes).`,
    );
  return 0;
}

// ---- list, publish, history, log ---------------------------------------------------------------

/** Microsoft's own solutions, which the local list hides too unless --all asks. */
const MICROSOFT = 'microsoftcorporation';

async function listRemote(
  client: WebApiClient,
  values: Values,
  _p: string[],
  io: Io,
): Promise<number> {
  const rows = await client.getAll<SolutionRow>(
    `solutions?$select=${SOLUTION_COLUMNS},_parentsolutionid_value` +
      '&$filter=isvisible eq true&$expand=publisherid($select=uniquename,friendlyname)' +
      '&$orderby=installedon asc',
  );
  const shown = values.all
    ? rows
    : rows.filter((r) => r.publisherid?.uniquename.toLowerCase() !== MICROSOFT);
  const byId = new Map(rows.map((r) => [r.solutionid, r.uniquename]));
  const out = await Promise.all(
    shown.map(async (r) => ({
      uniqueName: r.uniquename,
      friendlyName: r.friendlyname,
      version: r.version,
      managed: r.ismanaged,
      publisher: r.publisherid?.uniquename ?? null,
      publisherName: r.publisherid?.friendlyname ?? null,
      parentUniqueName: r._parentsolutionid_value
        ? (byId.get(r._parentsolutionid_value) ?? null)
        : null,
      components: await componentCount(client, r.solutionid),
      installedOn: r.installedon,
    })),
  );
  if (values.json) io.out(JSON.stringify(out, null, 2));
  else if (!out.length)
    io.out(
      `No solutions on ${client.target.label} yet` +
        (rows.length > shown.length
          ? ` (and ${rows.length - shown.length} Microsoft solution(s): strata list --all shows them).`
          : '.'),
    );
  else io.out(solutionsTable(out));
  return 0;
}

async function componentCount(client: WebApiClient, solutionId: string): Promise<number | null> {
  const page = await client.get<{ '@odata.count'?: number }>(
    `solutioncomponents?$select=solutioncomponentid&$filter=_solutionid_value eq ${solutionId}` +
      '&$count=true&$top=1',
  );
  return page['@odata.count'] ?? null;
}

/** PublishXml's sections, by the component types a TYPE:KEY names. */
const PUBLISH_SECTIONS: Record<string, [string, string]> = {
  entity: ['entities', 'entity'],
  webresource: ['webresources', 'webresource'],
  optionset: ['optionsets', 'optionset'],
  sitemap: ['sitemaps', 'sitemap'],
  appmodule: ['appmodules', 'appmodule'],
};

async function publishRemote(
  client: WebApiClient,
  values: Values,
  positionals: string[],
  io: Io,
): Promise<number> {
  if (values.all && positionals.length)
    throw usage('Use --all, or name components (TYPE:KEY ...), not both.');
  if (!positionals.length) {
    await client.action('PublishAllXml');
    if (values.json) io.out(JSON.stringify({ published: 'all' }));
    else io.out(`Published all customizations on ${client.target.label} (PublishAllXml).`);
    return 0;
  }
  const sections = new Map<string, string[]>();
  for (const p of positionals) {
    const i = p.indexOf(':');
    const type = p.slice(0, Math.max(0, i)).toLowerCase();
    const section = PUBLISH_SECTIONS[type];
    if (!section)
      throw usage(
        `"${p}": on a server, publish names ${Object.keys(PUBLISH_SECTIONS).join(', ')} ` +
          'components (PublishXml), as TYPE:KEY.',
      );
    const items = sections.get(section[0]) ?? [];
    items.push(`<${section[1]}>${escapeXml(p.slice(i + 1))}</${section[1]}>`);
    sections.set(section[0], items);
  }
  const xml =
    '<importexportxml>' +
    [...sections].map(([s, items]) => `<${s}>${items.join('')}</${s}>`).join('') +
    '</importexportxml>';
  await client.action('PublishXml', { ParameterXml: xml });
  if (values.json) io.out(JSON.stringify({ published: positionals }));
  else
    io.out(`Published ${positionals.length} component(s) on ${client.target.label} (PublishXml).`);
  return 0;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

interface HistoryRow {
  msdyn_name: string | null;
  msdyn_solutionversion: string | null;
  msdyn_operation: number | null;
  msdyn_suboperation: number | null;
  msdyn_result: boolean | null;
  msdyn_starttime: string | null;
  msdyn_endtime: string | null;
  msdyn_totaltime: number | null;
  msdyn_errorcode: string | null;
  msdyn_exceptionmessage: string | null;
  msdyn_activityid: string | null;
}

/** msdyn_solutionhistory's choices, as Dataverse documents them. */
const OPERATIONS = ['import', 'uninstall', 'export', 'publish', 'publish all'];
const SUBOPERATIONS = ['none', 'new', 'upgrade', 'update', 'delete'];

async function historyRemote(
  client: WebApiClient,
  values: Values,
  _p: string[],
  io: Io,
): Promise<number> {
  const limit = Number(values.limit ?? 100);
  if (!Number.isInteger(limit) || limit < 1)
    throw usage('--limit takes a whole number, e.g. -n 20');
  const page = await client.get<{ value: HistoryRow[] }>(
    'msdyn_solutionhistories?$select=msdyn_name,msdyn_solutionversion,msdyn_operation,' +
      'msdyn_suboperation,msdyn_result,msdyn_starttime,msdyn_endtime,msdyn_totaltime,' +
      `msdyn_errorcode,msdyn_exceptionmessage,msdyn_activityid&$orderby=msdyn_starttime desc&$top=${limit}`,
  );
  const rows = page.value.map((h) => ({
    startedOn: h.msdyn_starttime,
    endedOn: h.msdyn_endtime,
    solutionName: h.msdyn_name,
    solutionVersion: h.msdyn_solutionversion,
    operation: OPERATIONS[h.msdyn_operation ?? -1] ?? 'none',
    subOperation: SUBOPERATIONS[h.msdyn_suboperation ?? -1] ?? 'none',
    result: h.msdyn_result ? 'success' : 'failure',
    seconds: h.msdyn_totaltime,
    errorCode: h.msdyn_errorcode || null,
    message: h.msdyn_exceptionmessage || null,
    jobId: h.msdyn_activityid || null,
  }));
  if (values.json) io.out(JSON.stringify(rows, null, 2));
  else if (!rows.length) io.out(`No history on ${client.target.label} yet.`);
  else io.out(historyTable(rows, false));
  return 0;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A job id, or the first characters of one: matched against the server's import jobs. */
export async function resolveImportJob(client: WebApiClient, idOrPrefix: string): Promise<string> {
  const q = idOrPrefix.toLowerCase().replace(/^\{|\}$/g, '');
  if (GUID.test(q)) return q;
  const jobs = await client.getAll<{ importjobid: string }>('importjobs?$select=importjobid');
  const found = jobs.filter((j) => j.importjobid.toLowerCase().startsWith(q));
  if (found.length === 1) return found[0].importjobid;
  if (!found.length || !q)
    throw new StrataError(
      'JOB_NOT_FOUND',
      `No import job ${idOrPrefix} on ${client.target.label}.`,
      {
        hint: 'strata history lists the imports with their jobs.',
      },
    );
  throw new StrataError('JOB_AMBIGUOUS', `${idOrPrefix} is the start of ${found.length} job ids.`, {
    hint: 'Give more characters of the id.',
  });
}

async function logRemote(
  client: WebApiClient,
  values: Values,
  positionals: string[],
  io: Io,
): Promise<number> {
  if (positionals.length !== 1)
    throw usage(
      'log takes a job id (or its first characters): strata log JOB --format xml|json [-o FILE]',
    );
  const format = (values.format as string | undefined) ?? (values.json ? 'json' : 'xml');
  if (format !== 'xml' && format !== 'json') {
    throw new StrataError('LOG_FORMAT_UNKNOWN', `There is no log format "${format}".`, {
      hint: 'Use --format xml (SpreadsheetML for Excel) or --format json.',
    });
  }
  const id = await resolveImportJob(client, positionals[0]);
  let body: string;
  if (format === 'xml') {
    const r = await client.get<{ FormattedResults: string }>(
      `RetrieveFormattedImportJobResults(ImportJobId=@p1)?@p1=${id}`,
      { what: 'job', name: id },
    );
    body = r.FormattedResults;
  } else {
    // the import job as the Web API has it: its result document (data) is Dataverse's XML
    const job = await client.get<Record<string, unknown>>(`importjobs(${id})`, {
      what: 'job',
      name: id,
    });
    body = JSON.stringify(job, null, 2);
  }
  if (values.output) {
    writeFileSync(values.output as string, body);
    const what = format === 'xml' ? 'spreadsheet (SpreadsheetML, opens in Excel)' : 'JSON';
    io.err(`Wrote the ${what} log of job ${id} to ${values.output as string}.`);
  } else io.out(body);
  return 0;
}
