/**
 * Adjacency, neighbourhoods and paths against brute force, on both backends:
 * a small synthetic graph (src/generate/) is written through `replaceGraph`,
 * and every answer is compared with one worked out here from the raw rows
 * that were written (links, mention counts, BFS levels, every simple path),
 * never from the store's own reads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { MAX_NEIGHBORHOOD_EDGES, neighborhood } from '../../src/analytics/neighborhood.js';
import { findPaths } from '../../src/analytics/paths.js';
import { generateGraph } from '../../src/generate/synthetic-graph.js';
import { createLoaders } from '../../src/loaders/loaders.js';
import type { AdjacencyRow, LinkType } from '../../src/store/analyst-types.js';
import { openStore } from '../../src/store/open-store.js';
import type { GraphStore } from '../../src/store/store.js';
import type { GraphData } from '../../src/store/types.js';
import { BACKENDS, backendTitle, type TestDatabase } from '../helpers/backends.js';

const ENTITIES = 300;

/** The generated graph, all batches in one. */
function smallGraph(): GraphData {
  const all: Record<string, unknown[]> = {};
  for (const batch of generateGraph({ entities: ENTITIES, batchDocuments: 10 })) {
    for (const [key, rows] of Object.entries(batch)) (all[key] ??= []).push(...(rows as unknown[]));
  }
  return all as unknown as GraphData;
}

const data = smallGraph();
const entityIds = new Set(data.entities.map((e) => e.id));
const entityById = new Map(data.entities.map((e) => [e.id, e]));
const sortedEntityIds = [...entityIds].sort();

/** Mention counts from the mention rows. */
const mentions = new Map<string, number>();
for (const m of data.mentions) mentions.set(m.entityId, (mentions.get(m.entityId) ?? 0) + 1);
const mentionsOf = (id: string): number => mentions.get(id) ?? 0;

/** Every link seen from each end, as `adjacency` documents it, worked out from the rows. */
function bruteLinks(linkTypes: readonly LinkType[] | null): AdjacencyRow[] {
  const want = (t: LinkType): boolean => !linkTypes || linkTypes.length === 0 || linkTypes.includes(t);
  const out: AdjacencyRow[] = [];
  if (want('RELATIONSHIP')) {
    for (const r of data.relationships) {
      if (r.sourceId === r.targetId) continue;
      out.push({ fromId: r.sourceId, toId: r.targetId, linkType: 'RELATIONSHIP', linkId: r.id, label: r.type, outgoing: true });
      out.push({ fromId: r.targetId, toId: r.sourceId, linkType: 'RELATIONSHIP', linkId: r.id, label: r.type, outgoing: false });
    }
  }
  if (want('STATEMENT')) {
    const byId = new Map(data.statements.map((s) => [s.id, s]));
    for (const ss of data.statementSubjects) {
      const s = byId.get(ss.statementId)!;
      if (!s.speakerId || !entityIds.has(ss.subjectId) || ss.subjectId === s.speakerId) continue;
      out.push({ fromId: s.speakerId, toId: ss.subjectId, linkType: 'STATEMENT', linkId: s.id, label: s.kind, outgoing: true });
      out.push({ fromId: ss.subjectId, toId: s.speakerId, linkType: 'STATEMENT', linkId: s.id, label: s.kind, outgoing: false });
    }
  }
  if (want('EVENT')) {
    const kind = new Map(data.events.map((e) => [e.id, e.kind]));
    const byEvent = new Map<string, string[]>();
    for (const p of data.participants) byEvent.set(p.eventId, [...(byEvent.get(p.eventId) ?? []), p.entityId]);
    for (const [eventId, members] of byEvent) {
      for (const a of members) for (const b of members) if (a !== b) out.push({ fromId: a, toId: b, linkType: 'EVENT', linkId: eventId, label: kind.get(eventId)!, outgoing: true });
    }
  }
  return out;
}

const key = (r: AdjacencyRow): string => `${r.fromId}|${r.toId}|${r.linkType}|${r.linkId}|${r.label}|${r.outgoing}`;
const keys = (rows: readonly AdjacencyRow[]): string[] => [...new Set(rows.map(key))].sort();

