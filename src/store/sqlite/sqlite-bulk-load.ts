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

import { sentenceSpans } from '../../graph/sentences.js';
import { searchIndexRows } from '../sql/search-index.js';
import { SORT_KEYS, TABLES } from '../sql/tables.js';
import { SEED_PROVENANCE, type GraphData } from '../types.js';
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
  /** Called after each batch with the rows and documents written so far. */
  onBatch?: (rowsSoFar: number, documentsSoFar: number) => void;
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

/**
 * Helper threads SQLite's sorter may use while building indexes (`PRAGMA
 * threads`): the generator's thread is done by then, so its core is free.
 */
const BUILD_THREADS = Number(process.env.KG_BULK_THREADS ?? 2);

type TableKey = keyof typeof TABLES;
const TABLE_KEYS = Object.keys(TABLES) as TableKey[];

/**
 * Rows ready to bind: per table, each row's values in the order of
 * `bulkColumns(table)`; the full-text index rows as `[subjectId, subjectType,
 * name, body]`; sentence spans as `[documentId, ord, start, end]`. Plain
 * arrays of strings and numbers, so a worker thread can post them.
 */
export interface BulkBatch {
  tables: Record<TableKey, unknown[][]>;
  search: [string, string, string, string][];
  sentences: [string, number, number, number][];
  /** Documents in the batch (for progress reports). */
  documents: number;
}

/**
 * The value every bulk-loaded row has in these fields: the rows are owned by
 * the build like the seed build's (`SEED_PROVENANCE`), not ingested, and entity
 * counts are filled in after the load. `GraphData` rows never carry them.
 */
const CONSTANT_FIELDS: Readonly<Record<string, string | number | null>> = {
  method: SEED_PROVENANCE.method,
  confidence: SEED_PROVENANCE.confidence,
  extractor: SEED_PROVENANCE.extractor,
  seed: SEED_PROVENANCE.seed ? 1 : 0,
  ingestedAt: null,
  mentionCount: 0,
  degree: 0,
};

function sqlLiteral(value: string | number | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') return String(value);
  return `'${value.replace(/'/g, "''")}'`;
}

/** How one table's rows are bound: the fields bound per row (bools as 0/1), in order, and the INSERT. */
interface BulkTable {
  fields: { field: string; bool: boolean }[];
  sortKey: ((row: Record<string, unknown>) => string) | undefined;
  sql: string;
}

const BULK_TABLES = Object.fromEntries(
  TABLE_KEYS.map((key) => {
    const spec = TABLES[key];
    const sortKey = SORT_KEYS[key];
    const names: string[] = [];
    const values: string[] = [];
    const fields: BulkTable['fields'] = [];
    for (const c of spec.columns) {
      names.push(c.name);
      if (Object.hasOwn(CONSTANT_FIELDS, c.field)) values.push(sqlLiteral(CONSTANT_FIELDS[c.field]!));
      else {
        values.push('?');
        fields.push({ field: c.field, bool: c.kind === 'bool' });
      }
    }
    if (sortKey) {
      names.push('sort_key');
      values.push('?');
    }
    const sql = `INSERT INTO ${spec.table} (${names.join(', ')}) VALUES (${values.join(', ')})`;
    return [key, { fields, sortKey, sql } satisfies BulkTable];
  }),
) as Record<TableKey, BulkTable>;

/** Map a `GraphData` batch to bound values, full-text index rows and sentence spans (pure: runs in a worker). */
export function toBulkBatch(data: GraphData): BulkBatch {
  const tables = {} as Record<TableKey, unknown[][]>;
  for (const key of TABLE_KEYS) {
    const { fields, sortKey } = BULK_TABLES[key];
    const n = fields.length;
    const out: unknown[][] = [];
    for (const row of data[key] as unknown as Record<string, unknown>[]) {
      const values: unknown[] = new Array(sortKey ? n + 1 : n);
      for (let i = 0; i < n; i++) {
        const { field, bool } = fields[i]!;
        const v = row[field];
        values[i] = bool ? (v ? 1 : 0) : (v ?? null);
      }
      if (sortKey) values[n] = sortKey(row);
      out.push(values);
    }
    tables[key] = out;
  }
  // The index reads names, descriptions and texts only, not provenance.
  const search = searchIndexRows(data as unknown as Parameters<typeof searchIndexRows>[0]).map(
    (r) => [r.subjectId, r.subjectType, r.name, r.body] as [string, string, string, string],
  );
  const sentences: BulkBatch['sentences'] = [];
  for (const doc of data.documents) for (const s of sentenceSpans(doc.text)) sentences.push([doc.id, s.ord, s.start, s.end]);
  return { tables, search, sentences, documents: data.documents.length };
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
    const indexes = db.prepare("SELECT name, tbl_name AS tableName, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").all() as {
      name: string;
      tableName: string;
      sql: string;
    }[];
    for (const index of indexes) db.exec(`DROP INDEX ${index.name}`);
    const triggers = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").all() as { name: string; sql: string }[];
    for (const trigger of triggers) db.exec(`DROP TRIGGER ${trigger.name}`);

    const inserts = TABLE_KEYS.map((key) => [key, db.prepare(BULK_TABLES[key].sql)] as const);
    const counts: Record<string, number> = Object.fromEntries(TABLE_KEYS.map((k) => [k, 0]));
    const insertSubject = db.prepare('INSERT INTO search_subjects (subject_id, subject_type) VALUES (?, ?)');
    const insertText = db.prepare('INSERT INTO search_fts (rowid, name, body) VALUES (?, ?, ?)');
    const insertSentence = db.prepare('INSERT INTO sentences (document_id, ord, start_offset, end_offset) VALUES (?, ?, ?, ?)');
    let rows = 0;
    let documents = 0;
    const started = performance.now();
    // A transaction is committed every `rowsPerTransaction` rows.
    const rowsPerTransaction = options.rowsPerTransaction ?? 250_000;
    let open = 0;
    db.exec('BEGIN');
    for await (const input of batches) {
      const batch = isBulkBatch(input) ? input : toBulkBatch(input);
      for (const [key, insert] of inserts) {
        const list = batch.tables[key];
        for (let i = 0; i < list.length; i++) insert.run(list[i]);
        counts[key]! += list.length;
        rows += list.length;
        open += list.length;
      }
      for (const [subjectId, subjectType, name, body] of batch.search) {
        const { lastInsertRowid } = insertSubject.run(subjectId, subjectType);
        insertText.run(lastInsertRowid, name, body);
      }
      for (const s of batch.sentences) insertSentence.run(s);
      documents += batch.documents;
      if (open >= rowsPerTransaction) {
        db.exec('COMMIT; BEGIN');
        open = 0;
      }
      options.onBatch?.(rows, documents);
    }
    db.exec('COMMIT');
    const inserted = performance.now();
    options.onPhase?.('indexes');
    // The counts below rewrite every entity row: the entity indexes are built after them, the others
    // (which the counts read: mentions by entity, relationships by source and target) before.
    db.pragma(`threads = ${BUILD_THREADS}`);
    for (const index of indexes) if (index.tableName !== 'entities') db.exec(index.sql);
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
    options.onPhase?.('indexes');
    for (const index of indexes) if (index.tableName === 'entities') db.exec(index.sql);
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
