import { strToU8, zipSync } from 'fflate';
import { createHash } from 'node:crypto';
import { escapeXml as x } from './xml.js';
import { contentTypes } from './solution-packager.js';

/**
 * Writes solution packages in the shape Dynamics 365 exports them: the sample package the
 * README imports and the generated packages of the benchmark come from here.
 */
export interface ColumnSpec {
  name: string;
  display: string;
  type: 'nvarchar' | 'int' | 'lookup' | 'memo' | 'datetime';
  target?: string;
}
export interface TableSpec {
  name: string;
  display: string;
  columns: ColumnSpec[];
  forms: number;
  views: number;
}
export interface SolutionSpec {
  uniqueName: string;
  displayName: string;
  description?: string;
  version: string;
  managed: boolean;
  publisher: { uniqueName: string; displayName: string; prefix: string; optionValuePrefix: number };
  tables: TableSpec[];
  webResources?: Array<{ name: string; display: string; type: 1 | 3 | 5; content: string }>;
  /** a patch names its parent solution */
  parentUniqueName?: string;
}

type WebResourceSpec = NonNullable<SolutionSpec['webResources']>[number];

/** A stable GUID from a seed, so generated packages are reproducible. */
function seededGuid(seed: string): string {
  const h = createHash('sha1').update(seed).digest('hex');
  return [
    h.slice(0, 8),
    h.slice(8, 12),
    `4${h.slice(13, 16)}`,
    `a${h.slice(17, 20)}`,
    h.slice(20, 32),
  ].join('-');
}

/** `<tags><tag description="text" languagecode="1033" /></tags>`: one English label. */
const label = (text: string, tag = 'displayname'): string =>
  `<${tag}s><${tag} description="${x(text)}" languagecode="1033" /></${tag}s>`;

const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>';
const XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
/** The class of a form's text box control. */
const TEXT_CONTROL = '{4273EDBD-AC1D-40d3-9FB2-095C621B552D}';

function column(c: ColumnSpec, table: string): string {
  const typeXml =
    c.type === 'lookup'
      ? '<Type>lookup</Type>'
      : `<Type>${c.type === 'memo' ? 'ntext' : c.type}</Type>`;
  const extra =
    c.type === 'nvarchar'
      ? '<Length>200</Length><Format>text</Format>'
      : c.type === 'memo'
        ? '<Length>4000</Length><Format>textarea</Format>'
        : c.type === 'int'
          ? '<MinValue>-2147483648</MinValue><MaxValue>2147483647</MaxValue>'
          : c.type === 'datetime'
            ? '<Format>date</Format><Behavior>1</Behavior>'
            : '<LookupStyle>single</LookupStyle><LookupTypes />';
  const logical = x(c.name.toLowerCase());
  return [
    `<attribute PhysicalName="${x(c.name)}">${typeXml}`,
    `<Name>${logical}</Name><LogicalName>${logical}</LogicalName>`,
    '<RequiredLevel>none</RequiredLevel>',
    '<DisplayMask>ValidForAdvancedFind|ValidForForm|ValidForGrid</DisplayMask>',
    '<IsCustomField>1</IsCustomField><IsAuditEnabled>1</IsAuditEnabled><IsSecured>0</IsSecured>',
    '<IntroducedVersion>1.0</IntroducedVersion><IsCustomizable>1</IsCustomizable>',
    '<IsRenameable>1</IsRenameable><CanModifySearchSettings>1</CanModifySearchSettings>',
    '<CanModifyRequirementLevelSettings>1</CanModifyRequirementLevelSettings>',
    '<CanModifyAdditionalSettings>1</CanModifyAdditionalSettings><SourceType>0</SourceType>',
    extra,
    label(c.display),
    label(`${c.display} of ${table}`, 'Description'),
    '</attribute>',
  ].join('');
}

/** A row of a form's section holding the column's text box. */
function formCell(t: TableSpec, form: number, c: ColumnSpec): string {
  const logical = x(c.name.toLowerCase());
  return [
    `<row><cell id="{${seededGuid(`${t.name}/${form}/cell/${c.name}`)}}">`,
    label(c.display, 'label'),
    `<control id="${logical}" classid="${TEXT_CONTROL}" datafieldname="${logical}" />`,
    '</cell></row>',
  ].join('');
}