/** Undirected neighbour sets. */
function neighbourMap(links: readonly AdjacencyRow[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const r of links) {
    if (!out.has(r.fromId)) out.set(r.fromId, new Set());
    out.get(r.fromId)!.add(r.toId);
  }
  return out;
}

/** The neighbourhood by its documented rule: level by level, most mentioned first (ties by id), up to `limit`. */
function bruteNeighbourhood(centre: string, depth: number, limit: number, linkTypes: readonly LinkType[] | null) {
  const links = bruteLinks(linkTypes);
  const around = neighbourMap(links);
  const depthOf = new Map([[centre, 0]]);
  let frontier = [centre];
  let truncated = false;
  for (let d = 1; d <= depth && frontier.length > 0; d++) {
    const fresh = new Set<string>();
    for (const v of frontier) for (const w of around.get(v) ?? []) if (!depthOf.has(w)) fresh.add(w);
    const ranked = [...fresh].sort((a, b) => mentionsOf(b) - mentionsOf(a) || (a < b ? -1 : 1));
    const room = limit - depthOf.size;
    if (ranked.length > room) truncated = true;
    frontier = ranked.slice(0, Math.max(0, room));
    for (const w of frontier) depthOf.set(w, d);
  }
  const edges = new Set<string>();
  for (const r of links) {
    if (!depthOf.has(r.fromId) || !depthOf.has(r.toId) || !r.outgoing) continue;
    const what = `${r.label} ${r.linkType} ${r.linkId}`;
    if (r.linkType === 'RELATIONSHIP') edges.add(`${r.linkId} ${r.fromId}>${r.toId} ${what}`);
    else if (r.linkType === 'STATEMENT') edges.add(`${r.linkId}|${r.toId} ${r.fromId}>${r.toId} ${what}`);
    else if (r.fromId < r.toId) edges.add(`${r.linkId}|${r.fromId}|${r.toId} ${r.fromId}>${r.toId} ${what}`);
  }
  const shown = (id: string): string => {
    const e = entityById.get(id)!;
    return `${e.name}/${e.type}/${e.kind ?? '-'}`;
  };
  return { nodes: [...depthOf].map(([id, d]) => `${id}@${d}:${mentionsOf(id)} ${shown(id)}`), edges: [...edges].sort(), truncated };
}

/** Every simple path from `a` to `b` of at most `max` steps, shortest first, then by entity ids. */
function brutePaths(a: string, b: string, max: number, linkTypes: readonly LinkType[] | null): string[][] {
  const around = neighbourMap(bruteLinks(linkTypes));
  // Distances to b, to prune walks that cannot arrive in time.
  const dist = new Map([[b, 0]]);
  let frontier = [b];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const v of frontier) for (const w of around.get(v) ?? []) if (!dist.has(w)) (dist.set(w, dist.get(v)! + 1), next.push(w));
    frontier = next;
  }
  const out: string[][] = [];
  const walk = (path: string[]): void => {
    const last = path[path.length - 1]!;
    if (last === b) return void out.push([...path]);
    for (const w of around.get(last) ?? []) {
      if (path.includes(w) || path.length + (dist.get(w) ?? Infinity) > max + 1) continue;
      walk([...path, w]);
    }
  };
  walk([a]);
  const cmp = (x: string[], y: string[]): number => {
    if (x.length !== y.length) return x.length - y.length;
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
    return 0;
  };
  return out.sort(cmp);
}

