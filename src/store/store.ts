/**
 * The store interface: everything the loaders and the build need from a
 * database. Each backend (`sqlite/`, `postgres/`) implements it; nothing
 * above this layer knows which one it talks to.
 *
 * Lookups take many keys at once so that per-request DataLoaders can batch a
 * whole nesting level into one statement.
 */
import type {
  AdjacencyOptions,
  AdjacencyRow,
  AdjacentEntities,
  AdjacentEntitiesOptions,
  CoMentionRow,
  CoMentionSentenceRow,
  EntitySummaryRow,
  PeriodCountRow,
  SearchHitRow,
  SearchPage,
  SearchQuery,
  StatementMatrixRow,
  StatsRow,
} from './analyst-types.js';
import type { EventListQuery, ListQuery, OwnerField, Page, PageRequest } from './lists.js';
import type {
  ChangeContext,
  DeleteDocumentResult,
  DocumentBatch,
  MergeResult,
  RelationshipSave,
  SaveResult,
  StatementSave,
  WriteDocumentResult,
} from './writes.js';
import type {
  AliasRow,
  AuditRow,
  DateMentionRow,
  DocumentRow,
  EntityRow,
  EventRow,
  EvidenceRow,
  GraphData,
  MentionRow,
  NameRow,
  ParticipantRow,
  RedirectRow,
  RelationshipRow,
  StatementRow,
  StatementSubjectRow,
} from './types.js';

/** Row types a list query returns, by list. */
export interface ListRows {
  entities: EntityRow;
  events: EventRow;
  statements: StatementRow;
  relationships: RelationshipRow;
  mentions: MentionRow;
  documents: DocumentRow;
  audit: AuditRow;
}

/** The row type of a list query. */
export type RowOf<Q extends ListQuery> = ListRows[Q['list']];

/** Read access to the graph. */
export interface GraphReader {
  entitiesByIds(ids: readonly string[]): Promise<EntityRow[]>;
  eventsByIds(ids: readonly string[]): Promise<EventRow[]>;
  statementsByIds(ids: readonly string[]): Promise<StatementRow[]>;
  relationshipsByIds(ids: readonly string[]): Promise<RelationshipRow[]>;
  documentsByIds(ids: readonly string[]): Promise<DocumentRow[]>;
  mentionsByIds(ids: readonly string[]): Promise<MentionRow[]>;
  /** Aliases of the given entities, in alias order. */
  aliasesByEntityIds(ids: readonly string[]): Promise<AliasRow[]>;
  /** Evidence owned by the given facts, in evidence order. */
  evidenceByOwnerIds(ids: readonly string[]): Promise<EvidenceRow[]>;
  /** Participants of the given events, in participant order. */
  participantsByEventIds(ids: readonly string[]): Promise<ParticipantRow[]>;
  /** Subjects of the given statements, in subject order. */
  subjectsByStatementIds(ids: readonly string[]): Promise<StatementSubjectRow[]>;
  /** Entities whose name or alias has one of these normalised forms. */
  aliasesByNorms(norms: readonly string[]): Promise<AliasRow[]>;
  /** Extracted dates of the given documents, in document order. */
  dateMentionsByDocumentIds(ids: readonly string[]): Promise<DateMentionRow[]>;
  /** Where merged entity ids now point (only ids that were merged away have a row). */
  redirectsByIds(ids: readonly string[]): Promise<RedirectRow[]>;
  /** Every name and alias of every entity, with the entity's type and method: the mention matcher's dictionary. */
  entityNames(): Promise<NameRow[]>;
  /** Documents with this content hash (to spot a text ingested before under another id). */
  documentsByContentHash(hash: string): Promise<DocumentRow[]>;

