/**
 * The shared test harness: a real server on an ephemeral port over a real
 * database — a SQLite file in a temporary folder by default, or a fresh
 * PostgreSQL database (`backend: 'postgres'`, created here and dropped by
 * `stop`) — and a small GraphQL-over-HTTP client.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { loadConfig, type ServerConfig } from '../../src/server/config.js';
import { type RunningServer, startServer } from '../../src/server/start-server.js';
import { type BackendName, createPgDatabase, type TestDatabase } from './backends.js';

/** The seeds folder of the project. */
export const SEEDS_DIR = join(import.meta.dirname, '..', '..', 'seeds');

/** A running test server with its temporary folder. */
export interface TestServer extends RunningServer {
  dir: string;
  /** The `DATABASE_URL` it serves. */
  databaseUrl: string;
  /** POST a GraphQL operation; returns the parsed body and the HTTP status. */
  gql<T = any>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GqlResult<T>>;
  /** Stop the server and remove its folder. */
  stop(): Promise<void>;
}

/** A GraphQL response with its status. */
export interface GqlResult<T> {
  status: number;
  data: T;
  errors?: { message: string; extensions?: { code?: string; [k: string]: unknown }; path?: (string | number)[] }[];
  body: any;
}

/** POST an operation to a GraphQL endpoint. */
export async function postGraphQL<T = any>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GqlResult<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, data: body?.data, errors: body?.errors, body };
}

/** Options of `startTestServer`. */
export interface TestServerOptions {
  seedsDir?: string;
  env?: Record<string, string>;
  config?: Partial<ServerConfig>;
  /**
   * Which store: `sqlite` (default) makes a file in the server's folder;
   * `postgres` creates a fresh database that `stop` drops.
   */
  backend?: BackendName;
  /** Serve this existing database instead (shared by several servers; `stop` leaves it). */
  databaseUrl?: string;
}

/**
 * Start a server on port 0 with a fresh database, built from `seedsDir`
 * (default: the project's seeds). `env` overrides configuration.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'kg-test-'));
  let owned: TestDatabase | null = null;
  try {
    let databaseUrl = options.databaseUrl ?? `file:${join(dir, 'kg.sqlite')}`;
    if (!options.databaseUrl && options.backend === 'postgres') {
      owned = await createPgDatabase();
      databaseUrl = owned.url;
    }
    const config: ServerConfig = {
      ...loadConfig({
        NODE_ENV: 'test',
        PORT: '0',
        HOST: '127.0.0.1',
        DATABASE_URL: databaseUrl,
        SEEDS_DIR: options.seedsDir ?? SEEDS_DIR,
        ...options.env,
      }),
      ...options.config,
    };
    const server = await startServer(config);
    const database = owned;
    return {
      ...server,
      dir,
      databaseUrl: config.databaseUrl,
      gql: (query, variables, headers) => postGraphQL(server.url, query, variables, headers),
      async stop() {
        try {
          await server.close();
        } finally {
          await database?.drop();
          rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    await owned?.drop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
