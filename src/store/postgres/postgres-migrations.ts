/**
 * Versioned schema of the PostgreSQL backend. Migrations run at start, in one
 * transaction under an advisory lock, so that several instances starting at
 * once on an empty database migrate it exactly once; `schema_migrations`
 * records which versions were applied. APPEND new migrations; never edit one
 * that has shipped.
 *
 * Text columns that are compared or sorted use the "C" collation: lists sort
 * by code point, as on SQLite, whatever the database's default locale, so
 * both backends return the same order and the same cursors.
 */
import type pg from 'pg';

import { SchemaTooNewError } from '../schema-too-new-error.js';
import { inTransaction, type PgQueryable } from './postgres-pool.js';

/** One schema change. */
export interface PostgresMigration {
  /** 1, 2, 3…: migration `version` brings the database to that version. */
  version: number;
  /** What it does, recorded in `schema_migrations`. */
  description: string;
  sql: string;
}

/**
 * Advisory lock keys of this application (`pg_advisory_xact_lock(ns, key)`):
 * the namespace is "kg" in ASCII, so that other applications on the same
 * server are unlikely to collide.
 */
export const ADVISORY_LOCK = {
  namespace: 0x6b67,
  /** Held while migrating. */
  migrate: 1,
  /** Held while writing the graph, so that writers queue instead of interleaving. */
  writeGraph: 2,
} as const;

/** The migrations, in order. */
export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    description: 'graph tables',
    sql: `
  CREATE TABLE meta (key TEXT COLLATE "C" PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE documents (
    id TEXT COLLATE "C" PRIMARY KEY, title TEXT NOT NULL, text TEXT NOT NULL, length INTEGER NOT NULL,
    url TEXT, published_on TEXT COLLATE "C", publisher_id TEXT COLLATE "C", content_hash TEXT NOT NULL,
    sort_key TEXT COLLATE "C" NOT NULL
  );
  CREATE TABLE entities (
    id TEXT COLLATE "C" PRIMARY KEY, type TEXT COLLATE "C" NOT NULL, kind TEXT COLLATE "C", name TEXT NOT NULL, title TEXT,
    description TEXT NOT NULL, mention_count INTEGER NOT NULL DEFAULT 0, sort_key TEXT COLLATE "C" NOT NULL
  );
  CREATE INDEX entities_sort ON entities (sort_key, id);
  CREATE INDEX entities_type_sort ON entities (type, sort_key, id);
  CREATE INDEX entities_kind_sort ON entities (kind, sort_key, id);
  CREATE TABLE aliases (
    entity_id TEXT COLLATE "C" NOT NULL, name TEXT NOT NULL, norm TEXT COLLATE "C" NOT NULL,
    source TEXT COLLATE "C" NOT NULL, ord INTEGER NOT NULL,
    PRIMARY KEY (entity_id, ord)
  );
  CREATE INDEX aliases_norm ON aliases (norm);
  CREATE TABLE evidence (
    owner_id TEXT COLLATE "C" NOT NULL, ord INTEGER NOT NULL, document_id TEXT COLLATE "C" NOT NULL,
    start_offset INTEGER NOT NULL, end_offset INTEGER NOT NULL, exact TEXT NOT NULL, prefix TEXT NOT NULL, suffix TEXT NOT NULL,
    PRIMARY KEY (owner_id, ord)
  );
  CREATE TABLE mentions (
    id TEXT COLLATE "C" PRIMARY KEY, entity_id TEXT COLLATE "C" NOT NULL, document_id TEXT COLLATE "C" NOT NULL,
    start_offset INTEGER NOT NULL, end_offset INTEGER NOT NULL, exact TEXT NOT NULL, prefix TEXT NOT NULL, suffix TEXT NOT NULL,
    sort_key TEXT COLLATE "C" NOT NULL
  );
  CREATE INDEX mentions_entity ON mentions (entity_id, sort_key, id);
  CREATE INDEX mentions_document ON mentions (document_id, sort_key, id);
  CREATE TABLE events (
    id TEXT COLLATE "C" PRIMARY KEY, name TEXT NOT NULL, kind TEXT COLLATE "C" NOT NULL, description TEXT NOT NULL,
    place_id TEXT COLLATE "C", date_text TEXT, year INTEGER, month INTEGER, day INTEGER, precision TEXT COLLATE "C",
    date_inferred BOOLEAN NOT NULL DEFAULT false, date_inferred_from TEXT,
    earliest TEXT COLLATE "C", latest TEXT COLLATE "C", sort_key TEXT COLLATE "C" NOT NULL
  );
  CREATE INDEX events_sort ON events (sort_key, id);
  CREATE TABLE event_participants (
    id TEXT COLLATE "C" PRIMARY KEY, event_id TEXT COLLATE "C" NOT NULL, entity_id TEXT COLLATE "C" NOT NULL,
    role TEXT COLLATE "C" NOT NULL, ord INTEGER NOT NULL
  );
  CREATE INDEX participants_event ON event_participants (event_id, ord);
  CREATE INDEX participants_entity ON event_participants (entity_id);
  CREATE TABLE statements (
    id TEXT COLLATE "C" PRIMARY KEY, kind TEXT COLLATE "C" NOT NULL, text TEXT NOT NULL, attribution TEXT COLLATE "C" NOT NULL,
    speaker_id TEXT COLLATE "C" NOT NULL, occasion_id TEXT COLLATE "C", document_id TEXT COLLATE "C" NOT NULL,
    position INTEGER NOT NULL, sort_key TEXT COLLATE "C" NOT NULL
  );
  CREATE INDEX statements_sort ON statements (sort_key, id);
  CREATE INDEX statements_speaker ON statements (speaker_id, sort_key, id);
  CREATE INDEX statements_occasion ON statements (occasion_id);
  CREATE TABLE statement_subjects (
    statement_id TEXT COLLATE "C" NOT NULL, subject_id TEXT COLLATE "C" NOT NULL, ord INTEGER NOT NULL,
    PRIMARY KEY (statement_id, ord)
  );
  CREATE INDEX statement_subjects_subject ON statement_subjects (subject_id);
  CREATE TABLE relationships (
    id TEXT COLLATE "C" PRIMARY KEY, type TEXT COLLATE "C" NOT NULL, source_id TEXT COLLATE "C" NOT NULL,
    target_id TEXT COLLATE "C" NOT NULL, description TEXT NOT NULL,
    inferred BOOLEAN NOT NULL DEFAULT false, inferred_from TEXT, sort_key TEXT COLLATE "C" NOT NULL
  );
  CREATE INDEX relationships_source ON relationships (source_id, sort_key);
  CREATE INDEX relationships_target ON relationships (target_id, sort_key);
  `,
  },
];

