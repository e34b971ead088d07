/**
 * The read side of the store, written once for SQL backends over the shared
 * statements of `list-sql.ts` and the column maps of `tables.ts`. A backend
 * supplies `run` (execute one statement, `?` placeholders) and its
 * capabilities; everything else, batching included, is here.
 */
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
  StatementMatrixRow,
  StatsRow,
} from '../analyst-types.js';
import type { EventListQuery, ListQuery, OwnerField, Page, PageRequest } from '../lists.js';
import type { GraphReader, RowOf } from '../store.js';
import type {
  AliasRow,
  DateMentionRow,
  NameRow,
  RedirectRow,
  DocumentRow,
  EntityRow,
  EventRow,
  EvidenceRow,
  MentionRow,
  ParticipantRow,
  RelationshipRow,
  StatementRow,
  StatementSubjectRow,
} from '../types.js';
import {
  keyIn,
  type KeyListStyle,
  listCountSql,
  listCountsByOwnerSql,
  listPageSql,
  listPagesByOwnerSql,
  listPosition,
  type SqlStatement,
} from './list-sql.js';
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
} from './analyst-sql.js';
import { keptCountColumn, keptCountSql } from './entity-counts-sql.js';
import { EXTRA_TABLES, fromSqlRow, TABLES, type TableSpec } from './tables.js';

/** The table each list pages through. */
/** Owners per kept-count statement (each owner is one UNION ALL arm). */
const KEPT_COUNT_OWNERS_PER_STATEMENT = 500;

export const LIST_TABLES: Record<ListQuery['list'], TableSpec> = {
  entities: TABLES.entities,
  events: TABLES.events,
  statements: TABLES.statements,
  relationships: TABLES.relationships,
  mentions: TABLES.mentions,
  documents: TABLES.documents,
  audit: EXTRA_TABLES.audit,
};

/**
 * What differs between SQL databases for reading, as flags with the values
 * each backend states (Kysely-style), never as `if (backend)` in shared code.
 */
export interface SqlCapabilities {
  /**
   * Most keys bound in one `IN (…)` list; longer key lists are split into
   * several statements. SQLite allows 32,766 parameters, PostgreSQL 65,535.
   */
  maxKeysPerStatement: number;
  /** How key lists are bound (see `KeyListStyle`). */
  keyList: KeyListStyle;
}

/** A database row as the driver returns it: column name to value. */
export type SqlRow = Record<string, unknown>;

/** `GraphReader` over SQL: subclasses run statements, this class builds them. */
export abstract class SqlGraphReader implements GraphReader {
  /**
   * Run one statement written with `?` placeholders and return its rows.
   * Backends whose driver numbers placeholders rewrite them here.
   */
  protected abstract run(statement: SqlStatement): Promise<SqlRow[]>;

  /** The backend's capabilities. */
  protected abstract readonly capabilities: SqlCapabilities;

  /** `keys` without repeats, in chunks the backend can bind in one statement. */
  protected chunks(keys: readonly string[]): string[][] {
    const unique = [...new Set(keys)];
    const size = this.capabilities.maxKeysPerStatement;
    const out: string[][] = [];
    for (let i = 0; i < unique.length; i += size) out.push(unique.slice(i, i + size));
    return out;
  }

  /** Rows whose `column` is one of `keys`, ordered by `orderBy` within each chunk. */
  protected async byKeys<T>(spec: TableSpec, column: string, keys: readonly string[], orderBy?: string): Promise<T[]> {
    const out: T[] = [];
    for (const chunk of this.chunks(keys)) {
      const where = keyIn(column, chunk, this.capabilities.keyList);
      const sql = `SELECT * FROM ${spec.table} WHERE ${where.sql}` + (orderBy ? ` ORDER BY ${orderBy}` : '');
      for (const row of await this.run({ sql, params: where.params })) out.push(fromSqlRow<T>(spec, row));
    }
    return out;
  }

