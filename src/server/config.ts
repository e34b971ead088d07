/**
 * Server configuration from the environment, with the defaults in one place.
 * Every variable is listed in README.md (Configuration, and Hardening and
 * operations); a malformed value stops the server at start with a message
 * naming the variable.
 */
import { DEFAULT_DATABASE_URL } from '../store/open-store.js';
import { type ApiKey, parseApiKeys } from './auth.js';

/** Limits on what one request may ask for (see src/server/plugins/query-limits.ts). */
export interface QueryLimits {
  /** Most lexical tokens in a document (`MAX_TOKENS`). Default 1000. */
  maxTokens: number;
  /** Deepest field nesting, fragments expanded, introspection ignored (`MAX_DEPTH`). Default 10. */
  maxDepth: number;
  /** Most aliases in an operation (`MAX_ALIASES`). Default 15. */
  maxAliases: number;
  /** Most directives in an operation (`MAX_DIRECTIVES`). Default 50. */
  maxDirectives: number;
  /**
   * Highest estimated cost: one per field, times the page size (`first`, default 20)
   * of each connection and the length of list arguments such as `nodes(ids:)`,
   * computed with the request's variables (`MAX_COST`). Default 10000.
   */
  maxCost: number;
  /** Milliseconds an operation may run before it is stopped (`DEADLINE_MS`). Default 5000. */
  deadlineMs: number;
  /** Most operations in one batched HTTP request; 0 turns batching off (`MAX_BATCH`). Default 0. */
  maxBatch: number;
}

/** Per-client token buckets (see src/server/rate-limit.ts). */
export interface RateLimitConfig {
  /** Tokens added per second to each client's bucket; 0 turns rate limiting off (`RATE_LIMIT_PER_SECOND`). Default 50. */
  perSecond: number;
  /** Bucket size: the largest burst a client may send at once (`RATE_LIMIT_BURST`). Default 100. */
  burst: number;
  /**
   * Take the client address from the last `X-Forwarded-For` entry, as set by one
   * trusted reverse proxy in front of the server (`TRUST_PROXY`). Default false.
   */
  trustProxy: boolean;
}

/** Who may call the API (see src/server/auth.ts). */
export interface AuthConfig {
  /** Accepted API keys, as names and SHA-256 hashes (`API_KEYS` = `name:sha256hex,…`). Default none. */
  apiKeys: ApiKey[];
  /** Require a key for reads too, not only for mutations (`REQUIRE_KEY_FOR_READS`). Default false. */
  requireKeyForReads: boolean;
  /** Require a key for `/metrics` (`METRICS_REQUIRE_KEY`). Default false. */
  metricsRequireKey: boolean;
}

/** Everything the server reads from the environment. */
export interface ServerConfig {
  /** TCP port; 0 picks a free one. Default 4000 (`PORT`). */
  port: number;
  /** Host to bind. Default `0.0.0.0` (`HOST`). */
  host: string;
  /** Database URL (`DATABASE_URL`); `file:` selects SQLite, `postgres://` PostgreSQL. Default `file:data/kg.sqlite`. */
  databaseUrl: string;
  /** PostgreSQL only: most pooled connections per instance (`PG_POOL_MAX`). Default 10. */
  pgPoolMax: number;
  /** PostgreSQL only: URL for the LISTEN connection (`PG_LISTEN_URL`), when `databaseUrl` is a transaction pooler. Default: none (same URL). */
  pgListenUrl: string | null;
  /** `development` (default), `production` or `test` (`NODE_ENV`). */
  nodeEnv: string;
  /** Origins allowed by CORS, besides none (`CORS_ORIGINS`, comma separated). Default: Apollo's hosted Sandbox. */
  corsOrigins: string[];
  /** Largest request body in bytes (`MAX_BODY_BYTES`). Default 1 MiB. */
  maxBodyBytes: number;
  /** Folder of the seed documents and annotations (`SEEDS_DIR`). Default `seeds`. */
  seedsDir: string;
  /**
   * Build the graph from `seedsDir` at start, when the seeds changed (`BUILD_ON_START`). Default true.
   * false serves the database as it is: a graph written only by `npm run generate` or by ingest.
   */
  buildOnStart: boolean;
  /** Bytes the whole-response cache may hold (`RESPONSE_CACHE_BYTES`); 0 turns it off. Default 64 MiB. */
  responseCacheBytes: number;
  /** Answer introspection queries (`INTROSPECTION`). Default: only in development. */
  introspection: boolean;
  /** Serve the Sandbox landing page on GET /graphql from a browser (`LANDING_PAGE`). Default: only in development. */
  landingPage: boolean;
  /** Query limits and the operation deadline. */
  limits: QueryLimits;
  /** Rate limiting. */
  rateLimit: RateLimitConfig;
  /** API keys. */
  auth: AuthConfig;
  /** pino log level: `fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent` (`LOG_LEVEL`). Default `info`. */
  logLevel: string;
  /** Milliseconds SIGTERM waits for requests in flight before closing connections (`SHUTDOWN_TIMEOUT_MS`). Default 10000. */
  shutdownTimeoutMs: number;
  /** Milliseconds a client may take to send a whole request, headers and body (`REQUEST_TIMEOUT_MS`). Default 30000. */
  requestTimeoutMs: number;
}

