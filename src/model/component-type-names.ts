/**
 * The names people read for component types: those Power Apps shows (Table, Column, Choice,
 * Form, View, Plug-in step, ...), by strata's type name. This is the one table of them: the CLI,
 * the import log, the API and the web UI (which the server sends it to as
 * /component-types.json) all name types from here. Dataverse's own componenttype labels
 * ("Entity", "Attribute", "System Form") stay in component-types.ts as `platformLabel`, which
 * the CLI accepts as input too. A few names are display types rather than types: a workflow is
 * named by its Category (a cloud flow, a business rule), see displayTypeOf(). See
 * docs/decisions.md ("Component types are named as Power Apps names them").
 */
export const COMPONENT_TYPE_NAMES: Readonly<Record<string, string>> = {
  entity: 'Table',
  attribute: 'Column',
  relationship: 'Relationship',
  optionset: 'Choice',
  entitykey: 'Key',
  role: 'Security role',
  savedquery: 'View',
  workflow: 'Process',
  report: 'Report',
  emailtemplate: 'Email template',
  contracttemplate: 'Contract template',
  kbarticletemplate: 'Article template',
  mailmergetemplate: 'Mail merge template',
  duplicaterule: 'Duplicate detection rule',
  entitymap: 'Table mapping',
  ribbon: 'Ribbon customization',
  entityribbon: 'Table ribbon',
  visualization: 'Chart',
  systemform: 'Form',
  webresource: 'Web resource',
  sitemap: 'Site map',
  connectionrole: 'Connection role',
  customcontrol: 'Custom control',
  fieldsecurityprofile: 'Column security profile',
  appmodule: 'Model-driven app',
  plugintype: 'Plug-in type',
  pluginassembly: 'Plug-in assembly',
  sdkmessageprocessingstep: 'Plug-in step',
  sdkmessageprocessingstepimage: 'Plug-in step image',
  serviceendpoint: 'Service endpoint',
  routingrule: 'Routing rule set',
  sla: 'Service level agreement',
  convertrule: 'Record creation and update rule',
  mobileofflineprofile: 'Mobile offline profile',
  similarityrule: 'Similarity rule',
  entitydatasource: 'Virtual table data source',
  canvasapp: 'Canvas app',
  connector: 'Custom connector',
  environmentvariabledefinition: 'Environment variable definition',
  environmentvariablevalue: 'Environment variable value',
  aiprojecttype: 'AI project type',
  aiproject: 'AI project',
  aiconfiguration: 'AI configuration',
  attributeimageconfig: 'Column image configuration',
  entityimageconfig: 'Table image configuration',
  connectionreference: 'Connection reference',
  customapi: 'Custom API',
  entitydataprovider: 'Virtual table data provider',
  organizationsettings: 'Organization settings',
  language: 'Language',
  opaque: 'Other component',
  file: 'Package file',
  /** an import log's row for a required component that is missing */
  dependency: 'Missing dependency',
  // A workflow is shown by its Category (WORKFLOW_CATEGORY_TYPES): these are display types, not
  // types of their own
  dialog: 'Dialog',
  businessrule: 'Business rule',
  action: 'Action',
  businessprocessflow: 'Business process flow',
  cloudflow: 'Cloud flow',
  desktopflow: 'Desktop flow',
};

/**
 * A workflow's display type by its `<Category>`, as Power Apps tells them apart: 0 a classic
 * workflow ("Process"), 1 a dialog, 2 a business rule, 3 an action, 4 a business process flow,
 * 5 a cloud flow (Dataverse's "Modern Flow"), 6 a desktop flow. Any other category is "Process".
 */
export const WORKFLOW_CATEGORY_TYPES: Readonly<Record<string, string>> = {
  '0': 'workflow',
  '1': 'dialog',
  '2': 'businessrule',
  '3': 'action',
  '4': 'businessprocessflow',
  '5': 'cloudflow',
  '6': 'desktopflow',
};
