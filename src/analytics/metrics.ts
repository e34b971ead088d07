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
import { directedGraph, linkList, multiGraph, simpleGraph } from './graph.js';

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

/**
 * The `first` entities ranked by `metric` over the given links. DEGREE over
 * relationships alone is read from the degree the writer keeps (the same order
 * as `entities(orderBy: DEGREE)`, no graph to load); every other measure runs
 * on a graphology graph of the whole link list, cached per graph version.
 */
export async function rankedEntities(
  loaders: Loaders,
  metric: CentralityMetric,
  linkTypes: readonly LinkType[],
  first: number,
): Promise<RankedEntityModel[]> {
  if (metric === 'DEGREE' && linkTypes.length === 1 && linkTypes[0] === 'RELATIONSHIP') return storedDegrees(loaders, first);
  return (await rankedByGraph(loaders, metric, linkTypes)).slice(0, first);
}

async function storedDegrees(loaders: Loaders, first: number): Promise<RankedEntityModel[]> {
  const query = { list: 'entities', orderBy: 'DEGREE' } as const;
  const [page, n] = await Promise.all([loaders.store.listPage(query, { first, after: null }), loaders.store.listCount(query)]);
  const ranked: RankedEntityModel[] = [];
  page.rows.forEach((e, i) => {
    const previous = ranked[i - 1];
    const score = n > 1 ? e.degree / (n - 1) : 0;
    ranked.push({ entityId: e.id, name: e.name, score, rank: previous && previous.score === score ? previous.rank : i + 1 });
  });
  return ranked;
}

/** Every entity ranked by `metric` on the graph of the given links (cached). */
function rankedByGraph(loaders: Loaders, metric: CentralityMetric, linkTypes: readonly LinkType[]): Promise<RankedEntityModel[]> {
  return cached(loaders, `centrality:${metric}:${linkTypes.join(',')}`, async () => {
    const links = await linkList(loaders, linkTypes);
    let scores: Record<string, number>;
    switch (metric) {
      case 'DEGREE': {
        const graph = await multiGraph(loaders, linkTypes);
        scores = graph.order > 1 ? degreeCentrality(graph) : {};
        break;
      }
      case 'PAGERANK':
        scores = pagerank(await directedGraph(loaders, linkTypes), { getEdgeWeight: 'weight' });
        break;
      case 'BETWEENNESS':
        if (links.ids.length > MAX_BETWEENNESS_ENTITIES) {
          throw userError(
            `BETWEENNESS is computed exactly and is limited to graphs of ${MAX_BETWEENNESS_ENTITIES} entities; this one has ${links.ids.length}. Use DEGREE or PAGERANK.`,
            ErrorCode.BAD_USER_INPUT,
            { argument: 'metric' },
          );
        }
        scores = betweennessCentrality(await simpleGraph(loaders, linkTypes), { getEdgeWeight: null, normalized: true });
        break;
    }
    const ranked = links.ids
      .map((id, i) => ({ entityId: id, name: links.names[i]!, score: scores[id] ?? 0, rank: 0 }))
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
    const simple = await simpleGraph(loaders, linkTypes);
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
