import { strToU8 } from 'fflate';
import { deflateRawSync } from 'node:zlib';
import { zipEntries } from '../support/package-builder.js';
import { writeCabinet } from '../support/cab-writer.js';
import {
  ACCEPTED,
  FINISHES,
  LANGUAGES,
  MB,
  acceptedEntries,
  baseEntries,
  concat,
  editXml,
  latin1,
  refused,
  text,
  webResourcePath,
  withBytes,
  writeInput,
  type HostileCase,
} from './case.js';
import { deflatedParts, endRecord, writeZip, type RawZipEntry } from './zip-writer.js';

type ZipCase = Omit<HostileCase, 'container' | 'build'> & { bytes: () => Uint8Array };

/** A case whose input is a .zip named after it. */
function zip(c: ZipCase): HostileCase {
  const { bytes, ...rest } = c;
  return { ...rest, container: 'zip', build: (dir) => writeInput(dir, `${c.name}.zip`, bytes()) };
}

const raw = (entries: Record<string, Uint8Array>): RawZipEntry[] =>
  Object.entries(entries).map(([name, data]) => ({ name, data }));

/** The base package with one more entry, written by the raw writer (names kept as given). */
const withEntry = (name: string, data: Uint8Array = strToU8('x')): Uint8Array =>
  writeZip([...raw(baseEntries()), { name, data }]);

const CUSTOMIZATIONS = 'customizations.xml';
const SOLUTION = 'solution.xml';
const editCustomizations = (edit: (xml: string) => string): Uint8Array =>
  zipEntries(editXml(baseEntries(), CUSTOMIZATIONS, edit));
const editSolution = (edit: (xml: string) => string): Uint8Array =>
  zipEntries(editXml(baseEntries(), SOLUTION, edit));
/** puts `xml` right before <Languages> in customizations.xml */
const beforeLanguages = (xml: string): Uint8Array =>
  editCustomizations((c) => c.replace(LANGUAGES, `${xml}${LANGUAGES}`));
const dropDeclaration = (xml: string): string => xml.replace(/^\uFEFF?<\?xml[^>]*\?>/, '');

/** Patches a copy of `bytes`. */
function patched(bytes: Uint8Array, edit: (view: DataView, b: Uint8Array) => void): Uint8Array {
  const copy = new Uint8Array(bytes);
  edit(new DataView(copy.buffer), copy);
  return copy;
}

// ---- controls and bombs ----------------------------------------------------------------------

const controls: HostileCase[] = [
  zip({
    name: 'zip-control',
    class: 'control',
    what: 'the base package, zipped: what every zip case below starts from',
    expect: ACCEPTED,
    bytes: () => zipEntries(acceptedEntries('HostileZipControl')),
  }),
];

const bombs: HostileCase[] = [
  zip({
    name: 'zip-bomb-300mb-file',
    class: 'zip-bomb',
    what: 'a 300 KB zip holding a file that inflates to 300 MB of zeros',
    expect: refused('PACKAGE_TOO_LARGE', '300.0 MB'),
    isolate: true,
    bytes: () =>
      writeZip([
        ...raw(baseEntries()),
        { name: 'WebResources/bomb.bin', data: deflatedParts([{ byte: 0, size: 300 * MB }]) },
      ]),
  }),
  zip({
    name: 'zip-declared-size-4gb',
    class: 'zip-bomb',
    what: 'customizations.xml declares 4 GB in its headers (the data is small)',
    expect: refused('PACKAGE_TOO_LARGE'),
    isolate: true,
    bytes: () =>
      writeZip(
        raw(baseEntries()).map((e) =>
          e.name === CUSTOMIZATIONS ? { ...e, declaredSize: 0xfffffffe } : e,
        ),
      ),
  }),
  zip({
    name: 'zip-holding-zip-bomb',
    class: 'nested',
    what: 'a zip holding only bomb.zip, whose one file inflates to 300 MB',
    expect: refused('PACKAGE_NESTED_ZIP', 'bomb.zip'),
    isolate: true,
    bytes: () =>
      writeZip([
        {
          name: 'bomb.zip',
          data: writeZip([
            ...raw(baseEntries()),
            { name: 'WebResources/bomb.bin', data: deflatedParts([{ byte: 0, size: 300 * MB }]) },
          ]),
          method: 0,
        },
      ]),
  }),
  zip({
    name: 'zip-customizations-250mb',
    class: 'huge-values',
    what: 'customizations.xml of 250 MB: one run of spaces inside the document',
    expect: refused('PACKAGE_TOO_LARGE'),
    isolate: true,
    bytes: () => {
      const [head, tail] = text(baseEntries(), CUSTOMIZATIONS).split(LANGUAGES);
      const huge = deflatedParts([
        strToU8(head),
        { byte: 0x20, size: 250 * MB },
        strToU8(LANGUAGES + tail),
      ]);
      return writeZip(
        raw(baseEntries()).map((e) => (e.name === CUSTOMIZATIONS ? { ...e, data: huge } : e)),
      );
    },
  }),
];

