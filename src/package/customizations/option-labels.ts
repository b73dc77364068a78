import { childI, children, parseXml, type XmlElement } from '../xml.js';

/**
 * The labels of a choice, state, status or yes/no column's options, from its `<attribute>`
 * definition: the `<optionset>` it carries (options, states or statuses; a yes/no column's two
 * options 1 and 0), each option's label in the base language (1033, else the first given). The
 * Web API shows them as formatted values. A column whose option set is global carries no
 * options of its own, and has no labels here.
 */
export function optionLabelsOf(attributeXml: string): Map<number, string> {
  const out = new Map<number, string>();
  const set = childI(parseXml(attributeXml, 'attribute definition'), 'optionset');
  const lists: Array<[string, string]> = [
    ['options', 'option'],
    ['states', 'state'],
    ['statuses', 'status'],
  ];
  for (const [list, item] of lists)
    for (const o of children(childI(set, list), item)) {
      const value = Number(o.attrs.value);
      const label = labelOf(o);
      if (o.attrs.value !== undefined && Number.isInteger(value) && label !== undefined)
        if (!out.has(value)) out.set(value, label);
    }
  return out;
}

function labelOf(option: XmlElement): string | undefined {
  const labels = children(childI(option, 'labels'), 'label');
  const base = labels.find((l) => l.attrs.languagecode === '1033') ?? labels[0];
  return base?.attrs.description;
}
