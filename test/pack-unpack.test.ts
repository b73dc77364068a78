import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { run } from '../src/cli/main.js';
import { canonicalXml } from '../src/package/canonical.js';
import { buildSolutionZip, sampleSolution } from '../src/package/build.js';
import { buildPackage } from './support/package-builder.js';
import { readPackage, type SolutionPackage } from '../src/package/read.js';
import { parseXml } from '../src/package/xml.js';
import { packToZip, unpackToFolder } from '../src/package/unpack.js';
import {
  HAVE_REAL_FIXTURES,
  listRealPackages,
  NO_FIXTURES_REASON,
  relativeToFixtures,
} from './support/fixtures.js';

const work = mkdtempSync(join(tmpdir(), 'strata-unpack-'));
after(() => rmSync(work, { recursive: true, force: true }));
let n = 0;

/**
 * The model a reader produces, reduced to what must not change: identities, names, parents, files,
 * references, canonical XML.
 */
function model(pkg: SolutionPackage): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const c of pkg.components) {
    // file components carry bytes, not XML
    const xml = c.xml ? canonicalXml(c.xml, `${c.type} ${c.key}`) : '';
    out.set(`${c.type} ${c.key}`, {
      name: c.name,
      parent: c.parent ?? null,
      files: (c.files ?? []).map((f) => [
        f,
        Buffer.from(pkg.files.get(f) ?? []).toString('base64'),
      ]),
      requires: (c.requires ?? []).map((r) => `${r.type} ${r.key} ${r.via}`).sort(),
      state: c.state ?? null,
      xml,
      shell: (c as { shell?: boolean }).shell ?? false,
    });
  }
  return out;
}

function assertSameModel(actual: SolutionPackage, expected: SolutionPackage, label: string): void {
  assert.deepEqual({ ...actual.manifest }, { ...expected.manifest }, `${label}: manifest`);
  const a = model(actual);
  const e = model(expected);
  assert.deepEqual([...a.keys()].sort(), [...e.keys()].sort(), `${label}: the same components`);
  for (const [k, v] of e) assert.deepEqual(a.get(k), v, `${label}: ${k}`);
}

/** unpack → read the folder (same model) → pack → read the zip (same model again). */
function roundTrip(source: string | Uint8Array, label: string): { files: number } {
  const original = readPackage(source, { label });
  const dir = join(work, `u${++n}`);
  const { files } = unpackToFolder(source, dir, { label });
  assert.ok(
    existsSync(join(dir, 'Other', 'Solution.xml')) &&
      existsSync(join(dir, 'Other', 'Customizations.xml')),
    `${label}: SolutionPackager layout`,
  );
  assertSameModel(readPackage(dir), original, `${label} (unpacked folder)`);
  const { zip } = packToZip(dir);
  assertSameModel(readPackage(zip, { label: 'packed.zip' }), original, `${label} (packed again)`);
  return { files };
}

describe('unpack and pack (SolutionPackager layout)', () => {
  test('the sample: tables, forms and views land in their own files and read back the same', () => {
    const zip = buildSolutionZip(sampleSolution());
    roundTrip(zip, 'sample');
    const dir = join(work, 'sample-layout');
    unpackToFolder(zip, dir);
    for (const p of ['Entities/cnt_Project/Entity.xml', 'Other/Relationships'])
      assert.ok(existsSync(join(dir, ...p.split('/'))), p);
    const pkg = readPackage(dir);
    assert.ok(
      pkg.components.some((c) => c.type === 'systemform'),
      'forms read from FormXml/',
    );
  });

  test('unpack refuses to overwrite files unless forced', () => {
    const zip = buildSolutionZip(sampleSolution());
    const dir = join(work, 'twice');
    unpackToFolder(zip, dir);
    assert.throws(
      () => unpackToFolder(zip, dir),
      (e: { code?: string }) => e.code === 'UNPACK_TARGET_NOT_EMPTY',
    );
    assert.doesNotThrow(() => unpackToFolder(zip, dir, { force: true }));
  });
});

