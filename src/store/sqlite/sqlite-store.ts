/**
 * The embedded backend: one SQLite file through better-sqlite3, in WAL mode.
 * Reads are synchronous underneath and wrapped in promises to fit the store
 * interface; prepared statements are cached by their SQL text.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

import Database from 'better-sqlite3';

import type { ListQuery, OwnerField, Page, PageRequest, RelationshipListQuery } from '../lists.js';
import type { GraphStore, RowOf } from '../store.js';
import {
  listCountSql,
  listCountsByOwnerSql,
  listPageSql,
  listPagesByOwnerSql,
  type SqlStatement,
} from '../sql/list-sql.js';
import { EXTRA_TABLES, fromSqlRow, TABLES, type TableSpec } from '../sql/tables.js';
import type {
  ChangeContext,
  DeleteDocumentResult,
  DocumentBatch,
  MergeResult,
  RelationshipSave,
  SaveResult,
  StatementSave,
  WriteDocumentResult,
} from '../writes.js';
import type {
  AliasRow,
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
} from '../types.js';
import { migrateSqlite } from './sqlite-migrations.js';
import { inListOrder, ownedRelationshipsApplies, ownedRelationshipsCountSql, ownedRelationshipsPageSql } from '../sql/owned-relationships-sql.js';
import { SqliteWriter } from './sqlite-writer.js';

const LIST_TABLES: Record<ListQuery['list'], TableSpec> = {
  entities: TABLES.entities,
  events: TABLES.events,
  statements: TABLES.statements,
  relationships: TABLES.relationships,
  mentions: TABLES.mentions,
  documents: TABLES.documents,
  audit: EXTRA_TABLES.audit,
};

/** SQLite's limit on bound parameters is 32766; stay well below it per statement. */
const MAX_KEYS_PER_STATEMENT = 900;

/** Owners per statement of the index-ordered relationship plan (each owner is two compound SELECTs; SQLite allows 500). */
const FAST_OWNERS_PER_STATEMENT = 200;

/** True when the index-ordered plan of owned-relationships-sql.ts answers this nested list. */
function isOwnedRelationships(query: ListQuery, owner: OwnerField): boolean {
  return query.list === 'relationships' && owner === 'entity' && ownedRelationshipsApplies(query);
}

/** Options for opening a SQLite store. */
export interface SqliteStoreOptions {
  /** Open read-only (no migrations; the file must exist). Default false. */
  readonly?: boolean;
}

/** A `GraphStore` on a SQLite file. */
export class SqliteStore implements GraphStore {
  readonly backend = 'sqlite';
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private count = 0;
  private readonly writer: SqliteWriter;

  /** Open (creating if needed) the database at `path` and migrate it. */
  constructor(readonly path: string, options: SqliteStoreOptions = {}) {
    if (path !== ':memory:' && !options.readonly) mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
    if (!options.readonly) {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
    }
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('foreign_keys = OFF');
    if (!options.readonly) migrateSqlite(this.db);
    this.writer = new SqliteWriter(this.db, () => {
      this.count++;
    });
  }

  get statementCount(): number {
    return this.count;
  }

