/**
 * `npm run bench:scale`: for generated graphs of 10,000 / 100,000 / 1,000,000
 * entities (`npm run generate`, reused from data/ when present), the build
 * rate, p99 latencies through the HTTP API of the analyst's queries, and the
 * server's peak RSS; then how each figure grows from one size to the next.
 *
 * Requests are sent one at a time (the latency of a query, not of a queue),
 * each with other arguments (other entities), with the response cache off, so
 * every answer is computed. Before anything is measured, the server is run in
 * (`warmupSeconds`, default 5: every query in turn, with arguments the
 * measured requests do not use), so that the figures are those of a server
 * that has been serving (code compiled by V8's optimising tiers, pages in
 * cache), not of its first seconds; then each query gets 5 more requests.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import Database from 'better-sqlite3';

import { ROOT, startChildServer } from './lib/child-server.js';
import { latencies, timedPost, type Latencies } from './lib/client.js';

/** Options of the scale bench. */
export interface ScaleOptions {
  sizes?: number[];
  /** Requests per query. Default 200. */
  requests?: number;
  /** Only these queries (ids, e.g. `neighborhood,path`). Default: all. */
  queries?: string[];
  /** Folder of the generated graphs. Default `data/` of the project. */
  dataDir?: string;
  /** Seconds of requests (every query in turn) before measuring, per size. Default 5; 0 measures a server just started. */
  warmupSeconds?: number;
}

/** One query of the bench: its target and how to make its i-th request. */
interface ScaleQuery {
  id: string;
  title: string;
  targetMs: number;
  pending?: string;
  query: string;
  variables: (i: number) => Record<string, unknown>;
  /** Checks an answer (throws when the answer is not what the query is for). */
  check?: (data: any) => void;
}

/** Figures of one size. */
interface SizeResult {
  entities: number;
  build: { seconds: number; rows: number; rowsPerSecond: number; facts: number; factsPerSecond: number; bytes: number } | null;
  queries: Record<string, (Latencies & { errors: number; errorCodes: string[] }) | { pending: string }>;
  peakRssBytes: number;
}

function databaseFor(entities: number, dataDir: string): { path: string; build: SizeResult['build'] } {
  const path = join(dataDir, `synthetic-${entities}.sqlite`);
  const log = join(dataDir, `generate-${entities}.log`);
  if (!existsSync(path) || !existsSync(log)) {
    console.log(`generating ${entities} entities into ${path} …`);
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/generate.ts', '--entities', String(entities), '--out', `file:${path}`, '--force', '--quiet'], {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    writeFileSync(log, out);
  }
  const text = readFileSync(log, 'utf8');
  const json = text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1);
  let build: SizeResult['build'] = null;
  try {
    const r = JSON.parse(json);
    build = { seconds: r.seconds, rows: r.rows, rowsPerSecond: r.rowsPerSecond, facts: r.facts, factsPerSecond: r.factsPerSecond, bytes: statSync(path).size };
  } catch {
    build = null;
  }
  return { path, build };
}

/** Sample arguments from the database itself (read-only). */
function sample(path: string, n: number) {
  const db = new Database(path, { readonly: true });
  try {
    const count = (db.prepare('SELECT MAX(rowid) AS n FROM entities').get() as { n: number }).n;
    const names: string[] = [];
    const ids: string[] = [];
    const pick = db.prepare('SELECT e.id, e.name, a.name AS alias FROM entities e JOIN aliases a ON a.entity_id = e.id AND a.ord = 1 WHERE e.rowid = ?');
    for (let i = 0; names.length < n; i++) {
      const row = pick.get(1 + ((i * 7919) % count)) as { id: string; name: string; alias: string } | undefined;
      if (!row) continue;
      names.push(i % 2 ? row.alias.toLowerCase() : row.name);
      ids.push(row.id);
    }
    const hubs = (db.prepare('SELECT target_id AS id, COUNT(*) AS n FROM relationships GROUP BY target_id ORDER BY n DESC LIMIT 20').all() as { id: string }[]).map((r) => r.id);
    const years = db.prepare('SELECT MIN(year) AS lo, MAX(year) AS hi FROM events').get() as { lo: number; hi: number };
    return { names, ids, hubs, years };
  } finally {
    db.close();
  }
}

