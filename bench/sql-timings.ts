/**
 * `npx tsx bench/sql-timings.ts`: time every SQL statement the entity-page
 * mix runs on the seed graph, grouped by statement shape (first 100 chars).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { buildGraph } from '../src/build/build-graph.js';
import { createLoaders } from '../src/loaders/loaders.js';
import { loadConfig } from '../src/server/config.js';
import { createLogger } from '../src/server/logger.js';
import { ServerMetrics } from '../src/server/metrics.js';
import type { ServerContext } from '../src/server/server-context.js';
import { createApollo } from '../src/server/apollo.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { ROOT } from './lib/child-server.js';
import { timeStoreSql } from './lib/sql-timer.js';

const dir = mkdtempSync(join(tmpdir(), 'kg-sql-'));
const store = new SqliteStore(join(dir, 'kg.sqlite'));
await buildGraph(store, join(ROOT, 'seeds'));
const apollo = createApollo({ config: loadConfig({ NODE_ENV: 'production' }), logger: createLogger('silent'), metrics: new ServerMetrics() });
await apollo.start();
const query = readFileSync(join(ROOT, 'bench/queries/entity-page-paged.graphql'), 'utf8');
const { times } = timeStoreSql(store, 110);
const n = 1000;
for (let round = 0; round < 2; round++) {
  times.clear();
  for (let i = 0; i < n; i++) {
    await apollo.executeOperation(
      { query, variables: { name: ['MINUSMA', 'Mali', 'Russia', 'Wagner'][i % 4], relationships: i % 21, statements: (i >> 2) % 21, mentions: (i >> 4) % 6 } },
      { contextValue: { loaders: createLoaders(store), requestId: 'x', record: { requestId: 'x', operations: [] } } as unknown as ServerContext },
    );
  }
}
for (const [k, v] of [...times].sort((a, b) => b[1].reduce((x, y) => x + y) - a[1].reduce((x, y) => x + y))) {
  console.log(`${((v.reduce((x, y) => x + y) * 1000) / n).toFixed(0).padStart(5)} µs/request  ${(v.length / n).toFixed(1)}×  ${k}`);
}
await apollo.stop();
await store.close();
rmSync(dir, { recursive: true, force: true });
