/**
 * Server configuration from the environment, with the defaults in one place.
 */
import { DEFAULT_DATABASE_URL } from '../store/open-store.js';

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
}

function intFrom(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer; got "${value}".`);
  return n;
}

function positiveIntFrom(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer; got "${value}".`);
  return n;
}

/** Read the configuration from an environment (default `process.env`). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  return {
    port: intFrom(env.PORT, 'PORT', 4000),
    host: env.HOST || '0.0.0.0',
    databaseUrl: env.DATABASE_URL || DEFAULT_DATABASE_URL,
    pgPoolMax: positiveIntFrom(env.PG_POOL_MAX, 'PG_POOL_MAX', 10),
    pgListenUrl: env.PG_LISTEN_URL || null,
    nodeEnv: env.NODE_ENV || 'development',
    corsOrigins: (env.CORS_ORIGINS ?? 'https://studio.apollographql.com')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    maxBodyBytes: intFrom(env.MAX_BODY_BYTES, 'MAX_BODY_BYTES', 1024 * 1024),
    seedsDir: env.SEEDS_DIR || 'seeds',
  };
}
