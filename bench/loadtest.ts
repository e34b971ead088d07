/**
 * `npm run loadtest`: a bounded load test on loopback. Starts the server in its
 * own process (production mode, rate limiting off, a fresh SQLite file), warms
 * it up, then sends a mix of read queries for LOADTEST_SECONDS (default 60) at
 * LOADTEST_CONNECTIONS (default 64) with autocannon, and reports errors (must
 * be 0: transport errors, timeouts, non-2xx, and GraphQL operations whose
 * outcome was not "ok", counted by the server's own metrics), latency
 * percentiles, and the server's memory before and after (each read after a
 * full garbage collection, so growth means live objects).
 *
 * Not part of `npm test`. Exit code 1 when any error was seen.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';

import autocannon from 'autocannon';
import { buildServer } from './lib/child-server.js';

const ROOT = join(import.meta.dirname, '..');
const SECONDS = Number(process.env.LOADTEST_SECONDS ?? 60);
const CONNECTIONS = Number(process.env.LOADTEST_CONNECTIONS ?? 64);
const WARMUP_SECONDS = 5;

const entityPage = readFileSync(join(ROOT, 'examples', 'entity-page.graphql'), 'utf8');
const OPERATIONS: { query: string; variables?: Record<string, unknown> }[] = [
  { query: entityPage, variables: { name: 'MINUSMA' } },
  { query: entityPage, variables: { name: 'blue helmets' } },
  { query: entityPage, variables: { name: 'Mali' } },
  { query: 'query Entities { entities(first: 50) { totalCount nodes { id name ... on Actor { kind } } } }' },
  { query: 'query Events { events(first: 20) { totalCount nodes { id name kind date { text earliest latest precision } participants { role entity { name } } } } }' },
  { query: 'query Statements { statements(first: 20) { nodes { text kind attribution speaker { name } evidence { exact start end } } } }' },
  { query: 'query Relationships { relationships(first: 25) { nodes { type source { name } target { name } evidence { exact } } } }' },
  { query: 'query Node { node(id: "actor:mali") { id ... on Actor { name aliases } } }' },
  { query: 'query Documents { documents { nodes { id title length } } }' },
];

/** Upper bounds (seconds) of the server's latency histogram that the report uses. */
const BOUNDS = ['0.05', '0.1', '0.25', '1', '2.5', '5', '+Inf'];

/** Sum of a metric's samples in a Prometheus text, optionally only those whose labels match. */
function metric(text: string, name: string, filter: (labels: string) => boolean = () => true): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const m = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (m && m[1] === name && filter(m[2] ?? '')) sum += Number(m[3]);
  }
  return sum;
}

async function snapshot(origin: string) {
  server.kill('SIGUSR2');
  await new Promise((r) => setTimeout(r, 1000));
  const text = await (await fetch(`${origin}/metrics`)).text();
  return {
    rssMiB: metric(text, 'process_resident_memory_bytes') / 2 ** 20,
    heapUsedMiB: metric(text, 'nodejs_heap_size_used_bytes') / 2 ** 20,
    notOk: metric(text, 'kg_graphql_operations_total', (l) => !l.includes('outcome="ok"')),
    ok: metric(text, 'kg_graphql_operations_total', (l) => l.includes('outcome="ok"')),
    // Since the previous scrape (prom-client resets the event-loop delay histogram on each one).
    loopLagMaxMs: metric(text, 'nodejs_eventloop_lag_max_seconds') * 1000,
    loopLagP99Ms: metric(text, 'nodejs_eventloop_lag_p99_seconds') * 1000,
    cpuSeconds: metric(text, 'process_cpu_seconds_total'),
    /** Server-side request durations: cumulative counts of /graphql requests by upper bound (seconds). */
    buckets: Object.fromEntries(
      BOUNDS.map((le) => [
        le,
        metric(text, 'kg_http_request_duration_seconds_bucket', (l) => l.includes('route="/graphql"') && l.includes(`le="${le}"`)),
      ]),
    ) as Record<string, number>,
  };
}

function run(url: string, seconds: number) {
  return autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: OPERATIONS.map((op) => ({ method: 'POST', body: JSON.stringify(op) })),
  });
}

