/**
 * Connections to PostgreSQL through the `pg` driver: the pool that serves
 * reads and writes, a dedicated client for LISTEN, and the small part of the
 * driver the rest of the backend depends on.
 */
import pg from 'pg';

/** Default most connections one server instance opens for queries (`PG_POOL_MAX`). */
export const DEFAULT_POOL_MAX = 10;

/** The part of a pg client or pool the backend uses. */
export interface PgQueryable {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

/** Options of the pool. */
export interface PostgresPoolOptions {
  /**
   * Most connections in the pool. Default 10. Every instance also holds one
   * more connection for LISTEN while something watches for graph changes.
   */
  poolMax?: number;
  /** `application_name` shown in `pg_stat_activity`. Default `conflict-kg`. */
  applicationName?: string;
  /**
   * Where the LISTEN connection goes (`PG_LISTEN_URL`). Default: the same URL.
   * Set it to the server itself when `DATABASE_URL` points at a pooler in
   * transaction mode (PgBouncer), which cannot hold a LISTEN session.
   */
  listenUrl?: string;
}

/**
 * The URL without its password, for messages and logs.
 * @example describeUrl('postgres://kg:secret@db:5432/kg') // 'postgres://kg:***@db:5432/kg'
 */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'an unparsable PostgreSQL URL';
  }
}

/** Connection settings shared by the pool and the LISTEN client. */
function clientConfig(url: string, options: PostgresPoolOptions): pg.ClientConfig {
  return {
    connectionString: url,
    application_name: options.applicationName ?? 'conflict-kg',
    connectionTimeoutMillis: 10_000,
  };
}

/**
 * A pool of connections to the database at `url`. Errors of idle connections
 * (the server restarted, a connection was terminated) are logged, never thrown
 * into the process: the pool replaces the connection on next use.
 */
export function createPool(url: string, options: PostgresPoolOptions = {}): pg.Pool {
  const max = options.poolMax ?? DEFAULT_POOL_MAX;
  if (!Number.isInteger(max) || max < 1) throw new Error(`PG_POOL_MAX must be a positive integer; got ${max}.`);
  const pool = new pg.Pool({ ...clientConfig(url, options), max, idleTimeoutMillis: 30_000 });
  pool.on('error', (error) => {
    console.error(JSON.stringify({ level: 'warn', msg: 'idle PostgreSQL connection failed', err: error.message }));
  });
  return pool;
}

/** A single connection outside the pool (for LISTEN, which holds its session). */
export function createClient(url: string, options: PostgresPoolOptions = {}): pg.Client {
  return new pg.Client(clientConfig(url, options));
}

/**
 * Run `work` in one transaction on one pooled connection: COMMIT when it
 * resolves, ROLLBACK when it throws (the error is rethrown).
 */
export async function inTransaction<T>(pool: pg.Pool, work: (client: PgQueryable) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch {
      broken = true;
    }
    throw error;
  } finally {
    // A connection whose ROLLBACK failed is in an unknown state: drop it.
    client.release(broken);
  }
}
