/** Resolvers of the entity types: `Actor`, `Person` and `Place` share their fields. */
import type { ActorKind, ActorResolvers, EntityStatus, PersonResolvers, PlaceKind, PlaceResolvers } from '../../generated/resolvers-types.js';
import type { EntityRow } from '../../store/types.js';
import type { GraphContext } from '../context.js';
import { ownedConnection } from './owned.js';

const entityFields = {
  status: (e: EntityRow) => (e.method === 'CURATED' ? 'CONFIRMED' : 'CANDIDATE') as EntityStatus,
  provenance: (e: EntityRow) => e,
  aliases: async (e: EntityRow, _: unknown, { loaders }: GraphContext) =>
    (await loaders.aliases.load(e.id)).filter((a) => a.name !== e.name).map((a) => a.name),
  aliasDetails: async (e: EntityRow, _: unknown, { loaders }: GraphContext) =>
    (await loaders.aliases.load(e.id)).filter((a) => a.name !== e.name),
  evidence: (e: EntityRow, _: unknown, { loaders }: GraphContext) => loaders.evidence.load(e.id),
  mentions: (e: EntityRow, args: { first?: number | null; after?: string | null }, ctx: GraphContext) =>
    ownedConnection({ list: 'mentions' }, 'entity', e.id, args, ctx),
  relationships: (
    e: EntityRow,
    args: { type?: string | null; direction?: 'OUTGOING' | 'INCOMING' | 'BOTH' | null; first?: number | null; after?: string | null },
    ctx: GraphContext,
  ) => ownedConnection({ list: 'relationships', type: args.type, direction: args.direction }, 'entity', e.id, args, ctx),
  statementsBy: (e: EntityRow, args: { kind?: string | null; first?: number | null; after?: string | null }, ctx: GraphContext) =>
    ownedConnection({ list: 'statements', kind: args.kind }, 'speaker', e.id, args, ctx),
  statementsAbout: (e: EntityRow, args: { kind?: string | null; first?: number | null; after?: string | null }, ctx: GraphContext) =>
    ownedConnection({ list: 'statements', kind: args.kind }, 'about', e.id, args, ctx),
  events: (e: EntityRow, args: { first?: number | null; after?: string | null }, ctx: GraphContext) =>
    ownedConnection({ list: 'events' }, 'participant', e.id, args, ctx),
};

export const Actor: ActorResolvers<GraphContext> = {
  ...entityFields,
  kind: (e: EntityRow) => e.kind as ActorKind,
} as ActorResolvers<GraphContext>;

export const Person: PersonResolvers<GraphContext> = { ...entityFields } as PersonResolvers<GraphContext>;

export const Place: PlaceResolvers<GraphContext> = {
  ...entityFields,
  kind: (e: EntityRow) => e.kind as PlaceKind,
} as PlaceResolvers<GraphContext>;
