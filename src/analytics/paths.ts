/**
 * Paths between two entities through relationships, statements (speaker to
 * subject) and shared events, found by level-by-level batched expansion over
 * the store: each level is one `adjacency` call for the whole frontier, and
 * the graph is never loaded whole.
 *
 * The search grows a ball around each end, always expanding the frontier
 * whose entities have the smaller total degree (what expanding it reads).
 * With radii rFrom and rTo, every path of length ≤ rFrom + rTo lies inside the
 * two balls, edges included; so once a path of that length is found it is a
 * shortest, and the k shortest simple paths are enumerated exactly by
 * increasing length (ties in order of entity ids) from what was loaded.
 *
 * Before a frontier is expanded, the links between the two frontiers are read
 * alone (filtered in the database, so only those links come back): every path
 * of length rFrom + rTo + 1 lies inside the balls plus those links, so when
 * they already give the paths asked for, the expensive expansion (every link
 * of the frontier) is skipped. Expansion stops at `maxLength`, or when
 * `MAX_PATH_ENTITIES` entities have been reached (then only paths up to the
 * radii reached are answered).
 */
import type { Loaders } from '../loaders/loaders.js';
import type { AdjacencyRow, LinkType } from '../store/analyst-types.js';

/** Longest path asked for; `maxLength` is capped to it. */
export const MAX_PATH_LENGTH = 6;
/** Default `maxLength`. */
export const DEFAULT_PATH_LENGTH = 4;
/** Most paths `paths` returns. */
export const MAX_PATHS = 20;
/** Budget of entities reached by one search; beyond it, longer paths are not searched. */
export const MAX_PATH_ENTITIES = 50_000;
/** Budget of steps when enumerating paths inside the loaded balls. */
const MAX_ENUMERATION_STEPS = 200_000;
/** Largest other frontier the links between the frontiers are read for first (beyond it, the filter list costs more than it saves). */
const MAX_MEETING_PROBE = 2_500;
/** Smallest expansion (see `Ball.cost`) worth reading the links between the frontiers first: below it, one more statement costs more than it saves. */
const MIN_MEETING_PROBE_COST = 1_000;

/** One step of a path: two entities and the link between them, as the adjacency gives it. */
export type PathStepModel = AdjacencyRow;

/** A path: its steps in order. */
export interface PathModel {
  length: number;
  entityIds: string[];
  steps: PathStepModel[];
}

/** Options of `findPaths`. */
export interface PathOptions {
  maxLength: number;
  first: number;
  linkTypes: readonly LinkType[] | null;
  /**
   * Smallest expansion (see `Ball.cost`) for which the links between the two
   * frontiers are read first; default `MIN_MEETING_PROBE_COST`. (Tests set 0
   * to take that road on small graphs.)
   */
  meetingProbeMinCost?: number;
}

/** Links between two entities are chosen in this order when there are several. */
const LINK_PREFERENCE: Record<LinkType, number> = { RELATIONSHIP: 0, STATEMENT: 1, EVENT: 2 };

function better(a: AdjacencyRow, b: AdjacencyRow): boolean {
  const d = LINK_PREFERENCE[a.linkType] - LINK_PREFERENCE[b.linkType];
  return d !== 0 ? d < 0 : a.linkId < b.linkId;
}

/** The loaded part of the graph: for each entity, its neighbours and the preferred link to each. */
class LocalGraph {
  readonly links = new Map<string, Map<string, AdjacencyRow>>();

  add(row: AdjacencyRow): void {
    this.put(row);
    this.put({ ...row, fromId: row.toId, toId: row.fromId, outgoing: row.linkType === 'EVENT' ? true : !row.outgoing });
  }

  private put(row: AdjacencyRow): void {
    let around = this.links.get(row.fromId);
    if (!around) this.links.set(row.fromId, (around = new Map()));
    const had = around.get(row.toId);
    if (!had || better(row, had)) around.set(row.toId, row);
  }

  neighbours(id: string): string[] {
    return [...(this.links.get(id)?.keys() ?? [])].sort();
  }

  link(from: string, to: string): AdjacencyRow {
    return this.links.get(from)!.get(to)!;
  }

  /** Distances from `start` inside the loaded graph. */
  distances(start: string): Map<string, number> {
    const dist = new Map([[start, 0]]);
    let frontier = [start];
    while (frontier.length > 0) {
      const next: string[] = [];
      for (const v of frontier) {
        for (const w of this.links.get(v)?.keys() ?? []) {
          if (!dist.has(w)) {
            dist.set(w, dist.get(v)! + 1);
            next.push(w);
          }
        }
      }
      frontier = next;
    }
    return dist;
  }
}

/** A growing ball around one end. */
interface Ball {
  seen: Set<string>;
  frontier: string[];
  radius: number;
  /** What expanding the frontier reads, roughly: its entities' degrees and one per entity; null until asked. */
  cost: number | null;
}

