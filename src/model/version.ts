import { PackageError } from './errors.js';

/**
 * A solution version: major.minor.build.revision, compared numerically part by part.
 * Missing parts count as 0 ("1.0" equals "1.0.0.0"); the original text is kept for display
 * and faithful export ("0.0.0039" stays "0.0.0039").
 */
export class Version {
  readonly parts: readonly [number, number, number, number];
  readonly text: string;

  private constructor(parts: [number, number, number, number], text: string) {
    this.parts = parts;
    this.text = text;
  }

  static parse(text: string): Version {
    const t = text.trim();
    if (!t.match(/^\d{1,10}(\.\d{1,10}){0,3}$/)) {
      throw new PackageError('VERSION_INVALID', `"${text}" is not a valid solution version.`, {
        hint:
          'A version is major.minor.build.revision: up to four ' +
          'non-negative whole numbers separated by dots, e.g. 1.0.0.0.',
      });
    }
    const nums = t.split('.').map((p) => Number.parseInt(p, 10));
    while (nums.length < 4) nums.push(0);
    return new Version(nums as [number, number, number, number], t);
  }

  get major(): number {
    return this.parts[0];
  }
  get minor(): number {
    return this.parts[1];
  }
  get build(): number {
    return this.parts[2];
  }
  get revision(): number {
    return this.parts[3];
  }

  compare(other: Version): number {
    for (let i = 0; i < 4; i++) {
      const d = this.parts[i] - other.parts[i];
      if (d !== 0) return d < 0 ? -1 : 1;
    }
    return 0;
  }

  equals(other: Version): boolean {
    return this.compare(other) === 0;
  }
  isHigherThan(other: Version): boolean {
    return this.compare(other) > 0;
  }

  /** The canonical four-part form, used as a comparable key. */
  toCanonical(): string {
    return this.parts.join('.');
  }
  toString(): string {
    return this.text;
  }
}
