import { identity } from '../model/component.js';
import { escapeXml as x } from '../package/xml.js';
import { STANDARD_TABLES, type Column, type TableDef } from './standard-tables.js';
import { SYSTEM_COMPONENTS, type SystemComponent } from './system-components.js';

/**
 * The System layer of a new environment: the standard tables of standard-tables.ts and the
 * standard roles, views, forms and plug-in types of system-components.ts turned into components
 * with definitions in customizations.xml shape, so the engine treats them like any
 * package component. Environments reference the catalog by id (environments.base); its layers are
 * not copied into every environment's rows (docs/decisions.md: "The System layer is virtual").
 */
export const CATALOG_ID = 'dataverse-standard-2026.11';

export interface CatalogComponent {
  /** strata's type name: entity, attribute, role, savedquery, systemform, plugintype, ... */
  type: string;
  key: string;
  name: string;
  parent?: { type: string; key: string };
  xml: string;
}

const STATE_LABELS: Record<string, Array<[number, string]>> = {
  state: [
    [0, 'Active'],
    [1, 'Inactive'],
  ],
  status: [
    [1, 'Active'],
    [2, 'Inactive'],
  ],
};

/** The option set of a state or status column: Active and Inactive. */
function stateOptionSet(t: TableDef, name: string, type: string): string {
  const option = ([value, text]: [number, string]): string =>
    [
      `<option value="${value}"><labels>`,
      `<label description="${text}" languagecode="1033" />`,
      '</labels></option>',
    ].join('');
  return [
    `<optionset Name="${x(t.name)}_${x(name)}">`,
    `<OptionSetType>${type}</OptionSetType><IsGlobal>0</IsGlobal>`,
    `<options>${STATE_LABELS[type].map(option).join('')}</options>`,
    '</optionset>',
  ].join('');
}

function attributeXml(t: TableDef, [name, type, target]: Column): string {
  const label = name
    .replace(/id$/, '')
    .replace(/_/g, ' ')
    .replace(/^./, (c) => c.toUpperCase());
  const targets = target ?? [];
  const options = STATE_LABELS[type] ? stateOptionSet(t, name, type) : '';
  const lookup = targets.length
    ? [
        '<LookupStyle>single</LookupStyle><LookupTypes>',
        ...targets.map((tt) => `<LookupType>${x(tt)}</LookupType>`),
        '</LookupTypes>',
      ].join('')
    : '';
  const required = type === 'primarykey' ? 'systemrequired' : 'none';
  return [
    `<attribute PhysicalName="${x(name)}"><Type>${type}</Type>`,
    `<Name>${x(name)}</Name><LogicalName>${x(name)}</LogicalName>`,
    `<RequiredLevel>${required}</RequiredLevel>`,
    '<IsCustomField>0</IsCustomField><IsCustomizable>1</IsCustomizable>',
    '<IntroducedVersion>5.0.0.0</IntroducedVersion>',
    lookup,
    options,
    `<displaynames><displayname description="${x(label)}" languagecode="1033" />`,
    '</displaynames></attribute>',
  ].join('');
}

const OWNERSHIP_MASK: Record<TableDef['ownership'], string> = {
  user: 'UserOwned',
  org: 'OrgOwned',
  business: 'BusinessOwned',
  none: 'None',
};

function entityXml(t: TableDef): string {
  return [
    `<Entity><Name LocalizedName="${x(t.display)}" OriginalName="${x(t.display)}">`,
    `${x(t.name)}</Name>${t.otc === undefined ? '' : `<ObjectTypeCode>${t.otc}</ObjectTypeCode>`}`,
    `<EntityInfo><entity Name="${x(t.name)}">`,
    `<LocalizedNames><LocalizedName description="${x(t.display)}" languagecode="1033" />`,
    '</LocalizedNames><attributes />',
    `<OwnershipTypeMask>${OWNERSHIP_MASK[t.ownership]}</OwnershipTypeMask>`,
    `<IsActivity>${t.activity ? 1 : 0}</IsActivity><IsCustomizable>1</IsCustomizable>`,
    '<IntroducedVersion>5.0.0.0</IntroducedVersion>',
    `<PrimaryIdAttribute>${x(t.primaryId)}</PrimaryIdAttribute>`,
    `<PrimaryNameAttribute>${x(t.primaryName)}</PrimaryNameAttribute>`,
    '</entity></EntityInfo></Entity>',
  ].join('');
}

