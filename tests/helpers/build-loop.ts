/**
 * A child process for the crash-safety test: writes the graph over and over,
 * alternating two seed variants, printing `{"event":"begin"}` before and
 * `{"event":"done"}` after each write, until it is killed.
 *
 * Usage: node --import tsx tests/helpers/build-loop.ts <build|write> <db path> <seeds A> <seeds B>
 * - build: calls buildGraph(store, seeds, { force: true }) (compile and write);
 * - write: compiles both variants once, then only writes (store.replaceGraph),
 *   so that nearly every moment is inside a write transaction.
 */
import { buildGraph } from '../../src/build/build-graph.js';
import { compileSeeds } from '../../src/build/compile-seeds.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

const [mode, dbPath, seedsA, seedsB] = process.argv.slice(2) as [string, string, string, string];
const store = new SqliteStore(dbPath);
const say = (event: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(event)}\n`);
const variants = [seedsB, seedsA];

if (mode === 'write') {
  const compiled = variants.map((dir) => compileSeeds(dir));
  say({ event: 'ready' });
  for (let i = 0; ; i++) {
    const { data, fingerprint } = compiled[i % 2]!;
    say({ event: 'begin', i });
    await store.replaceGraph(data, fingerprint);
    say({ event: 'done', i });
  }
} else {
  say({ event: 'ready' });
  for (let i = 0; ; i++) {
    say({ event: 'begin', i });
    await buildGraph(store, variants[i % 2]!, { force: true });
    say({ event: 'done', i });
  }
}
