/**
 * Instances kept for the life of the process: one of each class that every import makes anew
 * (decision 74). V8 gives the instances of a class hidden classes that it reaches from the
 * constructor's by transitions as the constructor adds their fields, and a full collection drops
 * those hidden classes once no instance is left. Optimised code that checked for them is then
 * thrown away (`--trace-deopt-verbose`: "weak objects"), and the next import in the same process
 * (`strata serve`, a script on the engine, the bench) runs it unoptimised again until V8 has
 * compiled it anew. One instance kept holds them.
 */
const kept: object[] = [];

/** Keeps `instance` for the life of the process, and returns it. */
export function keepShape<T extends object>(instance: T): T {
  kept.push(instance);
  return instance;
}
