/** Plain-text rendering for the terminal: aligned tables and a progress bar on stderr. */

/**
 * East Asian Wide and Fullwidth code points (Unicode's EastAsianWidth.txt, W and F, in blocks):
 * a terminal gives each two columns.
 */
const WIDE: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f],
  [0x231a, 0x231b],
  [0x2329, 0x232a],
  [0x23e9, 0x23ec],
  [0x23f0, 0x23f0],
  [0x23f3, 0x23f3],
  [0x25fd, 0x25fe],
  [0x2614, 0x2615],
  [0x2648, 0x2653],
  [0x267f, 0x267f],
  [0x2693, 0x2693],
  [0x26a1, 0x26a1],
  [0x26aa, 0x26ab],
  [0x26bd, 0x26be],
  [0x26c4, 0x26c5],
  [0x26ce, 0x26ce],
  [0x26d4, 0x26d4],
  [0x26ea, 0x26ea],
  [0x26f2, 0x26f3],
  [0x26f5, 0x26f5],
  [0x26fa, 0x26fa],
  [0x26fd, 0x26fd],
  [0x2705, 0x2705],
  [0x270a, 0x270b],
  [0x2728, 0x2728],
  [0x274c, 0x274c],
  [0x274e, 0x274e],
  [0x2753, 0x2755],
  [0x2757, 0x2757],
  [0x2795, 0x2797],
  [0x27b0, 0x27b0],
  [0x27bf, 0x27bf],
  [0x2b1b, 0x2b1c],
  [0x2b50, 0x2b50],
  [0x2b55, 0x2b55],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xa960, 0xa97f],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe10, 0xfe19],
  [0xfe30, 0xfe6f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x16fe0, 0x16fe4],
  [0x17000, 0x18cff],
  [0x1b000, 0x1b2ff],
  [0x1f004, 0x1f004],
  [0x1f0cf, 0x1f0cf],
  [0x1f18e, 0x1f18e],
  [0x1f191, 0x1f19a],
  [0x1f200, 0x1f251],
  [0x1f300, 0x1f64f],
  [0x1f680, 0x1f6ff],
  [0x1f900, 0x1f9ff],
  [0x1fa70, 0x1faff],
  [0x20000, 0x2fffd],
  [0x30000, 0x3fffd],
];

/** Marks drawn on the character before them, and invisible format characters: no column. */
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\u200b-\u200f\u2060-\u2064\ufeff]$/u;

function isWide(cp: number): boolean {
  let lo = 0;
  let hi = WIDE.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < WIDE[mid][0]) hi = mid - 1;
    else if (cp > WIDE[mid][1]) lo = mid + 1;
    else return true;
  }
  return false;
}

/** The columns one character takes in a terminal: 0, 1 or 2. */
function charWidth(ch: string): number {
  if (ZERO_WIDTH.test(ch)) return 0;
  const cp = ch.codePointAt(0)!;
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0;
  return isWide(cp) ? 2 : 1;
}

/**
 * How many terminal columns a string takes: East Asian wide and fullwidth characters count 2
 * (「システム カスタマイザー」 takes 27: thirteen wide characters and a space), combining marks 0.
 */
export function displayWidth(s: string): number {
  // most cells are printable ASCII: a column each (a 10,000-row table measured 60,000 of them)
  if (PRINTABLE_ASCII.test(s)) return s.length;
  let w = 0;
  for (const ch of s) w += charWidth(ch);
  return w;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** s cut to at most `width` columns, ending in … when cut; then padded with spaces to `width`. */
export function fitWidth(s: string, width: number): string {
  const w = displayWidth(s);
  if (w <= width) return s + ' '.repeat(width - w);
  let out = '';
  let used = 0;
  for (const ch of s) {
    const cw = charWidth(ch);
    if (used + cw > width - 1) break;
    out += ch;
    used += cw;
  }
  return out + '…' + ' '.repeat(width - 1 - used);
}

/** Columns aligned by display width: each as wide as its widest cell (at most 60 columns). */
export function table(
  headers: string[],
  rows: Array<Array<string | number | boolean | null | undefined>>,
): string {
  // each cell's text and width worked out once: a 10,000-row table is 60,000 cells, and the
  // first table a process prints runs before the optimising compiler has seen this code
  const n = headers.length;
  const texts: string[] = new Array<string>((rows.length + 1) * n);
  const sizes = new Int32Array(texts.length);
  const widths = headers.map(() => 0);
  for (let r = -1; r < rows.length; r++) {
    const row = r < 0 ? headers : rows[r];
    for (let i = 0; i < n; i++) {
      const c = row[i];
      const text = c === null || c === undefined ? '' : String(c);
      const at = (r + 1) * n + i;
      texts[at] = text;
      const w = (sizes[at] = displayWidth(text));
      if (w > widths[i]) widths[i] = w;
    }
  }
  for (let i = 0; i < n; i++) widths[i] = Math.min(60, widths[i]);
  const lines: string[] = new Array<string>(rows.length + 2);
  // a line ends at its last cell that has text, unpadded: what trimming the whole line gave,
  // without padding the empty last columns of most rows and then cutting the spaces off again
  const line = (row: number): string => {
    const base = row * n;
    let last = n - 1;
    while (last > 0 && texts[base + last] === '') last--;
    let out = '';
    for (let i = 0; i <= last; i++) {
      const text = texts[base + i];
      const w = sizes[base + i];
      if (i > 0) out += '  ';
      if (w > widths[i]) out += fitWidth(text, widths[i]);
      else if (i === last || w === widths[i]) out += text;
      else out += text + ' '.repeat(widths[i] - w);
    }
    // a cell's own text may end in white space, which the line does not
    const end = out.charCodeAt(out.length - 1);
    return end <= 32 || end > 126 ? out.trimEnd() : out;
  };
  lines[0] = line(0);
  lines[1] = widths
    .map((w) => '-'.repeat(w))
    .join('  ')
    .trimEnd();
  for (let r = 1; r <= rows.length; r++) lines[r + 1] = line(r);
  return lines.join('\n');
}

/**
 * A long list cut for the terminal: the first `limit` items (all of them with `full`), and the
 * line that says how many are left out and how to see them. Every cut list says so: a list that
 * stops short without a word reads as complete.
 */
export function cutList<T>(
  items: readonly T[],
  limit: number,
  full: boolean,
  { indent = '  ', what = '' }: { indent?: string; what?: string } = {},
): { shown: readonly T[]; more: string | null } {
  if (full || items.length <= limit) return { shown: items, more: null };
  const n = items.length - limit;
  return {
    shown: items.slice(0, limit),
    more: `${indent}… and ${n} more${what && ` ${what}`} (--full lists all; --json gives all)`,
  };
}

export class ProgressBar {
  private last = '';
  constructor(
    private readonly enabled: boolean,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {}

  /** `percent` null: how far along is not known (standard input); the label alone shows. */
  update(percent: number | null, label: string): void {
    if (!this.enabled) return;
    const width = 30;
    const filled = Math.round((Math.max(0, Math.min(100, percent ?? 0)) / 100) * width);
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
    const head = percent === null ? '' : `${bar} ${String(Math.round(percent)).padStart(3)}%  `;
    const text = `\r${head}${label}`.slice(0, (this.out.columns || 100) - 1);
    if (text === this.last) return;
    this.last = text;
    this.out.write(text.padEnd(this.last.length));
  }

  done(): void {
    if (this.enabled && this.last) this.out.write('\n');
    this.last = '';
  }
}
