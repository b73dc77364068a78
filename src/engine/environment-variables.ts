import { EMPTY_QUERY } from '../model/record-query.js';
import {
  checkVariableValue,
  type ComponentValues,
  type ConnectionReferenceDefinition,
  type VariableDefinition,
} from '../model/environment-variables.js';
import { StrataError } from '../model/errors.js';
import { stableGuid } from '../model/stable-guid.js';
import {
  connectionReferenceOf,
  packageParameters,
  packageValueOf,
} from '../package/deployment-settings.js';
import type { SolutionPackage } from '../package/read.js';
import type {
  ImportPlan,
  PlannedConnectionReference,
  PlannedParameters,
  PlannedVariable,
} from '../plans/import-plan.js';
import type { Refusal } from '../plans/refusal.js';
import { findEnvironment } from '../store/environments.js';
import { updateRecord as updateRow } from '../store/records.js';
import { lockEnvironment } from '../store/revision.js';
import type { Queryable, Store } from '../store/store.js';
import { storedDefinitionsOfType } from '../store/table-definitions.js';
import { variableDefinitionOf } from '../package/deployment-settings.js';
import { allRecords } from './records/query.js';
import { createIn, shapeOf, writableShape } from './records/records.js';
import { columnValues, writerValues, type RecordValues } from './records/values.js';

/**
 * Environment variables and connection references (decision 50). Definitions are components:
 * they arrive, change and go with solutions. Values are the environment's: a value is a record
 * of the environment's `environmentvariablevalue` table (schemaname, value), and the connection
 * a reference uses is `connectionid` on the record of its `connectionreference` table. So an
 * upgrade, which replaces layers, leaves them as they are, and an export, which writes layers,
 * leaves them out. An import writes the values it is given in its own transaction.
 */

const VALUES = 'environmentvariablevalue';
const REFERENCES = 'connectionreference';

interface EnvironmentValues {
  /** lower-case schema name → the value record */
  variables: Map<string, RecordValues>;
  /** lower-case logical name → the connection reference record */
  connections: Map<string, RecordValues>;
}

/** Records of a table, all of them (none when the environment has no such table). */
async function recordsOf(db: Queryable, envId: number, table: string): Promise<RecordValues[]> {
  if (!(await shapeOf(db, envId, table))) return [];
  const out: RecordValues[] = [];
  for await (const r of allRecords(db, { envId, table }, EMPTY_QUERY)) out.push(r);
  return out;
}

async function environmentValues(db: Queryable, envId: number): Promise<EnvironmentValues> {
  const byName = (rows: RecordValues[], column: string): Map<string, RecordValues> =>
    new Map(
      rows
        .filter((r) => typeof r[column] === 'string')
        .map((r) => [String(r[column]).toLowerCase(), r]),
    );
  return {
    variables: byName(await recordsOf(db, envId, VALUES), 'schemaname'),
    connections: byName(await recordsOf(db, envId, REFERENCES), 'connectionreferencelogicalname'),
  };
}

const stringOf = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/**
 * The given values checked against the package: every name must be one of its definitions
 * (DEPLOYMENT_SETTINGS_INVALID names the others), every value of its variable's type.
 */
function checkGiven(
  given: ComponentValues,
  variables: VariableDefinition[],
  references: ConnectionReferenceDefinition[],
): { variables: Map<string, string>; connections: Map<string, string> } {
  const defs = new Map(variables.map((v) => [v.schemaName.toLowerCase(), v]));
  const refs = new Set(references.map((r) => r.logicalName.toLowerCase()));
  const unknownVars = given.variables.filter((v) => !defs.has(v.schemaName.toLowerCase()));
  const unknownRefs = given.connections.filter((c) => !refs.has(c.logicalName.toLowerCase()));
  if (unknownVars.length || unknownRefs.length)
    throw new StrataError(
      'DEPLOYMENT_SETTINGS_INVALID',
      'The settings name what the package does not hold: ' +
        [
          ...unknownVars.map((v) => `environment variable ${v.schemaName}`),
          ...unknownRefs.map((c) => `connection reference ${c.logicalName}`),
        ].join(', ') +
        '.',
      {
        hint:
          `The package has ${variables.length} environment variable(s) and ` +
          `${references.length} connection reference(s); strata create-settings PKG lists them.`,
      },
    );
  return {
    variables: new Map(
      given.variables.map((v) => {
        const key = v.schemaName.toLowerCase();
        return [key, checkVariableValue(defs.get(key)!, v.value)];
      }),
    ),
    connections: new Map(
      given.connections.map((c) => [c.logicalName.toLowerCase(), c.connectionId]),
    ),
  };
}

