import {
  variableTypeName,
  type ComponentValues,
  type ConnectionReferenceDefinition,
  type VariableDefinition,
} from '../model/environment-variables.js';
import { StrataError } from '../model/errors.js';
import type { SolutionPackage } from './read.js';
import { childText, parseXml, type XmlElement } from './xml.js';

/**
 * pac's deployment settings file (`pac solution create-settings`, `pac solution import
 * --settings-file`): the environment variables and connection references of a package, each with
 * the value or connection the target environment should get.
 */
export interface DeploymentSettings {
  EnvironmentVariables: Array<{ SchemaName: string; Value: string }>;
  ConnectionReferences: Array<{ LogicalName: string; ConnectionId: string; ConnectorId: string }>;
}

function label(el: XmlElement, name: string): string | undefined {
  const found = el.children.find((c) => c.name === name);
  return found?.attrs.default ?? found?.text.trim() ?? undefined;
}

/** An environmentvariabledefinition component's XML, read. */
export function variableDefinitionOf(xml: string, fallbackName: string): VariableDefinition {
  const el = parseXml(xml, `environmentvariabledefinition ${fallbackName}`);
  const schemaName = el.attrs.schemaname ?? childText(el, 'schemaname') ?? fallbackName;
  const typeCode = Number(childText(el, 'type') ?? 100000000);
  const defaultValue = el.children.find((c) => c.name === 'defaultvalue');
  return {
    schemaName,
    displayName: label(el, 'displayname') || schemaName,
    typeCode,
    type: variableTypeName(typeCode),
    defaultValue: defaultValue ? defaultValue.text : null,
    isRequired: (childText(el, 'isrequired') ?? '0').trim() === '1',
  };
}

/** A connectionreference component's XML, read. */
export function connectionReferenceOf(
  xml: string,
  fallbackName: string,
): ConnectionReferenceDefinition {
  const el = parseXml(xml, `connectionreference ${fallbackName}`);
  const logicalName =
    el.attrs.connectionreferencelogicalname ??
    childText(el, 'connectionreferencelogicalname') ??
    fallbackName;
  return {
    logicalName,
    displayName: childText(el, 'connectionreferencedisplayname')?.trim() || logicalName,
    connectorId: childText(el, 'connectorid')?.trim() ?? '',
  };
}

/** The environment variable definitions and connection references a package holds, in order. */
export function packageParameters(pkg: SolutionPackage): {
  variables: VariableDefinition[];
  connectionReferences: ConnectionReferenceDefinition[];
} {
  const variables: VariableDefinition[] = [];
  const connectionReferences: ConnectionReferenceDefinition[] = [];
  for (const c of pkg.components) {
    if (c.type === 'environmentvariabledefinition' && c.xml)
      variables.push(variableDefinitionOf(c.xml, c.name));
    else if (c.type === 'connectionreference' && c.xml)
      connectionReferences.push(connectionReferenceOf(c.xml, c.name));
  }
  return { variables, connectionReferences };
}

/**
 * The value a package carries for a variable (environmentvariablevalues.json beside its
 * definition), or null. The file is `{"environmentvariablevalues": {"environmentvariablevalue":
 * {"value": …}}}` in Dataverse's exports.
 */
export function packageValueOf(pkg: SolutionPackage, schemaName: string): string | null {
  const c = pkg.components.find(
    (x) => x.type === 'environmentvariablevalue' && x.key === schemaName.toLowerCase(),
  );
  const file = c?.files?.[0];
  const bytes = file ? pkg.files.get(file) : undefined;
  if (!bytes) return null;
  try {
    const json = JSON.parse(new TextDecoder().decode(bytes)) as {
      environmentvariablevalues?: { environmentvariablevalue?: unknown };
    };
    let v = json.environmentvariablevalues?.environmentvariablevalue;
    if (Array.isArray(v)) v = v[0];
    const value = (v as { value?: unknown } | undefined)?.value;
    return typeof value === 'string' ? value : null;
  } catch {
    return null;
  }
}

/**
 * What `strata create-settings` writes, as pac writes it: every variable with an empty Value,
 * every connection reference with an empty ConnectionId and its connector.
 */
export function settingsTemplate(pkg: SolutionPackage): DeploymentSettings {
  const { variables, connectionReferences } = packageParameters(pkg);
  return {
    EnvironmentVariables: variables.map((v) => ({ SchemaName: v.schemaName, Value: '' })),
    ConnectionReferences: connectionReferences.map((r) => ({
      LogicalName: r.logicalName,
      ConnectionId: '',
      ConnectorId: r.connectorId,
    })),
  };
}

function invalid(source: string, message: string): StrataError {
  return new StrataError('DEPLOYMENT_SETTINGS_INVALID', `${source}: ${message}`, {
    hint:
      'A deployment settings file is {"EnvironmentVariables": [{"SchemaName", "Value"}], ' +
      '"ConnectionReferences": [{"LogicalName", "ConnectionId", "ConnectorId"}]}; ' +
      'strata create-settings PKG writes one to fill in.',
  });
}

function stringField(source: string, where: string, o: Record<string, unknown>, k: string): string {
  const v = o[k];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw invalid(source, `${where}.${k} must be a string.`);
  return v;
}

function entries(
  source: string,
  doc: Record<string, unknown>,
  k: string,
): Record<string, unknown>[] {
  const list = doc[k];
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw invalid(source, `${k} must be an array.`);
  return list.map((e, i) => {
    if (!e || typeof e !== 'object' || Array.isArray(e))
      throw invalid(source, `${k}[${i}] must be an object.`);
    return e as Record<string, unknown>;
  });
}

/**
 * A deployment settings file, read. Entries with an empty Value or ConnectionId set nothing (a
 * file fresh from create-settings changes nothing); anything not of the file's shape is
 * DEPLOYMENT_SETTINGS_INVALID. Names are checked against the package later (engine).
 */
export function parseDeploymentSettings(text: string, source: string): ComponentValues {
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw invalid(source, `not JSON (${(e as Error).message}).`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    throw invalid(source, 'the file must hold a JSON object.');
  const o = doc as Record<string, unknown>;
  for (const k of Object.keys(o))
    if (k !== 'EnvironmentVariables' && k !== 'ConnectionReferences')
      throw invalid(source, `unknown property ${JSON.stringify(k)}.`);
  const variables = entries(source, o, 'EnvironmentVariables').map((e, i) => {
    const where = `EnvironmentVariables[${i}]`;
    const schemaName = stringField(source, where, e, 'SchemaName');
    if (!schemaName) throw invalid(source, `${where} has no SchemaName.`);
    return { schemaName, value: stringField(source, where, e, 'Value') };
  });
  const connections = entries(source, o, 'ConnectionReferences').map((e, i) => {
    const where = `ConnectionReferences[${i}]`;
    const logicalName = stringField(source, where, e, 'LogicalName');
    if (!logicalName) throw invalid(source, `${where} has no LogicalName.`);
    stringField(source, where, e, 'ConnectorId');
    return { logicalName, connectionId: stringField(source, where, e, 'ConnectionId') };
  });
  return {
    variables: variables.filter((v) => v.value !== ''),
    connections: connections.filter((c) => c.connectionId !== ''),
  };
}
