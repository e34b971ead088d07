/**
 * Versioned schema of the SQLite backend. Each migration runs once, in order,
 * inside a transaction; `PRAGMA user_version` records how far the database is.
 */
import type Database from 'better-sqlite3';

import { SchemaTooNewError } from '../schema-too-new-error.js';
import { RECOUNT_ALL_LINKED_SQL } from '../sql/entity-counts-sql.js';
import { EVENT_PERIOD_COUNTS_TABLE, eventPeriodKey, RECOUNT_EVENT_PERIODS_SQL } from '../sql/event-periods-sql.js';
import { entityAdjacencyTable, keptAdjacencyUpkeep, linkRankSql, REBUILD_ENTITY_ADJACENCY_SQL } from '../sql/kept-adjacency-sql.js';

const K = keptAdjacencyUpkeep((select) => `INSERT OR IGNORE INTO entity_adjacency (entity_id, rank, neighbour_id, link_type, link_id, outgoing, label) ${select}`);

/**
 * Prefix lengths (in characters) the full-text index keeps a list for: a term
 * of one of these lengths that starts several words is read as one list, not
 * merged from every word's list (twice: once to match, once for bm25). Two to
 * six covers what a user types before the words fit one (longer terms mostly
 * start one word, which search reads as that word: sqlite-search.ts).
 */
export const SEARCH_PREFIX_LENGTHS = '2 3 4 5 6';

/** The full-text index, as migration 11 and every later build create it. */
const SEARCH_FTS_TABLE = `CREATE VIRTUAL TABLE search_fts USING fts5(
    name, body, content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '${SEARCH_PREFIX_LENGTHS}'
  )`;

/**
 * Every subject's full-text row built again from the graph rows, in SQL, as
 * `searchIndexRows` (src/store/sql/search-index.ts) writes it: an entity's
 * name then its other aliases (in alias order) joined by ' • ', its title and
 * description joined by a newline (empty ones left out); an event's name, its
 * description and date text; a statement's text; a document's title and text.
 * The rowids are those of `search_subjects`. Keep both in step (a test
 * compares the words and positions they index).
 */
