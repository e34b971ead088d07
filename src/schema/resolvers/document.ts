/** Resolvers of `Document`, `Mention`, `DateMention` and `Evidence`. */
import type {
  DateMentionResolvers,
  DocumentResolvers,
  EvidenceResolvers,
  MentionResolvers,
} from '../../generated/resolvers-types.js';
import type { GraphContext } from '../context.js';
import { ownedConnection } from './owned.js';

export const Document: DocumentResolvers<GraphContext> = {
  publisher: (d, _, { loaders }) => (d.publisherId ? loaders.entity.load(d.publisherId) : null),
  source: (d) => (d.seed ? 'SEED' : 'INGESTED'),
  mentions: (d, args, ctx) =>
    ownedConnection({ list: 'mentions', method: args.method, minConfidence: args.minConfidence }, 'document', d.id, args, ctx),
  dates: async (d, args, { loaders }) =>
    (await loaders.dateMentions.load(d.id)).filter(
      (x) => (!args.method || x.method === args.method) && (args.minConfidence == null || x.confidence >= args.minConfidence),
    ),
};

export const DateMention: DateMentionResolvers<GraphContext> = {
  date: (d) => d,
  evidence: (d) => d,
  provenance: (d) => d,
};

export const Mention: MentionResolvers<GraphContext> = {
  entity: async (m, _, { loaders }) => (await loaders.entity.load(m.entityId))!,
  evidence: (m) => m,
  provenance: (m) => m,
};

export const Evidence: EvidenceResolvers<GraphContext> = {
  document: async (e, _, { loaders }) => (await loaders.document.load(e.documentId))!,
};
