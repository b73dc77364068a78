import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { before, describe, test } from 'node:test';
import { MAX_XML_DEPTH, parseXml } from '../src/package/xml.js';
import { assertPackageError } from './support/errors.js';
import { REPO_ROOT } from './support/fixtures.js';
import { HOSTILE_XML } from './support/hostile-xml.js';

/** the rule XML_CHAR_FORBIDDEN states */
const CHAR_RULE = /XML 1\.0 allows only tab, line feed, carriage return and the characters/;

describe('characters outside XML 1.0 are refused with the file, the line and the rule', () => {
  const cases: Array<[string, string, number, RegExp]> = [
    ['a reference to a lone surrogate', '<r>\n<a>&#xD800;</a></r>', 2, /&#xD800;.*U\+D800/],
    ['a reference to NUL in an attribute', '<r>\n\n<a x="&#0;"/></r>', 3, /&#0;.*U\+0000/],
    ['a decimal reference to a control character', '<r>&#8;</r>', 1, /U\+0008/],
    ['a reference to U+FFFE', '<r>&#xFFFE;</r>', 1, /U\+FFFE/],
    ['a reference beyond U+10FFFF', '<r>&#x110000;</r>', 1, /names no character/],
    ['a control character in text', '<r>\nok\n\u0001</r>', 3, /U\+0001/],
    ['a control character in an attribute value', '<r a="\u0008"/>', 1, /U\+0008/],
    ['NUL in an element name', '<r>\n<a\u0000b/></r>', 2, /U\+0000/],
    ['a vertical tab in a comment', '<r><!-- \u000B --></r>', 1, /U\+000B/],
    ['U+FFFF in a CDATA section', '<r>\n<![CDATA[\uFFFF]]></r>', 2, /U\+FFFF/],
    ['a lone high surrogate in text', '<r>\uD83D</r>', 1, /U\+D83D/],
    ['a lone low surrogate in an attribute', '<r a="x\uDC00"/>', 1, /U\+DC00/],
  ];
  for (const [name, xml, line, what] of cases) {
    test(name, () => {
      const err = assertPackageError(
        () => parseXml(xml, 'customizations.xml'),
        'XML_CHAR_FORBIDDEN',
        CHAR_RULE,
      );
      assert.match(err.message, what);
      assert.match(err.message, /^customizations\.xml is not well-formed XML: /);
      assert.match(err.message, new RegExp(`\\(line ${line}\\)\\.$`));
      assert.deepEqual(err.details, { file: 'customizations.xml', line });
    });
  }

  test('tab, line feed, carriage return, astral characters and references to them read', () => {
    const root = parseXml('<r a="\t&#9;&#x10FFFF;">\r\n😀&#x1F600;&#xD7FF;&#xE000;&#xFFFD;</r>');
    assert.equal(root.attrs.a, '\t\t\u{10FFFF}');
    assert.equal(root.text, '\r\n😀😀\uD7FF\uE000\uFFFD');
  });
});

describe('markup XML forbids is refused', () => {
  const cases: Array<[string, string, string, RegExp]> = [
    ["a bare '&' in text", '<r>fish & chips</r>', 'XML_MALFORMED', /"&" must start a reference/],
    ["a reference without its ';'", '<r>&amp chips</r>', 'XML_MALFORMED', /"&amp" lacks its ";"/],
    ['an undefined entity', '<r>&nbsp;</r>', 'XML_ENTITY_FORBIDDEN', /undefined entity "&nbsp;"/],
    ['an attribute given twice', '<r a="1" a="2"/>', 'XML_MALFORMED', /a appears twice in <r>/],
    ["'<' in an attribute value", '<r a="1<2"/>', 'XML_MALFORMED', /"<" in the value of a/],
    ['attributes without space between', '<r a="1"b="2"/>', 'XML_MALFORMED', /bad attribute/],
    ['an attribute without a value', '<r checked/>', 'XML_MALFORMED', /checked of <r> has no "="/],
    ['an unquoted attribute value', '<r a=1/>', 'XML_MALFORMED', /value of a in <r> is not quoted/],
    ['a name starting with a digit', '<1r/>', 'XML_MALFORMED', /"1r" is not an XML name/],
    ['an end tag with more than a name', '<r></r x>', 'XML_MALFORMED', /text in end tag <\/r>/],
    ['an element never closed', '<r>\n<a>\n</r>', 'XML_MALFORMED', /<\/r> does not match <a>/],
  ];
  for (const [name, xml, code, what] of cases) {
    test(name, () => {
      assertPackageError(() => parseXml(xml, 'solution.xml'), code, what);
    });
  }

  test('names may use letters beyond ASCII, as XML allows', () => {
    const root = parseXml('<données état="ok"><ñ/></données>');
    assert.deepEqual(
      [root.name, root.attrs['état'], root.children[0].name],
      ['données', 'ok', 'ñ'],
    );
  });

  test('an attribute named __proto__ is kept as an attribute', () => {
    const root = parseXml('<r __proto__="x" b="y"/>');
    assert.deepEqual(Object.entries(root.attrs), [
      ['__proto__', 'x'],
      ['b', 'y'],
    ]);
  });
});

describe(`elements nest at most ${MAX_XML_DEPTH} levels`, () => {
  const nested = (depth: number): string => '<a>'.repeat(depth) + '</a>'.repeat(depth);

  test(`${MAX_XML_DEPTH} levels read; one more is refused with the limit and the line`, () => {
    assert.equal(parseXml(nested(MAX_XML_DEPTH)).name, 'a');
    const err = assertPackageError(
      () => parseXml(`<r>\n${nested(MAX_XML_DEPTH)}</r>`, 'customizations.xml'),
      'XML_TOO_DEEP',
      /elements nest deeper than 256 levels \(<a>\) \(line 2\)/,
    );
    assert.match(err.hint ?? '', /nest a few dozen levels/);
  });

  test('a million levels are refused at the limit, not by a stack overflow', () => {
    assertPackageError(() => parseXml(nested(1_000_000)), 'XML_TOO_DEEP');
  });
});

describe('every path of the reader takes time in proportion to its input', () => {
  // a megabyte in under 5 s, ten in under 30: wide for a loaded 2-core machine, and far from the
  // minutes a reader that scans twice per character takes (an attribute name of 1 MB without "="
  // took more than 120 s)
  const budgetMs = (megabytes: number): number => (megabytes === 1 ? 5_000 : 30_000);
  const results = new Map<string, { ms: number; code: string }>();
  let output = '';

  before(() => {
    // in a child process with a deadline, so that a reader gone quadratic fails instead of hanging
    const script = fileURLToPath(new URL('./support/hostile-xml.ts', import.meta.url));
    const run = spawnSync(process.execPath, ['--import', 'tsx', script], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 240_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    output = `${run.stdout}\n${run.stderr}`;
    for (const line of run.stdout.split('\n').filter(Boolean)) {
      const r = JSON.parse(line) as { name: string; megabytes: number; ms: number; code: string };
      results.set(`${r.name} (${r.megabytes} MB)`, r);
    }
  });

  for (const c of HOSTILE_XML) {
    const label = `${c.name} (${c.megabytes} MB)`;
    test(`${label}: ${c.expect === 'ok' ? 'reads' : c.expect}`, () => {
      const r = results.get(label);
      assert.ok(r, `the reader did not finish "${label}" before the deadline:\n${output}`);
      assert.equal(r.code, c.expect);
      assert.ok(r.ms < budgetMs(c.megabytes), `${label} took ${r.ms} ms`);
    });
  }
});
