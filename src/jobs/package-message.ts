/**
 * A read package as it crosses from a reader thread to the thread that plans and writes it
 * (jobs/read-pool.ts). postMessage copies by structured clone, which keeps Maps and typed arrays
 * but not classes, and copies every string on its own. So the message leaves out what the
 * receiving side can rebuild for nothing: the XML of a component that is an exact slice of
 * customizations.xml travels as its offsets (the receiver slices the one copy of the document,
 * as the reader did), and the manifest's Version as its text. The package's byte arrays are
 * transferred, not copied.
 */
import type { SolutionManifest } from '../model/solution.js';
import { Version } from '../model/version.js';
import type { SolutionPackage } from '../package/read.js';

type ManifestMessage = Omit<SolutionManifest, 'version'> & { version: string };

export type PackageMessage = Omit<SolutionPackage, 'manifest'> & { manifest: ManifestMessage };

/** The manifest without its Version instance (structured clone drops the class). */
export function manifestMessage(m: SolutionManifest): ManifestMessage {
  return { ...m, version: m.version.text };
}

export function manifestFromMessage(m: ManifestMessage): SolutionManifest {
  return { ...m, version: Version.parse(m.version) };
}

/**
 * The package as a message, and the buffers to transfer with it. Components that are slices of
 * customizations.xml lose their XML (the receiver slices it back from the document).
 */
export function packageMessage(pkg: SolutionPackage): {
  message: PackageMessage;
  transfer: ArrayBuffer[];
} {
  const components = pkg.components.map((c) => (c.inDocument ? { ...c, xml: '' } : c));
  const message: PackageMessage = {
    ...pkg,
    manifest: manifestMessage(pkg.manifest),
    components,
  };
  const buffers = new Set<ArrayBuffer>();
  for (const bytes of pkg.files.values()) buffers.add(bytes.buffer as ArrayBuffer);
  if (pkg.customizationsDeflated) buffers.add(pkg.customizationsDeflated.buffer as ArrayBuffer);
  return { message, transfer: [...buffers] };
}

/** The package again, as readPackage returned it on the other thread. */
export function packageFromMessage(message: PackageMessage): SolutionPackage {
  const doc = message.customizationsXml;
  for (const c of message.components)
    if (c.inDocument) c.xml = doc.slice(c.origin.start, c.origin.end);
  return { ...message, manifest: manifestFromMessage(message.manifest) };
}