function plannedVariable(
  def: VariableDefinition,
  given: string | undefined,
  stored: string | null,
  carried: string | null,
): PlannedVariable {
  const base = {
    schemaName: def.schemaName,
    displayName: def.displayName,
    type: def.type,
    isRequired: def.isRequired,
    defaultValue: def.defaultValue,
  };
  if (given !== undefined) return { ...base, source: 'settings', value: given };
  if (stored !== null) return { ...base, source: 'environment', value: stored };
  if (carried !== null) return { ...base, source: 'package', value: carried };
  if (def.defaultValue !== null && def.defaultValue !== '')
    return { ...base, source: 'default', value: def.defaultValue };
  return { ...base, source: 'none', value: null };
}

/**
 * The package's variables and connection references with where each value and connection will
 * come from, and ENVIRONMENT_VARIABLE_VALUE_MISSING for each required variable that would have
 * none: neither given, nor in the environment, nor in the package, nor a default. Values given
 * that the package has no definition for, or of the wrong type, throw (nothing is written).
 */
export async function planParameters(
  db: Queryable,
  envId: number,
  pkg: SolutionPackage,
  given: ComponentValues | undefined,
): Promise<{ parameters: PlannedParameters; refusals: Refusal[] }> {
  const { variables, connectionReferences } = packageParameters(pkg);
  const checked = checkGiven(
    given ?? { variables: [], connections: [] },
    variables,
    connectionReferences,
  );
  if (!variables.length && !connectionReferences.length)
    return { parameters: { variables: [], connectionReferences: [] }, refusals: [] };
  const env = await environmentValues(db, envId);
  const planned = variables.map((def) => {
    const key = def.schemaName.toLowerCase();
    return plannedVariable(
      def,
      checked.variables.get(key),
      stringOf(env.variables.get(key)?.value),
      packageValueOf(pkg, def.schemaName),
    );
  });
  const references = connectionReferences.map((r): PlannedConnectionReference => {
    const key = r.logicalName.toLowerCase();
    const givenId = checked.connections.get(key);
    const storedId = stringOf(env.connections.get(key)?.connectionid);
    return {
      logicalName: r.logicalName,
      displayName: r.displayName,
      connectorId: r.connectorId,
      source: givenId ? 'settings' : storedId ? 'environment' : 'none',
      connectionId: givenId ?? storedId,
    };
  });
  const refusals = planned
    .filter((v) => v.isRequired && v.source === 'none')
    .map((v): Refusal => ({
      code: 'ENVIRONMENT_VARIABLE_VALUE_MISSING',
      message: `The environment variable ${v.schemaName} is required and has no value: none was given, the environment has none, and its definition has no default.`,
      hint:
        'Give it a value: strata create-settings PKG -o settings.json, fill in its Value, ' +
        'then import with --settings-file settings.json (or set it first: strata env-var set).',
      component: {
        type: 'environmentvariabledefinition',
        key: v.schemaName.toLowerCase(),
        name: v.schemaName,
      },
    }));
  return { parameters: { variables: planned, connectionReferences: references }, refusals };
}

/** The plan with its parameters and their refusals (replacing those of an earlier count). */
export async function assessParameters(
  db: Queryable,
  envId: number,
  plan: ImportPlan,
  pkg: SolutionPackage,
): Promise<ImportPlan> {
  const { parameters, refusals } = await planParameters(
    db,
    envId,
    pkg,
    plan.options.componentValues,
  );
  const others = plan.blocked.filter((b) => b.code !== 'ENVIRONMENT_VARIABLE_VALUE_MISSING');
  return { ...plan, parameters, blocked: [...others, ...refusals] };
}

/** Creates or updates the one record of `table` whose `nameColumn` is `name`. */
async function upsertByName(
  tx: Queryable,
  envId: number,
  table: string,
  nameColumn: string,
  name: string,
  existing: RecordValues | undefined,
  values: RecordValues,
): Promise<void> {
  const shape = await writableShape(tx, { envId, table });
  const id = existing?.[shape.primaryId];
  if (typeof id === 'string') {
    const checked = [
      ...columnValues(shape, values, 'update'),
      ...writerValues(shape, envId, 'update'),
    ];
    await updateRow(tx, envId, shape, id, checked);
    return;
  }
  await createIn(tx, envId, shape, [
    {
      [shape.primaryId]: stableGuid('environment', envId, table, name.toLowerCase()),
      [nameColumn]: name,
      ...values,
    },
  ]);
}

/**
 * Writes the values and connections given to an import (those the plan took from the settings),
 * inside the import's transaction.
 */
