/**
 * Upgrading an analyzed SQLite database (a bulk-loaded graph) re-analyzes it,
 * so that the planner knows the indexes the new migrations added. Without it,
 * an entity's relationships page (ORDER BY sort_key) on a hub was planned
 * through a new adjacency index and sorted every link of the hub.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

import { migrateSqlite, SQLITE_MIGRATIONS } from '../../src/store/sqlite/sqlite-migrations.js';

const dir = mkdtempSync(join(tmpdir(), 'kg-migrate-stats-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The plan of a hub's page of relationships as target, ordered by sort key. */
const PAGE = "EXPLAIN QUERY PLAN SELECT r.* FROM relationships r WHERE r.target_id = 'hub' AND r.source_id <> r.target_id ORDER BY r.sort_key LIMIT 10";

describe('migrating an analyzed SQLite database', () => {
  it('re-analyzes it, so that a hub page reads its ordered index instead of sorting', () => {
    const db = new Database(join(dir, 'old.sqlite'));
    // The database as a bulk load of schema version 6 left it: rows, then ANALYZE.
    for (let v = 0; v < 6; v++) {
      db.exec(SQLITE_MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }
    const columns = (db.prepare('PRAGMA table_info(relationships)').all() as { name: string; notnull: number }[]).filter((c) => c.notnull);
    const cols = columns.map((c) => c.name);
    const insert = db.prepare(`INSERT INTO relationships (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
    db.exec('PRAGMA foreign_keys = OFF; BEGIN');
    for (let i = 0; i < 5000; i++) {
      const row: Record<string, unknown> = { id: `r${i}`, source_id: `s${i % 1000}`, target_id: i % 2 ? 'hub' : `t${i}`, type: 'ALLY_OF', sort_key: `k${String(i).padStart(5, '0')}` };
      insert.run(cols.map((c) => (c in row ? row[c] : c.endsWith('_id') ? 'x' : c === 'confidence' ? 1 : 'x')));
    }
    db.exec('COMMIT; ANALYZE');
    migrateSqlite(db);
    const analyzed = db.prepare("SELECT idx FROM sqlite_stat1 WHERE tbl = 'relationships'").all() as { idx: string }[];
    expect(analyzed.map((r) => r.idx)).toContain('relationships_target_adjacency');
    const plan = (db.prepare(PAGE).all() as { detail: string }[]).map((r) => r.detail).join('\n');
    expect(plan).toContain('relationships_target');
    expect(plan).not.toContain('TEMP B-TREE');
    db.close();
  });
});
