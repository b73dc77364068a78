import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

function packageJsonPath(): string {
  // src/cli/version.ts and dist/src/cli/version.js both sit below the project root
  const here = fileURLToPath(import.meta.url);
  return here.replace(/(\/dist)?\/src\/cli\/version\.[jt]s$/, '/package.json');
}

/** strata's version, from its package.json. */
export function strataVersion(): string {
  return (JSON.parse(readFileSync(packageJsonPath(), 'utf8')) as { version: string }).version;
}
