/**
 * Builds small solution packages in memory, shaped like real Dataverse exports (solution.xml,
 * customizations.xml, [Content_Types].xml, WebResources/...), for tests that need a valid
 * package to start from or to tamper with.
 *
 *   const zip = buildPackage({
 *     entities: [{ name: 'new_book', attributes: ['new_bookid', 'new_name'] }],
 *   });
 *   const entries = packageEntries({ ... });   // the same, as entry name → bytes, before zipping
 */
import { createHash } from 'node:crypto';
import { strToU8, zipSync } from 'fflate';

export interface BuildForm {
  id?: string;
  name?: string;
  type?: 'main' | 'quick' | 'card' | 'mobile';
  fields?: string[];
}
export interface BuildView {
  id?: string;
  name?: string;
  columns?: string[];
}
/**
 * A column of another type than text: its customizations.xml type (int, decimal, money, bit,
 * picklist, datetime, lookup, memo, nvarchar, ...) and the facets real exports give it.
 */
export interface BuildAttribute {
  name: string;
  type: string;
  maxLength?: number;
  required?: boolean;
  minValue?: number;
  maxValue?: number;
  precision?: number;
  /** picklist: a local option set with these values */
  options?: number[];
  /** lookup: its target tables */
  targets?: string[];
  /** datetime: 1 User Local, 2 Date Only, 3 Time-Zone Independent */
  behavior?: 1 | 2 | 3;
}
export interface BuildEntity {
  name: string;
  displayName?: string;
  /** a name is a text column (max 100), or `<entity>id`, the primary key */
  attributes: Array<string | BuildAttribute>;
  forms?: BuildForm[];
  views?: BuildView[];
  /** the primary name column (PrimaryNameAttribute) */
  primaryName?: string;
  /** alternate keys: each a name and the columns it makes unique (EntityKeys) */
  keys?: Array<{ name: string; columns: string[] }>;
}
export interface BuildWebResource {
  name: string;
  content: string | Uint8Array;
  id?: string;
  type?: number;
}

/** A process (workflow): a classic workflow, a business rule, a cloud flow, ... by `category`. */
export interface BuildWorkflow {
  name: string;
  /** workflow.category: 0 workflow, 2 business rule, 4 business process flow, 5 cloud flow, ... */
  category: number;
  primaryEntity: string;
}

export interface BuildOptions {
  uniqueName?: string;
  /** written verbatim into <Version>, so invalid versions can be tested */
  version?: string;
  managed?: boolean;
  publisher?: { uniqueName: string; prefix: string; optionValuePrefix: number };
  entities?: BuildEntity[];
  webResources?: BuildWebResource[];
  workflows?: BuildWorkflow[];
  /** extra top-level sections, inserted before <Languages> in customizations.xml */
  extraCustomizations?: string;
  /** more entries (path → content), written after the three root files */
  extraFiles?: Record<string, Uint8Array | string>;
  /** entry names to leave out of the package (e.g. 'customizations.xml') */
  omit?: string[];
  solutionXmlOverride?: string;
  customizationsXmlOverride?: string;
  /** <MissingDependency> elements of solution.xml, as written */
  missingDependencies?: string[];
}

const DEFAULT_PUBLISHER = { uniqueName: 'contoso', prefix: 'new', optionValuePrefix: 10000 };

/** A stable GUID derived from a seed, so the same input always builds the same package. */
export function guidFrom(seed: string): string {
  const h = createHash('sha1').update(seed).digest('hex');
  return [
    h.slice(0, 8),
    h.slice(8, 12),
    `4${h.slice(13, 16)}`,
    `a${h.slice(17, 20)}`,
    h.slice(20, 32),
  ].join('-');
}

const esc = (s: string): string =>
  s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
const label = (tag: string, text: string): string =>
  `<${tag} description="${esc(text)}" languagecode="1033" />`;
const titleCase = (logical: string): string =>
  logical.replace(/^[a-z]+_/, '').replace(/^./, (c) => c.toUpperCase());
/** The class of a form's text box control. */
const TEXT_CONTROL = '{4273EDBD-AC1D-40d3-9FB2-095C621B552D}';

