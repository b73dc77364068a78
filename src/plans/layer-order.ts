/**
 * Where layers sit in a component's stack (spec §3). Every layer has an ordinal: the System
 * layer 0, a managed solution's layers its install order × ORDINAL_GROUP (a patch directly
 * above its parent, a holding solution above both), the Active layer on top of everything.
 */

/** Managed layers sit at install order × this: patches take the slots right above their parent. */
export const ORDINAL_GROUP = 1_000_000;

/** The unmanaged Active layer is always the top one. */
export const ACTIVE_ORDINAL = Number.MAX_SAFE_INTEGER;

/** A solution staged for upgrade is installed as `<name>_Upgrade`, above its base and patches. */
export const HOLDING_SUFFIX = '_Upgrade';

/** How far above its base a holding solution's layers sit (patches take the slots below). */
export const HOLDING_OFFSET = 500_000;

/** The name a staged upgrade of `base` is installed under. */
export function holdingNameOf(base: string): string {
  return `${base}${HOLDING_SUFFIX}`;
}

/** Whether `name` has the form of a holding solution's name (`<base>_Upgrade`, in any case). */
export function isHoldingName(name: string): boolean {
  return name.toLowerCase().endsWith(HOLDING_SUFFIX.toLowerCase());
}

/** The base solution a holding solution upgrades; the name itself when it is not a holding name. */
export function baseNameOf(name: string): string {
  return isHoldingName(name) ? name.slice(0, -HOLDING_SUFFIX.length) : name;
}
