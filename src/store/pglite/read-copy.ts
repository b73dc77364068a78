/**
 * A copy of one environment's layers beside the embedded store, for the reads after a change
 * (decision 67). A command that changed the store writes it before it lets the store go, from
 * the store it has open: the environment, its layers' rows, their files' paths and the
 * solutions' publishers and versions, under the store's generation (`read-cache/layers-<hash of
 * the environment's name>.json`, and its rows as COPY wrote them in a `.tsv` named by the
 * generation; removed with every kept answer by the next write), and
 * the compressed chunks of the solutions' definitions in `read-copy-content/`, each written once.
 *
 * `strata components` and `strata layers` read it instead of opening the store while the
 * generation is the one it was written under: the rows are the ones the database holds, and the
 * answers are computed from them by the same code (store/queries.ts, engine/layers.ts). Opening
 * PGlite takes 0.6–0.7 s of a process; reading the copy of 10,000 layers takes 20–40 ms.
 *
 * Only the embedded store has a generation; only an environment of at most READ_COPY_MAX_LAYERS
 * layers is copied (a larger one is read from the store: the copy would cost every write more
 * than its reads gain); only a database that orders text by code point (collation C, PGlite's)
 * is copied, since the copy orders its rows itself.
 */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { join } from 'node:path';
import type { ComponentTuple, LayerSource } from '../layer-source.js';
import { jsonRows } from '../json-rows.js';
import type { Queryable } from '../store.js';
import { fileNameOf, READ_CACHE_DIR, readGeneration, writeAtomically } from './generation.js';

/** Environments with more layers than this are not copied (decision 67). */
export const READ_COPY_MAX_LAYERS = 20_000;

/** Where the chunks of definitions are kept: outside read-cache/, they outlive a generation. */
const CONTENT_DIR = 'read-copy-content';

const FORMAT = 1;

/** How long a chunk no copy names any more is kept, for a read of an older copy under way. */
const CONTENT_GRACE_MS = 60_000;

/**
 * A chunk the copy names is gone: the copy is older than the chunks kept now (a write has
 * finished since the read began). The store answers instead (cli/context.ts withLayers).
 */
export class CopyGone extends Error {
  constructor() {
    super('the copy of the layers names a chunk that is gone');
  }
}

/** The environment a copy is of: what the read commands need of its row. */
export interface CopiedEnvironment {
  id: number;
  name: string;
  base: string;
}

/**
 * A layer's row: type, key, solution, kind, ordinal, name, parent_key, xml, draft_xml, state,
 * updated_on (as PostgreSQL prints it), content_chunk, content_start, content_length. Not its
 * definitions' hashes: nothing a read shows (they are 40 % of the rows' cost to copy).
 */
type LayerTuple = [
  string,
  string,
  string,
  string,
  number,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  string,
  number | null,
  number | null,
  number | null,
];

interface CopyFile {
  format: number;
  generation: string;
  environment: CopiedEnvironment;
  /** the layers' rows (LayerTuple), in COPY's text format, a file beside this one */
  rows: string;
  /** unique name, publisher, version */
  solutions: Array<[string, string | null, string | null]>;
  /** type, key, solution, path: in the database's order */
  files: Array<[string, string, string, string]>;
  /** solution, chunk, format, file in CONTENT_DIR */
  content: Array<[string, number, string, string]>;
}

/** The columns of LayerTuple, in its order. */
const LAYER_COLUMNS =
  'type, key, solution, kind, ordinal, name, parent_key, xml, draft_xml, state, updated_on, ' +
  'content_chunk, content_start, content_length';

function copyName(environment: string): string {
  // the copy read back is taken only when it is of this environment (readCopy)
  return `layers-${fileNameOf(environment)}`;
}

/** The store's side of a copy: its queries, and its rows written to a file by PostgreSQL. */
export interface CopySource {
  query: Queryable['query'];
  copyOutToFile(select: string, file: string, format?: 'text' | 'binary'): Promise<void>;
}

/**
 * Writes the copy of an environment's layers, as the store holds them now, under `generation`.
 * Called with the store still open by the command that changed it, and holding its lock; reads
 * only. Returns whether a copy was written (not for an environment that is gone or too large).
 */