/** The base package and `count` more one-line files: a package of `count + 4` entries. */
function manyEntries(total: number): Uint8Array {
  const base = raw(baseEntries());
  const extra = Array.from({ length: total - base.length }, (_, i) => ({
    name: `WebResources/many/f${i}.txt`,
    data: strToU8(`${i}\n`),
    method: 0,
  }));
  return writeZip([...base, ...extra]);
}

const sizes: HostileCase[] = [
  zip({
    name: 'zip-50001-entries',
    class: 'many-entries',
    what: '50,001 entries, one over the limit',
    expect: refused('PACKAGE_TOO_MANY_ENTRIES', '50000'),
    isolate: true,
    bytes: () => manyEntries(50_001),
  }),
  zip({
    name: 'zip-49994-entries',
    class: 'slow-path',
    what: '49,994 entries, under the 50,000 limit: reading them must take seconds, not hours',
    expect: FINISHES,
    isolate: true,
    finding: 'slow paths: 49,994 entries',
    bytes: () => manyEntries(49_994),
  }),
  zip({
    name: 'zip-1mb-attribute-name',
    class: 'slow-path',
    what: 'a start tag in customizations.xml with a 1 MB attribute name and no "="',
    expect: refused('XML_MALFORMED'),
    isolate: true,
    finding: 'slow paths: a 1 MB attribute name without = in a start tag',
    bytes: () => editCustomizations((c) => c.replace(LANGUAGES, `<Languages ${'a'.repeat(MB)}>`)),
  }),
];

// ---- entry names -----------------------------------------------------------------------------

const traversal: HostileCase[] = [
  ['zip-entry-parent-folder', '../evil.txt', 'climbs out of the package'],
  ['zip-entry-absolute-path', '/etc/cron.d/strata-evil', 'an absolute path'],
  ['zip-entry-drive-letter', 'C:/Windows/System32/evil.dll', 'a Windows drive path'],
  ['zip-entry-backslash-parent', '..\\evil.txt', 'climbs out with a backslash'],
  ['zip-entry-climbs-from-folder', 'WebResources/../../evil.txt', 'climbs out from a folder'],
  ['zip-entry-unc-path', '\\\\server\\share\\evil.txt', 'a UNC path to another machine'],
  ['zip-entry-nul-byte', 'WebResources/evil.js\u0000.png', 'a NUL byte that cuts the name'],
].map(([name, entry, why]) =>
  zip({
    name,
    class: 'path-traversal',
    what: `an entry named "${entry.replace('\u0000', '\\0')}": ${why}`,
    expect: refused('PACKAGE_BAD_ENTRY_NAME', entry),
    bytes: () => withEntry(entry),
  }),
);
traversal.push(
  zip({
    name: 'zip-entry-empty-name',
    class: 'path-traversal',
    what: 'an entry whose name is empty',
    expect: refused('PACKAGE_BAD_ENTRY_NAME'),
    bytes: () => withEntry(''),
  }),
);

const nested: HostileCase[] = [
  zip({
    name: 'zip-holding-solution-zip',
    class: 'nested',
    what: 'a zip holding the solution zip instead of its files',
    expect: refused('PACKAGE_NESTED_ZIP', 'Hostile_1_0_0_0_managed.zip'),
    bytes: () => zipEntries({ 'Hostile_1_0_0_0_managed.zip': zipEntries(baseEntries()) }),
  }),
  zip({
    name: 'zip-holding-cab',
    class: 'nested',
    what: 'a zip holding a cabinet of the solution',
    expect: refused('PACKAGE_NESTED_ZIP', 'Hostile.cab'),
    bytes: () =>
      zipEntries({
        'Hostile.cab': writeCabinet([
          {
            compression: 'mszip',
            files: Object.entries(baseEntries()).map(([name, data]) => ({ name, data })),
          },
        ]),
      }),
  }),
  zip({
    name: 'zip-holding-two-zips',
    class: 'nested',
    what: 'a zip holding two solution zips',
    expect: refused('PACKAGE_NESTED_ZIP', 'A_1_0_0_0.zip', '1 more'),
    bytes: () =>
      zipEntries({
        'A_1_0_0_0.zip': zipEntries(baseEntries()),
        'B_1_0_0_0.zip': zipEntries(baseEntries()),
      }),
  }),
  zip({
    name: 'zip-solution-one-folder-down',
    class: 'layout',
    what: 'the solution files inside a folder of the zip, not at its root',
    expect: refused('PACKAGE_LAYOUT_INVALID', 'customizations.xml'),
    bytes: () =>
      zipEntries(
        Object.fromEntries(Object.entries(baseEntries()).map(([k, v]) => [`Hostile/${k}`, v])),
      ),
  }),
  zip({
    name: 'zip-without-customizations',
    class: 'layout',
    what: 'a zip without customizations.xml',
    expect: refused('PACKAGE_LAYOUT_INVALID', 'customizations.xml'),
    bytes: () => zipEntries(baseEntries({ omit: [CUSTOMIZATIONS] })),
  }),
];

