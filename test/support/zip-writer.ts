/**
 * Writes zips byte by byte, for the hostile zips that fflate (rightly) will not make: CRCs that
 * lie, sizes that lie, entries flagged as encrypted, two entries of one name, directory records
 * that point into another entry's data.
 *
 *   writeZip([{ name: 'solution.xml', data }, { name: 'a.js', data, crc: 0 }])
 *   writeZip(entries, { alsoPointingAt: [{ name: 'd1/', entry: 0 }] })
 */
import { crc32, deflateRawSync } from 'node:zlib';

export interface RawEntry {
  name: string;
  /** the entry's content; what is stored is its deflated form unless `stored` */
  data: Uint8Array;
  stored?: boolean;
  /** the bytes written as the entry's data instead of `data` compressed */
  payload?: Uint8Array;
  /** the CRC-32 declared (the true one by default) */
  crc?: number;
  /** the uncompressed size declared (the true one by default) */
  size?: number;
  /** general purpose flags, in both headers (bit 0: encrypted) */
  flags?: number;
}

export interface ZipTricks {
  /** more central directory records, each pointing at the local header of entry `entry` */
  alsoPointingAt?: Array<{ name: string; entry: number }>;
}

const u16 = (n: number): number[] => [n & 0xff, (n >>> 8) & 0xff];
const u32 = (n: number): number[] => [...u16(n & 0xffff), ...u16(n >>> 16)];

export function writeZip(entries: RawEntry[], tricks: ZipTricks = {}): Uint8Array {
  const chunks: Uint8Array[] = [];
  let offset = 0;
  const push = (b: Uint8Array | number[]): void => {
    const u = b instanceof Uint8Array ? b : Uint8Array.from(b);
    chunks.push(u);
    offset += u.length;
  };
  const records: Array<{
    e: Required<Omit<RawEntry, 'stored'>> & { stored: boolean };
    at: number;
  }> = [];
  for (const raw of entries) {
    const stored = raw.stored ?? false;
    const payload = raw.payload ?? (stored ? raw.data : new Uint8Array(deflateRawSync(raw.data)));
    const e = {
      name: raw.name,
      data: raw.data,
      stored,
      payload,
      crc: raw.crc ?? crc32(raw.data),
      size: raw.size ?? raw.data.length,
      flags: raw.flags ?? 0,
    };
    const at = offset;
    const name = new TextEncoder().encode(e.name);
    push([
      ...u32(0x04034b50),
      ...u16(20),
      ...u16(e.flags),
      ...u16(stored ? 0 : 8),
      ...u32(0),
      ...u32(e.crc),
      ...u32(payload.length),
      ...u32(e.size),
      ...u16(name.length),
      ...u16(0),
    ]);
    push(name);
    push(payload);
    records.push({ e, at });
  }
  const directoryStart = offset;
  const central = (
    e: (typeof records)[number]['e'],
    name: string,
    at: number,
    directory = false,
  ): void => {
    const n = new TextEncoder().encode(name);
    push([
      ...u32(0x02014b50),
      ...u16(20),
      ...u16(20),
      ...u16(directory ? 0 : e.flags),
      ...u16(directory || e.stored ? 0 : 8),
      ...u32(0),
      ...u32(directory ? 0 : e.crc),
      ...u32(directory ? 0 : e.payload.length),
      ...u32(directory ? 0 : e.size),
      ...u16(n.length),
      ...u16(0),
      ...u16(0),
      ...u16(0),
      ...u16(0),
      ...u32(directory ? 0x10 : 0),
      ...u32(at),
    ]);
    push(n);
  };
  for (const { e, at } of records) central(e, e.name, at);
  const more = tricks.alsoPointingAt ?? [];
  for (const m of more) {
    const r = records[m.entry];
    central(r.e, m.name, r.at, m.name.endsWith('/'));
  }
  const count = records.length + more.length;
  push([
    ...u32(0x06054b50),
    ...u16(0),
    ...u16(0),
    ...u16(count),
    ...u16(count),
    ...u32(offset - directoryStart),
    ...u32(directoryStart),
    ...u16(0),
  ]);
  const out = new Uint8Array(offset);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
