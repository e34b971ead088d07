/**
 * Bulk load of a whole graph into a new SQLite file, for generated graphs of
 * millions of rows: secondary indexes dropped during the load and built after
 * it, one prepared INSERT per table, large transactions, and the PRAGMAs of a
 * one-off load (no journal, no fsync, a large page cache, exclusive lock).
 * The file is only usable once the load has finished; a failed load leaves a
 * file to delete, never a database another process was reading.
 *
 * Derived data that triggers keep for ordinary writes (migration 4's `dirty`
 * rows, the kept list sizes) is written directly instead: each batch's
 * full-text index rows (the same `searchIndexRows` as every writer) and
 * sentence spans as the batch is loaded, entity degrees and mention counts by
 * one aggregate each at the end.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';

import Database from 'better-sqlite3';

import { sentenceSpans } from '../../graph/sentences.js';
import { searchIndexRows } from '../sql/search-index.js';
import { insertSql, rowValues, SORT_KEYS, TABLES } from '../sql/tables.js';
import { SEED_PROVENANCE, type GraphData } from '../types.js';
import { recountKeptCounts } from './sqlite-derived.js';
import { migrateSqlite } from './sqlite-migrations.js';

/** Options of `bulkLoadSqlite`. */
export interface BulkLoadOptions {
  /** Recorded as the graph's seed fingerprint (so `/ready` reports a loaded graph). */
  fingerprint: string;
  /** Replace an existing file. Default false: refuse. */
  replace?: boolean;
  /** Page cache during the load, in MiB. Default 1024. */
  cacheMiB?: number;
  /** Rows per transaction. Default 250,000. */
  rowsPerTransaction?: number;
  /** Called after each batch with the rows written so far. */
  onBatch?: (rowsSoFar: number) => void;
  /** Called when the load moves on to a finishing step (e.g. "indexes"). */
  onPhase?: (phase: string) => void;
}

/** What a bulk load wrote. */
export interface BulkLoadResult {
  rows: number;
  /** Rows per table. */
  counts: Record<string, number>;
  /** Seconds spent inserting rows, and finishing (indexes, counts). */
  insertSeconds: number;
  finishSeconds: number;
}

/** Write `batches` into a new SQLite database at `path`. */
export function bulkLoadSqlite(path: string, batches: Iterable<GraphData>, options: BulkLoadOptions): BulkLoadResult {
  if (existsSync(path)) {
    if (!options.replace) throw new Error(`${path} exists; pass --force to replace it.`);
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(path + suffix, { force: true });
  }
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    // Larger pages: fewer, fuller B-tree pages for long text rows (only settable before the first table).
    db.pragma(`page_size = ${process.env.KG_PAGE_SIZE ?? 16384}`);
    migrateSqlite(db);
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('temp_store = MEMORY');
    db.pragma(`cache_size = -${(options.cacheMiB ?? 1024) * 1024}`);

    // Secondary indexes are built once, after the rows are in; triggers (kept counts) are recreated and recounted after.
    const indexes = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").all() as { name: string; sql: string }[];
    for (const index of indexes) db.exec(`DROP INDEX ${index.name}`);
    const triggers = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").all() as { name: string; sql: string }[];
    for (const trigger of triggers) db.exec(`DROP TRIGGER ${trigger.name}`);

    const keys = Object.keys(TABLES) as (keyof typeof TABLES)[];
    const inserts = new Map(keys.map((key) => [key, db.prepare(insertSql(TABLES[key], SORT_KEYS[key] !== undefined))]));
    const counts: Record<string, number> = Object.fromEntries(keys.map((k) => [k, 0]));
    const insertSubject = db.prepare('INSERT INTO search_subjects (subject_id, subject_type) VALUES (?, ?)');
    const insertText = db.prepare('INSERT INTO search_fts (rowid, name, body) VALUES (?, ?, ?)');
    const insertSentence = db.prepare('INSERT INTO sentences (document_id, ord, start_offset, end_offset) VALUES (?, ?, ?, ?)');
    let rows = 0;
    const started = performance.now();
    // Rows are written as they come (they die young: cheap for the garbage collector);
    // a transaction is committed every `rowsPerTransaction` rows.
    const rowsPerTransaction = options.rowsPerTransaction ?? 250_000;
    let open = 0;
    db.exec('BEGIN');
    for (const batch of batches) {
      for (const key of keys) {
        const spec = TABLES[key];
        const sortKey = SORT_KEYS[key];
        const insert = inserts.get(key)!;
        const list = batch[key] as object[];
        for (const row of list) {
          // Loaded rows are owned by the build, like the seed build's; entity counts are filled in after the load.
          const full: Record<string, unknown> = { ...SEED_PROVENANCE, ingestedAt: null, ...row };
          if (key === 'entities') Object.assign(full, { mentionCount: 0, degree: 0 });
          insert.run(rowValues(spec, full, sortKey?.(full)));
        }
        counts[key]! += list.length;
        rows += list.length;
        open += list.length;
      }
      // The index reads names, descriptions and texts only, not provenance.
      for (const row of searchIndexRows(batch as unknown as Parameters<typeof searchIndexRows>[0])) {
        const { lastInsertRowid } = insertSubject.run(row.subjectId, row.subjectType);
        insertText.run(lastInsertRowid, row.name, row.body);
      }
      for (const doc of batch.documents) for (const x of sentenceSpans(doc.text)) insertSentence.run(doc.id, x.ord, x.start, x.end);
      if (open >= rowsPerTransaction) {
        db.exec('COMMIT; BEGIN');
        open = 0;
      }
      options.onBatch?.(rows);
    }
    db.exec('COMMIT');
    const inserted = performance.now();

    options.onPhase?.('indexes');
    for (const index of indexes) db.exec(index.sql);
    for (const trigger of triggers) db.exec(trigger.sql);
    options.onPhase?.('counts');
    const kept = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'list_counts'").get()
      ? (db.prepare('SELECT list FROM list_counts').all() as { list: string }[])
      : [];
    for (const { list } of kept) db.prepare(`UPDATE list_counts SET n = (SELECT COUNT(*) FROM ${list}) WHERE list = ?`).run(list);
    db.exec(`
      CREATE TEMP TABLE mention_counts AS SELECT entity_id, COUNT(*) AS n FROM mentions GROUP BY entity_id;
      UPDATE entities SET mention_count = c.n FROM mention_counts c WHERE c.entity_id = entities.id;
      DROP TABLE mention_counts;
      CREATE TEMP TABLE degrees AS SELECT id, SUM(n) AS n FROM (
        SELECT source_id AS id, COUNT(*) AS n FROM relationships GROUP BY source_id
        UNION ALL SELECT target_id, COUNT(*) FROM relationships WHERE source_id <> target_id GROUP BY target_id
      ) GROUP BY id;
      UPDATE entities SET degree = d.n FROM degrees d WHERE d.id = entities.id;
      DROP TABLE degrees;
      DELETE FROM dirty;
    `);
    recountKeptCounts(db);
    const upsert = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    upsert.run('seed_fingerprint', options.fingerprint);
    upsert.run('graph_version', '1');
    options.onPhase?.('analyze');
    db.pragma('analysis_limit = 1000');
    db.exec('ANALYZE');
    db.pragma('locking_mode = NORMAL');
    db.pragma('journal_mode = WAL');
    return { rows, counts, insertSeconds: (inserted - started) / 1000, finishSeconds: (performance.now() - inserted) / 1000 };
  } finally {
    db.close();
  }
}
