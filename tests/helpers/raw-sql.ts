/**
 * Raw SQL on a test server's database, beside the server, on either backend:
 * for differential tests that read the tables the server keeps (and write them
 * directly, to check the triggers).
 */
import Database from 'better-sqlite3';
import pg from 'pg';

import type { TestServer } from './test-server.js';

/** Rows as the driver gives them. */
export type Rows = Record<string, unknown>[];
/** Run a read. */
export type Read = (sql: string) => Promise<Rows>;

/** A connection of its own to the server's database. */
export interface RawSql {
  read: Read;
  write(sql: string): Promise<void>;
  close(): Promise<void>;
}

/** Open a connection to `server`'s database (SQLite: the same file, waiting up to 5 s for the server's locks). */
export async function openRawSql(server: TestServer, backend: string): Promise<RawSql> {
  if (backend === 'sqlite') {
    const db = new Database(server.dbPath);
    db.pragma('busy_timeout = 5000');
    return {
      read: async (sql) => db.prepare(sql).all() as Rows,
      write: async (sql) => void db.prepare(sql).run(),
      close: async () => void db.close(),
    };
  }
  const client = new pg.Client({ connectionString: server.databaseUrl });
  await client.connect();
  return {
    read: async (sql) => (await client.query(sql)).rows,
    write: async (sql) => void (await client.query(sql)),
    close: () => client.end(),
  };
}
