import { pathToFileURL } from 'node:url';
import { parseXml } from '../../src/package/xml.js';
import { StrataError } from '../../src/model/errors.js';

/**
 * Hostile XML of one or ten megabytes, one per path of the reader: long names, an attribute name
 * without "=", long values, text, comments, CDATA, processing instructions, unterminated
 * constructs, deep nesting, many attributes. A reader that scans any of them twice per character
 * takes minutes (an attribute name of a megabyte without "=" took more than 120 s).
 *
 * Run as a script, it parses each and prints one JSON line per case ({ name, ms, code }).
 * test/xml.test.ts runs it in a child process with a deadline, so a reader that turns quadratic
 * fails the suite instead of hanging it.
 */
export interface HostileXml {
  name: string;
  megabytes: 1 | 10;
  xml: () => string;
  /** the error code expected, or 'ok' for XML that reads */
  expect: string;
}

const MB = 1024 * 1024;
const a = (mb: number): string => 'a'.repeat(mb * MB);
const repeat = (unit: string, mb: number): string =>
  unit.repeat(Math.floor((mb * MB) / unit.length));

export const HOSTILE_XML: HostileXml[] = [
  { name: 'an element name', megabytes: 1, xml: () => `<${a(1)}/>`, expect: 'ok' },
  { name: 'an element name', megabytes: 10, xml: () => `<${a(10)}/>`, expect: 'ok' },
  {
    name: 'an unterminated start tag',
    megabytes: 1,
    xml: () => `<${a(1)}`,
    expect: 'XML_MALFORMED',
  },
  {
    name: 'an attribute name without "="',
    megabytes: 1,
    xml: () => `<r ${a(1)}/>`,
    expect: 'XML_MALFORMED',
  },
  {
    name: 'an attribute name without "="',
    megabytes: 10,
    xml: () => `<r ${a(10)}>`,
    expect: 'XML_MALFORMED',
  },
  {
    name: 'attribute names without "=", one after another',
    megabytes: 1,
    xml: () => `<r ${repeat('ab ', 1)}/>`,
    expect: 'XML_MALFORMED',
  },
  { name: 'an attribute value', megabytes: 1, xml: () => `<r v="${a(1)}"/>`, expect: 'ok' },
  {
    name: 'an unterminated attribute value',
    megabytes: 1,
    xml: () => `<r v="${a(1)}`,
    expect: 'XML_MALFORMED',
  },
  {
    name: 'an attribute value of references',
    megabytes: 1,
    xml: () => `<r v="${repeat('&#38;', 1)}"/>`,
    expect: 'ok',
  },
  {
    name: "an attribute value of bare '&'",
    megabytes: 1,
    xml: () => `<r v="${repeat('&', 1)}"/>`,
    expect: 'XML_MALFORMED',
  },
  {
    name: 'many attributes',
    megabytes: 1,
    xml: () => `<r ${Array.from({ length: MB / 12 }, (_, i) => `a${i}="1"`).join(' ')}/>`,
    expect: 'ok',
  },
  { name: 'text', megabytes: 1, xml: () => `<r>${a(1)}</r>`, expect: 'ok' },
  { name: 'text', megabytes: 10, xml: () => `<r>${a(10)}</r>`, expect: 'ok' },
  {
    name: 'text of references',
    megabytes: 1,
    xml: () => `<r>${repeat('&amp;', 1)}</r>`,
    expect: 'ok',
  },
  {
    name: "text of bare '&'",
    megabytes: 1,
    xml: () => `<r>${repeat('&', 1)}</r>`,
    expect: 'XML_MALFORMED',
  },
  {
    name: "text of '&' and a name without ';'",
    megabytes: 1,
    xml: () => `<r>${repeat('&a', 1)}</r>`,
    expect: 'XML_MALFORMED',
  },
  {
    name: 'a character reference of a million digits',
    megabytes: 1,
    xml: () => `<r>&#${'1'.repeat(MB)};</r>`,
    expect: 'XML_CHAR_FORBIDDEN',
  },
  {
    name: 'a forbidden character after a megabyte of text',
    megabytes: 1,
    xml: () => `<r>\n${a(1)}\u0001</r>`,
    expect: 'XML_CHAR_FORBIDDEN',
  },
  { name: 'a comment', megabytes: 1, xml: () => `<r><!--${a(1)}--></r>`, expect: 'ok' },
  { name: 'a comment', megabytes: 10, xml: () => `<r><!--${a(10)}--></r>`, expect: 'ok' },
  {
    name: 'an unterminated comment',
    megabytes: 1,
    xml: () => `<r><!--${a(1)}`,
    expect: 'XML_MALFORMED',
  },
  { name: 'a CDATA section', megabytes: 1, xml: () => `<r><![CDATA[${a(1)}]]></r>`, expect: 'ok' },
  {
    name: 'an unterminated CDATA section',
    megabytes: 1,
    xml: () => `<r><![CDATA[${a(1)}`,
    expect: 'XML_MALFORMED',
  },
  { name: 'a processing instruction', megabytes: 1, xml: () => `<?pi ${a(1)}?><r/>`, expect: 'ok' },
  {
    name: 'an unterminated processing instruction',
    megabytes: 1,
    xml: () => `<?pi ${a(1)}`,
    expect: 'XML_MALFORMED',
  },
  {
    name: 'an end tag name',
    megabytes: 1,
    xml: () => `<r></${a(1)}>`,
    expect: 'XML_MALFORMED',
  },
  {
    name: 'elements nested a megabyte deep',
    megabytes: 1,
    xml: () => repeat('<a>', 1),
    expect: 'XML_TOO_DEEP',
  },
  {
    name: 'many elements',
    megabytes: 1,
    xml: () => `<r>${repeat('<a b="c"/>', 1)}</r>`,
    expect: 'ok',
  },
  {
    name: 'many elements in a root that is never closed',
    megabytes: 1,
    xml: () => `<r>${repeat('<a></a>', 1)}`,
    expect: 'XML_MALFORMED',
  },
];

function run(): void {
  for (const c of HOSTILE_XML) {
    const xml = c.xml();
    const t = performance.now();
    let code = 'ok';
    try {
      parseXml(xml, 'hostile.xml');
    } catch (e) {
      code = e instanceof StrataError ? e.code : `not a StrataError: ${String(e)}`;
    }
    const ms = Math.round(performance.now() - t);
    process.stdout.write(JSON.stringify({ name: c.name, megabytes: c.megabytes, ms, code }) + '\n');
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) run();
