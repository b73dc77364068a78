import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { strFromU8, strToU8, unzipSync } from 'fflate';
import {
  packageEntry,
  readPackage,
  type ReadOptions,
  type SolutionPackage,
} from '../src/package/read.js';
import { parseXml, type XmlElement } from '../src/package/xml.js';
import {
  HAVE_REAL_FIXTURES,
  NO_FIXTURES_REASON,
  listRealPackages,
  realFixture,
  relativeToFixtures,
} from './support/fixtures.js';
import {
  buildPackage,
  packageEntries,
  zipEntries,
  type BuildOptions,
} from './support/package-builder.js';
import { assertPackageError } from './support/errors.js';
import { withTempDir } from './support/temp.js';

const SKIP_REAL = HAVE_REAL_FIXTURES ? false : NO_FIXTURES_REASON;
const ROOT_FILES = ['solution.xml', 'customizations.xml', '[content_types].xml'];

// ---- helpers ---------------------------------------------------------------------------------

const cache = new Map<string, SolutionPackage>();
/** Reads a real package once per run (the same package is checked by several tests). */
function readReal(path: string, opts: ReadOptions = {}): SolutionPackage {
  const k = `${path}\u0000${opts.variant ?? ''}`;
  if (!cache.has(k)) cache.set(k, readPackage(path, opts));
  return cache.get(k)!;
}

const kids = (el: XmlElement | undefined, name: string): XmlElement[] =>
  el ? el.children.filter((c) => c.name === name) : [];
const kid = (el: XmlElement | undefined, name: string): XmlElement | undefined =>
  el?.children.find((c) => c.name.toLowerCase() === name.toLowerCase());
const text = (el: XmlElement | undefined, name: string): string | undefined =>
  kid(el, name)?.text.trim();

/**
 * type, key and content hash of every component, sorted: what "reads into the same components"
 * means.
 */
const identities = (pkg: SolutionPackage, withHash = true): string[] =>
  [
    ...new Set(pkg.components.map((c) => `${c.type} | ${c.key}${withHash ? ` | ${c.hash}` : ''}`)),
  ].sort();

/**
 * An element that carries nothing: no text anywhere below it and only empty containers, the
 * shape of an export's placeholder ribbon (`<CustomActions />`,
 * `<RibbonTemplates Id="Mscrm.Templates">`).
 */
function carriesNothing(el: XmlElement): boolean {
  if (el.text.trim() !== '') return false;
  const attrs = Object.entries(el.attrs).filter(
    ([k, v]) => !(el.name === 'RibbonTemplates' && k === 'Id' && v === 'Mscrm.Templates'),
  );
  return attrs.length === 0 && el.children.every(carriesNothing);
}

