/**
 * Row and query types of the analyst queries (search, adjacency for paths and
 * neighbourhoods, aggregates for analytics). Every backend answers them; the
 * SQL shared by the SQL backends is in `sql/analyst-sql.ts`.
 */
import type { Page } from './lists.js';
import type { EntityType } from './types.js';

/** What a search hit can be, as in the SDL's `SearchType`. */
export type SearchSubjectType = 'ACTOR' | 'PERSON' | 'PLACE' | 'EVENT' | 'STATEMENT' | 'DOCUMENT';

/** The kinds of link between two entities that paths and neighbourhoods follow. */
export type LinkType = 'RELATIONSHIP' | 'STATEMENT' | 'EVENT';

/**
 * A full-text query: words already cut and folded (see `searchTerms`), each
 * matched as a word prefix. Backends quote every term themselves, so no
 * operator syntax ever reaches the database.
 */
export interface SearchQuery {
  terms: string[];
  /** `ALL`: every term must match (the default); `ANY`: at least one. */
  match: 'ALL' | 'ANY';
  /** Only subjects of these types; all when absent or empty. */
  types?: readonly SearchSubjectType[] | null;
}

/**
 * A ranked hit. `rank` is the backend's relevance (lower is better; SQLite's
 * bm25) and is the keyset sort key; `score` is the relevance shown to clients
 * (higher is better).
 */
export interface SearchHitRow {
  subjectId: string;
  subjectType: SearchSubjectType;
  rank: number;
  score: number;
}

/**
 * A page of search hits. `matches`, when present, is the exact number of
 * hits of the whole search, which the store learnt while ranking (SQLite, a
 * one-term search without a type filter): no count query is then needed.
 */
export interface SearchPage extends Page<SearchHitRow> {
  matches?: number;
}

/** One row of the full-text index: a subject's searchable text. */
export interface SearchIndexRow {
  subjectId: string;
  subjectType: SearchSubjectType;
  /** Names: an entity's name and aliases, an event's name, a document's title (weighted higher). */
  name: string;
  /** Text: descriptions, statement text, document text. */
  body: string;
}

/** Options of an adjacency query. */
export interface AdjacencyOptions {
  /** Which links to follow; all three when absent or empty. */
  linkTypes?: readonly LinkType[] | null;
  /** At most this many rows in all (the caller's budget); unlimited when absent. */
  limit?: number | null;
  /**
   * Rows in no particular order (perf): with a `limit`, the database stops
   * after that many rows instead of sorting every link of every entity first
   * (around hubs, millions). Which rows a cut keeps is then up to the database.
   */
  unordered?: boolean;
  /**
   * Only links whose other end is one of these entities (perf: the filter is
   * applied on the index, so that finding the links among a few entities
   * returns those links only, not every link of each).
   */
  toIds?: readonly string[] | null;
  /**
   * Only links read from the end they point from: relationships from their
   * source, statements from their speaker, events (no direction) from each
   * participant. With `toIds` equal to `ids`, every link among the entities
   * still comes back (from one end), for half the reading.
   */
  outgoingOnly?: boolean;
}

/** Options of `adjacentEntities`. */
export interface AdjacentEntitiesOptions {
  /** Which links to follow; all three when absent or empty. */
  linkTypes?: readonly LinkType[] | null;
  /** Entities never returned (those already kept). */
  exclude: readonly string[];
  /** Most entities returned: the most mentioned first, ties by id. */
  first: number;
}

/** Entities linked to a set of entities, the most mentioned first. */
export interface AdjacentEntities {
  /**
   * Ids and mention counts, the most mentioned first (ties by id): exactly the
   * first `first` of all the neighbours, however many links the set has.
   */
  entities: { id: string; mentionCount: number }[];
}

/**
 * What a subgraph node shows of an entity: its name, type, kind and mention
 * count, without the rest of its row.
 */
export interface EntitySummaryRow {
  id: string;
  name: string;
  type: EntityType;
  kind: string | null;
  mentionCount: number;
}

/**
 * One link from an entity to a neighbouring entity, seen from `fromId`: a
 * relationship (either direction), a statement (speaker to an entity it is
 * about, or back), or an event both take part in.
 */
export interface AdjacencyRow {
  fromId: string;
  toId: string;
  linkType: LinkType;
  /** The relationship, statement or event id. */
  linkId: string;
  /** Relationship type, statement kind or event kind. */
  label: string;
  /**
   * True when the link points from `fromId` to `toId` (the relationship's
   * source, the statement's speaker); false when it points back. Events have
   * no direction: true.
   */
  outgoing: boolean;
}

/** Dated events counted per period. `month` is null for a YEAR bucket, or for year-only dates in MONTH buckets. */
export interface PeriodCountRow {
  year: number;
  month: number | null;
  count: number;
  /** How many of them have an inferred date. */
  inferredCount: number;
}

/** Statements by one speaker about one subject, of one kind. */
export interface StatementMatrixRow {
  speakerId: string;
  subjectId: string;
  kind: string;
  count: number;
}

/** Two entities (`aId` < `bId`) mentioned in the same sentence, and in how many sentences. */
export interface CoMentionRow {
  aId: string;
  bId: string;
  count: number;
}

/** A sentence in which a pair of entities is mentioned. */
export interface CoMentionSentenceRow {
  aId: string;
  bId: string;
  documentId: string;
  ord: number;
  start: number;
  end: number;
}

/** A count of one group of facts, for `stats`. */
export interface StatsRow {
  /** ENTITY, EVENT, STATEMENT, RELATIONSHIP, DOCUMENT or MENTION. */
  subject: string;
  /** Entity type (ACTOR, PERSON, PLACE), statement attribution; null otherwise. */
  type: string | null;
  /** Actor/place kind, event kind, statement kind, relationship type; null otherwise. */
  kind: string | null;
  count: number;
}
