/**
 * The analytics cache: results computed on demand and kept until the graph
 * changes. Keyed by store and by `graphVersion()`, so any write (a rebuild, an
 * ingest, another instance writing to the same database) invalidates it on
 * the next request that asks.
 */
import type { GraphReader } from '../store/store.js';

interface Scope {
  version: number;
  entries: Map<string, Promise<unknown>>;
}

const scopes = new WeakMap<GraphReader, Scope>();

/** Anything that can name the store and its current graph version (the per-request loaders do). */
export interface VersionedStore {
  store: GraphReader;
  graphVersion(): Promise<number>;
}

/**
 * The value cached under `key` for the store's current graph version, computing
 * it with `compute` when missing. A failed computation is not kept.
 */
export async function cached<T>(source: VersionedStore, key: string, compute: () => Promise<T>): Promise<T> {
  const version = await source.graphVersion();
  let scope = scopes.get(source.store);
  if (!scope || scope.version !== version) {
    scope = { version, entries: new Map() };
    scopes.set(source.store, scope);
  }
  const entries = scope.entries;
  let value = entries.get(key) as Promise<T> | undefined;
  if (!value) {
    value = compute();
    entries.set(key, value);
    value.catch(() => entries.delete(key));
  }
  return value;
}