// ---- XML: entities, characters, well-formedness ---------------------------------------------

const LAUGHS =
  '<!DOCTYPE lolz [<!ENTITY lol "lol">' +
  Array.from(
    { length: 9 },
    (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`,
  ).join('') +
  ']>';

const entities: HostileCase[] = [
  zip({
    name: 'zip-doctype-internal-entity',
    class: 'xml-entities',
    what: 'customizations.xml declares an internal entity in a DOCTYPE',
    expect: refused('XML_DTD_FORBIDDEN', CUSTOMIZATIONS),
    bytes: () =>
      editCustomizations(
        (c) => `<!DOCTYPE ImportExportXml [<!ENTITY who "Contoso">]>${dropDeclaration(c)}`,
      ),
  }),
  zip({
    name: 'zip-billion-laughs',
    class: 'xml-entities',
    what: 'solution.xml opens with the billion laughs (10^9 expansions of "lol")',
    expect: refused('XML_DTD_FORBIDDEN', SOLUTION),
    isolate: true,
    bytes: () =>
      editSolution(
        (s) =>
          LAUGHS +
          dropDeclaration(s).replace('<Descriptions />', '<Descriptions>&lol9;</Descriptions>'),
      ),
  }),
  zip({
    name: 'zip-external-entity-file',
    class: 'xml-entities',
    what: 'customizations.xml declares an external entity for file:///etc/passwd and uses it',
    expect: refused('XML_DTD_FORBIDDEN', CUSTOMIZATIONS),
    bytes: () =>
      editCustomizations(
        (c) =>
          '<!DOCTYPE ImportExportXml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' +
          dropDeclaration(c).replace('<Language>1033', '<Language>&xxe;1033'),
      ),
  }),
  zip({
    name: 'zip-external-dtd-http',
    class: 'xml-entities',
    what: 'solution.xml names an external DTD over HTTP',
    expect: refused('XML_DTD_FORBIDDEN', SOLUTION),
    bytes: () =>
      editSolution(
        (s) =>
          '<!DOCTYPE ImportExportXml SYSTEM "http://127.0.0.1:9/evil.dtd">' + dropDeclaration(s),
      ),
  }),
  zip({
    name: 'zip-parameter-entity',
    class: 'xml-entities',
    what: 'customizations.xml pulls a remote DTD through a parameter entity',
    expect: refused('XML_DTD_FORBIDDEN', CUSTOMIZATIONS),
    bytes: () =>
      editCustomizations(
        (c) =>
          '<!DOCTYPE x [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/x.dtd"> %remote;]>' +
          dropDeclaration(c),
      ),
  }),
  zip({
    name: 'zip-lowercase-doctype',
    class: 'xml-entities',
    what: 'a DOCTYPE spelled in lower case',
    expect: refused('XML_DTD_FORBIDDEN', CUSTOMIZATIONS),
    bytes: () =>
      editCustomizations(
        (c) => `<!doctype ImportExportXml [<!entity a "b">]>${dropDeclaration(c)}`,
      ),
  }),
  zip({
    name: 'zip-entity-declared-inside-root',
    class: 'xml-entities',
    what: 'an <!ENTITY> declaration inside the root element, without a DOCTYPE',
    expect: refused('XML_DTD_FORBIDDEN', CUSTOMIZATIONS),
    bytes: () => beforeLanguages('<!ENTITY xxe SYSTEM "file:///etc/passwd">'),
  }),
  zip({
    name: 'zip-undefined-entity-reference',
    class: 'xml-entities',
    what: 'a reference to an entity nobody declared (&xxe;)',
    expect: refused('XML_ENTITY_FORBIDDEN', '&xxe;'),
    bytes: () => editCustomizations((c) => c.replace('<Language>1033', '<Language>&xxe;1033')),
  }),
  zip({
    name: 'zip-doctype-in-utf16',
    class: 'xml-entities',
    what: 'a DOCTYPE in a UTF-16 customizations.xml',
    expect: refused('XML_DTD_FORBIDDEN', CUSTOMIZATIONS),
    bytes: () => {
      const c =
        '<!DOCTYPE x [<!ENTITY a "b">]>' + dropDeclaration(text(baseEntries(), CUSTOMIZATIONS));
      const utf16 = concat(new Uint8Array([0xff, 0xfe]), new Uint8Array(Buffer.from(c, 'utf16le')));
      return zipEntries(withBytes(baseEntries(), CUSTOMIZATIONS, utf16));
    },
  }),
  zip({
    name: 'zip-doctype-in-environment-variable',
    class: 'xml-entities',
    what: "an environment variable's definition file with an external entity",
    expect: refused('XML_DTD_FORBIDDEN', 'environmentvariabledefinition.xml'),
    bytes: () =>
      zipEntries({
        ...baseEntries(),
        'environmentvariabledefinitions/new_Secret/environmentvariabledefinition.xml': strToU8(
          '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' +
            '<environmentvariabledefinition schemaname="new_Secret">' +
            '<defaultvalue>&xxe;</defaultvalue></environmentvariabledefinition>',
        ),
      }),
  }),
  zip({
    name: 'zip-svg-web-resource-with-dtd',
    class: 'xml-entities',
    what: 'an SVG web resource holding the billion laughs: content, never parsed',
    expect: ACCEPTED,
    bytes: () =>
      zipEntries(
        acceptedEntries('HostileSvgLaughs', {
          webResources: [
            {
              name: 'new_/laughs.svg',
              type: 11,
              content: `<?xml version="1.0"?>${LAUGHS}<svg>&lol9;</svg>`,
            },
          ],
        }),
      ),
  }),
];

const characters: HostileCase[] = [
  zip({
    name: 'zip-lone-surrogate-reference',
    class: 'xml-characters',
    what: 'a character reference to a lone surrogate (&#xD800;) in customizations.xml',
    expect: refused('XML_CHAR_FORBIDDEN'),
    finding: 'XML: a character reference to a lone surrogate',
    bytes: () => editCustomizations((c) => c.replace('<Language>1033', '<Language>&#xD800;1033')),
  }),
  zip({
    name: 'zip-nul-reference',
    class: 'xml-characters',
    what: "a character reference to NUL (&#0;) in the solution's name",
    expect: refused('XML_CHAR_FORBIDDEN'),
    finding: 'XML: a character reference to NUL',
    bytes: () =>
      editSolution((s) => s.replace('description="Hostile"', 'description="Host&#0;ile"')),
  }),
  zip({
    name: 'zip-reference-beyond-unicode',
    class: 'xml-characters',
    what: 'a character reference past the last code point (&#x110000;)',
    expect: refused('XML_CHAR_FORBIDDEN', '&#x110000;'),
    bytes: () => editCustomizations((c) => c.replace('<Language>1033', '<Language>&#x110000;1033')),
  }),
];

const malformed: HostileCase[] = [
  zip({
    name: 'zip-customizations-cut-in-half',
    class: 'malformed-xml',
    what: 'customizations.xml cut off in the middle',
    expect: refused('XML_MALFORMED', CUSTOMIZATIONS),
    bytes: () => editCustomizations((c) => c.slice(0, Math.floor(c.length / 2))),
  }),
  zip({
    name: 'zip-solution-not-xml',
    class: 'malformed-xml',
    what: 'solution.xml holding key=value text',
    expect: refused('XML_MALFORMED', SOLUTION),
    bytes: () => editSolution(() => 'UniqueName=Hostile\nVersion=1.0.0.0\n'),
  }),
  zip({
    name: 'zip-mismatched-end-tag',
    class: 'malformed-xml',
    what: 'an end tag that closes another element',
    expect: refused('XML_MALFORMED', '</Languages>'),
    bytes: () => editCustomizations((c) => c.replace('</Language>', '</Languages>')),
  }),
  zip({
    name: 'zip-two-root-elements',
    class: 'malformed-xml',
    what: 'solution.xml with a second root element after the first',
    expect: refused('XML_MALFORMED', SOLUTION),
    bytes: () => editSolution((s) => `${s}<ImportExportXml />`),
  }),
  zip({
    name: 'zip-manifest-without-unique-name',
    class: 'malformed-xml',
    what: 'solution.xml whose manifest has no UniqueName',
    expect: refused('MANIFEST_INVALID', 'UniqueName'),
    bytes: () => editSolution((s) => s.replace(/<UniqueName>Hostile<\/UniqueName>/, '')),
  }),
  zip({
    name: 'zip-customizations-wrong-root',
    class: 'malformed-xml',
    what: 'customizations.xml whose root is not ImportExportXml',
    expect: refused('CUSTOMIZATIONS_INVALID', '<Types>'),
    bytes: () => editCustomizations(() => '<Types><Default Extension="xml" /></Types>'),
  }),
];

// ---- encodings -------------------------------------------------------------------------------

/** The base package with customizations.xml (or solution.xml) as the given bytes. */
const customizationsBytes = (bytes: Uint8Array): Uint8Array =>
  zipEntries(withBytes(baseEntries(), CUSTOMIZATIONS, bytes));
const customizationsText = (): string => text(baseEntries(), CUSTOMIZATIONS);
/** customizations.xml as UTF-8 with `bytes` spliced into the language element */
const spliced = (bytes: Uint8Array): Uint8Array => {
  const [head, tail] = customizationsText().split('<Language>1033');
  return customizationsBytes(concat(strToU8(`${head}<Language>`), bytes, strToU8(`1033${tail}`)));
};

const encodings: HostileCase[] = [
  zip({
    name: 'zip-latin1-customizations',
    class: 'encoding',
    what: 'customizations.xml in Latin-1 (a label "Kiste für Bücher")',
    expect: refused('XML_ENCODING', CUSTOMIZATIONS),
    bytes: () =>
      customizationsBytes(latin1(customizationsText().replace('Box', 'Kiste für Bücher'))),
  }),
  zip({
    name: 'zip-overlong-utf8',
    class: 'encoding',
    what: 'solution.xml with an overlong UTF-8 sequence for "/" (C0 AF)',
    expect: refused('XML_ENCODING', SOLUTION),
    bytes: () => {
      const [head, tail] = text(baseEntries(), SOLUTION).split('Hostile</UniqueName>');
      const s = concat(
        strToU8(`${head}Hostile`),
        latin1('\xc0\xaf'),
        strToU8(`</UniqueName>${tail}`),
      );
      return zipEntries(withBytes(baseEntries(), SOLUTION, s));
    },
  }),
  zip({
    name: 'zip-utf8-encoded-surrogate',
    class: 'encoding',
    what: 'customizations.xml with a surrogate encoded as UTF-8 bytes (ED A0 80)',
    expect: refused('XML_ENCODING', CUSTOMIZATIONS),
    bytes: () => spliced(latin1('\xed\xa0\x80')),
  }),
  zip({
    name: 'zip-utf8-cut-mid-character',
    class: 'encoding',
    what: 'customizations.xml ending inside a three-byte UTF-8 character',
    expect: refused('XML_ENCODING', CUSTOMIZATIONS),
    bytes: () => customizationsBytes(concat(strToU8(customizationsText()), latin1('\xe2\x82'))),
  }),
  zip({
    name: 'zip-utf16-without-bom',
    class: 'encoding',
    what: 'customizations.xml in UTF-16 without a byte order mark',
    expect: refused('XML_CHAR_FORBIDDEN', CUSTOMIZATIONS),
    bytes: () => customizationsBytes(new Uint8Array(Buffer.from(customizationsText(), 'utf16le'))),
  }),
  zip({
    name: 'zip-utf32-with-bom',
    class: 'encoding',
    what: 'customizations.xml in UTF-32, which solution files never use',
    expect: refused('XML_CHAR_FORBIDDEN', CUSTOMIZATIONS),
    bytes: () => {
      const chars = [...customizationsText()].map((ch) => ch.codePointAt(0)!);
      const b = Buffer.alloc(4 * (chars.length + 1));
      b.writeUInt32LE(0xfeff, 0);
      chars.forEach((cp, i) => b.writeUInt32LE(cp, 4 * (i + 1)));
      return customizationsBytes(new Uint8Array(b));
    },
  }),
  zip({
    name: 'zip-utf16le-with-bom',
    class: 'encoding',
    what: 'customizations.xml in UTF-16LE with its byte order mark, as old exports wrote it',
    expect: ACCEPTED,
    bytes: () => {
      const entries = acceptedEntries('HostileUtf16');
      const c = text(entries, CUSTOMIZATIONS);
      const utf16 = concat(new Uint8Array([0xff, 0xfe]), new Uint8Array(Buffer.from(c, 'utf16le')));
      return zipEntries(withBytes(entries, CUSTOMIZATIONS, utf16));
    },
  }),
];

// ---- values ----------------------------------------------------------------------------------

const LONG_NAME = 'Hostile'.repeat(43).slice(0, 300);

const values: HostileCase[] = [
  zip({
    name: 'zip-version-part-11-digits',
    class: 'huge-values',
    what: 'a version whose revision has 11 digits',
    expect: refused('VERSION_PART_TOO_LARGE', '12345678901'),
    bytes: () => zipEntries(baseEntries({ version: '1.0.0.12345678901' })),
  }),
  zip({
    name: 'zip-version-five-parts',
    class: 'huge-values',
    what: 'a version of five parts',
    expect: refused('VERSION_INVALID', '1.0.0.0.1'),
    bytes: () => zipEntries(baseEntries({ version: '1.0.0.0.1' })),
  }),
  zip({
    name: 'zip-version-part-over-int32',
    class: 'dataverse-values',
    what: 'a version part of 2,147,483,648, one over the largest Dataverse stores',
    expect: refused('VERSION_PART_TOO_LARGE', '2147483648'),
    finding: 'values: a version part over 2,147,483,647',
    bytes: () => zipEntries(baseEntries({ version: '1.0.0.2147483648' })),
  }),
  zip({
    name: 'zip-unique-name-300-characters',
    class: 'dataverse-values',
    what: 'a solution unique name of 300 characters',
    expect: refused('NAME_INVALID', LONG_NAME.slice(0, 20)),
    finding: 'values: a unique name of 300 characters',
    bytes: () => zipEntries(baseEntries({ uniqueName: LONG_NAME })),
  }),
  zip({
    name: 'zip-unique-name-with-semicolon',
    class: 'dataverse-values',
    what: 'a solution unique name with a semicolon',
    expect: refused('NAME_INVALID', 'Hostile;drop'),
    bytes: () => zipEntries(baseEntries({ uniqueName: 'Hostile;drop' })),
  }),
  zip({
    name: 'zip-publisher-name-with-space',
    class: 'dataverse-values',
    what: 'a publisher unique name with a space',
    expect: refused('NAME_INVALID', 'hostile pub'),
    finding: 'values: unique names with quotes, semicolons and spaces',
    bytes: () =>
      zipEntries(
        baseEntries({
          publisher: { uniqueName: 'hostile pub', prefix: 'new', optionValuePrefix: 30000 },
        }),
      ),
  }),
  zip({
    name: 'zip-table-name-with-semicolon',
    class: 'dataverse-values',
    what: 'a table logical name with a semicolon',
    expect: refused('NAME_INVALID', 'new_box;drop'),
    finding: 'values: logical names with quotes, semicolons and spaces',
    bytes: () =>
      zipEntries(baseEntries({ entities: [{ name: 'new_box;drop', attributes: ['new_name'] }] })),
  }),
  zip({
    name: 'zip-column-name-with-quote',
    class: 'dataverse-values',
    what: 'a column logical name with a double quote',
    expect: refused('NAME_INVALID', 'new_na"me'),
    finding: 'values: logical names with quotes, semicolons and spaces',
    bytes: () =>
      zipEntries(
        baseEntries({ entities: [{ name: 'new_box', attributes: ['new_boxid', 'new_na"me'] }] }),
      ),
  }),
];

// ---- deep nesting ----------------------------------------------------------------------------

const DEEP = 100_000;
const deepXml = `<Deep>${'<a>'.repeat(DEEP)}${'</a>'.repeat(DEEP)}</Deep>`;

const nesting: HostileCase[] = [
  zip({
    name: 'zip-xml-100k-levels-in-section',
    class: 'deep-nesting',
    what: 'a section of customizations.xml nested 100,000 elements deep (over the 256 allowed)',
    expect: refused('XML_TOO_DEEP'),
    isolate: true,
    bytes: () =>
      zipEntries(
        editXml(acceptedEntries('HostileDeepSection'), CUSTOMIZATIONS, (c) =>
          c.replace(LANGUAGES, deepXml + LANGUAGES),
        ),
      ),
  }),
  zip({
    name: 'zip-xml-100k-levels-in-table',
    class: 'deep-nesting',
    what: 'a table definition holding an element nested 100,000 deep (over the 256 allowed)',
    expect: refused('XML_TOO_DEEP'),
    isolate: true,
    bytes: () =>
      zipEntries(
        editXml(acceptedEntries('HostileDeepTable'), CUSTOMIZATIONS, (c) =>
          c.replace('<OwnershipTypeMask>', `${deepXml}<OwnershipTypeMask>`),
        ),
      ),
  }),
  zip({
    name: 'zip-entry-path-5000-levels',
    class: 'deep-nesting',
    what: 'an entry 5,000 folders deep (a 10 KB name)',
    expect: ACCEPTED,
    bytes: () =>
      zipEntries({
        ...acceptedEntries('HostileDeepPath'),
        [`${'d/'.repeat(5000)}leaf.txt`]: strToU8('leaf'),
      }),
  }),
];

// ---- ambiguity and integrity -------------------------------------------------------------------

const ambiguous: HostileCase[] = [
  zip({
    name: 'zip-customizations-twice',
    class: 'ambiguous',
    what: 'two entries named customizations.xml with different content',
    expect: refused('PACKAGE_DUPLICATE_ENTRY', CUSTOMIZATIONS),
    finding: 'ambiguous: two entries named customizations.xml',
    bytes: () => {
      const other = editXml(baseEntries(), CUSTOMIZATIONS, (c) =>
        c.replace(/new_box/g, 'new_crate'),
      );
      return writeZip([
        ...raw(baseEntries()),
        { name: CUSTOMIZATIONS, data: other[CUSTOMIZATIONS] },
      ]);
    },
  }),
  zip({
    name: 'zip-solution-and-Solution',
    class: 'ambiguous',
    what: 'solution.xml (1.0.0.0) beside Solution.xml (9.0.0.0)',
    expect: refused('PACKAGE_DUPLICATE_ENTRY', SOLUTION, 'Solution.xml'),
    finding: 'ambiguous: solution.xml next to Solution.xml',
    bytes: () =>
      writeZip([
        ...raw(baseEntries()),
        { name: 'Solution.xml', data: baseEntries({ version: '9.0.0.0' })[SOLUTION] },
      ]),
  }),
  zip({
    name: 'zip-web-resource-entry-twice',
    class: 'ambiguous',
    what: "the web resource's file twice, with different content",
    expect: refused('PACKAGE_DUPLICATE_ENTRY', webResourcePath(baseEntries())),
    finding: 'ambiguous: a web resource twice',
    bytes: () =>
      writeZip([
        ...raw(baseEntries()),
        { name: webResourcePath(baseEntries()), data: strToU8('fetch("https://evil.example")') },
      ]),
  }),
  zip({
    name: 'zip-web-resource-declared-twice',
    class: 'ambiguous',
    what: 'a web resource declared twice in customizations.xml, with different content',
    expect: refused('PACKAGE_DUPLICATE_COMPONENT', 'new_/dup.js'),
    bytes: () =>
      zipEntries(
        baseEntries({
          webResources: [
            { name: 'new_/dup.js', content: 'var a = 1;' },
            { name: 'new_/dup.js', content: 'var a = 2;' },
          ],
        }),
      ),
  }),
  zip({
    name: 'zip-web-resource-declared-twice-identical',
    class: 'ambiguous',
    what: 'a web resource declared twice, byte for byte the same: one component',
    expect: ACCEPTED,
    bytes: () => {
      const wr = {
        name: 'new_/same.js',
        content: 'var a = 1;',
        id: '0b2d1c3e-1111-4222-8333-444455556666',
      };
      return zipEntries(acceptedEntries('HostileSameTwice', { webResources: [wr, wr] }));
    },
  }),
  zip({
    name: 'zip-table-declared-twice',
    class: 'ambiguous',
    what: 'a table declared twice with different columns',
    expect: refused('PACKAGE_DUPLICATE_COMPONENT', 'new_box'),
    bytes: () =>
      zipEntries(
        baseEntries({
          entities: [
            { name: 'new_box', attributes: ['new_boxid', 'new_name'] },
            { name: 'new_box', attributes: ['new_boxid', 'new_size'] },
          ],
        }),
      ),
  }),
];

const integrity: HostileCase[] = [
  zip({
    name: 'zip-crc-mismatch',
    class: 'zip-integrity',
    what: "the web resource's CRC-32 does not match its data",
    expect: refused('PACKAGE_CRC_MISMATCH'),
    finding: 'zip integrity: a CRC-32 that does not match',
    bytes: () =>
      writeZip(
        raw(baseEntries()).map((e) =>
          e.name === webResourcePath(baseEntries()) ? { ...e, crc: 0x0badc0de } : e,
        ),
      ),
  }),
  zip({
    name: 'zip-local-header-says-1000-inflates-150mb',
    class: 'zip-integrity',
    what:
      'an entry whose local header declares 1,000 bytes and whose data inflates to 150 MB ' +
      '(the central directory says 150 MB)',
    expect: refused('PACKAGE_SIZE_MISMATCH'),
    isolate: true,
    finding: 'zip integrity: a size header that lies',
    bytes: () =>
      writeZip([
        ...raw(baseEntries()),
        {
          name: 'WebResources/small.bin',
          data: deflatedParts([{ byte: 0, size: 150 * MB }]),
          localSize: 1000,
        },
      ]),
  }),
  zip({
    name: 'zip-both-headers-say-1000-inflates-150mb',
    class: 'zip-integrity',
    what: 'an entry whose two headers declare 1,000 bytes and whose data inflates to 150 MB',
    expect: refused('PACKAGE_SIZE_MISMATCH'),
    isolate: true,
    bytes: () =>
      writeZip([
        ...raw(baseEntries()),
        {
          name: 'WebResources/small.bin',
          data: deflatedParts([{ byte: 0, size: 150 * MB }]),
          declaredSize: 1000,
        },
      ]),
  }),
  zip({
    name: 'zip-150-entries-overlap-one',
    class: 'zip-integrity',
    what: '150 central-directory entries that all point at one 1 MB local entry',
    expect: refused('PACKAGE_ENTRIES_OVERLAP'),
    isolate: true,
    finding: 'zip integrity: central-directory entries that overlap',
    bytes: () => {
      const base = raw(baseEntries());
      return writeZip(
        [...base, { name: 'WebResources/blob.bin', data: deflatedParts([{ byte: 0, size: MB }]) }],
        {
          aliases: Array.from({ length: 150 }, (_, i) => ({
            name: `WebResources/blob-${i}.bin`,
            target: base.length,
          })),
        },
      );
    },
  }),
  zip({
    name: 'zip-encrypted-flag',
    class: 'zip-integrity',
    what: 'customizations.xml flagged as encrypted (the data is plain)',
    expect: refused('PACKAGE_ENCRYPTED'),
    finding: 'zip integrity: an entry flagged as encrypted',
    bytes: () =>
      writeZip(
        raw(baseEntries()).map((e) => (e.name === CUSTOMIZATIONS ? { ...e, flags: 0x0801 } : e)),
      ),
  }),
];

// ---- damaged zips ------------------------------------------------------------------------------

/** The base package with customizations.xml first, so its data starts at a known offset. */
const custFirst = (): Uint8Array => {
  const entries = raw(baseEntries());
  return writeZip([
    entries.find((e) => e.name === CUSTOMIZATIONS)!,
    ...entries.filter((e) => e.name !== CUSTOMIZATIONS),
  ]);
};
const CUST_DATA = 30 + CUSTOMIZATIONS.length;

const corrupt: HostileCase[] = [
  zip({
    name: 'zip-cut-in-half',
    class: 'corrupt-zip',
    what: 'the first half of the package',
    expect: refused('PACKAGE_CORRUPT', 'zip-cut-in-half.zip'),
    bytes: () => {
      const z = zipEntries(baseEntries());
      return z.subarray(0, Math.floor(z.length / 2));
    },
  }),
  zip({
    name: 'zip-without-end-record',
    class: 'corrupt-zip',
    what: 'the package without its last 22 bytes (the end of central directory record)',
    expect: refused('PACKAGE_CORRUPT'),
    bytes: () => {
      const z = zipEntries(baseEntries());
      return z.subarray(0, z.length - 22);
    },
  }),
  zip({
    name: 'zip-directory-beyond-end',
    class: 'corrupt-zip',
    what: 'an end record whose central directory starts past the end of the file',
    expect: refused('PACKAGE_CORRUPT'),
    bytes: () => {
      const z = zipEntries(baseEntries());
      return patched(z, (v) => v.setUint32(endRecord(z).at + 16, z.length + 1000, true));
    },
  }),
  zip({
    name: 'zip-entry-count-overstated',
    class: 'corrupt-zip',
    what: 'an end record counting 60,000 entries where the directory has 4',
    expect: refused('PACKAGE_CORRUPT'),
    bytes: () => {
      const z = zipEntries(baseEntries());
      const end = endRecord(z).at;
      return patched(z, (v) => {
        v.setUint16(end + 8, 60_000, true);
        v.setUint16(end + 10, 60_000, true);
      });
    },
  }),
  zip({
    name: 'zip-local-header-beyond-end',
    class: 'corrupt-zip',
    what: "a central-directory record whose local header lies past the file's end",
    expect: refused('PACKAGE_CORRUPT'),
    bytes: () => {
      const z = zipEntries(baseEntries());
      return patched(z, (v) => v.setUint32(endRecord(z).directory + 42, 0x7fffff00, true));
    },
  }),
  zip({
    name: 'zip-invalid-deflate-block',
    class: 'corrupt-zip',
    what: 'customizations.xml whose deflate data starts with the reserved block type',
    expect: refused('PACKAGE_CORRUPT'),
    bytes: () => patched(custFirst(), (_, b) => (b[CUST_DATA] |= 0x06)),
  }),
  zip({
    name: 'zip-deflate-stream-cut-short',
    class: 'corrupt-zip',
    what: "customizations.xml's deflate stream cut to half its length",
    expect: refused('PACKAGE_CORRUPT'),
    bytes: () => {
      const c = baseEntries()[CUSTOMIZATIONS];
      const d = deflateRawSync(c);
      const cut = { deflated: d.subarray(0, d.length >> 1), size: c.length, crc: 0 };
      return writeZip(
        raw(baseEntries()).map((e) => (e.name === CUSTOMIZATIONS ? { ...e, data: cut } : e)),
      );
    },
  }),
  zip({
    name: 'zip-compression-method-bzip2',
    class: 'corrupt-zip',
    what: 'customizations.xml compressed with method 12 (bzip2), which solution zips never use',
    expect: refused('PACKAGE_CORRUPT', '12'),
    bytes: () =>
      writeZip(
        raw(baseEntries()).map((e) => (e.name === CUSTOMIZATIONS ? { ...e, method: 12 } : e)),
      ),
  }),
  zip({
    name: 'zip-end-record-only',
    class: 'corrupt-zip',
    what: 'an empty zip: an end record and nothing else',
    expect: refused('PACKAGE_LAYOUT_INVALID'),
    bytes: () => writeZip([]),
  }),
  zip({
    name: 'zip-empty-file',
    class: 'corrupt-zip',
    what: 'a file of zero bytes',
    expect: refused('PACKAGE_NOT_A_SOLUTION', 'zip-empty-file.zip'),
    bytes: () => new Uint8Array(0),
  }),
  zip({
    name: 'zip-plain-text',
    class: 'corrupt-zip',
    what: 'a text file named .zip',
    expect: refused('PACKAGE_NOT_A_SOLUTION', 'zip-plain-text.zip'),
    bytes: () => strToU8('Remember to export the solution as managed.\n'),
  }),
];

export const ZIP_CASES: HostileCase[] = [
  ...controls,
  ...bombs,
  ...sizes,
  ...traversal,
  ...nested,
  ...entities,
  ...characters,
  ...malformed,
  ...encodings,
  ...values,
  ...nesting,
  ...ambiguous,
  ...integrity,
  ...corrupt,
];
