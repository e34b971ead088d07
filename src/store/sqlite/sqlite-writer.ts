/**
 * The write side of the SQLite backend: the shared `SqlWriter` driven
 * synchronously over one better-sqlite3 connection, so that every public
 * method can run inside the IMMEDIATE transaction `SqliteStore` opens.
 */
import type Database from 'better-sqlite3';

import { insertSql } from '../sql/tables.js';
import { runWriteSync, type Step, SqlWriter, type WriteOp } from '../sql/sql-writer.js';
import type { EntityRow, GraphData, RelationshipRow, StatementRow } from '../types.js';
import type {
  ChangeContext,
  DeleteDocumentResult,
  DocumentBatch,
  MergeResult,
  RelationshipSave,
  SaveResult,
  StatementSave,
  WriteDocumentResult,
} from '../writes.js';

export { StoreWriteError } from '../sql/sql-writer.js';

/** Synchronous write operations over one better-sqlite3 connection. */
export class SqliteWriter {
  private readonly cache = new Map<string, Database.Statement>();
  private readonly writer = new SqlWriter();

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

  private drive<T>(step: Step<T>): T {
    return runWriteSync(step, this.execute);
  }

  replaceGraph(data: GraphData, fingerprint: string): void {
    this.drive(this.writer.replaceGraph(data, fingerprint));
  }
  writeDocument(batch: DocumentBatch, change: ChangeContext): WriteDocumentResult {
    return this.drive(this.writer.writeDocument(batch, change));
  }
  deleteDocument(id: string, change: ChangeContext): DeleteDocumentResult | null {
    return this.drive(this.writer.deleteDocument(id, change));
  }
  confirmEntity(id: string, change: ChangeContext): EntityRow | null {
    return this.drive(this.writer.confirmEntity(id, change));
  }
  rejectEntity(id: string, change: ChangeContext): boolean {
    return this.drive(this.writer.rejectEntity(id, change));
  }
  mergeEntities(fromId: string, intoId: string, change: ChangeContext): MergeResult {
    return this.drive(this.writer.mergeEntities(fromId, intoId, change));
  }
  saveStatement(save: StatementSave, change: ChangeContext): SaveResult<StatementRow> {
    return this.drive(this.writer.saveStatement(save, change));
  }
  saveRelationship(save: RelationshipSave, change: ChangeContext): SaveResult<RelationshipRow> {
    return this.drive(this.writer.saveRelationship(save, change));
  }
}
