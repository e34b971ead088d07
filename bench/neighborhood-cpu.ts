/**
 * `npx tsx bench/neighborhood-cpu.ts <graph.sqlite> [neighborhood,path,api]`: the scale bench's
 * neighbourhood (depth 2, limit 500; the centre a hub every other time) and shortest path (up to 6
 * hops) in process, on a COPY of a generated graph (the store migrates it). Centres and ends are
 * chosen as bench/scale.ts's `sample()` chooses them: the 20 largest hubs by relationships to them,
 * and entities by rowid 1 + (i × 7919) mod count. `api` runs the neighbourhood through Apollo
 * (no HTTP), to see what serialising the answer adds.
 *
 * Prints, per query, the process's CPU time per call (less sensitive than wall time to other load on
 * the machine), wall p50 / p99, SQL time per call, and (unless QUIET) the costliest statements.
 * Env: N (calls per query, default 100), ROUNDS (default 1; rounds alternate with other runs when
 * the script is run twice, A/B). Run it with NODE_ENV=production, as the scale bench runs its server:
 * graphql-js reads it when loaded, and otherwise checks every type test for a second copy of itself
 * (`instanceOf`, ~10 % of serialising a neighbourhood's edges).
 */
import Database from 'better-sqlite3';

import { neighborhood } from '../src/analytics/neighborhood.js';
import { findPaths } from '../src/analytics/paths.js';
import { createLoaders } from '../src/loaders/loaders.js';
import { createApollo } from '../src/server/apollo.js';
import { loadConfig } from '../src/server/config.js';
import { createLogger } from '../src/server/logger.js';
import { ServerMetrics } from '../src/server/metrics.js';
import type { ServerContext } from '../src/server/server-context.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { timeStoreSql } from './lib/sql-timer.js';

const file = process.argv[2] ?? 'data/synthetic-100000.sqlite';
const which = (process.argv[3] ?? 'neighborhood,path').split(',');
const n = Number(process.env.N ?? 100);

/** As bench/scale.ts `sample()`: ordinary entities by rowid stride, and the 20 largest hubs. */
function sample(path: string, count: number): { ids: string[]; hubs: string[] } {
  const db = new Database(path, { readonly: true });
  try {
    const max = (db.prepare('SELECT MAX(rowid) AS n FROM entities').get() as { n: number }).n;
    const ids: string[] = [];
    const pick = db.prepare('SELECT e.id FROM entities e JOIN aliases a ON a.entity_id = e.id AND a.ord = 1 WHERE e.rowid = ?');
    for (let i = 0; ids.length < count; i++) {
      const row = pick.get(1 + ((i * 7919) % max)) as { id: string } | undefined;
      if (row) ids.push(row.id);
    }
    const hubs = (db.prepare('SELECT target_id AS id, COUNT(*) AS n FROM relationships GROUP BY target_id ORDER BY n DESC LIMIT 20').all() as { id: string }[]).map((r) => r.id);
    return { ids, hubs };
  } finally {
    db.close();
  }
}

const s = sample(file, n + 10);
const at = <T>(list: T[], i: number): T => list[i % list.length]!;
const store = new SqliteStore(file, { readonly: process.env.READONLY === '1' });
const { times } = timeStoreSql(store, 160);
const apollo = which.includes('api')
  ? createApollo({ config: loadConfig({ NODE_ENV: 'production' }), logger: createLogger('silent'), metrics: new ServerMetrics() })
  : null;
await apollo?.start();

const NEIGHBORHOOD = 'query ($id: ID!) { neighborhood(id: $id, depth: 2, limit: 500) { truncated nodes { id label type weight } edges { id source target label } } }';

const runs: Record<string, (i: number) => Promise<string>> = {
  neighborhood: async (i) => {
    const id = i % 2 ? at(s.hubs, i) : at(s.ids, i);
    const g = (await neighborhood(createLoaders(store), id, { depth: 2, limit: 500, linkTypes: null }))!;
    return `${g.nodes.length} nodes ${g.edges.length} edges${g.truncated ? ' truncated' : ''}`;
  },
  path: async (i) => {
    const p = await findPaths(createLoaders(store), at(s.ids, i), at(s.ids, i * 7 + 3), { maxLength: 6, first: 1, linkTypes: null });
    return `length ${p[0]?.length ?? '-'}`;
  },
  api: async (i) => {
    const id = i % 2 ? at(s.hubs, i) : at(s.ids, i);
    const r = await apollo!.executeOperation(
      { query: NEIGHBORHOOD, variables: { id } },
      { contextValue: { loaders: createLoaders(store), requestId: 'x', record: { requestId: 'x', operations: [] } } as unknown as ServerContext },
    );
    if (r.body.kind !== 'single' || r.body.singleResult.errors) throw new Error(JSON.stringify(r.body));
    return `${JSON.stringify(r.body.singleResult.data).length} bytes`;
  },
};

for (let round = 0; round < Number(process.env.ROUNDS ?? 1); round++) {
  for (const name of which) {
    const run = runs[name]!;
    // Warm-up (JIT, page cache), not counted: the calls the bench's warm-up makes.
    for (let i = 0; i < 5; i++) await run(n + i);
    times.clear();
    const lat: number[] = [];
    const shapes = new Map<string, number>();
    let cpu = 0;
    for (let i = 0; i < n; i++) {
      const c0 = process.cpuUsage();
      const t = performance.now();
      const what = await run(i);
      lat.push(performance.now() - t);
      const c = process.cpuUsage(c0);
      cpu += c.user + c.system;
      if (process.env.VERBOSE) console.log(`${i} ${(i % 2 ? 'hub ' : '')}${lat[i]!.toFixed(1)} ms ${what}`);
      shapes.set(what.replace(/\d+/g, 'n'), (shapes.get(what.replace(/\d+/g, 'n')) ?? 0) + 1);
    }
    const sorted = [...lat].sort((a, b) => a - b);
    const hubLat = lat.filter((_, i) => i % 2 === 1).sort((a, b) => a - b);
    const otherLat = lat.filter((_, i) => i % 2 === 0).sort((a, b) => a - b);
    const q = (xs: number[], p: number): string => xs[Math.min(xs.length - 1, Math.floor(xs.length * p))]!.toFixed(1);
    const sql = [...times.values()].flat().reduce((a, b) => a + b, 0) / n;
    console.log(
      `== ${name}: CPU ${(cpu / n / 1000).toFixed(2)} ms/call; wall p50 ${q(sorted, 0.5)} p99 ${q(sorted, 0.99)} max ${sorted[n - 1]!.toFixed(1)} ms` +
        ` (odd calls p50 ${q(hubLat, 0.5)} max ${q(hubLat, 1)}; even p50 ${q(otherLat, 0.5)} max ${q(otherLat, 1)}); SQL ${sql.toFixed(2)} ms/call`,
    );
    if (process.env.QUIET) continue;
    for (const [k, v] of [...times].sort((a, b) => b[1].reduce((x, y) => x + y) - a[1].reduce((x, y) => x + y)).slice(0, 6)) {
      console.log(`${(v.reduce((x, y) => x + y) / n).toFixed(2).padStart(8)} ms/call ${(v.length / n).toFixed(1)}× max ${Math.max(...v).toFixed(1)}  ${k}`);
    }
  }
}
await apollo?.stop();
await store.close();
