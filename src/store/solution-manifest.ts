import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { PackageLayout } from '../package/layout.js';

/**
 * What a solution's row keeps of its package for export (store/export-reads.ts): the package's
 * root components, its solution.xml (up to 2 MB) and its layout. The layout's `order` — every
 * component's key in document order — is kept deflated, as base64 text: at 105,001 components it
 * is 4 MB of JSON, of which PostgreSQL builds a `jsonb` tree at every import, and an upgrade's
 * undo log the old row's again (writing it grew PGlite's WebAssembly memory by 37 MB). Rows
 * written before keep `order` as a list; both are read.
 */
export interface StoredManifest {
  rootComponents?: unknown;
  solutionXml?: string | null;
  layout?: (Omit<PackageLayout, 'order'> & { order?: string[]; orderDeflated?: string }) | null;
}

/** The manifest's text for the row: `layout.order` deflated. */
export function manifestText(m: {
  rootComponents: unknown;
  solutionXml: string | null;
  layout: PackageLayout;
}): string {
  const { order, ...layout } = m.layout;
  const stored: StoredManifest = {
    rootComponents: m.rootComponents,
    solutionXml: m.solutionXml,
    layout: {
      ...layout,
      // level 1: half the time of zlib's default (3 against 6–7 ms at 10,501 components)
      orderDeflated: deflateRawSync(JSON.stringify(order), { level: 1 }).toString('base64'),
    },
  };
  return JSON.stringify(stored);
}

/** The manifest as read from a row (parsed by the driver, or text), its layout's order whole. */
export function manifestOf(value: unknown): {
  solutionXml: string | null;
  layout: PackageLayout | null;
} | null {
  if (value === null || value === undefined) return null;
  const m = (typeof value === 'string' ? JSON.parse(value) : value) as StoredManifest;
  const stored = m.layout;
  let layout: PackageLayout | null = null;
  if (stored) {
    const { orderDeflated, order, ...rest } = stored;
    layout = {
      ...rest,
      order:
        orderDeflated !== undefined
          ? (JSON.parse(
              inflateRawSync(Buffer.from(orderDeflated, 'base64')).toString('utf8'),
            ) as string[])
          : (order ?? []),
    };
  }
  return { solutionXml: m.solutionXml ?? null, layout };
}
