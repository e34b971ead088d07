/**
 * The subgraph around an entity, for graph views (Cytoscape.js, sigma.js):
 * flat nodes and edges with ids, labels, types and weights. Expanded level by
 * level with one `adjacency` call per level; at each level the most mentioned
 * neighbours are kept first, up to `limit` entities in all.
 */
import type { Loaders } from '../loaders/loaders.js';
import type { AdjacencyRow, LinkType } from '../store/analyst-types.js';
import type { EntityRow } from '../store/types.js';

/** Deepest neighbourhood asked for; `depth` is capped to it. */
export const MAX_NEIGHBORHOOD_DEPTH = 3;
/** Largest `limit` (entities in the subgraph). */
export const MAX_NEIGHBORHOOD_LIMIT = 500;
/** Default `limit`. */
export const DEFAULT_NEIGHBORHOOD_LIMIT = 100;
/** Adjacency rows read per entity kept, at most (bounds the cost around hubs). */
const ROWS_PER_ENTITY = 50;

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
  options: { depth: number; limit: number; linkTypes: readonly LinkType[] | null },
): Promise<SubgraphModel | null> {
  const centre = await loaders.entity.load(id);
  if (!centre) return null;
  const kept = new Map<string, SubgraphNodeModel>();
  const keep = (e: EntityRow, depth: number): void => {
    kept.set(e.id, { id: e.id, label: e.name, type: e.type, kind: e.kind, weight: e.mentionCount, depth });
  };
  keep(centre, 0);
  const rows: AdjacencyRow[] = [];
  let frontier = [id];
  let truncated = false;
  for (let depth = 1; depth <= options.depth && frontier.length > 0; depth++) {
    const budget = options.limit * ROWS_PER_ENTITY;
    const level = await loaders.store.adjacency(frontier, { linkTypes: options.linkTypes, limit: budget });
    if (level.length >= budget) truncated = true;
    rows.push(...level);
    const fresh = [...new Set(level.map((r) => r.toId).filter((t) => !kept.has(t)))];
    const entities = (await loaders.entity.loadMany(fresh)).filter((e): e is EntityRow => e !== null && !(e instanceof Error));
    entities.sort((a, b) => b.mentionCount - a.mentionCount || (a.id < b.id ? -1 : 1));
    const room = options.limit - kept.size;
    if (entities.length > room) truncated = true;
    const taken = entities.slice(0, Math.max(0, room));
    for (const e of taken) keep(e, depth);
    frontier = taken.map((e) => e.id);
    if (kept.size >= options.limit) break;
  }
  // Links among the outermost entities are not known yet: one more call for them.
  const expanded = new Set(rows.map((r) => r.fromId));
  const outer = [...kept.keys()].filter((n) => !expanded.has(n));
  if (outer.length > 0) rows.push(...(await loaders.store.adjacency(outer, { linkTypes: options.linkTypes, limit: options.limit * ROWS_PER_ENTITY })));
  const edges = new Map<string, SubgraphEdgeModel>();
  for (const row of rows) {
    if (!kept.has(row.fromId) || !kept.has(row.toId)) continue;
    const edge = edgeOf(row);
    edges.set(edge.id, edge);
  }
  return {
    nodes: [...kept.values()],
    edges: [...edges.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    truncated,
  };
}