describe('strata unpack / strata pack', () => {
  const cli = async (...argv: string[]): Promise<{ code: number; out: string; err: string }> => {
    let out = '';
    let err = '';
    const code = await run(argv, {
      out: (x) => {
        out += x + '\n';
      },
      err: (x) => {
        err += x + '\n';
      },
      isTTY: false,
    });
    return { code, out, err };
  };

  test('unpack then pack from the CLI keeps the model; refusals change nothing', async () => {
    const zip = join(work, 'cli-sample.zip');
    writeFileSync(zip, buildSolutionZip(sampleSolution()));
    const dir = join(work, 'cli-unpacked');
    const unpacked = await cli('unpack', zip, dir, '--json');
    assert.equal(unpacked.code, 0, unpacked.err);
    assert.equal(JSON.parse(unpacked.out).solution, 'ContosoProjects');
    const entity = readFileSync(join(dir, 'Entities', 'cnt_Project', 'Entity.xml'));

    const again = await cli('unpack', zip, dir);
    assert.equal(again.code, 4);
    assert.match(again.err, /UNPACK_TARGET_NOT_EMPTY/);
    assert.deepEqual(
      readFileSync(join(dir, 'Entities', 'cnt_Project', 'Entity.xml')),
      entity,
      'the folder is untouched',
    );

    const out = join(work, 'cli-packed.zip');
    const packed = await cli('pack', dir, out, '--json');
    assert.equal(packed.code, 0, packed.err);
    assertSameModel(readPackage(out), readPackage(zip), 'cli pack');
    const exists = await cli('pack', dir, out);
    assert.equal(exists.code, 2, 'an existing target needs --force');
    assert.equal((await cli('pack', dir, out, '--force')).code, 0);

    assert.equal((await cli('unpack', zip)).code, 2, 'a missing folder argument is a usage error');
    const notPkg = await cli('pack', join(work, 'nowhere'), join(work, 'x.zip'));
    assert.equal(notPkg.code, 3, notPkg.err);
    assert.equal(existsSync(join(work, 'x.zip')), false);
  });
});

describe(
  'every real package survives unpack → folder → pack with the same model',
  { skip: HAVE_REAL_FIXTURES ? false : NO_FIXTURES_REASON },
  () => {
    for (const p of listRealPackages()) {
      const rel = relativeToFixtures(p);
      test(rel, (t) => {
        let readable = true;
        try {
          readPackage(p);
        } catch {
          readable = false;
        }
        if (!readable) {
          t.diagnostic('not a readable package (covered by package-read.test.ts)');
          return;
        }
        roundTrip(p, rel);
      });
    }
  },
);

/**
 * The parts SolutionPackager keeps outside Other/Customizations.xml besides tables, forms and
 * views (docs: "Solution component file reference (SolutionPackager)"), written the way it
 * writes them: indented, with a declaration and xmlns:xsi on each file's root.
 */
