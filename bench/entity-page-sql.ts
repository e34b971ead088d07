/**
 * `npx tsx bench/entity-page-sql.ts data/synthetic-100000.sqlite [n]`: the SQL
 * statements the entity page (examples/entity-page.graphql) runs on a
 * generated graph, by statement shape, with their time per request and their
 * worst single run — to see which read an entity page at scale waits for.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import Database from 'better-sqlite3';

import { createLoaders } from '../src/loaders/loaders.js';
import { createApollo } from '../src/server/apollo.js';
import { loadConfig } from '../src/server/config.js';
import { createLogger } from '../src/server/logger.js';
import { ServerMetrics } from '../src/server/metrics.js';
import type { ServerContext } from '../src/server/server-context.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { ROOT } from './lib/child-server.js';
import { timeStoreSql } from './lib/sql-timer.js';

const path = process.argv[2] ?? join(ROOT, 'data', 'synthetic-100000.sqlite');
const n = Number(process.argv[3] ?? 200);
const sample = new Database(path, { readonly: true });
const count = (sample.prepare('SELECT MAX(rowid) AS n FROM entities').get() as { n: number }).n;
const pick = sample.prepare('SELECT name FROM entities WHERE rowid = ?');
const names = Array.from({ length: n }, (_, i) => (pick.get(1 + ((i * 7919) % count)) as { name: string } | undefined)?.name ?? 'x');
sample.close();

const store = new SqliteStore(path);
const apollo = createApollo({ config: loadConfig({ NODE_ENV: 'production' }), logger: createLogger('silent'), metrics: new ServerMetrics() });
await apollo.start();
const query = readFileSync(join(ROOT, 'examples', 'entity-page.graphql'), 'utf8');
const { times, slowest } = timeStoreSql(store, 140);
const total: number[] = [];
for (let i = 0; i < n; i++) {
  const t = performance.now();
  await apollo.executeOperation(
    { query, variables: { name: names[i] } },
    { contextValue: { loaders: createLoaders(store), requestId: 'x', record: { requestId: 'x', operations: [] } } as unknown as ServerContext },
  );
  total.push(performance.now() - t);
}
total.sort((a, b) => a - b);
console.log(`request: p50 ${total[Math.floor(n / 2)]!.toFixed(2)} ms, p99 ${total[Math.ceil(n * 0.99) - 1]!.toFixed(2)} ms`);
for (const [k, v] of [...times].sort((a, b) => b[1].reduce((x, y) => x + y) - a[1].reduce((x, y) => x + y))) {
  console.log(`${((v.reduce((x, y) => x + y) * 1000) / n).toFixed(0).padStart(6)} µs/request  max ${Math.max(...v).toFixed(1).padStart(6)} ms  ${(v.length / n).toFixed(1)}×  ${k}`);
}
// With EXPLAIN=1: the plan of the slowest run of the costliest statement.
if (process.env.EXPLAIN) {
  const [shape] = [...times].sort((a, b) => b[1].reduce((x, y) => x + y) - a[1].reduce((x, y) => x + y))[0]!;
  const worst = slowest.get(shape)!;
  console.log(`\nslowest (${worst.ms.toFixed(1)} ms): ${worst.sql}\n${JSON.stringify(worst.params)}`);
  const db = new Database(path, { readonly: true });
  for (const r of db.prepare(`EXPLAIN QUERY PLAN ${worst.sql}`).all(...(worst.params as unknown[])) as { detail: string }[]) console.log(`  ${r.detail}`);
  db.close();
}
await apollo.stop();
await store.close();
