/** Plain-text rendering for the terminal: aligned tables and a progress bar on stderr. */
export function table(
  headers: string[],
  rows: Array<Array<string | number | boolean | null | undefined>>,
): string {
  const cells = rows.map((r) => r.map((c) => (c === null || c === undefined ? '' : String(c))));
  const widths = headers.map((h, i) =>
    Math.min(60, Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length))),
  );
  const fit = (s: string, w: number): string =>
    s.length > w ? s.slice(0, w - 1) + '…' : s.padEnd(w);
  const line = (r: string[]): string =>
    r
      .map((c, i) => fit(c, widths[i]))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
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
