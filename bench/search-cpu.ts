/**
 * `npx tsx bench/search-cpu.ts <graph.sqlite>`: the scale bench's search query (`bench/scale.ts`, `search`:
 * a full name, the first 5 characters of a name, or one of five common words) run in process through Apollo
 * (no HTTP) on a COPY of a generated graph (the store migrates it; `READONLY=1` opens it read-only, unmigrated, so the
 * shared file itself can be read), N times (env N, default 90): wall p50 / p99
 * and CPU per request for each kind of query string, SQL time per request by statement shape (the store's
 * statements timed by `lib/sql-timer.ts`), and the slowest run of the costliest statement (`EXPLAIN=1` prints
 * its plan). `ROUNDS=r` repeats the whole sequence r times (the first round reads the file into the page
 * cache; figures are from the last round).
 */
import Database from 'better-sqlite3';

import { createLoaders } from '../src/loaders/loaders.js';
import { createApollo } from '../src/server/apollo.js';
import { loadConfig } from '../src/server/config.js';
import { createLogger } from '../src/server/logger.js';
import { ServerMetrics } from '../src/server/metrics.js';
import type { ServerContext } from '../src/server/server-context.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { timeStoreSql } from './lib/sql-timer.js';

const file = process.argv[2] ?? 'data/synthetic-100000.sqlite';
const n = Number(process.env.N ?? 90);
const rounds = Number(process.env.ROUNDS ?? 2);
const WORDS = ['ceasefire', 'withdraw', 'accord', 'offensive', 'elections'];
const QUERY = 'query ($q: String!) { search(query: $q, first: 10) { totalCount nodes { score snippet subject { __typename ... on Node { id } } } } }';

/** Names sampled as bench/scale.ts samples them (same rowids, same alternation of name and lower-cased alias). */
function sampleNames(path: string, count: number): string[] {
  const db = new Database(path, { readonly: true });
  try {
    const max = (db.prepare('SELECT MAX(rowid) AS n FROM entities').get() as { n: number }).n;
    const pick = db.prepare('SELECT e.name, a.name AS alias FROM entities e JOIN aliases a ON a.entity_id = e.id AND a.ord = 1 WHERE e.rowid = ?');
    const names: string[] = [];
    for (let i = 0; names.length < count; i++) {
      const row = pick.get(1 + ((i * 7919) % max)) as { name: string; alias: string } | undefined;
      if (row) names.push(i % 2 ? row.alias.toLowerCase() : row.name);
    }
    return names;
  } finally {
    db.close();
  }
}

const names = sampleNames(file, 50);
const at = <T>(list: T[], i: number): T => list[i % list.length]!;
/** The i-th query string and its kind, as bench/scale.ts makes them. */
const queryOf = (i: number): { kind: string; q: string } =>
  i % 3 === 0 ? { kind: 'name', q: at(names, i) } : i % 3 === 1 ? { kind: 'prefix', q: at(names, i).slice(0, 5) } : { kind: 'word', q: WORDS[i % 5]! };

const store = new SqliteStore(file, { readonly: process.env.READONLY === '1' });
const apollo = createApollo({ config: loadConfig({ NODE_ENV: 'production' }), logger: createLogger('silent'), metrics: new ServerMetrics() });
await apollo.start();
const { times, slowest } = timeStoreSql(store, 160);

const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
for (let round = 1; round <= rounds; round++) {
  times.clear();
  slowest.clear();
  const byKind = new Map<string, { wall: number[]; cpu: number[]; worst: { ms: number; q: string } }>();
  const all: number[] = [];
  let cpuTotal = 0;
  for (let i = 0; i < n; i++) {
    const { kind, q } = queryOf(i);
    const c0 = process.cpuUsage();
    const t = performance.now();
    const r = await apollo.executeOperation(
      { query: QUERY, variables: { q } },
      { contextValue: { loaders: createLoaders(store), requestId: 'x', record: { requestId: 'x', operations: [] } } as unknown as ServerContext },
    );
    const ms = performance.now() - t;
    const c = process.cpuUsage(c0);
    if (r.body.kind === 'single' && r.body.singleResult.errors) throw new Error(JSON.stringify(r.body.singleResult.errors));
    if (process.env.DUMP && round === rounds) console.log(q, JSON.stringify(r.body.kind === 'single' ? r.body.singleResult.data : null).slice(0, 300));
    const k = byKind.get(kind) ?? byKind.set(kind, { wall: [], cpu: [], worst: { ms: 0, q: '' } }).get(kind)!;
    k.wall.push(ms);
    k.cpu.push((c.user + c.system) / 1000);
    if (ms > k.worst.ms) k.worst = { ms, q };
    all.push(ms);
    cpuTotal += (c.user + c.system) / 1000;
  }
  if (round < rounds && !process.env.ALL_ROUNDS) continue;
  const sqlTotal = [...times.values()].flat().reduce((a, b) => a + b, 0);
  console.log(
    `== round ${round}/${rounds}, ${n} requests: wall p50 ${pct(all, 0.5).toFixed(2)} p99 ${pct(all, 0.99).toFixed(2)} max ${Math.max(...all).toFixed(1)} ms; ` +
      `CPU ${(cpuTotal / n).toFixed(2)} ms/request; SQL ${(sqlTotal / n).toFixed(2)} ms/request`,
  );
  for (const [kind, k] of byKind) {
    console.log(
      `  ${kind.padEnd(6)} n=${k.wall.length} wall p50 ${pct(k.wall, 0.5).toFixed(2)} p99 ${pct(k.wall, 0.99).toFixed(2)} ms; ` +
        `CPU mean ${(k.cpu.reduce((a, b) => a + b, 0) / k.cpu.length).toFixed(2)} ms; worst ${k.worst.ms.toFixed(1)} ms for ${JSON.stringify(k.worst.q)}`,
    );
  }
  const costly = [...times].sort((a, b) => b[1].reduce((x, y) => x + y) - a[1].reduce((x, y) => x + y));
  for (const [key, v] of costly.slice(0, 6)) {
    console.log(`${(v.reduce((x, y) => x + y) / n).toFixed(2).padStart(8)} ms/req ${(v.length / n).toFixed(1)}× max ${Math.max(...v).toFixed(1)}  ${key}`);
  }
  const top = costly[0] && slowest.get(costly[0][0]);
  if (top) {
    console.log(`slowest run of the costliest statement: ${top.ms.toFixed(1)} ms, params ${JSON.stringify(top.params).slice(0, 200)}`);
    if (process.env.EXPLAIN) {
      const raw = (store as unknown as { db: Database.Database }).db;
      for (const row of raw.prepare(`EXPLAIN QUERY PLAN ${top.sql}`).all(...(top.params as unknown[])) as { detail: string }[]) console.log(`  ${row.detail}`);
    }
  }
}
await apollo.stop();
await store.close();
