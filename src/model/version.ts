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

  /**
   * Reads "major.minor.build.revision" (one to four parts). Each part is a whole number from 0 to
   * 2,147,483,647: Dataverse reads a solution version as a .NET System.Version, whose parts are
   * 32-bit integers (Learn, "Version.Parse": OverflowException when a part is greater than
   * Int32.MaxValue). Leading zeros are allowed, as there ("0.0.0039"). `file`, when the version
   * was read from one, starts the message of a refusal.
   */
  static parse(text: string, file?: string): Version {
    const where = file ? `${file}: ` : '';
    const t = text.trim();
    if (/^\d+(\.\d+){0,3}$/.exec(t) === null) {
      throw new PackageError(
        'VERSION_INVALID',
        `${where}"${shown(text)}" is not a valid solution version.`,
        {
          hint:
            'A version is major.minor.build.revision: up to four ' +
            'non-negative whole numbers separated by dots, e.g. 1.0.0.0.',
        },
      );
    }
    const nums = t.split('.').map((p, i) => versionPart(p, i, t, where));
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

/** The largest value of a version part: Int32.MaxValue, as System.Version stores it. */
export const MAX_VERSION_PART = 2_147_483_647;

const PART_NAMES = ['major', 'minor', 'build', 'revision'];

function versionPart(digits: string, index: number, version: string, where: string): number {
  const significant = digits.replace(/^0+(?=\d)/, '');
  const value = significant.length > 10 ? Infinity : Number(significant);
  if (value <= MAX_VERSION_PART) return value;
  throw new PackageError(
    'VERSION_PART_TOO_LARGE',
    `${where ? `${where}version` : 'Version'} "${shown(version)}": its ${PART_NAMES[index]} part ${shown(significant)} is ` +
      'larger than 2,147,483,647, the largest a version part can be.',
    {
      hint:
        'Each part of a solution version is a whole number from 0 to 2,147,483,647 ' +
        '(Dataverse stores it as a 32-bit integer). Export the solution with a smaller version.',
    },
  );
}

/** A version quoted in a message: hostile packages carry versions of a megabyte. */
function shown(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
