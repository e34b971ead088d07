/**
 * Row types of the graph store: what every backend reads and writes.
 * Resolver types are mapped onto these (see codegen.ts), so the GraphQL layer
 * never sees a driver's own types.
 */

/** The three entity types, as in the SDL's `EntityType`. */
export type EntityType = 'ACTOR' | 'PERSON' | 'PLACE';

/** How a fact got into the graph, as in the SDL's `ExtractionMethod`. */
export type ExtractionMethod = 'CURATED' | 'AUTOMATIC';

/**
 * Where a fact comes from: a curator (or the curated seeds), or an extractor.
 * Curated facts have confidence 1 and no extractor.
 */
export interface Provenance {
  method: ExtractionMethod;
  /** 0..1; 1 for curated facts. */
  confidence: number;
  /** Name and version of the extractor that produced an automatic fact, e.g. `ingest/1.0.0`; null when curated. */
  extractor: string | null;
  /** True when the seed build owns the row (it is replaced when the seeds change). */
  seed: boolean;
}

/** `Provenance` under the name the GraphQL mappers use (the SDL has its own `Provenance` type). */
export type ProvenanceRow = Provenance;

/** Provenance of everything the seed build writes. */
export const SEED_PROVENANCE: Provenance = { method: 'CURATED', confidence: 1, extractor: null, seed: true };

/** An actor, person or place. `kind` is an ActorKind or PlaceKind; null for people. */
export interface EntityRow extends Provenance {
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
  /** True when the seed build owns the row. */
  seed: boolean;
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
  /** True when the seed build owns the row. */
  seed: boolean;
}

/** An occurrence of one of an entity's names in a document. */
export interface MentionRow extends SpanRow, Provenance {
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
  /** True for seed documents (owned by the seed build); false for ingested ones. */
  seed: boolean;
  /** The extractor that last ingested the document; null for seed documents. */
  extractor: string | null;
  /** When the document was last ingested (ISO 8601); null for seed documents. */
  ingestedAt: string | null;
}

/** Precision of a partial date. */
export type DatePrecision = 'YEAR' | 'MONTH' | 'DAY';

/** The columns of a partial date (see `PartialDate` in the SDL); null together when there is no date. */
export interface PartialDateColumns {
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
  /** True when the seed build owns the row. */
  seed: boolean;
}

/** An entity's part in an event. `id` owns the participation's evidence. */
export interface ParticipantRow {
  id: string;
  eventId: string;
  entityId: string;
  role: string;
  ord: number;
  /** True when the seed build owns the row. */
  seed: boolean;
}

/** Something said. `position` orders statements within their document. */
export interface StatementRow extends Provenance {
  id: string;
  kind: string;
  text: string;
  attribution: 'DIRECT_QUOTE' | 'REPORTED' | 'EDITORIAL';
  /** Null for a quote whose speaker the document does not make clear (never guessed). */
  speakerId: string | null;
  occasionId: string | null;
  documentId: string;
  position: number;
}

/** One subject of a statement: an entity or an event id. */
export interface StatementSubjectRow {
  statementId: string;
  subjectId: string;
  ord: number;
  /** True when the seed build owns the row. */
  seed: boolean;
}

/** A typed, directed relationship between two entities. */
export interface RelationshipRow extends Provenance {
  id: string;
  type: string;
  sourceId: string;
  targetId: string;
  description: string;
  inferred: boolean;
  inferredFrom: string | null;
}

/** A row as the seed build writes it: the store adds the seed provenance. */
export type SeedRow<Row> = Omit<Row, keyof Provenance | 'extractor' | 'ingestedAt'>;

/**
 * Everything a seed build writes: the seed part of the graph, replaced in one
 * transaction (ingested documents and their facts stay; see `replaceGraph`).
 */
export interface GraphData {
  documents: SeedRow<DocumentRow>[];
  entities: SeedRow<Omit<EntityRow, 'mentionCount' | 'degree'>>[];
  aliases: SeedRow<AliasRow>[];
  evidence: SeedRow<EvidenceRow>[];
  mentions: SeedRow<MentionRow>[];
  events: SeedRow<EventRow>[];
  participants: SeedRow<ParticipantRow>[];
  statements: SeedRow<StatementRow>[];
  statementSubjects: SeedRow<StatementSubjectRow>[];
  relationships: SeedRow<RelationshipRow>[];
}

/** A date the text gives, found by the date extractor, as precise as the text makes it. */
export interface DateMentionRow extends SpanRow, Provenance, PartialDateColumns {
  /** `date:<document slug>:<start>`. */
  id: string;
}

/** An entity id that no longer exists because the entity was merged into another. */
export interface RedirectRow {
  fromId: string;
  toId: string;
}

/** One recorded change: who made it, when, and what it replaced. */
export interface AuditRow {
  /** `audit:<sequence number>`. */
  id: string;
  /** ISO 8601 time of the change. */
  at: string;
  /** Who made it: the API key's name, or `cli` / `seed-build`. */
  actor: string;
  /** What was done, e.g. `INGEST_DOCUMENT`, `MERGE_ENTITIES` (the SDL's `AuditAction`). */
  action: string;
  /** The id of the object changed. */
  subjectId: string;
  /** JSON of what was there before; null when nothing was. */
  before: string | null;
  /** JSON of what is there after; null when it was removed. */
  after: string | null;
}

/** A name of an entity, for the mention matcher. */
export interface NameRow {
  entityId: string;
  type: EntityType;
  name: string;
  method: ExtractionMethod;
}
