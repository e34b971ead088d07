/**
 * What the analyst-query resolvers receive (codegen maps the SDL types onto
 * these; see codegen.ts).
 */
import type { SearchHitRow, StatementMatrixRow, StatsRow } from '../store/analyst-types.js';
import type { Page } from '../store/lists.js';
import type { CoMentionModel } from './aggregates.js';
import type { CommunityModel, RankedEntityModel } from './metrics.js';
import type { PathModel, PathStepModel } from './paths.js';
import type { SubgraphEdgeModel, SubgraphModel, SubgraphNodeModel } from './neighborhood.js';
import type { TimelineBucketModel } from './timeline.js';

/** A hit and the terms it was found with (for its snippet). */
export interface SearchHitModel {
  row: SearchHitRow;
  terms: readonly string[];
}

/** A hit with its cursor. */
export interface SearchEdgeModel {
  cursor: string;
  node: SearchHitModel;
}

/** A page of hits. */
export interface SearchConnectionModel {
  page: Page<SearchHitModel>;
  count: () => Promise<number>;
  hasPreviousPage: boolean;
  terms: readonly string[];
  relaxed: boolean;
}

/** All counts of the graph. */
export interface GraphStatsModel {
  rows: StatsRow[];
}

/** A centrality result and the metric it was ranked by. */
export interface RankedEntityRowModel extends RankedEntityModel {
  metric: string;
}

export type {
  CoMentionModel,
  CommunityModel,
  PathModel,
  PathStepModel,
  StatementMatrixRow,
  StatsRow,
  SubgraphEdgeModel,
  SubgraphModel,
  SubgraphNodeModel,
  TimelineBucketModel,
};
