import type { Version } from './version.js';

export interface LocalizedLabel {
  languageCode: number;
  text: string;
}

export interface Publisher {
  uniqueName: string;
  names: LocalizedLabel[];
  descriptions: LocalizedLabel[];
  customizationPrefix: string;
  /** 10000..99999; null when the manifest omits it (old exports). */
  optionValuePrefix: number | null;
  email?: string;
  website?: string;
}

/** RootComponent behavior (spec §1): 0 include subcomponents, 1 do not, 2 shell only. */
export type RootBehavior = 0 | 1 | 2;

export interface RootComponent {
  typeCode: number | null;
  /** The raw `type` attribute: a number, or a table logical name for record components. */
  type: string;
  schemaName?: string;
  id?: string;
  behavior: RootBehavior;
}

export interface DeclaredDependency {
  required: {
    type: string;
    schemaName?: string;
    id?: string;
    displayName?: string;
    solution?: string;
    parentSchemaName?: string;
    key?: string;
  };
  dependent: {
    type: string;
    schemaName?: string;
    id?: string;
    displayName?: string;
    parentSchemaName?: string;
    key?: string;
  };
}

/** What solution.xml says. */
export interface SolutionManifest {
  uniqueName: string;
  localizedNames: LocalizedLabel[];
  descriptions: LocalizedLabel[];
  version: Version;
  /**
   * true managed, false unmanaged; SolutionPackager "both" folders (2) are read as unmanaged
   * unless asked.
   */
  managed: boolean;
  publisher: Publisher;
  rootComponents: RootComponent[];
  missingDependencies: DeclaredDependency[];
  /** Unique name of the parent when this package is a patch. */
  parentUniqueName?: string;
  /** ImportExportXml attributes: platform version, package format version, base language. */
  platformVersion?: string;
  solutionPackageVersion?: string;
  languageCode?: number;
}

export function displayName(labels: LocalizedLabel[], fallback: string, lang = 1033): string {
  return labels.find((l) => l.languageCode === lang)?.text || labels[0]?.text || fallback;
}

/**
 * Whether two solution unique names name the same solution. Dataverse compares unique names
 * ignoring case (Contoso and CONTOSO are one solution); the installed solution keeps the
 * spelling it was first installed with. The store compares the same way: lower(unique_name).
 */
export function sameSolutionName(
  a: string | null | undefined,
  b: string | null | undefined,
): boolean {
  return a != null && b != null && (a === b || a.toLowerCase() === b.toLowerCase());
}
