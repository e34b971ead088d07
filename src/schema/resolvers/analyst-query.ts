/**
 * Resolvers of the analyst section of `Query`: check and default the
 * arguments, then make one call into src/analytics/.
 */
import { coMentions, statementMatrix, stats } from '../../analytics/aggregates.js';
import { linkSet } from '../../analytics/graph.js';
import { communities, rankedEntities } from '../../analytics/metrics.js';
import {
  DEFAULT_NEIGHBORHOOD_LIMIT,
  MAX_NEIGHBORHOOD_DEPTH,
  MAX_NEIGHBORHOOD_EDGES,
  MAX_NEIGHBORHOOD_LIMIT,
  neighborhood,
} from '../../analytics/neighborhood.js';
import { DEFAULT_PATH_LENGTH, findPaths, MAX_PATH_LENGTH, MAX_PATHS } from '../../analytics/paths.js';
import { searchPage } from '../../analytics/search.js';
import { timeline } from '../../analytics/timeline.js';
import { ErrorCode, userError } from '../../errors.js';
import type { QueryResolvers } from '../../generated/resolvers-types.js';
import { CursorError } from '../../store/cursor.js';
import type { GraphContext } from '../context.js';
import { pageRequest } from '../pagination.js';

/**
 * An integer argument within bounds, or its default.
 * @throws GraphQLError BAD_USER_INPUT naming the argument and its bounds.
 */
export function boundedInt(value: number | null | undefined, name: string, fallback: number, min: number, max: number): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw userError(`"${name}" must be between ${min} and ${max}; got ${n}.`, ErrorCode.BAD_USER_INPUT, { argument: name });
  }
  return n;
}

const ALL_LINKS = ['RELATIONSHIP', 'STATEMENT', 'EVENT'] as const;

export const AnalystQuery: QueryResolvers<GraphContext> = {
  search: async (_, args, { loaders }) => {
    const request = pageRequest(args);
    try {
      return await searchPage(loaders, args.query, args.types ?? null, request);
    } catch (error) {
      if (error instanceof CursorError) throw userError(error.message, ErrorCode.BAD_USER_INPUT, { argument: 'after' });
      throw error;
    }
  },
  path: async (_, args, { loaders }) => {
    const maxLength = boundedInt(args.maxLength, 'maxLength', DEFAULT_PATH_LENGTH, 1, MAX_PATH_LENGTH);
    const [path] = await findPaths(loaders, args.from, args.to, { maxLength, first: 1, linkTypes: linkSet(args.via, ALL_LINKS) });
    return path ?? null;
  },
  paths: (_, args, { loaders }) => {
    const maxLength = boundedInt(args.maxLength, 'maxLength', DEFAULT_PATH_LENGTH, 1, MAX_PATH_LENGTH);
    const first = boundedInt(args.first, 'first', 5, 1, MAX_PATHS);
    return findPaths(loaders, args.from, args.to, { maxLength, first, linkTypes: linkSet(args.via, ALL_LINKS) });
  },
  neighborhood: (_, args, { loaders }) => {
    const depth = boundedInt(args.depth, 'depth', 1, 1, MAX_NEIGHBORHOOD_DEPTH);
    const limit = boundedInt(args.limit, 'limit', DEFAULT_NEIGHBORHOOD_LIMIT, 1, MAX_NEIGHBORHOOD_LIMIT);
    const maxEdges = boundedInt(args.maxEdges, 'maxEdges', MAX_NEIGHBORHOOD_EDGES, 1, MAX_NEIGHBORHOOD_EDGES);
    return neighborhood(loaders, args.id, { depth, limit, linkTypes: linkSet(args.via, ALL_LINKS), maxEdges });
  },
  stats: async (_, __, { loaders }) => ({ rows: await stats(loaders) }),
  centrality: async (_, args, { loaders }) => {
    const first = boundedInt(args.first, 'first', 10, 1, 100);
    const ranked = await rankedEntities(loaders, args.metric, linkSet(args.via, ['RELATIONSHIP']), first);
    return ranked.map((r) => ({ ...r, metric: args.metric }));
  },
  communities: async (_, args, { loaders }) => {
    const minSize = boundedInt(args.minSize, 'minSize', 2, 1, Number.MAX_SAFE_INTEGER);
    return (await communities(loaders, linkSet(args.via, ['RELATIONSHIP']))).filter((c) => c.memberIds.length >= minSize);
  },
  timeline: (_, args, { loaders }) => {
    if (args.from && args.to && args.from > args.to) {
      throw userError(`"from" (${args.from}) is after "to" (${args.to}).`, ErrorCode.BAD_USER_INPUT, { argument: 'from' });
    }
    return timeline(loaders, args.granularity, { from: args.from, to: args.to, kind: args.kind, participant: args.participant });
  },
  statementMatrix: (_, args, { loaders }) => statementMatrix(loaders, args.kinds ?? null, boundedInt(args.first, 'first', 100, 1, 1000)),
  coMentions: (_, args, { loaders }) => coMentions(loaders, boundedInt(args.first, 'first', 20, 1, 100)),
};
