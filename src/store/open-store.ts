/**
 * Chooses the storage backend from a `DATABASE_URL`.
 */
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { GraphStore } from './store.js';

/** The default database: an embedded SQLite file under `data/`. */
export const DEFAULT_DATABASE_URL = 'file:data/kg.sqlite';

/**
 * Open the store a URL names: `file:<path>` selects SQLite (`file::memory:` an
 * in-memory database).
 * @throws Error naming the URL's scheme when no backend serves it.
 */
export async function openStore(databaseUrl: string = DEFAULT_DATABASE_URL): Promise<GraphStore> {
  if (databaseUrl.startsWith('file:')) {
    const path = databaseUrl.slice('file:'.length).replace(/^\/\/(?=\/)/, '');
    if (path.length === 0) throw new Error('DATABASE_URL "file:" needs a path, e.g. file:data/kg.sqlite');
    return new SqliteStore(path);
  }
  const scheme = databaseUrl.split(':')[0] ?? '';
  throw new Error(`DATABASE_URL scheme "${scheme}:" is not supported; use file:<path> for SQLite.`);
}