function queriesFor(s: ReturnType<typeof sample>, n: number): ScaleQuery[] {
  const at = <T>(list: T[], i: number): T => list[i % list.length]!;
  return [
    {
      id: 'entity',
      title: 'entity by name or alias',
      targetMs: 2,
      query: 'query ($name: String!) { entity(name: $name) { id name } }',
      variables: (i) => ({ name: at(s.names, i) }),
      check: (d) => {
        if (!d.entity) throw new Error('entity not found');
      },
    },
    {
      id: 'totalCount.nested',
      title: 'totalCount of an entity’s connections (hubs: the largest)',
      targetMs: 10,
      query:
        'query ($id: ID!) { node(id: $id) { ... on Entity { relationships(first: 0) { totalCount } statementsAbout(first: 0) { totalCount } mentions(first: 0) { totalCount } events(first: 0) { totalCount } } } }',
      variables: (i) => ({ id: i % 2 ? at(s.hubs, i) : at(s.ids, i) }),
    },
    {
      id: 'totalCount.top',
      title: 'totalCount of the top-level lists (whole tables)',
      targetMs: 10,
      query:
        'query ($first: Int!) { entities(first: $first) { totalCount } relationships(first: $first) { totalCount } statements(first: $first) { totalCount } events(first: $first) { totalCount } documents(first: $first) { totalCount } }',
      variables: (i) => ({ first: i % 3 }),
    },
    {
      id: 'entityPage',
      title: 'entity page (examples/entity-page.graphql), hubs and others',
      targetMs: 20,
      query: readFileSync(join(ROOT, 'examples', 'entity-page.graphql'), 'utf8'),
      variables: (i) => ({ name: i % 4 === 0 ? undefined : at(s.names, i) }),
    },
    {
      id: 'events',
      title: 'events in a period (examples/timeline.graphql, 50 per page)',
      targetMs: 50,
      query: readFileSync(join(ROOT, 'examples', 'timeline.graphql'), 'utf8'),
      variables: (i) => {
        const y = s.years.lo + (i % Math.max(1, s.years.hi - s.years.lo));
        return { from: `${y}-01-01`, to: `${y}-12-31` };
      },
    },
    {
      id: 'neighborhood',
      title: '2-hop neighbourhood, at most 500 nodes (hubs and others)',
      targetMs: 20,
      query: 'query ($id: ID!) { neighborhood(id: $id, depth: 2, limit: 500) { truncated nodes { id label type weight } edges { id source target label } } }',
      variables: (i) => ({ id: i % 2 ? at(s.hubs, i) : at(s.ids, i) }),
    },
    {
      id: 'neighborhood.view',
      title: 'the same, maxEdges 1,000 (what a graph view draws)',
      targetMs: 20,
      query:
        'query ($id: ID!) { neighborhood(id: $id, depth: 2, limit: 500, maxEdges: 1000) { truncated nodes { id label type weight } edges { id source target label } } }',
      variables: (i) => ({ id: i % 2 ? at(s.hubs, i) : at(s.ids, i) }),
    },
    {
      id: 'path',
      title: 'shortest path, up to 6 hops',
      targetMs: 100,
      query: 'query ($from: ID!, $to: ID!) { path(from: $from, to: $to, maxLength: 6) { length steps { from { id } to { id } linkType label } } }',
      variables: (i) => ({ from: at(s.ids, i), to: at(s.ids, i * 7 + 3) }),
    },
    {
      id: 'search',
      title: 'search (names, prefixes, words), 10 hits with snippets',
      targetMs: 20,
      query: 'query ($q: String!) { search(query: $q, first: 10) { totalCount nodes { score snippet subject { __typename ... on Node { id } } } } }',
      variables: (i) => ({ q: i % 3 === 0 ? at(s.names, i) : i % 3 === 1 ? at(s.names, i).slice(0, 5) : ['ceasefire', 'withdraw', 'accord', 'offensive', 'elections'][i % 5]! }),
    },
    {
      id: 'timeline',
      title: 'timeline (YEAR / MONTH buckets over a period)',
      targetMs: 50,
      query: 'query ($g: TimeGranularity!, $from: LocalDate!, $to: LocalDate!) { timeline(granularity: $g, from: $from, to: $to) { label count events(first: 5) { nodes { id } } } }',
      variables: (i) => {
        const y = s.years.lo + (i % Math.max(1, s.years.hi - s.years.lo - 5));
        return i % 2 ? { g: 'YEAR', from: `${y}-01-01`, to: `${y + 5}-12-31` } : { g: 'MONTH', from: `${y}-01-01`, to: `${y}-12-31` };
      },
    },
  ];
}

