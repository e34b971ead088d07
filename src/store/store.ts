/**
 * The store interface: everything the loaders and the build need from a
 * database. Each backend (`sqlite/`, `postgres/`) implements it; nothing
 * above this layer knows which one it talks to.
 *
 * Lookups take many keys at once so that per-request DataLoaders can batch a
 * whole nesting level into one statement.
 */
import type { ListQuery, OwnerField, Page, PageRequest } from './lists.js';
import type {
  AliasRow,
  DocumentRow,
  EntityRow,
  EventRow,
  EvidenceRow,
  GraphData,
  MentionRow,
  ParticipantRow,
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

  /** The fingerprint of the seeds the graph was last built from; null before any build. */
  seedFingerprint(): Promise<string | null>;
  /** A number that changes whenever the graph changes (for caches). */
  graphVersion(): Promise<number>;
}

/** Write access: the build replaces the whole graph in one transaction. */
export interface GraphWriter {
  /**
   * Replace the graph with `data`, recording `fingerprint`, atomically: on
   * failure the previous graph stays in place.
   */
  replaceGraph(data: GraphData, fingerprint: string): Promise<void>;
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
  /** True when the database answers. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
