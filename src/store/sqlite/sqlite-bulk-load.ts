/**
 * Bulk load of a whole graph into a new SQLite file, for generated graphs of
 * millions of rows: secondary indexes dropped during the load and built after
 * it, one prepared INSERT per table, large transactions, and the PRAGMAs of a
 * one-off load (no journal, no fsync, a large page cache, exclusive lock).
 * The file is only usable once the load has finished; a failed load leaves a
 * file to delete, never a database another process was reading.
 *
 * The rows arrive as `BulkBatch`es: per table, each row's values in column
 * order, ready to bind (`toBulkBatch` maps a `GraphData` batch; it is pure, so
 * a worker thread can run it beside the generator and leave this thread only
 * the inserts). Columns every loaded row shares (the seed provenance, counts
 * filled in after the load) are literals in the INSERTs rather than values.
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

import type { GraphData } from '../types.js';
import { BULK_TABLES, type BulkBatch, TABLE_KEYS, type TableKey, toBulkBatch } from './sqlite-bulk-rows.js';
import { recountKeptCounts } from './sqlite-derived.js';
import { migrateSqlite } from './sqlite-migrations.js';

export { type BulkBatch, type TableKey, toBulkBatch } from './sqlite-bulk-rows.js';

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
  /** Called after each batch with the rows and documents written so far. */
  onBatch?: (rowsSoFar: number, documentsSoFar: number) => void;
  /** Called when the load moves on to a finishing step (e.g. "indexes"). */
  onPhase?: (phase: string) => void;
  /**
   * Tables written by another thread into files of their own (`BulkLoadPart`);
   * the batches carry no rows of these tables. Each file is complete when
   * `written` settles (or, without it, when `batches` ends). They are copied in
   * after this file's own indexes are built (see `BulkLoadPart`) and the files
   * deleted. Default: none.
   */
  parts?: readonly (BulkPartSpec & { written?: Promise<void> })[];
}

/** A part of a bulk load: tables whose rows another thread writes into the file at `path`. */
export interface BulkPartSpec {
  path: string;
  tables: readonly TableKey[];
}

/** What a bulk load wrote. */
export interface BulkLoadResult {
  rows: number;
  /** Rows per table. */
  counts: Record<string, number>;
  /** Seconds spent inserting rows, and finishing (indexes, counts). */
  insertSeconds: number;
  finishSeconds: number;
  /** Seconds per phase, in order: \`wait\` (the writer waiting for batches), \`insert\`, then each finishing step (\`indexes\`, \`searchIndex\`, …). */
  phases: Record<string, number>;
}

/**
 * Helper threads SQLite's sorter may use while building indexes (`PRAGMA
 * threads`): the generator's thread is done by then, so its core is free.
 */
const BUILD_THREADS = Number(process.env.KG_BULK_THREADS ?? 2);

/** A secondary index or trigger dropped for the load, to create again after it. */
interface SchemaObject {
  name: string;
  tableName: string;
  sql: string;
}

/**
 * Create a new SQLite file for a bulk load: the schema, the PRAGMAs of a
 * one-off load, secondary indexes (but those of `keepIndexesOf`) and triggers
 * dropped; returns what was dropped, to create again after the load.
 */
