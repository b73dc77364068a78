import { childText, type XmlElement } from '../xml.js';

/**
 * The StateCode that means "active", for the component types whose definition carries a state:
 * processes and routing rule sets are active at 1, plug-in steps (sdkmessageprocessingstep's
 * statecode: 0 Enabled, 1 Disabled) at 0.
 */
const ACTIVE_STATE_CODE: Readonly<Record<string, string>> = {
  workflow: '1',
  routingrule: '1',
  sdkmessageprocessingstep: '0',
};

/**
 * The state a definition declares: its StateCode read for its type, or undefined when the type
 * has no state or the definition does not say. Used when a package is read and when a
 * customization changes a definition, so a layer's state always follows its definition.
 */
export function stateOf(type: string, el: XmlElement): 'active' | 'inactive' | undefined {
  const active = ACTIVE_STATE_CODE[type];
  if (active === undefined) return undefined;
  const code = childText(el, 'StateCode');
  if (code === undefined) return undefined;
  return code === active ? 'active' : 'inactive';
}