/** The newest schema version this code knows. */
export const POSTGRES_SCHEMA_VERSION = POSTGRES_MIGRATIONS.length;

/** What `migratePostgres` did. */
export interface MigrationResult {
  /** Schema version found. */
  from: number;
  /** Schema version now. */
  to: number;
}

/**
 * Bring the database to the newest schema version, in one transaction under
 * an advisory lock: a second instance starting at the same moment waits, then
 * finds the work done. Refuses a database migrated by newer code.
 * @throws SchemaTooNewError when the database's version is newer than `migrations` knows.
 */
export async function migratePostgres(
  pool: pg.Pool,
  migrations: readonly PostgresMigration[] = POSTGRES_MIGRATIONS,
): Promise<MigrationResult> {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`PostgreSQL migration ${i} has version ${m.version}; expected ${i + 1}.`);
  });
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1, $2)', [ADVISORY_LOCK.namespace, ADVISORY_LOCK.migrate]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, ' +
        'applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
    );
    const from = await schemaVersion(client);
    if (from > migrations.length) throw new SchemaTooNewError(from, migrations.length);
    for (const migration of migrations.slice(from)) {
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, description) VALUES ($1, $2)', [
        migration.version,
        migration.description,
      ]);
    }
    return { from, to: migrations.length };
  });
}

/** The highest applied migration, 0 for an empty database. */
export async function schemaVersion(client: PgQueryable): Promise<number> {
  const { rows } = await client.query('SELECT COALESCE(MAX(version), 0) AS version FROM schema_migrations');
  return Number(rows[0]!.version);
}
