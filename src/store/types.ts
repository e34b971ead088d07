/**
 * Row types of the graph store: what every backend reads and writes.
 * Resolver types are mapped onto these (see codegen.ts), so the GraphQL layer
 * never sees a driver's own types.
 */

/** The three entity types, as in the SDL's `EntityType`. */
export type EntityType = 'ACTOR' | 'PERSON' | 'PLACE';

/** An actor, person or place. `kind` is an ActorKind or PlaceKind; null for people. */
export interface EntityRow {
  id: string;
  type: EntityType;
  kind: string | null;
  name: string;
  title: string | null;
  description: string;
  /** Number of mentions of the entity across all documents (maintained by the writer). */
  mentionCount: number;
  /** Number of relationships the entity is an end of (maintained by the writer). */
  degree: number;
}

/** Another name of an entity. `norm` is the lookup key (see `normalizeName`). */
export interface AliasRow {
  entityId: string;
  name: string;
  norm: string;
  source: 'TEXT' | 'COMMON';
  /** Position among the entity's aliases, for a stable order. */
  ord: number;
}

/** A span of a document: offsets in Unicode code points, end exclusive. */
export interface SpanRow {
  documentId: string;
  start: number;
  end: number;
  exact: string;
  prefix: string;
  suffix: string;
}

/** Evidence for a fact: a span owned by the fact (`ownerId` is the fact's id). */
export interface EvidenceRow extends SpanRow {
  ownerId: string;
  ord: number;
}

/** An occurrence of one of an entity's names in a document. */
export interface MentionRow extends SpanRow {
  id: string;
  entityId: string;
}

/** An article. `length` counts code points. */
export interface DocumentRow {
  id: string;
  title: string;
  text: string;
  length: number;
  url: string | null;
  publishedOn: string | null;
  publisherId: string | null;
  contentHash: string;
}

/** Precision of a partial date. */
export type DatePrecision = 'YEAR' | 'MONTH' | 'DAY';

/** An event; the date columns are null together when the text gives no date. */
export interface EventRow {
  id: string;
  name: string;
  kind: string;
  description: string;
  placeId: string | null;
  dateText: string | null;
  year: number | null;
  month: number | null;
  day: number | null;
  precision: DatePrecision | null;
  dateInferred: boolean;
  dateInferredFrom: string | null;
  /** First day the date covers, `YYYY-MM-DD`. */
  earliest: string | null;
  /** Last day the date covers, `YYYY-MM-DD`. */
  latest: string | null;
}

/** An entity's part in an event. `id` owns the participation's evidence. */
export interface ParticipantRow {
  id: string;
  eventId: string;
  entityId: string;
  role: string;
  ord: number;
}

/** Something said. `position` orders statements within their document. */
export interface StatementRow {
  id: string;
  kind: string;
  text: string;
  attribution: 'DIRECT_QUOTE' | 'REPORTED' | 'EDITORIAL';
  speakerId: string;
  occasionId: string | null;
  documentId: string;
  position: number;
}

/** One subject of a statement: an entity or an event id. */
export interface StatementSubjectRow {
  statementId: string;
  subjectId: string;
  ord: number;
}

/** A typed, directed relationship between two entities. */
export interface RelationshipRow {
  id: string;
  type: string;
  sourceId: string;
  targetId: string;
  description: string;
  inferred: boolean;
  inferredFrom: string | null;
}

/** Everything a build writes: one whole graph, replaced in one transaction. */
export interface GraphData {
  documents: DocumentRow[];
  entities: Omit<EntityRow, 'mentionCount' | 'degree'>[];
  aliases: AliasRow[];
  evidence: EvidenceRow[];
  mentions: MentionRow[];
  events: EventRow[];
  participants: ParticipantRow[];
  statements: StatementRow[];
  statementSubjects: StatementSubjectRow[];
  relationships: RelationshipRow[];
}
