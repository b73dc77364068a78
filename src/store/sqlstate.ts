/**
 * PostgreSQL's error codes (SQLSTATE, Appendix A of its manual) that strata acts on. Both
 * adapters report them as the thrown error's `code`, a five-character string: node-postgres'
 * DatabaseError and PGlite's DatabaseError alike. Only store/ reads them: it turns them into
 * StrataErrors or results, so nothing above the store knows which database it talks to.
 */
const UNIQUE_VIOLATION = '23505';
const LOCK_NOT_AVAILABLE = '55P03';

function sqlstateOf(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The database refused a row because a unique index (or primary key) already holds its key. */
export function isUniqueViolation(e: unknown): boolean {
  return sqlstateOf(e) === UNIQUE_VIOLATION;
}

/**
 * The database refused a value (class 22, data exception: too long for its column, out of range,
 * not of the column's type). The record API checks values first; this is what a copy between
 * columns, which the database casts, runs into.
 */
export function isDataException(e: unknown): boolean {
  return sqlstateOf(e)?.startsWith('22') ?? false;
}

/** A row lock asked for with NOWAIT is held by another transaction. */
export function isLockNotAvailable(e: unknown): boolean {
  return sqlstateOf(e) === LOCK_NOT_AVAILABLE;
}
