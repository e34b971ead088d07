/**
 * Resolvers of the analytics result types. Each item is also a `ChartRow`
 * (label, value, ids, series) for dashboards.
 */
import type { CoMentionModel, CommunityModel, RankedEntityRowModel, TimelineBucketModel } from '../../analytics/models.js';
import type {
  ChartRowResolvers,
  CoMentionResolvers,
  CommunityResolvers,
  GraphStatsResolvers,
  RankedEntityResolvers,
  StatementMatrixCellResolvers,
  StatsCountResolvers,
  TimelineBucketResolvers,
} from '../../generated/resolvers-types.js';
import type { StatementMatrixRow, StatsRow } from '../../store/analyst-types.js';
import type { EntityRow } from '../../store/types.js';
import type { GraphContext } from '../context.js';
import { connection, pageRequest } from '../pagination.js';
import { loadNode } from './query.js';

const total = (rows: StatsRow[], subject: string): number =>
  rows.filter((r) => r.subject === subject).reduce((n, r) => n + r.count, 0);

export const GraphStats: GraphStatsResolvers<GraphContext> = {
  entities: (s) => total(s.rows, 'ENTITY'),
  events: (s) => total(s.rows, 'EVENT'),
  statements: (s) => total(s.rows, 'STATEMENT'),
  relationships: (s) => total(s.rows, 'RELATIONSHIP'),
  documents: (s) => total(s.rows, 'DOCUMENT'),
  mentions: (s) => total(s.rows, 'MENTION'),
  counts: (s) => s.rows,
};

export const StatsCount: StatsCountResolvers<GraphContext> = {
  label: (r) => [r.subject, r.type, r.kind].filter(Boolean).join(' '),
  value: (r) => r.count,
  ids: () => [],
  series: (r) => r.subject,
};

const nameOf = async (id: string, ctx: GraphContext): Promise<string> => {
  const node = await loadNode(id, ctx);
  return node && 'name' in node ? node.name : id;
};

export const RankedEntity: RankedEntityResolvers<GraphContext> = {
  entity: async (r, _, { loaders }) => (await loaders.entity.load(r.entityId))!,
  label: (r) => r.name,
  value: (r) => r.score,
  ids: (r) => [r.entityId],
  series: (r) => r.metric,
};

export const Community: CommunityResolvers<GraphContext> = {
  size: (c) => c.memberIds.length,
  members: async (c, _, { loaders }) => (await loaders.entity.loadMany(c.memberIds)) as EntityRow[],
  label: (c) => c.memberNames.slice(0, 3).join(', ') + (c.memberNames.length > 3 ? ` and ${c.memberNames.length - 3} more` : ''),
  value: (c) => c.memberIds.length,
  ids: (c) => c.memberIds,
  series: () => null,
};

export const TimelineBucket: TimelineBucketResolvers<GraphContext> = {
  precision: (b) => (b.granularity === 'MONTH' && !b.yearOnly ? 'MONTH' : 'YEAR'),
  events: async (b, args, { loaders }) => {
    const request = pageRequest(args);
    const page = await loaders.listPage(b.events, request);
    return connection(page, request, () => loaders.listCount(b.events));
  },
  value: (b) => b.count,
  ids: async (b, _, { loaders }) => (await loaders.listPage(b.events, { first: 100, after: null })).rows.map((e) => e.id),
  series: (b) => (b.yearOnly ? 'YEAR_ONLY' : b.granularity),
};

export const StatementMatrixCell: StatementMatrixCellResolvers<GraphContext> = {
  speaker: async (c, _, { loaders }) => (await loaders.entity.load(c.speakerId))!,
  subject: async (c, _, ctx) => (await loadNode(c.subjectId, ctx)) as never,
  kind: (c) => c.kind as never,
  label: async (c, _, ctx) => `${await nameOf(c.speakerId, ctx)} → ${await nameOf(c.subjectId, ctx)}`,
  value: (c) => c.count,
  ids: (c) => [c.speakerId, c.subjectId],
  series: (c) => c.kind,
};

export const CoMention: CoMentionResolvers<GraphContext> = {
  a: async (c, _, { loaders }) => (await loaders.entity.load(c.aId))!,
  b: async (c, _, { loaders }) => (await loaders.entity.load(c.bId))!,
  label: async (c, _, ctx) => `${await nameOf(c.aId, ctx)} + ${await nameOf(c.bId, ctx)}`,
  value: (c) => c.count,
  ids: (c) => [c.aId, c.bId],
  series: () => null,
};

type AnyRow = StatsRow | RankedEntityRowModel | CommunityModel | TimelineBucketModel | StatementMatrixRow | CoMentionModel;

/** Concrete type of a chart row, from its shape (every field is returned as a concrete type; this serves fragments on the interface). */
export const ChartRow: ChartRowResolvers<GraphContext> = {
  __resolveType: (row) => {
    const r = row as AnyRow;
    if ('memberIds' in r) return 'Community';
    if ('entityId' in r) return 'RankedEntity';
    if ('speakerId' in r) return 'StatementMatrixCell';
    if ('aId' in r) return 'CoMention';
    if ('granularity' in r) return 'TimelineBucket';
    return 'StatsCount';
  },
};
