/**
 * The whole-graph view that centrality and communities need: the links read
 * from the store page by page into compact arrays (entities, then each kind of
 * link), and from them the graphology graph each measure needs, built on
 * first use and cached per graph version and link selection:
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
}

/** The links of the graph as compact arrays: entity indexes per link, and whether it goes both ways. */
export interface LinkList {
  ids: string[];
  names: string[];
  source: Int32Array;
  target: Int32Array;
  /** 1 for a shared event (both directions), 0 for a directed link. */
  both: Uint8Array;
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

/** The links for these link types, read from the store page by page (cached per graph version). */
export function linkList(loaders: Loaders, linkTypes: readonly LinkType[]): Promise<LinkList> {
  return cached(loaders, `links:${linkTypes.join(',')}`, () => loadLinks(loaders, linkTypes));
}

async function loadLinks(loaders: Loaders, linkTypes: readonly LinkType[]): Promise<LinkList> {
  const ids: string[] = [];
  const names: string[] = [];
  const index = new Map<string, number>();
  for await (const rows of allRows(loaders, { list: 'entities' })) {
    for (const e of rows) {
      index.set(e.id, ids.length);
      ids.push(e.id);
      names.push(e.name);
    }
  }
  const source: number[] = [];
  const target: number[] = [];
  const both: number[] = [];
  const link = (a: string, b: string, bothWays: boolean): void => {
    const i = index.get(a);
    const j = index.get(b);
    if (i === undefined || j === undefined || i === j) return;
    source.push(i);
    target.push(j);
    both.push(bothWays ? 1 : 0);
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
  return { ids, names, source: Int32Array.from(source), target: Int32Array.from(target), both: Uint8Array.from(both) };
}

/** Undirected, one edge per link: degree counts links (cached). */
export function multiGraph(loaders: Loaders, linkTypes: readonly LinkType[]): Promise<MultiUndirectedGraph<EntityNode>> {
  return cached(loaders, `multi:${linkTypes.join(',')}`, async () => {
    const links = await linkList(loaders, linkTypes);
    const graph = new MultiUndirectedGraph<EntityNode>({ allowSelfLoops: false });
    links.ids.forEach((id, i) => graph.addNode(id, { name: links.names[i]! }));
    for (let k = 0; k < links.source.length; k++) graph.addEdgeWithKey(String(k), links.ids[links.source[k]!]!, links.ids[links.target[k]!]!);
    return graph;
  });
}

/** Undirected, one edge per linked pair, `weight` = number of links (cached). */
export function simpleGraph(loaders: Loaders, linkTypes: readonly LinkType[]): Promise<UndirectedGraph<EntityNode, { weight: number }>> {
  return cached(loaders, `simple:${linkTypes.join(',')}`, async () => {
    const links = await linkList(loaders, linkTypes);
    const graph = new UndirectedGraph<EntityNode, { weight: number }>({ allowSelfLoops: false });
    links.ids.forEach((id, i) => graph.addNode(id, { name: links.names[i]! }));
    for (let k = 0; k < links.source.length; k++) {
      graph.updateEdge(links.ids[links.source[k]!]!, links.ids[links.target[k]!]!, (a) => ({ weight: (a.weight ?? 0) + 1 }));
    }
    return graph;
  });
}

/** Directed, one edge per ordered pair, `weight` = number of links; shared events both ways (cached). */
export function directedGraph(loaders: Loaders, linkTypes: readonly LinkType[]): Promise<DirectedGraph<EntityNode, { weight: number }>> {
  return cached(loaders, `directed:${linkTypes.join(',')}`, async () => {
    const links = await linkList(loaders, linkTypes);
    const graph = new DirectedGraph<EntityNode, { weight: number }>({ allowSelfLoops: false });
    links.ids.forEach((id, i) => graph.addNode(id, { name: links.names[i]! }));
    const add = (a: string, b: string): void => void graph.updateEdge(a, b, (attr) => ({ weight: (attr.weight ?? 0) + 1 }));
    for (let k = 0; k < links.source.length; k++) {
      const a = links.ids[links.source[k]!]!;
      const b = links.ids[links.target[k]!]!;
      add(a, b);
      if (links.both[k]) add(b, a);
    }
    return graph;
  });
}
