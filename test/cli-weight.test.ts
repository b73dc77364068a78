import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { readsOnly } from '../src/cli/main.js';
import { commandWeight, HEAVY_FILE_BYTES } from '../src/cli/weight.js';

/** Which commands run the embedded store light or heavy (decision 55). */
describe('command weight', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-weight-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const small = join(dir, 'small.zip');
  const large = join(dir, 'large.zip');
  writeFileSync(small, Buffer.alloc(1024));
  writeFileSync(large, Buffer.alloc(HEAVY_FILE_BYTES));

  test('reads and small packages are light', () => {
    assert.equal(commandWeight(['list']), 'light');
    assert.equal(commandWeight(['components', '--type', 'entity']), 'light');
    assert.equal(commandWeight(['import', small, '--env', 'qa']), 'light');
    assert.equal(commandWeight(['import', join(dir, 'missing.zip')]), 'light');
    assert.equal(commandWeight(['import', dir]), 'light', 'a folder is not weighed');
  });

  test('a large file, named on its own or after =, and the server are heavy', () => {
    assert.equal(commandWeight(['import', large]), 'heavy');
    assert.equal(commandWeight(['data', 'import', 'account', large]), 'heavy');
    assert.equal(commandWeight(['import', '--path=' + large]), 'heavy');
    assert.equal(commandWeight(['serve']), 'heavy');
  });

  // a read keeps V8's young generation small (cli/v8-settings.ts, decision 73); a write does not
  test('the commands that only read are told from those that write', () => {
    for (const argv of [['list'], ['components', '--type', 'entity'], ['env', 'list'], ['env']])
      assert.equal(readsOnly(argv), true, argv.join(' '));
    for (const argv of [
      ['import', small],
      ['env', 'create', 'qa'],
      ['delete', 'Contoso'],
      ['nonsense'],
      ['env', 'nonsense'],
      [],
    ])
      assert.equal(readsOnly(argv), false, argv.join(' '));
  });
});
