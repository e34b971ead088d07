/**
 * Server configuration from the environment, with the defaults in one place.
 */
import { DEFAULT_DATABASE_URL } from '../store/open-store.js';
import { type ApiKey, parseApiKeys } from './auth.js';

/** Everything the server reads from the environment. */
export interface ServerConfig {
  /** TCP port; 0 picks a free one. Default 4000 (`PORT`). */
  port: number;
  /** Host to bind. Default `0.0.0.0` (`HOST`). */
  host: string;
  /** Database URL (`DATABASE_URL`); `file:` selects SQLite. Default `file:data/kg.sqlite`. */
  databaseUrl: string;
  /** `development` (default), `production` or `test` (`NODE_ENV`). */
  nodeEnv: string;
  /** Origins allowed by CORS, besides none (`CORS_ORIGINS`, comma separated). Default: Apollo's hosted Sandbox. */
  corsOrigins: string[];
  /** Largest request body in bytes (`MAX_BODY_BYTES`). Default 1 MiB. */
  maxBodyBytes: number;
  /** Folder of the seed documents and annotations (`SEEDS_DIR`). Default `seeds`. */
  seedsDir: string;
  /** Bytes the whole-response cache may hold (`RESPONSE_CACHE_BYTES`); 0 turns it off. Default 64 MiB. */
  responseCacheBytes: number;
  /** API keys for mutations (`API_KEYS`: comma-separated `name:sha256hex`). Default none: mutations are refused. */
  apiKeys: ApiKey[];
}

function intFrom(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer; got "${value}".`);
  return n;
}

/** Read the configuration from an environment (default `process.env`). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  return {
    port: intFrom(env.PORT, 'PORT', 4000),
    host: env.HOST || '0.0.0.0',
    databaseUrl: env.DATABASE_URL || DEFAULT_DATABASE_URL,
    nodeEnv: env.NODE_ENV || 'development',
    corsOrigins: (env.CORS_ORIGINS ?? 'https://studio.apollographql.com')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    maxBodyBytes: intFrom(env.MAX_BODY_BYTES, 'MAX_BODY_BYTES', 1024 * 1024),
    seedsDir: env.SEEDS_DIR || 'seeds',
    responseCacheBytes: intFrom(env.RESPONSE_CACHE_BYTES, 'RESPONSE_CACHE_BYTES', 64 * 1024 * 1024),
    apiKeys: parseApiKeys(env.API_KEYS),
  };
}
