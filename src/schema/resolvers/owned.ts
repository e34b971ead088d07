/** Nested connections: one parent's page of a list, batched across parents. */
import type { ListQuery, OwnerField } from '../../store/lists.js';
import type { GraphContext } from '../context.js';
import type { ConnectionModel } from '../models.js';
import { checkProvenanceFilter, connection, pageRequest } from '../pagination.js';
import type { RowOf } from '../../store/store.js';

/** The connection of `query` owned by `ownerId` through `owner`. */
export async function ownedConnection<Q extends ListQuery>(
  query: Q,
  owner: OwnerField,
  ownerId: string,
  args: { first?: number | null; after?: string | null },
  { loaders }: GraphContext,
): Promise<ConnectionModel<RowOf<Q>>> {
  checkProvenanceFilter(query as { minConfidence?: number | null });
  const request = pageRequest(args);
  const page = await loaders.ownedPage(query, owner, ownerId, request);
  return connection(page, request, () => loaders.ownedCount(query, owner, ownerId));
}
