/**
 * customizations.xml is read as the parser goes (package/customizations/parse.ts): each child of
 * a section is read and let go when it ends. What a child needs from further down the file —
 * a form's fields named through a relationship defined after the tables — is completed at the
 * end, as if the whole file had been read first.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCustomizations } from '../src/package/customizations/parse.js';
import { parseXml, type XmlElement } from '../src/package/xml.js';

const FORM = (id: string, controls: string): string => `
      <forms type="main">
        <systemform>
          <formid>{${id}}</formid>
          <LocalizedNames><LocalizedName description="Main" languagecode="1033" /></LocalizedNames>
          <form><tabs><tab><columns><column><sections><section><rows><row><cell>
            ${controls}
          </cell></row></rows></section></sections></column></columns></tab></tabs></form>
        </systemform>
      </forms>`;

const DOC = `<?xml version="1.0" encoding="utf-8"?>
<ImportExportXml xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <Entities>
    <Entity>
      <Name LocalizedName="Order" OriginalName="Order">new_order</Name>
      <EntityInfo><entity Name="new_order"><attributes>
        <attribute PhysicalName="new_name"><Type>nvarchar</Type><LogicalName>new_name</LogicalName></attribute>
      </attributes></entity></EntityInfo>
      <FormXml>${FORM(
        '11111111-1111-1111-1111-111111111111',
        `<control id="a" datafieldname="new_name" />
         <control id="b" datafieldname="new_code" relationship="new_customer_order" />
         <control id="c" datafieldname="new_code" relationship="new_customer_order" />
         <control id="d" datafieldname="new_region" relationship="new_nowhere" />
         <control id="e" datafieldname="new_name" relationship="new_order_self" />`,
      )}
      </FormXml>
    </Entity>
  </Entities>
  <Roles />
  <EntityRelationships>
    <EntityRelationship Name="new_customer_order">
      <EntityRelationshipType>OneToMany</EntityRelationshipType>
      <ReferencingEntityName>new_order</ReferencingEntityName>
      <ReferencedEntityName>new_customer</ReferencedEntityName>
      <ReferencingAttributeName>new_customerid</ReferencingAttributeName>
    </EntityRelationship>
    <EntityRelationship Name="new_order_self">
      <EntityRelationshipType>OneToMany</EntityRelationshipType>
      <ReferencingEntityName>new_order</ReferencingEntityName>
      <ReferencedEntityName>new_order</ReferencedEntityName>
      <ReferencingAttributeName>new_parentid</ReferencingAttributeName>
    </EntityRelationship>
  </EntityRelationships>
  <Languages><Language>1033</Language></Languages>
</ImportExportXml>`;

test('a form field through a relationship defined further down names the column across it', () => {
  const { components } = parseCustomizations(DOC, new Map());
  const form = components.find((c) => c.type === 'systemform')!;
  assert.deepEqual(form.requires, [
    { type: 'entity', key: 'new_order', via: 'form of table' },
    { type: 'attribute', key: 'new_order.new_name', via: 'form field' },
    // the other side of new_customer_order, once (two controls name it)
    {
      type: 'attribute',
      key: 'new_customer.new_code',
      via: 'form field (through new_customer_order)',
    },
    // not in the package: the relationship itself is what the form needs
    { type: 'relationship', key: 'new_nowhere', via: 'form field relationship' },
    // to its own table: the same column as the plain field above, once
  ]);
  assert.equal(
    components.filter((c) => c.type === 'relationship').length,
    2,
    'the relationships are components as before',
  );
});

test('what is read as the parser goes is what the whole tree gave (places, layout, order)', () => {
  // the reader that built the whole tree first gave exactly these (checked against it, and on
  // all 121 real packages: components, references, hashes, offsets, places, layout)
  const { components, layout } = parseCustomizations(DOC, new Map());
  assert.deepEqual(
    components.map((c) => [c.type, c.key, c.place ?? null]),
    [
      ['attribute', 'new_order.new_name', null],
      ['systemform', '{11111111-1111-1111-1111-111111111111}', 'FormXml/forms[type=main]'],
      ['entity', 'new_order', null],
      ['relationship', 'new_customer_order', null],
      ['relationship', 'new_order_self', null],
      ['language', '1033', 'Languages'],
    ],
  );
  assert.deepEqual(layout.sections, ['Entities', 'Roles', 'EntityRelationships', 'Languages']);
  // a component marked inDocument is the exact slice of the file at its offsets
  const sliced = components.filter((c) => c.inDocument);
  assert.ok(sliced.length >= 4);
  for (const c of sliced) assert.equal(c.xml, DOC.slice(c.origin.start, c.origin.end));
});

test('the parser tells a watcher of each shallow element as it ends, children first', () => {
  const seen: Array<[string, number]> = [];
  const root = parseXml('<a><b><c><d/></c></b><e/></a>', 'x.xml', {
    depth: 2,
    ended(el: XmlElement, ancestors) {
      seen.push([el.name, ancestors.length]);
      if (el.name === 'c') el.children = [];
    },
  });
  assert.deepEqual(seen, [
    ['c', 2],
    ['b', 1],
    ['e', 1],
    ['a', 0],
  ]);
  assert.deepEqual(root.children[0].children[0].children, [], 'what the watcher emptied stays so');
});
