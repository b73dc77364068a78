import type { ComponentResult, ImportJobLog, ResultKind } from '../../model/job-log.js';
import { isErrorCode } from '../../model/error-codes.js';
import { escapeXml } from '../../package/xml.js';
import { dataverseCode } from './errors.js';

/**
 * importjob.data as Dataverse writes it: the import's result document, an <importexportxml>
 * whose <solutionManifests><solutionManifest> holds the solution's own result and whose other
 * sections (entities, optionSets, webResources, nodes, ...) hold one element per component,
 * each with a <result result="success|failure|warning" errorcode errortext datetime
 * datetimeticks/>. Tools read it with XPath (/importexportxml/solutionManifests/solutionManifest/
 * result/@result); RetrieveFormattedImportJobResults turns it into the spreadsheet. Section and
 * element names follow Dataverse's where strata's type has a counterpart; other types go to
 * <components><component type="...">. Missing dependencies are listed in <missingDependencies>.
 */
const SECTIONS: Record<string, [section: string, element: string]> = {
  entity: ['entities', 'entity'],
  attribute: ['attributes', 'attribute'],
  relationship: ['entityRelationships', 'entityRelationship'],
  optionset: ['optionSets', 'optionSet'],
  webresource: ['webResources', 'webResource'],
  workflow: ['workflows', 'workflow'],
  role: ['roles', 'role'],
  sitemap: ['nodes', 'node'],
  ribbon: ['nodes', 'node'],
  appmodule: ['appModules', 'appModule'],
  systemform: ['forms', 'form'],
  savedquery: ['views', 'view'],
  pluginassembly: ['SolutionPluginAssemblies', 'PluginAssembly'],
  sdkmessageprocessingstep: ['SdkMessageProcessingSteps', 'SdkMessageProcessingStep'],
  connectionreference: ['connectionreferences', 'connectionreference'],
  environmentvariabledefinition: [
    'environmentvariabledefinitions',
    'environmentvariabledefinition',
  ],
};

/** .NET ticks (100 ns since 0001-01-01), as datetimeticks holds them. */
const ticks = (ms: number): string =>
  (BigInt(Math.round(ms) + 62_135_596_800_000) * 10_000n).toString();

function resultElement(
  result: ResultKind,
  code: string,
  message: string,
  at: number,
  pad: string,
): string {
  // a code of the log's own (NOT_PROCESSED, ...) is a generic failure
  const errorcode = !code ? '0' : isErrorCode(code) ? dataverseCode(code) : '0x80040265';
  const time = new Date(at).toISOString().slice(11, 22);
  return (
    `${pad}<result result="${result}" errorcode="${errorcode}" errortext="${escapeXml(
      result === 'success' ? '' : message,
    )}" datetime="${time}" datetimeticks="${ticks(at)}"` +
    (code ? ` strataerrorcode="${escapeXml(code)}"` : '') +
    ' />'
  );
}

function componentElement(r: ComponentResult, element: string, at: number, typed: boolean): string {
  const attrs =
    `id="${escapeXml(r.key || r.name)}" LocalizedName="${escapeXml(r.name)}" ` +
    `OriginalName="${escapeXml(r.name)}"` +
    (typed ? ` type="${escapeXml(r.type)}"` : '') +
    ` processed="${r.code !== 'NOT_PROCESSED'}"`;
  return (
    `    <${element} ${attrs}>\n` +
    `${resultElement(r.result, r.code, r.message, at, '      ')}\n` +
    `    </${element}>`
  );
}

export function importResultXml(log: ImportJobLog): string {
  const start = Date.parse(log.startedOn);
  const stop = log.completedOn ? Date.parse(log.completedOn) : start;
  const s = log.solution;
  const out: string[] = [
    `<importexportxml start="${ticks(start)}" stop="${ticks(stop)}" progress="${log.progress}" ` +
      `processed="${log.status === 'succeeded' || log.status === 'failed'}">`,
    '  <solutionManifests>',
    `    <solutionManifest languagecode="1033" id="${escapeXml(s.uniqueName)}" ` +
      `LocalizedName="${escapeXml(s.displayName)}" processed="true">`,
    `      <UniqueName>${escapeXml(s.uniqueName)}</UniqueName>`,
    `      <LocalizedNames><LocalizedName languagecode="1033" description="${escapeXml(
      s.displayName,
    )}" /></LocalizedNames>`,
    `      <Version>${escapeXml(s.version)}</Version>`,
    `      <Managed>${s.managed ? 1 : 0}</Managed>`,
    `      <Publisher><UniqueName>${escapeXml(s.publisher)}</UniqueName></Publisher>`,
    '      <results />',
    resultElement(log.result, log.code, log.message, stop, '      '),
    '    </solutionManifest>',
    '  </solutionManifests>',
  ];
  const sections = new Map<string, string[]>();
  const add = (section: string, xml: string): void => {
    const list = sections.get(section) ?? [];
    list.push(xml);
    sections.set(section, list);
  };
  let at = start;
  for (const r of log.results) {
    at += Math.max(0, r.durationMs);
    if (r.type === 'dependency') {
      add('missingDependencies', componentElement(r, 'missingDependency', at, false));
      continue;
    }
    const known = SECTIONS[r.type];
    if (known) add(known[0], componentElement(r, known[1], at, false));
    else add('components', componentElement(r, 'component', at, true));
  }
  for (const [section, items] of sections) out.push(`  <${section}>`, ...items, `  </${section}>`);
  out.push('</importexportxml>');
  return out.join('\n');
}
