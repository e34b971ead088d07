/**
 * The embedded backend: one SQLite file through better-sqlite3, in WAL mode.
 * Reads are synchronous underneath and wrapped in promises to fit the store
 * interface; prepared statements are cached by their SQL text.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

import Database from 'better-sqlite3';

import { GraphChangeHub } from '../graph-change-hub.js';
import type {
  AdjacencyOptions,
  AdjacencyRow,
  AdjacentEntities,
  AdjacentEntitiesOptions,
  CoMentionRow,
  CoMentionSentenceRow,
  EntitySummaryRow,
  LinkType,
  PeriodCountRow,
  SearchHitRow,
  SearchPage,
  SearchQuery,
  SearchSubjectType,
  StatementMatrixRow,
  StatsRow,
} from '../analyst-types.js';
import type { EventListQuery, ListQuery, OwnerField, Page, PageRequest, RelationshipListQuery } from '../lists.js';
import type { GraphChangeListener, GraphStore, RowOf } from '../store.js';
import {
  listCountSql,
  listCountsByOwnerSql,
  listPageSql,
  listPagesByOwnerSql,
  listPosition,
  type SqlStatement,
} from '../sql/list-sql.js';
import {
  type AdjacencyRunner,
  coMentionSentencesSql,
  coMentionsSql,
  eventCountsByPeriodSql,
  statementMatrixSql,
  degreeSumSql,
  readAdjacency,
  readAdjacentEntities,
  readEntitySummaries,
  statsSql,
} from '../sql/analyst-sql.js';
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
import { keptCountColumn, keptCountSql } from '../sql/entity-counts-sql.js';
import { syncDerived } from './sqlite-derived.js';
import { migrateSqlite } from './sqlite-migrations.js';
import {
  indexedOwner,
  indexedOwnerCountSql,
  indexedOwnerPageSql,
  inListOrder,
  linkedCountSql,
  ownedRelationshipsApplies,
  ownedRelationshipsCountSql,
  ownedRelationshipsPageSql,
} from '../sql/owned-list-sql.js';
import { SqliteWriter } from './sqlite-writer.js';
import { INDEX_AVERAGES_SQL, indexRowCount, matchesFromDocsProbe, searchCountSql, searchPageSql } from './sqlite-search.js';

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

/** Parameters per adjacency statement (each frontier id is bound five times); SQLite allows 32,766. */
const ADJACENCY_PARAMS = 30_000;
/** SQLite's planner needs the covering indexes named, and the `toIds` filter kept off the indexes. */
const ADJACENCY_DIALECT = { indexHints: true, filterAfterRead: true } as const;

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
  /**
   * How often to look for writes by other processes while something watches
   * for graph changes (`onGraphChanged`), in milliseconds. Default 250.
   * This process's own writes are reported at once.
   */
  changePollMs?: number;
}