  /** One page of a list. */
  listPage<Q extends ListQuery>(query: Q, page: PageRequest): Promise<Page<RowOf<Q>>>;
  /** Number of rows in a list, counted by the database. */
  listCount(query: ListQuery): Promise<number>;
  /**
   * One page per owner: the same query with `query[owner]` set to each id in
   * turn, answered in one statement. Used by nested connections.
   */
  listPagesByOwner<Q extends ListQuery>(
    query: Q,
    owner: OwnerField,
    ownerIds: readonly string[],
    page: PageRequest,
  ): Promise<Map<string, Page<RowOf<Q>>>>;
  /** Counts per owner, in one statement (see `listPagesByOwner`). */
  listCountsByOwner(query: ListQuery, owner: OwnerField, ownerIds: readonly string[]): Promise<Map<string, number>>;

  // ---- Analyst queries (search, paths, neighbourhoods, analytics) ----

  /**
   * One page of full-text hits, best first, keyset-paged on (rank, subject id).
   * A query without terms has no hits. Never raises a database error for any terms.
   */
  search(query: SearchQuery, page: PageRequest): Promise<SearchPage>;
  /** Number of full-text hits, counted by the database. */
  searchCount(query: SearchQuery): Promise<number>;
  /**
   * The links from a batch of entities to their neighbours (relationships both
   * ways, statements speaker↔entity subject, shared events), one row per
   * (from, to, link), ordered by from, link type, to, link id. Paths and
   * neighbourhoods expand level by level with it, never loading the graph.
   */
  adjacency(ids: readonly string[], options?: AdjacencyOptions): Promise<AdjacencyRow[]>;
  /**
   * The most mentioned entities linked to a batch of entities (links as in
   * `adjacency`), ranked by the database so that only the kept ones come back:
   * a neighbourhood's next level.
   */
  adjacentEntities(ids: readonly string[], options: AdjacentEntitiesOptions): Promise<AdjacentEntities>;
  /**
   * The name, type, kind and mention count of each entity of `ids` that
   * exists, in no particular order: a subgraph's nodes (perf: a few columns,
   * not the whole row; 500 entities at 1M: see src/analytics/neighborhood.ts).
   */
  entitySummaries(ids: readonly string[]): Promise<EntitySummaryRow[]>;
  /** The sum of the entities' degrees: a cheap estimate of what `adjacency` of them reads. */
  degreeSum(ids: readonly string[]): Promise<number>;
  /** Dated events of an event list counted per year or month (year-only dates keep `month` null in MONTH counts). */
  eventCountsByPeriod(query: EventListQuery, granularity: 'YEAR' | 'MONTH'): Promise<PeriodCountRow[]>;
  /** Statement counts per speaker, subject and kind, most first, at most `first` rows. */
  statementMatrix(kinds: readonly string[] | null, first: number): Promise<StatementMatrixRow[]>;
  /** Pairs of entities mentioned in the same sentence, most sentences first, at most `first` pairs. */
  coMentions(first: number): Promise<CoMentionRow[]>;
  /** The sentences in which each pair is mentioned together, at most `perPair` per pair. */
  coMentionSentences(pairs: readonly { aId: string; bId: string }[], perPair: number): Promise<CoMentionSentenceRow[]>;
  /** Counts of entities, events, statements, relationships by type and kind; documents; mentions. */
  stats(): Promise<StatsRow[]>;

  /** The fingerprint of the seeds the graph was last built from; null before any build. */
  seedFingerprint(): Promise<string | null>;
  /** A number that changes whenever the graph changes (for caches). */
  graphVersion(): Promise<number>;
}

/**
 * Write access. Every method is one transaction (whole or nothing), bumps
 * `graph_version`, and (except `replaceGraph`) records what it changed in the
 * audit log with `change.actor` and `change.at`.
 */
export interface GraphWriter {
  /**
   * Replace the seed part of the graph with `data`, recording `fingerprint`,
   * atomically: on failure the previous graph stays in place. Rows the seed
   * build owns (`seed = true`) are replaced; ingested documents and curated
   * facts added through the API stay. Ingested facts that point at an entity
   * the new seeds no longer have are removed; curated API facts on a seed
   * document whose text changed are re-anchored by their quote, or removed
   * (and audited) when the quote is gone.
   */
  replaceGraph(data: GraphData, fingerprint: string): Promise<void>;

