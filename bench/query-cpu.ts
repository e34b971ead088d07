/**
 * `npx tsx bench/query-cpu.ts <graph.sqlite> [totalCount,timeline,events]`: run the scale bench's
 * totalCount.nested, timeline and events queries in process (no HTTP) on a COPY of a generated graph
 * (the store migrates it), N times each (env N, default 60): wall p50 / p99, the process's CPU time per
 * request (less sensitive than latency to other load on the machine), SQL time per request, and
 * (unless QUIET is set) the costliest statements.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import Database from 'better-sqlite3';

import { createLoaders } from '../src/loaders/loaders.js';
import { loadConfig } from '../src/server/config.js';
import { createLogger } from '../src/server/logger.js';
import { ServerMetrics } from '../src/server/metrics.js';
import type { ServerContext } from '../src/server/server-context.js';
import { createApollo } from '../src/server/apollo.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { ROOT } from './lib/child-server.js';
import { timeStoreSql } from './lib/sql-timer.js';

const file = process.argv[2] ?? 'data/synthetic-100000.sqlite';
const which = (process.argv[3] ?? 'totalCount,timeline,events').split(',');
const raw = new Database(file, { readonly: true });
const hubs = (raw.prepare('SELECT target_id AS id, COUNT(*) AS n FROM relationships GROUP BY target_id ORDER BY n DESC LIMIT 20').all() as { id: string }[]).map((r) => r.id);
const ids = (raw.prepare('SELECT id FROM entities WHERE rowid % 997 = 1 LIMIT 40').all() as { id: string }[]).map((r) => r.id);
const years = raw.prepare('SELECT MIN(year) AS lo, MAX(year) AS hi FROM events').get() as { lo: number; hi: number };
raw.close();
const store = new SqliteStore(file);
const apollo = createApollo({ config: loadConfig({ NODE_ENV: 'production' }), logger: createLogger('silent'), metrics: new ServerMetrics() });
await apollo.start();
const queries: Record<string, { query: string; variables: (i: number) => Record<string, unknown> }> = {
  totalCount: {
    query: 'query ($id: ID!) { node(id: $id) { ... on Entity { relationships(first: 0) { totalCount } statementsAbout(first: 0) { totalCount } mentions(first: 0) { totalCount } events(first: 0) { totalCount } } } }',
    variables: (i) => ({ id: i % 2 ? hubs[i % hubs.length] : ids[i % ids.length] }),
  },
  events: {
    query: readFileSync(join(ROOT, 'examples', 'timeline.graphql'), 'utf8'),
    variables: (i) => { const y = years.lo + (i % Math.max(1, years.hi - years.lo)); return { from: `${y}-01-01`, to: `${y}-12-31` }; },
  },
  timeline: {
    query: 'query ($g: TimeGranularity!, $from: LocalDate!, $to: LocalDate!) { timeline(granularity: $g, from: $from, to: $to) { label count events(first: 5) { nodes { id } } } }',
    variables: (i) => { const y = years.lo + (i % Math.max(1, years.hi - years.lo - 5)); return i % 2 ? { g: 'YEAR', from: `${y}-01-01`, to: `${y + 5}-12-31` } : { g: 'MONTH', from: `${y}-01-01`, to: `${y}-12-31` }; },
  },
};
const { times } = timeStoreSql(store, 300);
const n = Number(process.env.N ?? 60);
for (const name of which) {
  const q = queries[name]!;
  const lat: number[] = [];
  let cpu = 0;
  times.clear();
  for (let i = 0; i < n; i++) {
    const c0 = process.cpuUsage();
    const t = performance.now();
    const r = await apollo.executeOperation({ query: q.query, variables: q.variables(i) },
      { contextValue: { loaders: createLoaders(store), requestId: 'x', record: { requestId: 'x', operations: [] } } as unknown as ServerContext });
    lat.push(performance.now() - t);
    const c = process.cpuUsage(c0);
    cpu += c.user + c.system;
    if (r.body.kind === 'single' && r.body.singleResult.errors) { console.log(JSON.stringify(r.body.singleResult.errors)); break; }
    if (process.env.DUMP && i < 2) console.log(JSON.stringify(r.body.kind === 'single' ? r.body.singleResult.data : null).slice(0, 2000));
  }
  lat.sort((a, b) => a - b);
  console.log(`== ${name}: wall p50 ${lat[Math.floor(n / 2)]!.toFixed(2)} p99 ${lat[Math.floor(n * 0.99)]!.toFixed(2)} max ${lat[n - 1]!.toFixed(1)} ms; CPU ${(cpu / n / 1000).toFixed(2)} ms/request; SQL ${([...times.values()].flat().reduce((a, b) => a + b, 0) / n).toFixed(2)} ms/request`);
  if (process.env.QUIET) continue;
  for (const [k, v] of [...times].sort((a, b) => b[1].reduce((x, y) => x + y) - a[1].reduce((x, y) => x + y)).slice(0, 8)) {
    console.log(`${(v.reduce((x, y) => x + y) / n).toFixed(2).padStart(8)} ms/req ${(v.length / n).toFixed(1)}× max ${Math.max(...v).toFixed(1)}  ${k}`);
  }
}
await apollo.stop();
await store.close();