describe('a SolutionPackager folder reads into the components of the zip it was unpacked from', () => {
  const TEMPLATE = '{b6c38bb9-2423-471d-8b38-e3b99ed80e7a}';
  const REPORT = '{31327784-15d8-f011-8544-000d3a81a9a9}';
  const DIALOG = '{0f7ca1b0-be13-4b18-aa02-1c7f3a058116}';
  const SOURCE = '{356eddaa-3306-44ca-947f-066efbdc5ce2}';
  const PROFILE = '{adb74f5e-08d2-f011-8544-000d3a81a9a9}';
  const SUBJECT =
    '<?xml version="1.0" ?><xsl:stylesheet xmlns:xsl="http://www.w3.org/1999/XSL/Transform" ' +
    'version="1.0"><xsl:output method="text" indent="no" /><xsl:template match="/data">' +
    "<![CDATA[We haven't heard from you]]></xsl:template></xsl:stylesheet>";
  const PRESENTATION =
    '<template><text><![CDATA[<P>Dear ]]></text><slugs><slug><entity>account</entity>' +
    '<attribute>name</attribute></slug><default>Customer</default></slugs>' +
    '<text><![CDATA[,</P> <P>Hello</P>]]></text></template>';
  const RDL = '<Report xmlns="http://schemas.microsoft.com/sqlserver/reporting"><Body /></Report>';
  const XAML = '<Activity x:Class="XrmWorkflow" xmlns="http://schemas.microsoft.com/netfx" />';
  const map = (src: string, tgt: string): string =>
    `<EntityMap><EntitySource>${src}</EntitySource><EntityTarget>${tgt}</EntityTarget>` +
    '<AttributeMaps><AttributeMap><AttributeSource>cnt_name</AttributeSource>' +
    '<AttributeTarget>cnt_name</AttributeTarget></AttributeMap></AttributeMaps></EntityMap>';
  const profile =
    `<FieldSecurityProfile name="Secret" description="" fieldsecurityprofileid="${PROFILE}">` +
    '<FieldPermissions><FieldPermission><EntityName>cnt_case</EntityName>' +
    '<AttributeName>cnt_name</AttributeName><CanRead>4</CanRead><CanUpdate>0</CanUpdate>' +
    '<CanCreate>0</CanCreate></FieldPermission></FieldPermissions></FieldSecurityProfile>';
  const template = (subject: string, presentation: string): string =>
    `<emailtemplate><templateid>${TEMPLATE}</templateid><subject>${subject}</subject>` +
    `<subjectpresentationxml></subjectpresentationxml><mimetype></mimetype>` +
    `<templatetypecode>1</templatetypecode><body></body><title>Reconnect</title>` +
    `<presentationxml>${presentation}</presentationxml><languagecode>1033</languagecode>` +
    '</emailtemplate>';
  const mappings =
    '<ReportSignatureIdMappings><ReportSignatureIdMapping ' +
    `reportid="${REPORT}" signatureid="{00000000-0000-0000-0000-000000000000}" ` +
    'signaturelcid="0" /></ReportSignatureIdMappings>';
  const report =
    '<Report><name>Patients</name><filename>Patients.rdl</filename>' +
    `<languagecode>1033</languagecode><reportid>${REPORT}</reportid>` +
    `<ExportedFileName>/Reports/Patientsrdl${REPORT.slice(1, -1)}.wdl</ExportedFileName>` +
    '<ReportEntities><ReportEntity>cnt_case</ReportEntity></ReportEntities></Report>';
  const dialog =
    `<Dialog><FormId>${DIALOG}</FormId><UniqueName>ask</UniqueName>` +
    '<FormXml><forms type="dialog"><form><tabs /></form></forms></FormXml></Dialog>';
  const source =
    `<EntityDataSource EntityDataSourceId="${SOURCE}"><Name>VCP_DS_1</Name>` +
    '<IsCustomizable>1</IsCustomizable></EntityDataSource>';
  const entities = [
    { name: 'cnt_case', attributes: ['cnt_caseid', 'cnt_name'] },
    { name: 'cnt_note', attributes: ['cnt_noteid', 'cnt_name'] },
  ];
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  /** what SolutionPackager does to a file: declaration, xmlns:xsi, one element a line */
  const indented = (xml: string): string =>
    '<?xml version="1.0" encoding="utf-8"?>\n' +
    xml
      .replace(/^<(\w+)/, '<$1 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"')
      .replace(/></g, '>\n  <');

  test('entity maps, field security, templates, reports, dialogs, data sources, formulas', () => {
    const zip = buildPackage({
      entities,
      extraCustomizations:
        `<EntityMaps>${map('cnt_case', 'cnt_note')}</EntityMaps>` +
        `<FieldSecurityProfiles>${profile}</FieldSecurityProfiles>` +
        `<Templates><EmailTemplates>${template(esc(SUBJECT), esc(PRESENTATION))}` +
        '</EmailTemplates></Templates>' +
        `<Reports>${mappings}${report}</Reports><Dialogs>${dialog}</Dialogs>` +
        `<EntityDataSources>${source}</EntityDataSources>`,
      extraFiles: {
        [`Reports/Patientsrdl${REPORT.slice(1, -1)}.wdl`]: RDL,
        'Formulas/cnt_case-cnt_total.xaml': XAML,
      },
    });
    // the tables, as any unpack writes them; the rest by hand, where SolutionPackager puts it
    const dir = join(work, 'solutionpackager-parts');
    unpackToFolder(buildPackage({ entities }), dir);
    const write = (path: string, content: string): void => {
      mkdirSync(join(dir, ...path.split('/').slice(0, -1)), { recursive: true });
      writeFileSync(join(dir, ...path.split('/')), content);
    };
    write(
      'Other/EntityMaps.xml',
      indented(`<EntityMaps>${map('cnt_case', 'cnt_note')}</EntityMaps>`),
    );
    write(
      'Other/FieldSecurityProfiles.xml',
      indented(`<FieldSecurityProfiles>${profile}</FieldSecurityProfiles>`),
    );
    write(
      'Templates/EmailTemplates.xml',
      indented(`<EmailTemplates>${template('', '')}</EmailTemplates>`),
    );
    write(`Templates/EmailDocuments/1033/${TEMPLATE}/subject.xsl`, '\ufeff' + SUBJECT);
    write(
      `Templates/EmailDocuments/1033/${TEMPLATE}/presentationxml.xml`,
      [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<template>',
        '  <text><![CDATA[<P>Dear ]]></text>',
        '  <slugs>',
        '    <slug>',
        '      <entity>account</entity>',
        '      <attribute>name</attribute>',
        '    </slug>',
        '    <default>Customer</default>',
        '  </slugs>',
        '  <text><![CDATA[,</P> <P>Hello</P>]]></text>',
        '</template>',
      ].join('\r\n'),
    );
    write('Reports/ReportSignatureIdMappings.xml', indented(mappings));
    write(`Reports/1033/${REPORT}/Patients.rdl.data.xml`, indented(report));
    write(`Reports/1033/${REPORT}/Patients.rdl`, RDL);
    write(`Dialogs/${DIALOG}.xml`, indented(dialog));
    write(`EntityDataSources/${SOURCE}.xml`, indented(source));
    write('Entities/cnt_case/Formulas/cnt_case-cnt_total.xaml', XAML);

    const fromZip = readPackage(zip, { label: 'parts.zip' });
    const fromFolder = readPackage(dir);
    const types = new Set(fromZip.components.map((c) => c.type));
    for (const t of ['entitymap', 'fieldsecurityprofile', 'emailtemplate', 'entitydatasource'])
      assert.ok(types.has(t), `the zip has a ${t}`);
    assertSameModel(fromFolder, fromZip, 'SolutionPackager folder');
    const LOOSE =
      /^(other|templates|dialogs|entitydatasources|entities)\/|\.data\.xml$|\/reportsignatureidmappings\.xml$/;
    assert.deepEqual(
      fromFolder.components
        .filter((c) => c.type.startsWith('file:') && LOOSE.exec(c.key))
        .map((c) => c.key),
      [],
      'no part of the folder is carried as a loose file',
    );
    assert.equal(
      Buffer.from(
        fromFolder.files.get(`Reports/Patientsrdl${REPORT.slice(1, -1)}.wdl`)!,
      ).toString(),
      RDL,
      'the report file is where <ExportedFileName> says',
    );
  });

  test('strata unpack writes those parts where SolutionPackager does, and reads them back', () => {
    const zip = buildPackage({
      entities,
      extraCustomizations:
        `<EntityMaps>${map('cnt_case', 'cnt_note')}</EntityMaps>` +
        `<FieldSecurityProfiles>${profile}</FieldSecurityProfiles>` +
        `<Templates><EmailTemplates>${template(esc(SUBJECT), esc(PRESENTATION))}` +
        '</EmailTemplates></Templates>' +
        `<Reports>${mappings}${report}</Reports><Dialogs>${dialog}</Dialogs>` +
        `<EntityDataSources>${source}</EntityDataSources>`,
      extraFiles: {
        [`Reports/Patientsrdl${REPORT.slice(1, -1)}.wdl`]: RDL,
        'Formulas/cnt_case-cnt_total.xaml': XAML,
      },
    });
    const { files } = roundTrip(zip, 'parts');
    assert.ok(files > 0);
    const dir = join(work, 'parts-layout');
    unpackToFolder(zip, dir);
    for (const p of [
      'Other/EntityMaps.xml',
      'Other/FieldSecurityProfiles.xml',
      'Templates/EmailTemplates.xml',
      `Templates/EmailDocuments/1033/${TEMPLATE}/subject.xsl`,
      `Templates/EmailDocuments/1033/${TEMPLATE}/presentationxml.xml`,
      'Reports/ReportSignatureIdMappings.xml',
      `Reports/1033/${REPORT}/Patients.rdl.data.xml`,
      `Reports/1033/${REPORT}/Patients.rdl`,
      `Dialogs/${DIALOG}.xml`,
      `EntityDataSources/${SOURCE}.xml`,
      'Entities/cnt_case/Formulas/cnt_case-cnt_total.xaml',
    ])
      assert.ok(existsSync(join(dir, ...p.split('/'))), p);
    assert.equal(existsSync(join(dir, 'Formulas')), false, 'formulas moved beside their table');
  });
});