/** A `GraphStore` on a SQLite file. */
export class SqliteStore implements GraphStore {
  readonly backend = 'sqlite';
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private count = 0;
  private readonly changes: GraphChangeHub;
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
    // Whole-list reads (exports, analytics) and bulk writes walk indexes in key
    // order while rows sit in insertion order: a 64 MiB page cache and memory
    // mapping keep that from re-reading pages (SQLite's default cache is 2 MiB).
    this.db.pragma('cache_size = -65536');
    this.db.pragma('mmap_size = 1073741824');
    this.db.pragma('foreign_keys = OFF');
    if (!options.readonly) migrateSqlite(this.db);
    this.writer = new SqliteWriter(this.db, () => {
      this.count++;
    });
    this.changes = this.watchChanges(options.changePollMs ?? 250);
  }

  /**
   * Other processes' commits change `PRAGMA data_version` on this connection
   * (our own do not): poll it, cheaply, while anyone watches.
   */
  private watchChanges(pollMs: number): GraphChangeHub {
    let timer: NodeJS.Timeout | null = null;
    let dataVersion = 0;
    const readDataVersion = (): number => this.db.pragma('data_version', { simple: true }) as number;
    const hub = new GraphChangeHub(
      {
        start: async () => {
          dataVersion = readDataVersion();
          timer = setInterval(() => {
            if (!this.db.open) return;
            const now = readDataVersion();
            if (now === dataVersion) return;
            dataVersion = now;
            void hub.recheck().catch(() => undefined);
          }, pollMs);
          timer.unref();
        },
        stop: async () => {
          if (timer) clearInterval(timer);
          timer = null;
        },
      },
      () => this.graphVersion(),
    );
    return hub;
  }

  onGraphChanged(listener: GraphChangeListener): Promise<() => void> {
    return this.changes.subscribe(listener);
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

  /**
   * Rows as arrays of the values of `columns` (see `AdjacencyRunner.runArrays`).
   * perf: SQLite folds them into one JSON text and `JSON.parse` makes the
   * arrays; turning each value into a JavaScript value through the driver
   * costs more (5,000 edge rows: 8.1 ms as objects, 5.4 as raw arrays, 4.6 so).
   */
  private arrays(statement: SqlStatement, columns: readonly string[]): unknown[][] {
    const json = this.all({ sql: `SELECT json_group_array(json_array(${columns.join(', ')})) AS rows FROM (${statement.sql})`, params: statement.params });
    return JSON.parse(String(json[0]!.rows)) as unknown[][];
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
      sql: 'SELECT a.entity_id AS entityId, e.type AS type, a.name AS name, e.method AS method FROM aliases a JOIN entities e ON e.id = a.entity_id ORDER BY a.entity_id, a.ord',
      params: [],
    }) as unknown as NameRow[];
  }
  async documentsByContentHash(hash: string): Promise<DocumentRow[]> {
    return this.byKeys(TABLES.documents, 'content_hash', [hash]);
  }

  async listPage<Q extends ListQuery>(query: Q, page: PageRequest): Promise<Page<RowOf<Q>>> {
    const spec = LIST_TABLES[query.list];
    const rows = this.all(listPageSql(query, page));
    return toPage(spec, rows, page.first, query);
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
    // perf: index-ordered pages for hubs (owned-list-sql.ts).
    const fast = isOwnedRelationships(query, owner);
    const indexed = fast ? null : indexedOwner(query, owner);
    const size = fast || indexed ? FAST_OWNERS_PER_STATEMENT : MAX_KEYS_PER_STATEMENT;
    for (let i = 0; i < unique.length; i += size) {
      const chunk = unique.slice(i, i + size);
      const sql = fast
        ? ownedRelationshipsPageSql(query as RelationshipListQuery, chunk, page)
        : indexed
          ? indexedOwnerPageSql(indexed, chunk, page)
          : listPagesByOwnerSql(query, owner, chunk, page);
      for (const row of this.all(sql)) {
        const key = String(row.owner);
        let list = grouped.get(key);
        if (!list) grouped.set(key, (list = []));
        list.push(row);
      }
    }
    const pages = new Map<string, Page<RowOf<Q>>>();
    for (const id of unique) pages.set(id, toPage(spec, fast || indexed ? inListOrder(grouped.get(id) ?? []) : (grouped.get(id) ?? []), page.first, query));
    return pages;
  }

  async listCountsByOwner(query: ListQuery, owner: OwnerField, ownerIds: readonly string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    const unique = [...new Set(ownerIds)];
    for (const id of unique) counts.set(id, 0);
    // perf: an entity's kept counts (entity-counts-sql.ts), else index range counts for hubs (owned-list-sql.ts).
    if (keptCountColumn(query, owner)) {
      for (let i = 0; i < unique.length; i += FAST_OWNERS_PER_STATEMENT) {
        for (const row of this.all(keptCountSql(query, owner, unique.slice(i, i + FAST_OWNERS_PER_STATEMENT))!)) counts.set(String(row.owner), Number(row.n));
      }
      return counts;
    }
    const fast = isOwnedRelationships(query, owner);
    const indexed = fast ? null : indexedOwner(query, owner);
    const linked = linkedCountSql(query, owner, []) !== null;
    const size = fast || indexed || linked ? FAST_OWNERS_PER_STATEMENT : MAX_KEYS_PER_STATEMENT;
    for (let i = 0; i < unique.length; i += size) {
      const chunk = unique.slice(i, i + size);
      const sql = fast
        ? ownedRelationshipsCountSql(query as RelationshipListQuery, chunk)
        : indexed
          ? indexedOwnerCountSql(indexed, chunk)
          : (linkedCountSql(query, owner, chunk) ?? listCountsByOwnerSql(query, owner, chunk));
      for (const row of this.all(sql)) counts.set(String(row.owner), Number(row.n));
    }
    return counts;
  }

  async search(query: SearchQuery, page: PageRequest): Promise<SearchPage> {
    if (query.terms.length === 0) return { rows: [], positions: [], hasNextPage: false };
    const rows = this.all(searchPageSql(query, page));
    const kept = rows.slice(0, page.first);
    // A one-term search learns its number of matches while ranking (sqlite-search.ts, `matchesFromDocsProbe`);
    // read outside a write transaction only, where the averages record on disk is the index's current one.
    const probe = rows[0]?.docs;
    let matches: number | null = null;
    if (typeof probe === 'number' && !this.db.inTransaction) {
      const averages = this.all({ sql: INDEX_AVERAGES_SQL, params: [] })[0]?.block;
      if (averages instanceof Uint8Array) matches = matchesFromDocsProbe(probe, indexRowCount(averages));
    }
    return {
      ...(matches !== null ? { matches } : {}),
      rows: kept.map((r) => ({
        subjectId: String(r.subject_id),
        subjectType: String(r.subject_type) as SearchSubjectType,
        rank: Number(r.rank),
        score: -Number(r.rank),
      })),
      positions: kept.map((r) => ({ sortKey: String(Number(r.rank)), id: String(r.subject_id) })),
      hasNextPage: rows.length > page.first,
    };
  }

  async searchCount(query: SearchQuery): Promise<number> {
    if (query.terms.length === 0) return 0;
    return Number(this.all(searchCountSql(query))[0]!.n);
  }

  async adjacency(ids: readonly string[], options: AdjacencyOptions = {}): Promise<AdjacencyRow[]> {
    return readAdjacency(this.adjacencyRunner, ids, options);
  }

  async adjacentEntities(ids: readonly string[], options: AdjacentEntitiesOptions): Promise<AdjacentEntities> {
    return readAdjacentEntities(this.adjacencyRunner, ids, options);
  }

  async entitySummaries(ids: readonly string[]): Promise<EntitySummaryRow[]> {
    return readEntitySummaries(this.adjacencyRunner, ids);
  }

  async degreeSum(ids: readonly string[]): Promise<number> {
    let sum = 0;
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += ADJACENCY_PARAMS) sum += Number(this.all(degreeSumSql(unique.slice(i, i + ADJACENCY_PARAMS), ADJACENCY_DIALECT))[0]!.n);
    return sum;
  }

  /** Adjacency statements run here, with the covering indexes named (see `AdjacencyDialect`). */
  private readonly adjacencyRunner: AdjacencyRunner = {
    run: (s) => this.all(s),
    runArrays: (s, columns) => this.arrays(s, columns),
    dialect: ADJACENCY_DIALECT,
    maxParams: ADJACENCY_PARAMS,
  };

  async eventCountsByPeriod(query: EventListQuery, granularity: 'YEAR' | 'MONTH'): Promise<PeriodCountRow[]> {
    return this.all(eventCountsByPeriodSql(query, granularity)).map((r) => ({
      year: Number(r.y),
      month: r.m === null ? null : Number(r.m),
      count: Number(r.n),
      inferredCount: Number(r.inferred ?? 0),
    }));
  }

  async statementMatrix(kinds: readonly string[] | null, first: number): Promise<StatementMatrixRow[]> {
    return this.all(statementMatrixSql(kinds, first)).map((r) => ({
      speakerId: String(r.speaker_id),
      subjectId: String(r.subject_id),
      kind: String(r.kind),
      count: Number(r.n),
    }));
  }

  async coMentions(first: number): Promise<CoMentionRow[]> {
    return this.all(coMentionsSql(first)).map((r) => ({ aId: String(r.a_id), bId: String(r.b_id), count: Number(r.n) }));
  }

  async coMentionSentences(pairs: readonly { aId: string; bId: string }[], perPair: number): Promise<CoMentionSentenceRow[]> {
    const out: CoMentionSentenceRow[] = [];
    const chunkSize = Math.floor(MAX_KEYS_PER_STATEMENT / 2);
    for (let i = 0; i < pairs.length; i += chunkSize) {
      for (const r of this.all(coMentionSentencesSql(pairs.slice(i, i + chunkSize), perPair))) {
        out.push({
          aId: String(r.a_id),
          bId: String(r.b_id),
          documentId: String(r.document_id),
          ord: Number(r.ord),
          start: Number(r.start_offset),
          end: Number(r.end_offset),
        });
      }
    }
    return out;
  }

  async stats(): Promise<StatsRow[]> {
    return this.all(statsSql()).map((r) => ({
      subject: String(r.subject),
      type: r.type == null ? null : String(r.type),
      kind: r.kind == null ? null : String(r.kind),
      count: Number(r.n),
    }));
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
   * A token that changes whenever the data changes: committed by another
   * connection (`PRAGMA data_version`, which our own commits leave alone) or by
   * this one (every write goes through `writeTransaction`, which counts).
   * Synchronous and cheap, one statement: response caches check it on every request.
   */
  dataVersion(): string {
    this.dataVersionStatement ??= this.db.prepare('PRAGMA data_version').pluck();
    return `${this.dataVersionStatement.get()}:${this.localWrites}`;
  }
  private dataVersionStatement: Database.Statement | null = null;
  /** Write transactions this connection committed. */
  private localWrites = 0;

  /**
   * Run a write in one IMMEDIATE transaction, then bring the derived data
   * (search index, sentences, entity counts) up to date with what it changed,
   * in the same transaction. Triggers record what changed (migration 4).
   */
  private writeTransaction<T>(write: () => T): T {
    const result = this.db
      .transaction(() => {
        const result = write();
        syncDerived(this.db);
        return result;
      })
      .immediate();
    this.localWrites++;
    const version = this.db.prepare("SELECT value FROM meta WHERE key = 'graph_version'").get() as { value: string } | undefined;
    this.changes.report(Number(version?.value ?? 0));
    return result;
  }

  async replaceGraph(data: GraphData, fingerprint: string): Promise<void> {
    this.writeTransaction(() => this.writer.replaceGraph(data, fingerprint));
  }

  async writeDocument(batch: DocumentBatch, change: ChangeContext): Promise<WriteDocumentResult> {
    return this.writeTransaction(() => this.writer.writeDocument(batch, change));
  }

  async deleteDocument(id: string, change: ChangeContext): Promise<DeleteDocumentResult | null> {
    return this.writeTransaction(() => this.writer.deleteDocument(id, change));
  }

  async confirmEntity(id: string, change: ChangeContext): Promise<EntityRow | null> {
    return this.writeTransaction(() => this.writer.confirmEntity(id, change));
  }

  async rejectEntity(id: string, change: ChangeContext): Promise<boolean> {
    return this.writeTransaction(() => this.writer.rejectEntity(id, change));
  }

  async mergeEntities(fromId: string, intoId: string, change: ChangeContext): Promise<MergeResult> {
    return this.writeTransaction(() => this.writer.mergeEntities(fromId, intoId, change));
  }

  async saveStatement(save: StatementSave, change: ChangeContext): Promise<SaveResult<StatementRow>> {
    return this.writeTransaction(() => this.writer.saveStatement(save, change));
  }

  async saveRelationship(save: RelationshipSave, change: ChangeContext): Promise<SaveResult<RelationshipRow>> {
    return this.writeTransaction(() => this.writer.saveRelationship(save, change));
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
    await this.changes.close();
    this.statements.clear();
    this.db.close();
  }
}

function toPage<Row>(spec: TableSpec, rows: Record<string, unknown>[], first: number, query: ListQuery): Page<Row> {
  const kept = rows.slice(0, first);
  return {
    rows: kept.map((r) => fromSqlRow<Row>(spec, r)),
    positions: kept.map((r) => listPosition(query, r)),
    hasNextPage: rows.length > first,
  };
}
