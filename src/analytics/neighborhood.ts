/**
 * The subgraph around an entity, for graph views (Cytoscape.js, sigma.js):
 * flat nodes and edges with ids, labels, types and weights. Expanded level by
 * level with one `adjacentEntities` call per level, which returns only the
 * level's most mentioned new entities (exactly: the store reads neighbours
 * most mentioned first from its kept adjacency, not every link of each hub),
 * up to `limit` entities in all; then one `adjacency` call for the links among
 * the kept entities only (each read from its less mentioned end), and one
 * `entitySummaries` call for the nodes' names, types and mention counts.
 */
import type { Loaders } from '../loaders/loaders.js';
import type { AdjacencyRow, LinkType } from '../store/analyst-types.js';

/** Deepest neighbourhood asked for; `depth` is capped to it. */
export const MAX_NEIGHBORHOOD_DEPTH = 3;
/** Largest `limit` (entities in the subgraph). */
export const MAX_NEIGHBORHOOD_LIMIT = 500;
/** Default `limit`. */
export const DEFAULT_NEIGHBORHOOD_LIMIT = 100;
/**
 * Most edges returned (links among the kept entities), and the default of
 * `maxEdges`; when there are more, `truncated` is true. 500 entities around
 * the largest hubs of a generated graph of 1,000,000 have a few thousand.
 */
export const MAX_NEIGHBORHOOD_EDGES = 25_000;

/** A node: an entity. `weight` is its mention count; `depth` its distance from the centre. */
export interface SubgraphNodeModel {
  id: string;
  label: string;
  type: string;
  kind: string | null;
  weight: number;
  depth: number;
}

/** An edge: one link between two kept entities, directed as the link is (events: lower id first). */
export interface SubgraphEdgeModel {
  id: string;
  source: string;
  target: string;
  label: string;
  type: LinkType;
  linkId: string;
  weight: number;
}

/** Nodes, edges, and whether the `limit` cut entities off. */
export interface SubgraphModel {
  nodes: SubgraphNodeModel[];
  edges: SubgraphEdgeModel[];
  truncated: boolean;
}

function edgeOf(row: AdjacencyRow): SubgraphEdgeModel {
  if (row.linkType === 'EVENT') {
    const [source, target] = row.fromId < row.toId ? [row.fromId, row.toId] : [row.toId, row.fromId];
    return { id: `${row.linkId}|${source}|${target}`, source, target, label: row.label, type: row.linkType, linkId: row.linkId, weight: 1 };
  }
  const [source, target] = row.outgoing ? [row.fromId, row.toId] : [row.toId, row.fromId];
  const id = row.linkType === 'RELATIONSHIP' ? row.linkId : `${row.linkId}|${target}`;
  return { id, source, target, label: row.label, type: row.linkType, linkId: row.linkId, weight: 1 };
}

/** The neighbourhood of `id` to `depth` levels, at most `limit` entities; null when `id` is not an entity. */
export async function neighborhood(
  loaders: Loaders,
  id: string,
  options: { depth: number; limit: number; linkTypes: readonly LinkType[] | null; maxEdges?: number },
): Promise<SubgraphModel | null> {
  const maxEdges = Math.min(options.maxEdges ?? MAX_NEIGHBORHOOD_EDGES, MAX_NEIGHBORHOOD_EDGES);
  const centre = await loaders.entity.load(id);
  if (!centre) return null;
  /** Kept entity ids and their depth, in the order kept. */
  const depthOf = new Map<string, number>([[centre.id, 0]]);
  let frontier = [centre.id];
  let truncated = false;
  for (let depth = 1; depth <= options.depth && frontier.length > 0; depth++) {
    const room = options.limit - depthOf.size;
    if (room <= 0 && truncated) break;
    // With the limit reached, one more entity at this level means the cut left entities out.
    const level = await loaders.store.adjacentEntities(frontier, { linkTypes: options.linkTypes, exclude: [...depthOf.keys()], first: room + 1 });
    if (level.entities.length > room) truncated = true;
    const taken = level.entities.slice(0, Math.max(0, room));
    for (const e of taken) depthOf.set(e.id, depth);
    frontier = taken.map((e) => e.id);
    if (room <= 0) break;
  }
  const kept = [...depthOf.keys()];
  const rows = await loaders.store.adjacency(kept, { linkTypes: options.linkTypes, toIds: kept, outgoingOnly: true, limit: 2 * (MAX_NEIGHBORHOOD_EDGES + 1), unordered: true });
  // perf: the five columns a node shows, not whole entity rows (a third of the cost for 500 entities).
  const entities = new Map((await loaders.store.entitySummaries(kept)).map((e) => [e.id, e]));
  const nodes: SubgraphNodeModel[] = [];
  for (const [nodeId, depth] of depthOf) {
    const e = entities.get(nodeId);
    if (e) nodes.push({ id: e.id, label: e.name, type: e.type, kind: e.kind, weight: e.mentionCount, depth });
  }
  const edges = new Map<string, SubgraphEdgeModel>();
  for (const row of rows) {
    if (!depthOf.has(row.fromId) || !depthOf.has(row.toId)) continue;
    const edge = edgeOf(row);
    edges.set(edge.id, edge);
  }
  let order = [...edges.keys()];
  if (order.length > maxEdges) {
    // More links than asked for: keep those among the first nodes (each edge ranked by its later end in node
    // order: the centre, then level by level the most mentioned), ties in order of their ids.
    truncated = true;
    const position = new Map(nodes.map((n, i) => [n.id, i]));
    const rank = (edge: SubgraphEdgeModel): number => Math.max(position.get(edge.source) ?? Infinity, position.get(edge.target) ?? Infinity);
    order = [...edges.values()]
      .sort((a, b) => rank(a) - rank(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .slice(0, maxEdges)
      .map((edge) => edge.id);
  }
  // In order of their ids (UTF-16 code units, as `<` compares); perf: the default sort of the keys is a third cheaper than a comparator.
  order.sort();
  return { nodes, edges: order.map((edgeId) => edges.get(edgeId)!), truncated };
}
