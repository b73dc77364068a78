/**
 * Full collections at the few points where a command lets go of much at once, where the process
 * exposes `gc` (the CLI does, cli/v8-settings.ts; `strata serve` and the engine called from a
 * script do not, and nothing happens there). V8 left to itself finds such garbage only after the
 * heap has grown by as much again, and that growth was the command's peak (decisions 62–64):
 * - an import, right after a large document's text is let go (releaseForPlanning: the upgrade
 *   of 105,001 components had 299 MB of heap, 108 MB of it the released text), and as the write
 *   starts (planning leaves about 100 MB behind it: the snapshot's pages of JSON, its layers),
 *   and once it is written (the rows and COPY text it made; the log is made after: decision 73);
 * - an export, between reading the definitions and writing the package (the chunks inflated to
 *   read them, and the rows).
 */

/** Characters of text let go, or bytes, from which an import collects (collectLarge). */
export const COLLECT_AFTER = 32 * 1024 * 1024;

/**
 * The package size (bytes of its entries, `SolutionPackage.totalBytes`) from which an import
 * lets go of customizations.xml's text (package/read.ts releaseText, engine/import.ts). Below
 * it the text stays to the end of the import, as the bytes of a package do: what letting it go
 * gives back comes only with a full collection, which an import makes from COLLECT_AFTER, and
 * letting it go costs each component a copy of itself (decision 69: 30–40 ms of the
 * 10,501-component install). `from` is settable for tests, which read small packages and check
 * the release all the same.
 */
export const textRelease = { from: COLLECT_AFTER };

/**
 * A full collection when `size` (characters or bytes let go) reaches `threshold`. About 0.1 s at
 * the heap of a 105,001-component import, 18–32 ms at that of a 10,000-component export.
 */
export function collectLarge(size: number, threshold = COLLECT_AFTER): void {
  if (size >= threshold) (globalThis as { gc?: () => void }).gc?.();
}
