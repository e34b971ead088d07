/**
 * The PostgreSQL backend: a pooled `pg` connection set for reads and writes,
 * the shared SQL of `src/store/sql/` for reading, transactional graph writes
 * that NOTIFY other instances, and a LISTEN connection that tells this
 * instance about their writes. Several server instances can share one
 * database: nothing about the graph is kept in the process.
 */
import { createHash } from 'node:crypto';

import type pg from 'pg';

import type { SearchPage, SearchQuery } from '../analyst-types.js';
import { searchPageFromRows } from '../sql/search-index.js';
import { GraphChangeHub } from '../graph-change-hub.js';
import type { PageRequest } from '../lists.js';
import { SchemaTooNewError } from '../schema-too-new-error.js';
import type { GraphChangeListener, GraphStore } from '../store.js';
import type { SqlStatement } from '../sql/list-sql.js';
import type { SqlCapabilities, SqlRow } from '../sql/sql-graph-reader.js';
import { SqlGraphStore } from '../sql/sql-graph-store.js';
import { runWriteAsync, type Step, type WriteOp } from '../sql/sql-writer.js';
import { bulkInsert } from './postgres-bulk-insert.js';
import { syncDerived } from './postgres-derived.js';
import { searchCountSql, searchPageSql, tsqueryText } from './postgres-search.js';
import { GRAPH_CHANGED_CHANNEL, PostgresGraphListener } from './postgres-listener.js';
import { ADVISORY_LOCK, migratePostgres } from './postgres-migrations.js';
import { toNumberedPlaceholders } from './postgres-placeholders.js';
import { createPool, describeUrl, inTransaction, type PostgresPoolOptions } from './postgres-pool.js';

/** Most distinct statement texts prepared by name (each connection keeps its own plans). */
const MAX_PREPARED = 500;

/** Options for opening a PostgreSQL store. */
export type PostgresStoreOptions = PostgresPoolOptions;

/** A `GraphStore` on a PostgreSQL database. */
export class PostgresStore extends SqlGraphStore implements GraphStore {
  readonly backend = 'postgres';
  protected readonly capabilities: SqlCapabilities = {
    maxKeysPerStatement: 10_000,
    keyList: 'any-array',
    ownersPerUnionStatement: 500,
    keptListCounts: false,
    ownerIndexPlans: false,
  };
  private readonly hub: GraphChangeHub;
  private count = 0;
  /** Prepared-statement names by statement text (`?` form); a null name runs unprepared. */
  private readonly prepared = new Map<string, { text: string; name: string | null }>();

  private constructor(
    private readonly pool: pg.Pool,
    url: string,
    options: PostgresStoreOptions,
  ) {
    super();
    const listener = new PostgresGraphListener(url, options, {
      notified: (version) => this.hub.report(version),
      reconnected: () => this.hub.recheck(),
    });
    this.hub = new GraphChangeHub(listener, () => this.graphVersion());
  }

  /**
   * Connect to the database at `url` (a `postgres://` or `postgresql://` URL)
   * and migrate it to the newest schema.
   * @throws Error naming the database (without its password) when it cannot be reached.
   * @throws SchemaTooNewError when newer code migrated the database.
   */
  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const pool = createPool(url, options);
    try {
      await migratePostgres(pool);
    } catch (error) {
      await pool.end().catch(() => undefined);
      if (error instanceof SchemaTooNewError) throw error;
      throw new Error(`Cannot open PostgreSQL database ${describeUrl(url)}: ${(error as Error).message}`, { cause: error });
    }
    return new PostgresStore(pool, url, options);
  }

  get statementCount(): number {
    return this.count;
  }

  /**
   * Run a statement as a named prepared statement: PostgreSQL parses and
   * plans it once per connection instead of on every call (planning costs
   * more than running most of these queries). Texts are few because key
   * lists are bound as one array; past `MAX_PREPARED` distinct texts, new
   * ones run unprepared.
   */
  protected async run(statement: SqlStatement): Promise<SqlRow[]> {
    this.count++;
    let entry = this.prepared.get(statement.sql);
    if (!entry) {
      const text = toNumberedPlaceholders(statement.sql);
      const name = this.prepared.size < MAX_PREPARED ? `kg_${createHash('sha1').update(text).digest('hex').slice(0, 20)}` : null;
      entry = { text, name };
      this.prepared.set(statement.sql, entry);
    }
    try {
      const { rows } = await this.pool.query(
        entry.name ? { name: entry.name, text: entry.text, values: statement.params } : { text: entry.text, values: statement.params },
      );
      return rows as SqlRow[];
    } catch (error) {
      // "cached plan must not change result type": a newer instance's migration changed a
      // table under a prepared `SELECT *`. Run this text unprepared from now on rather than fail.
      if (entry.name && (error as { code?: string }).code === '0A000') {
        entry.name = null;
        const { rows } = await this.pool.query(entry.text, statement.params);
        return rows as SqlRow[];
      }
      throw error;
    }
  }

  async search(query: SearchQuery, page: PageRequest): Promise<SearchPage> {
    const tsquery = tsqueryText(query);
    if (tsquery === null) return { rows: [], positions: [], hasNextPage: false };
    return searchPageFromRows(await this.run(searchPageSql(query, tsquery, page)), page.first);
  }

  async searchCount(query: SearchQuery): Promise<number> {
    const tsquery = tsqueryText(query);
    if (tsquery === null) return 0;
    return Number((await this.run(searchCountSql(query, tsquery)))[0]!.n);
  }

  /**
   * Run a write in one transaction: writers on every instance queue on an
   * advisory lock (the audit sequence and graph version are read, then
   * written), the shared writer's statements run on this connection, derived
   * data is brought up to date, and every instance is told (NOTIFY is
   * delivered when, and only if, the transaction commits).
   */
  protected async writeTransaction<T>(step: Step<T>): Promise<T> {
    const { result, version } = await inTransaction(this.pool, async (client) => {
      const execute = async (statement: SqlStatement): Promise<SqlRow[]> => {
        this.count++;
        return (await client.query(toNumberedPlaceholders(statement.sql), statement.params as unknown[])).rows as SqlRow[];
      };
      await execute({ sql: 'SELECT pg_advisory_xact_lock(?, ?)', params: [ADVISORY_LOCK.namespace, ADVISORY_LOCK.writeGraph] });
      const result = await runWriteAsync(step, async (op: WriteOp) => {
        switch (op.op) {
          case 'run': {
            this.count++;
            const answer = (await client.query(toNumberedPlaceholders(op.sql), op.params)) as unknown as { rowCount: number | null };
            return answer.rowCount ?? 0;
          }
          case 'all':
            return execute(op);
          case 'get':
            return (await execute(op))[0];
          case 'insertRows':
            this.count += await bulkInsert(client, op.table);
            return undefined;
        }
      });
      await syncDerived(execute);
      const version = Number((await execute({ sql: "SELECT value FROM meta WHERE key = 'graph_version'", params: [] }))[0]?.value ?? 0);
      await execute({ sql: 'SELECT pg_notify(?, ?)', params: [GRAPH_CHANGED_CHANNEL, String(version)] });
      return { result, version };
    });
    this.hub.report(version);
    return result;
  }

  onGraphChanged(listener: GraphChangeListener): Promise<() => void> {
    return this.hub.subscribe(listener);
  }

  async ping(): Promise<boolean> {
    try {
      await this.pool.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.hub.close();
    await this.pool.end();
  }
}
