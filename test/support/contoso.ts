import { buildSolutionZip, sampleSolution, type SolutionSpec } from '../../src/package/build.js';
import { readPackage, type SolutionPackage } from '../../src/package/read.js';

/**
 * The solutions the lifecycle tests tell their stories with. ContosoProjects 1.0.0.0 is the
 * sample; 2.0.0.0 changes cnt_Budget's label, drops cnt_Notes and the whole cnt_Milestone table,
 * and adds cnt_Priority. FabrikamLinks, another publisher's solution, has a lookup to
 * cnt_milestone: it depends on a table that ContosoProjects 2.0 no longer has.
 */
export const contosoV1 = (): SolutionSpec => sampleSolution();

export function contosoV2(version = '2.0.0.0'): SolutionSpec {
  const s = sampleSolution();
  const project = s.tables[0];
  project.columns = project.columns
    .filter((c) => c.name !== 'cnt_Notes')
    .map((c) => (c.name === 'cnt_Budget' ? { ...c, display: `Budget (${version})` } : c));
  project.columns.push({ name: 'cnt_Priority', display: 'Priority', type: 'int' });
  return { ...s, version, tables: [project] };
}

/** An unmanaged solution that customizes the sample's Budget column (an Active layer). */
export const localTweaks = (): SolutionSpec => {
  const s = sampleSolution();
  const project = {
    ...s.tables[0],
    forms: 0,
    views: 0,
    columns: s.tables[0].columns
      .filter((c) => c.name === 'cnt_Budget')
      .map((c) => ({ ...c, display: 'My budget' })),
  };
  return {
    ...s,
    uniqueName: 'LocalTweaks',
    displayName: 'Local tweaks',
    managed: false,
    tables: [project],
    webResources: [],
  };
};

export const fabrikamLinks = (): SolutionSpec => ({
  uniqueName: 'FabrikamLinks',
  displayName: 'Fabrikam links',
  version: '1.0.0.0',
  managed: true,
  publisher: {
    uniqueName: 'fabrikam',
    displayName: 'Fabrikam',
    prefix: 'fab',
    optionValuePrefix: 30000,
  },
  tables: [
    {
      name: 'fab_Link',
      display: 'Link',
      forms: 0,
      views: 0,
      columns: [
        { name: 'fab_Name', display: 'Name', type: 'nvarchar' },
        { name: 'fab_MilestoneId', display: 'Milestone', type: 'lookup', target: 'cnt_milestone' },
      ],
    },
  ],
});

/** A spec as the package strata reads (written by strata's package writer, read back). */
export const readSpec = (spec: SolutionSpec): SolutionPackage =>
  readPackage(buildSolutionZip(spec));
