/** Resolvers of `Event`, its `PartialDate` and its `Participant`s. */
import type { EventResolvers, ParticipantResolvers, PartialDateResolvers } from '../../generated/resolvers-types.js';
import type { GraphContext } from '../context.js';
import { ownedConnection } from './owned.js';

export const Event: EventResolvers<GraphContext> = {
  date: (e) => (e.precision ? e : null),
  place: (e, _, { loaders }) => (e.placeId ? loaders.entity.load(e.placeId) : null),
  participants: (e, _, { loaders }) => loaders.participants.load(e.id),
  statements: (e, args, ctx) => ownedConnection({ list: 'statements' }, 'event', e.id, args, ctx),
  evidence: (e, _, { loaders }) => loaders.evidence.load(e.id),
};

export const PartialDate: PartialDateResolvers<GraphContext> = {
  text: (e) => e.dateText!,
  year: (e) => e.year!,
  precision: (e) => e.precision!,
  inferred: (e) => e.dateInferred,
  inferredFrom: (e) => e.dateInferredFrom,
  earliest: (e) => e.earliest!,
  latest: (e) => e.latest!,
};

export const Participant: ParticipantResolvers<GraphContext> = {
  entity: async (p, _, { loaders }) => (await loaders.entity.load(p.entityId))!,
  evidence: (p, _, { loaders }) => loaders.evidence.load(p.id),
};
