import { readFileSync, writeFileSync } from 'node:fs';
import {
  listEnvironmentVariables,
  setEnvironmentVariable,
} from '../../engine/environment-variables.js';
import type { ComponentValues } from '../../model/environment-variables.js';
import { StrataError } from '../../model/errors.js';
import { parseDeploymentSettings, settingsTemplate } from '../../package/deployment-settings.js';
import { readPackage } from '../../package/read.js';
import type { ImportPlan } from '../../plans/import-plan.js';
import { usage, type ArgsOf, type Io } from '../command.js';
import { environmentName, withStore } from '../context.js';
import { readOptions } from '../flags.js';
import { table } from '../render.js';
import type { CREATE_SETTINGS, ENV_VAR_LIST, ENV_VAR_SET } from './index.js';

/**
 * Environment variables and connection references from the command line: pac's deployment
 * settings file (create-settings, import --settings-file) and `env-var list/set`.
 */

export async function createSettingsCommand(
  { values, positionals }: ArgsOf<typeof CREATE_SETTINGS>,
  io: Io,
): Promise<number> {
  if (positionals.length !== 1)
    throw usage('create-settings takes one package: a .zip or .cab file, or a folder.');
  const settings = settingsTemplate(readPackage(positionals[0], readOptions(values)));
  const text = JSON.stringify(settings, null, 2) + '\n';
  if (!values.out) {
    io.out(text.trimEnd());
    return 0;
  }
  writeFileSync(values.out, text);
  if (values.json)
    io.out(
      JSON.stringify({
        file: values.out,
        environmentVariables: settings.EnvironmentVariables.length,
        connectionReferences: settings.ConnectionReferences.length,
      }),
    );
  else
    io.out(
      `Wrote ${values.out}: ${settings.EnvironmentVariables.length} environment variable(s), ` +
        `${settings.ConnectionReferences.length} connection reference(s). Fill in Value and ` +
        'ConnectionId, then strata import PKG --settings-file ' +
        `${values.out}.`,
    );
  return 0;
}

/** `--settings-file FILE`, read: the values for the import's plan options. */
export function settingsFileValues(file: string | undefined): ComponentValues | undefined {
  if (!file) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new StrataError(
      'DEPLOYMENT_SETTINGS_INVALID',
      `${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`,
      { hint: 'strata create-settings PKG -o settings.json writes one to fill in.' },
    );
  }
  return parseDeploymentSettings(text, file);
}

/** The plan's environment variables without a value and references without a connection. */
export function parameterLines(plan: ImportPlan): string[] {
  const p = plan.parameters;
  if (!p || (!p.variables.length && !p.connectionReferences.length)) return [];
  const out: string[] = [];
  const given = p.variables.filter((v) => v.source === 'settings').length;
  const noValue = p.variables.filter((v) => v.source === 'none');
  const noConnection = p.connectionReferences.filter((r) => r.source === 'none');
  out.push(
    `\nEnvironment variables: ${p.variables.length} (${given} given, ` +
      `${noValue.length} without a value); connection references: ` +
      `${p.connectionReferences.length} (${noConnection.length} without a connection)`,
  );
  if (noValue.length)
    out.push(
      table(
        ['Variable without a value', 'Type', 'Required'],
        noValue.map((v) => [v.schemaName, v.type, v.isRequired ? 'yes' : 'no']),
      ),
    );
  if (noConnection.length)
    out.push(
      table(
        ['Connection reference without a connection', 'Connector'],
        noConnection.map((r) => [r.logicalName, r.connectorId.replace(/^.*\/apis\//, '')]),
      ),
    );
  return out;
}

export async function envVarList({ values }: ArgsOf<typeof ENV_VAR_LIST>, io: Io): Promise<number> {
  const listed = await withStore(async (store) =>
    listEnvironmentVariables(store, await environmentName(store, values.env)),
  );
  if (values.json) {
    io.out(JSON.stringify(listed, null, 2));
    return 0;
  }
  if (!listed.variables.length) io.out('No environment variables.');
  else
    io.out(
      table(
        ['Schema name', 'Type', 'Required', 'Default', 'Value'],
        listed.variables.map((v) => [
          v.schemaName,
          v.type,
          v.isRequired ? 'yes' : 'no',
          v.defaultValue ?? '',
          v.value ?? '',
        ]),
      ),
    );
  if (listed.connectionReferences.length)
    io.out(
      '\n' +
        table(
          ['Connection reference', 'Connector', 'Connection'],
          listed.connectionReferences.map((r) => [
            r.logicalName,
            r.connectorId.replace(/^.*\/apis\//, ''),
            r.connectionId ?? '',
          ]),
        ),
    );
  return 0;
}

export async function envVarSet(
  { values, positionals }: ArgsOf<typeof ENV_VAR_SET>,
  io: Io,
): Promise<number> {
  if (positionals.length !== 2) throw usage('env-var set takes NAME VALUE.');
  const [name, value] = positionals;
  const set = await withStore(async (store) =>
    setEnvironmentVariable(store, await environmentName(store, values.env), name, value),
  );
  if (values.json) io.out(JSON.stringify(set, null, 2));
  else io.out(`${set.schemaName} = ${set.value}`);
  return 0;
}