export async function runScale(options: ScaleOptions = {}): Promise<SizeResult[]> {
  const sizes = options.sizes ?? [10_000, 100_000, 1_000_000];
  const n = options.requests ?? 200;
  const results: SizeResult[] = [];
  for (const entities of sizes) {
    const { path, build } = databaseFor(entities, options.dataDir ?? join(ROOT, 'data'));
    // 3n names and ids: [0, n) measured, [n, n + 5) each query's own warm-up, [2n, 3n) the run-in.
    const s = sample(path, 3 * n);
    const server = await startChildServer({ databaseUrl: `file:${path}`, env: { RESPONSE_CACHE_BYTES: '0', BUILD_ON_START: 'false' } });
    const result: SizeResult = { entities, build, queries: {}, peakRssBytes: 0 };
    try {
      const selected = queriesFor(s, n).filter((x) => !x.pending && (!options.queries || options.queries.includes(x.id)));
      // Run the server in: every query in turn, with arguments after the measured ones (i ≥ 2n).
      const warmUntil = performance.now() + (options.warmupSeconds ?? 5) * 1000;
      for (let i = 0; selected.length > 0 && performance.now() < warmUntil; i++) {
        const q = selected[i % selected.length]!;
        await timedPost(server.url, q.query, q.variables(2 * n + Math.floor(i / selected.length)));
      }
      for (const q of queriesFor(s, n).filter((x) => !options.queries || options.queries.includes(x.id))) {
        if (q.pending) {
          result.queries[q.id] = { pending: q.pending };
          continue;
        }
        // Warm-up: a few requests (JIT, page cache), not counted.
        for (let i = 0; i < 5; i++) await timedPost(server.url, q.query, q.variables(n + i));
        const ms: number[] = [];
        const errors: string[] = [];
        // At most `n` requests or a minute per query (at least 20 requests), so that a slow query cannot stall the bench.
        const deadline = performance.now() + 60_000;
        for (let i = 0; i < n && (i < 20 || performance.now() < deadline); i++) {
          const { ms: t, body, status } = await timedPost(server.url, q.query, q.variables(i));
          // An error (e.g. the operation deadline) counts, with its time, and is reported.
          if (status !== 200 || body.errors) errors.push(String(body.errors?.[0]?.extensions?.code ?? status));
          else q.check?.(body.data);
          ms.push(t);
        }
        result.queries[q.id] = { ...latencies(ms), errors: errors.length, errorCodes: [...new Set(errors)] };
      }
      result.peakRssBytes = await server.peakRss();
    } finally {
      await server.stop();
    }
    results.push(result);
    printSize(result, queriesFor(s, n).filter((x) => x.id in result.queries));
  }
  printGrowth(results);
  return results;
}

const mb = (b: number): string => `${(b / 1024 / 1024).toFixed(0)} MB`;

function printSize(r: SizeResult, queries: ScaleQuery[]): void {
  console.log(`\n${r.entities.toLocaleString('en')} entities`);
  if (r.build) {
    console.log(
      `  build: ${r.build.seconds} s, ${r.build.rows.toLocaleString('en')} rows (${r.build.rowsPerSecond.toLocaleString('en')} rows/s), ` +
        `${r.build.facts.toLocaleString('en')} entities+relationships+statements+events (${r.build.factsPerSecond.toLocaleString('en')}/s), file ${mb(r.build.bytes)}`,
    );
  }
  for (const q of queries) {
    const x = r.queries[q.id]!;
    if ('pending' in x) console.log(`  ${q.title.padEnd(62)} PENDING (${x.pending})`);
    else {
      const ok = x.p99 <= q.targetMs && !x.errors ? 'meets' : 'MISSES';
      console.log(`  ${q.title.padEnd(62)} p50 ${x.p50.toFixed(2).padStart(8)} ms  p99 ${x.p99.toFixed(2).padStart(8)} ms  n=${x.n}${x.errors ? ` errors=${x.errors} (${x.errorCodes.join(', ')})` : ''}  (target ${q.targetMs} ms: ${ok})`);
    }
  }
  console.log(`  peak RSS of the server: ${mb(r.peakRssBytes)} (target < 2048 MB)`);
}

function printGrowth(results: SizeResult[]): void {
  if (results.length < 2) return;
  console.log('\ngrowth of p99 (×) from one size to the next (entities grow ×10):');
  const ids = Object.keys(results[0]!.queries);
  for (const id of ids) {
    const steps: string[] = [];
    for (let i = 1; i < results.length; i++) {
      const a = results[i - 1]!.queries[id]!;
      const b = results[i]!.queries[id]!;
      if ('pending' in a || 'pending' in b) continue;
      steps.push(`${(b.p99 / a.p99).toFixed(2)}×`);
    }
    if (steps.length) console.log(`  ${id.padEnd(20)} ${steps.join('  ')}`);
  }
  const rss = results.map((r) => mb(r.peakRssBytes)).join(' → ');
  console.log(`  peak RSS             ${rss}`);
  const rates = results.map((r) => (r.build ? `${r.build.rowsPerSecond.toLocaleString('en')} rows/s` : '?')).join(' → ');
  console.log(`  build rate           ${rates}`);
}
