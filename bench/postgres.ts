/**
 * `npm run bench:postgres`: figures for the PostgreSQL deployment, on this
 * machine's PostgreSQL (PG_TEST_URL, or postgres://postgres@127.0.0.1:5432/postgres).
 *
 * 1. Writing a synthetic graph: rows per second, SQLite and PostgreSQL.
 * 2. Graph-change notice latency: from a write's commit in one store to the
 *    listener of another connection (LISTEN/NOTIFY; SQLite polling for comparison).
 * 3. Pool sizing: requests per second of one server process (an entity page
 *    query) for several `PG_POOL_MAX` values, driven by 16 concurrent clients.
 *
 * Options: `--entities N` (default 20000) for part 1, `--seconds S` (default 5) per pool size.
 */
import { cpus } from 'node:os';

import { openStore } from '../src/store/open-store.js';
import type { GraphStore } from '../src/store/store.js';
import type { GraphData } from '../src/store/types.js';
import { createPgDatabase, createSqliteDatabase, type TestDatabase } from '../tests/helpers/backends.js';
import { startChildServer } from '../tests/helpers/child-server.js';
import { fixtureGraph } from '../tests/store/fixture-graph.js';
import { buildServer } from './lib/child-server.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const ENTITIES = arg('entities', 20_000);
const SECONDS = arg('seconds', 5);

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** A graph of the seed's shape: per entity 2 aliases, 3 relationships, 2 mentions, 1 statement with 1 subject and 1 evidence. */
function syntheticGraph(n: number): GraphData {
  const text = 'Synthetic text. '.repeat(64);
  const data: GraphData = {
    documents: [{ id: 'document:synthetic', title: 'Synthetic', text, length: text.length, url: null, publishedOn: null, publisherId: null, contentHash: 'x' }],
    entities: [],
    aliases: [],
    evidence: [],
    mentions: [],
    events: [],
    participants: [],
    statements: [],
    statementSubjects: [],
    relationships: [],
  };
  const span = { documentId: 'document:synthetic', start: 0, end: 9, exact: 'Synthetic', prefix: '', suffix: ' text' };
  for (let i = 0; i < n; i++) {
    const id = `actor:e${i}`;
    data.entities.push({ id, type: 'ACTOR', kind: 'STATE', name: `Entity ${i}`, title: null, description: `The entity number ${i}.` });
    data.aliases.push({ entityId: id, name: `Entity ${i}`, norm: `entity ${i}`, source: 'TEXT', ord: 0 });
    data.aliases.push({ entityId: id, name: `E${i}`, norm: `e${i}`, source: 'COMMON', ord: 1 });
    for (let r = 1; r <= 3; r++) {
      data.relationships.push({ id: `relationship:e${i}-${r}`, type: 'SUPPORTS', sourceId: id, targetId: `actor:e${(i + r) % n}`, description: '', inferred: false, inferredFrom: null });
    }
    for (let m = 0; m < 2; m++) data.mentions.push({ id: `mention:e${i}-${m}`, entityId: id, ...span, start: m, end: m + 9 });
    data.statements.push({ id: `statement:e${i}`, kind: 'ASSERTION', text: 'Said.', attribution: 'REPORTED', speakerId: id, occasionId: null, documentId: 'document:synthetic', position: i });
    data.statementSubjects.push({ statementId: `statement:e${i}`, subjectId: `actor:e${(i + 1) % n}`, ord: 0 });
    data.evidence.push({ ownerId: `statement:e${i}`, ord: 0, ...span });
  }
  return data;
}

async function withStore<T>(create: () => Promise<TestDatabase>, work: (store: GraphStore, db: TestDatabase) => Promise<T>): Promise<T> {
  const db = await create();
  const store = await openStore(db.url);
  try {
    return await work(store, db);
  } finally {
    await store.close();
    await db.drop();
  }
}

console.log(`# PostgreSQL deployment bench — ${new Date().toISOString()} — ${cpus().length} cores, Node ${process.version}\n`);

