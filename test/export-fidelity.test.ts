import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { readFileSync } from 'node:fs';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { CATALOG_ID } from '../src/catalog/catalog.js';
import { customize } from '../src/engine/customize.js';
import { exportSolution } from '../src/engine/export.js';
import { importSolution } from '../src/engine/import.js';
import { publish } from '../src/engine/publish.js';
import { StrataError } from '../src/model/errors.js';
import { readPackage, type SolutionPackage } from '../src/package/read.js';
import { parseXml, type XmlElement } from '../src/package/xml.js';
import { templateFor } from './support/fixture-templates.js';
import { createEnvironment } from '../src/store/environments.js';
import type { Store } from '../src/store/store.js';
import {
  HAVE_REAL_FIXTURES,
  NO_FIXTURES_REASON,
  listRealPackages,
  realFixture,
  relativeToFixtures,
} from './support/fixtures.js';
import { buildPackage } from './support/package-builder.js';
import { STORE_CASES } from './support/stores.js';

/**
 * Issue 13 #17: an export of what was imported is XML-equivalent to the package, document by
 * document: customizations.xml, solution.xml and [Content_Types].xml. Every real package that
 * imports into a fresh environment is imported and exported in its own flavour (managed as
 * managed, unmanaged as unmanaged, right after the import: nothing published).
 *
 * Compared as XML, not as bytes. What is normalised, and why (Dataverse does not keep it either):
 * - formatting: indentation and whitespace-only text between elements, the order of an element's
 *   attributes, `<a></a>` against `<a />`, and how text is escaped (entity or literal) — none of
 *   it is information in XML;
 * - a byte-order mark and the XML declaration (`<?xml …?>`), which are not elements;
 * - namespace declarations (`xmlns:xsi`): Dataverse writes them where it likes, SolutionPackager
 *   moves them;
 * - solution.xml `<Managed>`: a SolutionPackager folder says 2 ("both", a source-control marker
 *   that Dataverse never writes); the export says the flavour it is, 0 or 1;
 * - [Content_Types].xml is compared only where the package has one of its own: a SolutionPackager
 *   folder has none (its reader makes one up).
 * Element order is kept everywhere: Dataverse keeps it (sections, tables, forms, steps and their
 * images, content types).
 */
const packages = listRealPackages();

/** Import refusals that mean "this package needs what a fresh environment does not have". */
const DOES_NOT_IMPORT = new Set(['MISSING_DEPENDENCIES', 'PATCH_PARENT_MISSING']);

/** The first place two documents differ, as a path, or null when they are equivalent. */
function firstDifference(a: XmlElement, b: XmlElement, path = ''): string | null {
  const here = `${path}/${a.name}`;
  if (a.name !== b.name) return `${here}: <${a.name}> against <${b.name}>`;
  const attrs = (e: XmlElement): string =>
    JSON.stringify(
      Object.entries(e.attrs)
        .filter(([k]) => !k.startsWith('xmlns'))
        .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)),
    );
  if (attrs(a) !== attrs(b)) return `${here}: attributes ${attrs(a)} against ${attrs(b)}`;
  if (a.text.trim() !== b.text.trim())
    return `${here}: text "${a.text.trim().slice(0, 80)}" against "${b.text.trim().slice(0, 80)}"`;
  const names = (e: XmlElement): string => e.children.map((c) => c.name).join(',');
  for (let i = 0; i < Math.min(a.children.length, b.children.length); i++) {
    const d = firstDifference(a.children[i], b.children[i], `${here}[${i}]`);
    if (d) return d;
  }
  if (a.children.length !== b.children.length)
    return (
      `${here}: ${a.children.length} children against ${b.children.length} ` +
      `(${names(a).slice(0, 200)} against ${names(b).slice(0, 200)})`
    );
  return null;
}

const document = (text: string, file: string): XmlElement =>
  parseXml(text.replace(/^\uFEFF/, ''), file);

/** SolutionPackager's Managed 2 ("both") reads as the flavour exported. */
function solutionManifest(text: string, managed: boolean): XmlElement {
  return document(
    text.replace(/<Managed>\s*2\s*<\/Managed>/, `<Managed>${managed ? 1 : 0}</Managed>`),
    'solution.xml',
  );
}

function contentTypesOf(pkg: SolutionPackage): string | null {
  if (pkg.source.kind === 'solutionpackager') return null;
  const name = [...pkg.files.keys()].find((k) => k.toLowerCase() === '[content_types].xml');
  return name ? new TextDecoder().decode(pkg.files.get(name)) : null;
}

const members = (pkg: SolutionPackage): string[] =>
  pkg.components.map((c) => `${c.type} ${c.key}`).sort();

