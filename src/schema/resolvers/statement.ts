/** Resolvers of `Statement`. */
import type { StatementResolvers } from '../../generated/resolvers-types.js';
import type { GraphContext } from '../context.js';
import { loadNode } from './query.js';

export const Statement: StatementResolvers<GraphContext> = {
  direct: (s) => s.attribution === 'DIRECT_QUOTE',
  speaker: (s, _, { loaders }) => (s.speakerId ? loaders.entity.load(s.speakerId) : null),
  about: async (s, _, ctx) => {
    const subjects = await ctx.loaders.subjects.load(s.id);
    const rows = await Promise.all(subjects.map((x) => loadNode(x.subjectId, ctx)));
    return rows.filter((r) => r !== null) as never;
  },
  occasion: (s, _, { loaders }) => (s.occasionId ? loaders.event.load(s.occasionId) : null),
  document: async (s, _, { loaders }) => (await loaders.document.load(s.documentId))!,
  evidence: (s, _, { loaders }) => loaders.evidence.load(s.id),
  provenance: (s) => s,
};
