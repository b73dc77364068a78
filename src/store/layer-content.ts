import { deflateRaw, inflateRawSync } from 'node:zlib';
import { decodeText } from '../package/xml.js';
import { isLayerSource, type LayerSource } from './layer-source.js';
import type { Queryable } from './store.js';

/**
 * Managed-layer definitions, stored compactly.
 *
 * A managed layer never changes after import: an update or upgrade replaces the solution's
 * layers as a whole. So the XML of a solution's managed layers is concatenated into chunks of
 * about a megabyte, each deflated once and stored as one row of `layer_content`; a layer row
 * points into its chunk (content_chunk, content_start, content_length, in UTF-16 code units of
 * the inflated text). Writing ten thousand definitions is then one small row each plus a dozen
 * compressed chunks, instead of 11 MB of text through COPY (docs/decisions.md #15). The Active
 * layer, which customizations and publishing change in place, keeps its XML inline.
 *
 * Most definitions are slices of customizations.xml, and a zip already holds that file deflated:
 * then the zip's own compressed bytes are the chunk (format 'package-file'), and only the
 * definitions strata rebuilt (a table without its columns, ...) are packed and deflated here
 * (format 'text'). Compressing 11 MB again on import cost more than all the layer rows (#24).
 */
export interface ContentRef {
  chunk: number;
  start: number;
  length: number;
}

/** Where a layer row's definition lives in its solution's chunks, or null when `xml` holds it. */
export function contentRefOf(row: {
  content_chunk?: unknown;
  content_start?: unknown;
  content_length?: unknown;
}): ContentRef | null {
  return row.content_chunk == null
    ? null
    : {
        chunk: Number(row.content_chunk),
        start: Number(row.content_start),
        length: Number(row.content_length),
      };
}

const CHUNK_CHARS = 1 << 20;

/** Packs definitions into chunks; returns where each one landed, in input order. */
export function packContent(
  xmls: string[],
  chunkChars = CHUNK_CHARS,
): { refs: ContentRef[]; chunks: string[] } {
  const refs: ContentRef[] = [];
  const chunks: string[] = [];
  let parts: string[] = [];
  let size = 0;
  for (const xml of xmls) {
    if (size > 0 && size + xml.length > chunkChars) {
      chunks.push(parts.join(''));
      parts = [];
      size = 0;
    }
    refs.push({ chunk: chunks.length, start: size, length: xml.length });
    parts.push(xml);
    size += xml.length;
  }
  if (parts.length) chunks.push(parts.join(''));
  return { refs, chunks };
}

/**
 * Deflates chunks on libuv's thread pool, so compression runs while the caller goes on writing
 * layer rows on the main thread. Resolves to base64 text (what travels fastest into PGlite).
 */
export function deflateChunks(chunks: string[]): Promise<string[]> {
  return Promise.all(
    chunks.map(
      (c) =>
        new Promise<string>((resolve, reject) => {
          deflateRaw(Buffer.from(c, 'utf8'), { level: 1 }, (err, out) =>
            err ? reject(err) : resolve(out.toString('base64')),
          );
        }),
    ),
  );
}

/** Stores a solution's deflated chunks (from deflateChunks) in one statement. */
export async function writeContentChunks(
  db: Queryable,
  envId: number,
  solution: string,
  deflated: string[],
  firstChunk = 0,
): Promise<void> {
  if (deflated.length === 0) return;
  await db.query(
    `INSERT INTO layer_content (env_id, solution, chunk, content)
    SELECT $1, $2, (c.n - 1 + $4)::int, decode(c.b64, 'base64')
    FROM unnest($3::text[]) WITH ORDINALITY AS c(b64, n)`,
    [envId, solution, deflated, firstChunk],
  );
}

