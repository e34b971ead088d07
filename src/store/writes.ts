/**
 * What the ingest pipeline and the curation mutations hand to the store, and
 * what the store answers. Backend-neutral: every backend implements the
 * `GraphWriter` methods that take these (see store.ts), each as one
 * transaction that bumps `graph_version` and records an audit entry.
 */
import type { Span } from '../graph/spans.js';
import type {
  DateMentionRow,
  DocumentRow,
  EntityRow,
  EntityType,
  RelationshipRow,
  StatementRow,
} from './types.js';

/** Who makes a change and when; recorded in the audit log. */
export interface ChangeContext {
  /** The API key's name, or `cli` for the command line. */
  actor: string;
  /** ISO 8601 time of the change. */
  at: string;
}

/**
 * An entity the extractor proposes: the graph knows none of its names. The
 * store matches it to an existing entity when one has its name by then (a
 * concurrent ingest may have added it), drops it when a curator rejected the
 * name, and otherwise creates it as an unconfirmed (AUTOMATIC) entity.
 */
export interface CandidateEntity {
  /** How the batch's mentions and statements refer to it, e.g. `candidate:0`. */
  key: string;
  type: EntityType;
  /** ActorKind or PlaceKind; null for people. */
  kind: string | null;
  name: string;
  /** Other names the text uses for it (e.g. a surname alone). */
  aliases: string[];
  /** Preferred id; the store adds a suffix when it is taken. */
  preferredId: string;
  description: string;
  confidence: number;
  /** Where the text first names it; null for a name only the metadata gives (a publisher). */
  evidence: Span | null;
}

/** A mention the extractor found; `entityRef` is an entity id or a candidate key. */
export interface MentionWrite {
  id: string;
  entityRef: string;
  span: Span;
  confidence: number;
}

/** A statement the extractor found (a direct quote); refs are entity ids or candidate keys. */
export interface StatementWrite {
  id: string;
  kind: string;
  text: string;
  attribution: StatementRow['attribution'];
  /** Null when the text does not make the speaker clear. */
  speakerRef: string | null;
  subjectRefs: string[];
  position: number;
  confidence: number;
  /** The quote first (one span per paragraph when it spans paragraphs), then the attribution. */
  evidence: Span[];
}

/** One document and everything extracted from it, written whole or not at all. */
export interface DocumentBatch {
  /** The document; its `publisherId` is replaced by what `publisherRef` resolves to. */
  document: Omit<DocumentRow, 'seed'>;
  /** The publisher: an entity id, a candidate key, or null. */
  publisherRef: string | null;
  /** Name and version of the extractor, e.g. `ingest/1.0.0`. */
  extractor: string;
  candidates: CandidateEntity[];
  mentions: MentionWrite[];
  statements: StatementWrite[];
  dates: Omit<DateMentionRow, 'seed'>[];
}

/** What writing a document did. */
export interface WriteDocumentResult {
  /** CREATED (new document), UPDATED (text or extractor changed), UNCHANGED (same text: nothing written). */
  status: 'CREATED' | 'UPDATED' | 'UNCHANGED';
  documentId: string;
  /** Entities created from candidates. */
  entitiesCreated: string[];
  /** Entities the graph already had that the document mentions or quotes. */
  entitiesMatched: string[];
  mentions: number;
  statements: number;
  dates: number;
  /** Unconfirmed entities removed because nothing supports them any more. */
  entitiesRemoved: string[];
  /** Curated facts removed because their evidence is no longer in the changed text. */
  curatedFactsRemoved: string[];
}

/** The result of a document write before anything is counted: nothing created, matched or removed. */
export function emptyWriteResult(documentId: string, status: WriteDocumentResult['status']): WriteDocumentResult {
  return {
    status,
    documentId,
    entitiesCreated: [],
    entitiesMatched: [],
    mentions: 0,
    statements: 0,
    dates: 0,
    entitiesRemoved: [],
    curatedFactsRemoved: [],
  };
}

/** What deleting a document did; null from the store when there was no such document. */
export interface DeleteDocumentResult {
  documentId: string;
  /** Entities removed because nothing else supports them. */
  entitiesRemoved: string[];
  /** Statements and relationships removed with the document. */
  factsRemoved: string[];
}

/** A curated statement to add, or the new state of one being corrected. */
export interface StatementSave {
  row: Omit<StatementRow, 'seed' | 'method' | 'confidence' | 'extractor'>;
  subjectIds: string[];
  evidence: Span[];
}

/** A curated relationship to add, or the new state of one being corrected. */
export interface RelationshipSave {
  row: Omit<RelationshipRow, 'seed' | 'method' | 'confidence' | 'extractor'>;
  evidence: Span[];
}

/** What a curation write did. */
export interface SaveResult<Row> {
  row: Row;
  /** Automatic facts the curated one replaced (curated facts win). */
  replaced: string[];
}

/** The entity a merge kept. */
export interface MergeResult {
  entity: EntityRow;
  /** Ids that now redirect to it (the merged id, and ids that redirected to that). */
  redirected: string[];
}
