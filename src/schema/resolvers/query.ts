/** Resolvers of `Query`: the entry points. */
import { ErrorCode, userError } from '../../errors.js';
import { normalizeName } from '../../graph/normalize.js';
import type { QueryResolvers } from '../../generated/resolvers-types.js';
import type { ListQuery } from '../../store/lists.js';
import type { GraphContext } from '../context.js';
import { checkProvenanceFilter, connection, MAX_PAGE_SIZE, pageRequest } from '../pagination.js';
import { typeOfId } from '../type-of-id.js';

/** The row of any node id, or null. */
export async function loadNode(id: string, { loaders }: GraphContext) {
  switch (typeOfId(id)) {
    case 'Actor':
    case 'Person':
    case 'Place':
      return loaders.entity.load(id);
    case 'Event':
      return loaders.event.load(id);
    case 'Statement':
      return loaders.statement.load(id);
    case 'Relationship':
      return loaders.relationship.load(id);
    case 'Document':
      return loaders.document.load(id);
    case 'Mention':
      return loaders.mention.load(id);
    case null:
      return null;
  }
}

/** A top-level connection over a list query. */
async function list<Q extends ListQuery>(query: Q, args: { first?: number | null; after?: string | null }, ctx: GraphContext) {
  checkProvenanceFilter(query as { minConfidence?: number | null });
  const request = pageRequest(args);
  const page = await ctx.loaders.listPage(query, request);
  return connection(page, request, () => ctx.loaders.listCount(query));
}

export const Query: QueryResolvers<GraphContext> = {
  node: (_, { id }, ctx) => loadNode(id, ctx),
  nodes: (_, { ids }, ctx) => {
    if (ids.length > MAX_PAGE_SIZE) throw userError(`"ids" may hold at most ${MAX_PAGE_SIZE} ids; got ${ids.length}.`, ErrorCode.BAD_USER_INPUT, { argument: 'ids' });
    return Promise.all(ids.map((id) => loadNode(id, ctx)));
  },
  entity: (_, { name }, { loaders }) => loaders.entityByName(name),
  entities: (_, args, ctx) => {
    // Filters compose: a type with a kind of another type, or an actor kind with a place kind, match nothing.
    const impliedType = args.placeKind ? 'PLACE' : args.kind ? 'ACTOR' : null;
    if ((args.kind && args.placeKind) || (args.type && impliedType && args.type !== impliedType)) {
      const request = pageRequest(args);
      return connection({ rows: [], positions: [], hasNextPage: false }, request, async () => 0);
    }
    return list(
      {
        list: 'entities',
        type: args.type ?? impliedType,
        kind: args.kind ?? args.placeKind,
        method: args.method,
        minConfidence: args.minConfidence,
        namePrefix: args.namePrefix != null ? normalizeName(args.namePrefix) : null,
        orderBy: args.orderBy,
      },
      args,
      ctx,
    );
  },
  events: (_, args, ctx) => {
    if (args.from && args.to && args.from > args.to) {
      throw userError(`"from" (${args.from}) is after "to" (${args.to}).`, ErrorCode.BAD_USER_INPUT, { argument: 'from' });
    }
    return list({ list: 'events', from: args.from, to: args.to, participant: args.participant, kind: args.kind }, args, ctx);
  },
  statements: (_, args, ctx) =>
    list(
      {
        list: 'statements',
        speaker: args.speaker,
        about: args.about,
        kind: args.kind,
        attribution: args.attribution,
        document: args.document,
        method: args.method,
        minConfidence: args.minConfidence,
      },
      args,
      ctx,
    ),
  relationships: (_, args, ctx) =>
    list({ list: 'relationships', entity: args.entity, type: args.type, method: args.method, minConfidence: args.minConfidence }, args, ctx),
  documents: (_, args, ctx) => list({ list: 'documents' }, args, ctx),
  auditLog: (_, args, ctx) => list({ list: 'audit', subject: args.subject, actor: args.actor }, args, ctx),
};