function form(t: TableSpec, i: number): string {
  const id = seededGuid(`${t.name}/form/${i}`);
  return [
    `<systemform><formid>{${id}}</formid><IntroducedVersion>1.0</IntroducedVersion>`,
    '<FormPresentation>1</FormPresentation><FormActivationState>1</FormActivationState>',
    '<form><tabs>',
    `<tab verticallayout="true" id="{${seededGuid(`${t.name}/${i}/tab`)}}" IsUserDefined="1">`,
    label('General', 'label'),
    '<columns><column width="100%"><sections>',
    '<section showlabel="false" showbar="false" IsUserDefined="0"',
    ` id="{${seededGuid(`${t.name}/${i}/section`)}}">`,
    label('General', 'label'),
    '<rows>',
    ...t.columns.map((c) => formCell(t, i, c)),
    '</rows></section></sections></column></columns></tab></tabs></form>',
    '<IsCustomizable>1</IsCustomizable><CanBeDeleted>1</CanBeDeleted>',
    label(`${t.display} form ${i + 1}`, 'LocalizedName'),
    '</systemform>',
  ].join('');
}

function view(t: TableSpec, i: number): string {
  const id = seededGuid(`${t.name}/view/${i}`);
  const names = t.columns.slice(0, 5).map((c) => c.name.toLowerCase());
  const primary = `${t.name.toLowerCase()}id`;
  const first = i === 0;
  return [
    '<savedquery><IsCustomizable>1</IsCustomizable>',
    `<CanBeDeleted>${first ? 0 : 1}</CanBeDeleted>`,
    '<isquickfindquery>0</isquickfindquery><isprivate>0</isprivate>',
    `<isdefault>${first ? 1 : 0}</isdefault><savedqueryid>{${id}}</savedqueryid>`,
    '<layoutxml>',
    `<grid name="resultset" jump="${x(names[0] ?? primary)}" select="1" icon="1" preview="1">`,
    `<row name="result" id="${primary}">`,
    ...names.map((n) => `<cell name="${x(n)}" width="150" />`),
    '</row></grid></layoutxml><querytype>0</querytype>',
    '<fetchxml><fetch version="1.0" mapping="logical">',
    `<entity name="${x(t.name.toLowerCase())}">`,
    ...names.map((n) => `<attribute name="${x(n)}" />`),
    `<attribute name="${primary}" /></entity></fetch></fetchxml>`,
    '<IntroducedVersion>1.0</IntroducedVersion>',
    label(`${t.display} view ${i + 1}`, 'LocalizedName'),
    '</savedquery>',
  ].join('');
}

function primaryIdAttribute(t: TableSpec): string {
  const logical = t.name.toLowerCase();
  return [
    `<attribute PhysicalName="${x(t.name)}Id"><Type>primarykey</Type>`,
    `<Name>${logical}id</Name><LogicalName>${logical}id</LogicalName>`,
    '<RequiredLevel>systemrequired</RequiredLevel>',
    '<DisplayMask>ValidForAdvancedFind|RequiredForGrid</DisplayMask>',
    '<IsCustomField>0</IsCustomField><IntroducedVersion>1.0</IntroducedVersion>',
    `<IsCustomizable>1</IsCustomizable>${label(t.display)}</attribute>`,
  ].join('');
}

/** The ribbon an export writes for an entity whose ribbon nobody customized. */
const EMPTY_RIBBON = [
  '<RibbonDiffXml><CustomActions />',
  '<Templates><RibbonTemplates Id="Mscrm.Templates"></RibbonTemplates></Templates>',
  '<CommandDefinitions />',
  '<RuleDefinitions><TabDisplayRules /><DisplayRules /><EnableRules /></RuleDefinitions>',
  '<LocLabels /></RibbonDiffXml>',
].join('');

function entity(t: TableSpec): string {
  return [
    `<Entity><Name LocalizedName="${x(t.display)}" OriginalName="${x(t.display)}">`,
    `${x(t.name)}</Name>`,
    `<EntityInfo><entity Name="${x(t.name)}">`,
    label(t.display, 'LocalizedName'),
    label(`${t.display}s`, 'LocalizedCollectionName'),
    label(t.display, 'Description'),
    '<attributes>',
    primaryIdAttribute(t),
    ...t.columns.map((c) => column(c, t.name)),
    '</attributes>',
    `<EntitySetName>${t.name.toLowerCase()}s</EntitySetName>`,
    '<IsDuplicateCheckSupported>1</IsDuplicateCheckSupported>',
    '<IsBusinessProcessEnabled>0</IsBusinessProcessEnabled>',
    '<IsRequiredOffline>0</IsRequiredOffline>',
    '<IsCustomizable>1</IsCustomizable><IsRenameable>1</IsRenameable><IsMappable>1</IsMappable>',
    '<CanModifyAdditionalSettings>1</CanModifyAdditionalSettings>',
    '<CanCreateAttributes>1</CanCreateAttributes><CanCreateForms>1</CanCreateForms>',
    '<CanCreateCharts>1</CanCreateCharts><CanCreateViews>1</CanCreateViews>',
    '<OwnershipTypeMask>UserOwned</OwnershipTypeMask><IntroducedVersion>1.0</IntroducedVersion>',
    '</entity></EntityInfo>',
    '<FormXml><forms type="main">',
    ...Array.from({ length: t.forms }, (_, i) => form(t, i)),
    '</forms></FormXml>',
    '<SavedQueries><savedqueries>',
    ...Array.from({ length: t.views }, (_, i) => view(t, i)),
    '</savedqueries></SavedQueries>',
    EMPTY_RIBBON,
    '</Entity>',
  ].join('');
}

