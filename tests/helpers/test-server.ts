/**
 * The shared test harness: a real server on an ephemeral port over a real
 * database — a SQLite file in a temporary folder by default, or a fresh
 * PostgreSQL database (`backend: 'postgres'`, created here and dropped by
 * `stop`) — and a small GraphQL-over-HTTP client.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { hashApiKey } from '../../src/server/auth.js';
import { loadConfig, type ServerConfig } from '../../src/server/config.js';
import { type RunningServer, type StartOptions, startServer } from '../../src/server/start-server.js';
import { type BackendName, createPgDatabase, type TestDatabase } from './backends.js';

/** An API key every test server accepts (as the caller named `test`), unless a test sets API_KEYS itself. */
export const TEST_API_KEY = 'test-api-key-not-secret-0123456789';
/** Headers that authenticate with `TEST_API_KEY`, e.g. `server.gql(mutation, vars, AUTH)`. */
export const AUTH = { authorization: `Bearer ${TEST_API_KEY}` } as const;

/** The seeds folder of the project. */
export const SEEDS_DIR = join(import.meta.dirname, '..', '..', 'seeds');

/** A running test server with its temporary folder. */
export interface TestServer extends RunningServer {
  dir: string;
  /** The SQLite file the server writes (SQLite only; see `databaseUrl`). */
  dbPath: string;
  /** The `DATABASE_URL` it serves. */
  databaseUrl: string;
  /** The server's origin, e.g. `http://127.0.0.1:54321`. */
  origin: string;
  /** POST a GraphQL operation; returns the parsed body and the HTTP status. */
  gql<T = any>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GqlResult<T>>;
  /** POST an operation and fail with the errors when there are any; returns `data`. */
  data<T = any>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** A plain HTTP request to a path of the server (e.g. `/health`). */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** Stop the server and remove its folder. */
  stop(): Promise<void>;
}

/** A GraphQL error as the server sends it. */
export interface GqlError {
  message: string;
  extensions?: { code?: string; [k: string]: unknown };
  path?: (string | number)[];
}

/** A GraphQL response with its status. */
export interface GqlResult<T> {
  status: number;
  data: T;
  errors?: GqlError[];
  body: any;
}

/** POST an operation to a GraphQL endpoint. */
export async function postGraphQL<T = any>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
  operationName?: string,
): Promise<GqlResult<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...headers },
    body: JSON.stringify({ query, variables, operationName }),
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
  /** Seeds folder to build from; default the project's seeds. */
  seedsDir?: string;
  /** Environment overrides (e.g. `{ NODE_ENV: 'production' }`); NODE_ENV defaults to `test`. */
  env?: Record<string, string>;
  /** Configuration overrides, applied last. */
  config?: Partial<ServerConfig>;
  /** Build the graph before serving; default true. */
  build?: boolean;
  /** Options passed to `startServer` (a logger, a schema). */
  start?: StartOptions;
  /**
   * Which store: `sqlite` makes a file in the server's folder; `postgres`
   * creates a fresh database that `stop` drops. Default: `TEST_BACKEND` from
   * the environment, else `sqlite` (`TEST_BACKEND=postgres npx vitest run tests/api`
   * runs the whole API suite on PostgreSQL).
   */
  backend?: BackendName;
  /** Serve this existing database instead (shared by several servers; `stop` leaves it). */
  databaseUrl?: string;
}

/**
 * Start a server on port 0 with a fresh database (SQLite unless `backend`
 * says otherwise), built from `seedsDir` (default: the project's seeds).
 * `env` overrides configuration; by default logs are silent, rate limiting is
 * off (tests that check them turn them on), and `TEST_API_KEY` is the one
 * accepted key (send `AUTH` for mutations). `start` passes options to
 * `startServer` (a logger, a schema).
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'kg-test-'));
  const dbPath = join(dir, 'kg.sqlite');
  let owned: TestDatabase | null = null;
  let server: RunningServer;
  let config: ServerConfig;
  try {
    let databaseUrl = options.databaseUrl ?? `file:${dbPath}`;
    if (!options.databaseUrl && (options.backend ?? process.env.TEST_BACKEND ?? 'sqlite') === 'postgres') {
      owned = await createPgDatabase();
      databaseUrl = owned.url;
    }
    config = {
      ...loadConfig({
        NODE_ENV: 'test',
        PORT: '0',
        HOST: '127.0.0.1',
        DATABASE_URL: databaseUrl,
        SEEDS_DIR: options.seedsDir ?? SEEDS_DIR,
        LOG_LEVEL: 'silent',
        RATE_LIMIT_PER_SECOND: '0',
        API_KEYS: `test:${hashApiKey(TEST_API_KEY)}`,
        ...options.env,
      }),
      ...options.config,
    };
    server = await startServer(config, { ...options.start, build: options.build ?? options.start?.build ?? true });
  } catch (error) {
    await owned?.drop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const database = owned;
  const origin = new URL(server.url).origin;
  const gql = <T>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) =>
    postGraphQL<T>(server.url, query, variables, headers);
  return {
    ...server,
    dir,
    dbPath,
    databaseUrl: config.databaseUrl,
    origin,
    gql,
    async data<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
      const result = await gql<T>(query, variables);
      if (result.errors?.length || result.status !== 200) {
        throw new Error(`GraphQL request failed (${result.status}): ${JSON.stringify(result.errors ?? result.body)}`);
      }
      return result.data;
    },
    fetch: (path, init) => fetch(origin + path, init),
    async stop() {
      try {
        await server.close();
      } finally {
        await database?.drop();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
