/**
 * The environment template each real package was made for: the kind of Dataverse environment
 * its author exported it from, read from what its solution.xml says it needs (the first-party
 * solutions named in its MissingDependencies). A package imports on its template when every
 * solution it needs is there; a package that needs an app no template has keeps failing, naming
 * that app.
 */
export const MATCHING: ReadonlyArray<[RegExp, string]> = [
  // several apps at once: Omnichannel with Project Service and Field Service; NewsmanSync was
  // exported from a Dynamics 365 trial organisation of 2017 (Project Service, Field Service)
  [/^fasttrack-samples\/ChannelBasedPresenceCapability/, 'customerengagement'],
  [/^newsman-sync-series\//, 'customerengagement'],
  // Omnichannel / Channel Integration Framework
  [/^fasttrack-cif-series\//, 'omnichannel'],
  [/^fasttrack-samples\/ContosoMainSolution/, 'omnichannel'],
  // Field Service and Universal Resource Scheduling
  [/^fasttrack-p2c\/P2CFieldService/, 'fieldservice'],
  [/^fasttrack-samples\/VendorIntegration/, 'fieldservice'],
  // Project Service Automation / Project Operations
  [/^fasttrack-p2c\/P2CProjectService/, 'projectoperations'],
  // Dynamics 365 Customer Engagement (Sales, Service, Activity Feeds)
  [/^k2-crm2013\//, 'dynamics365'],
  [/^powerapps-samples-more\/(PreparedSolution|VirtualEntityRecordSource)/, 'dynamics365'],
  [/^secondary-record-source-series\//, 'dynamics365'],
];

/** The template a real package (path relative to the fixtures folder) matches. */
export function templateFor(rel: string): string {
  return MATCHING.find(([re]) => re.test(rel))?.[1] ?? 'dataverse';
}
