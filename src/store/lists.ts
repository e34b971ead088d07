/**
 * The lists the store can page through, with their filters. One descriptor
 * type per list; an `owner` field names the filter that a batched nested
 * connection (e.g. every entity's `relationships`) varies per parent.
 */

/** Filters on provenance, shared by the lists of facts. */
export interface ProvenanceFilter {
  /** Only facts with this method (`CURATED` or `AUTOMATIC`). */
  method?: string | null;
  /** Only facts with at least this confidence (0..1). */
  minConfidence?: number | null;
}

/** How entities are ordered: by name, or by mention count or degree (highest first, then name). */
export type EntityOrder = 'NAME' | 'MENTIONS' | 'DEGREE';

/** Entities, ordered by normalised name (or as `orderBy` says). */
export interface EntityListQuery extends ProvenanceFilter {
  list: 'entities';
  type?: string | null;
  kind?: string | null;
  /** Only entities whose name or an alias starts with this (already normalised with `normalizeName`). */
  namePrefix?: string | null;
  /** Default NAME. */
  orderBy?: EntityOrder | null;
}

/** Events in chronological order (earliest day, then id); undated last. */
export interface EventListQuery {
  list: 'events';
  /** Only events whose date range ends on or after this day. */
  from?: string | null;
  /** Only events whose date range starts on or before this day. */
  to?: string | null;
  participant?: string | null;
  kind?: string | null;
  /** Only events dated in this year. */
  year?: number | null;
  /** Only events dated in this month (with `year`). */
  month?: number | null;
  /** Only events whose date has one of these precisions (YEAR, MONTH, DAY). */
  precisions?: readonly string[] | null;
}

/** Statements in document order. */
export interface StatementListQuery extends ProvenanceFilter {
  list: 'statements';
  speaker?: string | null;
  /** An entity or event the statement is about. */
  about?: string | null;
  /** An event the statement is about or was made at. */
  event?: string | null;
  kind?: string | null;
  attribution?: string | null;
  document?: string | null;
}

/** Relationships ordered by id. */
export interface RelationshipListQuery extends ProvenanceFilter {
  list: 'relationships';
  /** An entity at either end (or the end `direction` names). */
  entity?: string | null;
  direction?: 'OUTGOING' | 'INCOMING' | 'BOTH' | null;
  type?: string | null;
}

/** Mentions in document order. */
export interface MentionListQuery extends ProvenanceFilter {
  list: 'mentions';
  entity?: string | null;
  document?: string | null;
}

/** Documents ordered by id. */
export interface DocumentListQuery {
  list: 'documents';
}

/** The audit log, oldest change first. */
export interface AuditListQuery {
  list: 'audit';
  /** Only changes to this object (an id). */
  subject?: string | null;
  /** Only changes by this actor (an API key's name). */
  actor?: string | null;
}

/** Any list query. */
export type ListQuery =
  | EntityListQuery
  | EventListQuery
  | StatementListQuery
  | RelationshipListQuery
  | MentionListQuery
  | DocumentListQuery
  | AuditListQuery;

/** The filter a batched nested connection varies per parent, by list. */
export type OwnerField =
  | 'participant'
  | 'speaker'
  | 'about'
  | 'event'
  | 'entity'
  | 'document';

/** A position in a list: the row's sort key and id. */
export interface ListPosition {
  sortKey: string;
  id: string;
}

/** A page request: how many rows, after which position. */
export interface PageRequest {
  first: number;
  after: ListPosition | null;
}

/** One page of a list: rows with their positions, and whether more follow. */
export interface Page<Row> {
  rows: Row[];
  positions: ListPosition[];
  hasNextPage: boolean;
}
