/**
 * Starting and stopping the whole server: open the store (timed for the
 * metrics), build the graph from the seeds when they changed, start Apollo,
 * listen; and on `close()`, drain: stop taking requests, let those in flight
 * finish (at most `shutdownTimeoutMs`), then close everything.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { buildGraph, type BuildResult } from '../build/build-graph.js';
import { Curator } from '../ingest/curation.js';
import { Ingestor } from '../ingest/ingest.js';
import { GraphCache } from '../store/graph-cache.js';
import { instrumentStore } from '../store/instrumented-store.js';
import { openStore } from '../store/open-store.js';
import type { GraphStore } from '../store/store.js';
import { type ApolloOptions, createApollo } from './apollo.js';
import type { ServerConfig } from './config.js';
import { createVersionProbe, ResponseCache } from './response-cache.js';
import { createHttpServer } from './http-server.js';
import { Lifecycle, unknownPhase } from './lifecycle.js';
import { createLogger, type Logger } from './logger.js';
import { ServerMetrics } from './metrics.js';

/** A running server. */
export interface RunningServer {
  /** The GraphQL endpoint, e.g. `http://127.0.0.1:4000/graphql`. */
  url: string;
  port: number;
  store: GraphStore;
  /** This instance's memory of the graph, cleared when any instance changes the graph. */
  graph: GraphCache;
  build: BuildResult | null;
  logger: Logger;
  lifecycle: Lifecycle;
  /**
   * Drain and stop: refuse new requests (503, and /ready turns 503), let those
   * in flight finish for at most `shutdownTimeoutMs`, then close connections,
   * Apollo and the store. Safe to call more than once.
   */
  close(): Promise<void>;
}

/** Options of `startServer`. */
export interface StartOptions {
  /** Build the graph from `config.seedsDir` first (only when the seeds changed). Default `config.buildOnStart`. */
  build?: boolean;
  /** The logger. Default: pino to stdout at `config.logLevel`. */
  logger?: Logger;
  /** Replace the schema (see `ApolloOptions.schema`; for tests of the plugins). */
  schema?: ApolloOptions['schema'];
}

/** Start a server with a configuration (see `loadConfig`). */
export async function startServer(config: ServerConfig, options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const metrics = new ServerMetrics();
  const lifecycle = new Lifecycle();
  const rawStore = await openStore(config.databaseUrl, { poolMax: config.pgPoolMax, listenUrl: config.pgListenUrl ?? undefined });
  const store = instrumentStore(rawStore, metrics.observeStoreCall);
  let build: BuildResult | null = null;
  let graph: GraphCache | null = null;
  try {
    if (options.build ?? config.buildOnStart) build = await buildGraph(store, config.seedsDir);
    graph = await GraphCache.open(store);
    const apollo = createApollo({ config, logger, metrics, ...(options.schema ? { schema: options.schema } : {}) });
    await apollo.start();
    const writes = { ingestor: new Ingestor(store), curator: new Curator(store) };
    // perf: repeated reads answered before the GraphQL pipeline; the version probe reads the uninstrumented store.
    const responseCache = config.responseCacheBytes > 0 ? new ResponseCache({ maxBytes: config.responseCacheBytes }, await createVersionProbe(rawStore)) : null;
    const http = createHttpServer({ apollo, store, config, logger, metrics, lifecycle, writes, graph, responseCache });
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(config.port, config.host, () => resolve());
    });
    lifecycle.serve();
    const { port } = http.address() as AddressInfo;
    const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    let closing: Promise<void> | null = null;
    return {
      url: `http://${host}:${port}/graphql`,
      port,
      store,
      graph,
      build,
      logger,
      lifecycle,
      close() {
        closing ??= shutDown(http, lifecycle, config.shutdownTimeoutMs, logger, async () => {
          await apollo.stop();
          responseCache?.close();
          graph?.close();
          await store.close();
        });
        return closing;
      },
    };
  } catch (error) {
    graph?.close();
    await store.close();
    throw error;
  }
}

async function shutDown(http: Server, lifecycle: Lifecycle, timeoutMs: number, logger: Logger, closeRest: () => Promise<void>): Promise<void> {
  const phase = lifecycle.current;
  switch (phase.phase) {
    case 'starting':
    case 'serving':
    case 'draining':
      break;
    case 'stopped':
      return;
    default:
      unknownPhase(phase);
  }
  const closed = new Promise<void>((resolve) => http.close(() => resolve()));
  http.closeIdleConnections();
  logger.info({ inFlight: lifecycle.inFlight, timeoutMs }, 'draining');
  const drained = await lifecycle.drain(timeoutMs);
  if (!drained) logger.warn({ inFlight: lifecycle.inFlight }, 'drain timed out; closing connections');
  // Responses sent while draining carry "Connection: close"; anything left is idle or timed out.
  http.closeAllConnections();
  await closed;
  await closeRest();
  lifecycle.stop();
  logger.info('stopped');
}
