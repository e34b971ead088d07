/**
 * What connection and page-info resolvers receive: a page from the store, a
 * lazy count, and whether the page started after a cursor.
 */
import type { Page } from '../store/lists.js';
import type { AuditRow, DocumentRow, EntityRow, EventRow, MentionRow, RelationshipRow, StatementRow } from '../store/types.js';

/** A page of a list, with its total counted only when asked for. */
export interface ConnectionModel<Row> {
  page: Page<Row>;
  /** Count of the whole list; called only when `totalCount` is selected. */
  count: () => Promise<number>;
  /** True when the page was asked for after a cursor. */
  hasPreviousPage: boolean;
}

/** An edge: a row and its cursor. */
export interface EdgeModel<Row> {
  cursor: string;
  node: Row;
}

/** `PageInfo` is resolved from the connection itself. */
export type PageInfoModel = ConnectionModel<unknown>;

export type EntityConnectionModel = ConnectionModel<EntityRow>;
export type EventConnectionModel = ConnectionModel<EventRow>;
export type StatementConnectionModel = ConnectionModel<StatementRow>;
export type RelationshipConnectionModel = ConnectionModel<RelationshipRow>;
export type MentionConnectionModel = ConnectionModel<MentionRow>;
export type DocumentConnectionModel = ConnectionModel<DocumentRow>;
export type EntityEdgeModel = EdgeModel<EntityRow>;
export type EventEdgeModel = EdgeModel<EventRow>;
export type StatementEdgeModel = EdgeModel<StatementRow>;
export type RelationshipEdgeModel = EdgeModel<RelationshipRow>;
export type MentionEdgeModel = EdgeModel<MentionRow>;
export type DocumentEdgeModel = EdgeModel<DocumentRow>;
export type AuditEntryConnectionModel = ConnectionModel<AuditRow>;
export type AuditEntryEdgeModel = EdgeModel<AuditRow>;

/** What `ingestDocument` resolves from: the stored document and the write's counts. */
export interface IngestDocumentPayloadModel {
  document: DocumentRow;
  status: 'CREATED' | 'UPDATED' | 'UNCHANGED';
  entitiesCreated: EntityRow[];
  entitiesMatched: number;
  mentions: number;
  statements: number;
  dates: number;
}

/** What `mergeEntities` resolves from. */
export interface MergeEntitiesPayloadModel {
  entity: EntityRow;
  redirected: string[];
}