/**
 * The `first` shortest simple paths from `fromId` to `toId` of at most
 * `maxLength` steps, shortest first. Empty when there is none (or when an end
 * is not an entity).
 */
export async function findPaths(loaders: Loaders, fromId: string, toId: string, options: PathOptions): Promise<PathModel[]> {
  const [from, to] = await Promise.all([loaders.entity.load(fromId), loaders.entity.load(toId)]);
  if (!from || !to) return [];
  if (fromId === toId) return [{ length: 0, entityIds: [fromId], steps: [] }];

  const local = new LocalGraph();
  const balls: [Ball, Ball] = [
    { seen: new Set([fromId]), frontier: [fromId], radius: 0, cost: null },
    { seen: new Set([toId]), frontier: [toId], radius: 0, cost: null },
  ];
  const costOf = async (ball: Ball): Promise<number> => (ball.cost ??= (await loaders.store.degreeSum(ball.frontier)) + ball.frontier.length);
  let reach = 0; // paths up to this length are all inside the loaded graph
  let found: PathModel[] = [];
  for (;;) {
    found = enumerate(local, fromId, toId, reach, options.first);
    if (found.length >= options.first || reach >= options.maxLength) break;
    const exhausted = balls.find((b) => b.frontier.length === 0);
    if (exhausted) {
      // One end's component is loaded whole: every path is inside it.
      reach = options.maxLength;
      found = enumerate(local, fromId, toId, reach, options.first);
      break;
    }
    const [cost0, cost1] = [await costOf(balls[0]), await costOf(balls[1])];
    const ball = cost0 <= cost1 ? balls[0] : balls[1];
    const other = ball === balls[0] ? balls[1] : balls[0];
    const budget = MAX_PATH_ENTITIES - balls[0].seen.size - balls[1].seen.size;
    if (budget <= 0) break;
    if (other.frontier.length <= MAX_MEETING_PROBE && (ball === balls[0] ? cost0 : cost1) >= (options.meetingProbeMinCost ?? MIN_MEETING_PROBE_COST)) {
      // Paths of length reach + 1 need, besides what is loaded, only links from this frontier to the other.
      const meeting = await loaders.store.adjacency(ball.frontier, { linkTypes: options.linkTypes, toIds: other.frontier, unordered: true });
      if (meeting.length > 0) {
        for (const row of meeting) local.add(row);
        found = enumerate(local, fromId, toId, reach + 1, options.first);
        if (found.length >= options.first) break;
      }
    }
    // Unordered: rows of a level cut by the budget are never used for an answer.
    const rows = await loaders.store.adjacency(ball.frontier, { linkTypes: options.linkTypes, limit: budget * 4, unordered: true });
    const complete = rows.length < budget * 4;
    for (const row of rows) local.add(row);
    const next: string[] = [];
    for (const row of rows) {
      if (!ball.seen.has(row.toId)) {
        ball.seen.add(row.toId);
        next.push(row.toId);
      }
    }
    if (!complete) break; // a partial level: paths found so far stand, longer ones are not searched
    ball.frontier = next;
    ball.cost = null;
    ball.radius++;
    reach = balls[0].radius + balls[1].radius;
  }
  return found;
}

/** The `k` shortest simple paths of length ≤ `limit` inside the loaded graph, shortest first. */
function enumerate(local: LocalGraph, fromId: string, toId: string, limit: number, k: number): PathModel[] {
  if (limit <= 0) return [];
  const distTo = local.distances(toId);
  const shortest = distTo.get(fromId);
  if (shortest === undefined || shortest > limit) return [];
  const out: PathModel[] = [];
  let steps = 0;
  for (let length = shortest; length <= limit && out.length < k; length++) {
    const path = [fromId];
    const onPath = new Set(path);
    const walk = (v: string): void => {
      if (out.length >= k || ++steps > MAX_ENUMERATION_STEPS) return;
      if (v === toId) {
        if (path.length - 1 === length) out.push(toModel(local, path));
        return;
      }
      for (const w of local.neighbours(v)) {
        const d = distTo.get(w);
        if (onPath.has(w) || d === undefined || path.length + d > length) continue;
        path.push(w);
        onPath.add(w);
        walk(w);
        path.pop();
        onPath.delete(w);
      }
    };
    walk(fromId);
  }
  return out;
}

function toModel(local: LocalGraph, path: string[]): PathModel {
  const steps = path.slice(1).map((toId, i) => {
    const link = local.link(path[i]!, toId);
    return { fromId: path[i]!, toId, linkType: link.linkType, linkId: link.linkId, label: link.label, outgoing: link.outgoing };
  });
  return { length: steps.length, entityIds: [...path], steps };
}
