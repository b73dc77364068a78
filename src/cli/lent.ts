import type { Store } from '../store/store.js';

/**
 * The store lent to the reads a write runs again before it closes (cli/context.ts `lend`,
 * cli/read-cache.ts): while one is lent, every command uses it instead of opening the store.
 * Its own module, so that a read answered without the store loads nothing else to ask.
 */
let lent: Store | undefined;

export function lentStore(): Store | undefined {
  return lent;
}

export function lendStore(store: Store | undefined): void {
  lent = store;
}
