/**
 * The read side of the store, written once for SQL backends over the shared
 * statements of `list-sql.ts` and the column maps of `tables.ts`. Each read is
 * a generator that yields the statements it needs (`ReadStep`) and receives
 * their rows, so one body of code serves a synchronous driver (better-sqlite3:
 * `runReadSync`, one promise per store call) and an asynchronous one (`pg`:
 * `runReadAsync`), as the writes of `sql-writer.ts` do. A backend supplies
 * `run` (execute one statement, `?` placeholders), optionally `read` (how a
 * whole read is driven) and its capabilities; everything else, batching
 * included, is here.
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
  SearchPage,
  SearchQuery,
  StatementMatrixRow,
  StatsRow,
} from '../analyst-types.js';
import type { EventListQuery, ListQuery, OwnerField, Page, PageRequest, RelationshipListQuery } from '../lists.js';
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
  readAdjacency,
  readDegreeSum,
  readAdjacentEntities,
  readEntitySummaries,
  statsSql,
} from './analyst-sql.js';
import { keptCountColumn, keptCountSql } from './entity-counts-sql.js';
import {
  indexedOwner,
  indexedOwnerCountSql,
  indexedOwnerPageSql,
  inListOrder,
  linkedCountSql,
  ownedRelationshipsApplies,
  ownedRelationshipsCountSql,
  ownedRelationshipsPageSql,
} from './owned-list-sql.js';
import { EXTRA_TABLES, fromSqlRow, TABLES, type TableSpec } from './tables.js';

/** The table each list pages through. */
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
  /**
   * Owners per statement built with one or two UNION ALL arms per owner (the
   * kept counts of `entity-counts-sql.ts`, the plans of `owned-list-sql.ts`).
   * SQLite allows 500 arms in one compound SELECT.
   */
  ownersPerUnionStatement: number;
  /**
   * The database keeps each list's size in `list_counts` (triggers): an
   * unfiltered `listCount` reads one row instead of counting.
   */
  keptListCounts: boolean;
  /**
   * Nested lists and their counts read by owner from indexes
   * (`owned-list-sql.ts`): each owner's page in index order with a LIMIT,
   * counts as index range counts, so that hubs cost what other entities do.
   * Written and measured for SQLite's planner; without it the generic
   * statements of `list-sql.ts` answer (same rows, same order, same counts).
   */
  ownerIndexPlans: boolean;
}

/** A database row as the driver returns it: column name to value. */
export type SqlRow = Record<string, unknown>;

/** A read: yields the statements it needs, receives their rows, returns `T`. */
export type ReadStep<T> = Generator<SqlStatement, T, SqlRow[]>;

/** Drive a read synchronously: `run` answers each statement at once. */
export function runReadSync<T>(step: ReadStep<T>, run: (statement: SqlStatement) => SqlRow[]): T {
  let next = step.next();
  while (!next.done) next = step.next(run(next.value));
  return next.value;
}

/** Drive a read asynchronously: `run` answers each statement in turn. */
export async function runReadAsync<T>(step: ReadStep<T>, run: (statement: SqlStatement) => Promise<SqlRow[]>): Promise<T> {
  let next = step.next();
  while (!next.done) next = step.next(await run(next.value));
  return next.value;
}

/** True when the index-ordered plan of `ownedRelationshipsPageSql` answers this nested list. */
function isOwnedRelationships(query: ListQuery, owner: OwnerField): boolean {
  return query.list === 'relationships' && owner === 'entity' && ownedRelationshipsApplies(query);
}

/** True when the list query has no filter (every field but `list` unset). */
function unfiltered(query: ListQuery): boolean {
  return Object.entries(query).every(([key, value]) => key === 'list' || value === null || value === undefined);
}

/** `GraphReader` over SQL: subclasses run statements, this class builds them. */
export abstract class SqlGraphReader implements GraphReader {
  /**
   * Run one statement written with `?` placeholders and return its rows.
   * Backends whose driver numbers placeholders rewrite them here.
   */
  protected abstract run(statement: SqlStatement): Promise<SqlRow[]>;

  /**
   * Drive one read to its result. By default each statement goes through
   * `run`; a backend whose driver answers synchronously drives the whole read
   * at once instead (one promise per store call, not one per statement).
   */
  protected read<T>(step: ReadStep<T>): Promise<T> {
    return runReadAsync(step, (statement) => this.run(statement));
  }

  /** The backend's capabilities. */
  protected abstract readonly capabilities: SqlCapabilities;

  /** `keys` without repeats, in chunks of `size` (default: what the backend can bind in one statement). */
  protected chunks(keys: readonly string[], size = this.capabilities.maxKeysPerStatement): string[][] {
    const unique = [...new Set(keys)];
    const out: string[][] = [];
    for (let i = 0; i < unique.length; i += size) out.push(unique.slice(i, i + size));
    return out;
  }

  /** Rows whose `column` is one of `keys`, ordered by `orderBy` within each chunk. */
  protected byKeys<T>(spec: TableSpec, column: string, keys: readonly string[], orderBy?: string): Promise<T[]> {
    return this.read(this.byKeysStep<T>(spec, column, keys, orderBy));
  }