function attributeXml(entity: string, spec: string | BuildAttribute): string {
  const a: BuildAttribute =
    typeof spec === 'string'
      ? { name: spec, type: spec === `${entity}id` ? 'primarykey' : 'nvarchar', maxLength: 100 }
      : spec;
  const type = a.type;
  const facets = [
    type === 'nvarchar' ? '<Format>text</Format>' : '',
    a.maxLength !== undefined ? `<MaxLength>${a.maxLength}</MaxLength>` : '',
    a.minValue !== undefined ? `<MinValue>${a.minValue}</MinValue>` : '',
    a.maxValue !== undefined ? `<MaxValue>${a.maxValue}</MaxValue>` : '',
    a.precision !== undefined ? `<Precision>${a.precision}</Precision>` : '',
    a.behavior !== undefined ? `<Behavior>${a.behavior}</Behavior>` : '',
    a.targets
      ? `<LookupStyle>single</LookupStyle><LookupTypes>${a.targets
          .map((t) => `<LookupType>${esc(t)}</LookupType>`)
          .join('')}</LookupTypes>`
      : '',
    a.options
      ? `<optionset Name="${esc(entity)}_${esc(a.name)}"><OptionSetType>picklist</OptionSetType>` +
        `<IsGlobal>0</IsGlobal><options>${a.options
          .map(
            (v) =>
              `<option value="${v}"><labels>${label('label', `Option ${v}`)}</labels></option>`,
          )
          .join('')}</options></optionset>`
      : '',
  ]
    .filter(Boolean)
    .map((f) => `\n              ${f}`)
    .join('');
  const required = type === 'primarykey' ? 'systemrequired' : a.required ? 'required' : 'none';
  return `
            <attribute PhysicalName="${esc(a.name)}">
              <Type>${type}</Type>
              <Name>${esc(a.name)}</Name>
              <LogicalName>${esc(a.name)}</LogicalName>
              <RequiredLevel>${required}</RequiredLevel>
              <DisplayMask>ValidForAdvancedFind|ValidForForm|ValidForGrid</DisplayMask>
              <IsCustomField>1</IsCustomField>
              <IntroducedVersion>1.0.0.0</IntroducedVersion>${facets}
              <displaynames>
                ${label('displayname', titleCase(a.name))}
              </displaynames>
            </attribute>`;
}

function formCell(entity: string, form: number, field: string): string {
  const id = guidFrom(`${entity}/${form}/${field}`);
  const labels = `<labels>${label('label', titleCase(field))}</labels>`;
  const name = esc(field);
  const control = `<control id="${name}" classid="${TEXT_CONTROL}" datafieldname="${name}" />`;
  return `
                        <row><cell id="{${id}}">${labels}${control}</cell></row>`;
}

function formXml(entity: string, f: BuildForm, i: number): string {
  const cells = (f.fields ?? []).map((field) => formCell(entity, i, field)).join('');
  const sectionId = guidFrom(`${entity}/${i}/section`);
  return `
        <forms type="${f.type ?? 'main'}">
          <systemform>
            <formid>{${f.id ?? guidFrom(`${entity}/form/${i}`)}}</formid>
            <IntroducedVersion>1.0.0.0</IntroducedVersion>
            <FormPresentation>1</FormPresentation>
            <FormActivationState>1</FormActivationState>
            <form>
              <tabs>
                <tab name="general" verticallayout="true" id="{${guidFrom(`${entity}/${i}/tab`)}}">
                  <labels>${label('label', 'General')}</labels>
                  <columns><column width="100%"><sections><section name="main" id="{${sectionId}}">
                    <labels>${label('label', 'General')}</labels>
                    <rows>${cells}
                    </rows>
                  </section></sections></column></columns>
                </tab>
              </tabs>
            </form>
            <IsCustomizable>1</IsCustomizable>
            <CanBeDeleted>1</CanBeDeleted>
            <LocalizedNames>
              ${label('LocalizedName', f.name ?? 'Information')}
            </LocalizedNames>
          </systemform>
        </forms>`;
}

