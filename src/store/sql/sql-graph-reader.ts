/**
 * The read side of the store, written once for SQL backends over the shared
 * statements of `list-sql.ts` and the column maps of `tables.ts`. A backend
 * supplies `run` (execute one statement, `?` placeholders) and its
 * capabilities; everything else, batching included, is here.
 */
import type { ListQuery, OwnerField, Page, PageRequest } from '../lists.js';
import type { GraphReader, RowOf } from '../store.js';
import type {
  AliasRow,
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
  type SqlStatement,
} from './list-sql.js';
import { fromSqlRow, TABLES, type TableSpec } from './tables.js';

/** The table each list pages through. */
export const LIST_TABLES: Record<ListQuery['list'], TableSpec> = {
  entities: TABLES.entities,
  events: TABLES.events,
  statements: TABLES.statements,
  relationships: TABLES.relationships,
  mentions: TABLES.mentions,
  documents: TABLES.documents,
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

  async listPage<Q extends ListQuery>(query: Q, page: PageRequest): Promise<Page<RowOf<Q>>> {
    return toPage(LIST_TABLES[query.list], await this.run(listPageSql(query, page)), page.first);
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
    for (const id of chunks.flat()) pages.set(id, toPage(spec, grouped.get(id) ?? [], page.first));
    return pages;
  }

  async listCountsByOwner(query: ListQuery, owner: OwnerField, ownerIds: readonly string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const chunk of this.chunks(ownerIds)) {
      for (const id of chunk) counts.set(id, 0);
      const statement = listCountsByOwnerSql(query, owner, chunk, { keyList: this.capabilities.keyList });
      for (const row of await this.run(statement)) counts.set(String(row.owner), Number(row.n));
    }
    return counts;
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
export function toPage<Row>(spec: TableSpec, rows: SqlRow[], first: number): Page<Row> {
  const kept = rows.slice(0, first);
  return {
    rows: kept.map((r) => fromSqlRow<Row>(spec, r)),
    positions: kept.map((r) => ({ sortKey: String(r.sort_key), id: String(r.id) })),
    hasNextPage: rows.length > first,
  };
}