/** Every file under a folder, by path relative to it (forward slashes). */
function folderEntries(dir: string): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p).split('\\').join('/')] = new Uint8Array(readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

/** A small, valid package every hostile input below starts from. */
const BASE: BuildOptions = {
  uniqueName: 'ContosoBooks',
  version: '1.0.0.0',
  publisher: { uniqueName: 'contoso', prefix: 'cont', optionValuePrefix: 23456 },
  entities: [
    {
      name: 'cont_book',
      attributes: ['cont_bookid', 'cont_name', 'cont_author'],
      forms: [{ name: 'Book', fields: ['cont_name', 'cont_author'] }],
      views: [{ name: 'Active Books', columns: ['cont_name', 'cont_author'] }],
    },
  ],
  webResources: [
    { name: 'cont_/scripts/book.js', content: 'function onLoad(ctx) { return ctx; }' },
  ],
};

// ---- 1. every real package reads, and nothing in it is dropped --------------------------------

describe('every real package reads completely', { skip: SKIP_REAL }, () => {
  for (const path of listRealPackages()) {
    const rel = relativeToFixtures(path);
    test(`${rel}: manifest, every customizations element and every file has a component`, () => {
      const pkg = readReal(path);

      // the manifest, against solution.xml read independently
      const manifestEl = kid(parseXml(pkg.solutionXml, 'solution.xml'), 'SolutionManifest');
      assert.ok(manifestEl, 'solution.xml has a SolutionManifest');
      assert.match(pkg.manifest.uniqueName, /^[A-Za-z0-9_]+$/);
      assert.equal(pkg.manifest.uniqueName, text(manifestEl, 'UniqueName'));
      assert.match(pkg.manifest.version.text, /^\d+(\.\d+){1,3}$/);
      assert.equal(pkg.manifest.version.text, text(manifestEl, 'Version'));
      assert.ok(pkg.manifest.publisher.uniqueName, 'publisher has a unique name');
      assert.equal(
        pkg.manifest.publisher.uniqueName,
        text(kid(manifestEl, 'Publisher'), 'UniqueName'),
      );

      // every child of every top-level section lies inside a component from customizations.xml
      const custFile = pkg.customizationsName;
      const fromCust = pkg.components.filter((c) => c.origin.file === custFile);
      const root = parseXml(pkg.customizationsXml, custFile);
      const unaccounted: string[] = [];
      for (const section of root.children) {
        // an empty section: nothing to read
        if (section.children.length === 0 && section.text.trim() === '') continue;
        if (section.children.length === 0) {
          if (!fromCust.some((c) => c.origin.start <= section.start && section.end <= c.origin.end))
            unaccounted.push(`${section.name} (text)`);
          continue;
        }
        for (const el of section.children) {
          if (fromCust.some((c) => c.origin.start <= el.start && el.end <= c.origin.end)) continue;
          // the application ribbon placeholder an export writes when nothing is customized
          if (section.name === 'RibbonDiffXml' && carriesNothing(section)) continue;
          unaccounted.push(`${section.name}/${el.name} at offset ${el.start}`);
        }
      }
      assert.deepEqual(unaccounted, [], `${rel}: elements of ${custFile} that no component covers`);

      // attributes, forms and views of each table are components of their own, sliced exactly
      const exactly = (type: string, el: XmlElement): boolean =>
        fromCust.some(
          (c) => c.type === type && c.origin.start === el.start && c.origin.end === el.end,
        );
      const missing: string[] = [];
      for (const entity of kids(root, 'Entities').flatMap((s) => kids(s, 'Entity'))) {
        const name = text(entity, 'Name');
        for (const a of kids(
          kid(kid(kid(entity, 'EntityInfo'), 'entity'), 'attributes'),
          'attribute',
        )) {
          if (!exactly('attribute', a))
            missing.push(`attribute ${name}.${text(a, 'LogicalName') ?? a.attrs.PhysicalName}`);
        }
        for (const f of kids(kid(entity, 'FormXml'), 'forms').flatMap((fs) =>
          kids(fs, 'systemform'),
        )) {
          if (!exactly('systemform', f)) missing.push(`systemform ${text(f, 'formid')} of ${name}`);
        }
        for (const q of kids(kid(kid(entity, 'SavedQueries'), 'savedqueries'), 'savedquery')) {
          if (!exactly('savedquery', q))
            missing.push(`savedquery ${text(q, 'savedqueryid')} of ${name}`);
        }
      }
      assert.deepEqual(missing, [], `${rel}: table parts that are not components of their own`);

      // every file of the package belongs to some component
      const claimed = new Set(pkg.components.flatMap((c) => c.files ?? []));
      const orphans = [...pkg.files.keys()].filter(
        (f) => !ROOT_FILES.includes(f.toLowerCase()) && !claimed.has(f),
      );
      assert.deepEqual(orphans, [], `${rel}: files no component lists`);
    });
  }
});

// ---- 2. component counts agree with the XML ---------------------------------------------------

test(
  'for every real package, component counts by type match the elements in customizations.xml',
  { skip: SKIP_REAL },
  () => {
    const mismatches: string[] = [];
    let compared = 0;
    for (const path of listRealPackages()) {
      const pkg = readReal(path);
      const root = parseXml(pkg.customizationsXml);
      const inSection = (section: string, el: string): XmlElement[] =>
        kids(root, section).flatMap((s) => kids(s, el));
      const entities = inSection('Entities', 'Entity');
      const expected: Record<string, number> = {
        attribute: entities.flatMap((e) =>
          kids(kid(kid(kid(e, 'EntityInfo'), 'entity'), 'attributes'), 'attribute'),
        ).length,
        // forms of tables, plus dashboards (system forms of their own section)
        systemform:
          entities.flatMap((e) =>
            kids(kid(e, 'FormXml'), 'forms').flatMap((f) => kids(f, 'systemform')),
          ).length + inSection('Dashboards', 'Dashboard').length,
        savedquery: entities.flatMap((e) =>
          kids(kid(kid(e, 'SavedQueries'), 'savedqueries'), 'savedquery'),
        ).length,
        webresource: inSection('WebResources', 'WebResource').length,
        workflow: inSection('Workflows', 'Workflow').length,
        sdkmessageprocessingstep: inSection('SdkMessageProcessingSteps', 'SdkMessageProcessingStep')
          .length,
        pluginassembly: inSection('SolutionPluginAssemblies', 'PluginAssembly').length,
        role: inSection('Roles', 'Role').length,
      };
      for (const [type, n] of Object.entries(expected)) {
        const got = pkg.components.filter((c) => c.type === type).length;
        compared++;
        if (got !== n)
          mismatches.push(
            `${relativeToFixtures(path)}: ${type} — ${n} in the XML, ${got} components`,
          );
      }
    }
    assert.ok(compared > 0);
    assert.deepEqual(mismatches, []);
  },
);

// ---- 3. facts stated in SOURCES.md ------------------------------------------------------------

describe('facts about specific real packages', { skip: SKIP_REAL }, () => {
  test('a folder whose form and view files hold the <systemform> or <savedquery> alone keeps them', () => {
    // crm2013-sp1-japanese-unpacked: an older tool wrote one bare form or view per file, where
    // SolutionPackager wraps each in <forms> or <savedqueries>
    const pkg = readPackage(realFixture('crm2013-sp1-japanese-unpacked'));
    const count = (type: string): number => pkg.components.filter((c) => c.type === type).length;
    assert.equal(count('systemform'), 5);
    assert.equal(count('savedquery'), 14);
    assert.equal((pkg.customizationsXml.match(/<systemform>/g) ?? []).length, 5);
  });

  test('the Newsman patch names its parent solution and carries its own version', () => {
    const pkg = readReal(
      realFixture(
        'newsman-sync-series/2017-09-05_0038_5bf5444/' +
          'NewsmanSync_Patch_5b190fbe_1_0_1_0_managed.zip',
      ),
    );
    assert.equal(pkg.manifest.parentUniqueName, 'NewsmanSync');
    assert.equal(pkg.manifest.version.text, '1.0.1.0');
    assert.equal(pkg.manifest.managed, true);
  });

  test('a three-part version keeps its text (1.21111.1)', () => {
    const pkg = readReal(
      realFixture(
        'secondary-record-source-series/SecondaryRecordSource_SampleSolution_1_21111_1_managed.zip',
      ),
    );
    assert.equal(pkg.manifest.version.text, '1.21111.1');
    assert.deepEqual(pkg.manifest.version.parts, [1, 21111, 1, 0]);
  });

  test('an extracted folder reads: its version keeps its leading zeros; 15 web resources', () => {
    const pkg = readReal(realFixture('scriptmaster-series/0.0.0039'));
    assert.equal(pkg.source.kind, 'folder');
    assert.equal(pkg.manifest.version.text, '0.0.0039');
    const wrs = pkg.components.filter((c) => c.type === 'webresource');
    assert.equal(wrs.length, 15);
    for (const w of wrs)
      assert.ok(
        w.files?.length === 1 && pkg.files.has(w.files[0]),
        `${w.key} has its content file`,
      );
  });

  test('each URS upgrade-script .cab reads into the same components as the .zip beside it', () => {
    const dir = realFixture('fasttrack-urs-upgradescripts');
    const cabs = readdirSync(dir).filter((f) => f.endsWith('.cab'));
    assert.equal(cabs.length, 2);
    for (const cab of cabs) {
      const fromCab = readReal(join(dir, cab));
      const fromZip = readReal(join(dir, cab.replace(/\.cab$/, '.zip')));
      assert.equal(fromCab.source.kind, 'cab');
      assert.ok(fromCab.components.length > 0);
      assert.deepEqual(identities(fromCab), identities(fromZip), cab);
      assert.equal(fromCab.manifest.version.text, fromZip.manifest.version.text);
    }
  });

  test('a SolutionPackager "both" folder reads as unmanaged, or as managed on request', () => {
    const dir = realFixture('mail-app-series/1.5.0.1');
    const unmanaged = readReal(dir);
    const managed = readReal(dir, { variant: 'managed' });
    assert.equal(unmanaged.source.kind, 'solutionpackager');
    assert.equal(unmanaged.manifest.managed, false);
    assert.equal(managed.manifest.managed, true);
    assert.ok(unmanaged.components.length > 0);
    assert.deepEqual(identities(managed, false), identities(unmanaged, false));
  });

  test('P2CFieldService declares 468 missing dependencies', () => {
    const pkg = readReal(realFixture('fasttrack-p2c/P2CFieldService.zip'));
    assert.equal(pkg.manifest.missingDependencies.length, 468);
    for (const d of pkg.manifest.missingDependencies)
      assert.ok(d.required.type, 'each missing dependency names a component type');
  });

  test('the legacy SiteMap of the K2 demo is the application site map component', () => {
    const pkg = readReal(realFixture('k2-crm2013/3 K2forDynamicsCRM2013SitemapDemo_0_0_0_1.zip'));
    const maps = pkg.components.filter((c) => c.type === 'sitemap');
    assert.equal(maps.length, 1);
    assert.equal(maps[0].key, 'sitemap');
    assert.match(maps[0].xml, /^<SiteMap[\s>]/);
  });
});

// ---- 4. an extracted folder and the zip made from it are the same package ---------------------

test(
  'zipping an extracted folder gives a package that reads into the same components',
  { skip: SKIP_REAL },
  () => {
    const dir = realFixture('scriptmaster-series/0.0.0051');
    const fromFolder = readReal(dir);
    withTempDir((tmp) => {
      const zipPath = join(tmp, 'ScriptEditor_Master_0_0_0051.zip');
      writeFileSync(zipPath, zipEntries(folderEntries(dir)));
      const fromZip = readPackage(zipPath);
      assert.equal(fromZip.source.kind, 'zip');
      assert.equal(fromFolder.source.kind, 'folder');
      assert.ok(fromZip.components.some((c) => c.type === 'webresource'));
      assert.deepEqual(identities(fromZip), identities(fromFolder));
      assert.equal(fromZip.hash, fromFolder.hash);
      assert.equal(fromZip.manifest.version.text, '0.0.0051');
    });
  },
);

test(
  "a zip's customizations.xml is kept once, compressed; packageEntry gives its exact bytes",
  { skip: SKIP_REAL },
  () => {
    const zip = realFixture('fasttrack-p2c/P2CFieldService.zip');
    const pkg = readPackage(zip);
    const original = unzipSync(readFileSync(zip));
    const name = Object.keys(original).find((k) => k.toLowerCase() === 'customizations.xml')!;
    assert.ok(pkg.customizationsDeflated, 'the zip holds it deflated');
    assert.equal(pkg.files.has(name), false, 'its inflated bytes are not held beside the text');
    assert.deepEqual(packageEntry(pkg, 'customizations.xml'), original[name]);
    assert.deepEqual(packageEntry(pkg, 'solution.xml'), original['solution.xml']);
    // a folder's is read from its file, and kept in files
    const folder = readPackage(realFixture('scriptmaster-series/0.0.0051'));
    assert.equal(folder.customizationsDeflated, undefined);
    assert.ok(folder.files.has(folder.customizationsName));
  },
);

// ---- 5. hostile and broken packages -----------------------------------------------------------

describe('package-level hostile inputs are refused with a stable code', () => {
  test("the builder's base package is valid and reads into what it declares", () => {
    const pkg = readPackage(buildPackage(BASE), { label: 'ContosoBooks_1_0_0_0.zip' });
    assert.equal(pkg.manifest.uniqueName, 'ContosoBooks');
    assert.equal(pkg.manifest.publisher.customizationPrefix, 'cont');
    assert.deepEqual(
      pkg.manifest.rootComponents.map((r) => `${r.type}:${r.schemaName}`),
      ['1:cont_book', '61:cont_/scripts/book.js'],
    );
    const byType = (t: string): string[] =>
      pkg.components
        .filter((c) => c.type === t)
        .map((c) => c.key)
        .sort();
    assert.deepEqual(byType('entity'), ['cont_book']);
    assert.deepEqual(byType('attribute'), [
      'cont_book.cont_author',
      'cont_book.cont_bookid',
      'cont_book.cont_name',
    ]);
    assert.equal(byType('systemform').length, 1);
    assert.equal(byType('savedquery').length, 1);
    assert.deepEqual(byType('webresource'), ['cont_/scripts/book.js']);
    assert.deepEqual(pkg.warnings, []);
  });

  test('a zip holding another solution zip names the inner file', () => {
    const outer = zipEntries({ 'ContosoBooks_1_0_0_0_managed.zip': buildPackage(BASE) });
    const err = assertPackageError(
      () => readPackage(outer, { label: 'download.zip' }),
      'PACKAGE_NESTED_ZIP',
      /ContosoBooks_1_0_0_0_managed\.zip/,
    );
    assert.match(err.message, /download\.zip/);
  });

  test('a package without customizations.xml has an invalid layout', () => {
    const err = assertPackageError(
      () => readPackage(buildPackage({ ...BASE, omit: ['customizations.xml'] })),
      'PACKAGE_LAYOUT_INVALID',
      /customizations\.xml/,
    );
    assert.deepEqual((err.details as { missing: string[] }).missing, ['customizations.xml']);
  });

  test('an entry climbing out of the package (../evil.txt) is refused', () => {
    assertPackageError(
      () => readPackage(buildPackage({ ...BASE, extraFiles: { '../evil.txt': 'owned' } })),
      'PACKAGE_BAD_ENTRY_NAME',
      /\.\.\/evil\.txt/,
    );
  });

  test('an entry with an absolute path (/abs.txt) is refused', () => {
    assertPackageError(
      () => readPackage(buildPackage({ ...BASE, extraFiles: { '/abs.txt': 'owned' } })),
      'PACKAGE_BAD_ENTRY_NAME',
      /\/abs\.txt/,
    );
  });

  test('customizations.xml with a DTD and an entity declaration is refused', () => {
    const cust = strFromU8(packageEntries(BASE)['customizations.xml']);
    const hostile =
      '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE x [<!ENTITY a "b">]>\n' + cust;
    assertPackageError(
      () => readPackage(buildPackage({ ...BASE, customizationsXmlOverride: hostile })),
      'XML_DTD_FORBIDDEN',
      /customizations\.xml/,
    );
  });

  test('a truncated zip (its first half) is corrupt', () => {
    const bytes = buildPackage(BASE);
    assertPackageError(
      () => readPackage(bytes.subarray(0, Math.floor(bytes.length / 2)), { label: 'half.zip' }),
      'PACKAGE_CORRUPT',
      /half\.zip/,
    );
  });

  test('a declared size over the limit is refused before inflating, stating both sizes', () => {
    const bomb = zipEntries({
      'WebResources/huge.bin': new Uint8Array(5 * 1024 * 1024),
      ...packageEntries(BASE),
    });
    assert.ok(bomb.length < 100_000, 'the zip itself is small');
    const err = assertPackageError(
      () =>
        readPackage(bomb, { label: 'bomb.zip', limits: { maxTotalBytes: 1000, maxEntries: 100 } }),
      'PACKAGE_TOO_LARGE',
    );
    assert.match(err.message, /5\.0 MB/);
    assert.match(err.message, /1000 bytes/);
    assert.deepEqual(err.details, { actualBytes: 5 * 1024 * 1024, allowedBytes: 1000 });
  });

  test('a version that is not numeric (1.x) is refused', () => {
    assertPackageError(
      () => readPackage(buildPackage({ ...BASE, version: '1.x' })),
      'VERSION_INVALID',
      /1\.x/,
    );
  });

  test('two web resources with the same name and different content are a duplicate', () => {
    const webResources = [
      { name: 'cont_/app.js', content: 'var a = 1;' },
      { name: 'cont_/app.js', content: 'var a = 2;' },
    ];
    const err = assertPackageError(
      () => readPackage(buildPackage({ ...BASE, webResources })),
      'PACKAGE_DUPLICATE_COMPONENT',
      /cont_\/app\.js/,
    );
    assert.deepEqual(
      { type: err.component?.type, key: err.component?.key },
      { type: 'webresource', key: 'cont_/app.js' },
    );
  });

  test('the same web resource written twice, byte for byte, collapses into one component', () => {
    const wr = {
      name: 'cont_/app.js',
      content: 'var a = 1;',
      id: '0b2d1c3e-1111-4222-8333-444455556666',
    };
    const pkg = readPackage(buildPackage({ ...BASE, webResources: [wr, wr] }));
    assert.equal(pkg.components.filter((c) => c.type === 'webresource').length, 1);
  });

  test('a solution.xml that is not XML is malformed', () => {
    assertPackageError(
      () =>
        readPackage(
          buildPackage({
            ...BASE,
            solutionXmlOverride: 'UniqueName=ContosoBooks\nVersion=1.0.0.0\n',
          }),
        ),
      'XML_MALFORMED',
      /solution\.xml/,
    );
  });

  test('a plain text file is not a solution', () => {
    assertPackageError(
      () =>
        readPackage(strToU8('Remember to export the solution as managed.\n'), {
          label: 'notes.txt',
        }),
      'PACKAGE_NOT_A_SOLUTION',
      /notes\.txt/,
    );
  });
});

// ---- 6. names, versions and characters Dataverse refuses (issue 11) ---------------------------

describe('names, versions and characters Dataverse refuses are refused, stating the rule', () => {
  const read = (o: BuildOptions): SolutionPackage => readPackage(buildPackage({ ...BASE, ...o }));
  const WORD_RULE = /Dataverse allows letters, digits and underscores only/;

  test('a version part may be 2,147,483,647 and no more', () => {
    assert.equal(
      read({ version: '2147483647.0.0.2147483647' }).manifest.version.revision,
      2 ** 31 - 1,
    );
    const err = assertPackageError(
      () => read({ version: '1.0.0.2147483648' }),
      'VERSION_PART_TOO_LARGE',
      /revision part 2147483648 is larger than 2,147,483,647, the largest a version part can be/,
    );
    assert.match(err.message, /^solution\.xml: version "1\.0\.0\.2147483648": /);
    assert.match(err.hint ?? '', /32-bit integer/);
    assertPackageError(() => read({ version: '99999999999.0' }), 'VERSION_PART_TOO_LARGE', /major/);
  });

  test('a solution unique name has at most 65 characters: 300 are refused', () => {
    assert.equal(read({ uniqueName: 'A'.repeat(65) }).manifest.uniqueName.length, 65);
    const err = assertPackageError(
      () => read({ uniqueName: 'A'.repeat(300) }),
      'NAME_INVALID',
      /solution\.xml: the solution unique name "A{60}…" is not valid: /,
    );
    assert.match(err.message, /at most 65 characters \(it has 300 characters\)\.$/);
    assert.deepEqual(
      (err.details as { rule: string }).rule,
      'letters, digits and underscores only, at most 65 characters',
    );
  });

  for (const [name, what, broken] of [
    ['Contoso"Books', 'a quote', /it contains """/],
    ['Contoso;Books', 'a semicolon', /it contains ";"/],
    ['Contoso Books', 'a space', /it contains a space \(U\+0020\)/],
    ['Contoso-Books', 'a hyphen', /it contains "-"/],
  ] as const) {
    test(`a solution unique name with ${what} is refused`, () => {
      const err = assertPackageError(() => read({ uniqueName: name }), 'NAME_INVALID', WORD_RULE);
      assert.match(err.message, broken);
    });
  }

  test('a publisher unique name starts with a letter or an underscore', () => {
    const err = assertPackageError(
      () =>
        read({ publisher: { uniqueName: '1contoso', prefix: 'cont', optionValuePrefix: 23456 } }),
      'NAME_INVALID',
      /publisher unique name "1contoso" is not valid: .*starting with a letter or an underscore, /,
    );
    assert.match(err.message, /\(it starts with "1"\)\.$/);
  });

  for (const [prefix, broken] of [
    ['c', 'it has 1 character'],
    ['contosoltd', 'it has 10 characters'],
    ['co_nt', 'it contains "_"'],
    ['9cont', 'it starts with "9"'],
    ['mscrmx', 'it starts with "mscrm"'],
  ]) {
    test(`the customization prefix "${prefix}" is refused: ${broken}`, () => {
      const publisher = { uniqueName: 'contoso', prefix, optionValuePrefix: 23456 };
      assertPackageError(
        () => read({ publisher }),
        'NAME_INVALID',
        new RegExp(
          `customization prefix "${prefix}" is not valid: Dataverse allows 2 to 8 letters and ` +
            `digits, starting with a letter, not starting with "mscrm" \\(${broken}\\)`,
        ),
      );
    });
  }

  test('the option value prefix is a whole number from 10,000 to 99,999', () => {
    for (const optionValuePrefix of [9999, 100_000]) {
      assertPackageError(
        () => read({ publisher: { uniqueName: 'contoso', prefix: 'cont', optionValuePrefix } }),
        'MANIFEST_INVALID',
        new RegExp(
          `"${optionValuePrefix}" is not valid: Dataverse takes a whole number ` +
            'from 10,000 to 99,999',
        ),
      );
    }
    const limits = [10_000, 99_999].map(
      (optionValuePrefix) =>
        read({ publisher: { uniqueName: 'contoso', prefix: 'cont', optionValuePrefix } }).manifest
          .publisher.optionValuePrefix,
    );
    assert.deepEqual(limits, [10_000, 99_999]);
  });

  test('a table logical name with a quote is refused, naming the table', () => {
    const entities = [{ name: 'cont_bo"ok', attributes: ['cont_name'] }];
    const err = assertPackageError(
      () => read({ entities, webResources: [] }),
      'NAME_INVALID',
      /customizations\.xml: the table logical name "cont_bo"ok" is not valid: .*"""\)/,
    );
    assert.match(err.message, WORD_RULE);
    assert.deepEqual(err.component, { type: 'entity', key: 'cont_bo"ok' });
  });

  test('a column logical name with a semicolon and a space is refused, naming the column', () => {
    const entities = [{ name: 'cont_book', attributes: ['cont_bookid', 'cont_name; drop'] }];
    const err = assertPackageError(
      () => read({ entities, webResources: [] }),
      'NAME_INVALID',
      /the column logical name "cont_name; drop" is not valid: Dataverse allows letters, digits /,
    );
    assert.match(err.message, /underscores only, at most 128 characters \(it contains ";"\)/);
    assert.deepEqual(err.component, { type: 'attribute', key: 'cont_book.cont_name; drop' });
  });

  test('a table logical name has at most 128 characters', () => {
    const name = `cont_${'b'.repeat(124)}`;
    const err = assertPackageError(
      () => read({ entities: [{ name, attributes: [] }], webResources: [] }),
      'NAME_INVALID',
      /at most 128 characters \(it has 129 characters\)/,
    );
    assert.equal(err.component?.type, 'entity');
  });

  test('a relationship and an option set with names Dataverse refuses are refused', () => {
    const relationship =
      '<EntityRelationships><EntityRelationship Name="cont_book author">' +
      '<EntityRelationshipType>OneToMany</EntityRelationshipType>' +
      '</EntityRelationship></EntityRelationships>';
    const rel = assertPackageError(
      () => read({ extraCustomizations: relationship }),
      'NAME_INVALID',
      /relationship name "cont_book author" is not valid: .*at most 255 characters \(it contains /,
    );
    assert.match(rel.message, /\(it contains a space \(U\+0020\)\)\.$/);
    assert.deepEqual(rel.component, { type: 'relationship', key: 'cont_book author' });
    const optionSet =
      '<optionsets><optionset Name="cont_genre\'s"><OptionSetType>picklist</OptionSetType>' +
      '</optionset></optionsets>';
    const set = assertPackageError(
      () => read({ extraCustomizations: optionSet }),
      'NAME_INVALID',
      /option set name "cont_genre's" is not valid: Dataverse allows letters, digits and under/,
    );
    assert.match(set.message, /underscores only \(it contains "'"\)\.$/);
    assert.equal(set.component?.type, 'optionset');
  });

  test('a reference to a lone surrogate in customizations.xml names the file and the line', () => {
    const cust = strFromU8(packageEntries(BASE)['customizations.xml']);
    const hostile = cust.replace('<Language>1033</Language>', '<Language>&#xD800;</Language>');
    const line = hostile.slice(0, hostile.indexOf('&#xD800;')).split('\n').length;
    const err = assertPackageError(
      () => read({ customizationsXmlOverride: hostile }),
      'XML_CHAR_FORBIDDEN',
      /^customizations\.xml is not well-formed XML: character reference "&#xD800;" names U\+D800; /,
    );
    assert.match(err.message, /XML 1\.0 allows only tab, line feed, carriage return and the char/);
    assert.deepEqual(err.details, { file: 'customizations.xml', line });
  });

  test('a reference to NUL in solution.xml is refused', () => {
    const manifest = strFromU8(packageEntries(BASE)['solution.xml']);
    const hostile = manifest.replace(/(<LocalizedName description=")[^"]*/, '$1Books&#0;');
    assert.notEqual(hostile, manifest);
    assertPackageError(
      () => read({ solutionXmlOverride: hostile }),
      'XML_CHAR_FORBIDDEN',
      /^solution\.xml is not well-formed XML: character reference "&#0;" names U\+0000/,
    );
  });

  test('customizations.xml nested 100,000 levels deep is refused at 256', () => {
    const cust = strFromU8(packageEntries(BASE)['customizations.xml']);
    const deep = '<x>'.repeat(100_000) + '</x>'.repeat(100_000);
    const hostile = cust.replace('<CustomControls />', `<CustomControls>${deep}</CustomControls>`);
    assertPackageError(
      () => read({ customizationsXmlOverride: hostile }),
      'XML_TOO_DEEP',
      /customizations\.xml is not well-formed XML: elements nest deeper than 256 levels/,
    );
  });
});