function viewXml(entity: string, v: BuildView, i: number): string {
  const cols = v.columns ?? [];
  const jump = esc(cols[0] ?? `${entity}id`);
  const cells = cols.map((c) => `<cell name="${esc(c)}" width="150" />`).join('');
  const attributes = [...cols, `${entity}id`].map((c) => `<attribute name="${esc(c)}" />`).join('');
  return `
          <savedquery>
            <IsCustomizable>1</IsCustomizable>
            <CanBeDeleted>0</CanBeDeleted>
            <isquickfindquery>0</isquickfindquery>
            <isprivate>0</isprivate>
            <isdefault>${i === 0 ? 1 : 0}</isdefault>
            <savedqueryid>{${v.id ?? guidFrom(`${entity}/view/${i}`)}}</savedqueryid>
            <layoutxml>
              <grid name="resultset" jump="${jump}" select="1" icon="1" preview="1">
                <row name="result" id="${esc(entity)}id">${cells}</row>
              </grid>
            </layoutxml>
            <querytype>0</querytype>
            <fetchxml>
              <fetch version="1.0" mapping="logical">
                <entity name="${esc(entity)}">${attributes}</entity>
              </fetch>
            </fetchxml>
            <IntroducedVersion>1.0.0.0</IntroducedVersion>
            <LocalizedNames>
              ${label('LocalizedName', v.name ?? `Active ${titleCase(entity)}s`)}
            </LocalizedNames>
          </savedquery>`;
}

/** PrimaryNameAttribute and EntityKeys, where the entity has them. */
function entityExtras(e: BuildEntity): string {
  const name = e.primaryName
    ? `\n          <PrimaryNameAttribute>${esc(e.primaryName)}</PrimaryNameAttribute>`
    : '';
  const keys = (e.keys ?? []).map(
    (k) =>
      `<EntityKey><LogicalName>${esc(k.name)}</LogicalName><EntityKeyAttributes>` +
      k.columns.map((c) => `<AttributeName>${esc(c)}</AttributeName>`).join('') +
      '</EntityKeyAttributes></EntityKey>',
  );
  return name + (keys.length ? `\n          <EntityKeys>${keys.join('')}</EntityKeys>` : '');
}

function entityXml(e: BuildEntity): string {
  const display = e.displayName ?? titleCase(e.name);
  const forms = (e.forms ?? []).map((f, i) => formXml(e.name, f, i)).join('');
  const views = (e.views ?? []).map((v, i) => viewXml(e.name, v, i)).join('');
  return `
    <Entity>
      <Name LocalizedName="${esc(display)}" OriginalName="${esc(display)}">${esc(e.name)}</Name>
      <EntityInfo>
        <entity Name="${esc(e.name)}">
          <LocalizedNames>
            ${label('LocalizedName', display)}
          </LocalizedNames>
          <attributes>${e.attributes.map((a) => attributeXml(e.name, a)).join('')}
          </attributes>
          <OwnershipTypeMask>UserOwned</OwnershipTypeMask>
          <IsCustomizable>1</IsCustomizable>${entityExtras(e)}
        </entity>
      </EntityInfo>
      <FormXml>${forms}
      </FormXml>
      <SavedQueries>
        <savedqueries>${views}
        </savedqueries>
      </SavedQueries>
      <RibbonDiffXml>
        <CustomActions />
        <Templates>
          <RibbonTemplates Id="Mscrm.Templates"></RibbonTemplates>
        </Templates>
        <CommandDefinitions />
        <RuleDefinitions>
          <TabDisplayRules />
          <DisplayRules />
          <EnableRules />
        </RuleDefinitions>
        <LocLabels />
      </RibbonDiffXml>
    </Entity>`;
}

interface PlacedWebResource extends BuildWebResource {
  id: string;
  file: string;
}

function placeWebResources(list: BuildWebResource[]): PlacedWebResource[] {
  return list.map((w, i) => {
    const id = w.id ?? guidFrom(`webresource/${w.name}/${i}`);
    return {
      ...w,
      id,
      file: `WebResources/${w.name.replace(/[^A-Za-z0-9_-]/g, '')}${id.toUpperCase()}`,
    };
  });
}

const DEPENDENCY_XML =
  '&lt;Dependencies&gt;&lt;Dependency componentType="WebResource"/&gt;&lt;/Dependencies&gt;';

