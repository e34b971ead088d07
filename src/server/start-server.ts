/**
 * Starting and stopping the whole server: open the store, build the graph
 * from the seeds when they changed, start Apollo, listen.
 */
import type { AddressInfo } from 'node:net';

import { buildGraph, type BuildResult } from '../build/build-graph.js';
import { Curator } from '../ingest/curation.js';
import { Ingestor } from '../ingest/ingest.js';
import { openStore } from '../store/open-store.js';
import type { GraphStore } from '../store/store.js';
import { createApollo } from './apollo.js';
import type { ServerConfig } from './config.js';
import { createHttpServer } from './http-server.js';
import { createVersionProbe, ResponseCache } from './response-cache.js';

/** A running server. */
export interface RunningServer {
  /** The GraphQL endpoint, e.g. `http://127.0.0.1:4000/graphql`. */
  url: string;
  port: number;
  store: GraphStore;
  build: BuildResult | null;
  /** Stop accepting requests, finish those in flight, close the store. */
  close(): Promise<void>;
}

/** Options of `startServer`. */
export interface StartOptions {
  /** Build the graph from `config.seedsDir` first (only when the seeds changed). Default true. */
  build?: boolean;
}

/** Start a server with a configuration (see `loadConfig`). */
export async function startServer(config: ServerConfig, options: StartOptions = {}): Promise<RunningServer> {
  const development = config.nodeEnv === 'development';
  const store = await openStore(config.databaseUrl);
  let build: BuildResult | null = null;
  try {
    if (options.build ?? true) build = await buildGraph(store, config.seedsDir);
    const apollo = createApollo({
      development,
      logError: (error) =>
        console.error(JSON.stringify({ level: 'error', msg: 'internal error', err: String((error as Error)?.stack ?? error) })),
    });
    await apollo.start();
    const responseCache = config.responseCacheBytes > 0 ? new ResponseCache({ maxBytes: config.responseCacheBytes }, await createVersionProbe(store)) : null;
    const http = createHttpServer({ apollo, store, config, responseCache, writes: { ingestor: new Ingestor(store), curator: new Curator(store) } });
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(config.port, config.host, () => resolve());
    });
    const { port } = http.address() as AddressInfo;
    const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    return {
      url: `http://${host}:${port}/graphql`,
      port,
      store,
      build,
      async close() {
        await new Promise<void>((resolve) => {
          http.close(() => resolve());
          http.closeIdleConnections();
        });
        await apollo.stop();
        responseCache?.close();
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
