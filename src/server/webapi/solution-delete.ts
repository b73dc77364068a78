import type { FastifyReply, FastifyRequest } from 'fastify';
import { runLifecycle } from '../../engine/lifecycle.js';
import { StrataError } from '../../model/errors.js';
import { ENTITY_SETS, type SetContext } from './entity-sets.js';
import { findSetRow } from './set-query.js';

/**
 * DELETE solutions(<id>) (or solutions(uniquename='X')): uninstalls the solution, as Dataverse's
 * delete of a solution record does and as `strata delete` does: a managed solution's layers go, an
 * unmanaged solution's container goes and its components stay. The same refusals (dependents,
 * patches, a staged upgrade, ...) come back in Dataverse's error shape; the data of tables that go
 * is deleted without asking, as Dataverse deletes it. 204 No Content once it is done.
 */
export async function deleteSolution(
  ctx: SetContext,
  req: FastifyRequest,
  reply: FastifyReply,
  key: string,
): Promise<unknown> {
  const row = await findSetRow(ctx, ENTITY_SETS.get('solutions')!, key);
  if (!row)
    throw new StrataError('RECORD_NOT_FOUND', `solution With Id = ${key} Does Not Exist`, {
      hint: "GET solutions lists this environment's solutions.",
    });
  await runLifecycle(
    ctx.app.strata.store,
    req.environment.name,
    'uninstall',
    String(row.uniquename),
    {
      acceptDataLoss: true,
    },
  );
  return reply.status(204).send();
}
