/**
 * The seed build: compile the seeds and write them into the store in one
 * transaction, skipping the write when the store already holds this build.
 */
import type { GraphStore } from '../store/store.js';
import { compileSeeds, seedFingerprint } from './compile-seeds.js';

/** What a build did. */
export interface BuildResult {
  /** False when the store already held a graph built from these seeds. */
  built: boolean;
  fingerprint: string;
  counts: Record<string, number>;
}

/** Options of `buildGraph`. */
export interface BuildOptions {
  /** Rebuild even when the seeds have not changed. Default false. */
  force?: boolean;
}

/**
 * Build the graph from `seedsDir` into `store`.
 * @throws BuildError for bad seeds; the store then keeps its previous graph.
 */
export async function buildGraph(store: GraphStore, seedsDir: string, options: BuildOptions = {}): Promise<BuildResult> {
  if (!options.force) {
    const fingerprint = seedFingerprint(seedsDir);
    if ((await store.seedFingerprint()) === fingerprint) return { built: false, fingerprint, counts: {} };
  }
  const { data, fingerprint } = compileSeeds(seedsDir);
  await store.replaceGraph(data, fingerprint);
  const counts = Object.fromEntries(Object.entries(data).map(([k, rows]) => [k, (rows as unknown[]).length]));
  return { built: true, fingerprint, counts };
}