function webResourceXml(w: PlacedWebResource): string {
  return `
    <WebResource>
      <WebResourceId>{${w.id}}</WebResourceId>
      <Name>${esc(w.name)}</Name>
      <DisplayName>${esc(w.name.replace(/^[a-z]+_/, ''))}</DisplayName>
      <WebResourceType>${w.type ?? 3}</WebResourceType>
      <IntroducedVersion>1.0.0.0</IntroducedVersion>
      <IsEnabledForMobileClient>0</IsEnabledForMobileClient>
      <IsAvailableForMobileOffline>0</IsAvailableForMobileOffline>
      <DependencyXml>${DEPENDENCY_XML}</DependencyXml>
      <IsCustomizable>1</IsCustomizable>
      <CanBeDeleted>1</CanBeDeleted>
      <IsHidden>0</IsHidden>
      <FileName>/${w.file}</FileName>
    </WebResource>`;
}

/** A workflow as Dataverse exports one (its XAML file is written by workflowFiles). */
function workflowXml(w: BuildWorkflow): string {
  const id = guidFrom(`workflow:${w.name}`);
  return `
    <Workflow WorkflowId="{${id}}" Name="${esc(w.name)}">
      <XamlFileName>/${workflowFile(w)}</XamlFileName>
      <Type>1</Type>
      <Subprocess>0</Subprocess>
      <Category>${w.category}</Category>
      <Mode>1</Mode>
      <Scope>4</Scope>
      <OnDemand>0</OnDemand>
      <TriggerOnCreate>0</TriggerOnCreate>
      <TriggerOnDelete>0</TriggerOnDelete>
      <AsyncAutodelete>0</AsyncAutodelete>
      <SyncWorkflowLogOnFailure>0</SyncWorkflowLogOnFailure>
      <StateCode>1</StateCode>
      <StatusCode>2</StatusCode>
      <RunAs>1</RunAs>
      <IsTransacted>1</IsTransacted>
      <IntroducedVersion>1.0</IntroducedVersion>
      <IsCustomizable>1</IsCustomizable>
      <BusinessProcessType>0</BusinessProcessType>
      <PrimaryEntity>${esc(w.primaryEntity)}</PrimaryEntity>
      <LocalizedNames>
        <LocalizedName languagecode="1033" description="${esc(w.name)}" />
      </LocalizedNames>
    </Workflow>`;
}

function workflowFile(w: BuildWorkflow): string {
  const id = guidFrom(`workflow:${w.name}`).toUpperCase();
  return `Workflows/${w.name.replace(/[^A-Za-z0-9]/g, '')}-${id}.xaml`;
}

const XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
const SOLUTION_ROOT =
  '<ImportExportXml version="9.2.24021.180" SolutionPackageVersion="9.2" languagecode="1033"' +
  ` generatedBy="CrmLive" ${XSI}>`;
const CUSTOMIZATIONS_ROOT =
  `<ImportExportXml ${XSI} OrganizationVersion="9.2.24021.180"` +
  ' OrganizationSchemaType="Standard" CRMServerServiceabilityVersion="9.2.24021.00180">';

function solutionXml(o: BuildOptions, webResources: PlacedWebResource[]): string {
  const p = o.publisher ?? DEFAULT_PUBLISHER;
  const name = o.uniqueName ?? 'TestSolution';
  const roots = [
    ...(o.entities ?? []).map(
      (e) => `<RootComponent type="1" schemaName="${esc(e.name)}" behavior="0" />`,
    ),
    ...webResources.map(
      (w) => `<RootComponent type="61" schemaName="${esc(w.name)}" behavior="0" />`,
    ),
  ];
  return `${SOLUTION_ROOT}
  <SolutionManifest>
    <UniqueName>${esc(name)}</UniqueName>
    <LocalizedNames>
      ${label('LocalizedName', name)}
    </LocalizedNames>
    <Descriptions />
    <Version>${esc(o.version ?? '1.0.0.0')}</Version>
    <Managed>${o.managed ? 1 : 0}</Managed>
    <Publisher>
      <UniqueName>${esc(p.uniqueName)}</UniqueName>
      <LocalizedNames>
        ${label('LocalizedName', p.uniqueName)}
      </LocalizedNames>
      <Descriptions />
      <EMailAddress xsi:nil="true"></EMailAddress>
      <SupportingWebsiteUrl xsi:nil="true"></SupportingWebsiteUrl>
      <CustomizationPrefix>${esc(p.prefix)}</CustomizationPrefix>
      <CustomizationOptionValuePrefix>${p.optionValuePrefix}</CustomizationOptionValuePrefix>
    </Publisher>
    <RootComponents>
      ${roots.join('\n      ')}
    </RootComponents>
    ${o.missingDependencies?.length ? `<MissingDependencies>${o.missingDependencies.join('')}</MissingDependencies>` : '<MissingDependencies />'}
  </SolutionManifest>
</ImportExportXml>`;
}