describe(
  'real packages: a folder and the zip it comes from read into the same components',
  { skip: HAVE_REAL_FIXTURES ? false : NO_FIXTURES_REASON },
  () => {
    const packages = listRealPackages();
    const folders = packages.filter((p) => statSync(p).isDirectory());
    let manifests: Array<[string, SolutionPackage['manifest']]> | undefined;
    /** every readable zip fixture's manifest, read once */
    const zipManifests = (): Array<[string, SolutionPackage['manifest']]> =>
      (manifests ??= packages.flatMap((p): Array<[string, SolutionPackage['manifest']]> => {
        if (!/\.zip$/i.exec(p)) return [];
        try {
          return [[p, readPackage(p).manifest]];
        } catch {
          return [];
        }
      }));
    const SPLIT = [
      'EntityMaps',
      'FieldSecurityProfiles',
      'Templates',
      'Reports',
      'Dialogs',
      'EntityDataSources',
    ];

    test('every zip fixture: strata unpack splits these sections out as SolutionPackager does', (t) => {
      let split = 0;
      for (const p of packages.filter((x) => /\.zip$/i.exec(x))) {
        let original: SolutionPackage;
        try {
          original = readPackage(p);
        } catch {
          continue;
        }
        const dir = join(work, `split${++n}`);
        unpackToFolder(p, dir);
        const cust = parseXml(readFileSync(join(dir, 'Other', 'Customizations.xml'), 'utf8'));
        for (const s of cust.children.filter((c) => SPLIT.includes(c.name)))
          assert.equal(s.children.length, 0, `${relativeToFixtures(p)}: ${s.name}`);
        if (
          original.files.size &&
          [...original.files.keys()].some((f) => f.startsWith('Formulas/'))
        )
          assert.ok(
            readdirSync(join(dir, 'Entities'), { recursive: true }).some((f) =>
              String(f).includes('Formulas'),
            ),
            `${relativeToFixtures(p)}: formulas beside their table`,
          );
        if (
          /<(EntityMap|FieldSecurityProfile|EntityDataSource)[ >]/.exec(original.customizationsXml)
        )
          split++;
        assertSameModel(readPackage(dir), original, relativeToFixtures(p));
        rmSync(dir, { recursive: true, force: true });
      }
      t.diagnostic(`${split} packages had entity maps, field security profiles or data sources`);
      assert.ok(split >= 3, 'the fixtures exercise the split parts');
    });

    for (const folder of folders) {
      const rel = relativeToFixtures(folder);
      test(`${rel}: the same components as its zip (where one exists) and as its packed zip`, (t) => {
        const fromFolder = readPackage(folder);
        const zips = zipManifests()
          .filter(([, m]) => {
            return (
              m.uniqueName.toLowerCase() === fromFolder.manifest.uniqueName.toLowerCase() &&
              m.version === fromFolder.manifest.version &&
              m.managed === fromFolder.manifest.managed
            );
          })
          .map(([p]) => p);
        if (!zips.length) t.diagnostic('no zip of this solution and version among the fixtures');
        for (const z of zips)
          assertSameModel(fromFolder, readPackage(z), `${rel} = ${relativeToFixtures(z)}`);
        const { zip } = packToZip(folder);
        assertSameModel(readPackage(zip, { label: 'packed.zip' }), fromFolder, `${rel} packed`);
        const loose = fromFolder.components.filter(
          (c) =>
            c.type.startsWith('file:') &&
            /^(other|templates|dialogs|entitydatasources|entities)\/|\.data\.xml$/.exec(c.key),
        );
        assert.deepEqual(
          loose.map((c) => c.key),
          [],
          `${rel}: no SolutionPackager part left loose`,
        );
      });
    }
  },
);
