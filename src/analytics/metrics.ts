/**
 * Centrality and communities, computed with graphology's libraries
 * (graphology-metrics, graphology-communities-louvain) on the cached analytic
 * graphs (see graph.ts), and cached themselves per graph version.
 */
import betweennessModule from 'graphology-metrics/centrality/betweenness.js';
import { degreeCentrality } from 'graphology-metrics/centrality/degree.js';
import pagerankModule from 'graphology-metrics/centrality/pagerank.js';
import louvainModule from 'graphology-communities-louvain';

import { ErrorCode, userError } from '../errors.js';
import type { Loaders } from '../loaders/loaders.js';
import type { LinkType } from '../store/analyst-types.js';
import { cached } from './cache.js';
import { analyticGraphs } from './graph.js';

/**
 * The function a CommonJS module exports: its typings declare it as `default`,
 * while Node's ESM loader hands over `module.exports` itself.
 */
function commonJsDefault<T>(module: { default: T }): T {
  return (module.default ?? module) as T;
}
const betweennessCentrality = commonJsDefault(betweennessModule);
const pagerank = commonJsDefault(pagerankModule);
const louvain = commonJsDefault(louvainModule);

/** The centrality measures offered. */
export type CentralityMetric = 'DEGREE' | 'PAGERANK' | 'BETWEENNESS';

/**
 * Exact betweenness costs O(entities × links); above this many entities it
 * is refused with a clear error rather than run for minutes.
 */
export const MAX_BETWEENNESS_ENTITIES = 20_000;

/** An entity with its score and rank (equal scores share a rank: 1, 2, 2, 4). */
export interface RankedEntityModel {
  entityId: string;
  name: string;
  score: number;
  rank: number;
}

/** A community: its members (by name), and its number in order of size. */
export interface CommunityModel {
  id: number;
  memberIds: string[];
  memberNames: string[];
  /** Modularity of the whole partition the community belongs to. */
  modularity: number;
}

/** Every entity ranked by `metric` over the given links (cached); slice for a page. */
export function rankedEntities(loaders: Loaders, metric: CentralityMetric, linkTypes: readonly LinkType[]): Promise<RankedEntityModel[]> {
  return cached(loaders, `centrality:${metric}:${linkTypes.join(',')}`, async () => {
    const graphs = await analyticGraphs(loaders, linkTypes);
    let scores: Record<string, number>;
    switch (metric) {
      case 'DEGREE':
        scores = graphs.multi.order > 1 ? degreeCentrality(graphs.multi) : Object.fromEntries(graphs.multi.nodes().map((n) => [n, 0]));
        break;
      case 'PAGERANK':
        scores = pagerank(graphs.directed, { getEdgeWeight: 'weight' });
        break;
      case 'BETWEENNESS':
        if (graphs.simple.order > MAX_BETWEENNESS_ENTITIES) {
          throw userError(
            `BETWEENNESS is computed exactly and is limited to graphs of ${MAX_BETWEENNESS_ENTITIES} entities; this one has ${graphs.simple.order}. Use DEGREE or PAGERANK.`,
            ErrorCode.BAD_USER_INPUT,
            { argument: 'metric' },
          );
        }
        scores = betweennessCentrality(graphs.simple, { getEdgeWeight: null, normalized: true });
        break;
    }
    const ranked = graphs.multi
      .nodes()
      .map((id) => ({ entityId: id, name: graphs.multi.getNodeAttribute(id, 'name'), score: scores[id] ?? 0, rank: 0 }))
      .sort((a, b) => b.score - a.score || (a.entityId < b.entityId ? -1 : 1));
    ranked.forEach((r, i) => {
      r.rank = i > 0 && ranked[i - 1]!.score === r.score ? ranked[i - 1]!.rank : i + 1;
    });
    return ranked;
  });
}

/** A small seeded generator (mulberry32), so that Louvain gives the same partition every time. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Louvain communities over the given links (cached), largest first; entities without links are left out. */
export function communities(loaders: Loaders, linkTypes: readonly LinkType[]): Promise<CommunityModel[]> {
  return cached(loaders, `communities:${linkTypes.join(',')}`, async () => {
    const { simple } = await analyticGraphs(loaders, linkTypes);
    if (simple.size === 0) return [];
    const result = louvain.detailed(simple, { getEdgeWeight: 'weight', rng: seeded(20_130), randomWalk: true });
    const groups = new Map<number, string[]>();
    simple.forEachNode((id) => {
      if (simple.degree(id) === 0) return;
      const c = result.communities[id]!;
      let list = groups.get(c);
      if (!list) groups.set(c, (list = []));
      list.push(id);
    });
    return [...groups.values()]
      .map((ids) => ids.sort())
      .sort((a, b) => b.length - a.length || (a[0]! < b[0]! ? -1 : 1))
      .map((ids, i) => ({
        id: i + 1,
        memberIds: ids,
        memberNames: ids.map((id) => simple.getNodeAttribute(id, 'name')),
        modularity: result.modularity,
      }));
  });
}
