/**
 * pac compatibility of the command line: pac's long and short flag names do what pac's do on
 * real packages (import -p X -pc -ap, -h, -slv, upgrade/delete -sn, export -n -p -m -ow,
 * --skip-dependency-check), an unknown flag names the closest, per-command help describes each
 * flag, pack/unpack --packagetype Both, `strata version DIR`, and tables aligned by display
 * width with the Japanese fixture's names. On the embedded store.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { displayWidth, fitWidth, table } from '../src/cli/render.js';
import { readPackage } from '../src/package/read.js';
import { runCli as strata, useTempHome } from './support/cli.js';
import { HAVE_REAL_FIXTURES, NO_FIXTURES_REASON, realFixture } from './support/fixtures.js';
import { buildPackage } from './support/package-builder.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const GQS = (v: string, managed: boolean): string =>
  realFixture(
    `crm2011-globalquicksearch-series/GlobalQuickSearch_${v}${managed ? '_managed' : ''}.zip`,
  );
const STEP = 'sdkmessageprocessingstep';
const STEP_KEY = '{6eadaef0-6da9-e211-b925-78e3b5116629}';

const json = async (...argv: string[]): Promise<Json> => {
  const r = await strata(...argv, '--json');
  assert.equal(r.code, 0, r.both);
  return JSON.parse(r.out) as Json;
};

const stepState = async (env: string): Promise<string> => {
  const layers = await json('layers', STEP, STEP_KEY, '-env', env);
  return JSON.stringify(layers).match(/"state":"(\w+)"/)![1];
};

const solutions = async (env: string): Promise<string[]> =>
  ((await json('list', '-env', env)) as unknown as Json[]).map(
    (s) => `${s.uniqueName} ${s.version}`,
  );

describe(
  'pac flags on the command line',
  { skip: !HAVE_REAL_FIXTURES && NO_FIXTURES_REASON },
  () => {
    const dir = useTempHome('strata-pac-');

    test('import -p X -pc -ap publishes and activates, as --path --publish-changes --activate-plugins', async () => {
      for (const env of ['plain', 'pac', 'long'])
        assert.equal((await strata('env', 'create', env)).code, 0);
      const plain = await json('import', GQS('1_9_0_0', false), '-e', 'plain');
      assert.equal(plain.published, 0);
      assert.ok(plain.summary.drafts > 0, 'an unmanaged import leaves drafts');
      assert.equal(await stepState('plain'), 'inactive');

      const pac = await json('import', '-p', GQS('1_9_0_0', false), '-pc', '-ap', '-env', 'pac');
      assert.equal(pac.published, plain.summary.drafts, 'every draft published');
      assert.equal(await stepState('pac'), 'active');

      // pac's own spelling of a switch with a value, and the long names, do the same
      const long = await json(
        'import',
        '--path',
        GQS('1_9_0_0', false),
        '--publish-changes',
        'true',
        '--ACTIVATE-PLUGINS=true',
        '--environment',
        'long',
      );
      assert.equal(long.published, pac.published);
      assert.equal(await stepState('long'), 'active');
    });

    test('import -h stages, upgrade -sn applies, -slv skips, delete -sn uninstalls', async () => {
      assert.equal((await strata('env', 'create', 'h')).code, 0);
      await json('import', GQS('1_8_0_0', true), '-e', 'h');
      const staged = await json('import', '-p', GQS('1_9_0_0', true), '-h', '-e', 'h');
      assert.equal(staged.solution.uniqueName, 'GlobalQuickSearch_Upgrade');
      assert.deepEqual(await solutions('h'), [
        'GlobalQuickSearch 1.8.0.0',
        'GlobalQuickSearch_Upgrade 1.9.0.0',
      ]);
      const up = await strata('upgrade', '-sn', 'GlobalQuickSearch', '-a', '-wt', '30', '-e', 'h');
      assert.equal(up.code, 0, up.both);
      assert.deepEqual(await solutions('h'), ['GlobalQuickSearch 1.9.0.0']);

      const skip = await strata('import', '-p', GQS('1_8_0_0', true), '-slv', '-e', 'h');
      assert.equal(skip.code, 0, skip.both);
      assert.match(skip.out, /skip/i);
      assert.deepEqual(await solutions('h'), ['GlobalQuickSearch 1.9.0.0']);

      const del = await strata('delete', '-sn', 'GlobalQuickSearch', '-e', 'h');
      assert.equal(del.code, 0, del.both);
      assert.deepEqual(await solutions('h'), []);
    });

    test('export -n NAME -p DIR -m -ow writes DIR/NAME.zip, managed, and replaces it', async () => {
      assert.equal((await strata('env', 'create', 'x')).code, 0);
      await json('import', GQS('1_9_0_0', false), '-e', 'x');
      const out = join(dir, 'exports');
      mkdirSync(out);
      for (let i = 0; i < 2; i++) {
        const r = await strata(
          'export',
          '-n',
          'GlobalQuickSearch',
          '-p',
          out,
          '-m',
          '-ow',
          '-e',
          'x',
        );
        assert.equal(r.code, 0, r.both);
      }
      const pkg = readPackage(join(out, 'GlobalQuickSearch.zip'));
      assert.equal(pkg.manifest.managed, true);
      assert.equal(pkg.manifest.version.text, '1.9.0.0');
      const twice = await strata('export', 'GlobalQuickSearch', '-n', 'Other', '-e', 'x');
      assert.equal(twice.code, 2);
      assert.match(twice.err, /Name the solution once/);
      const include = await strata(
        'export',
        '-n',
        'GlobalQuickSearch',
        '-i',
        'calendar',
        '-e',
        'x',
      );
      assert.equal(include.code, 2);
      assert.match(
        include.err,
        /-i is not supported by strata export: strata environments hold no organization settings/,
      );
    });

    test('an unknown or misspelt flag is a usage error naming the closest one', async () => {
      const r = await strata('import', '-p', GQS('1_9_0_0', true), '-apc');
      assert.equal(r.code, 2);
      assert.match(r.err, /Unknown flag -apc\./);
      assert.match(r.err, /closest flag is -ap \(--activate-plugins\)/);
      const long = await strata('import', GQS('1_9_0_0', true), '--publish-change');
      assert.match(long.err, /closest flag is --publish-changes/);
      const wait = await strata('import', GQS('1_9_0_0', true), '-wt', 'soon');
      assert.equal(wait.code, 2);
      assert.match(wait.err, /--max-async-wait-time takes whole minutes/);
    });

    test('--skip-dependency-check (-s) imports over an older Microsoft solution, with a warning', async () => {
      const icon = 'msdyn_/Images/AppModule_Default_Icon.png';
      const pkg = join(dir, 'books.zip');
      writeFileSync(
        pkg,
        buildPackage({
          uniqueName: 'BookApp',
          managed: true,
          entities: [{ name: 'new_book', attributes: ['new_bookid', 'new_name'] }],
          missingDependencies: [
            `<MissingDependency><Required type="61" schemaName="${icon}" displayName="${icon}" ` +
              'solution="AppModuleWebResources (9.1.0.0)" />' +
              '<Dependent type="1" schemaName="new_book" displayName="Book" /></MissingDependency>',
          ],
        }),
      );
      assert.equal((await strata('env', 'create', 'dv', '--template', 'dataverse')).code, 0);
      const refused = await strata('import', pkg, '-e', 'dv');
      assert.equal(refused.code, 4, refused.both);
      const skipped = await json('import', '-p', pkg, '-s', '-e', 'dv');
      assert.equal(skipped.status, 'succeeded');
      assert.ok(
        skipped.warnings.some((w: string) =>
          /requires AppModuleWebResources 9\.1\.0\.0.*has 2\.5/.test(w),
        ),
        skipped.warnings.join('\n'),
      );
      assert.deepEqual(await solutions('dv'), ['BookApp 1.0.0.0']);
    });

    test('unpack --packagetype Both and pack --packagetype Both make both zips again', async () => {
      const folder = join(dir, 'both');
      const r = await strata('unpack', '-z', GQS('1_9_0_0', false), '-f', folder, '-p', 'Both');
      assert.equal(r.code, 0, r.both);
      assert.match(
        readFileSync(join(folder, 'Other', 'Solution.xml'), 'utf8'),
        /<Managed>2<\/Managed>/,
      );
      assert.match(r.out, /[1-9]\d* of them managed differences/);

      const zip = join(dir, 'packed', 'GlobalQuickSearch.zip');
      const p = await strata('pack', '--folder', folder, '--zipfile', zip, '--packagetype', 'Both');
      assert.equal(p.code, 0, p.both);
      for (const managed of [false, true]) {
        const packed = readPackage(managed ? zip.replace('.zip', '_managed.zip') : zip);
        const original = readPackage(GQS('1_9_0_0', managed));
        assert.equal(packed.manifest.managed, managed);
        assert.deepEqual(
          packed.components.map((c) => `${c.type} ${c.key} ${c.hash}`).sort(),
          original.components.map((c) => `${c.type} ${c.key} ${c.hash}`).sort(),
          `the ${managed ? 'managed' : 'unmanaged'} zip holds the original's components`,
        );
      }
      // pac's Unmanaged of a Both folder packs one half
      const half = join(dir, 'packed', 'half.zip');
      assert.equal((await strata('pack', folder, half, '-p', 'Managed')).code, 0);
      assert.equal(readPackage(half).manifest.managed, true);
      const bad = await strata('pack', folder, half, '-p', 'Everything', '-c');
      assert.match(bad.err, /--packagetype is Unmanaged, Managed or Both/);
    });

    test('version DIR -bv/-rv/-s Solution sets the version of Other/Solution.xml', async () => {
      const folder = join(dir, 'versioned');
      assert.equal((await strata('unpack', GQS('1_8_0_0', false), folder)).code, 0);
      const r = await strata('version', '-sp', folder, '-s', 'Solution', '-rv', '7');
      assert.equal(r.code, 0, r.both);
      assert.equal(readPackage(folder).manifest.version.text, '1.8.1.7');
      assert.equal((await strata('version', folder, '-bv', '4')).code, 0);
      assert.equal(readPackage(folder).manifest.version.text, '1.8.4.7');
      assert.equal((await strata('version', folder, '-s', 'GitTags')).code, 2);
      assert.match((await strata('version')).out, /^\d+\.\d+\.\d+/);
    });
  },
);

describe('help describes each flag with its pac names', () => {
  useTempHome('strata-pac-help-'); // import -h (not help) opens the store
  test('import --help: every flag with its short form and a description; -h is not help there', async () => {
    const r = await strata('import', '--help');
    assert.equal(r.code, 0);
    for (const line of [
      / -p, --path PKG +the package/,
      /-ap, --activate-plugins +enable plug-in steps/,
      /-pc, --publish-changes +publish/,
      /-slv, --skip-lower-version +skip/,
      /-up, --stage-and-upgrade +upgrade/,
      /-h, --import-as-holding +stage for upgrade/,
      /-f, --force-overwrite +overwrite/,
      /-s, --skip-dependency-check +import although/,
      /-cm, --convert-to-managed +accepted, no effect/,
      /-a, --async +pac's asynchronous run/,
      /-wt, --max-async-wait-time MINUTES +pac's limit/,
    ])
      assert.match(r.out, line);
    const holding = await strata('import', 'nothing.zip', '-h');
    assert.notEqual(holding.code, 0, 'import -h is --import-as-holding, not help');
    assert.doesNotMatch(holding.out, /Flags:/);
    assert.match((await strata('list', '-h')).out, /Flags:/);
  });

  test('export, pack and unpack list their pac aliases', async () => {
    const exp = (await strata('export', '--help')).out;
    assert.match(exp, /-o, --out FILE\.zip .*\(also --path, -p\)/s);
    assert.match(exp, /--force .*\(also --overwrite, -ow\)/s);
    const unpack = (await strata('unpack', '--help')).out;
    assert.match(unpack, /-p, --packagetype Unmanaged\|Managed\|Both +Both: unpack/);
    assert.match(unpack, /-z, --zipfile PKG\.zip/);
    assert.match(unpack, /-loc, --localize .*not supported/s);
  });
});

describe('tables align by display width', () => {
  test('displayWidth: wide characters 2 columns, combining marks 0', () => {
    assert.equal(displayWidth('abc'), 3);
    assert.equal(displayWidth('「システム カスタマイザー」'), 27);
    assert.equal(displayWidth('物件'), 4);
    assert.equal(displayWidth('ｶﾀｶﾅ'), 4, 'halfwidth katakana are narrow');
    assert.equal(displayWidth('e\u0301te\u0301'), 3, 'combining acute accents take no column');
    assert.equal(displayWidth('한국어'), 6);
    assert.equal(displayWidth('🎉'), 2);
    assert.equal(fitWidth('物件物件', 5), '物件…');
    assert.equal(
      fitWidth('物件物件', 4),
      '物… ',
      'a wide character that does not fit leaves a space',
    );
    assert.equal(fitWidth('物件', 6), '物件  ');
  });

  test('a line ends at its last cell with text, with no white space after it', () => {
    const text = table(
      ['A', 'B', 'C'],
      [
        ['x', 'yy', ''],
        ['xxx', '', ''],
        ['x', 'end ', null],
        ['物', 'y\u3000', ''],
        ['', '', ''],
        ['x', '', 'z'],
      ],
    );
    assert.deepEqual(text.split('\n'), [
      'A    B     C',
      '---  ----  -',
      'x    yy',
      'xxx',
      'x    end',
      '物   y',
      '',
      'x          z',
    ]);
  });

  test(
    "a table of the Japanese fixture's dependencies lines up its columns",
    { skip: !HAVE_REAL_FIXTURES && NO_FIXTURES_REASON },
    () => {
      const xml = readFileSync(
        realFixture('crm2013-sp1-japanese-unpacked/Other/Solution.xml'),
        'utf8',
      );
      const names = [...xml.matchAll(/displayName="([^"]+)"/g)].map((m) => m[1]);
      assert.ok(names.includes('システム カスタマイザー '), names.join(', '));
      const text = table(
        ['Name', 'Width', 'End'],
        names.map((n) => [n, displayWidth(n), '|']),
      );
      const lines = text.split('\n');
      const ends = lines.slice(2).map((l) => displayWidth(l.slice(0, l.lastIndexOf('|'))));
      assert.equal(new Set(ends).size, 1, text);
      assert.equal(ends[0], displayWidth(lines[0].slice(0, lines[0].indexOf('End'))), text);
      assert.ok(existsSync(realFixture('crm2013-sp1-japanese-unpacked')));
    },
  );
});
