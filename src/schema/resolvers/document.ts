/** Resolvers of `Document`, `Mention` and `Evidence`. */
import type { DocumentResolvers, EvidenceResolvers, MentionResolvers } from '../../generated/resolvers-types.js';
import type { GraphContext } from '../context.js';
import { ownedConnection } from './owned.js';

export const Document: DocumentResolvers<GraphContext> = {
  publisher: (d, _, { loaders }) => (d.publisherId ? loaders.entity.load(d.publisherId) : null),
  mentions: (d, args, ctx) => ownedConnection({ list: 'mentions' }, 'document', d.id, args, ctx),
};

export const Mention: MentionResolvers<GraphContext> = {
  entity: async (m, _, { loaders }) => (await loaders.entity.load(m.entityId))!,
  evidence: (m) => m,
};

export const Evidence: EvidenceResolvers<GraphContext> = {
  document: async (e, _, { loaders }) => (await loaders.document.load(e.documentId))!,
};
