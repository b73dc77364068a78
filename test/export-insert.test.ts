import assert from 'node:assert/strict';
import { test } from 'node:test';
import { insertAll, insertAt } from '../src/package/export.js';

/**
 * An export puts a component's children into its definition place by place (package/export.ts).
 * insertAll reads the definition once and makes every place's edits at once; it must give what
 * insertAt gives one place after another, including where places reach into one another (then
 * it goes one place after another itself).
 */
const oneByOne = (xml: string, groups: Map<string, string[]>): string => {
  let out = xml;
  for (const [place, items] of groups) out = insertAt(out, place, items);
  return out;
};

const table =
  '<Entity><Name>t</Name><EntityInfo><entity Name="t"><attributes>' +
  '<attribute PhysicalName="a" /><attribute PhysicalName="b" /></attributes></entity></EntityInfo>' +
  '<FormXml /><SavedQueries><savedqueries /></SavedQueries></Entity>';

test('columns, forms and views go into a table in one pass, as one place after another', () => {
  const groups = new Map([
    [
      'EntityInfo/entity/attributes',
      [
        '<attribute PhysicalName="b"><Type>int</Type></attribute>',
        '<attribute PhysicalName="c"><Type>nvarchar</Type></attribute>',
        '<attribute PhysicalName="a"><Type>bit</Type></attribute>',
      ],
    ],
    ['FormXml/forms[type=main]', ['<systemform><formid>f1</formid></systemform>']],
    ['SavedQueries/savedqueries', ['<savedquery><savedqueryid>q1</savedqueryid></savedquery>']],
  ]);
  const expected =
    '<Entity><Name>t</Name><EntityInfo><entity Name="t"><attributes>' +
    '<attribute PhysicalName="a"><Type>bit</Type></attribute>' +
    '<attribute PhysicalName="b"><Type>int</Type></attribute>' +
    '<attribute PhysicalName="c"><Type>nvarchar</Type></attribute></attributes></entity>' +
    '</EntityInfo><FormXml><forms type="main"><systemform><formid>f1</formid></systemform>' +
    '</forms></FormXml><SavedQueries><savedqueries><savedquery><savedqueryid>q1</savedqueryid>' +
    '</savedquery></savedqueries></SavedQueries></Entity>';
  assert.equal(insertAll(table, groups), expected);
  assert.equal(oneByOne(table, groups), expected);
});

test('places that reach into one another give what one place after another gives', () => {
  const cases: Array<[string, string, Array<[string, string[]]>]> = [
    [
      'two places making the same missing container',
      '<Entity><Name>t</Name></Entity>',
      [
        ['FormXml/forms[type=main]', ['<systemform>1</systemform>']],
        ['FormXml/forms[type=card]', ['<systemform>2</systemform>']],
      ],
    ],
    [
      'a place inside a shell an earlier place replaces',
      '<e><attributes><attribute PhysicalName="a" /></attributes></e>',
      [
        ['attributes', ['<attribute PhysicalName="a"><x /></attribute>']],
        ['attributes/attribute[PhysicalName=a]', ['<y>1</y>']],
      ],
    ],
    [
      'two places naming the same element',
      '<e><forms type="main"><f /></forms></e>',
      [
        ['forms', ['<g>1</g>']],
        ['forms[type=main]', ['<g>2</g>']],
      ],
    ],
    [
      'a place filling the element another makes containers in',
      '<e><FormXml /></e>',
      [
        ['FormXml', ['<forms type="main" />']],
        ['FormXml/forms[type=main]', ['<systemform>1</systemform>']],
      ],
    ],
    [
      'a container that is a shell of the place around it',
      '<e><list><item k="1" /></list></e>',
      [
        ['list/item[k=1]', ['<v>1</v>']],
        ['list', ['<item k="1"><w /></item>']],
      ],
    ],
    [
      'places in elements apart, self-closing and not',
      '<e><a /><b><c /></b><d>text</d></e>',
      [
        ['a', ['<x>1</x>', '<x>2</x>']],
        ['b', ['<c><filled /></c>', '<c><second /></c>']],
        ['d/z', ['<y />']],
      ],
    ],
  ];
  for (const [what, xml, groups] of cases) {
    const map = new Map(groups);
    assert.equal(insertAll(xml, map), oneByOne(xml, map), what);
  }
  // and what one place after another gives there, for one of them
  assert.equal(
    insertAll(
      '<Entity><Name>t</Name></Entity>',
      new Map([
        ['FormXml/forms[type=main]', ['<systemform>1</systemform>']],
        ['FormXml/forms[type=card]', ['<systemform>2</systemform>']],
      ]),
    ),
    '<Entity><Name>t</Name><FormXml><forms type="main"><systemform>1</systemform></forms>' +
      '<forms type="card"><systemform>2</systemform></forms></FormXml></Entity>',
  );
});