  entitiesByIds(ids: readonly string[]): Promise<EntityRow[]> {
    return this.byKeys(TABLES.entities, 'id', ids);
  }
  eventsByIds(ids: readonly string[]): Promise<EventRow[]> {
    return this.byKeys(TABLES.events, 'id', ids);
  }
  statementsByIds(ids: readonly string[]): Promise<StatementRow[]> {
    return this.byKeys(TABLES.statements, 'id', ids);
  }
  relationshipsByIds(ids: readonly string[]): Promise<RelationshipRow[]> {
    return this.byKeys(TABLES.relationships, 'id', ids);
  }
  documentsByIds(ids: readonly string[]): Promise<DocumentRow[]> {
    return this.byKeys(TABLES.documents, 'id', ids);
  }
  mentionsByIds(ids: readonly string[]): Promise<MentionRow[]> {
    return this.byKeys(TABLES.mentions, 'id', ids);
  }
  aliasesByEntityIds(ids: readonly string[]): Promise<AliasRow[]> {
    return this.byKeys(TABLES.aliases, 'entity_id', ids, 'entity_id, ord');
  }
  evidenceByOwnerIds(ids: readonly string[]): Promise<EvidenceRow[]> {
    return this.byKeys(TABLES.evidence, 'owner_id', ids, 'owner_id, ord');
  }
  participantsByEventIds(ids: readonly string[]): Promise<ParticipantRow[]> {
    return this.byKeys(TABLES.participants, 'event_id', ids, 'event_id, ord');
  }
  subjectsByStatementIds(ids: readonly string[]): Promise<StatementSubjectRow[]> {
    return this.byKeys(TABLES.statementSubjects, 'statement_id', ids, 'statement_id, ord');
  }
  aliasesByNorms(norms: readonly string[]): Promise<AliasRow[]> {
    return this.byKeys(TABLES.aliases, 'norm', norms, 'norm, entity_id, ord');
  }

  dateMentionsByDocumentIds(ids: readonly string[]): Promise<DateMentionRow[]> {
    return this.byKeys(EXTRA_TABLES.dateMentions, 'document_id', ids, 'sort_key, id');
  }
  redirectsByIds(ids: readonly string[]): Promise<RedirectRow[]> {
    return this.byKeys(EXTRA_TABLES.redirects, 'from_id', ids);
  }
  async entityNames(): Promise<NameRow[]> {
    const rows = await this.run({
      sql:
        'SELECT a.entity_id AS entity_id, e.type AS type, a.name AS name, e.method AS method FROM aliases a ' +
        'JOIN entities e ON e.id = a.entity_id ORDER BY a.entity_id, a.ord',
      params: [],
    });
    return rows.map((r) => ({ entityId: String(r.entity_id), type: r.type, name: String(r.name), method: r.method }) as NameRow);
  }
  documentsByContentHash(hash: string): Promise<DocumentRow[]> {
    return this.byKeys(TABLES.documents, 'content_hash', [hash]);
  }

  async listPage<Q extends ListQuery>(query: Q, page: PageRequest): Promise<Page<RowOf<Q>>> {
    return toPage(LIST_TABLES[query.list], await this.run(listPageSql(query, page)), page.first, query);
  }

  async listCount(query: ListQuery): Promise<number> {
    return Number((await this.run(listCountSql(query)))[0]!.n);
  }

  async listPagesByOwner<Q extends ListQuery>(
    query: Q,
    owner: OwnerField,
    ownerIds: readonly string[],
    page: PageRequest,
  ): Promise<Map<string, Page<RowOf<Q>>>> {
    const grouped = new Map<string, SqlRow[]>();
    const chunks = this.chunks(ownerIds);
    for (const chunk of chunks) {
      for (const row of await this.run(listPagesByOwnerSql(query, owner, chunk, page, { keyList: this.capabilities.keyList }))) {
        const key = String(row.owner);
        let list = grouped.get(key);
        if (!list) grouped.set(key, (list = []));
        list.push(row);
      }
    }
    const pages = new Map<string, Page<RowOf<Q>>>();
    const spec = LIST_TABLES[query.list];
    for (const id of chunks.flat()) pages.set(id, toPage(spec, grouped.get(id) ?? [], page.first, query));
    return pages;
  }

  async listCountsByOwner(query: ListQuery, owner: OwnerField, ownerIds: readonly string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    // perf: an unfiltered nested count of an entity reads the count kept on its row (entity-counts-sql.ts),
    // a few hundred owners per statement (each is one UNION ALL arm).
    if (keptCountColumn(query, owner)) {
      const unique = [...new Set(ownerIds)];
      for (let i = 0; i < unique.length; i += KEPT_COUNT_OWNERS_PER_STATEMENT) {
        const chunk = unique.slice(i, i + KEPT_COUNT_OWNERS_PER_STATEMENT);
        for (const id of chunk) counts.set(id, 0);
        for (const row of await this.run(keptCountSql(query, owner, chunk)!)) counts.set(String(row.owner), Number(row.n));
      }
      return counts;
    }
    for (const chunk of this.chunks(ownerIds)) {
      for (const id of chunk) counts.set(id, 0);
      const statement = listCountsByOwnerSql(query, owner, chunk, { keyList: this.capabilities.keyList });
      for (const row of await this.run(statement)) counts.set(String(row.owner), Number(row.n));
    }
    return counts;
  }