// The server as `npm start` runs it: compiled.
buildServer();
const dir = mkdtempSync(join(tmpdir(), 'kg-loadtest-'));
// The server logs one line per request: to a file, as a log collector would take them. (A pipe read by
// this process, busy running autocannon, would fill up and stall the server's synchronous log writes.)
const logPath = join(dir, 'server.log');
const logFd = openSync(logPath, 'a');
const server = spawn(
  process.execPath,
  [
    ...(process.env.LOADTEST_NODE_ARGS ?? '').split(' ').filter(Boolean),
    // A full GC on SIGUSR2 before each memory reading (bench/gc-on-signal.mjs).
    '--expose-gc',
    '--import',
    './bench/gc-on-signal.mjs',
    'dist/cli/start.js',
  ],
  {
  cwd: ROOT,
  env: {
    ...process.env,
    NODE_ENV: 'production',
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: `file:${join(dir, 'kg.sqlite')}`,
    RATE_LIMIT_PER_SECOND: '0',
    LOG_LEVEL: 'info',
  },
  stdio: ['ignore', logFd, 'inherit'],
  },
);
try {
  let exited = false;
  server.once('exit', () => (exited = true));
  let origin = '';
  for (let i = 0; i < 600 && !origin; i++) {
    if (exited) throw new Error('the server exited before serving; see its log above');
    const serving = readFileSync(logPath, 'utf8')
      .split('\n')
      .find((line) => line.includes('"msg":"serving"'));
    if (serving) origin = new URL(JSON.parse(serving).url).origin;
    else await new Promise((r) => setTimeout(r, 100));
  }
  if (!origin) throw new Error('the server did not start within 60 s');
  const url = `${origin}/graphql`;
  console.log(`server at ${url}; warming up for ${WARMUP_SECONDS} s`);
  await run(url, WARMUP_SECONDS);
  const before = await snapshot(origin);

  const clientLoop = monitorEventLoopDelay({ resolution: 10 });
  clientLoop.enable();
  console.log(`load: ${SECONDS} s, ${CONNECTIONS} connections, ${OPERATIONS.length} operations in rotation`);
  const result = await run(url, SECONDS);
  clientLoop.disable();
  const after = await snapshot(origin);

  const graphqlErrors = after.notOk - before.notOk;
  const errors = result.errors + result.timeouts + result.non2xx + graphqlErrors;
  const l = result.latency;
  const report = [
    `requests: ${result.requests.total} in ${result.duration.toFixed(1)} s (${result.requests.average.toFixed(0)} req/s average)`,
    `operations answered ok (server metrics): ${after.ok - before.ok}`,
    `errors: ${errors} (transport ${result.errors}, timeouts ${result.timeouts}, non-2xx ${result.non2xx}, GraphQL not ok ${graphqlErrors})`,
    `latency ms: p50 ${l.p50}, p90 ${l.p90}, p97.5 ${l.p97_5}, p99 ${l.p99}, p99.9 ${l.p99_9}, max ${l.max}, mean ${l.average.toFixed(2)}`,
    `server-side /graphql durations (from its histogram): ${BOUNDS.filter((le) => le !== '+Inf')
      .map((le) => {
        const total = after.buckets['+Inf']! - before.buckets['+Inf']!;
        return `≤ ${le} s: ${(((after.buckets[le]! - before.buckets[le]!) / total) * 100).toFixed(2)}%`;
      })
      .join(', ')}`,
    `server event-loop delay during the load: p99 ${after.loopLagP99Ms.toFixed(0)} ms, max ${after.loopLagMaxMs.toFixed(0)} ms; server CPU ${(after.cpuSeconds - before.cpuSeconds).toFixed(1)} s over ${result.duration.toFixed(0)} s`,
    `load generator's own event-loop delay: p99 ${(clientLoop.percentile(99) / 1e6).toFixed(0)} ms, max ${(clientLoop.max / 1e6).toFixed(0)} ms`,
    `machine load average (1, 5, 15 min) at the end: ${loadavg().map((n) => n.toFixed(2)).join(', ')} on ${cpus().length} CPUs`,
    `server memory (after a full GC) before: rss ${before.rssMiB.toFixed(1)} MiB, heap used ${before.heapUsedMiB.toFixed(1)} MiB`,
    `server memory (after a full GC) after:  rss ${after.rssMiB.toFixed(1)} MiB, heap used ${after.heapUsedMiB.toFixed(1)} MiB`,
  ];
  console.log(report.join('\n'));
  process.exitCode = errors === 0 ? 0 : 1;
} finally {
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  closeSync(logFd);
  rmSync(dir, { recursive: true, force: true });
}
