/**
 * The storage backends every store and API test runs against, each able to
 * make a fresh empty database and drop it afterwards.
 *
 * - `STORE_BACKENDS=sqlite` (or `postgres`, or `sqlite,postgres`, the default)
 *   picks which ones run.
 * - PostgreSQL: `PG_TEST_URL` names a database on the server to use
 *   (`.ci/run` creates one per run); test databases are created beside it as
 *   `<its name>_<random>` and dropped by the test. Without `PG_TEST_URL` the
 *   local server (postgres://postgres@127.0.0.1:5432/postgres, or `PGHOST`
 *   and `PGPORT`) is tried, and
 *   when it does not answer the PostgreSQL tests are reported as skipped,
 *   with the reason in their name. With `PG_TEST_URL` set, an unreachable
 *   server fails the run instead: CI must never pass by skipping.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import pg from 'pg';

/** The backends' names. */
export type BackendName = 'sqlite' | 'postgres';

/** A fresh, empty database and how to get rid of it. */
export interface TestDatabase {
  /** `DATABASE_URL` of the database. */
  url: string;
  /** Remove the database (and its files); safe to call twice. */
  drop(): Promise<void>;
}

/** A backend the tests can run against. */
export interface TestBackend {
  name: BackendName;
  /** False when its server is absent; the tests then skip, saying why. */
  available: boolean;
  /** Why it is unavailable. */
  skipReason: string | null;
  /** A fresh empty database. */
  createDatabase(): Promise<TestDatabase>;
  /** Mark the database at `url` as migrated to schema `version` (to play newer code). */
  forceSchemaVersion(url: string, version: number): Promise<void>;
}

/** The maintenance URL test databases are created through. */
export const PG_ADMIN_URL =
  process.env.PG_TEST_URL || `postgres://postgres@${process.env.PGHOST || '127.0.0.1'}:${process.env.PGPORT || '5432'}/postgres`;
const PG_REQUIRED = Boolean(process.env.PG_TEST_URL);
/** Prefix of the test databases: the CI run's database name, so its cleanup finds leftovers. */
const PG_PREFIX = process.env.PG_TEST_URL ? new URL(process.env.PG_TEST_URL).pathname.slice(1) : 'kg_test';

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function probePostgres(): Promise<string | null> {
  try {
    await withAdmin((client) => client.query('SELECT 1'));
    return null;
  } catch (error) {
    const reason = `no PostgreSQL server answers at ${PG_ADMIN_URL.replace(/:[^:@/]*@/, ':***@')} (${(error as Error).message})`;
    if (PG_REQUIRED) throw new Error(`PG_TEST_URL is set but ${reason}`);
    return reason;
  }
}

/** The URL of database `name` on the test server. */
export function pgDatabaseUrl(name: string): string {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Create an empty PostgreSQL database with a fresh name; `drop` removes it,
 * closing its connections. Its default collation is ICU's en-US where the
 * server has ICU, like a managed server's en_US.UTF-8: a list that sorted by
 * the database default instead of code points would then come out in a
 * different order than on SQLite, and the tests would see it.
 */
export async function createPgDatabase(): Promise<TestDatabase> {
  const name = `${PG_PREFIX}_${randomBytes(6).toString('hex')}`;
  await withAdmin(async (client) => {
    try {
      await client.query(`CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'`);
    } catch {
      await client.query(`CREATE DATABASE "${name}"`);
    }
  });
  let dropped = false;
  return {
    url: pgDatabaseUrl(name),
    async drop() {
      if (dropped) return;
      dropped = true;
      await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

/** Create an empty SQLite database file in a fresh temporary folder. */
export async function createSqliteDatabase(): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'kg-test-'));
  return {
    url: `file:${join(dir, 'kg.sqlite')}`,
    async drop() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const selected = (process.env.STORE_BACKENDS ?? 'sqlite,postgres')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
for (const name of selected) {
  if (name !== 'sqlite' && name !== 'postgres') throw new Error(`STORE_BACKENDS: unknown backend "${name}"; use sqlite and/or postgres.`);
}

const notSelected = (name: BackendName): string | null =>
  selected.includes(name) ? null : `STORE_BACKENDS=${process.env.STORE_BACKENDS} leaves out ${name}`;
const sqliteSkipReason = notSelected('sqlite');
const pgSkipReason = notSelected('postgres') ?? (await probePostgres());

const ALL: TestBackend[] = [
  {
    name: 'sqlite',
    available: sqliteSkipReason === null,
    skipReason: sqliteSkipReason,
    createDatabase: createSqliteDatabase,
    async forceSchemaVersion(url, version) {
      const db = new Database(url.slice('file:'.length));
      db.pragma(`user_version = ${version}`);
      db.close();
    },
  },
  {
    name: 'postgres',
    available: pgSkipReason === null,
    skipReason: pgSkipReason,
    createDatabase: createPgDatabase,
    async forceSchemaVersion(url, version) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query("INSERT INTO schema_migrations (version, description) VALUES ($1, 'from newer code')", [version]);
      } finally {
        await client.end();
      }
    },
  },
];

/** The backends selected by `STORE_BACKENDS`, in a fixed order (SQLite first). */
export const BACKENDS: readonly TestBackend[] = ALL.filter((b) => selected.includes(b.name));

/** A backend by name; unavailable (with the reason) when `STORE_BACKENDS` leaves it out. */
export function backend(name: BackendName): TestBackend {
  return ALL.find((b) => b.name === name)!;
}

/** A suite title that carries the skip reason, so that a skipped suite says why. */
export function backendTitle(b: TestBackend, title = ''): string {
  const base = title ? `${title} [${b.name}]` : b.name;
  return b.available ? base : `${base} (skipped: ${b.skipReason})`;
}