  abstract search(query: SearchQuery, page: PageRequest): Promise<SearchPage>;
  abstract searchCount(query: SearchQuery): Promise<number>;

  async adjacency(ids: readonly string[], options: AdjacencyOptions = {}): Promise<AdjacencyRow[]> {
    return readAdjacency(this.adjacencyRunner(), ids, options);
  }

  async adjacentEntities(ids: readonly string[], options: AdjacentEntitiesOptions): Promise<AdjacentEntities> {
    return readAdjacentEntities(this.adjacencyRunner(), ids, options);
  }

  async entitySummaries(ids: readonly string[]): Promise<EntitySummaryRow[]> {
    return readEntitySummaries(this.adjacencyRunner(), ids);
  }

  async degreeSum(ids: readonly string[]): Promise<number> {
    let sum = 0;
    for (const chunk of this.chunks(ids)) sum += Number((await this.run(degreeSumSql(chunk, { keyList: this.capabilities.keyList })))[0]!.n);
    return sum;
  }

  /** How adjacency statements run on this backend. */
  private adjacencyRunner(): AdjacencyRunner {
    return { run: (s) => this.run(s), dialect: { keyList: this.capabilities.keyList }, maxParams: this.capabilities.maxKeysPerStatement };
  }

  async eventCountsByPeriod(query: EventListQuery, granularity: 'YEAR' | 'MONTH'): Promise<PeriodCountRow[]> {
    return (await this.run(eventCountsByPeriodSql(query, granularity))).map((r) => ({
      year: Number(r.y),
      month: r.m === null ? null : Number(r.m),
      count: Number(r.n),
      inferredCount: Number(r.inferred ?? 0),
    }));
  }

  async statementMatrix(kinds: readonly string[] | null, first: number): Promise<StatementMatrixRow[]> {
    return (await this.run(statementMatrixSql(kinds, first))).map((r) => ({
      speakerId: String(r.speaker_id),
      subjectId: String(r.subject_id),
      kind: String(r.kind),
      count: Number(r.n),
    }));
  }

  async coMentions(first: number): Promise<CoMentionRow[]> {
    return (await this.run(coMentionsSql(first))).map((r) => ({ aId: String(r.a_id), bId: String(r.b_id), count: Number(r.n) }));
  }

  async coMentionSentences(pairs: readonly { aId: string; bId: string }[], perPair: number): Promise<CoMentionSentenceRow[]> {
    const out: CoMentionSentenceRow[] = [];
    const chunkSize = Math.max(1, Math.floor(this.capabilities.maxKeysPerStatement / 2));
    for (let i = 0; i < pairs.length; i += chunkSize) {
      for (const r of await this.run(coMentionSentencesSql(pairs.slice(i, i + chunkSize), perPair))) {
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
    return (await this.run(statsSql())).map((r) => ({
      subject: String(r.subject),
      type: r.type == null ? null : String(r.type),
      kind: r.kind == null ? null : String(r.kind),
      count: Number(r.n),
    }));
  }

  async seedFingerprint(): Promise<string | null> {
    const row = (await this.run({ sql: 'SELECT value FROM meta WHERE key = ?', params: ['seed_fingerprint'] }))[0];
    return row ? String(row.value) : null;
  }

  async graphVersion(): Promise<number> {
    const row = (await this.run({ sql: 'SELECT value FROM meta WHERE key = ?', params: ['graph_version'] }))[0];
    return row ? Number(row.value) : 0;
  }
}

/** A page from `first + 1` fetched rows: the extra row only says that more follow. */
export function toPage<Row>(spec: TableSpec, rows: SqlRow[], first: number, query: ListQuery): Page<Row> {
  const kept = rows.slice(0, first);
  return {
    rows: kept.map((r) => fromSqlRow<Row>(spec, r)),
    positions: kept.map((r) => listPosition(query, r)),
    hasNextPage: rows.length > first,
  };
}
