/**
 * An instance's memory of the graph: the current graph version, and values
 * derived from the graph (analytics, rendered answers) that stay valid until
 * the graph changes. Every server instance keeps one; a change committed by
 * any instance on the same database clears it (see `onGraphChanged`).
 */
import type { GraphChange, GraphChangeSource, GraphReader } from './store.js';

/** What a `GraphCache` needs from the store. */
export type GraphCacheSource = GraphChangeSource & Pick<GraphReader, 'graphVersion'>;

/** Values derived from the graph, dropped whenever the graph changes. */
export class GraphCache {
  private readonly entries = new Map<string, Promise<unknown>>();
  private readonly invalidationListeners = new Set<(change: GraphChange) => void>();
  private current: number;
  private stop: (() => void) | null;

  private constructor(version: number, stop: () => void) {
    this.current = version;
    this.stop = stop;
  }

  /**
   * Watch `store` for graph changes and read the current version. Resolves
   * once watching is active, so no change committed afterwards is missed.
   * @example
   * const cache = await GraphCache.open(store);
   * const ranks = await cache.memo('centrality:PAGERANK', () => computePageRank(store));
   */
  static async open(store: GraphCacheSource): Promise<GraphCache> {
    let cache: GraphCache | null = null;
    let early = -Infinity;
    const stop = await store.onGraphChanged((change) => {
      if (cache) cache.invalidate(change);
      else early = Math.max(early, change.version);
    });
    // Nothing is cached yet, so a change reported before the read only matters for the version.
    let version: number;
    try {
      version = Math.max(await store.graphVersion(), early);
    } catch (error) {
      stop();
      throw error;
    }
    cache = new GraphCache(version, stop);
    return cache;
  }

  /** The graph version the cached values belong to. */
  get version(): number {
    return this.current;
  }

  /** Number of cached values (for tests and metrics). */
  get size(): number {
    return this.entries.size;
  }

  /**
   * The value cached under `key`, computing it with `compute` on a miss.
   * Concurrent callers share one computation; a failed one is not cached.
   */
  memo<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit) return hit as Promise<T>;
    const pending = compute();
    this.entries.set(key, pending);
    pending.catch(() => {
      if (this.entries.get(key) === pending) this.entries.delete(key);
    });
    return pending;
  }

  /** Call `listener` whenever the cache is cleared because the graph changed. Returns the unsubscribe. */
  onInvalidate(listener: (change: GraphChange) => void): () => void {
    this.invalidationListeners.add(listener);
    return () => this.invalidationListeners.delete(listener);
  }

  /** Stop watching the store. Cached values stay readable but are no longer kept fresh. */
  close(): void {
    this.stop?.();
    this.stop = null;
  }

  private invalidate(change: GraphChange): void {
    this.current = change.version;
    this.entries.clear();
    for (const listener of [...this.invalidationListeners]) listener(change);
  }
}
