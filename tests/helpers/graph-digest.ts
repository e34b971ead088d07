/**
 * A digest of everything in a SQLite graph database, table by table, read
 * with its own connection: to tell whether two databases (or one database
 * before and after something) hold the same graph.
 */
import { createHash } from 'node:crypto';

import Database from 'better-sqlite3';

/** Per-table digests and one over all of them. */
export interface GraphDigest {
  tables: Record<string, string>;
  all: string;
}

/**
 * Digest the database at `path`. With `ignoreVersion`, the meta row
 * `graph_version` (a counter bumped by every write) is left out, so that two
 * writes of the same graph digest the same.
 */
export function graphDigest(path: string, options: { ignoreVersion?: boolean } = {}): GraphDigest {
  const db = new Database(path, { fileMustExist: true });
  try {
    const names = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map(
      (r) => r.name,
    );
    const tables: Record<string, string> = {};
    for (const name of names) {
      // The full-text index's own storage depends on the history of writes, not only on what it holds:
      // leave it out, and compare the index by the subjects it covers (not their row numbers).
      if (name.startsWith('search_fts')) continue;
      let rows = (db.prepare(`SELECT * FROM "${name}"`).all() as Record<string, unknown>[]).map((row) => {
        if (name === 'search_subjects') delete row.rowid;
        return JSON.stringify(Object.entries(row));
      });
      if (options.ignoreVersion && name === 'meta') rows = rows.filter((r) => !r.includes('"graph_version"'));
      rows.sort();
      tables[name] = createHash('sha256').update(rows.join('\n')).digest('hex');
    }
    const all = createHash('sha256').update(JSON.stringify(tables)).digest('hex');
    return { tables, all };
  } finally {
    db.close();
  }
}

/** `PRAGMA integrity_check` of the database at `path` ("ok" when sound). */
export function integrityCheck(path: string): string {
  const db = new Database(path, { fileMustExist: true });
  try {
    return (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
  } finally {
    db.close();
  }
}