/** Stores a package file's raw deflate stream (as its zip held it) as chunk `chunk`. */
export async function writePackageFileChunk(
  db: Queryable,
  envId: number,
  solution: string,
  chunk: number,
  deflated: Uint8Array,
): Promise<void> {
  const insert = (content: string, value: string) =>
    db.query(
      `INSERT INTO layer_content (env_id, solution, chunk, format, content)
       VALUES ($1, $2, $3, 'package-file', ${content})`,
      [envId, solution, chunk, value],
    );
  // PGlite reads the bytes from its own file system (4.5 MB at 105,001 components, 6 MB as base64)
  if (db.withFile) await db.withFile(deflated, (path) => insert('pg_read_binary_file($4)', path));
  else
    await insert(
      "decode($4, 'base64')",
      Buffer.from(deflated.buffer, deflated.byteOffset, deflated.byteLength).toString('base64'),
    );
}

/**
 * After an update replaced some of a solution's layers, chunks no layer points into any more are
 * dropped. (A chunk still referenced by one unchanged layer stays whole; the next full upgrade
 * that changes everything in it frees it.)
 */
export async function dropUnreferencedContent(
  db: Queryable,
  envId: number,
  solution: string,
): Promise<void> {
  const used = (
    await db.query<{ chunk: number }>(
      `SELECT DISTINCT content_chunk AS chunk FROM layers
       WHERE env_id = $1 AND solution = $2 AND content_chunk IS NOT NULL`,
      [envId, solution],
    )
  ).map((r) => Number(r.chunk));
  await db.query(
    `DELETE FROM layer_content
     WHERE env_id = $1 AND solution = $2 AND NOT (chunk = ANY($3::int[]))`,
    [envId, solution, used],
  );
}

/** A chunk of a solution's content as stored (compressed), with its format. */
export async function contentChunk(
  db: Queryable,
  envId: number,
  solution: string,
  chunk: number,
): Promise<{ compressed: Buffer; format: string } | undefined> {
  // base64 in the result: PGlite returns bytea slowly, text quickly
  const rows = await db.query<{ b64: string; format: string }>(
    `SELECT encode(content, 'base64') AS b64, format FROM layer_content
     WHERE env_id = $1 AND solution = $2 AND chunk = $3`,
    [envId, solution, chunk],
  );
  return rows[0] && { compressed: Buffer.from(rows[0].b64, 'base64'), format: rows[0].format };
}

/** One string for a chunk of a solution, for the map of chunks to fetch. */
const chunkId = (solution: string, chunk: number): string => `${solution}\u0000${chunk}`;

/**
 * Resolves layer rows whose XML lives in chunks: fills `xml` from (solution, chunk, start,
 * length). Each chunk is fetched (from the database, or a copy of its layers: layer-source.ts)
 * and inflated once per call.
 */
export async function resolveContent<
  T extends { solution: string; xml: string | null; content?: ContentRef | null },
>(db: Queryable | LayerSource, envId: number, layers: T[]): Promise<T[]> {
  const wanted = new Map<string, { solution: string; chunk: number }>();
  for (const l of layers)
    if (l.xml === null && l.content)
      wanted.set(chunkId(l.solution, l.content.chunk), {
        solution: l.solution,
        chunk: l.content.chunk,
      });
  if (wanted.size === 0) return layers;
  const texts = new Map<string, string>();
  for (const [k, w] of wanted) {
    const stored = isLayerSource(db)
      ? db.content(envId, w.solution, w.chunk)
      : await contentChunk(db, envId, w.solution, w.chunk);
    if (!stored) continue;
    const bytes = inflateRawSync(stored.compressed);
    texts.set(
      k,
      stored.format === 'package-file'
        ? decodeText(bytes, 'customizations.xml')
        : bytes.toString('utf8'),
    );
  }
  return layers.map((l) => {
    if (l.xml !== null || !l.content) return l;
    const text = texts.get(chunkId(l.solution, l.content.chunk));
    return text === undefined
      ? l
      : { ...l, xml: text.slice(l.content.start, l.content.start + l.content.length) };
  });
}
