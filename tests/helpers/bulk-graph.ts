/**
 * A small generated graph written by the SQLite bulk load (which drops the
 * triggers while loading and rebuilds the derived tables after), for tests
 * that check the derived tables against brute force.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';

import { generateGraph } from '../../src/generate/synthetic-graph.js';
import { bulkLoadSqlite } from '../../src/store/sqlite/sqlite-bulk-load.js';

/** Bulk-load 500 generated entities (seed 3) into a temporary file, and give it to `use` opened read-only; removed after. */
export async function withBulkLoadedGraph<T>(use: (db: Database.Database) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'kg-bulk-'));
  try {
    const path = join(dir, 'bulk.sqlite');
    await bulkLoadSqlite(path, generateGraph({ entities: 500, seed: 3, batchDocuments: 5 }), { fingerprint: 'bulk', cacheMiB: 16 });
    const db = new Database(path, { readonly: true });
    try {
      return await use(db);
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
