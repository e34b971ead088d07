/**
 * The write side of the SQLite backend: the steps of the shared `SqlWriter`
 * driven synchronously over one better-sqlite3 connection, so that each runs
 * inside the IMMEDIATE transaction `SqliteStore` opens.
 */
import type Database from 'better-sqlite3';

import { insertSql } from '../sql/tables.js';
import { runWriteSync, type Step, type WriteOp } from '../sql/sql-writer.js';

export { StoreWriteError } from '../sql/sql-writer.js';

/** Runs write steps synchronously over one better-sqlite3 connection, its statements prepared once each. */
export class SqliteWriter {
  private readonly cache = new Map<string, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    private readonly counted: () => void,
  ) {}

  private stmt(sql: string): Database.Statement {
    let s = this.cache.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.cache.set(sql, s);
    }
    this.counted();
    return s;
  }

  private readonly execute = (op: WriteOp): unknown => {
    switch (op.op) {
      case 'run':
        return this.stmt(op.sql).run(...op.params).changes;
      case 'all':
        return this.stmt(op.sql).all(...op.params);
      case 'get':
        return this.stmt(op.sql).get(...op.params);
      case 'insertRows': {
        const { table } = op;
        const insert = this.stmt(insertSql(table.spec, table.columns.at(-1) === 'sort_key'));
        for (const values of table.rows) insert.run(...values.map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v)));
        return undefined;
      }
    }
  };

  /** Run one write step to its result (inside the caller's transaction). */
  drive<T>(step: Step<T>): T {
    return runWriteSync(step, this.execute);
  }
}