/** The one-to-many relationship of a lookup column to the table it targets. */
function relationship(prefix: string, t: TableSpec, c: ColumnSpec, target: string): string {
  const name = `${prefix}_${target}_${t.name.toLowerCase()}_${c.name.toLowerCase()}`;
  return [
    `<EntityRelationship Name="${x(name)}">`,
    '<EntityRelationshipType>OneToMany</EntityRelationshipType>',
    '<IsCustomizable>1</IsCustomizable><IntroducedVersion>1.0</IntroducedVersion>',
    '<IsHierarchical>0</IsHierarchical>',
    `<ReferencingEntityName>${x(t.name)}</ReferencingEntityName>`,
    `<ReferencedEntityName>${x(target)}</ReferencedEntityName>`,
    '<CascadeAssign>NoCascade</CascadeAssign><CascadeDelete>RemoveLink</CascadeDelete>',
    '<CascadeReparent>NoCascade</CascadeReparent><CascadeShare>NoCascade</CascadeShare>',
    '<CascadeUnshare>NoCascade</CascadeUnshare>',
    `<ReferencingAttributeName>${x(c.name)}</ReferencingAttributeName>`,
    `<RelationshipDescription>${label(c.display, 'Description')}</RelationshipDescription>`,
    '</EntityRelationship>',
  ].join('');
}

function relationships(s: SolutionSpec): string {
  const out: string[] = [];
  for (const t of s.tables)
    for (const c of t.columns) {
      if (c.type !== 'lookup' || !c.target) continue;
      out.push(relationship(s.publisher.prefix, t, c, c.target));
    }
  return out.join('');
}

export function solutionXml(s: SolutionSpec): string {
  const roots = [
    ...s.tables.map(
      (t) => `<RootComponent type="1" schemaName="${x(t.name.toLowerCase())}" behavior="0" />`,
    ),
    ...(s.webResources ?? []).map(
      (w) => `<RootComponent type="61" schemaName="${x(w.name)}" behavior="0" />`,
    ),
  ].join('');
  const p = s.publisher;
  const parent = s.parentUniqueName
    ? `<ParentSolution><UniqueName>${x(s.parentUniqueName)}</UniqueName></ParentSolution>`
    : '';
  return [
    XML_DECLARATION,
    '<ImportExportXml version="9.2.24102.194" SolutionPackageVersion="9.2" languagecode="1033"',
    ` generatedBy="CrmLive" ${XSI}>`,
    `<SolutionManifest><UniqueName>${x(s.uniqueName)}</UniqueName>`,
    label(s.displayName, 'LocalizedName'),
    label(s.description ?? s.displayName, 'Description'),
    `<Version>${x(s.version)}</Version>${parent}<Managed>${s.managed ? 1 : 0}</Managed>`,
    `<Publisher><UniqueName>${x(p.uniqueName)}</UniqueName>`,
    label(p.displayName, 'LocalizedName'),
    '<Descriptions /><EMailAddress xsi:nil="true"></EMailAddress>',
    '<SupportingWebsiteUrl xsi:nil="true"></SupportingWebsiteUrl>',
    `<CustomizationPrefix>${x(p.prefix)}</CustomizationPrefix>`,
    `<CustomizationOptionValuePrefix>${p.optionValuePrefix}</CustomizationOptionValuePrefix>`,
    `</Publisher><RootComponents>${roots}</RootComponents><MissingDependencies />`,
    '</SolutionManifest></ImportExportXml>',
  ].join('');
}

