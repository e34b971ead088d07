/**
 * Chooses the storage backend from a `DATABASE_URL`.
 */
import { PostgresStore } from './postgres/postgres-store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { GraphStore } from './store.js';

/** The default database: an embedded SQLite file under `data/`. */
export const DEFAULT_DATABASE_URL = 'file:data/kg.sqlite';

/** Options of `openStore` that only some backends use. */
export interface OpenStoreOptions {
  /** PostgreSQL: most pooled connections (`PG_POOL_MAX`). Default 10. Ignored by SQLite. */
  poolMax?: number;
  /** PostgreSQL: URL of the LISTEN connection (`PG_LISTEN_URL`). Default: the database URL. Ignored by SQLite. */
  listenUrl?: string;
}

/**
 * Open the store a URL names: `file:<path>` selects SQLite (`file::memory:` an
 * in-memory database); `postgres://…` or `postgresql://…` selects PostgreSQL,
 * migrating the database on first use.
 * @throws Error naming the URL's scheme when no backend serves it.
 */
export async function openStore(databaseUrl: string = DEFAULT_DATABASE_URL, options: OpenStoreOptions = {}): Promise<GraphStore> {
  if (databaseUrl.startsWith('file:')) {
    const path = databaseUrl.slice('file:'.length).replace(/^\/\/(?=\/)/, '');
    if (path.length === 0) throw new Error('DATABASE_URL "file:" needs a path, e.g. file:data/kg.sqlite');
    return new SqliteStore(path);
  }
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    const { poolMax, listenUrl } = options;
    return PostgresStore.open(databaseUrl, {
      ...(poolMax === undefined ? {} : { poolMax }),
      ...(listenUrl ? { listenUrl } : {}),
    });
  }
  const scheme = databaseUrl.split(':')[0] ?? '';
  throw new Error(
    `DATABASE_URL scheme "${scheme}:" is not supported; use file:<path> for SQLite or postgres://user@host:5432/db for PostgreSQL.`,
  );
}