  private *byKeysStep<T>(spec: TableSpec, column: string, keys: readonly string[], orderBy?: string): ReadStep<T[]> {
    const out: T[] = [];
    const style = this.capabilities.keyList;
    for (const chunk of this.chunks(keys)) {
      // perf: the text is built once per table, column, order and number of keys (a placeholder list
      // costs more than the rest of a one-key lookup's JavaScript); the keys bind as `keyIn` binds them.
      const memo = `${spec.table} ${column} ${orderBy ?? ''} ${style === 'any-array' ? 0 : chunk.length}`;
      let sql = this.byKeysSql.get(memo);
      if (sql === undefined) {
        sql = `SELECT * FROM ${spec.table} WHERE ${keyIn(column, chunk, style).sql}` + (orderBy ? ` ORDER BY ${orderBy}` : '');
        this.byKeysSql.set(memo, sql);
      }
      for (const row of yield { sql, params: style === 'any-array' ? [chunk] : chunk }) out.push(fromSqlRow<T>(spec, row));
    }
    return out;
  }
  /** Statement texts of `byKeys`, by table, column, order and number of keys. */
  private readonly byKeysSql = new Map<string, string>();

  /** The rows of one statement, mapped by `map`. */
  private rowsOf<T>(statement: () => SqlStatement, map: (row: SqlRow) => T): Promise<T[]> {
    return this.read(oneStatement(statement, (rows) => rows.map(map)));
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
    const statement = {
      sql:
        'SELECT a.entity_id AS entity_id, e.type AS type, a.name AS name, e.method AS method FROM aliases a ' +
        'JOIN entities e ON e.id = a.entity_id ORDER BY a.entity_id, a.ord',
      params: [],
    };
    return this.rowsOf(() => statement, (r) => ({ entityId: String(r.entity_id), type: r.type, name: String(r.name), method: r.method }) as NameRow);
  }
  documentsByContentHash(hash: string): Promise<DocumentRow[]> {
    return this.byKeys(TABLES.documents, 'content_hash', [hash]);
  }

  listPage<Q extends ListQuery>(query: Q, page: PageRequest): Promise<Page<RowOf<Q>>> {
    return this.read(oneStatement(() => listPageSql(query, page), (rows) => toPage<RowOf<Q>>(LIST_TABLES[query.list], rows, page.first, query)));
  }

  listCount(query: ListQuery): Promise<number> {
    return this.read(this.listCountStep(query));
  }

  private *listCountStep(query: ListQuery): ReadStep<number> {
    // perf: an unfiltered list's size is kept by triggers (list_counts) where the backend keeps it.
    if (this.capabilities.keptListCounts && unfiltered(query)) {
      const kept = (yield { sql: 'SELECT n FROM list_counts WHERE list = ?', params: [query.list] })[0];
      if (kept) return Number(kept.n);
    }
    return Number((yield listCountSql(query))[0]!.n);
  }

  listPagesByOwner<Q extends ListQuery>(
    query: Q,
    owner: OwnerField,
    ownerIds: readonly string[],
    page: PageRequest,
  ): Promise<Map<string, Page<RowOf<Q>>>> {
    return this.read(this.listPagesByOwnerStep(query, owner, ownerIds, page));
  }

  private *listPagesByOwnerStep<Q extends ListQuery>(
    query: Q,
    owner: OwnerField,
    ownerIds: readonly string[],
    page: PageRequest,
  ): ReadStep<Map<string, Page<RowOf<Q>>>> {
    const grouped = new Map<string, SqlRow[]>();
    // perf: index-ordered pages for hubs (owned-list-sql.ts) where the backend has those plans.
    const plans = this.capabilities.ownerIndexPlans;
    const fast = plans && isOwnedRelationships(query, owner);
    const indexed = plans && !fast ? indexedOwner(query, owner) : null;
    const ordered = fast || indexed !== null;
    const chunks = this.chunks(ownerIds, ordered ? this.capabilities.ownersPerUnionStatement : undefined);
    for (const chunk of chunks) {
      const statement = fast
        ? ownedRelationshipsPageSql(query as RelationshipListQuery, chunk, page)
        : indexed
          ? indexedOwnerPageSql(indexed, chunk, page)
          : listPagesByOwnerSql(query, owner, chunk, page, { keyList: this.capabilities.keyList });
      for (const row of yield statement) {
        const key = String(row.owner);
        let list = grouped.get(key);
        if (!list) grouped.set(key, (list = []));
        list.push(row);
      }
    }
    const pages = new Map<string, Page<RowOf<Q>>>();
    const spec = LIST_TABLES[query.list];
    for (const chunk of chunks) {
      for (const id of chunk) pages.set(id, toPage(spec, ordered ? inListOrder(grouped.get(id) ?? []) : (grouped.get(id) ?? []), page.first, query));
    }
    return pages;
  }

  listCountsByOwner(query: ListQuery, owner: OwnerField, ownerIds: readonly string[]): Promise<Map<string, number>> {
    return this.read(this.listCountsByOwnerStep(query, owner, ownerIds));
  }

