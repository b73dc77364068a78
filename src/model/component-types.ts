import { COMPONENT_TYPE_NAMES, WORKFLOW_CATEGORY_TYPES } from './component-type-names.js';

/**
 * The component types strata knows. `name` is strata's stable identifier for the type (used in
 * the CLI and the store); `code` is Dataverse's `componenttype` value where one exists.
 * Types without a documented platform code (connection references, custom APIs, bots, ...)
 * get `code: null`; see docs/decisions.md.
 */
export interface ComponentTypeInfo {
  name: string;
  code: number | null;
  /** the name people read, as Power Apps shows it (component-type-names.ts) */
  label: string;
  /** Dataverse's componenttype label ("Entity", "System Form"), also accepted as input */
  platformLabel: string;
  /** Active-layer changes stay drafts until published (spec §3). */
  publishable: boolean;
  /** Merges across layers instead of "top wins" (spec §6). */
  merge: boolean;
  /** Carries code that runs in the environment (shown by inspect). */
  executable?: boolean;
}

const T = (
  name: string,
  code: number | null,
  platformLabel: string,
  publishable = false,
  merge = false,
  executable = false,
): ComponentTypeInfo => ({
  name,
  code,
  label: COMPONENT_TYPE_NAMES[name] ?? platformLabel,
  platformLabel,
  publishable,
  merge,
  executable,
});

export const COMPONENT_TYPES: readonly ComponentTypeInfo[] = [
  T('entity', 1, 'Entity', true),
  T('attribute', 2, 'Attribute', true),
  T('relationship', 10, 'Entity Relationship', true),
  T('optionset', 9, 'Option Set', true),
  T('entitykey', 14, 'Entity Key'),
  T('role', 20, 'Security Role'),
  T('savedquery', 26, 'Saved Query (View)', true),
  T('workflow', 29, 'Process (Workflow)', false, false, true),
  T('report', 31, 'Report'),
  T('emailtemplate', 36, 'Email Template'),
  T('contracttemplate', 37, 'Contract Template'),
  T('kbarticletemplate', 38, 'KB Article Template'),
  T('mailmergetemplate', 39, 'Mail Merge Template'),
  T('duplicaterule', 44, 'Duplicate Rule'),
  T('entitymap', 46, 'Entity Map'),
  T('ribbon', 50, 'Ribbon Customization', true, true),
  T('entityribbon', 55, 'Ribbon Diff', true, true),
  T('visualization', 59, 'Saved Query Visualization (Chart)', true),
  T('systemform', 60, 'System Form', true, true),
  T('webresource', 61, 'Web Resource', true, false, true),
  T('sitemap', 62, 'Site Map', true, true),
  T('connectionrole', 63, 'Connection Role'),
  T('customcontrol', 66, 'Custom Control', false, false, true),
  T('fieldsecurityprofile', 70, 'Field Security Profile'),
  T('appmodule', 80, 'Model-driven App', true, true),
  T('plugintype', 90, 'Plugin Type', false, false, true),
  T('pluginassembly', 91, 'Plugin Assembly', false, false, true),
  T('sdkmessageprocessingstep', 92, 'SDK Message Processing Step', false, false, true),
  T('sdkmessageprocessingstepimage', 93, 'SDK Message Processing Step Image'),
  T('serviceendpoint', 95, 'Service Endpoint'),
  T('routingrule', 150, 'Routing Rule Set'),
  T('sla', 152, 'SLA'),
  T('convertrule', 154, 'Convert Rule'),
  T('mobileofflineprofile', 161, 'Mobile Offline Profile'),
  T('similarityrule', 165, 'Similarity Rule'),
  T('entitydatasource', 183, 'Entity Data Source'),
  T('canvasapp', 300, 'Canvas App', false, false, true),
  T('connector', 371, 'Connector'),
  T('environmentvariabledefinition', 380, 'Environment Variable Definition'),
  T('environmentvariablevalue', 381, 'Environment Variable Value'),
  T('aiprojecttype', 400, 'AI Project Type'),
  T('aiproject', 401, 'AI Project'),
  T('aiconfiguration', 402, 'AI Configuration'),
  T('attributeimageconfig', 431, 'Attribute Image Configuration'),
  T('entityimageconfig', 432, 'Entity Image Configuration'),
  T('connectionreference', null, 'Connection Reference'),
  T('customapi', null, 'Custom API', false, false, true),
  T('entitydataprovider', null, 'Entity Data Provider'),
  T('organizationsettings', null, 'Organization Settings'),
  T('language', null, 'Language'),
  // Anything else found in a package: kept whole, with an identity (see package/customizations).
  T('opaque', null, 'Other component'),
  T('file', null, 'Package file'),
];

