import { categoryOf, type CodeOf, type ErrorCategory, type ErrorCode } from './error-codes.js';

/**
 * Every failure strata reports is a StrataError: a stable `code` declared in
 * model/error-codes.ts (which gives it a category), the component it concerns (when there is
 * one), and a hint saying what to do next. Messages are written for the person at the terminal.
 */
export interface ComponentRef {
  type: string;
  key: string;
  name?: string;
}

export interface ErrorOptions {
  hint?: string;
  component?: ComponentRef;
  details?: unknown;
  /** the import job that recorded this failure, when there is one */
  jobId?: string;
  cause?: unknown;
}

export class StrataError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;
  readonly component?: ComponentRef;
  readonly details?: unknown;
  readonly jobId?: string;

  constructor(code: ErrorCode, message: string, opts: ErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'StrataError';
    this.code = code;
    this.hint = opts.hint;
    this.component = opts.component;
    this.details = opts.details;
    this.jobId = opts.jobId;
  }

  get category(): ErrorCategory {
    return categoryOf(this.code);
  }

  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      ...(this.hint ? { hint: this.hint } : {}),
      ...(this.component ? { component: this.component } : {}),
      ...(this.details !== undefined ? { details: this.details } : {}),
      ...(this.jobId ? { jobId: this.jobId } : {}),
    };
  }
}

/** A package that cannot be read: bad container, bad XML, limits exceeded. */
export class PackageError extends StrataError {
  constructor(
    code: CodeOf<'bad-package' | 'too-large'>,
    message: string,
    opts: Omit<ErrorOptions, 'jobId'> = {},
  ) {
    super(code, message, opts);
    this.name = 'PackageError';
  }
}

export interface MissingComponent {
  type: string;
  typeCode: number | null;
  key: string;
  name?: string;
  id?: string;
  /** The solution that provides it, as declared by the package ("Name (1.0.0.0)") */
  solution?: string;
  /**
   * The component of the package that needs it: a strata type name and key (a Dataverse type
   * code when the package declares a dependent strata cannot identify), and its name when the
   * package gives one
   */
  requiredBy?: Dependent;
  /** Other components of the package that need it too */
  alsoRequiredBy?: Dependent[];
  /**
   * The solution that provides it is a first-party solution of the environment's template, in
   * a lower version than the package requires
   */
  versionTooLow?: { solution: string; required: string; installed: string };
}

/** A component of the package that needs a missing one (MissingComponent.requiredBy). */
export interface Dependent {
  type: string;
  key: string;
  name?: string;
  /** the name its type is shown by, when the type alone does not say it (a workflow's Category) */
  displayType?: string;
}

/**
 * Where a missing component would come from, as messages say it: "provided by FieldService
 * (8.2.0.286)", or, when the environment has that solution in a lower version, "needs
 * FieldService 9.1.0.0; this environment has 8.8.0.88". Empty when the package does not say.
 */
export function missingSource(m: MissingComponent): string {
  const low = m.versionTooLow;
  if (low) return `needs ${low.solution} ${low.required}; this environment has ${low.installed}`;
  return m.solution ? `provided by ${m.solution}` : '';
}

/** Import refused because required components are in neither the package nor the environment. */
export class MissingDependenciesError extends StrataError {
  readonly missing: MissingComponent[];
  constructor(solution: string, missing: MissingComponent[], jobId?: string) {
    const lines = missing.slice(0, 20).map((m) => {
      const id = m.id ? ` (${m.id})` : '';
      const from = m.solution ? ` — ${missingSource(m)}` : '';
      return `  - ${m.type} ${m.name ?? m.key}${id}${from}`;
    });
    const more = missing.length > 20 ? `\n  … and ${missing.length - 20} more (see --json)` : '';
    super(
      'MISSING_DEPENDENCIES',
      `The following solution cannot be imported: ${solution}. ` +
        `Some dependencies are missing (${missing.length}):\n${lines.join('\n')}${more}`,
      {
        hint:
          'Install the solutions that provide these components first, ' +
          'or add the components to the package.',
        details: { missing },
        jobId,
      },
    );
    this.name = 'MissingDependenciesError';
    this.missing = missing;
  }
}