  private *listCountsByOwnerStep(query: ListQuery, owner: OwnerField, ownerIds: readonly string[]): ReadStep<Map<string, number>> {
    // perf: an unfiltered nested count of an entity reads the count kept on its row (entity-counts-sql.ts);
    // else, where the backend has those plans, index range counts for hubs (owned-list-sql.ts). Both put
    // one or two UNION ALL arms per owner in a statement.
    const kept = keptCountColumn(query, owner) !== null;
    const plans = this.capabilities.ownerIndexPlans && !kept;
    const fast = plans && isOwnedRelationships(query, owner);
    const indexed = plans && !fast ? indexedOwner(query, owner) : null;
    const linked = plans && !fast && !indexed && linkedCountSql(query, owner, []) !== null;
    const chunks = this.chunks(ownerIds, kept || fast || indexed || linked ? this.capabilities.ownersPerUnionStatement : undefined);
    const counts = new Map<string, number>();
    for (const chunk of chunks) for (const id of chunk) counts.set(id, 0);
    for (const chunk of chunks) {
      const statement = kept
        ? keptCountSql(query, owner, chunk)!
        : fast
          ? ownedRelationshipsCountSql(query as RelationshipListQuery, chunk)
          : indexed
            ? indexedOwnerCountSql(indexed, chunk)
            : linked
              ? linkedCountSql(query, owner, chunk)!
              : listCountsByOwnerSql(query, owner, chunk, { keyList: this.capabilities.keyList });
      for (const row of yield statement) counts.set(String(row.owner), Number(row.n));
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
    return readDegreeSum(this.adjacencyRunner(), ids);
  }

  /**
   * How adjacency statements run on this backend: through `run`, with the key
   * lists of its capabilities. A backend overrides it to name its indexes or to
   * read rows more cheaply (SQLite: `runArrays`, index hints, longer key lists).
   */
  protected adjacencyRunner(): AdjacencyRunner {
    return { run: (s) => this.run(s), dialect: { keyList: this.capabilities.keyList }, maxParams: this.capabilities.maxKeysPerStatement };
  }

  eventCountsByPeriod(query: EventListQuery, granularity: 'YEAR' | 'MONTH'): Promise<PeriodCountRow[]> {
    return this.rowsOf(() => eventCountsByPeriodSql(query, granularity), (r) => ({
      year: Number(r.y),
      month: r.m === null ? null : Number(r.m),
      count: Number(r.n),
      inferredCount: Number(r.inferred ?? 0),
    }));
  }

  statementMatrix(kinds: readonly string[] | null, first: number): Promise<StatementMatrixRow[]> {
    return this.rowsOf(() => statementMatrixSql(kinds, first), (r) => ({
      speakerId: String(r.speaker_id),
      subjectId: String(r.subject_id),
      kind: String(r.kind),
      count: Number(r.n),
    }));
  }

  coMentions(first: number): Promise<CoMentionRow[]> {
    return this.rowsOf(() => coMentionsSql(first), (r) => ({ aId: String(r.a_id), bId: String(r.b_id), count: Number(r.n) }));
  }

  coMentionSentences(pairs: readonly { aId: string; bId: string }[], perPair: number): Promise<CoMentionSentenceRow[]> {
    return this.read(this.coMentionSentencesStep(pairs, perPair));
  }

  private *coMentionSentencesStep(pairs: readonly { aId: string; bId: string }[], perPair: number): ReadStep<CoMentionSentenceRow[]> {
    const out: CoMentionSentenceRow[] = [];
    const chunkSize = Math.max(1, Math.floor(this.capabilities.maxKeysPerStatement / 2));
    for (let i = 0; i < pairs.length; i += chunkSize) {
      for (const r of yield coMentionSentencesSql(pairs.slice(i, i + chunkSize), perPair)) {
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

  stats(): Promise<StatsRow[]> {
    return this.rowsOf(() => statsSql(), (r) => ({
      subject: String(r.subject),
      type: r.type == null ? null : String(r.type),
      kind: r.kind == null ? null : String(r.kind),
      count: Number(r.n),
    }));
  }

  seedFingerprint(): Promise<string | null> {
    return this.read(oneStatement(() => metaValueSql('seed_fingerprint'), (rows) => (rows[0] ? String(rows[0].value) : null)));
  }

  graphVersion(): Promise<number> {
    return this.read(oneStatement(() => metaValueSql('graph_version'), (rows) => (rows[0] ? Number(rows[0].value) : 0)));
  }
}

/**
 * A read of one statement: its rows, answered by `answer`. The statement is
 * built inside the read, so that an error building it (a bad cursor, say)
 * rejects the store call's promise like any other, never throws at the caller.
 */
function* oneStatement<T>(statement: () => SqlStatement, answer: (rows: SqlRow[]) => T): ReadStep<T> {
  return answer(yield statement());
}

/** The value kept in `meta` under `key`. */
function metaValueSql(key: string): SqlStatement {
  return { sql: 'SELECT value FROM meta WHERE key = ?', params: [key] };
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
