/** Resolvers of `Path`, `PathStep` and the `PathLink` union. */
import type { PathLinkResolvers, PathResolvers, PathStepResolvers } from '../../generated/resolvers-types.js';
import type { EntityRow, EvidenceRow } from '../../store/types.js';
import type { GraphContext } from '../context.js';
import { typeOfId } from '../type-of-id.js';
import { loadNode } from './query.js';

export const Path: PathResolvers<GraphContext> = {
  entities: async (p, _, { loaders }) => (await loaders.entity.loadMany(p.entityIds)) as EntityRow[],
};

export const PathStep: PathStepResolvers<GraphContext> = {
  from: async (s, _, { loaders }) => (await loaders.entity.load(s.fromId))!,
  to: async (s, _, { loaders }) => (await loaders.entity.load(s.toId))!,
  link: async (s, _, ctx) => (await loadNode(s.linkId, ctx)) as never,
  forward: (s) => s.outgoing,
  evidence: async (s, _, { loaders }) => {
    if (s.linkType !== 'EVENT') return loaders.evidence.load(s.linkId);
    // An event links the two through their participation: its evidence, else the event's own.
    const participants = (await loaders.participants.load(s.linkId)).filter((p) => p.entityId === s.fromId || p.entityId === s.toId);
    const spans = (await Promise.all(participants.map((p) => loaders.evidence.load(p.id)))).flat();
    const unique = new Map<string, EvidenceRow>(spans.map((e) => [`${e.documentId}:${e.start}:${e.end}`, e]));
    return unique.size > 0 ? [...unique.values()] : loaders.evidence.load(s.linkId);
  },
};

export const PathLink: PathLinkResolvers<GraphContext> = {
  __resolveType: (row) => typeOfId((row as { id: string }).id) as never,
};