function webResource(w: WebResourceSpec): string {
  return [
    `<WebResource><WebResourceId>{${seededGuid('wr/' + w.name)}}</WebResourceId>`,
    `<Name>${x(w.name)}</Name><DisplayName>${x(w.display)}</DisplayName>`,
    `<WebResourceType>${w.type}</WebResourceType><IntroducedVersion>1.0</IntroducedVersion>`,
    '<IsEnabledForMobileClient>0</IsEnabledForMobileClient>',
    '<IsAvailableForMobileOffline>0</IsAvailableForMobileOffline>',
    '<IsCustomizable>1</IsCustomizable><CanBeDeleted>1</CanBeDeleted><IsHidden>0</IsHidden>',
    `<FileName>/WebResources/${x(w.name)}</FileName></WebResource>`,
  ].join('');
}

export function customizationsXml(s: SolutionSpec): string {
  const wrs = (s.webResources ?? []).map(webResource).join('');
  return [
    XML_DECLARATION,
    `<ImportExportXml ${XSI} OrganizationVersion="9.2.24102.194"`,
    ' OrganizationSchemaType="Standard" CRMServerServiceabilityVersion="9.2.24102.00194">',
    `<Entities>${s.tables.map(entity).join('')}</Entities>`,
    '<Roles /><Workflows /><FieldSecurityProfiles /><Templates /><EntityMaps />',
    `<EntityRelationships>${relationships(s)}</EntityRelationships>`,
    '<OrganizationSettings /><optionsets /><CustomControls /><EntityDataProviders />',
    wrs ? `<WebResources>${wrs}</WebResources>` : '',
    '<Languages><Language>1033</Language></Languages></ImportExportXml>',
  ].join('');
}

/** The package as zip entries (name → bytes). */
export function packageEntries(s: SolutionSpec): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {
    'solution.xml': strToU8(solutionXml(s)),
    'customizations.xml': strToU8(customizationsXml(s)),
  };
  for (const w of s.webResources ?? []) files[`WebResources/${w.name}`] = strToU8(w.content);
  files['[Content_Types].xml'] = strToU8(contentTypes(Object.keys(files)));
  return files;
}

export function buildSolutionZip(s: SolutionSpec): Uint8Array {
  return zipSync(packageEntries(s), { level: 6 });
}

/**
 * The sample the README imports: a small managed solution that customizes around the standard
 * account table.
 */
export function sampleSolution(): SolutionSpec {
  return {
    uniqueName: 'ContosoProjects',
    displayName: 'Contoso Projects',
    description: 'Projects and milestones for accounts: a sample written by strata.',
    version: '1.0.0.0',
    managed: true,
    publisher: {
      uniqueName: 'contoso',
      displayName: 'Contoso Ltd',
      prefix: 'cnt',
      optionValuePrefix: 72700,
    },
    tables: [
      {
        name: 'cnt_Project',
        display: 'Project',
        forms: 1,
        views: 2,
        columns: [
          { name: 'cnt_Name', display: 'Name', type: 'nvarchar' },
          { name: 'cnt_Budget', display: 'Budget', type: 'int' },
          { name: 'cnt_StartDate', display: 'Start date', type: 'datetime' },
          { name: 'cnt_AccountId', display: 'Account', type: 'lookup', target: 'account' },
          { name: 'cnt_Notes', display: 'Notes', type: 'memo' },
        ],
      },
      {
        name: 'cnt_Milestone',
        display: 'Milestone',
        forms: 1,
        views: 1,
        columns: [
          { name: 'cnt_Name', display: 'Name', type: 'nvarchar' },
          { name: 'cnt_DueDate', display: 'Due date', type: 'datetime' },
          { name: 'cnt_ProjectId', display: 'Project', type: 'lookup', target: 'cnt_project' },
        ],
      },
    ],
    webResources: [
      {
        name: 'cnt_/scripts/project.js',
        display: 'Project form script',
        type: 3,
        content: 'function onLoad(ctx) { /* Contoso Projects */ }\n',
      },
    ],
  };
}

/**
 * Version 2.0.0.0 of the sample, for the upgrade walkthrough: the project table loses its Notes
 * column (and the values in it) and gains a Status column; the rest is as in 1.0.0.0.
 */
export function nextSampleSolution(): SolutionSpec {
  const s = sampleSolution();
  return {
    ...s,
    version: '2.0.0.0',
    tables: s.tables.map((t) =>
      t.name !== 'cnt_Project'
        ? t
        : {
            ...t,
            columns: [
              ...t.columns.filter((c) => c.name !== 'cnt_Notes'),
              { name: 'cnt_Status', display: 'Status', type: 'nvarchar' as const },
            ],
          },
    ),
  };
}