/** A fixed pseudo-random sample of entity ids, hubs included. */
function sample(n: number, seed: number): string[] {
  const out: string[] = [];
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out.push(sortedEntityIds[x % sortedEntityIds.length]!);
  }
  return out;
}
const hubs = [...entityIds].sort((a, b) => (neighbourMap(bruteLinks(null)).get(b)?.size ?? 0) - (neighbourMap(bruteLinks(null)).get(a)?.size ?? 0)).slice(0, 3);

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(backendTitle(backend, 'traversal against brute force'), () => {
    let db: TestDatabase;
    let store: GraphStore;
    beforeAll(async () => {
      db = await backend.createDatabase();
      store = await openStore(db.url);
      await store.replaceGraph(data, 'traversal-differential');
    }, 120_000);
    afterAll(async () => {
      await store?.close();
      await db?.drop();
    });

    it('writes the mention counts the brute force ranks by', async () => {
      const rows = await store.entitiesByIds(sortedEntityIds);
      expect(rows).toHaveLength(ENTITIES);
      for (const e of rows) expect(e.mentionCount, e.id).toBe(mentionsOf(e.id));
    });

    it('adjacency: every link of a batch, each kind, with and without toIds and outgoingOnly', async () => {
      for (const linkTypes of [null, ['RELATIONSHIP'], ['STATEMENT'], ['EVENT'], ['STATEMENT', 'EVENT']] as LinkType[][]) {
        const links = bruteLinks(linkTypes);
        for (const ids of [[...hubs, ...sample(20, 1)], sample(40, 2), sortedEntityIds]) {
          const from = new Set(ids);
          expect(keys(await store.adjacency(ids, { linkTypes })), `${linkTypes}`).toEqual(keys(links.filter((r) => from.has(r.fromId))));
          expect(keys(await store.adjacency(ids, { linkTypes, unordered: true })), `${linkTypes}`).toEqual(keys(links.filter((r) => from.has(r.fromId))));
          const toIds = sample(60, 3);
          const to = new Set(toIds);
          expect(keys(await store.adjacency(ids, { linkTypes, toIds, unordered: true }))).toEqual(keys(links.filter((r) => from.has(r.fromId) && to.has(r.toId))));
          const among = keys(links.filter((r) => from.has(r.fromId) && from.has(r.toId) && r.outgoing));
          expect(keys(await store.adjacency(ids, { linkTypes, toIds: ids, outgoingOnly: true }))).toEqual(among);
          // The same links from the kept adjacency (each read from its less mentioned end), whole and cut by a limit.
          expect(keys(await store.adjacency(ids, { linkTypes, toIds: ids, outgoingOnly: true, unordered: true }))).toEqual(among);
          const cut = await store.adjacency(ids, { linkTypes, toIds: ids, outgoingOnly: true, unordered: true, limit: 7 });
          expect(cut).toHaveLength(Math.min(7, among.length));
          expect(keys(cut).every((k) => among.includes(k))).toBe(true);
        }
      }
      // Ordered, and cut by a limit in that order.
      const ids = [...hubs, ...sample(10, 4)];
      const ordered = await store.adjacency(ids, { limit: 50 });
      const want = bruteLinks(null)
        .filter((r) => ids.includes(r.fromId))
        .sort((a, b) => (a.fromId < b.fromId ? -1 : a.fromId > b.fromId ? 1 : a.linkType < b.linkType ? -1 : a.linkType > b.linkType ? 1 : a.toId < b.toId ? -1 : a.toId > b.toId ? 1 : a.linkId < b.linkId ? -1 : a.linkId > b.linkId ? 1 : 0));
      expect(ordered.map((r) => `${r.fromId}|${r.linkType}|${r.toId}|${r.linkId}`)).toEqual(want.slice(0, 50).map((r) => `${r.fromId}|${r.linkType}|${r.toId}|${r.linkId}`));
      expect(await store.adjacency(ids, { toIds: [] })).toEqual([]);
      // A `toIds` list too long to bind five times is applied after reading, with the same answer (and limit).
      const many = [...Array.from({ length: 7000 }, (_, i) => `actor:none-${i}`), ...sample(60, 3)];
      const to = new Set(many);
      const within = bruteLinks(null).filter((r) => ids.includes(r.fromId) && to.has(r.toId));
      expect(keys(await store.adjacency(ids, { toIds: many }))).toEqual(keys(within));
      expect(await store.adjacency(ids, { toIds: many, limit: 3, unordered: true })).toHaveLength(Math.min(3, within.length));
    });

    it('adjacentEntities: the most mentioned neighbours first, without the excluded', async () => {
      const links = bruteLinks(null);
      for (const ids of [[hubs[0]!], sample(30, 5), sortedEntityIds.slice(0, 250)]) {
        const exclude = [...ids, ...sample(10, 6)];
        const fresh = new Set(links.filter((r) => ids.includes(r.fromId) && !exclude.includes(r.toId)).map((r) => r.toId));
        const ranked = [...fresh].sort((a, b) => mentionsOf(b) - mentionsOf(a) || (a < b ? -1 : 1));
        for (const first of [1, 7, 1000]) {
          const got = await store.adjacentEntities(ids, { exclude, first });
          expect(got.entities).toEqual(ranked.slice(0, first).map((id) => ({ id, mentionCount: mentionsOf(id) })));
        }
      }
    });

    it('entitySummaries: name, type, kind and mention count of each entity that exists', async () => {
      const ids = [...hubs, ...sample(40, 9), 'actor:none', hubs[0]!];
      const got = (await store.entitySummaries(ids)).sort((a, b) => (a.id < b.id ? -1 : 1));
      const want = [...new Set(ids)]
        .filter((id) => entityById.has(id))
        .sort()
        .map((id) => {
          const e = entityById.get(id)!;
          return { id, name: e.name, type: e.type, kind: e.kind, mentionCount: mentionsOf(id) };
        });
      expect(got).toEqual(want);
      // People have no kind: the null is read back as null.
      expect(want.some((e) => e.kind === null)).toBe(true);
    });

    it('degreeSum: the relationships at each entity, added up', async () => {
      const ids = sample(50, 7);
      let want = 0;
      for (const id of new Set(ids)) want += data.relationships.filter((r) => r.sourceId === id || (r.targetId === id && r.sourceId !== id)).length;
      expect(await store.degreeSum(ids)).toBe(want);
    });

    it('neighbourhoods equal the brute-force ones: nodes in order with depth, weight, label, type and kind, every edge among them with its label, type and link, truncated', async () => {
      let compared = 0;
      for (const centre of [...hubs, ...sample(8, 8)]) {
        for (const [depth, limit, linkTypes] of [
          [1, 500, null],
          [2, 500, null],
          [2, 40, null],
          [3, 120, ['RELATIONSHIP']],
          [2, 30, ['STATEMENT', 'EVENT']],
        ] as [number, number, LinkType[] | null][]) {
          const got = (await neighborhood(createLoaders(store), centre, { depth, limit, linkTypes }))!;
          const want = bruteNeighbourhood(centre, depth, limit, linkTypes);
          const label = `${centre} ${depth} ${limit} ${linkTypes}`;
          expect(got.nodes.map((n) => `${n.id}@${n.depth}:${n.weight} ${n.label}/${n.type}/${n.kind ?? '-'}`), label).toEqual(want.nodes);
          expect(got.edges.map((e) => `${e.id} ${e.source}>${e.target} ${e.label} ${e.type} ${e.linkId}`).sort(), label).toEqual(want.edges);
          expect(got.truncated, label).toBe(want.truncated);
          compared++;
        }
      }
      expect(compared).toBe(55);
    });

    it('paths equal the brute-force ones: the k shortest simple paths, ties by entity ids, with and without the meeting probe', async () => {
      const froms = [...hubs, ...sample(12, 9)];
      const tos = [...sample(12, 10), hubs[1]!, hubs[2]!, hubs[0]!];
      let nonEmpty = 0;
      for (let i = 0; i < froms.length; i++) {
        const [a, b] = [froms[i]!, tos[i]!];
        for (const linkTypes of [null, ['RELATIONSHIP']] as (LinkType[] | null)[]) {
          const want = brutePaths(a, b, 4, linkTypes).slice(0, 20);
          for (const meetingProbeMinCost of [undefined, 0]) {
            const got = await findPaths(createLoaders(store), a, b, { maxLength: 4, first: 20, linkTypes, meetingProbeMinCost });
            expect(got.map((p) => p.entityIds), `${a} ${b} ${linkTypes} ${meetingProbeMinCost}`).toEqual(a === b ? [[a]] : want);
            for (const p of got) {
              for (const step of p.steps) {
                // The step's link is a real link between its two entities, of the preferred kind.
                const between = bruteLinks(linkTypes).filter((r) => r.fromId === step.fromId && r.toId === step.toId);
                const rank = (t: LinkType): number => ['RELATIONSHIP', 'STATEMENT', 'EVENT'].indexOf(t);
                const best = Math.min(...between.map((r) => rank(r.linkType)));
                expect(between.some((r) => r.linkId === step.linkId && r.linkType === step.linkType && r.outgoing === step.outgoing)).toBe(true);
                expect(rank(step.linkType)).toBe(best);
              }
            }
          }
          // The shortest path up to 6 steps: its length is the BFS distance.
          const shortest = brutePaths(a, b, 3, linkTypes)[0];
          const one = await findPaths(createLoaders(store), a, b, { maxLength: 6, first: 1, linkTypes, meetingProbeMinCost: 0 });
          if (shortest) expect(one[0]?.length).toBe(shortest.length - 1);
          else expect(one[0]?.length ?? 7).toBeGreaterThan(3);
          if (want.length > 0) nonEmpty++;
        }
      }
      expect(nonEmpty).toBeGreaterThan(10);
    });
  });
}