// 1. Writes.
const graph = syntheticGraph(ENTITIES);
const rows = Object.values(graph).reduce((n, list) => n + (list as unknown[]).length, 0);
console.log(`## 1. replaceGraph of ${ENTITIES} entities (${rows} rows)\n`);
for (const [name, create] of [['sqlite', createSqliteDatabase], ['postgres', createPgDatabase]] as const) {
  await withStore(create, async (store) => {
    const times: number[] = [];
    for (let run = 0; run < 3; run++) {
      const start = performance.now();
      await store.replaceGraph(graph, `run ${run}`);
      times.push(performance.now() - start);
    }
    const best = Math.min(...times);
    console.log(`- ${name}: best of 3 ${best.toFixed(0)} ms = ${Math.round(rows / (best / 1000)).toLocaleString('en')} rows/s (runs: ${times.map((t) => t.toFixed(0)).join(', ')} ms)`);
  });
}

// 2. Change notices.
console.log('\n## 2. Graph-change notice latency: from the writer seeing its COMMIT acknowledged to the listener on another connection (30 writes; negative = before)\n');
// The SQLite poll timer does not keep a process alive by itself: this does, while we wait for notices.
const keepAlive = setInterval(() => undefined, 1_000);
for (const [name, create] of [['postgres (LISTEN/NOTIFY)', createPgDatabase], ['sqlite (polls every 250 ms)', createSqliteDatabase]] as const) {
  await withStore(create, async (writer, db) => {
    const watcher = await openStore(db.url);
    let wake: (t: number) => void = () => undefined;
    const stop = await watcher.onGraphChanged(() => wake(performance.now()));
    const latencies: number[] = [];
    for (let i = 0; i < 30; i++) {
      const seen = new Promise<number>((resolve) => (wake = resolve));
      await writer.replaceGraph(fixtureGraph(), `write ${i}`);
      const committed = performance.now();
      latencies.push((await seen) - committed);
    }
    stop();
    await watcher.close();
    latencies.sort((a, b) => a - b);
    console.log(`- ${name}: p50 ${percentile(latencies, 50).toFixed(1)} ms, p90 ${percentile(latencies, 90).toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms`);
  });
}

clearInterval(keepAlive);

// 3. Pool sizing.
console.log(`\n## 3. One server process on PostgreSQL, 16 concurrent clients, ${SECONDS} s per pool size (entity page query)\n`);
const QUERY = `query($name: String!) { entity(name: $name) { id name aliases
  relationships(first: 10) { totalCount nodes { type source { name } target { name } evidence { exact } } }
  statementsAbout(first: 10) { totalCount nodes { kind text speaker { name } evidence { exact } } } } }`;
const NAMES = ['MINUSMA', 'Mali', 'UN', 'Russia', 'Wagner', 'blue helmets', 'Nebenzia', 'Wane'];
buildServer();
const db = await createPgDatabase();
try {
  for (const poolMax of [1, 2, 5, 10]) {
    const server = await startChildServer({ DATABASE_URL: db.url, PG_POOL_MAX: String(poolMax), NODE_ENV: 'production' }, { built: true });
    try {
      const latencies: number[] = [];
      let errors = 0;
      const end = performance.now() + SECONDS * 1000;
      await Promise.all(
        Array.from({ length: 16 }, async (_, c) => {
          for (let i = c; performance.now() < end; i++) {
            const start = performance.now();
            const result = await server.gql(QUERY, { name: NAMES[i % NAMES.length] });
            if (result.errors || result.status !== 200) errors++;
            latencies.push(performance.now() - start);
          }
        }),
      );
      latencies.sort((a, b) => a - b);
      console.log(
        `- PG_POOL_MAX=${poolMax}: ${Math.round(latencies.length / SECONDS)} req/s, p50 ${percentile(latencies, 50).toFixed(1)} ms, ` +
          `p99 ${percentile(latencies, 99).toFixed(1)} ms, errors ${errors}`,
      );
    } finally {
      await server.stop();
    }
  }
} finally {
  await db.drop();
}