function openForLoad(
  path: string,
  options: { replace: boolean; cacheMiB: number; keepIndexesOf?: ReadonlySet<string> },
): { db: Database.Database; indexes: SchemaObject[]; triggers: SchemaObject[] } {
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
    db.pragma(`cache_size = -${options.cacheMiB * 1024}`);
    // Secondary indexes are built once, after the rows are in; triggers (kept counts) are recreated and recounted after.
    const indexes = (db.prepare("SELECT name, tbl_name AS tableName, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").all() as SchemaObject[]).filter(
      (index) => !options.keepIndexesOf?.has(index.tableName),
    );
    for (const index of indexes) db.exec(`DROP INDEX ${index.name}`);
    const triggers = db.prepare("SELECT name, tbl_name AS tableName, sql FROM sqlite_master WHERE type = 'trigger'").all() as SchemaObject[];
    for (const trigger of triggers) db.exec(`DROP TRIGGER ${trigger.name}`);
    return { db, indexes, triggers };
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Some tables of a bulk load, written by another thread (the generator's
 * worker) into a file of their own while `bulkLoadSqlite` writes the others:
 * SQLite has one writer per file, so a second file puts the second core to
 * work on inserts and on these tables' index builds. `bulkLoadSqlite` copies
 * them in at the end with `INSERT INTO t SELECT * FROM part.t`, which SQLite
 * runs as a transfer of whole records and index entries in order (its "xfer"
 * optimisation: the target is empty and indexed alike) instead of inserting
 * and indexing row by row. The rows, their rowids and order are those a
 * single writer would have given.
 * @example const part = new BulkLoadPart({ path: 'g.sqlite.part', tables: ['mentions'] }); part.write(batch); part.finish();
 */
export class BulkLoadPart {
  readonly #db: Database.Database;
  readonly #inserts: (readonly [TableKey, Database.Statement])[];
  readonly #indexes: SchemaObject[];
  readonly #rowsPerTransaction: number;
  #open = 0;

  constructor(
    readonly spec: BulkPartSpec,
    options: { cacheMiB?: number; rowsPerTransaction?: number } = {},
  ) {
    const { db, indexes } = openForLoad(spec.path, { replace: true, cacheMiB: options.cacheMiB ?? 512 });
    const tables = new Set(spec.tables.map((key) => BULK_TABLES[key].table));
    this.#db = db;
    this.#indexes = indexes.filter((index) => tables.has(index.tableName));
    this.#inserts = spec.tables.map((key) => [key, db.prepare(BULK_TABLES[key].sql)] as const);
    this.#rowsPerTransaction = options.rowsPerTransaction ?? 250_000;
    db.exec('BEGIN');
  }

  /** Insert this part's tables' rows of `batch`. */
  write(batch: BulkBatch): void {
    for (const [key, insert] of this.#inserts) {
      const list = batch.tables[key];
      const width = BULK_TABLES[key].width;
      for (let i = 0; i < list.length; i += width) insert.run(list.slice(i, i + width));
      this.#open += list.length / width;
    }
    if (this.#open >= this.#rowsPerTransaction) {
      this.#db.exec('COMMIT; BEGIN');
      this.#open = 0;
    }
  }

  /** Commit, build the tables' indexes, and close the file. */
  finish(): void {
    try {
      this.#db.exec('COMMIT');
      for (const index of this.#indexes) this.#db.exec(index.sql);
    } finally {
      this.#db.close();
    }
  }

  /** Close the file without finishing (after a failure). */
  abandon(): void {
    if (this.#db.open) this.#db.close();
  }
}

function isBulkBatch(batch: GraphData | BulkBatch): batch is BulkBatch {
  return 'tables' in batch;
}

/**
 * Write `batches` into a new SQLite database at `path`. Batches may be
 * `GraphData` (mapped here) or `BulkBatch`es mapped elsewhere (e.g. by a
 * worker thread), from a plain or an async iterable.
 */
export async function bulkLoadSqlite(
  path: string,
  batches: Iterable<GraphData | BulkBatch> | AsyncIterable<GraphData | BulkBatch>,
  options: BulkLoadOptions,
): Promise<BulkLoadResult> {
  const parts = options.parts ?? [];
  const partTables = new Set(parts.flatMap((p) => p.tables.map((key) => BULK_TABLES[key].table)));
  // The tables that parts fill keep their indexes: the copy brings their entries along.
  const { db, indexes, triggers } = openForLoad(path, { replace: options.replace ?? false, cacheMiB: options.cacheMiB ?? 1024, keepIndexesOf: partTables });
  try {
    const inserts = TABLE_KEYS.map((key) => [key, db.prepare(BULK_TABLES[key].sql)] as const);
    const counts: Record<string, number> = Object.fromEntries(TABLE_KEYS.map((k) => [k, 0]));
    const insertSubject = db.prepare('INSERT INTO search_subjects (subject_id, subject_type) VALUES (?, ?)');
    const insertText = db.prepare('INSERT INTO search_fts (rowid, name, body) VALUES (?, ?, ?)');
    const insertSentence = db.prepare('INSERT INTO sentences (document_id, ord, start_offset, end_offset) VALUES (?, ?, ?, ?)');
    let rows = 0;
    let documents = 0;
    const started = performance.now();
    const phases: Record<string, number> = { wait: 0, insert: 0 };
    let mark = started;
    /** Add the time since the last mark to \`phase\`. */
    const lap = (phase: string): void => {
      const now = performance.now();
      phases[phase] = (phases[phase] ?? 0) + (now - mark) / 1000;
      mark = now;
    };
    // A transaction is committed every `rowsPerTransaction` rows.
    const rowsPerTransaction = options.rowsPerTransaction ?? 250_000;
    let open = 0;
    db.exec('BEGIN');
    for await (const input of batches) {
      lap('wait');
      const batch = isBulkBatch(input) ? input : toBulkBatch(input);
      for (const [key, insert] of inserts) {
        const list = batch.tables[key];
        const width = BULK_TABLES[key].width;
        for (let i = 0; i < list.length; i += width) insert.run(list.slice(i, i + width));
        const n = list.length / width;
        counts[key]! += n;
        rows += n;
        open += n;
      }
      const search = batch.search;
      for (let i = 0; i < search.length; i += 4) {
        const { lastInsertRowid } = insertSubject.run(search[i], search[i + 1]);
        insertText.run(lastInsertRowid, search[i + 2], search[i + 3]);
      }
      const sentences = batch.sentences;
      for (let i = 0; i < sentences.length; i += 4) insertSentence.run(sentences.slice(i, i + 4));
      documents += batch.documents;
      if (open >= rowsPerTransaction) {
        db.exec('COMMIT; BEGIN');
        open = 0;
      }
      options.onBatch?.(rows, documents);
      lap('insert');
    }
    db.exec('COMMIT');
    lap('insert');
    const inserted = performance.now();
    options.onPhase?.('indexes');
    // The counts below rewrite every entity row: the entity indexes are built after them, the others
    // (which the counts read: mentions by entity, relationships by source and target) before.
    db.pragma(`threads = ${BUILD_THREADS}`);
    for (const index of indexes) if (index.tableName !== 'entities') db.exec(index.sql);
    lap('indexes');
    // The full-text index as one segment (FTS5 'optimize'; the load leaves ~15 at a million entities):
    // a common word's list is then read from one place (at 1M: ~1 ms less per search, for ~20 s here).
    db.exec("INSERT INTO search_fts (search_fts) VALUES ('optimize')");
    lap('searchIndex');
    if (parts.length > 0) {
      options.onPhase?.('copy');
      for (const part of parts) {
        await part.written;
        lap('waitPart');
        db.prepare('ATTACH ? AS part').run(part.path);
        db.exec('BEGIN');
        for (const key of part.tables) {
          const table = BULK_TABLES[key].table;
          const n = db.prepare(`INSERT INTO main.${table} SELECT * FROM part.${table}`).run().changes;
          counts[key]! += n;
          rows += n;
        }
        db.exec('COMMIT; DETACH part');
        for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(part.path + suffix, { force: true });
      }
      lap('copy');
    }
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
    lap('counts');
    options.onPhase?.('indexes');
    for (const index of indexes) if (index.tableName === 'entities') db.exec(index.sql);
    lap('entityIndexes');
    const upsert = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    upsert.run('seed_fingerprint', options.fingerprint);
    upsert.run('graph_version', '1');
    options.onPhase?.('analyze');
    db.pragma('analysis_limit = 1000');
    db.exec('ANALYZE');
    db.pragma('locking_mode = NORMAL');
    db.pragma('journal_mode = WAL');
    lap('analyze');
    return { rows, counts, insertSeconds: (inserted - started) / 1000, finishSeconds: (performance.now() - inserted) / 1000, phases };
  } finally {
    db.close();
    // Part files are scratch: gone after a failed load too (a worker still writing one keeps its open file until it stops).
    for (const part of parts) for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(part.path + suffix, { force: true });
  }
}
