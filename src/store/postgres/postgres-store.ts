/**
 * The PostgreSQL backend: a pooled `pg` connection set for reads and writes,
 * the shared SQL of `src/store/sql/` for reading, transactional graph writes
 * that NOTIFY other instances, and a LISTEN connection that tells this
 * instance about their writes. Several server instances can share one
 * database: nothing about the graph is kept in the process.
 */
import { createHash } from 'node:crypto';

import type pg from 'pg';

import { GraphChangeHub } from '../graph-change-hub.js';
import { SchemaTooNewError } from '../schema-too-new-error.js';
import type { GraphChangeListener, GraphStore } from '../store.js';
import { graphTableRows } from '../sql/graph-rows.js';
import type { SqlStatement } from '../sql/list-sql.js';
import { SqlGraphReader, type SqlCapabilities, type SqlRow } from '../sql/sql-graph-reader.js';
import type { GraphData } from '../types.js';
import { bulkInsert } from './postgres-bulk-insert.js';
import { GRAPH_CHANGED_CHANNEL, PostgresGraphListener } from './postgres-listener.js';
import { ADVISORY_LOCK, migratePostgres } from './postgres-migrations.js';
import { toNumberedPlaceholders } from './postgres-placeholders.js';
import { createPool, describeUrl, inTransaction, type PostgresPoolOptions } from './postgres-pool.js';

/** Most distinct statement texts prepared by name (each connection keeps its own plans). */
const MAX_PREPARED = 500;

/** Options for opening a PostgreSQL store. */
export type PostgresStoreOptions = PostgresPoolOptions;

/** A `GraphStore` on a PostgreSQL database. */
export class PostgresStore extends SqlGraphReader implements GraphStore {
  readonly backend = 'postgres';
  protected readonly capabilities: SqlCapabilities = { maxKeysPerStatement: 10_000, keyList: 'any-array' };
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

  async replaceGraph(data: GraphData, fingerprint: string): Promise<void> {
    const tables = graphTableRows(data);
    const version = await inTransaction(this.pool, async (client) => {
      // Writers on every instance queue here; readers keep seeing the old graph until COMMIT.
      await client.query('SELECT pg_advisory_xact_lock($1, $2)', [ADVISORY_LOCK.namespace, ADVISORY_LOCK.writeGraph]);
      for (const table of tables) await client.query(`DELETE FROM ${table.spec.table}`);
      for (const table of tables) await bulkInsert(client, table);
      await client.query(
        'INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
        ['seed_fingerprint', fingerprint],
      );
      const { rows } = await client.query(
        "INSERT INTO meta (key, value) VALUES ('graph_version', '1') " +
          'ON CONFLICT (key) DO UPDATE SET value = (meta.value::bigint + 1)::text RETURNING value',
      );
      const next = Number(rows[0]!.value);
      // Delivered to every listener when, and only if, the transaction commits.
      await client.query('SELECT pg_notify($1, $2)', [GRAPH_CHANGED_CHANNEL, String(next)]);
      return next;
    });
    this.count++;
    this.hub.report(version);
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