function intFrom(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer; got "${value}".`);
  return n;
}

function positiveIntFrom(value: string | undefined, name: string, fallback: number): number {
  const n = intFrom(value, name, fallback);
  if (n === 0) throw new Error(`${name} must be a positive integer; got "${value}".`);
  return n;
}

function boolFrom(value: string | undefined, name: string, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  const v = value.trim().toLowerCase();
  if (v === 'true' || v === '1' || v === 'yes') return true;
  if (v === 'false' || v === '0' || v === 'no') return false;
  throw new Error(`${name} must be true or false; got "${value}".`);
}

const LOG_LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/** Read the configuration from an environment (default `process.env`). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const nodeEnv = env.NODE_ENV || 'development';
  const development = nodeEnv === 'development';
  const logLevel = (env.LOG_LEVEL || 'info').toLowerCase();
  if (!LOG_LEVELS.has(logLevel)) throw new Error(`LOG_LEVEL must be one of ${[...LOG_LEVELS].join(', ')}; got "${env.LOG_LEVEL}".`);
  return {
    port: intFrom(env.PORT, 'PORT', 4000),
    host: env.HOST || '0.0.0.0',
    databaseUrl: env.DATABASE_URL || DEFAULT_DATABASE_URL,
    pgPoolMax: positiveIntFrom(env.PG_POOL_MAX, 'PG_POOL_MAX', 10),
    pgListenUrl: env.PG_LISTEN_URL || null,
    nodeEnv,
    corsOrigins: (env.CORS_ORIGINS ?? 'https://studio.apollographql.com')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    maxBodyBytes: positiveIntFrom(env.MAX_BODY_BYTES, 'MAX_BODY_BYTES', 1024 * 1024),
    seedsDir: env.SEEDS_DIR || 'seeds',
    buildOnStart: boolFrom(env.BUILD_ON_START, 'BUILD_ON_START', true),
    responseCacheBytes: intFrom(env.RESPONSE_CACHE_BYTES, 'RESPONSE_CACHE_BYTES', 64 * 1024 * 1024),
    introspection: boolFrom(env.INTROSPECTION, 'INTROSPECTION', development),
    landingPage: boolFrom(env.LANDING_PAGE, 'LANDING_PAGE', development),
    limits: {
      maxTokens: positiveIntFrom(env.MAX_TOKENS, 'MAX_TOKENS', 1000),
      maxDepth: positiveIntFrom(env.MAX_DEPTH, 'MAX_DEPTH', 10),
      maxAliases: intFrom(env.MAX_ALIASES, 'MAX_ALIASES', 15),
      maxDirectives: intFrom(env.MAX_DIRECTIVES, 'MAX_DIRECTIVES', 50),
      maxCost: positiveIntFrom(env.MAX_COST, 'MAX_COST', 10_000),
      deadlineMs: positiveIntFrom(env.DEADLINE_MS, 'DEADLINE_MS', 5000),
      maxBatch: intFrom(env.MAX_BATCH, 'MAX_BATCH', 0),
    },
    rateLimit: {
      perSecond: intFrom(env.RATE_LIMIT_PER_SECOND, 'RATE_LIMIT_PER_SECOND', 50),
      burst: positiveIntFrom(env.RATE_LIMIT_BURST, 'RATE_LIMIT_BURST', 100),
      trustProxy: boolFrom(env.TRUST_PROXY, 'TRUST_PROXY', false),
    },
    auth: {
      apiKeys: parseApiKeys(env.API_KEYS ?? ''),
      requireKeyForReads: boolFrom(env.REQUIRE_KEY_FOR_READS, 'REQUIRE_KEY_FOR_READS', false),
      metricsRequireKey: boolFrom(env.METRICS_REQUIRE_KEY, 'METRICS_REQUIRE_KEY', false),
    },
    logLevel,
    shutdownTimeoutMs: intFrom(env.SHUTDOWN_TIMEOUT_MS, 'SHUTDOWN_TIMEOUT_MS', 10_000),
    requestTimeoutMs: positiveIntFrom(env.REQUEST_TIMEOUT_MS, 'REQUEST_TIMEOUT_MS', 30_000),
  };
}
