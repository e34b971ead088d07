/**
 * The SQLite bulk loader against the normal writer: the same generated graph
 * (400 entities, 40 documents), loaded by `bulkLoadSqlite` into one file —
 * generated on the test's thread, again in a worker thread, and again in a
 * worker thread that writes some tables into a part file of its own as
 * `npm run generate` does — and written by `SqliteStore.replaceGraph` (the seed build's path, with its
 * triggers and derived-data upkeep) into another, must give the same
 * database: every table's rows, the full-text index term by term (read back
 * with fts5vocab, per subject), sentence spans, kept counts, entity degrees and
 * mention counts, and the same indexes and triggers.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { generateGraphInWorker, startGraphWorker } from '../../src/generate/generate-in-worker.js';
import { emptyGraphData, generateGraph } from '../../src/generate/synthetic-graph.js';
import { type BulkBatch, bulkLoadSqlite, type BulkLoadOptions, type BulkLoadResult } from '../../src/store/sqlite/sqlite-bulk-load.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { GraphData } from '../../src/store/types.js';

const ENTITIES = 400;
const FINGERPRINT = 'synthetic:test';

let dir: string;
let normal: Database.Database;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kg-bulk-'));
  const normalPath = join(dir, 'normal.sqlite');
  const all: GraphData = emptyGraphData();
  for (const batch of generateGraph({ entities: ENTITIES, batchDocuments: 7 })) {
    for (const key of Object.keys(all) as (keyof GraphData)[]) (all[key] as unknown[]).push(...(batch[key] as unknown[]));
  }
  const store = new SqliteStore(normalPath);
  await store.replaceGraph(all, FINGERPRINT);
  await store.close();
  normal = new Database(normalPath, { readonly: true });
}, 120_000);

afterAll(() => {
  normal?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Every row of a query, as JSON lines, sorted (row order is not part of the comparison). */
const rows = (db: Database.Database, sql: string): string[] =>
  (db.prepare(sql).all() as object[]).map((r) => JSON.stringify(r)).sort();

/** Ordinary tables (not the full-text index's own, nor rowid-numbered search subjects). */
const tables = (db: Database.Database): string[] =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search_%' ORDER BY name").all() as { name: string }[]).map(
    (t) => t.name,
  );

type Source = (path: string) => { batches: Iterable<GraphData | BulkBatch> | AsyncIterable<GraphData | BulkBatch>; parts: NonNullable<BulkLoadOptions['parts']> };
const SOURCES: Record<string, Source> = {
  'generated on this thread': () => ({ batches: generateGraph({ entities: ENTITIES, batchDocuments: 3 }), parts: [] }),
  'generated in a worker thread': () => ({ batches: generateGraphInWorker({ entities: ENTITIES, batchDocuments: 3 }), parts: [] }),
  'generated in a worker thread that writes mentions, evidence and relationships itself': (path) => {
    const { batches, parts } = startGraphWorker({ entities: ENTITIES, batchDocuments: 3 }, [
      { path: `${path}.part-1`, tables: ['mentions', 'evidence'] },
      { path: `${path}.part-2`, tables: ['relationships'] },
    ]);
    return { batches, parts };
  },
};

describe.each(Object.keys(SOURCES))('bulkLoadSqlite, %s', (source) => {
  let bulk: Database.Database;
  let result: BulkLoadResult;
  beforeAll(async () => {
    const path = join(dir, `bulk-${source.replace(/ /g, '-')}.sqlite`);
    const { batches, parts } = SOURCES[source]!(path);
    // Small transactions, so that the load commits several times.
    result = await bulkLoadSqlite(path, batches, { fingerprint: FINGERPRINT, rowsPerTransaction: 2000, parts });
    // The part files are copied in and deleted.
    for (const part of parts) expect(existsSync(part.path)).toBe(false);
    bulk = new Database(path, { readonly: true });
  }, 120_000);
  afterAll(() => bulk?.close());

  it('writes a graph of the generated size and reports its rows', () => {
    expect(result.counts.entities).toBe(ENTITIES);
    expect(result.counts.relationships).toBe(ENTITIES * 5);
    const n = (db: Database.Database, table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    expect(n(bulk, 'mentions')).toBe(result.counts.mentions);
    expect(n(bulk, 'mentions')).toBeGreaterThan(ENTITIES * 10);
    expect(result.rows).toBe(Object.values(result.counts).reduce((a, b) => a + b, 0));
  });

  it('has the same tables, indexes and triggers as a database built by the normal writer', () => {
    const schema = "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_stat%'";
    expect(rows(bulk, schema)).toEqual(rows(normal, schema));
    expect(bulk.pragma('user_version', { simple: true })).toBe(normal.pragma('user_version', { simple: true }));
    expect(bulk.pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('writes every table row for row as the normal writer does (kept counts, degrees and mention counts included)', () => {
    const names = tables(bulk);
    expect(names).toEqual(tables(normal));
    expect(names).toEqual(expect.arrayContaining(['entities', 'mentions', 'evidence', 'sentences', 'list_counts', 'meta', 'dirty']));
    for (const table of names) {
      const a = rows(bulk, `SELECT * FROM ${table}`);
      const b = rows(normal, `SELECT * FROM ${table}`);
      expect(a.length, table).toBe(b.length);
      expect(a, table).toEqual(b);
    }
    // Not vacuous: the derived columns were filled in.
    expect((bulk.prepare('SELECT COUNT(*) AS n FROM entities WHERE degree > 0 AND mention_count > 0').get() as { n: number }).n).toBeGreaterThan(ENTITIES / 2);
    expect((bulk.prepare('SELECT COUNT(*) AS n FROM sentences').get() as { n: number }).n).toBeGreaterThan(ENTITIES * 4);
  });

  it('indexes the same subjects with the same terms at the same positions', () => {
    expect(rows(bulk, 'SELECT subject_id, subject_type FROM search_subjects')).toEqual(rows(normal, 'SELECT subject_id, subject_type FROM search_subjects'));
    const terms = (db: Database.Database): string[] => {
      db.exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_terms USING fts5vocab(main, 'search_fts', 'instance')");
      return rows(db, 'SELECT s.subject_id, v.term, v.col, v.offset FROM temp.search_terms v JOIN search_subjects s ON s.rowid = v.doc');
    };
    const a = terms(bulk);
    expect(a.length).toBeGreaterThan(ENTITIES * 50);
    expect(a).toEqual(terms(normal));
    // And the index answers a query: an alias finds its entity.
    const alias = bulk.prepare('SELECT entity_id, name FROM aliases WHERE ord = 1 LIMIT 1 OFFSET 17').get() as { entity_id: string; name: string };
    const found = bulk
      .prepare('SELECT s.subject_id FROM search_fts f JOIN search_subjects s ON s.rowid = f.rowid WHERE search_fts MATCH ?')
      .all(`name:${alias.name}`) as { subject_id: string }[];
    expect(found.map((f) => f.subject_id)).toEqual([alias.entity_id]);
  });

  it('leaves the full-text index as one segment (merged after the load, which committed many times)', () => {
    expect((bulk.prepare('SELECT COUNT(DISTINCT segid) AS n FROM search_fts_idx').get() as { n: number }).n).toBe(1);
    expect(result.phases.searchIndex).toBeGreaterThanOrEqual(0);
  });
});