for (const sc of STORE_CASES) {
  describe(
    `an export gives back what was imported, XML-equivalent (${sc.name})`,
    { skip: sc.skip || (!HAVE_REAL_FIXTURES && NO_FIXTURES_REASON) },
    () => {
      let store: Store;
      let n = 0;
      before(async () => {
        store = await sc.open();
      });
      after(async () => {
        await store?.close();
      });

      test(
        'an unmanaged export right after an unmanaged import holds every component it created; ' +
          'a later change waits for publishing',
        async () => {
          const path = realFixture(
            'crm2011-globalquicksearch-series/GlobalQuickSearch_1_5_0_0.zip',
          );
          const env = `x${++n}`;
          await createEnvironment(store, env, CATALOG_ID);
          const pkg = readPackage(path);
          await importSolution(store, { environment: env, source: path });
          const first = readPackage((await exportSolution(store, env, 'GlobalQuickSearch')).zip);
          assert.equal(first.components.length, 61);
          assert.deepEqual(
            members(first),
            members(pkg),
            'the table, its columns, forms, web resources, ...',
          );
          assert.deepEqual((await exportSolution(store, env, 'GlobalQuickSearch')).skipped, []);

          // a change to a published column's label is a draft: the export keeps the published one
          await publish(store, env);
          const column = pkg.components.find((c) => c.type === 'attribute')!;
          await customize(store, env, {
            type: 'attribute',
            key: column.key,
            set: [['displayname', 'Renamed but not published']],
          });
          const label = async (): Promise<boolean> =>
            readPackage((await exportSolution(store, env, 'GlobalQuickSearch')).zip)
              .components.find((c) => c.type === 'attribute' && c.key === column.key)!
              .xml.includes('Renamed but not published');
          assert.equal(await label(), false, 'the draft waits');
          await publish(store, env);
          assert.equal(await label(), true, 'published, it exports');
        },
      );

      for (const managed of [true, false])
        test(`a step's images come back in their order (${managed ? 'managed' : 'unmanaged'})`, async () => {
          // Sample_AdvancedPlugins with a step whose images' ids sort against document order
          const entries = unzipSync(
            readFileSync(
              realFixture('dynamics365-apps-samples/Sample_AdvancedPlugins_1_0_0_0_managed.zip'),
            ),
          );
          const image = (name: string, id: string): string =>
            `<SdkMessageProcessingStepImage Name="${name}">` +
            `<SdkMessageProcessingStepImageId>{${id}}</SdkMessageProcessingStepImageId>` +
            `<Attributes>name</Attributes><EntityAlias>${name}</EntityAlias>` +
            '<ImageType>0</ImageType><MessagePropertyName>Target</MessagePropertyName>' +
            '</SdkMessageProcessingStepImage>';
          const step =
            '<SdkMessageProcessingSteps><SdkMessageProcessingStep Name="Account number: Create" ' +
            'SdkMessageProcessingStepId="{5e1b1a52-0000-4000-8000-000000000001}">' +
            '<PluginTypeName>Microsoft.Crm.Sdk.Samples.AccountNumberPlugin, SamplePlugins, ' +
            'Version=0.0.0.0, Culture=neutral, PublicKeyToken=829f574d80e89132</PluginTypeName>' +
            '<PrimaryEntity>account</PrimaryEntity><Mode>0</Mode><Rank>1</Rank><Stage>20</Stage>' +
            '<SdkMessageId>{9ebdbb1b-ea3e-db11-86a7-000a3a5473e8}</SdkMessageId>' +
            '<SdkMessageProcessingStepImages>' +
            image('Zulu', 'f0000000-0000-4000-8000-000000000001') +
            image('Alpha', '0f000000-0000-4000-8000-000000000002') +
            '</SdkMessageProcessingStepImages></SdkMessageProcessingStep></SdkMessageProcessingSteps>';
          const custom = strFromU8(entries['customizations.xml']).replace(
            '<Languages>',
            `${step}<Languages>`,
          );
          entries['customizations.xml'] = strToU8(custom);
          if (!managed)
            entries['solution.xml'] = strToU8(
              strFromU8(entries['solution.xml']).replace(
                '<Managed>1</Managed>',
                '<Managed>0</Managed>',
              ),
            );
          const env = `x${++n}`;
          await createEnvironment(store, env, CATALOG_ID);
          await importSolution(store, { environment: env, source: zipSync(entries) });
          const out = await exportSolution(store, env, 'Sample_AdvancedPlugins', { managed });
          const exported = strFromU8(unzipSync(out.zip)['customizations.xml']);
          assert.deepEqual(
            [...exported.matchAll(/<EntityAlias>(\w+)<\/EntityAlias>/g)].map((m) => m[1]),
            ['Zulu', 'Alpha'],
          );
          assert.equal(
            firstDifference(
              document(custom, 'customizations.xml'),
              document(exported, 'exported customizations.xml'),
            ),
            null,
          );
        });

      for (const managed of [true, false])
        test(`reports and their signature mappings come back in their order (${managed ? 'managed' : 'unmanaged'})`, async () => {
          // two reports, each with two signature mappings, written in an order that neither their
          // ids nor their names sort into (Dataverse writes them as it holds them)
          const ZULU = '{f1000000-0000-4000-8000-000000000001}';
          const ALPHA = '{0a000000-0000-4000-8000-000000000002}';
          const mapping = (report: string, signature: string, lcid: number): string =>
            `<ReportSignatureIdMapping reportid="${report}" ` +
            `signatureid="{${signature}-0000-4000-8000-000000000000}" signaturelcid="${lcid}" />`;
          const wdl = (id: string): string => `Reports/Report${id.slice(1, -1)}.wdl`;
          const report = (name: string, id: string): string =>
            `<Report><name>${name}</name><filename>${name}.rdl</filename>` +
            `<languagecode>1033</languagecode><reportid>${id}</reportid>` +
            `<ExportedFileName>/${wdl(id)}</ExportedFileName>` +
            `<ReportEntities><ReportEntity>new_project</ReportEntity></ReportEntities></Report>`;
          const reports =
            '<Reports><ReportSignatureIdMappings>' +
            mapping(ZULU, 'e2000000', 1036) +
            mapping(ALPHA, 'c3000000', 1033) +
            mapping(ZULU, '1d000000', 1033) +
            mapping(ALPHA, '9b000000', 0) +
            '</ReportSignatureIdMappings>' +
            report('Zulu', ZULU) +
            report('Alpha', ALPHA) +
            '</Reports>';
          const rdl = (title: string): string =>
            `<?xml version="1.0" encoding="utf-8"?><Report><Description>${title}</Description></Report>`;
          const zip = buildPackage({
            uniqueName: 'ProjectReports',
            managed,
            entities: [{ name: 'new_project', attributes: ['new_projectid', 'new_name'] }],
            extraCustomizations: reports,
            extraFiles: { [wdl(ZULU)]: rdl('Zulu'), [wdl(ALPHA)]: rdl('Alpha') },
          });
          const custom = strFromU8(unzipSync(zip)['customizations.xml']);
          const env = `x${++n}`;
          await createEnvironment(store, env, CATALOG_ID);
          await importSolution(store, { environment: env, source: zip });
          const out = await exportSolution(store, env, 'ProjectReports', { managed });
          const files = unzipSync(out.zip);
          const exported = strFromU8(files['customizations.xml']);
          assert.deepEqual(
            [...exported.matchAll(/signatureid="\{(\w{8})-/g)].map((m) => m[1]),
            ['e2000000', 'c3000000', '1d000000', '9b000000'],
          );
          assert.deepEqual(
            [...exported.matchAll(/<Report><name>(\w+)<\/name>/g)].map((m) => m[1]),
            ['Zulu', 'Alpha'],
          );
          const reportsOf = (xml: string, file: string): XmlElement =>
            document(xml, file).children.find((c) => c.name === 'Reports')!;
          assert.equal(
            firstDifference(
              reportsOf(custom, 'customizations.xml'),
              reportsOf(exported, 'exported customizations.xml'),
            ),
            null,
          );
          assert.equal(strFromU8(files[wdl(ZULU)]), rdl('Zulu'), 'the report file comes back');
        });

      for (const path of packages) {
        const rel = relativeToFixtures(path);
        const template = templateFor(rel);
        test(`${rel} on ${template}`, async (t) => {
          const env = `x${++n}`;
          await createEnvironment(store, env, template);
          const pkg = readPackage(path);
          try {
            await importSolution(store, { environment: env, source: path });
          } catch (e) {
            if (e instanceof StrataError && DOES_NOT_IMPORT.has(e.code)) {
              t.skip(`does not import into a fresh ${template} environment (${e.code})`);
              return;
            }
            throw e;
          }
          const managed = pkg.manifest.managed;
          const out = await exportSolution(store, env, pkg.manifest.uniqueName, { managed });
          const files = unzipSync(out.zip);
          const back = readPackage(out.zip, { label: 'exported.zip' });

          // every component comes back: an unmanaged import publishes nothing, yet what it
          // created exists and exports
          assert.deepEqual(members(back), members(pkg), 'the same components');

          const compare = (file: string, original: XmlElement, exported: XmlElement): void => {
            const d = firstDifference(original, exported);
            assert.equal(d, null, `${file} differs from the package's: ${d}`);
          };
          compare(
            'customizations.xml',
            document(pkg.customizationsXml, 'customizations.xml'),
            document(strFromU8(files['customizations.xml']), 'exported customizations.xml'),
          );
          compare(
            'solution.xml',
            solutionManifest(pkg.solutionXml, managed),
            document(strFromU8(files['solution.xml']), 'exported solution.xml'),
          );
          const types = contentTypesOf(pkg);
          if (types !== null)
            compare(
              '[Content_Types].xml',
              document(types, '[Content_Types].xml'),
              document(strFromU8(files['[Content_Types].xml']), 'exported [Content_Types].xml'),
            );
        });
      }
    },
  );
}
