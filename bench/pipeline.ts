/**
 * `npx tsx bench/pipeline.ts [requests] [page|entity]`: the GraphQL pipeline
 * alone, in process, without HTTP — Apollo's executeHTTPGraphQLRequest over
 * the store, for the distinct-requests mix (c) (`page`, the default) or the
 * scale bench's entity by name or alias (`entity`) — so that a CPU profile
 * (`node --cpu-prof --import tsx bench/pipeline.ts`) shows where a request's
 * time goes. Prints microseconds per request and SQL statements per request.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { HeaderMap } from '@apollo/server';

import { buildGraph } from '../src/build/build-graph.js';
import { createLoaders } from '../src/loaders/loaders.js';
import { loadConfig } from '../src/server/config.js';
import { createLogger } from '../src/server/logger.js';
import { ServerMetrics } from '../src/server/metrics.js';
import type { ServerContext } from '../src/server/server-context.js';
import { createApollo } from '../src/server/apollo.js';
import { openStore } from '../src/store/open-store.js';
import { ROOT } from './lib/child-server.js';

const n = Number(process.argv[2] ?? 3000);
const which = process.argv[3] ?? 'page';
if (which !== 'page' && which !== 'entity') throw new Error(`unknown query "${which}": page or entity`);
const dir = mkdtempSync(join(tmpdir(), 'kg-pipeline-'));
const store = await openStore(`file:${join(dir, 'kg.sqlite')}`);
await buildGraph(store, join(ROOT, 'seeds'));
const apollo = createApollo({ config: loadConfig({ NODE_ENV: 'production' }), logger: createLogger('silent'), metrics: new ServerMetrics() });
await apollo.start();
const page = readFileSync(join(ROOT, 'bench/queries/entity-page-paged.graphql'), 'utf8');
const entity = 'query ($name: String!) { entity(name: $name) { id name } }';
const names = ['MINUSMA', 'Mali', 'Russia', 'Wagner', 'blue helmets', 'Vassily Nebenzia', 'El-Ghassim Wane', 'United Nations'];
const body = (i: number) =>
  which === 'entity'
    ? { query: entity, variables: { name: names[i % names.length] } }
    : { query: page, variables: { name: names[i % names.length], relationships: i % 21, statements: (i >> 2) % 21, mentions: (i >> 4) % 6 } };
const headers = new HeaderMap([['content-type', 'application/json']]);
const run = async (i: number) => {
  const response = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: 'POST', headers, search: '', body: body(i) },
    context: async () => ({ loaders: createLoaders(store), requestId: 'bench', caller: null, writes: null, record: { requestId: 'bench', operations: [] } }) as unknown as ServerContext,
  });
  if (response.status && response.status !== 200) throw new Error(String(response.status));
};
for (let i = 0; i < 500; i++) await run(i);
const statements = store.statementCount;
const started = performance.now();
const cpu = process.cpuUsage();
for (let i = 0; i < n; i++) await run(i);
const us = ((performance.now() - started) * 1000) / n;
const used = process.cpuUsage(cpu);
console.log(
  `${us.toFixed(0)} µs per request (wall), ${((used.user + used.system) / n).toFixed(0)} µs CPU, ` +
    `${((store.statementCount - statements) / n).toFixed(1)} SQL statements per request`,
);
await apollo.stop();
await store.close();
rmSync(dir, { recursive: true, force: true });
