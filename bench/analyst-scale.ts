/**
 * `npm run bench:analyst -- [--entities 100000]`: times the analyst queries on
 * a synthetic graph of the seed's shape (per entity: 5 relationships, 2
 * statements, 0.2 events, 0.1 documents), written into a temporary SQLite
 * file. Prints one line per measurement: median and p99 of repeated runs,
 * through the GraphQL layer (Apollo executeOperation, no HTTP).
 * Environment: ONLY_BUILD=1 stops after the write; KEEP=1 keeps (and prints) the database folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { createLoaders } from '../src/loaders/loaders.js';
import { createApollo } from '../src/server/apollo.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { GraphData } from '../src/store/types.js';
import { Curator } from '../src/ingest/curation.js';
import { Ingestor } from '../src/ingest/ingest.js';
import { loadConfig } from '../src/server/config.js';
import { createLogger } from '../src/server/logger.js';
import { ServerMetrics } from '../src/server/metrics.js';

const { values } = parseArgs({ options: { entities: { type: 'string', default: '100000' } } });
const N = Number(values.entities);

let seed = 42;
const rand = (): number => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (n: number): number => Math.floor(rand() * n);
const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'wa', 'zu', 'ber', 'dan', 'gor', 'hel', 'jin', 'mar', 'nor', 'pal', 'quin', 'ros'];
const word = (i: number): string => {
  let s = '';
  let x = i + 1;
  while (x > 0) {
    s += SYLLABLES[x % SYLLABLES.length];
    x = Math.floor(x / SYLLABLES.length);
  }
  return s[0]!.toUpperCase() + s.slice(1);
};

function generate(): GraphData {
  const data: GraphData = { documents: [], entities: [], aliases: [], evidence: [], mentions: [], events: [], participants: [], statements: [], statementSubjects: [], relationships: [] };
  const entity = (i: number): string => `actor:e${i}`;
  for (let i = 0; i < N; i++) {
    const name = `${word(i)} ${word(i * 7 + 3)}`;
    data.entities.push({ id: entity(i), type: 'ACTOR', kind: 'ARMED_GROUP', name, title: null, description: `Group ${name} of region ${word(i % 997)}.` });
    data.aliases.push({ entityId: entity(i), name, norm: name.toLowerCase(), source: 'TEXT', ord: 0 });
  }
  const docs = Math.max(1, Math.floor(N / 10));
  for (let d = 0; d < docs; d++) {
    const names = Array.from({ length: 8 }, () => data.entities[pick(N)]!.name);
    const text = names.map((n, k) => `${n} met ${names[(k + 1) % names.length]} in ${word(pick(997))}.`).join(' ');
    data.documents.push({ id: `document:d${d}`, title: `Report ${d}`, text, length: text.length, url: null, publishedOn: null, publisherId: null, contentHash: String(d) });
  }
  const rels = new Set<string>();
  const types = ['SUPPORTS', 'OPPOSES', 'AFFILIATED_WITH', 'INFLUENCES', 'PART_OF'];
  while (data.relationships.length < N * 5) {
    const a = pick(N);
    const b = pick(N);
    const type = types[pick(types.length)]!;
    const id = `relationship:e${a}--${type}--e${b}`;
    if (a === b || rels.has(id)) continue;
    rels.add(id);
    data.relationships.push({ id, type, sourceId: entity(a), targetId: entity(b), description: '', inferred: false, inferredFrom: null });
  }
  const kinds = ['ACCUSATION', 'ASSESSMENT', 'REQUEST', 'PROMISE'];
  for (let s = 0; s < N * 2; s++) {
    const id = `statement:s${s}`;
    data.statements.push({ id, kind: kinds[pick(4)]!, text: `${word(pick(N))} says ${word(pick(N))} must act.`, attribution: 'REPORTED', speakerId: entity(pick(N)), occasionId: null, documentId: `document:d${pick(docs)}`, position: s });
    data.statementSubjects.push({ statementId: id, subjectId: entity(pick(N)), ord: 0 });
  }
  for (let e = 0; e < N / 5; e++) {
    const id = `event:v${e}`;
    const precision = pick(3);
    const year = 2000 + pick(24);
    const month = precision > 0 ? 1 + pick(12) : null;
    const day = precision > 1 ? 1 + pick(28) : null;
    const pad = (n: number): string => String(n).padStart(2, '0');
    const earliest = `${year}-${pad(month ?? 1)}-${pad(day ?? 1)}`;
    const latest = `${year}-${pad(month ?? 12)}-${pad(day ?? 28)}`;
    data.events.push({ id, name: `Clash ${word(e)}`, kind: 'ATTACK', description: '', placeId: null, dateText: String(year), year, month, day, precision: (['YEAR', 'MONTH', 'DAY'] as const)[precision]!, dateInferred: false, dateInferredFrom: null, earliest, latest });
    const members = new Set([pick(N), pick(N), pick(N)]);
    let ord = 0;
    for (const m of members) data.participants.push({ id: `${id}#e${m}#AGENT`, eventId: id, entityId: entity(m), role: 'AGENT', ord: ord++ });
  }
  return data;
}

const dir = mkdtempSync(join(tmpdir(), 'kg-bench-'));
const store = new SqliteStore(join(dir, 'kg.sqlite'));
try {
  let t = performance.now();
  const data = generate();
  const facts = Object.values(data).reduce((n, rows) => n + (rows as unknown[]).length, 0);
  console.log(`generated ${N} entities, ${facts} rows in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  t = performance.now();
  await store.replaceGraph(data, 'bench');
  const seconds = (performance.now() - t) / 1000;
  console.log(`replaceGraph (rows + FTS index + sentences + counts): ${seconds.toFixed(1)} s, ${Math.round(facts / seconds)} rows/s`);

  if (process.env.ONLY_BUILD) {
    await store.close();
    if (process.env.KEEP) console.log(dir);
    process.exit(0);
  }
  const writes = { ingestor: new Ingestor(store), curator: new Curator(store) };
  const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent' });
  const apollo = createApollo({ config, logger: createLogger('silent'), metrics: new ServerMetrics() });
  await apollo.start();
  const run = async (label: string, query: string, variables: () => Record<string, unknown>, times: number): Promise<void> => {
    const ms: number[] = [];
    for (let i = 0; i < times; i++) {
      const start = performance.now();
      const res = await apollo.executeOperation({ query, variables: variables() }, { contextValue: { loaders: createLoaders(store), requestId: 'bench', caller: null, writes, record: { requestId: 'bench', operations: [] } } });
      ms.push(performance.now() - start);
      if (res.body.kind === 'single' && res.body.singleResult.errors) throw new Error(`${label}: ${JSON.stringify(res.body.singleResult.errors)}`);
    }
    ms.sort((a, b) => a - b);
    const q = (p: number): string => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))]!.toFixed(1);
    console.log(`${label.padEnd(44)} p50 ${q(0.5).padStart(8)} ms   p99 ${q(0.99).padStart(8)} ms   (${times} runs)`);
  };
  const someone = (): string => `actor:e${pick(N)}`;
  await run('search (4-letter prefix, 20 hits + total)', 'query($q: String!) { search(query: $q, first: 20) { totalCount nodes { score snippet } } }', () => ({ q: word(pick(N)).slice(0, 4) }), 50);
  await run('path (≤ 6 steps, all links)', 'query($a: ID!, $b: ID!) { path(from: $a, to: $b, maxLength: 6) { length } }', () => ({ a: someone(), b: someone() }), 50);
  await run('paths k=5 (≤ 4 steps, relationships)', 'query($a: ID!, $b: ID!) { paths(from: $a, to: $b, maxLength: 4, first: 5, via: [RELATIONSHIP]) { length } }', () => ({ a: someone(), b: someone() }), 20);
  await run('neighborhood depth 2, limit 500', 'query($a: ID!) { neighborhood(id: $a, depth: 2, limit: 500) { truncated nodes { id } edges { id } } }', () => ({ a: someone() }), 50);
  await run('timeline MONTH', '{ timeline(granularity: MONTH) { label count } }', () => ({}), 20);
  await run('entities orderBy DEGREE, page 2 + totalCount', '{ entities(orderBy: DEGREE, first: 20) { totalCount nodes { id } } }', () => ({}), 50);
  await run('statementMatrix (top 100)', '{ statementMatrix { count } }', () => ({}), 5);
  await run('centrality DEGREE (first: cold, then cached)', '{ centrality(metric: DEGREE, first: 10) { score } }', () => ({}), 5);
  await run('centrality PAGERANK (first: cold, then cached)', '{ centrality(metric: PAGERANK, first: 10) { score } }', () => ({}), 3);
  await run('communities Louvain (first: cold, then cached)', '{ communities { size } }', () => ({}), 3);
  console.log(`peak RSS ${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB`);
  await apollo.stop();
} finally {
  await store.close();
  if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true }); else console.log(dir);
}
