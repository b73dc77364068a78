/**
 * The System layer's components other than tables and columns (standard-tables.ts): standard
 * security roles, the standard views and forms real packages require from solution "System",
 * and platform plug-in types. Hand-kept facts, each with where it was read.
 *
 * Roles: strata keys a role by its id. A standard role's id differs per organisation (and per
 * business unit); its role template id does not (Power Apps "Security roles and templates":
 * "role template IDs are unique and constant in all environments"). Each standard role is listed
 * under its template id, with its name; where a real package requires a standard role by the id
 * it had in its source organisation, that id is listed too, with the name the package gives and
 * the package as source. System views and forms keep their ids in every organisation, so they
 * are listed by the ids the packages that require them give.
 */

export interface SystemComponent {
  /** strata's type name */
  type: 'role' | 'savedquery' | 'systemform' | 'pluginassembly' | 'plugintype';
  /** strata's key: `{guid}` for roles, views and forms; lower-case name for plug-in types */
  key: string;
  /** the name people read */
  name: string;
  /** other names it goes by (localized names, template names) */
  aliases?: string[];
  /** the table a view or form belongs to */
  table?: string;
  /** the plug-in assembly of a plug-in type */
  assembly?: string;
  /** a public page or a real fixture path (relative to shared/fixtures/real) */
  sources: string[];
}

const ROLE_TEMPLATES =
  'https://docs.microsoft.com/en-us/powerapps/developer/data-platform/security-roles';
const K2_CASE_DEMO = 'k2-crm2013/K2CRM2013SimpleCaseDemo_0_0_0_1.zip';
const PRT_SERVICE_ENDPOINT =
  'Plugin Registration Tool source, CrmServiceEndpoint (ServiceBusPluginName, ServiceBusPluginAssemblyName)';

export const SYSTEM_COMPONENTS: SystemComponent[] = [
  // standard roles, by role template id
  {
    type: 'role',
    key: '{627090ff-40a3-4053-8790-584edc5be201}',
    name: 'System Administrator',
    aliases: ['SystemAdmin'],
    sources: [ROLE_TEMPLATES],
  },
  {
    type: 'role',
    key: '{119f245c-3cc8-4b62-b31c-d1a046ced15d}',
    name: 'System Customizer',
    aliases: ['Customizer'],
    sources: [ROLE_TEMPLATES],
  },
  {
    type: 'role',
    key: '{2d101bb3-5ced-4122-83f1-94d5efde4e3b}',
    name: 'Support User',
    aliases: ['Support'],
    sources: [ROLE_TEMPLATES],
  },
  {
    type: 'role',
    key: '{d892cc0b-28c7-4e88-bd92-72f2c366baed}',
    name: 'Delegate',
    aliases: ['Proxy'],
    sources: [ROLE_TEMPLATES],
  },
  {
    type: 'role',
    key: '{236750cd-45ae-4939-ab12-b24b920ced93}',
    name: 'Basic User',
    aliases: ['CDSUser', 'Common Data Service User'],
    sources: [ROLE_TEMPLATES],
  },
  // a standard role as a real package requires it: the id of its source organisation
  {
    type: 'role',
    key: '{417adcdc-e3e6-e311-9d9a-d89d67642f34}',
    name: 'System Customizer',
    aliases: ['システム カスタマイザー'],
    sources: ['crm2013-sp1-japanese-unpacked'],
  },
  // standard views and forms that real packages require from solution "System"
  {
    type: 'savedquery',
    key: '{8fa2705c-7e4c-4c0e-b611-4593b35a4c9e}',
    name: 'Contract Line With Allotments',
    table: 'contractdetail',
    sources: [K2_CASE_DEMO],
  },
  {
    type: 'savedquery',
    key: '{646de3ee-ebfb-4d19-8a44-4a619505e188}',
    name: 'Active Contracts',
    table: 'contract',
    sources: [K2_CASE_DEMO],
  },
  {
    type: 'savedquery',
    key: '{a066d18a-8a4a-44ee-b78e-9a870dc799dd}',
    name: 'Active Products',
    table: 'product',
    sources: [K2_CASE_DEMO],
  },
  {
    type: 'savedquery',
    key: '{23fb1036-e41d-4d75-8aa7-27569b5b6512}',
    name: 'Related Solutions',
    table: 'connection',
    sources: [K2_CASE_DEMO],
  },
  {
    // CRMP2C's account form uses it as the quick view form of contact
    type: 'systemform',
    key: '{707fc57b-c5e6-471b-a180-e37ed28a38e2}',
    name: 'Contact quick view form',
    table: 'contact',
    sources: [K2_CASE_DEMO, 'fasttrack-p2c/CRMP2C.zip'],
  },
  {
    type: 'systemform',
    key: '{b028db32-3619-48a5-ac51-cf3f947b0ef3}',
    name: 'Account form',
    table: 'account',
    sources: [K2_CASE_DEMO],
  },
  // platform plug-ins: service endpoint steps run the Service Bus plug-in
  {
    type: 'pluginassembly',
    key: 'microsoft.crm.servicebus',
    name: 'Microsoft.Crm.ServiceBus',
    sources: [PRT_SERVICE_ENDPOINT],
  },
  {
    type: 'plugintype',
    key: 'microsoft.crm.servicebus.servicebusplugin',
    name: 'Microsoft.Crm.ServiceBus.ServiceBusPlugin',
    assembly: 'microsoft.crm.servicebus',
    sources: [PRT_SERVICE_ENDPOINT],
  },
];

/** The standard role of this name (English, a template name or a recorded localized name). */
export function standardRoleNamed(name: string): SystemComponent | undefined {
  const n = name.trim().toLowerCase();
  return SYSTEM_COMPONENTS.find(
    (c) =>
      c.type === 'role' && [c.name, ...(c.aliases ?? [])].some((a) => a.trim().toLowerCase() === n),
  );
}