export async function writeReadCopy(
  db: CopySource,
  home: string,
  generation: string,
  environment: string,
  opts: { maxLayers?: number } = {},
): Promise<boolean> {
  const maxLayers = opts.maxLayers ?? READ_COPY_MAX_LAYERS;
  const [env] = await db.query<{
    id: number;
    name: string;
    base: string;
    layers: number | string;
    collation: string;
  }>(
    `SELECT e.id, e.name, e.base,
       (SELECT count(*) FROM (SELECT FROM layers l WHERE l.env_id = e.id
          LIMIT ${Math.floor(maxLayers) + 1}) x) AS layers,
       (SELECT datcollate FROM pg_database WHERE datname = current_database()) AS collation
     FROM environments e WHERE e.name = $1`,
    [environment],
  );
  if (!env || Number(env.layers) > maxLayers) return false;
  if (env.collation !== 'C' && env.collation !== 'POSIX') return false;
  const dir = join(home, READ_CACHE_DIR);
  mkdirSync(dir, { recursive: true });
  const name = copyName(env.name);
  // the rows, written by PostgreSQL itself (COPY's text format is 30–50 % cheaper to make than
  // JSON, and the text never crosses into JavaScript); named by the generation, so that a rows
  // file is only ever read by the header written with it
  const rows = `${name}-${generation.replace(/[^\w-]/g, '')}.tsv`;
  await db.copyOutToFile(
    `SELECT ${LAYER_COLUMNS} FROM layers WHERE env_id = ${Number(env.id)}`,
    join(dir, rows),
  );
  const params = [env.id];
  const solutions = await jsonRows<[string, string | null, string | null]>(
    db,
    { columns: 'unique_name, publisher, version', from: 'solutions WHERE env_id = $1' },
    params,
  );
  const files = await jsonRows<[string, string, string, string]>(
    db,
    {
      columns: 'type, key, solution, path',
      from: 'layer_files WHERE env_id = $1',
      order: 'type, key, solution, path',
    },
    params,
  );
  // a chunk's row version names it: a chunk written again is a new file
  const chunks = await db.query<{ solution: string; chunk: number; format: string; v: string }>(
    `SELECT solution, chunk, format, xmin::text || ctid::text AS v
     FROM layer_content WHERE env_id = $1`,
    params,
  );
  const contentDir = join(home, CONTENT_DIR);
  mkdirSync(contentDir, { recursive: true });
  // a chunk's file is taken by its name alone: a cryptographic hash, loaded by the writer only
  const { createHash } = await import('node:crypto');
  const content: CopyFile['content'] = [];
  for (const c of chunks) {
    const file =
      createHash('sha256')
        .update(`${env.id}\u0000${c.solution}\u0000${c.chunk}\u0000${c.v}`)
        .digest('hex')
        .slice(0, 40) + '.bin';
    if (!existsSync(join(contentDir, file))) {
      // as PostgreSQL writes a bytea in COPY's binary format: no text of it in between
      const temp = `${file}.${process.pid}`;
      await db.copyOutToFile(
        `SELECT content FROM layer_content WHERE env_id = ${Number(env.id)}
           AND solution = ${sqlText(c.solution)} AND chunk = ${Number(c.chunk)}`,
        join(contentDir, temp),
        'binary',
      );
      renameSync(join(contentDir, temp), join(contentDir, file));
    }
    content.push([c.solution, Number(c.chunk), c.format, file]);
  }
  const copy: CopyFile = {
    format: FORMAT,
    generation,
    environment: { id: env.id, name: env.name, base: env.base },
    rows,
    solutions,
    files,
    content,
  };
  writeAtomically(join(dir, `${name}.json`), JSON.stringify(copy));
  // one copy at a time: another environment's would name chunks this one lets go (it is written
  // again by the next write to that environment)
  for (const f of readdirSync(dir))
    if (f.startsWith('layers-') && f !== `${name}.json` && f !== rows)
      rmSync(join(dir, f), { force: true });
  // a chunk no copy names goes, once a read that began before this copy was written is done
  const kept = new Set(content.map((c) => c[3]));
  const before = Date.now() - CONTENT_GRACE_MS;
  for (const f of readdirSync(contentDir)) {
    const at = kept.has(f) ? undefined : statSync(join(contentDir, f), { throwIfNoEntry: false });
    if (at && at.mtimeMs < before) rmSync(join(contentDir, f), { force: true });
  }
  return true;
}