export async function writeParameters(
  tx: Queryable,
  envId: number,
  parameters: PlannedParameters | undefined,
): Promise<void> {
  if (!parameters) return;
  const variables = parameters.variables.filter((v) => v.source === 'settings');
  const references = parameters.connectionReferences.filter((r) => r.source === 'settings');
  if (!variables.length && !references.length) return;
  const env = await environmentValues(tx, envId);
  for (const v of variables)
    await upsertByName(
      tx,
      envId,
      VALUES,
      'schemaname',
      v.schemaName,
      env.variables.get(v.schemaName.toLowerCase()),
      {
        value: v.value,
        environmentvariabledefinitionid: definitionId(envId, v.schemaName),
      },
    );
  for (const r of references)
    await upsertByName(
      tx,
      envId,
      REFERENCES,
      'connectionreferencelogicalname',
      r.logicalName,
      env.connections.get(r.logicalName.toLowerCase()),
      {
        connectionid: r.connectionId,
        connectorid: r.connectorId,
        connectionreferencedisplayname: r.displayName,
      },
    );
}

/** The id a definition is known by in the environment's records (environmentvariablevalue's lookup). */
function definitionId(envId: number, schemaName: string): string {
  return stableGuid(
    'environment',
    envId,
    'environmentvariabledefinition',
    schemaName.toLowerCase(),
  );
}

/** An environment variable of an environment, as `strata env-var list` shows it. */
export interface EnvironmentVariable {
  schemaName: string;
  displayName: string;
  type: string;
  isRequired: boolean;
  defaultValue: string | null;
  /** the environment's value (environmentvariablevalue), or null */
  value: string | null;
  /** what flows read: the value, else the default */
  currentValue: string | null;
}

export interface EnvironmentConnectionReference {
  logicalName: string;
  displayName: string;
  connectorId: string;
  connectionId: string | null;
}

/**
 * The environment variables of an environment (their definitions as its layers have them now,
 * with the environment's values) and its connection references with their connections.
 */
export async function listEnvironmentVariables(
  db: Queryable,
  environment: string,
): Promise<{
  variables: EnvironmentVariable[];
  connectionReferences: EnvironmentConnectionReference[];
}> {
  const env = await findEnvironment(db, environment);
  const values = await environmentValues(db, env.id);
  const defs = await storedDefinitionsOfType(db, env.id, 'environmentvariabledefinition');
  const refs = await storedDefinitionsOfType(db, env.id, 'connectionreference');
  const variables = [...defs]
    .map(([key, xml]) => {
      const def = variableDefinitionOf(xml, key);
      const value = stringOf(values.variables.get(key)?.value);
      return {
        schemaName: def.schemaName,
        displayName: def.displayName,
        type: def.type,
        isRequired: def.isRequired,
        defaultValue: def.defaultValue,
        value,
        currentValue: value ?? def.defaultValue,
      };
    })
    .sort((a, b) => a.schemaName.localeCompare(b.schemaName));
  const connectionReferences = [...refs]
    .map(([key, xml]) => {
      const r = connectionReferenceOf(xml, key);
      return { ...r, connectionId: stringOf(values.connections.get(key)?.connectionid) };
    })
    .sort((a, b) => a.logicalName.localeCompare(b.logicalName));
  return { variables, connectionReferences };
}

/**
 * Sets an environment variable's value in the environment (one transaction, under the
 * environment's lock); ENVIRONMENT_VARIABLE_NOT_FOUND when no installed solution defines it.
 */
export async function setEnvironmentVariable(
  store: Store,
  environment: string,
  schemaName: string,
  value: string,
): Promise<EnvironmentVariable> {
  return store.transaction(async (tx) => {
    const env = await findEnvironment(tx, environment);
    await lockEnvironment(tx, env.id);
    const key = schemaName.toLowerCase();
    const xml = (await storedDefinitionsOfType(tx, env.id, 'environmentvariabledefinition')).get(
      key,
    );
    if (!xml)
      throw new StrataError(
        'ENVIRONMENT_VARIABLE_NOT_FOUND',
        `${environment} has no environment variable ${schemaName}.`,
        {
          hint: 'strata env-var list shows the variables the installed solutions define.',
          component: { type: 'environmentvariabledefinition', key },
        },
      );
    const def = variableDefinitionOf(xml, schemaName);
    const stored = checkVariableValue(def, value);
    const values = await environmentValues(tx, env.id);
    await upsertByName(
      tx,
      env.id,
      VALUES,
      'schemaname',
      def.schemaName,
      values.variables.get(key),
      {
        value: stored,
        environmentvariabledefinitionid: definitionId(env.id, def.schemaName),
      },
    );
    return {
      schemaName: def.schemaName,
      displayName: def.displayName,
      type: def.type,
      isRequired: def.isRequired,
      defaultValue: def.defaultValue,
      value: stored,
      currentValue: stored,
    };
  });
}
