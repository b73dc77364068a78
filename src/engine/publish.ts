import { StrataError } from '../model/errors.js';
import { recordHistory } from '../store/history.js';
import { listDrafts, publishDrafts, storedComponents } from '../store/queries.js';
import { findEnvironment } from '../store/environments.js';
import type { Store } from '../store/store.js';

/**
 * Publishes drafts in the Active layer: all of them (`PublishAllXml`) or those of the named
 * components (`PublishXml`). Drafts become the published definition in one transaction.
 */
export async function publish(
  store: Store,
  environment: string,
  only?: Array<{ type: string; key: string }>,
): Promise<{ published: Array<{ type: string; key: string; name: string }> }> {
  const env = await findEnvironment(store, environment);
  const started = new Date();
  const drafts = await listDrafts(store, env.id);
  let targets = drafts;
  if (only) {
    const unknown = only.filter((o) => !drafts.some((d) => d.type === o.type && d.key === o.key));
    if (unknown.length) {
      const known = await storedComponents(store, env.id, unknown);
      const absent = unknown.filter(
        (u) => !known.some((k) => k.type === u.type && k.key === u.key),
      );
      if (absent.length)
        throw new StrataError(
          'COMPONENT_NOT_FOUND',
          `No component ${absent.map((a) => `${a.type} ${a.key}`).join(', ')} in ${environment}.`,
          { hint: 'strata components lists what is there.', component: absent[0] },
        );
    }
    targets = drafts.filter((d) => only.some((o) => o.type === d.type && o.key === d.key));
  }
  await store.transaction(async (tx) => {
    await publishDrafts(tx, env.id, only ? targets : undefined);
    await recordHistory(tx, env.id, {
      solutionName: only ? '(selected components)' : '(all customizations)',
      solutionVersion: null,
      publisher: null,
      managed: null,
      operation: 'publish',
      subOperation: only ? 'publish' : 'publish-all',
      options: { components: targets.length },
      startedOn: started,
      endedOn: new Date(),
      result: 'success',
    });
  });
  return { published: targets };
}