/** A text as an SQL literal (standard_conforming_strings: only quotes are doubled). */
function sqlText(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * The one value of a one-column row in COPY's binary format: an 11-byte signature, flags, a
 * header extension, then per row a field count and each field's length and bytes.
 */
function binaryCopyValue(file: Buffer): Buffer | undefined {
  if (file.length < 19 || file.toString('latin1', 0, 6) !== 'PGCOPY') return undefined;
  const at = 19 + file.readInt32BE(15);
  if (file.length < at + 6 || file.readInt16BE(at) !== 1) return undefined;
  const length = file.readInt32BE(at + 2);
  if (length < 0 || file.length < at + 6 + length) return undefined;
  return file.subarray(at + 6, at + 6 + length);
}

/** Calls `row` with the bounds of each line of `text` between `from` and `to` (COPY's rows). */
function forEachLine(
  text: string,
  row: (start: number, end: number) => void,
  from = 0,
  to = text.length,
): void {
  while (from < to) {
    let end = text.indexOf('\n', from);
    if (end < 0 || end > to) end = to;
    if (end > from) row(from, end);
    from = end + 1;
  }
}

/** Rows in COPY's text format as LayerTuples. `from`/`to` bound the part of the text read. */
function layerTuples(text: string, from = 0, to = text.length): LayerTuple[] {
  const out: LayerTuple[] = [];
  forEachLine(
    text,
    (start, end) => {
      const f = text.slice(start, end).split('\t') as unknown[];
      for (let i = 0; i < f.length; i++) f[i] = unescapeCopy(f[i] as string);
      f[4] = Number(f[4]);
      for (let i = 11; i < 14; i++) if (f[i] !== null) f[i] = Number(f[i]);
      out.push(f as LayerTuple);
    },
    from,
    to,
  );
  return out;
}

const COPY_ESCAPES: Record<string, string> = {
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

function unescapeCopy(field: string): string | null {
  if (field === '\\N') return null;
  if (!field.includes('\\')) return field;
  return field.replace(/\\(.)/g, (_, c: string) => COPY_ESCAPES[c] ?? c);
}

/** What COPY's text format writes for each character it escapes. */
const COPY_ESCAPED: Record<string, string> = Object.fromEntries([
  ['\\', '\\\\'],
  ...Object.entries(COPY_ESCAPES).map(([letter, c]) => [c, `\\${letter}`]),
]);

/** A text as COPY's text format writes it. */
function escapeCopy(text: string): string {
  return text.replace(/[\\\b\f\n\r\t\v]/g, (c) => COPY_ESCAPED[c]);
}

/**
 * The copy of an environment's layers, if one was written under the store's generation now;
 * undefined otherwise (none, another generation's, or unreadable: the store answers).
 */
export function readCopy(home: string, environment: string): ReadCopy | undefined {
  const generation = readGeneration(home);
  if (!generation) return undefined;
  const dir = join(home, READ_CACHE_DIR);
  let copy: CopyFile;
  let rows: string;
  try {
    copy = JSON.parse(readFileSync(join(dir, `${copyName(environment)}.json`), 'utf8')) as CopyFile;
    if (
      copy.format !== FORMAT ||
      copy.generation !== generation ||
      copy.environment?.name !== environment
    )
      return undefined;
    // read, then decoded: readFileSync(…, 'utf8') took 16 ms of 1.6 MB of rows, this 12–13 ms
    rows = readFileSync(join(dir, copy.rows)).toString('utf8');
  } catch {
    return undefined;
  }
  return new ReadCopy(copy, rows, join(home, CONTENT_DIR));
}

/** An environment's layers as copied: a LayerSource for store/queries.ts and engine/layers.ts. */
export class ReadCopy implements LayerSource {
  readonly kind = 'layer-source' as const;
  readonly generation: string;
  readonly environment: CopiedEnvironment;
  private readonly solutions: Map<string, [string | null, string | null]>;
  private readonly files = new Map<string, string[]>();
  private readonly chunks = new Map<string, { format: string; file: string }>();
  constructor(
    copy: CopyFile,
    /** the rows, as COPY wrote them */
    private readonly rows: string,
    private readonly contentDir: string,
  ) {
    this.generation = copy.generation;
    this.environment = copy.environment;
    this.solutions = new Map(
      copy.solutions.map(([name, publisher, version]) => [name, [publisher, version]]),
    );
    for (const [type, key, solution, path] of copy.files) {
      const k = `${type}\u0000${key}\u0000${solution}`;
      const list = this.files.get(k);
      if (list) list.push(path);
      else this.files.set(k, [path]);
    }
    for (const [solution, chunk, format, file] of copy.content)
      this.chunks.set(`${solution}\u0000${chunk}`, { format, file });
  }

  /** The rows whose line starts with `head` (escaped as COPY writes it), found in the text. */
  private rowsStartingWith(head: string): LayerTuple[] {
    const rows = this.rows;
    const next = (from: number): number => {
      const i = rows.indexOf(`\n${head}`, from);
      return i < 0 ? -1 : i + 1;
    };
    const out: LayerTuple[] = [];
    for (let at = rows.startsWith(head) ? 0 : next(0); at >= 0;) {
      let end = rows.indexOf('\n', at);
      if (end < 0) end = rows.length;
      out.push(...layerTuples(rows, at, end));
      at = next(end);
    }
    return out;
  }

  /** One component's rows, top first. */
  private rowsOf(type: string, key: string): LayerTuple[] {
    return this.rowsStartingWith(`${escapeCopy(type)}\t${escapeCopy(key)}\t`).sort(
      (a, b) => b[4] - a[4],
    );
  }

  componentTuples(envId: number, type?: string): ComponentTuple[] {
    if (envId !== this.environment.id) return [];
    // only the columns the list shows, each row's ordinal last until the rows are in order
    const out: Array<[...ComponentTuple, number]> = [];
    const rows = this.rows;
    // the nine fields up to draft_xml found by their tabs, and only the six used cut out: a
    // whole-line split makes fourteen strings a row, and this runs once in a process, before the
    // optimising compiler has seen it (decision 71)
    const tabs = new Int32Array(9);
    forEachLine(rows, (start, end) => {
      let at = start - 1;
      for (let i = 0; i < 9; i++) {
        at = rows.indexOf('\t', at + 1);
        if (at < 0 || at > end) return;
        tabs[i] = at;
      }
      const rowType = unescapeCopy(rows.slice(start, tabs[0]))!;
      if (type !== undefined && rowType !== type) return;
      out.push([
        rowType,
        unescapeCopy(rows.slice(tabs[0] + 1, tabs[1]))!,
        unescapeCopy(rows.slice(tabs[4] + 1, tabs[5])),
        unescapeCopy(rows.slice(tabs[5] + 1, tabs[6])),
        unescapeCopy(rows.slice(tabs[1] + 1, tabs[2]))!,
        // draft_xml, the ninth field: null is written \N
        !(
          tabs[8] - tabs[7] === 3 &&
          rows.charCodeAt(tabs[7] + 1) === 92 &&
          rows[tabs[7] + 2] === 'N'
        ),
        Number(rows.slice(tabs[3] + 1, tabs[4])),
      ]);
    });
    // the database's order: type, key (collation C), then the top layer first; JavaScript's `<`
    // is collation C's order where no character is above U+FFFF
    const byCodePoint = /[\uD800-\uDFFF]/.test(rows);
    const compare = (x: string, y: string): number =>
      x === y ? 0 : byCodePoint ? compareCodePoints(x, y) : x < y ? -1 : 1;
    out.sort((a, b) => compare(a[0], b[0]) || compare(a[1], b[1]) || b[6] - a[6]);
    for (const t of out) (t as unknown[]).length = 6;
    return out as unknown as ComponentTuple[];
  }

  workflowTops(envId: number, keys: string[]) {
    const out: ReturnType<LayerSource['workflowTops']> = [];
    if (envId !== this.environment.id || !keys.length) return out;
    // the workflows' lines, in one pass: each key's top layer that has a definition
    const wanted = new Set(keys);
    const top = new Map<string, LayerTuple>();
    for (const l of this.rowsStartingWith('workflow\t')) {
      if (!wanted.has(l[1]) || (l[7] === null && l[8] === null && l[11] === null)) continue;
      const seen = top.get(l[1]);
      if (!seen || l[4] > seen[4]) top.set(l[1], l);
    }
    for (const [key, l] of top)
      out.push({
        key,
        solution: l[2],
        xml: l[8] ?? l[7],
        content: l[11] === null ? null : { chunk: l[11], start: l[12]!, length: l[13]! },
      });
    return out;
  }

  componentLayerRows(envId: number, type: string, key: string): Array<Record<string, unknown>> {
    if (envId !== this.environment.id) return [];
    return this.rowsOf(type, key).map((l) => {
      const [publisher, version] = this.solutions.get(l[2]) ?? [null, null];
      return {
        env_id: envId,
        type: l[0],
        key: l[1],
        solution: l[2],
        kind: l[3],
        ordinal: l[4],
        name: l[5],
        parent_key: l[6],
        xml: l[7],
        hash: null,
        draft_xml: l[8],
        draft_hash: null,
        state: l[9],
        // what PGlite makes of a timestamptz (it parses the text PostgreSQL prints)
        updated_on: new Date(l[10]),
        content_chunk: l[11],
        content_start: l[12],
        content_length: l[13],
        publisher,
        version,
        files: this.files.get(`${l[0]}\u0000${l[1]}\u0000${l[2]}`) ?? [],
      };
    });
  }

  content(envId: number, solution: string, chunk: number) {
    const c =
      envId === this.environment.id ? this.chunks.get(`${solution}\u0000${chunk}`) : undefined;
    if (!c) return undefined;
    let compressed: Buffer | undefined;
    try {
      compressed = binaryCopyValue(readFileSync(join(this.contentDir, c.file)));
    } catch {
      // gone: below
    }
    if (!compressed) throw new CopyGone();
    return { compressed, format: c.format };
  }
}

/**
 * Orders strings by code point, as collation C orders their UTF-8 bytes. JavaScript's `<`
 * compares UTF-16 units, which puts a character above U+FFFF (a surrogate pair) below
 * U+E000–U+FFFF; elsewhere the two agree.
 */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}
