import { PackageError } from '../model/errors.js';
import type {
  DeclaredDependency,
  LocalizedLabel,
  Publisher,
  RootBehavior,
  RootComponent,
  SolutionManifest,
} from '../model/solution.js';
import { Version } from '../model/version.js';
import {
  CUSTOMIZATION_PREFIX,
  PUBLISHER_UNIQUE_NAME,
  SOLUTION_UNIQUE_NAME,
  checkName,
  shown,
} from './names.js';
import { child, childI, childText, children, parseXml, type XmlElement } from './xml.js';

function labels(el: XmlElement | undefined, itemName: string): LocalizedLabel[] {
  return children(el, itemName).map((l) => ({
    languageCode: Number(l.attrs.languagecode) || 0,
    text: l.attrs.description ?? '',
  }));
}

function invalid(what: string, file: string): never {
  throw new PackageError('MANIFEST_INVALID', `${file}: ${what}.`, {
    hint:
      'solution.xml must hold ImportExportXml/SolutionManifest with ' +
      'UniqueName, Version, Managed and Publisher. Re-export the solution.',
    details: { file },
  });
}

function depSide(el: XmlElement | undefined): DeclaredDependency['required'] {
  const a = el?.attrs ?? {};
  return {
    type: a.type ?? '',
    ...(a.schemaName ? { schemaName: a.schemaName } : {}),
    ...(a.id ? { id: a.id } : {}),
    ...(a.displayName ? { displayName: a.displayName } : {}),
    ...(a.solution ? { solution: a.solution } : {}),
    ...(a.parentSchemaName ? { parentSchemaName: a.parentSchemaName } : {}),
    ...(a.key ? { key: a.key } : {}),
  };
}

/**
 * The publisher's option value prefix: a whole number from 10,000 to 99,999 (Publisher
 * table/entity reference: `customizationoptionvalueprefix` MinValue 10000, MaxValue 99999), or
 * null when the manifest has none.
 */
function optionValuePrefix(text: string | undefined, file: string): number | null {
  if (!text) return null;
  const value = /^\d{1,9}$/.exec(text) === null ? NaN : Number(text);
  if (value >= 10_000 && value <= 99_999) return value;
  throw new PackageError(
    'MANIFEST_INVALID',
    `${file}: the publisher's CustomizationOptionValuePrefix "${shown(text)}" is not valid: ` +
      'Dataverse takes a whole number from 10,000 to 99,999.',
    { hint: 'Correct the option value prefix of the publisher and export the solution again.' },
  );
}

/** Reads solution.xml into a SolutionManifest. */
export function parseManifest(src: string, file = 'solution.xml'): SolutionManifest {
  const root = parseXml(src, file);
  if (root.name !== 'ImportExportXml')
    invalid(`root element is <${shown(root.name)}>, expected <ImportExportXml>`, file);
  const m = child(root, 'SolutionManifest');
  if (!m) invalid('no <SolutionManifest> element', file);
  const uniqueName = childText(m, 'UniqueName');
  if (!uniqueName) invalid('<UniqueName> is missing or empty', file);
  checkName(uniqueName, SOLUTION_UNIQUE_NAME, file);
  const versionText = childText(m, 'Version');
  if (!versionText) invalid('<Version> is missing', file);
  const version = Version.parse(versionText, file);
  const managedText = childText(m, 'Managed') ?? '0';
  if (!['0', '1', '2'].includes(managedText))
    invalid(`<Managed> is "${shown(managedText)}", expected 0, 1 or 2`, file);

  const p = child(m, 'Publisher');
  if (!p) invalid('<Publisher> is missing', file);
  const pubName = childText(p, 'UniqueName');
  if (!pubName) invalid('<Publisher><UniqueName> is missing', file);
  checkName(pubName, PUBLISHER_UNIQUE_NAME, file);
  const prefix = childText(p, 'CustomizationPrefix') ?? '';
  // an export always has a prefix; a package without one is read as before (nothing to check)
  if (prefix !== '') checkName(prefix, CUSTOMIZATION_PREFIX, file);
  const publisher: Publisher = {
    uniqueName: pubName,
    names: labels(child(p, 'LocalizedNames'), 'LocalizedName'),
    descriptions: labels(child(p, 'Descriptions'), 'Description'),
    customizationPrefix: prefix,
    optionValuePrefix: optionValuePrefix(childText(p, 'CustomizationOptionValuePrefix'), file),
    ...(childText(p, 'EMailAddress') ? { email: childText(p, 'EMailAddress') } : {}),
    ...(childText(p, 'SupportingWebsiteUrl')
      ? { website: childText(p, 'SupportingWebsiteUrl') }
      : {}),
  };

  const rootComponents: RootComponent[] = children(child(m, 'RootComponents'), 'RootComponent').map(
    (r) => {
      const t = r.attrs.type ?? '';
      const b = Number(r.attrs.behavior ?? '0');
      return {
        type: t,
        typeCode: /^\d+$/.exec(t) !== null ? Number(t) : null,
        ...(r.attrs.schemaName ? { schemaName: r.attrs.schemaName } : {}),
        ...(r.attrs.id ? { id: r.attrs.id } : {}),
        behavior: (b === 1 || b === 2 ? b : 0) as RootBehavior,
      };
    },
  );

  const missingDependencies: DeclaredDependency[] = children(
    child(m, 'MissingDependencies'),
    'MissingDependency',
  ).map((d) => ({
    required: depSide(child(d, 'Required')),
    dependent: depSide(child(d, 'Dependent')),
  }));

  const parentUniqueName =
    childText(m, 'ParentUniqueName') ||
    child(m, 'ParentSolution')?.attrs.UniqueName ||
    childText(childI(m, 'ParentSolution'), 'UniqueName');

  if (parentUniqueName) checkName(parentUniqueName, SOLUTION_UNIQUE_NAME, file);

  return {
    uniqueName,
    localizedNames: labels(child(m, 'LocalizedNames'), 'LocalizedName'),
    descriptions: labels(child(m, 'Descriptions'), 'Description'),
    version,
    managed: managedText === '1',
    publisher,
    rootComponents,
    missingDependencies,
    ...(parentUniqueName ? { parentUniqueName } : {}),
    ...(root.attrs.version ? { platformVersion: root.attrs.version } : {}),
    ...(root.attrs.SolutionPackageVersion
      ? { solutionPackageVersion: root.attrs.SolutionPackageVersion }
      : {}),
    ...(root.attrs.languagecode ? { languageCode: Number(root.attrs.languagecode) } : {}),
  };
}