const labels = (name: string): string =>
  `<LocalizedNames><LocalizedName description="${x(name)}" languagecode="1033" /></LocalizedNames>`;

/** A minimal definition of a non-table System component, as customizations.xml holds one. */
function systemComponentXml(c: SystemComponent): string {
  switch (c.type) {
    case 'role':
      return `<Role id="${c.key}" name="${x(c.name)}"><RolePrivileges /></Role>`;
    case 'savedquery':
      return [
        '<savedquery><IsCustomizable>1</IsCustomizable><CanBeDeleted>0</CanBeDeleted>',
        `<isdefault>0</isdefault><savedqueryid>${c.key}</savedqueryid>`,
        `<returnedtypecode>${x(c.table ?? '')}</returnedtypecode>`,
        `<IntroducedVersion>5.0.0.0</IntroducedVersion>${labels(c.name)}</savedquery>`,
      ].join('');
    case 'systemform':
      return [
        `<systemform><formid>${c.key}</formid><IsCustomizable>1</IsCustomizable>`,
        `<CanBeDeleted>0</CanBeDeleted><IntroducedVersion>5.0.0.0</IntroducedVersion>`,
        `${labels(c.name)}</systemform>`,
      ].join('');
    case 'pluginassembly':
      return `<PluginAssembly FullName="${x(c.name)}"><IsolationMode>1</IsolationMode></PluginAssembly>`;
    case 'plugintype': {
      const asm = SYSTEM_COMPONENTS.find(
        (a) => a.type === 'pluginassembly' && a.key === c.assembly,
      );
      const qualified = asm ? `${c.name}, ${asm.name}` : c.name;
      return `<PluginType AssemblyQualifiedName="${x(qualified)}" Name="${x(c.name)}" />`;
    }
  }
}

function systemComponentParent(
  c: SystemComponent,
  tables: Set<string>,
): CatalogComponent['parent'] {
  if (c.type === 'plugintype' && c.assembly) return { type: 'pluginassembly', key: c.assembly };
  if (c.table && tables.has(c.table)) return { type: 'entity', key: c.table };
  return undefined;
}

let memo: { list: CatalogComponent[]; byKey: Map<string, CatalogComponent> } | undefined;

function build(): NonNullable<typeof memo> {
  const list: CatalogComponent[] = [];
  for (const t of STANDARD_TABLES) {
    list.push(new Catalogued('entity', t.name, t.display, undefined, () => entityXml(t)));
    const seen = new Set<string>();
    for (const c of t.columns) {
      if (seen.has(c[0])) continue;
      seen.add(c[0]);
      const key = `${t.name}.${c[0]}`;
      const parent = { type: 'entity', key: t.name };
      list.push(new Catalogued('attribute', key, key, parent, () => attributeXml(t, c)));
    }
  }
  const tables = new Set(STANDARD_TABLES.map((t) => t.name));
  for (const c of SYSTEM_COMPONENTS) {
    const parent = systemComponentParent(c, tables);
    list.push(new Catalogued(c.type, c.key, c.name, parent, () => systemComponentXml(c)));
  }
  return { list, byKey: new Map(list.map((c) => [identity(c.type, c.key), c])) };
}

/**
 * A catalog component whose definition is made when first read, then kept. Most commands ask
 * the catalog only which components exist (an import's checks) or for one of them (`strata
 * layers`): making its 6,063 definitions up front took 62–73 ms of each such command, against
 * 17–18 ms for the list alone (decision 63).
 */
class Catalogued implements CatalogComponent {
  #xml: string | undefined;
  readonly #make: () => string;
  constructor(
    readonly type: string,
    readonly key: string,
    readonly name: string,
    readonly parent: CatalogComponent['parent'],
    make: () => string,
  ) {
    this.#make = make;
  }
  get xml(): string {
    return (this.#xml ??= this.#make());
  }
}

export function catalogComponents(): CatalogComponent[] {
  memo ??= build();
  return memo.list;
}

export function catalogComponent(type: string, key: string): CatalogComponent | undefined {
  memo ??= build();
  return memo.byKey.get(identity(type, key));
}

export function catalogHas(type: string, key: string): boolean {
  return catalogComponent(type, key) !== undefined;
}

/** catalogHas for an identity already built (model/component.ts identity()). */
export function catalogHasIdentity(id: string): boolean {
  memo ??= build();
  return memo.byKey.has(id);
}