  private prepare(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private all(statement: SqlStatement): Record<string, unknown>[] {
    this.count++;
    return this.prepare(statement.sql).all(...(statement.params as unknown[])) as Record<string, unknown>[];
  }

  /** Rows whose `column` is one of `keys`, in chunks, ordered by `orderBy`. */
  private byKeys<T>(spec: TableSpec, column: string, keys: readonly string[], orderBy?: string): T[] {
    const out: T[] = [];
    const unique = [...new Set(keys)];
    for (let i = 0; i < unique.length; i += MAX_KEYS_PER_STATEMENT) {
      const chunk = unique.slice(i, i + MAX_KEYS_PER_STATEMENT);
      const sql =
        `SELECT * FROM ${spec.table} WHERE ${column} IN (${chunk.map(() => '?').join(', ')})` +
        (orderBy ? ` ORDER BY ${orderBy}` : '');
      for (const row of this.all({ sql, params: chunk })) out.push(fromSqlRow<T>(spec, row));
    }
    return out;
  }

  async entitiesByIds(ids: readonly string[]): Promise<EntityRow[]> {
    return this.byKeys(TABLES.entities, 'id', ids);
  }
  async eventsByIds(ids: readonly string[]): Promise<EventRow[]> {
    return this.byKeys(TABLES.events, 'id', ids);
  }
  async statementsByIds(ids: readonly string[]): Promise<StatementRow[]> {
    return this.byKeys(TABLES.statements, 'id', ids);
  }
  async relationshipsByIds(ids: readonly string[]): Promise<RelationshipRow[]> {
    return this.byKeys(TABLES.relationships, 'id', ids);
  }
  async documentsByIds(ids: readonly string[]): Promise<DocumentRow[]> {
    return this.byKeys(TABLES.documents, 'id', ids);
  }
  async mentionsByIds(ids: readonly string[]): Promise<MentionRow[]> {
    return this.byKeys(TABLES.mentions, 'id', ids);
  }
  async aliasesByEntityIds(ids: readonly string[]): Promise<AliasRow[]> {
    return this.byKeys(TABLES.aliases, 'entity_id', ids, 'entity_id, ord');
  }
  async evidenceByOwnerIds(ids: readonly string[]): Promise<EvidenceRow[]> {
    return this.byKeys(TABLES.evidence, 'owner_id', ids, 'owner_id, ord');
  }
  async participantsByEventIds(ids: readonly string[]): Promise<ParticipantRow[]> {
    return this.byKeys(TABLES.participants, 'event_id', ids, 'event_id, ord');
  }
  async subjectsByStatementIds(ids: readonly string[]): Promise<StatementSubjectRow[]> {
    return this.byKeys(TABLES.statementSubjects, 'statement_id', ids, 'statement_id, ord');
  }
  async aliasesByNorms(norms: readonly string[]): Promise<AliasRow[]> {
    return this.byKeys(TABLES.aliases, 'norm', norms, 'norm, entity_id, ord');
  }
  async dateMentionsByDocumentIds(ids: readonly string[]): Promise<DateMentionRow[]> {
    return this.byKeys(EXTRA_TABLES.dateMentions, 'document_id', ids, 'sort_key, id');
  }
  async redirectsByIds(ids: readonly string[]): Promise<RedirectRow[]> {
    return this.byKeys(EXTRA_TABLES.redirects, 'from_id', ids);
  }
  async entityNames(): Promise<NameRow[]> {
    return this.all({
      sql: 'SELECT a.entity_id AS entityId, e.type AS type, a.name AS name, e.method AS method FROM aliases a JOIN entities e ON e.id = a.entity_id',
      params: [],
    }) as unknown as NameRow[];
  }
  async documentsByContentHash(hash: string): Promise<DocumentRow[]> {
    return this.byKeys(TABLES.documents, 'content_hash', [hash]);
  }

  async listPage<Q extends ListQuery>(query: Q, page: PageRequest): Promise<Page<RowOf<Q>>> {
    const spec = LIST_TABLES[query.list];
    const rows = this.all(listPageSql(query, page));
    return toPage(spec, rows, page.first);
  }

  async listCount(query: ListQuery): Promise<number> {
    // perf: an unfiltered list's size is kept by triggers (list_counts).
    if (Object.entries(query).every(([key, value]) => key === 'list' || value === null || value === undefined)) {
      const kept = this.all({ sql: 'SELECT n FROM list_counts WHERE list = ?', params: [query.list] })[0];
      if (kept) return Number(kept.n);
    }
    return Number(this.all(listCountSql(query))[0]!.n);
  }

  async listPagesByOwner<Q extends ListQuery>(
    query: Q,
    owner: OwnerField,
    ownerIds: readonly string[],
    page: PageRequest,
  ): Promise<Map<string, Page<RowOf<Q>>>> {
    const spec = LIST_TABLES[query.list];
    const grouped = new Map<string, Record<string, unknown>[]>();
    const unique = [...new Set(ownerIds)];
    const fast = isOwnedRelationships(query, owner); // perf: index-ordered pages for hubs
    const size = fast ? FAST_OWNERS_PER_STATEMENT : MAX_KEYS_PER_STATEMENT;
    for (let i = 0; i < unique.length; i += size) {
      const chunk = unique.slice(i, i + size);
      const sql = fast ? ownedRelationshipsPageSql(query as RelationshipListQuery, chunk, page) : listPagesByOwnerSql(query, owner, chunk, page);
      for (const row of this.all(sql)) {
        const key = String(row.owner);
        let list = grouped.get(key);
        if (!list) grouped.set(key, (list = []));
        list.push(row);
      }
    }
    const pages = new Map<string, Page<RowOf<Q>>>();
    for (const id of unique) pages.set(id, toPage(spec, fast ? inListOrder(grouped.get(id) ?? []) : (grouped.get(id) ?? []), page.first));
    return pages;
  }

  async listCountsByOwner(query: ListQuery, owner: OwnerField, ownerIds: readonly string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    const unique = [...new Set(ownerIds)];
    for (const id of unique) counts.set(id, 0);
    const fast = isOwnedRelationships(query, owner); // perf: index range counts for hubs
    const size = fast ? FAST_OWNERS_PER_STATEMENT : MAX_KEYS_PER_STATEMENT;
    for (let i = 0; i < unique.length; i += size) {
      const chunk = unique.slice(i, i + size);
      const sql = fast ? ownedRelationshipsCountSql(query as RelationshipListQuery, chunk) : listCountsByOwnerSql(query, owner, chunk);
      for (const row of this.all(sql)) counts.set(String(row.owner), Number(row.n));
    }
    return counts;
  }

  async seedFingerprint(): Promise<string | null> {
    const row = this.all({ sql: "SELECT value FROM meta WHERE key = 'seed_fingerprint'", params: [] })[0];
    return row ? String(row.value) : null;
  }

  async graphVersion(): Promise<number> {
    const row = this.all({ sql: "SELECT value FROM meta WHERE key = 'graph_version'", params: [] })[0];
    return row ? Number(row.value) : 0;
  }

  /**
   * A token that changes whenever the data changes, committed by this
   * connection (the graph version) or any other (`PRAGMA data_version`).
   * Synchronous and cheap: response caches check it on every request.
   */
  dataVersion(): string {
    this.versionStatements ??= [this.db.prepare('PRAGMA data_version').pluck(), this.db.prepare("SELECT value FROM meta WHERE key = 'graph_version'").pluck()];
    return `${this.versionStatements[0].get()}:${this.versionStatements[1].get() ?? 0}`;
  }
  private versionStatements: [Database.Statement, Database.Statement] | null = null;

  async replaceGraph(data: GraphData, fingerprint: string): Promise<void> {
    this.db.transaction(() => this.writer.replaceGraph(data, fingerprint)).immediate();
  }

  async writeDocument(batch: DocumentBatch, change: ChangeContext): Promise<WriteDocumentResult> {
    return this.db.transaction(() => this.writer.writeDocument(batch, change)).immediate();
  }

  async deleteDocument(id: string, change: ChangeContext): Promise<DeleteDocumentResult | null> {
    return this.db.transaction(() => this.writer.deleteDocument(id, change)).immediate();
  }

  async confirmEntity(id: string, change: ChangeContext): Promise<EntityRow | null> {
    return this.db.transaction(() => this.writer.confirmEntity(id, change)).immediate();
  }

  async rejectEntity(id: string, change: ChangeContext): Promise<boolean> {
    return this.db.transaction(() => this.writer.rejectEntity(id, change)).immediate();
  }

  async mergeEntities(fromId: string, intoId: string, change: ChangeContext): Promise<MergeResult> {
    return this.db.transaction(() => this.writer.mergeEntities(fromId, intoId, change)).immediate();
  }

  async saveStatement(save: StatementSave, change: ChangeContext): Promise<SaveResult<StatementRow>> {
    return this.db.transaction(() => this.writer.saveStatement(save, change)).immediate();
  }

  async saveRelationship(save: RelationshipSave, change: ChangeContext): Promise<SaveResult<RelationshipRow>> {
    return this.db.transaction(() => this.writer.saveRelationship(save, change)).immediate();
  }

  async ping(): Promise<boolean> {
    try {
      this.db.prepare('SELECT 1').get();
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.statements.clear();
    this.db.close();
  }
}

function toPage<Row>(spec: TableSpec, rows: Record<string, unknown>[], first: number): Page<Row> {
  const kept = rows.slice(0, first);
  return {
    rows: kept.map((r) => fromSqlRow<Row>(spec, r)),
    positions: kept.map((r) => ({ sortKey: String(r.sort_key), id: String(r.id) })),
    hasNextPage: rows.length > first,
  };
}