const byName = new Map(COMPONENT_TYPES.map((t) => [t.name, t]));
const byCode = new Map(
  COMPONENT_TYPES.filter((t) => t.code !== null).map((t) => [t.code as number, t]),
);

export function componentType(name: string): ComponentTypeInfo {
  const t = byName.get(name);
  if (t) return t;
  // Opaque types are named "opaque:<Section>/<Element>"; they behave like 'opaque'.
  if (name.startsWith('opaque:'))
    return {
      ...byName.get('opaque')!,
      name,
      label: `Other (${name.slice(7)})`,
      platformLabel: `Other (${name.slice(7)})`,
    };
  if (name.startsWith('file:')) return { ...byName.get('file')!, name };
  throw new Error(`unknown component type ${name}`);
}

export function componentTypeByCode(code: number): ComponentTypeInfo | undefined {
  return byCode.get(code);
}

/**
 * Accepts a type name, a Dataverse code, or a label (Power Apps' or Dataverse's),
 * case-insensitively (CLI input).
 */
export function resolveComponentType(input: string): ComponentTypeInfo | undefined {
  const s = input.trim().toLowerCase();
  if (s.match(/^\d+$/)) return byCode.get(Number(s));
  return (
    byName.get(s) ??
    COMPONENT_TYPES.find((t) => t.label.toLowerCase() === s) ??
    COMPONENT_TYPES.find((t) => t.platformLabel.toLowerCase() === s)
  );
}

/**
 * The name to show for a type as strata or a package gives it: a strata type name, or a
 * Dataverse type code ("60", from a solution.xml MissingDependency); anything else as it is.
 */
export function typeDisplayName(type: string): string {
  if (/^\d+$/.test(type)) return byCode.get(Number(type))?.label ?? `type ${type}`;
  if (byName.has(type) || type.startsWith('opaque:') || type.startsWith('file:'))
    return componentType(type).label;
  return COMPONENT_TYPE_NAMES[type] ?? type;
}

/**
 * The display type of a component whose type alone does not say what people call it: a workflow
 * by the `<Category>` of its definition ("cloudflow" for 5, "businessrule" for 2, ...;
 * WORKFLOW_CATEGORY_TYPES). Undefined for every other component, and for a workflow shown by its
 * type's name ("Process"). `category` is the element's text where the reader has it; otherwise it
 * is read from `xml`, the definition.
 */
export function displayTypeOf(
  type: string,
  definition: { xml?: string | null; category?: string | null },
): string | undefined {
  if (type !== 'workflow') return undefined;
  const category = definition.category ?? categoryOf(definition.xml);
  const shown = category === undefined ? undefined : WORKFLOW_CATEGORY_TYPES[category.trim()];
  return shown && shown !== type ? shown : undefined;
}

/** The `<Category>` of a workflow definition (a child of `<Workflow>`; the XAML is a file apart). */
function categoryOf(xml: string | null | undefined): string | undefined {
  if (!xml) return undefined;
  return /<Category>\s*(\d+)\s*<\/Category>/.exec(xml)?.[1];
}

/**
 * The name of a component's type as people read it: its display type's (displayTypeOf) when it has
 * one — "Cloud flow", "Business rule" — else its type's.
 */
export function componentTypeName(c: { type: string; displayType?: string }): string {
  return typeDisplayName(c.displayType ?? c.type);
}

/** The display names of every type, by type name: what the web UI names types with. */
export function componentTypeNames(): Record<string, string> {
  return { ...COMPONENT_TYPE_NAMES };
}

/**
 * A component as people read it: its type's name, its name, and its key when the name does not
 * already show it — "Table Work Order (msdyn_workorder)", "Form Work Order ({c73056df-…})".
 */
export function componentTitle(type: string, key: string, name?: string): string {
  const what = typeDisplayName(type);
  if (!name || name === key) return `${what} ${key}`;
  return name.toLowerCase().includes(key.toLowerCase())
    ? `${what} ${name}`
    : `${what} ${name} (${key})`;
}
