/**
 * Derived data the SQLite writer keeps beside the graph rows: the full-text
 * index, sentence spans and entity counts. Each function updates only the
 * subjects, documents or entities it is given, so a writer that changes one
 * document (ingest) calls them with what it wrote, inside its transaction;
 * `replaceGraph` calls them for everything.
 */
import type Database from 'better-sqlite3';

import { sentenceSpans } from '../../graph/sentences.js';
import type { SearchIndexRow } from '../analyst-types.js';
import { recountDegreesSql, recountMentionsSql } from '../sql/analyst-sql.js';
import { RECOUNT_ALL_LINKED_SQL, recountLinkedSql } from '../sql/entity-counts-sql.js';
import { RECOUNT_EVENT_PERIODS_SQL } from '../sql/event-periods-sql.js';
import { REBUILD_ENTITY_ADJACENCY_SQL } from '../sql/kept-adjacency-sql.js';
import { searchIndexRows } from '../sql/search-index.js';
import { fromSqlRow, TABLES, type TableSpec } from '../sql/tables.js';
import type { AliasRow, DocumentRow, EntityRow, EventRow, StatementRow } from '../types.js';

/** SQLite's limit on bound parameters is 32766; stay well below it per statement. */
const CHUNK = 900;

/** Empty the full-text index and the sentence table (before a whole-graph write). */
export function clearDerived(db: Database.Database): void {
  db.prepare('DELETE FROM search_subjects').run();
  db.prepare("INSERT INTO search_fts (search_fts) VALUES ('delete-all')").run();
  db.prepare('DELETE FROM sentences').run();
}

/** Remove the index rows of these subjects (entities, events, statements, documents). */
export function unindexSubjects(db: Database.Database, subjectIds: readonly string[]): void {
  const find = db.prepare('SELECT rowid AS r FROM search_subjects WHERE subject_id = ?');
  const deleteText = db.prepare('DELETE FROM search_fts WHERE rowid = ?');
  const deleteSubject = db.prepare('DELETE FROM search_subjects WHERE rowid = ?');
  for (const id of subjectIds) {
    const row = find.get(id) as { r: number } | undefined;
    if (!row) continue;
    deleteText.run(row.r);
    deleteSubject.run(row.r);
  }
}

/** Index (or re-index) subjects: each row replaces the subject's previous row. */
export function indexSubjects(db: Database.Database, rows: readonly SearchIndexRow[]): void {
  unindexSubjects(db, rows.map((r) => r.subjectId));
  const insertSubject = db.prepare('INSERT INTO search_subjects (subject_id, subject_type) VALUES (?, ?)');
  const insertText = db.prepare('INSERT INTO search_fts (rowid, name, body) VALUES (?, ?, ?)');
  for (const row of rows) {
    const { lastInsertRowid } = insertSubject.run(row.subjectId, row.subjectType);
    insertText.run(lastInsertRowid, row.name, row.body);
  }
}

/** (Re)write the sentence spans of these documents. */
export function writeSentences(db: Database.Database, documents: readonly Pick<DocumentRow, 'id' | 'text'>[]): void {
  const remove = db.prepare('DELETE FROM sentences WHERE document_id = ?');
  const insert = db.prepare('INSERT INTO sentences (document_id, ord, start_offset, end_offset) VALUES (?, ?, ?, ?)');
  for (const doc of documents) {
    remove.run(doc.id);
    for (const s of sentenceSpans(doc.text)) insert.run(doc.id, s.ord, s.start, s.end);
  }
}

/**
 * Recount the kept counts of these entities (degree, mentions, statements
 * about it, events) from the rows in the database.
 */
export function recountEntities(db: Database.Database, entityIds: readonly string[]): void {
  const unique = [...new Set(entityIds)];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const chunk = unique.slice(i, i + CHUNK);
    for (const statement of [recountDegreesSql(chunk), recountMentionsSql(chunk), recountLinkedSql(chunk)]) {
      db.prepare(statement.sql).run(...(statement.params as unknown[]));
    }
  }
}

/**
 * Recount every entity's statements-about and event counts in one pass over
 * the link tables, and the event counts per period, and rebuild the kept
 * adjacency (after the mention counts it ranks by): for a bulk load, which
 * drops the triggers that keep them (sqlite-bulk-load.ts, its "counts" phase).
 */
export function recountKeptCounts(db: Database.Database): void {
  for (const sql of [...RECOUNT_ALL_LINKED_SQL, ...RECOUNT_EVENT_PERIODS_SQL, ...REBUILD_ENTITY_ADJACENCY_SQL]) db.prepare(sql).run();
}

/**
 * Bring the derived data up to date with every change since the last call:
 * triggers (migration 4) record changed subjects, entities whose counts may
 * have changed, and documents whose text changed, in the `dirty` table. Call
 * it at the end of each write transaction; it empties `dirty`.
 */
export function syncDerived(db: Database.Database): void {
  const dirty = db.prepare('SELECT kind, id FROM dirty').all() as { kind: string; id: string }[];
  if (dirty.length === 0) return;
  const ids = (kind: string): string[] => dirty.filter((d) => d.kind === kind).map((d) => d.id);
  const subjects = ids('subject');
  const rowsIn = <T>(spec: TableSpec, column: string, keys: readonly string[]): T[] => {
    const out: T[] = [];
    for (let i = 0; i < keys.length; i += CHUNK) {
      const chunk = keys.slice(i, i + CHUNK);
      const sql = `SELECT * FROM ${spec.table} WHERE ${column} IN (${chunk.map(() => '?').join(', ')})`;
      for (const row of db.prepare(sql).all(...chunk) as Record<string, unknown>[]) out.push(fromSqlRow<T>(spec, row));
    }
    return out;
  };
  if (subjects.length > 0) {
    unindexSubjects(db, subjects);
    const entities = rowsIn<EntityRow>(TABLES.entities, 'id', subjects);
    indexSubjects(
      db,
      searchIndexRows({
        entities,
        aliases: rowsIn<AliasRow>(TABLES.aliases, 'entity_id', entities.map((e) => e.id)),
        events: rowsIn<EventRow>(TABLES.events, 'id', subjects),
        statements: rowsIn<StatementRow>(TABLES.statements, 'id', subjects),
        documents: rowsIn<DocumentRow>(TABLES.documents, 'id', subjects),
      }),
    );
  }
  const documents = ids('document');
  if (documents.length > 0) {
    const present = rowsIn<DocumentRow>(TABLES.documents, 'id', documents);
    const remove = db.prepare('DELETE FROM sentences WHERE document_id = ?');
    for (const id of documents) remove.run(id);
    writeSentences(db, present);
  }
  recountEntities(db, ids('entity'));
  db.prepare('DELETE FROM dirty').run();
}
