/**
 * The embedded backend: one SQLite file through better-sqlite3, in WAL mode.
 * Reads go through the shared `SqlGraphReader` with SQLite's capabilities;
 * they are synchronous underneath, each store call driven at once and wrapped
 * in one promise to fit the store interface. Prepared statements are cached
 * by their SQL text.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

import Database from 'better-sqlite3';

import { GraphChangeHub } from '../graph-change-hub.js';
import type { SearchPage, SearchQuery } from '../analyst-types.js';
import type { PageRequest } from '../lists.js';
import type { GraphChangeListener, GraphStore } from '../store.js';
import type { SqlStatement } from '../sql/list-sql.js';
import type { AdjacencyRunner } from '../sql/analyst-sql.js';
import { searchPageFromRows } from '../sql/search-index.js';
import { type ReadStep, runReadSync, type SqlCapabilities, type SqlRow } from '../sql/sql-graph-reader.js';
import { SqlGraphStore } from '../sql/sql-graph-store.js';
import type { Step } from '../sql/sql-writer.js';
import { syncDerived } from './sqlite-derived.js';
import { migrateSqlite } from './sqlite-migrations.js';
import { SqliteWriter } from './sqlite-writer.js';
import { INDEX_AVERAGES_SQL, indexRowCount, matchesFromDocsProbe, searchCountSql, searchPageSql } from './sqlite-search.js';

/** SQLite's limit on bound parameters is 32766; stay well below it per statement. */
const MAX_KEYS_PER_STATEMENT = 900;

/** Parameters per adjacency statement (each frontier id is bound five times); SQLite allows 32,766. */
const ADJACENCY_PARAMS = 30_000;
/** SQLite's planner needs the covering indexes named, and the `toIds` filter kept off the indexes. */
const ADJACENCY_DIALECT = { indexHints: true, filterAfterRead: true } as const;

/** Owners per statement of the index-ordered relationship plan (each owner is two compound SELECTs; SQLite allows 500). */
const FAST_OWNERS_PER_STATEMENT = 200;

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
export class SqliteStore extends SqlGraphStore implements GraphStore {
  readonly backend = 'sqlite';
  protected readonly capabilities: SqlCapabilities = {
    maxKeysPerStatement: MAX_KEYS_PER_STATEMENT,
    keyList: 'in-list',
    ownersPerUnionStatement: FAST_OWNERS_PER_STATEMENT,
    keptListCounts: true,
    ownerIndexPlans: true,
  };
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private count = 0;
  private readonly changes: GraphChangeHub;
  private readonly writes: SqliteWriter;

  /** Open (creating if needed) the database at `path` and migrate it. */
  constructor(readonly path: string, options: SqliteStoreOptions = {}) {
    super();
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
    this.writes = new SqliteWriter(this.db, () => {
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

  /** Every read of the shared reader runs here, synchronously, in one promise per store call. */
  protected override async read<T>(step: ReadStep<T>): Promise<T> {
    return runReadSync(step, this.allRows);
  }
  private readonly allRows = (statement: SqlStatement): SqlRow[] => this.all(statement);

  protected async run(statement: SqlStatement): Promise<SqlRow[]> {
    return this.all(statement);
  }

  async search(query: SearchQuery, page: PageRequest): Promise<SearchPage> {
    if (query.terms.length === 0) return { rows: [], positions: [], hasNextPage: false };
    const rows = this.all(searchPageSql(query, page));
    const found = searchPageFromRows(rows, page.first);
    // A one-term search learns its number of matches while ranking (sqlite-search.ts, `matchesFromDocsProbe`);
    // read outside a write transaction only, where the averages record on disk is the index's current one.
    const probe = rows[0]?.docs;
    if (typeof probe === 'number' && !this.db.inTransaction) {
      const averages = this.all({ sql: INDEX_AVERAGES_SQL, params: [] })[0]?.block;
      const matches = averages instanceof Uint8Array ? matchesFromDocsProbe(probe, indexRowCount(averages)) : null;
      if (matches !== null) found.matches = matches;
    }
    return found;
  }

  async searchCount(query: SearchQuery): Promise<number> {
    if (query.terms.length === 0) return 0;
    return Number(this.all(searchCountSql(query))[0]!.n);
  }

  /** Adjacency statements run here, synchronously, with the covering indexes named (see `AdjacencyDialect`). */
  protected override adjacencyRunner(): AdjacencyRunner {
    return this.sqliteAdjacency;
  }
  private readonly sqliteAdjacency: AdjacencyRunner = {
    run: (s) => this.all(s),
    runArrays: (s, columns) => this.arrays(s, columns),
    dialect: ADJACENCY_DIALECT,
    maxParams: ADJACENCY_PARAMS,
  };

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
  protected async writeTransaction<T>(step: Step<T>): Promise<T> {
    const result = this.db
      .transaction(() => {
        const result = this.writes.drive(step);
        syncDerived(this.db);
        return result;
      })
      .immediate();
    this.localWrites++;
    const version = this.db.prepare("SELECT value FROM meta WHERE key = 'graph_version'").get() as { value: string } | undefined;
    this.changes.report(Number(version?.value ?? 0));
    return result;
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
