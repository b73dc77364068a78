import { createHash } from 'node:crypto';

/**
 * Where an environment's records live: one SQL schema per environment, named after the schema
 * strata's own tables are in (`public__env_7`), so that several strata databases (the test
 * suites' private schemas) can share a server. Tables and columns take their logical names;
 * a name longer than PostgreSQL's 63 bytes is cut and ends with a hash of the whole name.
 * Columns a value needs besides its own end in `@` and a word (`ownerid@table`,
 * `new_file@name`): `@` is never part of a logical name, so they cannot collide.
 */
const MAX_IDENTIFIER = 63;

export function physicalName(logical: string): string {
  if (Buffer.byteLength(logical) <= MAX_IDENTIFIER) return logical;
  const hash = createHash('sha256').update(logical).digest('hex').slice(0, 8);
  return `${logical.slice(0, MAX_IDENTIFIER - 9)}_${hash}`;
}

/** A quoted SQL identifier (names come from definitions: always quoted, never spliced bare). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The schema of an environment's records, given the schema strata's tables are in. */
export function recordSchemaName(baseSchema: string, envId: number): string {
  return physicalName(`${baseSchema}__env_${envId}`);
}

/** `"schema"."table"` for a table's logical name. */
export function tableRef(schema: string, table: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(physicalName(table))}`;
}

/** The physical column of a logical column, or of one of its companions (`@table`, `@name`). */
export function columnIdent(column: string, companion?: 'table' | 'name' | 'size'): string {
  return quoteIdent(physicalName(companion ? `${column}@${companion}` : column));
}