export const REBUILD_SEARCH_FTS_SQL = `INSERT INTO search_fts (rowid, name, body)
  SELECT s.rowid,
    CASE s.subject_type
      WHEN 'EVENT' THEN ev.name WHEN 'STATEMENT' THEN '' WHEN 'DOCUMENT' THEN d.title
      ELSE e.name || COALESCE((SELECT group_concat(' \u2022 ' || a.name, '' ORDER BY a.ord) FROM aliases a WHERE a.entity_id = e.id AND a.name <> e.name), '')
    END,
    CASE s.subject_type
      WHEN 'EVENT' THEN concat_ws(char(10), NULLIF(ev.description, ''), NULLIF(ev.date_text, ''))
      WHEN 'STATEMENT' THEN st.text WHEN 'DOCUMENT' THEN d.text
      ELSE concat_ws(char(10), NULLIF(e.title, ''), NULLIF(e.description, ''))
    END
  FROM search_subjects s
  LEFT JOIN entities e ON s.subject_type NOT IN ('EVENT', 'STATEMENT', 'DOCUMENT') AND e.id = s.subject_id
  LEFT JOIN events ev ON s.subject_type = 'EVENT' AND ev.id = s.subject_id
  LEFT JOIN statements st ON s.subject_type = 'STATEMENT' AND st.id = s.subject_id
  LEFT JOIN documents d ON s.subject_type = 'DOCUMENT' AND d.id = s.subject_id
  ORDER BY s.rowid`;

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
  // 2: ingest and curation. Provenance on facts (every existing row came from the
  // seed build, so it is CURATED with confidence 1 and owned by the seeds);
  // statements may have no speaker; extracted dates; entity redirects after a
  // merge; rejected candidate names; the audit log.
  `
  ALTER TABLE documents ADD COLUMN seed INTEGER NOT NULL DEFAULT 1;
  ALTER TABLE documents ADD COLUMN extractor TEXT;
  ALTER TABLE documents ADD COLUMN ingested_at TEXT;
  CREATE INDEX documents_content_hash ON documents (content_hash);

  ALTER TABLE entities ADD COLUMN method TEXT NOT NULL DEFAULT 'CURATED';
  ALTER TABLE entities ADD COLUMN confidence REAL NOT NULL DEFAULT 1;
  ALTER TABLE entities ADD COLUMN extractor TEXT;
  ALTER TABLE entities ADD COLUMN seed INTEGER NOT NULL DEFAULT 1;
  CREATE INDEX entities_method_sort ON entities (method, sort_key, id);

  ALTER TABLE aliases ADD COLUMN seed INTEGER NOT NULL DEFAULT 1;
  ALTER TABLE evidence ADD COLUMN seed INTEGER NOT NULL DEFAULT 1;
  CREATE INDEX evidence_document ON evidence (document_id);
  ALTER TABLE events ADD COLUMN seed INTEGER NOT NULL DEFAULT 1;
  ALTER TABLE event_participants ADD COLUMN seed INTEGER NOT NULL DEFAULT 1;
  ALTER TABLE statement_subjects ADD COLUMN seed INTEGER NOT NULL DEFAULT 1;

  ALTER TABLE mentions ADD COLUMN method TEXT NOT NULL DEFAULT 'CURATED';
  ALTER TABLE mentions ADD COLUMN confidence REAL NOT NULL DEFAULT 1;
  ALTER TABLE mentions ADD COLUMN extractor TEXT;
  ALTER TABLE mentions ADD COLUMN seed INTEGER NOT NULL DEFAULT 1;

  ALTER TABLE relationships ADD COLUMN method TEXT NOT NULL DEFAULT 'CURATED';
  ALTER TABLE relationships ADD COLUMN confidence REAL NOT NULL DEFAULT 1;
  ALTER TABLE relationships ADD COLUMN extractor TEXT;
  ALTER TABLE relationships ADD COLUMN seed INTEGER NOT NULL DEFAULT 1;

  -- SQLite cannot drop NOT NULL in place: rebuild statements with a nullable speaker.
  CREATE TABLE statements_v2 (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, text TEXT NOT NULL, attribution TEXT NOT NULL, speaker_id TEXT,
    occasion_id TEXT, document_id TEXT NOT NULL, position INTEGER NOT NULL, sort_key TEXT NOT NULL,
    method TEXT NOT NULL DEFAULT 'CURATED', confidence REAL NOT NULL DEFAULT 1, extractor TEXT,
    seed INTEGER NOT NULL DEFAULT 1
  );
  INSERT INTO statements_v2 (id, kind, text, attribution, speaker_id, occasion_id, document_id, position, sort_key)
    SELECT id, kind, text, attribution, speaker_id, occasion_id, document_id, position, sort_key FROM statements;
  DROP TABLE statements;
  ALTER TABLE statements_v2 RENAME TO statements;
  CREATE INDEX statements_sort ON statements (sort_key, id);
  CREATE INDEX statements_speaker ON statements (speaker_id, sort_key, id);
  CREATE INDEX statements_occasion ON statements (occasion_id);
  CREATE INDEX statements_document ON statements (document_id, sort_key, id);

  CREATE TABLE date_mentions (
    id TEXT PRIMARY KEY, document_id TEXT NOT NULL,
    start_offset INTEGER NOT NULL, end_offset INTEGER NOT NULL, exact TEXT NOT NULL, prefix TEXT NOT NULL, suffix TEXT NOT NULL,
    date_text TEXT NOT NULL, year INTEGER NOT NULL, month INTEGER, day INTEGER, precision TEXT NOT NULL,
    date_inferred INTEGER NOT NULL DEFAULT 0, date_inferred_from TEXT, earliest TEXT NOT NULL, latest TEXT NOT NULL,
    method TEXT NOT NULL, confidence REAL NOT NULL, extractor TEXT, seed INTEGER NOT NULL DEFAULT 0,
    sort_key TEXT NOT NULL
  );
  CREATE INDEX date_mentions_document ON date_mentions (document_id, sort_key, id);

  CREATE TABLE entity_redirects (from_id TEXT PRIMARY KEY, to_id TEXT NOT NULL);
  CREATE INDEX entity_redirects_to ON entity_redirects (to_id);

  CREATE TABLE rejected_names (norm TEXT PRIMARY KEY, name TEXT NOT NULL, actor TEXT NOT NULL, at TEXT NOT NULL);

  CREATE TABLE audit_log (
    id TEXT PRIMARY KEY, seq INTEGER NOT NULL UNIQUE, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
    subject_id TEXT NOT NULL, before TEXT, after TEXT, sort_key TEXT NOT NULL
  );
  CREATE INDEX audit_log_subject ON audit_log (subject_id, sort_key, id);
  CREATE INDEX audit_log_actor ON audit_log (actor, sort_key, id);
  `,
  // 3: analyst queries. Entity degree (kept by the writer) and orders by mentions
  // and degree; the full-text index (one row per subject: entity, event,
  // statement, document; contentless, deletable by rowid so per-document writes
  // can replace a subject's row); sentence spans for co-mentions; indexes for
  // timelines, statement filters and paging whole lists (exports, analytics). Forgetting the seed fingerprint makes the
  // next start rebuild the graph, which fills the new tables.
  `
  ALTER TABLE entities ADD COLUMN degree INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX entities_mentions_order ON entities (mention_count DESC, sort_key, id);
  CREATE INDEX entities_degree_order ON entities (degree DESC, sort_key, id);
  CREATE INDEX events_period ON events (year, month, precision);
  CREATE INDEX statements_kind ON statements (kind, sort_key, id);
  CREATE INDEX IF NOT EXISTS statements_document ON statements (document_id, sort_key, id);
  CREATE INDEX participants_event_entity ON event_participants (event_id, entity_id);
  CREATE INDEX relationships_sort ON relationships (sort_key, id);
  CREATE INDEX mentions_sort ON mentions (sort_key, id);
  CREATE INDEX documents_sort ON documents (sort_key, id);
  CREATE TABLE search_subjects (
    rowid INTEGER PRIMARY KEY, subject_id TEXT NOT NULL UNIQUE, subject_type TEXT NOT NULL
  );
  CREATE INDEX search_subjects_type ON search_subjects (subject_type);
  CREATE VIRTUAL TABLE search_fts USING fts5(
    name, body, content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
  );
  CREATE TABLE sentences (
    document_id TEXT NOT NULL, ord INTEGER NOT NULL, start_offset INTEGER NOT NULL, end_offset INTEGER NOT NULL,
    PRIMARY KEY (document_id, ord)
  );
  CREATE INDEX sentences_start ON sentences (document_id, start_offset);
  DELETE FROM meta WHERE key = 'seed_fingerprint';
  `,
  // 4: derived-data upkeep. Triggers record in \`dirty\` what each write changed:
  // subjects whose search-index row must be rewritten, entities whose degree or
  // mention count may have changed, documents whose sentences must be split
  // again. \`syncDerived\` (sqlite-derived.ts) applies and empties it at the end
  // of every write transaction, whatever code path wrote.
  `
  CREATE TABLE dirty (kind TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (kind, id)) WITHOUT ROWID;
  CREATE TRIGGER dirty_entities_insert AFTER INSERT ON entities BEGIN
    INSERT OR IGNORE INTO dirty VALUES ('subject', NEW.id), ('entity', NEW.id);
  END;
  CREATE TRIGGER dirty_entities_update AFTER UPDATE OF name, title, description, type, kind ON entities BEGIN
    INSERT OR IGNORE INTO dirty VALUES ('subject', NEW.id);
  END;
  CREATE TRIGGER dirty_entities_delete AFTER DELETE ON entities BEGIN
    INSERT OR IGNORE INTO dirty VALUES ('subject', OLD.id);
  END;
  CREATE TRIGGER dirty_aliases_insert AFTER INSERT ON aliases BEGIN
    INSERT OR IGNORE INTO dirty VALUES ('subject', NEW.entity_id);
  END;
  CREATE TRIGGER dirty_aliases_update AFTER UPDATE ON aliases BEGIN
    INSERT OR IGNORE INTO dirty VALUES ('subject', OLD.entity_id), ('subject', NEW.entity_id);
  END;
  CREATE TRIGGER dirty_aliases_delete AFTER DELETE ON aliases BEGIN
    INSERT OR IGNORE INTO dirty VALUES ('subject', OLD.entity_id);
  END;
  CREATE TRIGGER dirty_events_insert AFTER INSERT ON events BEGIN
    INSERT OR IGNORE INTO dirty VALUES ('subject', NEW.id);
  END;
  CREATE TRIGGER dirty_events_update AFTER UPDATE ON events BEGIN
    INSERT OR IGNORE INTO dirty VALUES ('subject', NEW.id);
  END;
  CREATE TRIGGER dirty_events_delete AFTER DELETE ON events BEGIN
    INSERT OR IGNORE INTO dirty VALUES ('subject', OLD.id);
  END;
  CREATE TRIGGER dirty_statements_insert AFTER INSERT ON statements BEGIN
    INSERT OR IGNORE INTO dirty VALUES ('subject', NEW.id);
  END;
  CREATE TRIGGER dirty_statements_update AFTER UPDATE OF text ON statements BEGIN
    INSERT OR IGNORE INTO dirty VALUES ('subject', NEW.id);
  END;
  CREATE TRIGGER dirty_statements_delete AFTER DELETE ON statements BEGIN
    INSERT OR IGNORE INTO dirty VALUES ('subject', OLD.id);
  END;
  CREATE TRIGGER dirty_documents_insert AFTER INSERT ON documents BEGIN
    INSERT OR IGNORE INTO dirty VALUES ('subject', NEW.id), ('document', NEW.id);
  END;
  CREATE TRIGGER dirty_documents_update AFTER UPDATE OF title, text ON documents BEGIN
    INSERT OR IGNORE INTO dirty VALUES ('subject', NEW.id), ('document', NEW.id);
  END;
  CREATE TRIGGER dirty_documents_delete AFTER DELETE ON documents BEGIN
    INSERT OR IGNORE INTO dirty VALUES ('subject', OLD.id), ('document', OLD.id);
  END;
  CREATE TRIGGER dirty_relationships_insert AFTER INSERT ON relationships BEGIN
    INSERT OR IGNORE INTO dirty VALUES ('entity', NEW.source_id), ('entity', NEW.target_id);
  END;
  CREATE TRIGGER dirty_relationships_update AFTER UPDATE OF source_id, target_id ON relationships BEGIN
    INSERT OR IGNORE INTO dirty VALUES ('entity', OLD.source_id), ('entity', OLD.target_id), ('entity', NEW.source_id), ('entity', NEW.target_id);
  END;
  CREATE TRIGGER dirty_relationships_delete AFTER DELETE ON relationships BEGIN
    INSERT OR IGNORE INTO dirty VALUES ('entity', OLD.source_id), ('entity', OLD.target_id);
  END;
  CREATE TRIGGER dirty_mentions_insert AFTER INSERT ON mentions BEGIN
    INSERT OR IGNORE INTO dirty VALUES ('entity', NEW.entity_id);
  END;
  CREATE TRIGGER dirty_mentions_update AFTER UPDATE OF entity_id ON mentions BEGIN
    INSERT OR IGNORE INTO dirty VALUES ('entity', OLD.entity_id), ('entity', NEW.entity_id);
  END;
  CREATE TRIGGER dirty_mentions_delete AFTER DELETE ON mentions BEGIN
    INSERT OR IGNORE INTO dirty VALUES ('entity', OLD.entity_id);
  END;
  DELETE FROM meta WHERE key = 'seed_fingerprint';
  `,
  // 5: perf. Row counts of the top-level lists, kept by triggers, so that an
  // unfiltered \`totalCount\` costs one row read instead of a scan of millions.
  `
  CREATE TABLE list_counts (list TEXT PRIMARY KEY, n INTEGER NOT NULL);
  INSERT INTO list_counts (list, n)
    SELECT 'entities', COUNT(*) FROM entities UNION ALL
    SELECT 'relationships', COUNT(*) FROM relationships UNION ALL
    SELECT 'statements', COUNT(*) FROM statements UNION ALL
    SELECT 'events', COUNT(*) FROM events UNION ALL
    SELECT 'documents', COUNT(*) FROM documents;
  CREATE TRIGGER entities_count_insert AFTER INSERT ON entities BEGIN UPDATE list_counts SET n = n + 1 WHERE list = 'entities'; END;
  CREATE TRIGGER entities_count_delete AFTER DELETE ON entities BEGIN UPDATE list_counts SET n = n - 1 WHERE list = 'entities'; END;
  CREATE TRIGGER relationships_count_insert AFTER INSERT ON relationships BEGIN UPDATE list_counts SET n = n + 1 WHERE list = 'relationships'; END;
  CREATE TRIGGER relationships_count_delete AFTER DELETE ON relationships BEGIN UPDATE list_counts SET n = n - 1 WHERE list = 'relationships'; END;
  CREATE TRIGGER statements_count_insert AFTER INSERT ON statements BEGIN UPDATE list_counts SET n = n + 1 WHERE list = 'statements'; END;
  CREATE TRIGGER statements_count_delete AFTER DELETE ON statements BEGIN UPDATE list_counts SET n = n - 1 WHERE list = 'statements'; END;
  CREATE TRIGGER events_count_insert AFTER INSERT ON events BEGIN UPDATE list_counts SET n = n + 1 WHERE list = 'events'; END;
  CREATE TRIGGER events_count_delete AFTER DELETE ON events BEGIN UPDATE list_counts SET n = n - 1 WHERE list = 'events'; END;
  CREATE TRIGGER documents_count_insert AFTER INSERT ON documents BEGIN UPDATE list_counts SET n = n + 1 WHERE list = 'documents'; END;
  CREATE TRIGGER documents_count_delete AFTER DELETE ON documents BEGIN UPDATE list_counts SET n = n - 1 WHERE list = 'documents'; END;
  `,
  // 6: perf. Periods of events (timelines, events(from, to)) read the index from a year before the period.
  `
  CREATE INDEX events_earliest ON events (earliest, latest, year, month, precision, date_inferred);
  `,
  // 7: perf. Adjacency (paths, neighbourhoods) reads links from covering
  // indexes only: every column a link's row needs is in the index, so that
  // expanding around hubs reads index pages in order instead of one table row
  // per link. Two single-column indexes are widened rather than duplicated.
  `
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
  // 8: perf. Kept per-entity counts of the statements about it and of its events
  // (entity-counts-sql.ts), so that \`totalCount\` of a hub's connections reads one
  // row. Triggers mark in \`dirty\` the entities whose links changed (a link row,
  // or the statement or event it points to); \`syncDerived\` recounts them.
  // Kept counts of dated events per year and month for timelines
  // (event-periods-sql.ts), added and subtracted by triggers on \`events\`.
  `
  ALTER TABLE entities ADD COLUMN statements_about_count INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE entities ADD COLUMN event_count INTEGER NOT NULL DEFAULT 0;
  CREATE TRIGGER dirty_statement_subjects_insert AFTER INSERT ON statement_subjects BEGIN
    INSERT OR IGNORE INTO dirty VALUES ('entity', NEW.subject_id);
  END;
  CREATE TRIGGER dirty_statement_subjects_update AFTER UPDATE OF statement_id, subject_id ON statement_subjects BEGIN
    INSERT OR IGNORE INTO dirty VALUES ('entity', OLD.subject_id), ('entity', NEW.subject_id);
  END;
  CREATE TRIGGER dirty_statement_subjects_delete AFTER DELETE ON statement_subjects BEGIN
    INSERT OR IGNORE INTO dirty VALUES ('entity', OLD.subject_id);
  END;
  CREATE TRIGGER dirty_statements_subjects_insert AFTER INSERT ON statements BEGIN
    INSERT OR IGNORE INTO dirty SELECT 'entity', subject_id FROM statement_subjects WHERE statement_id = NEW.id;
  END;
  CREATE TRIGGER dirty_statements_subjects_delete AFTER DELETE ON statements BEGIN
    INSERT OR IGNORE INTO dirty SELECT 'entity', subject_id FROM statement_subjects WHERE statement_id = OLD.id;
  END;
  CREATE TRIGGER dirty_participants_insert AFTER INSERT ON event_participants BEGIN
    INSERT OR IGNORE INTO dirty VALUES ('entity', NEW.entity_id);
  END;
  CREATE TRIGGER dirty_participants_update AFTER UPDATE OF event_id, entity_id ON event_participants BEGIN
    INSERT OR IGNORE INTO dirty VALUES ('entity', OLD.entity_id), ('entity', NEW.entity_id);
  END;
  CREATE TRIGGER dirty_participants_delete AFTER DELETE ON event_participants BEGIN
    INSERT OR IGNORE INTO dirty VALUES ('entity', OLD.entity_id);
  END;
  CREATE TRIGGER dirty_events_participants_insert AFTER INSERT ON events BEGIN
    INSERT OR IGNORE INTO dirty SELECT 'entity', entity_id FROM event_participants WHERE event_id = NEW.id;
  END;
  CREATE TRIGGER dirty_events_participants_delete AFTER DELETE ON events BEGIN
    INSERT OR IGNORE INTO dirty SELECT 'entity', entity_id FROM event_participants WHERE event_id = OLD.id;
  END;
  ${RECOUNT_ALL_LINKED_SQL.map((s) => `${s};`).join('\n  ')}
  ${EVENT_PERIOD_COUNTS_TABLE};
  CREATE TRIGGER event_periods_insert AFTER INSERT ON events WHEN NEW.year IS NOT NULL BEGIN
    INSERT INTO event_period_counts (year, month, precision, inferred, n) VALUES (${eventPeriodKey('NEW')}, 1)
      ON CONFLICT (year, month, precision, inferred) DO UPDATE SET n = n + 1;
  END;
  CREATE TRIGGER event_periods_delete AFTER DELETE ON events WHEN OLD.year IS NOT NULL BEGIN
    UPDATE event_period_counts SET n = n - 1 WHERE (year, month, precision, inferred) = (${eventPeriodKey('OLD')});
  END;
  CREATE TRIGGER event_periods_update AFTER UPDATE OF year, month, precision, date_inferred ON events BEGIN
    UPDATE event_period_counts SET n = n - 1 WHERE (year, month, precision, inferred) = (${eventPeriodKey('OLD')});
    INSERT INTO event_period_counts (year, month, precision, inferred, n) SELECT ${eventPeriodKey('NEW')}, 1 WHERE NEW.year IS NOT NULL
      ON CONFLICT (year, month, precision, inferred) DO UPDATE SET n = n + 1;
  END;
  ${RECOUNT_EVENT_PERIODS_SQL.map((s) => `${s};`).join('\n  ')}
  `,
  // 9: perf.
  // The words of the full-text index, read by search to turn a term that is the
  // prefix of a single word into that word (src/store/sqlite/sqlite-search.ts).
  // fts5vocab stores nothing: it reads the FTS5 index, so it is always current.
  `
  CREATE VIRTUAL TABLE search_fts_vocab USING fts5vocab(search_fts, 'instance');
  `,
  // 10: perf. The kept adjacency (kept-adjacency-sql.ts): every link between
  // two entities stored from each end, ordered by the other end's rank (its
  // mention count on a log2 scale), so that a neighbourhood reads the most
  // mentioned neighbours of its frontier without reading each hub's every link,
  // and the links among its entities from the less mentioned end of each.
  // Triggers keep it: link rows (relationships, statements and their subjects,
  // event participants, events) add and remove their rows; an entity whose
  // rank changes (inserted, deleted, its mention count crossing a power of two)
  // moves the rows that point at it.
  `
  ${entityAdjacencyTable({ withoutRowid: true, collate: '' })};
  ${REBUILD_ENTITY_ADJACENCY_SQL.map((s) => `${s};`).join('\n  ')}
  CREATE TRIGGER adjacency_relationships_insert AFTER INSERT ON relationships BEGIN
    ${K.linkRelationship('NEW')};
  END;
  CREATE TRIGGER adjacency_relationships_delete AFTER DELETE ON relationships BEGIN
    ${K.unlinkRelationship('OLD')};
  END;
  CREATE TRIGGER adjacency_relationships_update AFTER UPDATE OF id, type, source_id, target_id ON relationships BEGIN
    ${K.unlinkRelationship('OLD')};
    ${K.linkRelationship('NEW')};
  END;
  CREATE TRIGGER adjacency_statements_insert AFTER INSERT ON statements BEGIN
    ${K.linkStatement('NEW')};
  END;
  CREATE TRIGGER adjacency_statements_delete AFTER DELETE ON statements BEGIN
    ${K.unlinkStatement('OLD', 'OLD.id')};
  END;
  CREATE TRIGGER adjacency_statements_update AFTER UPDATE OF id, kind, speaker_id ON statements BEGIN
    ${K.unlinkStatement('OLD', 'NEW.id')};
    ${K.linkStatement('NEW')};
  END;
  CREATE TRIGGER adjacency_statement_subjects_insert AFTER INSERT ON statement_subjects BEGIN
    ${K.linkSubject('NEW')};
  END;
  CREATE TRIGGER adjacency_statement_subjects_delete AFTER DELETE ON statement_subjects BEGIN
    ${K.unlinkSubject('OLD')};
  END;
  CREATE TRIGGER adjacency_statement_subjects_update AFTER UPDATE OF statement_id, subject_id ON statement_subjects BEGIN
    ${K.unlinkSubject('OLD')};
    ${K.linkSubject('NEW')};
  END;
  CREATE TRIGGER adjacency_participants_insert AFTER INSERT ON event_participants BEGIN
    ${K.linkParticipant('NEW')};
  END;
  CREATE TRIGGER adjacency_participants_delete AFTER DELETE ON event_participants BEGIN
    ${K.unlinkParticipant('OLD')};
  END;
  CREATE TRIGGER adjacency_participants_update AFTER UPDATE OF event_id, entity_id ON event_participants BEGIN
    ${K.unlinkParticipant('OLD')};
    ${K.linkParticipant('NEW')};
  END;
  CREATE TRIGGER adjacency_events_insert AFTER INSERT ON events BEGIN
    ${K.linkEvent('NEW')};
  END;
  CREATE TRIGGER adjacency_events_delete AFTER DELETE ON events BEGIN
    ${K.unlinkEvent('OLD')};
  END;
  CREATE TRIGGER adjacency_events_update AFTER UPDATE OF id, kind ON events BEGIN
    ${K.unlinkEvent('OLD')};
    ${K.linkEvent('NEW')};
  END;
  CREATE TRIGGER adjacency_entities_insert AFTER INSERT ON entities WHEN ${linkRankSql('NEW.mention_count')} <> 0 BEGIN
    ${K.rerank('NEW.id', '0', linkRankSql('NEW.mention_count'))};
  END;
  CREATE TRIGGER adjacency_entities_delete AFTER DELETE ON entities WHEN ${linkRankSql('OLD.mention_count')} <> 0 BEGIN
    ${K.rerank('OLD.id', linkRankSql('OLD.mention_count'), '0')};
  END;
  CREATE TRIGGER adjacency_entities_rank AFTER UPDATE OF mention_count ON entities WHEN ${linkRankSql('OLD.mention_count')} <> ${linkRankSql('NEW.mention_count')} BEGIN
    ${K.rerank('NEW.id', linkRankSql('OLD.mention_count'), linkRankSql('NEW.mention_count'))};
  END;
  `,
  // 11: perf. Prefix lists in the full-text index (\`SEARCH_PREFIX_LENGTHS\`):
  // FTS5 cannot add them to an index, so the index is created again and
  // filled from the graph rows (\`REBUILD_SEARCH_FTS_SQL\`), then merged into
  // one segment ('optimize'). fts5vocab goes with the table it reads.
  `
  DROP TABLE search_fts_vocab;
  DROP TABLE search_fts;
  ${SEARCH_FTS_TABLE};
  CREATE VIRTUAL TABLE search_fts_vocab USING fts5vocab(search_fts, 'instance');
  ${REBUILD_SEARCH_FTS_SQL};
  INSERT INTO search_fts (search_fts) VALUES ('optimize');
  `,
  // 12: perf. A subgraph's nodes (\`entitySummaries\`: name, type, kind and
  // mention count of up to 500 entities) read from one index entry each
  // instead of the id index and then the table row; the links among them
  // (\`keptLinksAmongSql\`) find each entity's rank in the same entries, so
  // that the second of the two reads finds their pages cached.
  `
  CREATE INDEX entities_summary_by_id ON entities (id, mention_count, type, kind, name);
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
  // A database that was analyzed (a bulk-loaded graph) must not keep statistics
  // that know nothing of the indexes a migration added: the planner would guess
  // and could pick, say, an adjacency index for an ordered page and sort a hub's
  // every link. Re-analyze (sampled) after upgrading such a database.
  if (current > 0 && current < SQLITE_MIGRATIONS.length && db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").get()) {
    db.pragma('analysis_limit = 1000');
    db.exec('ANALYZE');
  }
}
