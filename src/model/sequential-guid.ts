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
const random = Buffer.alloc(4096);
let at = random.length;

function randomBytes(n: number): Buffer {
  if (at + n > random.length) {
    randomFillSync(random);
    at = 0;
  }
  at += n;
  return random.subarray(at - n, at);
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function sequentialGuid(): string {
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
  const time = ms.toString(16).padStart(12, '0');
  const r = randomBytes(8);
  return (
    `${time.slice(0, 8)}-${time.slice(8)}-${(0x7000 | counter).toString(16)}-` +
    `${HEX[(r[0] & 0x3f) | 0x80]}${HEX[r[1]]}-` +
    `${HEX[r[2]]}${HEX[r[3]]}${HEX[r[4]]}${HEX[r[5]]}${HEX[r[6]]}${HEX[r[7]]}`
  );
}
