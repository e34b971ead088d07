/**
 * The whole-graph view that centrality and communities need, as graphology
 * graphs: loaded from the store page by page (entities, then each kind of
 * link), built once per graph version and link selection, and cached.
 *
 * - `multi`: undirected, one edge per link (degree counts links);
 * - `simple`: undirected, one edge per linked pair, `weight` = number of links
 *   (betweenness, Louvain);
 * - `directed`: one edge per ordered pair, `weight` = number of links, links
 *   followed in their direction (relationship source → target, speaker →
 *   subject) and shared events both ways (PageRank).
 */
import { DirectedGraph, MultiUndirectedGraph, UndirectedGraph } from 'graphology';

import type { Loaders } from '../loaders/loaders.js';
import type { LinkType } from '../store/analyst-types.js';
import type { ListPosition, ListQuery, Page } from '../store/lists.js';
import type { RowOf } from '../store/store.js';
import { cached } from './cache.js';

/** Rows read per store call while loading. */
const PAGE = 5000;

/** Attributes of an entity node. */
export interface EntityNode {
  name: string;
  type: string;
  kind: string | null;
}

/** The three views of the graph, over the same entities. */
export interface AnalyticGraphs {
  multi: MultiUndirectedGraph<EntityNode>;
  simple: UndirectedGraph<EntityNode, { weight: number }>;
  directed: DirectedGraph<EntityNode, { weight: number }>;
}

/** Every row of a list, page by page. */
export async function* allRows<Q extends ListQuery>(loaders: Loaders, query: Q, pageSize = PAGE): AsyncGenerator<RowOf<Q>[]> {
  let after: ListPosition | null = null;
  for (;;) {
    const page: Page<RowOf<Q>> = await loaders.store.listPage(query, { first: pageSize, after });
    if (page.rows.length > 0) yield page.rows;
    if (!page.hasNextPage) return;
    after = page.positions[page.positions.length - 1]!;
  }
}

/** The link types to use: all three when none are given. */
export function linkSet(linkTypes: readonly LinkType[] | null | undefined, fallback: readonly LinkType[]): LinkType[] {
  const chosen = linkTypes && linkTypes.length > 0 ? linkTypes : fallback;
  return (['RELATIONSHIP', 'STATEMENT', 'EVENT'] as const).filter((t) => chosen.includes(t));
}

/** The analytic graphs for these link types (cached per graph version). */
export function analyticGraphs(loaders: Loaders, linkTypes: readonly LinkType[]): Promise<AnalyticGraphs> {
  return cached(loaders, `graphs:${linkTypes.join(',')}`, () => loadGraphs(loaders, linkTypes));
}

async function loadGraphs(loaders: Loaders, linkTypes: readonly LinkType[]): Promise<AnalyticGraphs> {
  const multi = new MultiUndirectedGraph<EntityNode>({ allowSelfLoops: false });
  const simple = new UndirectedGraph<EntityNode, { weight: number }>({ allowSelfLoops: false });
  const directed = new DirectedGraph<EntityNode, { weight: number }>({ allowSelfLoops: false });
  for await (const rows of allRows(loaders, { list: 'entities' })) {
    for (const e of rows) {
      const attributes = { name: e.name, type: e.type, kind: e.kind };
      multi.addNode(e.id, attributes);
      simple.addNode(e.id, attributes);
      directed.addNode(e.id, attributes);
    }
  }
  const link = (a: string, b: string, bothWays: boolean): void => {
    if (a === b || !multi.hasNode(a) || !multi.hasNode(b)) return;
    multi.addEdge(a, b);
    simple.updateEdge(a, b, (attr) => ({ weight: (attr.weight ?? 0) + 1 }));
    directed.updateEdge(a, b, (attr) => ({ weight: (attr.weight ?? 0) + 1 }));
    if (bothWays) directed.updateEdge(b, a, (attr) => ({ weight: (attr.weight ?? 0) + 1 }));
  };
  if (linkTypes.includes('RELATIONSHIP')) {
    for await (const rows of allRows(loaders, { list: 'relationships' })) for (const r of rows) link(r.sourceId, r.targetId, false);
  }
  if (linkTypes.includes('STATEMENT')) {
    for await (const rows of allRows(loaders, { list: 'statements' })) {
      const subjects = await loaders.store.subjectsByStatementIds(rows.map((s) => s.id));
      const speaker = new Map(rows.map((s) => [s.id, s.speakerId]));
      for (const s of subjects) link(speaker.get(s.statementId)!, s.subjectId, false);
    }
  }
  if (linkTypes.includes('EVENT')) {
    for await (const rows of allRows(loaders, { list: 'events' })) {
      const byEvent = new Map<string, Set<string>>();
      for (const p of await loaders.store.participantsByEventIds(rows.map((e) => e.id))) {
        let set = byEvent.get(p.eventId);
        if (!set) byEvent.set(p.eventId, (set = new Set()));
        set.add(p.entityId);
      }
      for (const members of byEvent.values()) {
        const list = [...members].sort();
        for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length; j++) link(list[i]!, list[j]!, true);
      }
    }
  }
  return { multi, simple, directed };
}
