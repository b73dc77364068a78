import { randomFillSync } from 'node:crypto';

/**
 * Ids for new records: time-ordered GUIDs (the layout of RFC 9562's version 7: 48 bits of
 * milliseconds, then random bits), increasing within a process even within one millisecond.
 * Dataverse gives records sequential GUIDs for the same reason strata does: a primary key index
 * takes ids in order at its end, instead of splitting pages all over it (a million-row load
 * into a table keyed by random GUIDs spends most of its time there).
 */
let lastMs = 0;
let counter = 0;
const random = new Uint8Array(4096);
let at = random.length;

/** where 8 fresh random bytes start in `random` (no view made per id: a million ids a load) */
function randomEight(): number {
  if (at + 8 > random.length) {
    randomFillSync(random);
    at = 0;
  }
  at += 8;
  return at - 8;
}

/** the two ASCII hex digits of each byte value, as char codes: hex digits without strings */
const HEX_CODES = new Uint8Array(512);
for (let b = 0; b < 256; b++) {
  const hex = b.toString(16).padStart(2, '0');
  HEX_CODES[2 * b] = hex.charCodeAt(0);
  HEX_CODES[2 * b + 1] = hex.charCodeAt(1);
}
const DASH = 0x2d;

function hexByte(out: Uint8Array, at: number, b: number): number {
  out[at] = HEX_CODES[2 * b];
  out[at + 1] = HEX_CODES[2 * b + 1];
  return at + 2;
}

/**
 * The next id written as its 36 ASCII characters into `out` at `at` (the bulk path writes ids
 * straight into the bytes of a COPY); returns where it ends.
 */
export function writeSequentialGuid(out: Uint8Array, at: number): number {
  let ms = Date.now();
  if (ms <= lastMs) {
    // the same millisecond (or a clock that stepped back): count on from the last id
    counter++;
    if (counter > 0xfff) {
      lastMs++;
      counter = 0;
    }
    ms = lastMs;
  } else {
    lastMs = ms;
    counter = 0;
  }
  // 48 bits of milliseconds, version 7 with 12 bits of counter (ids of one millisecond keep
  // their order), the variant, then 62 random bits
  const high = Math.floor(ms / 0x10000);
  let p = at;
  p = hexByte(out, p, (high >>> 24) & 0xff);
  p = hexByte(out, p, (high >>> 16) & 0xff);
  p = hexByte(out, p, (high >>> 8) & 0xff);
  p = hexByte(out, p, high & 0xff);
  out[p++] = DASH;
  p = hexByte(out, p, (ms >>> 8) & 0xff);
  p = hexByte(out, p, ms & 0xff);
  out[p++] = DASH;
  p = hexByte(out, p, 0x70 | (counter >>> 8));
  p = hexByte(out, p, counter & 0xff);
  out[p++] = DASH;
  const r = randomEight();
  p = hexByte(out, p, (random[r] & 0x3f) | 0x80);
  p = hexByte(out, p, random[r + 1]);
  out[p++] = DASH;
  for (let i = 2; i < 8; i++) p = hexByte(out, p, random[r + i]);
  return p;
}

const one = Buffer.alloc(36);

export function sequentialGuid(): string {
  writeSequentialGuid(one, 0);
  return one.toString('latin1', 0, 36);
}
