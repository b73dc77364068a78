import { StrataError } from './errors.js';

/**
 * Environment variables and connection references as Dataverse models them: the definitions
 * (environmentvariabledefinition, connectionreference) ship in solutions as components; the
 * values (environmentvariablevalue records) and the connections a reference uses belong to the
 * environment. An import takes values from pac's deployment settings file or the Web API's
 * ComponentParameters: both become ComponentValues.
 */

/** environmentvariabledefinition.type, Dataverse's option values. */
export const VARIABLE_TYPES = {
  100000000: 'String',
  100000001: 'Number',
  100000002: 'Boolean',
  100000003: 'JSON',
  100000004: 'Data source',
  100000005: 'Secret',
} as const;

export type VariableTypeCode = keyof typeof VARIABLE_TYPES;

export interface VariableDefinition {
  schemaName: string;
  displayName: string;
  typeCode: number;
  /** the type's name, or "Unknown (code)" */
  type: string;
  defaultValue: string | null;
  isRequired: boolean;
}

export interface ConnectionReferenceDefinition {
  logicalName: string;
  displayName: string;
  /** /providers/Microsoft.PowerApps/apis/shared_… */
  connectorId: string;
}

/** Values given to an import (names as the package spells them; matched ignoring case). */
export interface ComponentValues {
  variables: Array<{ schemaName: string; value: string }>;
  connections: Array<{ logicalName: string; connectionId: string }>;
}

export function variableTypeName(code: number): string {
  return VARIABLE_TYPES[code as VariableTypeCode] ?? `Unknown (${code})`;
}

/**
 * A value checked against its definition's type, as Dataverse's maker portal checks it: a
 * Number is a decimal number, a Boolean is yes or no (true/false are taken and stored as
 * yes/no), JSON parses. Returns the value to store; ENVIRONMENT_VARIABLE_VALUE_INVALID otherwise.
 */
export function checkVariableValue(def: VariableDefinition, value: string): string {
  const invalid = (what: string): StrataError =>
    new StrataError(
      'ENVIRONMENT_VARIABLE_VALUE_INVALID',
      `${def.schemaName} is a ${def.type} variable: ${JSON.stringify(value)} is not ${what}.`,
      {
        hint: 'Give a value of the variable’s type (strata env-var list shows each type).',
        component: { type: 'environmentvariabledefinition', key: def.schemaName.toLowerCase() },
      },
    );
  switch (def.typeCode) {
    case 100000001:
      if (!/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(value.trim()))
        throw invalid('a number');
      return value.trim();
    case 100000002: {
      const v = value.trim().toLowerCase();
      if (v === 'yes' || v === 'true') return 'yes';
      if (v === 'no' || v === 'false') return 'no';
      throw invalid('yes or no');
    }
    case 100000003:
      try {
        JSON.parse(value);
      } catch {
        throw invalid('JSON');
      }
      return value;
    default:
      return value;
  }
}
