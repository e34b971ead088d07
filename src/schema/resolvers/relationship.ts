/** Resolvers of `Relationship`. */
import type { RelationshipResolvers } from '../../generated/resolvers-types.js';
import type { GraphContext } from '../context.js';

export const Relationship: RelationshipResolvers<GraphContext> = {
  source: async (r, _, { loaders }) => (await loaders.entity.load(r.sourceId))!,
  target: async (r, _, { loaders }) => (await loaders.entity.load(r.targetId))!,
  evidence: (r, _, { loaders }) => loaders.evidence.load(r.id),
  provenance: (r) => r,
};
