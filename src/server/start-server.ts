/**
 * Starting and stopping the whole server: open the store, build the graph
 * from the seeds when they changed, start Apollo, listen.
 */
import type { AddressInfo } from 'node:net';

import { buildGraph, type BuildResult } from '../build/build-graph.js';
import { GraphCache } from '../store/graph-cache.js';
import { openStore } from '../store/open-store.js';
import type { GraphStore } from '../store/store.js';
import { createApollo } from './apollo.js';
import type { ServerConfig } from './config.js';
import { createHttpServer } from './http-server.js';

/** A running server. */
export interface RunningServer {
  /** The GraphQL endpoint, e.g. `http://127.0.0.1:4000/graphql`. */
  url: string;
  port: number;
  store: GraphStore;
  /** This instance's memory of the graph, cleared when any instance changes the graph. */
  graph: GraphCache;
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
  const store = await openStore(config.databaseUrl, { poolMax: config.pgPoolMax, listenUrl: config.pgListenUrl ?? undefined });
  let build: BuildResult | null = null;
  let graph: GraphCache | null = null;
  try {
    if (options.build ?? true) build = await buildGraph(store, config.seedsDir);
    graph = await GraphCache.open(store);
    const apollo = createApollo({
      development,
      logError: (error) =>
        console.error(JSON.stringify({ level: 'error', msg: 'internal error', err: String((error as Error)?.stack ?? error) })),
    });
    await apollo.start();
    const http = createHttpServer({ apollo, store, config, graph });
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
      graph,
      build,
      async close() {
        await new Promise<void>((resolve) => {
          http.close(() => resolve());
          http.closeIdleConnections();
        });
        await apollo.stop();
        graph?.close();
        await store.close();
      },
    };
  } catch (error) {
    graph?.close();
    await store.close();
    throw error;
  }
}