/** The small graph and one event in which every entity takes part: more links among them than a neighbourhood returns. */
function crowdedGraph(): GraphData {
  const graph = smallGraph();
  const event = { ...graph.events[0]!, id: 'event:everyone', kind: 'GATHERING' };
  graph.events.push(event);
  sortedEntityIds.forEach((entityId, ord) => graph.participants.push({ id: `event:everyone#${entityId}`, eventId: event.id, entityId, role: 'PARTICIPANT', ord }));
  return graph;
}

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(backendTitle(backend, 'a neighbourhood with more edges than the cap'), () => {
    let db: TestDatabase;
    let store: GraphStore;
    beforeAll(async () => {
      db = await backend.createDatabase();
      store = await openStore(db.url);
      await store.replaceGraph(crowdedGraph(), 'traversal-differential-crowded');
    }, 120_000);
    afterAll(async () => {
      await store?.close();
      await db?.drop();
    });

    it('returns exactly the cap, distinct edges among its nodes in order of their ids, and says it is truncated', async () => {
      // Every pair of the 300 entities shares the event: 44,850 edges among them, more than the cap.
      expect((ENTITIES * (ENTITIES - 1)) / 2).toBeGreaterThan(MAX_NEIGHBORHOOD_EDGES);
      const got = (await neighborhood(createLoaders(store), sortedEntityIds[0]!, { depth: 1, limit: 500, linkTypes: ['EVENT'] }))!;
      expect(got.nodes).toHaveLength(ENTITIES);
      expect(got.truncated).toBe(true);
      expect(got.edges).toHaveLength(MAX_NEIGHBORHOOD_EDGES);
      const ids = got.edges.map((e) => e.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual([...ids].sort());
      const nodes = new Set(got.nodes.map((n) => n.id));
      for (const e of got.edges) expect(nodes.has(e.source) && nodes.has(e.target) && e.source !== e.target).toBe(true);
    });

    it('with maxEdges, keeps the edges among the first nodes (ranked by their later end, ties by id), in order of their ids', async () => {
      // 150 nodes: 11,175 pairs share the event, all read (the read stops after 25,000 links).
      const maxEdges = 1_000;
      const got = (await neighborhood(createLoaders(store), sortedEntityIds[0]!, { depth: 1, limit: 150, linkTypes: ['EVENT'], maxEdges }))!;
      expect(got.nodes).toHaveLength(150);
      expect(got.truncated).toBe(true);
      // Brute force from the graph's rows: every pair of participants of an event, both among the nodes.
      const position = new Map(got.nodes.map((n, i) => [n.id, i]));
      const byEvent = new Map<string, string[]>();
      for (const p of crowdedGraph().participants) byEvent.set(p.eventId, [...(byEvent.get(p.eventId) ?? []), p.entityId]);
      const all: { id: string; rank: number }[] = [];
      for (const [eventId, members] of byEvent) {
        const unique = [...new Set(members)].filter((m) => position.has(m)).sort();
        for (let i = 0; i < unique.length; i++) {
          for (let j = i + 1; j < unique.length; j++) {
            all.push({ id: `${eventId}|${unique[i]}|${unique[j]}`, rank: Math.max(position.get(unique[i]!)!, position.get(unique[j]!)!) });
          }
        }
      }
      const ids = [...new Map(all.map((e) => [e.id, e])).values()];
      const want = ids
        .sort((a, b) => a.rank - b.rank || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .slice(0, maxEdges)
        .map((e) => e.id)
        .sort();
      expect(got.edges.map((e) => e.id)).toEqual(want);
      // Not the first ids: the rule picks by node order (the centre's edges first).
      expect(want).not.toEqual(ids.map((e) => e.id).sort().slice(0, maxEdges));
    });
  });
}
