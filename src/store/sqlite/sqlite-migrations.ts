/**
 * Versioned schema of the SQLite backend. Each migration runs once, in order,
 * inside a transaction; `PRAGMA user_version` records how far the database is.
 */
import type Database from 'better-sqlite3';

import { SchemaTooNewError } from '../schema-too-new-error.js';

/** The migrations, in order; migration i brings the database to version i + 1. */
export const SQLITE_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE documents (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, text TEXT NOT NULL, length INTEGER NOT NULL,
    url TEXT, published_on TEXT, publisher_id TEXT, content_hash TEXT NOT NULL, sort_key TEXT NOT NULL
  );
  CREATE TABLE entities (
    id TEXT PRIMARY KEY, type TEXT NOT NULL, kind TEXT, name TEXT NOT NULL, title TEXT,
    description TEXT NOT NULL, mention_count INTEGER NOT NULL DEFAULT 0, sort_key TEXT NOT NULL
  );
  CREATE INDEX entities_sort ON entities (sort_key, id);
  CREATE INDEX entities_type_sort ON entities (type, sort_key, id);
  CREATE INDEX entities_kind_sort ON entities (kind, sort_key, id);
  CREATE TABLE aliases (
    entity_id TEXT NOT NULL, name TEXT NOT NULL, norm TEXT NOT NULL, source TEXT NOT NULL, ord INTEGER NOT NULL,
    PRIMARY KEY (entity_id, ord)
  );
  CREATE INDEX aliases_norm ON aliases (norm);
  CREATE TABLE evidence (
    owner_id TEXT NOT NULL, ord INTEGER NOT NULL, document_id TEXT NOT NULL,
    start_offset INTEGER NOT NULL, end_offset INTEGER NOT NULL, exact TEXT NOT NULL, prefix TEXT NOT NULL, suffix TEXT NOT NULL,
    PRIMARY KEY (owner_id, ord)
  );
  CREATE TABLE mentions (
    id TEXT PRIMARY KEY, entity_id TEXT NOT NULL, document_id TEXT NOT NULL,
    start_offset INTEGER NOT NULL, end_offset INTEGER NOT NULL, exact TEXT NOT NULL, prefix TEXT NOT NULL, suffix TEXT NOT NULL,
    sort_key TEXT NOT NULL
  );
  CREATE INDEX mentions_entity ON mentions (entity_id, sort_key, id);
  CREATE INDEX mentions_document ON mentions (document_id, sort_key, id);
  CREATE TABLE events (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, description TEXT NOT NULL, place_id TEXT,
    date_text TEXT, year INTEGER, month INTEGER, day INTEGER, precision TEXT,
    date_inferred INTEGER NOT NULL DEFAULT 0, date_inferred_from TEXT, earliest TEXT, latest TEXT, sort_key TEXT NOT NULL
  );
  CREATE INDEX events_sort ON events (sort_key, id);
  CREATE TABLE event_participants (
    id TEXT PRIMARY KEY, event_id TEXT NOT NULL, entity_id TEXT NOT NULL, role TEXT NOT NULL, ord INTEGER NOT NULL
  );
  CREATE INDEX participants_event ON event_participants (event_id, ord);
  CREATE INDEX participants_entity ON event_participants (entity_id);
  CREATE TABLE statements (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, text TEXT NOT NULL, attribution TEXT NOT NULL, speaker_id TEXT NOT NULL,
    occasion_id TEXT, document_id TEXT NOT NULL, position INTEGER NOT NULL, sort_key TEXT NOT NULL
  );
  CREATE INDEX statements_sort ON statements (sort_key, id);
  CREATE INDEX statements_speaker ON statements (speaker_id, sort_key, id);
  CREATE INDEX statements_occasion ON statements (occasion_id);
  CREATE TABLE statement_subjects (
    statement_id TEXT NOT NULL, subject_id TEXT NOT NULL, ord INTEGER NOT NULL, PRIMARY KEY (statement_id, ord)
  );
  CREATE INDEX statement_subjects_subject ON statement_subjects (subject_id);
  CREATE TABLE relationships (
    id TEXT PRIMARY KEY, type TEXT NOT NULL, source_id TEXT NOT NULL, target_id TEXT NOT NULL, description TEXT NOT NULL,
    inferred INTEGER NOT NULL DEFAULT 0, inferred_from TEXT, sort_key TEXT NOT NULL
  );
  CREATE INDEX relationships_source ON relationships (source_id, sort_key);
  CREATE INDEX relationships_target ON relationships (target_id, sort_key);
  `,
];

export { SchemaTooNewError } from '../schema-too-new-error.js';

/** Bring the database to the newest schema version; refuses a newer one. */
export function migrateSqlite(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SQLITE_MIGRATIONS.length) throw new SchemaTooNewError(current, SQLITE_MIGRATIONS.length);
  for (let version = current; version < SQLITE_MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(SQLITE_MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
}