function customizationsXml(o: BuildOptions, webResources: PlacedWebResource[]): string {
  return `${CUSTOMIZATIONS_ROOT}
  <Entities>${(o.entities ?? []).map(entityXml).join('')}
  </Entities>
  <Roles></Roles>
  <Workflows>${(o.workflows ?? []).map(workflowXml).join('')}
  </Workflows>
  <FieldSecurityProfiles></FieldSecurityProfiles>
  <Templates />
  <EntityMaps />
  <EntityRelationships />
  <OrganizationSettings />
  <optionsets />
  <WebResources>${webResources.map(webResourceXml).join('')}
  </WebResources>
  <CustomControls />${o.extraCustomizations ?? ''}
  <Languages>
    <Language>1033</Language>
  </Languages>
</ImportExportXml>`;
}

function contentTypesXml(paths: string[]): string {
  const exts = new Set(['xml']);
  const overrides: string[] = [];
  for (const p of paths) {
    const m = /\.([A-Za-z0-9]+)$/.exec(p.split('/').pop()!);
    if (m) exts.add(m[1].toLowerCase());
    else
      overrides.push(`<Override PartName="/${esc(p)}" ContentType="application/octet-stream" />`);
  }
  const defaults = [...exts].map(
    (e) => `<Default Extension="${e}" ContentType="application/octet-stream" />`,
  );
  return (
    '\ufeff<?xml version="1.0" encoding="utf-8"?>' +
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    `${defaults.join('')}${overrides.join('')}</Types>`
  );
}

const bytes = (v: Uint8Array | string): Uint8Array => (typeof v === 'string' ? strToU8(v) : v);

/**
 * The package's entries in export order (solution.xml, customizations.xml, [Content_Types].xml,
 * files).
 */
export function packageEntries(o: BuildOptions = {}): Record<string, Uint8Array> {
  const wrs = placeWebResources(o.webResources ?? []);
  const files: Record<string, Uint8Array> = {};
  for (const w of wrs) files[w.file] = bytes(w.content);
  for (const w of o.workflows ?? [])
    files[workflowFile(w)] = strToU8(
      '<Activity x:Class="XrmWorkflow" xmlns="http://schemas.microsoft.com/netfx/2009/xaml/activities"' +
        ' xmlns:x="http://schemas.microsoft.com/winfx/2006/xaml" />',
    );
  for (const [k, v] of Object.entries(o.extraFiles ?? {})) files[k] = bytes(v);
  const all: Record<string, Uint8Array> = {
    'solution.xml': strToU8(o.solutionXmlOverride ?? solutionXml(o, wrs)),
    'customizations.xml': strToU8(o.customizationsXmlOverride ?? customizationsXml(o, wrs)),
    '[Content_Types].xml': strToU8(contentTypesXml(Object.keys(files))),
    ...files,
  };
  for (const name of o.omit ?? []) delete all[name];
  return all;
}

/** A zipped solution package. */
export function buildPackage(o: BuildOptions = {}): Uint8Array {
  return zipEntries(packageEntries(o));
}

/** Zips entries as given (flat names; no directory entries are added). */
export function zipEntries(entries: Record<string, Uint8Array>): Uint8Array {
  return zipSync(entries, { level: 6, mtime: new Date('2024-01-01T00:00:00Z') });
}
