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
import { RECOUNT_ALL_LINKED_SQL } from '../sql/entity-counts-sql.js';
import { EVENT_PERIOD_COUNTS_TABLE, eventPeriodKey, RECOUNT_EVENT_PERIODS_SQL } from '../sql/event-periods-sql.js';
import { entityAdjacencyTable, keptAdjacencyUpkeep, linkRankSql, REBUILD_ENTITY_ADJACENCY_SQL } from '../sql/kept-adjacency-sql.js';
import { inTransaction, type PgQueryable } from './postgres-pool.js';

const K = keptAdjacencyUpkeep((select) => `INSERT INTO entity_adjacency (entity_id, rank, neighbour_id, link_type, link_id, outgoing, label) ${select} ON CONFLICT DO NOTHING`);

/** A trigger function that unlinks the OLD row (updates and deletes) and links the NEW one (inserts and updates). */
const upkeep = (name: string, unlink: string, link: string): string => `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
      ${unlink};
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
      ${link};
    END IF;
    RETURN NULL;
  END $$;`;

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
  {
    version: 2,
    description: 'ingest and curation: provenance, nullable speakers, dates, redirects, rejected names, audit log',
    // As SQLite's migration 2. Flags are integers (0/1) on both backends, so that
    // the shared writer's SQL (seed = 0, SUM(date_inferred)) means the same on each.
    sql: `
  ALTER TABLE events ALTER COLUMN date_inferred DROP DEFAULT;
  ALTER TABLE events ALTER COLUMN date_inferred TYPE INTEGER USING date_inferred::int;
  ALTER TABLE events ALTER COLUMN date_inferred SET DEFAULT 0;
  ALTER TABLE relationships ALTER COLUMN inferred DROP DEFAULT;
  ALTER TABLE relationships ALTER COLUMN inferred TYPE INTEGER USING inferred::int;
  ALTER TABLE relationships ALTER COLUMN inferred SET DEFAULT 0;

  ALTER TABLE documents ADD COLUMN seed INTEGER NOT NULL DEFAULT 1;
  ALTER TABLE documents ADD COLUMN extractor TEXT;
  ALTER TABLE documents ADD COLUMN ingested_at TEXT COLLATE "C";
  CREATE INDEX documents_content_hash ON documents (content_hash);

  ALTER TABLE entities ADD COLUMN method TEXT COLLATE "C" NOT NULL DEFAULT 'CURATED';
  ALTER TABLE entities ADD COLUMN confidence DOUBLE PRECISION NOT NULL DEFAULT 1;
  ALTER TABLE entities ADD COLUMN extractor TEXT;
  ALTER TABLE entities ADD COLUMN seed INTEGER NOT NULL DEFAULT 1;
  CREATE INDEX entities_method_sort ON entities (method, sort_key, id);

  ALTER TABLE aliases ADD COLUMN seed INTEGER NOT NULL DEFAULT 1;
  ALTER TABLE evidence ADD COLUMN seed INTEGER NOT NULL DEFAULT 1;
  CREATE INDEX evidence_document ON evidence (document_id);
  ALTER TABLE events ADD COLUMN seed INTEGER NOT NULL DEFAULT 1;
  ALTER TABLE event_participants ADD COLUMN seed INTEGER NOT NULL DEFAULT 1;
  ALTER TABLE statement_subjects ADD COLUMN seed INTEGER NOT NULL DEFAULT 1;

  ALTER TABLE mentions ADD COLUMN method TEXT COLLATE "C" NOT NULL DEFAULT 'CURATED';
  ALTER TABLE mentions ADD COLUMN confidence DOUBLE PRECISION NOT NULL DEFAULT 1;
  ALTER TABLE mentions ADD COLUMN extractor TEXT;
  ALTER TABLE mentions ADD COLUMN seed INTEGER NOT NULL DEFAULT 1;

  ALTER TABLE relationships ADD COLUMN method TEXT COLLATE "C" NOT NULL DEFAULT 'CURATED';
  ALTER TABLE relationships ADD COLUMN confidence DOUBLE PRECISION NOT NULL DEFAULT 1;
  ALTER TABLE relationships ADD COLUMN extractor TEXT;
  ALTER TABLE relationships ADD COLUMN seed INTEGER NOT NULL DEFAULT 1;

  ALTER TABLE statements ALTER COLUMN speaker_id DROP NOT NULL;
  ALTER TABLE statements ADD COLUMN method TEXT COLLATE "C" NOT NULL DEFAULT 'CURATED';
  ALTER TABLE statements ADD COLUMN confidence DOUBLE PRECISION NOT NULL DEFAULT 1;
  ALTER TABLE statements ADD COLUMN extractor TEXT;
  ALTER TABLE statements ADD COLUMN seed INTEGER NOT NULL DEFAULT 1;
  CREATE INDEX statements_document ON statements (document_id, sort_key, id);

  CREATE TABLE date_mentions (
    id TEXT COLLATE "C" PRIMARY KEY, document_id TEXT COLLATE "C" NOT NULL,
    start_offset INTEGER NOT NULL, end_offset INTEGER NOT NULL, exact TEXT NOT NULL, prefix TEXT NOT NULL, suffix TEXT NOT NULL,
    date_text TEXT NOT NULL, year INTEGER NOT NULL, month INTEGER, day INTEGER, precision TEXT COLLATE "C" NOT NULL,
    date_inferred INTEGER NOT NULL DEFAULT 0, date_inferred_from TEXT, earliest TEXT COLLATE "C" NOT NULL, latest TEXT COLLATE "C" NOT NULL,
    method TEXT COLLATE "C" NOT NULL, confidence DOUBLE PRECISION NOT NULL, extractor TEXT, seed INTEGER NOT NULL DEFAULT 0,
    sort_key TEXT COLLATE "C" NOT NULL
  );
  CREATE INDEX date_mentions_document ON date_mentions (document_id, sort_key, id);

  CREATE TABLE entity_redirects (from_id TEXT COLLATE "C" PRIMARY KEY, to_id TEXT COLLATE "C" NOT NULL);
  CREATE INDEX entity_redirects_to ON entity_redirects (to_id);

  CREATE TABLE rejected_names (norm TEXT COLLATE "C" PRIMARY KEY, name TEXT NOT NULL, actor TEXT NOT NULL, at TEXT NOT NULL);

  CREATE TABLE audit_log (
    id TEXT COLLATE "C" PRIMARY KEY, seq INTEGER NOT NULL UNIQUE, at TEXT COLLATE "C" NOT NULL, actor TEXT COLLATE "C" NOT NULL,
    action TEXT COLLATE "C" NOT NULL, subject_id TEXT COLLATE "C" NOT NULL, before TEXT, after TEXT, sort_key TEXT COLLATE "C" NOT NULL
  );
  CREATE INDEX audit_log_subject ON audit_log (subject_id, sort_key, id);
  CREATE INDEX audit_log_actor ON audit_log (actor, sort_key, id);
  `,
  },
  {
    version: 3,
    description: 'analyst queries: entity degree and orders, full-text index (tsvector), sentences, indexes',
    // As SQLite's migration 3, with a tsvector column in place of FTS5: the
    // application cuts and folds the words (src/graph/search-terms.ts) and
    // writes the vector, weight A for names and B for text, so both backends
    // match the same words. Forgetting the seed fingerprint makes the next
    // start rebuild the graph, which fills the new tables.
    sql: `
  ALTER TABLE entities ADD COLUMN degree INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX entities_mentions_order ON entities (mention_count DESC, sort_key, id);
  CREATE INDEX entities_degree_order ON entities (degree DESC, sort_key, id);
  CREATE INDEX events_period ON events (year, month, precision);
  CREATE INDEX statements_kind ON statements (kind, sort_key, id);
  CREATE INDEX participants_event_entity ON event_participants (event_id, entity_id);
  CREATE INDEX relationships_sort ON relationships (sort_key, id);
  CREATE INDEX mentions_sort ON mentions (sort_key, id);
  CREATE INDEX documents_sort ON documents (sort_key, id);
  CREATE TABLE search_index (
    subject_id TEXT COLLATE "C" PRIMARY KEY, subject_type TEXT COLLATE "C" NOT NULL, tsv tsvector NOT NULL
  );
  CREATE INDEX search_index_tsv ON search_index USING GIN (tsv);
  CREATE INDEX search_index_type ON search_index (subject_type);
  CREATE TABLE sentences (
    document_id TEXT COLLATE "C" NOT NULL, ord INTEGER NOT NULL, start_offset INTEGER NOT NULL, end_offset INTEGER NOT NULL,
    PRIMARY KEY (document_id, ord)
  );
  CREATE INDEX sentences_start ON sentences (document_id, start_offset);
  DELETE FROM meta WHERE key = 'seed_fingerprint';
  `,
  },
  {
    version: 4,
    description: 'derived-data upkeep: triggers record what each write changed in dirty',
    // As SQLite's migration 4: `syncDerived` (postgres-derived.ts) applies and
    // empties `dirty` at the end of every write transaction, whatever code path wrote.
    sql: `
  CREATE TABLE dirty (kind TEXT COLLATE "C" NOT NULL, id TEXT COLLATE "C" NOT NULL, PRIMARY KEY (kind, id));
  CREATE FUNCTION dirty_entities() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'INSERT' THEN
      INSERT INTO dirty (kind, id) VALUES ('subject', NEW.id), ('entity', NEW.id) ON CONFLICT DO NOTHING;
    ELSIF TG_OP = 'UPDATE' THEN
      INSERT INTO dirty (kind, id) VALUES ('subject', NEW.id) ON CONFLICT DO NOTHING;
    ELSE
      INSERT INTO dirty (kind, id) VALUES ('subject', OLD.id) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
  END $$;
  CREATE TRIGGER dirty_entities_insert AFTER INSERT ON entities FOR EACH ROW EXECUTE FUNCTION dirty_entities();
  CREATE TRIGGER dirty_entities_update AFTER UPDATE OF name, title, description, type, kind ON entities FOR EACH ROW EXECUTE FUNCTION dirty_entities();
  CREATE TRIGGER dirty_entities_delete AFTER DELETE ON entities FOR EACH ROW EXECUTE FUNCTION dirty_entities();
  CREATE FUNCTION dirty_aliases() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'INSERT' THEN
      INSERT INTO dirty (kind, id) VALUES ('subject', NEW.entity_id) ON CONFLICT DO NOTHING;
    ELSIF TG_OP = 'UPDATE' THEN
      INSERT INTO dirty (kind, id) VALUES ('subject', OLD.entity_id), ('subject', NEW.entity_id) ON CONFLICT DO NOTHING;
    ELSE
      INSERT INTO dirty (kind, id) VALUES ('subject', OLD.entity_id) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
  END $$;
  CREATE TRIGGER dirty_aliases_insert AFTER INSERT ON aliases FOR EACH ROW EXECUTE FUNCTION dirty_aliases();
  CREATE TRIGGER dirty_aliases_update AFTER UPDATE ON aliases FOR EACH ROW EXECUTE FUNCTION dirty_aliases();
  CREATE TRIGGER dirty_aliases_delete AFTER DELETE ON aliases FOR EACH ROW EXECUTE FUNCTION dirty_aliases();
  CREATE FUNCTION dirty_events() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'INSERT' THEN
      INSERT INTO dirty (kind, id) VALUES ('subject', NEW.id) ON CONFLICT DO NOTHING;
    ELSIF TG_OP = 'UPDATE' THEN
      INSERT INTO dirty (kind, id) VALUES ('subject', NEW.id) ON CONFLICT DO NOTHING;
    ELSE
      INSERT INTO dirty (kind, id) VALUES ('subject', OLD.id) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
  END $$;
  CREATE TRIGGER dirty_events_insert AFTER INSERT ON events FOR EACH ROW EXECUTE FUNCTION dirty_events();
  CREATE TRIGGER dirty_events_update AFTER UPDATE ON events FOR EACH ROW EXECUTE FUNCTION dirty_events();
  CREATE TRIGGER dirty_events_delete AFTER DELETE ON events FOR EACH ROW EXECUTE FUNCTION dirty_events();
  CREATE FUNCTION dirty_statements() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'INSERT' THEN
      INSERT INTO dirty (kind, id) VALUES ('subject', NEW.id) ON CONFLICT DO NOTHING;
    ELSIF TG_OP = 'UPDATE' THEN
      INSERT INTO dirty (kind, id) VALUES ('subject', NEW.id) ON CONFLICT DO NOTHING;
    ELSE
      INSERT INTO dirty (kind, id) VALUES ('subject', OLD.id) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
  END $$;
  CREATE TRIGGER dirty_statements_insert AFTER INSERT ON statements FOR EACH ROW EXECUTE FUNCTION dirty_statements();
  CREATE TRIGGER dirty_statements_update AFTER UPDATE OF text ON statements FOR EACH ROW EXECUTE FUNCTION dirty_statements();
  CREATE TRIGGER dirty_statements_delete AFTER DELETE ON statements FOR EACH ROW EXECUTE FUNCTION dirty_statements();
  CREATE FUNCTION dirty_documents() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'INSERT' THEN
      INSERT INTO dirty (kind, id) VALUES ('subject', NEW.id), ('document', NEW.id) ON CONFLICT DO NOTHING;
    ELSIF TG_OP = 'UPDATE' THEN
      INSERT INTO dirty (kind, id) VALUES ('subject', NEW.id), ('document', NEW.id) ON CONFLICT DO NOTHING;
    ELSE
      INSERT INTO dirty (kind, id) VALUES ('subject', OLD.id), ('document', OLD.id) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
  END $$;
  CREATE TRIGGER dirty_documents_insert AFTER INSERT ON documents FOR EACH ROW EXECUTE FUNCTION dirty_documents();
  CREATE TRIGGER dirty_documents_update AFTER UPDATE OF title, text ON documents FOR EACH ROW EXECUTE FUNCTION dirty_documents();
  CREATE TRIGGER dirty_documents_delete AFTER DELETE ON documents FOR EACH ROW EXECUTE FUNCTION dirty_documents();
  CREATE FUNCTION dirty_relationships() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'INSERT' THEN
      INSERT INTO dirty (kind, id) VALUES ('entity', NEW.source_id), ('entity', NEW.target_id) ON CONFLICT DO NOTHING;
    ELSIF TG_OP = 'UPDATE' THEN
      INSERT INTO dirty (kind, id) VALUES ('entity', OLD.source_id), ('entity', OLD.target_id), ('entity', NEW.source_id), ('entity', NEW.target_id) ON CONFLICT DO NOTHING;
    ELSE
      INSERT INTO dirty (kind, id) VALUES ('entity', OLD.source_id), ('entity', OLD.target_id) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
  END $$;
  CREATE TRIGGER dirty_relationships_insert AFTER INSERT ON relationships FOR EACH ROW EXECUTE FUNCTION dirty_relationships();
  CREATE TRIGGER dirty_relationships_update AFTER UPDATE OF source_id, target_id ON relationships FOR EACH ROW EXECUTE FUNCTION dirty_relationships();
  CREATE TRIGGER dirty_relationships_delete AFTER DELETE ON relationships FOR EACH ROW EXECUTE FUNCTION dirty_relationships();
  CREATE FUNCTION dirty_mentions() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'INSERT' THEN
      INSERT INTO dirty (kind, id) VALUES ('entity', NEW.entity_id) ON CONFLICT DO NOTHING;
    ELSIF TG_OP = 'UPDATE' THEN
      INSERT INTO dirty (kind, id) VALUES ('entity', OLD.entity_id), ('entity', NEW.entity_id) ON CONFLICT DO NOTHING;
    ELSE
      INSERT INTO dirty (kind, id) VALUES ('entity', OLD.entity_id) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
  END $$;
  CREATE TRIGGER dirty_mentions_insert AFTER INSERT ON mentions FOR EACH ROW EXECUTE FUNCTION dirty_mentions();
  CREATE TRIGGER dirty_mentions_update AFTER UPDATE OF entity_id ON mentions FOR EACH ROW EXECUTE FUNCTION dirty_mentions();
  CREATE TRIGGER dirty_mentions_delete AFTER DELETE ON mentions FOR EACH ROW EXECUTE FUNCTION dirty_mentions();
  DELETE FROM meta WHERE key = 'seed_fingerprint';
  `,
  },
  {
    version: 5,
    description: 'adjacency (paths, neighbourhoods) from covering indexes',
    // As SQLite's migration 7: every column an adjacency row needs is in the
    // index, so that expanding around hubs can be an index-only scan.
    sql: `
  CREATE INDEX relationships_source_adjacency ON relationships (source_id, target_id, type, id);
  CREATE INDEX relationships_target_adjacency ON relationships (target_id, source_id, type, id);
  CREATE INDEX statements_speaker_adjacency ON statements (speaker_id, id, kind);
  CREATE INDEX statements_adjacency ON statements (id, speaker_id, kind);
  DROP INDEX statement_subjects_subject;
  CREATE INDEX statement_subjects_subject ON statement_subjects (subject_id, statement_id);
  CREATE INDEX statement_subjects_adjacency ON statement_subjects (statement_id, subject_id);
  DROP INDEX participants_entity;
  CREATE INDEX participants_entity ON event_participants (entity_id, event_id);
  CREATE INDEX events_adjacency ON events (id, kind);
  CREATE INDEX entities_mentions_by_id ON entities (id, mention_count, degree);
  `,
  },
  {
    version: 6,
    description: 'kept per-entity counts of statements about it and of its events; kept event counts per period',
    // As SQLite's migration 8 (entity-counts-sql.ts): triggers mark in dirty the
    // entities whose links changed (a link row, or the statement or event it
    // points to); syncDerived recounts them in the write's transaction. Event
    // counts per period (event-periods-sql.ts) are added and subtracted by a trigger.
    sql: `
  ALTER TABLE entities ADD COLUMN statements_about_count INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE entities ADD COLUMN event_count INTEGER NOT NULL DEFAULT 0;
  CREATE FUNCTION dirty_statement_subjects() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'INSERT' THEN
      INSERT INTO dirty (kind, id) VALUES ('entity', NEW.subject_id) ON CONFLICT DO NOTHING;
    ELSIF TG_OP = 'UPDATE' THEN
      INSERT INTO dirty (kind, id) VALUES ('entity', OLD.subject_id), ('entity', NEW.subject_id) ON CONFLICT DO NOTHING;
    ELSE
      INSERT INTO dirty (kind, id) VALUES ('entity', OLD.subject_id) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
  END $$;
  CREATE TRIGGER dirty_statement_subjects_insert AFTER INSERT ON statement_subjects FOR EACH ROW EXECUTE FUNCTION dirty_statement_subjects();
  CREATE TRIGGER dirty_statement_subjects_update AFTER UPDATE OF statement_id, subject_id ON statement_subjects FOR EACH ROW EXECUTE FUNCTION dirty_statement_subjects();
  CREATE TRIGGER dirty_statement_subjects_delete AFTER DELETE ON statement_subjects FOR EACH ROW EXECUTE FUNCTION dirty_statement_subjects();
  CREATE FUNCTION dirty_statements_subjects() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'DELETE' THEN
      INSERT INTO dirty (kind, id) SELECT 'entity', subject_id FROM statement_subjects WHERE statement_id = OLD.id ON CONFLICT DO NOTHING;
    ELSE
      INSERT INTO dirty (kind, id) SELECT 'entity', subject_id FROM statement_subjects WHERE statement_id = NEW.id ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
  END $$;
  CREATE TRIGGER dirty_statements_subjects_insert AFTER INSERT ON statements FOR EACH ROW EXECUTE FUNCTION dirty_statements_subjects();
  CREATE TRIGGER dirty_statements_subjects_delete AFTER DELETE ON statements FOR EACH ROW EXECUTE FUNCTION dirty_statements_subjects();
  CREATE FUNCTION dirty_participants() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'INSERT' THEN
      INSERT INTO dirty (kind, id) VALUES ('entity', NEW.entity_id) ON CONFLICT DO NOTHING;
    ELSIF TG_OP = 'UPDATE' THEN
      INSERT INTO dirty (kind, id) VALUES ('entity', OLD.entity_id), ('entity', NEW.entity_id) ON CONFLICT DO NOTHING;
    ELSE
      INSERT INTO dirty (kind, id) VALUES ('entity', OLD.entity_id) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
  END $$;
  CREATE TRIGGER dirty_participants_insert AFTER INSERT ON event_participants FOR EACH ROW EXECUTE FUNCTION dirty_participants();
  CREATE TRIGGER dirty_participants_update AFTER UPDATE OF event_id, entity_id ON event_participants FOR EACH ROW EXECUTE FUNCTION dirty_participants();
  CREATE TRIGGER dirty_participants_delete AFTER DELETE ON event_participants FOR EACH ROW EXECUTE FUNCTION dirty_participants();
  CREATE FUNCTION dirty_events_participants() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'DELETE' THEN
      INSERT INTO dirty (kind, id) SELECT 'entity', entity_id FROM event_participants WHERE event_id = OLD.id ON CONFLICT DO NOTHING;
    ELSE
      INSERT INTO dirty (kind, id) SELECT 'entity', entity_id FROM event_participants WHERE event_id = NEW.id ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
  END $$;
  CREATE TRIGGER dirty_events_participants_insert AFTER INSERT ON events FOR EACH ROW EXECUTE FUNCTION dirty_events_participants();
  CREATE TRIGGER dirty_events_participants_delete AFTER DELETE ON events FOR EACH ROW EXECUTE FUNCTION dirty_events_participants();
  ${RECOUNT_ALL_LINKED_SQL.map((s) => `${s};`).join('\n  ')}
  ${EVENT_PERIOD_COUNTS_TABLE};
  CREATE FUNCTION event_periods() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') AND OLD.year IS NOT NULL THEN
      UPDATE event_period_counts SET n = n - 1 WHERE (year, month, precision, inferred) = (${eventPeriodKey('OLD')});
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.year IS NOT NULL THEN
      INSERT INTO event_period_counts (year, month, precision, inferred, n) VALUES (${eventPeriodKey('NEW')}, 1)
        ON CONFLICT (year, month, precision, inferred) DO UPDATE SET n = event_period_counts.n + 1;
    END IF;
    RETURN NULL;
  END $$;
  CREATE TRIGGER event_periods_insert AFTER INSERT ON events FOR EACH ROW EXECUTE FUNCTION event_periods();
  CREATE TRIGGER event_periods_update AFTER UPDATE OF year, month, precision, date_inferred ON events FOR EACH ROW EXECUTE FUNCTION event_periods();
  CREATE TRIGGER event_periods_delete AFTER DELETE ON events FOR EACH ROW EXECUTE FUNCTION event_periods();
  ${RECOUNT_EVENT_PERIODS_SQL.map((s) => `${s};`).join('\n  ')}
  `,
  },
  {
    version: 7,
    description: "search vocabulary: SQLite's twin (search_fts_vocab); nothing to create here",
    // SQLite's migration adds search_fts_vocab, an fts5vocab view of its index, so
    // that a term that is the prefix of one word is searched as that word (FTS5
    // merges every candidate word's list before it reads a prefix query). The
    // GIN index expands a prefix (':*') itself, so PostgreSQL needs no such view;
    // this version keeps the two schemas' histories in step.
    sql: `SELECT 1;`,
  },
  {
    version: 8,
    description: 'kept adjacency (entity_adjacency) for neighbourhoods, kept by triggers',
    // As SQLite's migration 10 (kept-adjacency-sql.ts): every link between two
    // entities from each end, ordered by the other end's rank; trigger functions
    // add and remove a link row's rows, and move the rows pointing at an entity
    // whose rank changes.
    sql: `
  ${entityAdjacencyTable({ withoutRowid: false, collate: ' COLLATE "C"' })};
  ${REBUILD_ENTITY_ADJACENCY_SQL.map((s) => `${s};`).join('\n  ')}
  ${upkeep('adjacency_relationships', K.unlinkRelationship('OLD'), K.linkRelationship('NEW'))}
  CREATE TRIGGER adjacency_relationships_insert AFTER INSERT ON relationships FOR EACH ROW EXECUTE FUNCTION adjacency_relationships();
  CREATE TRIGGER adjacency_relationships_update AFTER UPDATE OF id, type, source_id, target_id ON relationships FOR EACH ROW EXECUTE FUNCTION adjacency_relationships();
  CREATE TRIGGER adjacency_relationships_delete AFTER DELETE ON relationships FOR EACH ROW EXECUTE FUNCTION adjacency_relationships();
  ${upkeep('adjacency_statements', K.unlinkStatement('OLD', "(CASE WHEN TG_OP = 'UPDATE' THEN NEW.id ELSE OLD.id END)"), K.linkStatement('NEW'))}
  CREATE TRIGGER adjacency_statements_insert AFTER INSERT ON statements FOR EACH ROW EXECUTE FUNCTION adjacency_statements();
  CREATE TRIGGER adjacency_statements_update AFTER UPDATE OF id, kind, speaker_id ON statements FOR EACH ROW EXECUTE FUNCTION adjacency_statements();
  CREATE TRIGGER adjacency_statements_delete AFTER DELETE ON statements FOR EACH ROW EXECUTE FUNCTION adjacency_statements();
  ${upkeep('adjacency_statement_subjects', K.unlinkSubject('OLD'), K.linkSubject('NEW'))}
  CREATE TRIGGER adjacency_statement_subjects_insert AFTER INSERT ON statement_subjects FOR EACH ROW EXECUTE FUNCTION adjacency_statement_subjects();
  CREATE TRIGGER adjacency_statement_subjects_update AFTER UPDATE OF statement_id, subject_id ON statement_subjects FOR EACH ROW EXECUTE FUNCTION adjacency_statement_subjects();
  CREATE TRIGGER adjacency_statement_subjects_delete AFTER DELETE ON statement_subjects FOR EACH ROW EXECUTE FUNCTION adjacency_statement_subjects();
  ${upkeep('adjacency_participants', K.unlinkParticipant('OLD'), K.linkParticipant('NEW'))}
  CREATE TRIGGER adjacency_participants_insert AFTER INSERT ON event_participants FOR EACH ROW EXECUTE FUNCTION adjacency_participants();
  CREATE TRIGGER adjacency_participants_update AFTER UPDATE OF event_id, entity_id ON event_participants FOR EACH ROW EXECUTE FUNCTION adjacency_participants();
  CREATE TRIGGER adjacency_participants_delete AFTER DELETE ON event_participants FOR EACH ROW EXECUTE FUNCTION adjacency_participants();
  ${upkeep('adjacency_events', K.unlinkEvent('OLD'), K.linkEvent('NEW'))}
  CREATE TRIGGER adjacency_events_insert AFTER INSERT ON events FOR EACH ROW EXECUTE FUNCTION adjacency_events();
  CREATE TRIGGER adjacency_events_update AFTER UPDATE OF id, kind ON events FOR EACH ROW EXECUTE FUNCTION adjacency_events();
  CREATE TRIGGER adjacency_events_delete AFTER DELETE ON events FOR EACH ROW EXECUTE FUNCTION adjacency_events();
  CREATE FUNCTION adjacency_entities() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'INSERT' THEN
      ${K.rerank('NEW.id', '0', linkRankSql('NEW.mention_count'))};
    ELSIF TG_OP = 'DELETE' THEN
      ${K.rerank('OLD.id', linkRankSql('OLD.mention_count'), '0')};
    ELSE
      ${K.rerank('NEW.id', linkRankSql('OLD.mention_count'), linkRankSql('NEW.mention_count'))};
    END IF;
    RETURN NULL;
  END $$;
  CREATE TRIGGER adjacency_entities_insert AFTER INSERT ON entities FOR EACH ROW WHEN (${linkRankSql('NEW.mention_count')} <> 0) EXECUTE FUNCTION adjacency_entities();
  CREATE TRIGGER adjacency_entities_delete AFTER DELETE ON entities FOR EACH ROW WHEN (${linkRankSql('OLD.mention_count')} <> 0) EXECUTE FUNCTION adjacency_entities();
  CREATE TRIGGER adjacency_entities_rank AFTER UPDATE OF mention_count ON entities FOR EACH ROW
    WHEN (${linkRankSql('OLD.mention_count')} <> ${linkRankSql('NEW.mention_count')}) EXECUTE FUNCTION adjacency_entities();
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