  /**
   * Write one ingested document with its automatic facts. Same content hash and
   * extractor as stored: nothing changes (UNCHANGED). Otherwise the document's
   * previous AUTOMATIC facts are replaced; its CURATED facts stay (re-anchored
   * by quote when the text changed) and win: an automatic statement whose quote
   * overlaps a curated statement's evidence is not written. Candidates are
   * resolved (existing name → that entity; rejected name → dropped; else a new
   * AUTOMATIC entity). Unconfirmed entities left without support are removed.
   * @throws Error when `batch.document.id` is a seed document.
   */
  writeDocument(batch: DocumentBatch, change: ChangeContext): Promise<WriteDocumentResult>;
  /**
   * Delete an ingested document with its mentions, dates, statements and the
   * evidence it holds; facts left without evidence, and unconfirmed entities
   * nothing else supports, go with it. Null when there is no such document.
   */
  deleteDocument(id: string, change: ChangeContext): Promise<DeleteDocumentResult | null>;
  /** Mark an entity curated (confirmed, confidence 1). Null when there is no such entity. */
  confirmEntity(id: string, change: ChangeContext): Promise<EntityRow | null>;
  /**
   * Remove an entity and its mentions, aliases, relationships and
   * participations; its statements lose their speaker (or subject). Its names
   * are remembered so that ingest does not propose them again. False when
   * there is no such entity.
   */
  rejectEntity(id: string, change: ChangeContext): Promise<boolean>;
  /**
   * Merge `fromId` into `intoId`: aliases, mentions, statements, relationships,
   * participations and evidence move; `fromId` is deleted and redirects to
   * `intoId` (as do ids that redirected to `fromId`).
   */
  mergeEntities(fromId: string, intoId: string, change: ChangeContext): Promise<MergeResult>;
  /**
   * Add a curated statement, or replace one with the same id (a correction).
   * Automatic statements whose evidence overlaps the new evidence in the same
   * document are removed (curated facts win).
   */
  saveStatement(save: StatementSave, change: ChangeContext): Promise<SaveResult<StatementRow>>;
  /** Add a curated relationship, or replace one with the same id (a correction). */
  saveRelationship(save: RelationshipSave, change: ChangeContext): Promise<SaveResult<RelationshipRow>>;
}

/** A committed change of the graph, as reported to `onGraphChanged` listeners. */
export interface GraphChange {
  /** The graph version after the change (see `GraphReader.graphVersion`). */
  version: number;
}

/** Called after the graph changed; see `GraphChangeSource.onGraphChanged`. */
export type GraphChangeListener = (change: GraphChange) => void;

/**
 * Notice of graph changes, for caches kept in memory above the store. Several
 * processes may share one database (server instances behind a load balancer,
 * or the build CLI beside a server): a change committed by any of them is
 * reported to every process watching.
 */
export interface GraphChangeSource {
  /**
   * Call `listener` after changes to the graph are committed, by this process
   * or another one on the same database. Resolves once watching is active:
   * every change committed after that is reported, possibly several changes
   * in one call (the version then jumps), never an older version after a newer.
   * PostgreSQL reports through LISTEN/NOTIFY within milliseconds; SQLite
   * reports its own writes at once and polls for other processes' writes.
   * @returns a function that stops reporting to this listener.
   * @example
   * const stop = await store.onGraphChanged(({ version }) => cache.clear());
   */
  onGraphChanged(listener: GraphChangeListener): Promise<() => void>;
}

/** A storage backend. */
export interface GraphStore extends GraphReader, GraphWriter, GraphChangeSource {
  /** Backend name, e.g. `sqlite`. */
  readonly backend: string;
  /** Number of SQL statements run since open (for tests and metrics). */
  readonly statementCount: number;
  /**
   * Optional: a token that changes whenever any process commits a change of
   * the data, read synchronously in microseconds (response caches check it on
   * every request). Backends that cannot answer cheaply leave it out.
   */
  dataVersion?(): string;
  /** True when the database answers. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
