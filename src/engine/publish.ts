import { StrataError } from '../model/errors.js';
import { recordHistory } from '../store/history.js';
import { listDrafts, publishDrafts, storedComponents, type DraftRef } from '../store/queries.js';
import { findEnvironment } from '../store/environments.js';
import { lockEnvironment } from '../store/revision.js';
import type { Queryable, Store } from '../store/store.js';

/**
 * Publishes drafts in the Active layer: all of them (`PublishAllXml`) or those of the named
 * components (`PublishXml`). Drafts become the published definition in one transaction, which
 * locks the environment before it lists them (store/revision.ts): what is published is what
 * is there when it is.
 */
export async function publish(
  store: Store,
  environment: string,
  only?: Array<{ type: string; key: string }>,
): Promise<{ published: Array<{ type: string; key: string; name: string }> }> {
  const env = await findEnvironment(store, environment);
  const started = new Date();
  return store.transaction(async (tx) => {
    await lockEnvironment(tx, env.id);
    const targets = await publishTargets(tx, env.id, environment, only);
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
    return { published: targets };
  });
}

/** The drafts to publish: all, or those of the named components (each must exist). */
async function publishTargets(
  db: Queryable,
  envId: number,
  environment: string,
  only?: Array<{ type: string; key: string }>,
): Promise<DraftRef[]> {
  const drafts = await listDrafts(db, envId);
  if (!only) return drafts;
  const unknown = only.filter((o) => !drafts.some((d) => d.type === o.type && d.key === o.key));
  if (unknown.length) {
    const known = await storedComponents(db, envId, unknown);
    const absent = unknown.filter((u) => !known.some((k) => k.type === u.type && k.key === u.key));
    if (absent.length)
      throw new StrataError(
        'COMPONENT_NOT_FOUND',
        `No component ${absent.map((a) => `${a.type} ${a.key}`).join(', ')} in ${environment}.`,
        { hint: 'strata components lists what is there.', component: absent[0] },
      );
  }
  return drafts.filter((d) => only.some((o) => o.type === d.type && o.key === d.key));
}
