import { createReadStream } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { StrataError } from '../model/errors.js';

/**
 * What the record files of `strata data import/export` share: the record type, errors that
 * name the file and line, decoding a byte stream into text chunk by chunk (so that a file of
 * any size is read in constant memory), and buffered output that waits when the stream is full.
 */
export type DataValue = string | number | boolean | null;
export type DataRecord = Record<string, DataValue>;

export interface ReadOptions {
  /** the name errors give the input (the path when reading a file; `input` otherwise) */
  name?: string;
  /** the text encoding when the input has no byte order mark; the default is UTF-8 */
  encoding?: string;
  /** the most characters one record may have (a CSV record, a JSON line); 128 Mi by default */
  maxRecordLength?: number;
  /** called with the number of bytes read so far, for a progress bar */
  onBytes?: (bytesRead: number) => void;
  /**
   * Set, before each record is yielded, to the line the record began on: for messages about a
   * record ("line 57: ..."). An object the caller reads rather than a field of each record,
   * which would cost every record of a million-row file.
   */
  position?: { line: number };
}

export const DEFAULT_MAX_RECORD_LENGTH = 128 * 1024 * 1024;

export function invalidData(
  name: string,
  line: number,
  message: string,
  hint?: string,
): StrataError {
  return new StrataError('DATA_FILE_INVALID', `${name}, line ${line}: ${message}`, {
    hint,
    details: { file: name, line },
  });
}

export function tooLong(name: string, line: number, max: number): StrataError {
  return invalidData(
    name,
    line,
    `the record starting here is longer than ${max} characters`,
    'A quote that is never closed makes the rest of the file one field: check the quotes.',
  );
}

/** The source as a byte stream: a path opens the file. */
export function openSource(source: string | Readable): Readable {
  return typeof source === 'string' ? createReadStream(source, { highWaterMark: 1 << 16 }) : source;
}

function notReadable(name: string, e: NodeJS.ErrnoException): StrataError {
  const what = e.code === 'ENOENT' ? 'There is no file at' : 'Cannot read';
  return new StrataError('DATA_FILE_NOT_FOUND', `${what} ${name} (${e.code ?? e.message}).`, {
    details: { file: name },
    cause: e,
  });
}

/**
 * The text of a byte stream, chunk by chunk, decoded as it arrives: a byte order mark chooses
 * UTF-8 or UTF-16 and is dropped; without one, `encoding` (UTF-8 by default) is used. Bytes that
 * are not valid in the encoding are refused, with the line reached so far.
 */
export async function* textChunks(
  source: string | Readable,
  name: string,
  opts: ReadOptions,
  lineReached: () => number,
): AsyncGenerator<string> {
  let decoder: TextDecoder | null = null;
  // the first bytes, held until there are enough to see a byte order mark
  let head: Uint8Array = new Uint8Array(0);
  let bytes = 0;
  let first = true;
  const decode = (chunk: Uint8Array, stream: boolean): string => {
    try {
      return decoder!.decode(chunk, { stream });
    } catch {
      const message = `the text is not valid ${decoder!.encoding}`;
      throw invalidData(name, lineReached(), message, 'Save the file as UTF-8.');
    }
  };
  try {
    for await (const chunk of openSource(source)) {
      if (typeof chunk === 'string') {
        // a stream that decodes itself (setEncoding) leaves the BOM in
        yield first && chunk.startsWith('\uFEFF') ? chunk.slice(1) : chunk;
        first = false;
        continue;
      }
      let buf = chunk as Uint8Array;
      bytes += buf.length;
      opts.onBytes?.(bytes);
      if (!decoder) {
        head = concat(head, buf);
        if (head.length < 3) continue;
        decoder = decoderFor(head, opts.encoding);
        buf = head;
        head = new Uint8Array(0);
      }
      const text = decode(buf, true);
      if (text) yield text;
    }
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (!(e instanceof StrataError) && err.code && typeof err.syscall === 'string')
      throw notReadable(name, err);
    throw e;
  }
  decoder ??= decoderFor(head, opts.encoding);
  const rest = decode(head, false);
  if (rest) yield rest;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function decoderFor(head: Uint8Array, encoding = 'utf-8'): TextDecoder {
  let label = encoding;
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) label = 'utf-8';
  else if (head[0] === 0xff && head[1] === 0xfe) label = 'utf-16le';
  else if (head[0] === 0xfe && head[1] === 0xff) label = 'utf-16be';
  try {
    // the decoder drops the byte order mark of its own encoding
    return new TextDecoder(label, { fatal: true });
  } catch {
    throw new StrataError('USAGE', `Unknown text encoding: ${label}.`, {
      hint: 'Use utf-8, utf-16le or windows-1252.',
    });
  }
}

/**
 * Text written to a stream in blocks rather than line by line (a million rows make a million
 * small writes otherwise), waiting for 'drain' when the stream is full so that memory stays
 * constant however fast rows come.
 */
export class BufferedOutput {
  private pending: string[] = [];
  private size = 0;
  private failure: Error | null = null;

  constructor(
    private readonly out: Writable,
    private readonly blockSize = 1 << 16,
  ) {
    out.on('error', (e) => (this.failure ??= e));
  }

  /** Adds text; the promise, when there is one, resolves once the stream can take more. */
  add(text: string): Promise<void> | undefined {
    if (this.failure) throw this.failure;
    this.pending.push(text);
    this.size += text.length;
    return this.size >= this.blockSize ? this.flush() : undefined;
  }

  /** Writes out what is held, waiting until the stream has room again. */
  async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.size === 0 && this.pending.length === 0) return;
    const block = this.pending.join('');
    this.pending = [];
    this.size = 0;
    if (this.out.write(block)) return;
    await new Promise<void>((resolve, reject) => {
      const done = (e?: Error): void => {
        this.out.off('drain', done);
        this.out.off('error', done);
        if (e) reject(e);
        else resolve();
      };
      this.out.on('drain', done);
      this.out.on('error', done);
    });
  }

  /** Flushes, then ends the stream and waits until it is closed (a file the writer opened). */
  async end(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve, reject) => {
      this.out.end((e?: Error | null) => (e ? reject(e) : resolve()));
    });
    if (this.failure) throw this.failure;
  }
}
