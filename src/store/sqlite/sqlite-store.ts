/**
 * The embedded backend: one SQLite file through better-sqlite3, in WAL mode.
 * Reads are synchronous underneath and wrapped in promises to fit the store
 * interface; prepared statements are cached by their SQL text.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

import Database from 'better-sqlite3';

import { GraphChangeHub } from '../graph-change-hub.js';
import type { ListQuery, OwnerField, Page, PageRequest } from '../lists.js';
import type { GraphChangeListener, GraphStore, RowOf } from '../store.js';
import {
  listCountSql,
  listCountsByOwnerSql,
  listPageSql,
  listPagesByOwnerSql,
  type SqlStatement,
} from '../sql/list-sql.js';
import { fromSqlRow, insertSql, rowValues, SORT_KEYS, TABLES, type TableSpec } from '../sql/tables.js';
import type {
  AliasRow,
  DocumentRow,
  EntityRow,
  EventRow,
  EvidenceRow,
  GraphData,
  MentionRow,
  ParticipantRow,
  RelationshipRow,
  StatementRow,
  StatementSubjectRow,
} from '../types.js';
import { migrateSqlite } from './sqlite-migrations.js';

const LIST_TABLES: Record<ListQuery['list'], TableSpec> = {
  entities: TABLES.entities,
  events: TABLES.events,
  statements: TABLES.statements,
  relationships: TABLES.relationships,
  mentions: TABLES.mentions,
  documents: TABLES.documents,
};

/** SQLite's limit on bound parameters is 32766; stay well below it per statement. */
const MAX_KEYS_PER_STATEMENT = 900;

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

  async listPage<Q extends ListQuery>(query: Q, page: PageRequest): Promise<Page<RowOf<Q>>> {
    const spec = LIST_TABLES[query.list];
    const rows = this.all(listPageSql(query, page));
    return toPage(spec, rows, page.first);
  }

  async listCount(query: ListQuery): Promise<number> {
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
    for (let i = 0; i < unique.length; i += MAX_KEYS_PER_STATEMENT) {
      const chunk = unique.slice(i, i + MAX_KEYS_PER_STATEMENT);
      for (const row of this.all(listPagesByOwnerSql(query, owner, chunk, page))) {
        const key = String(row.owner);
        let list = grouped.get(key);
        if (!list) grouped.set(key, (list = []));
        list.push(row);
      }
    }
    const pages = new Map<string, Page<RowOf<Q>>>();
    for (const id of unique) pages.set(id, toPage(spec, grouped.get(id) ?? [], page.first));
    return pages;
  }

  async listCountsByOwner(query: ListQuery, owner: OwnerField, ownerIds: readonly string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    const unique = [...new Set(ownerIds)];
    for (const id of unique) counts.set(id, 0);
    for (let i = 0; i < unique.length; i += MAX_KEYS_PER_STATEMENT) {
      const chunk = unique.slice(i, i + MAX_KEYS_PER_STATEMENT);
      for (const row of this.all(listCountsByOwnerSql(query, owner, chunk))) counts.set(String(row.owner), Number(row.n));
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

  async replaceGraph(data: GraphData, fingerprint: string): Promise<void> {
    const mentionCounts = new Map<string, number>();
    for (const m of data.mentions) mentionCounts.set(m.entityId, (mentionCounts.get(m.entityId) ?? 0) + 1);
    const write = this.db.transaction(() => {
      for (const key of Object.keys(TABLES) as (keyof typeof TABLES)[]) {
        this.db.prepare(`DELETE FROM ${TABLES[key].table}`).run();
      }
      for (const key of Object.keys(TABLES) as (keyof typeof TABLES)[]) {
        const spec = TABLES[key];
        const sortKey = SORT_KEYS[key];
        const insert = this.db.prepare(insertSql(spec, sortKey !== undefined));
        for (const row of data[key] as object[]) {
          const full = key === 'entities' ? { ...row, mentionCount: mentionCounts.get((row as EntityRow).id) ?? 0 } : row;
          insert.run(...rowValues(spec, full, sortKey?.(full as Record<string, unknown>)));
        }
      }
      const upsert = this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
      upsert.run('seed_fingerprint', fingerprint);
      const version = this.db.prepare("SELECT value FROM meta WHERE key = 'graph_version'").get() as { value: string } | undefined;
      const next = Number(version?.value ?? 0) + 1;
      upsert.run('graph_version', String(next));
      return next;
    });
    const next = write.immediate();
    this.count++;
    this.changes.report(next);
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

function toPage<Row>(spec: TableSpec, rows: Record<string, unknown>[], first: number): Page<Row> {
  const kept = rows.slice(0, first);
  return {
    rows: kept.map((r) => fromSqlRow<Row>(spec, r)),
    positions: kept.map((r) => ({ sortKey: String(r.sort_key), id: String(r.id) })),
    hasNextPage: rows.length > first,
  };
}
