/**
 * A whole SQL `GraphStore` but for what each database does its own way: the
 * reads of `SqlGraphReader` and the writes of `SqlWriter`, written once. A
 * backend supplies `run`/`read` and its capabilities (see `SqlGraphReader`),
 * and `writeTransaction`: how one write step runs as one transaction.
 */
import type { GraphWriter } from '../store.js';
import type { EntityRow, GraphData, RelationshipRow, StatementRow } from '../types.js';
import type * as writes from '../writes.js';
import { SqlGraphReader } from './sql-graph-reader.js';
import { type Step, SqlWriter } from './sql-writer.js';

/** `GraphReader` and `GraphWriter` over SQL: subclasses run statements and transactions. */
export abstract class SqlGraphStore extends SqlGraphReader implements GraphWriter {
  private readonly writer = new SqlWriter();

  /**
   * Run one write step in one transaction (whole or nothing), with the
   * backend's serialisation of writers, derived data brought up to date in
   * the same transaction, and the change reported once it commits.
   */
  protected abstract writeTransaction<T>(step: Step<T>): Promise<T>;

  async replaceGraph(data: GraphData, fingerprint: string): Promise<void> {
    await this.writeTransaction(this.writer.replaceGraph(data, fingerprint));
  }
  writeDocument(batch: writes.DocumentBatch, change: writes.ChangeContext): Promise<writes.WriteDocumentResult> {
    return this.writeTransaction(this.writer.writeDocument(batch, change));
  }
  deleteDocument(id: string, change: writes.ChangeContext): Promise<writes.DeleteDocumentResult | null> {
    return this.writeTransaction(this.writer.deleteDocument(id, change));
  }
  confirmEntity(id: string, change: writes.ChangeContext): Promise<EntityRow | null> {
    return this.writeTransaction(this.writer.confirmEntity(id, change));
  }
  rejectEntity(id: string, change: writes.ChangeContext): Promise<boolean> {
    return this.writeTransaction(this.writer.rejectEntity(id, change));
  }
  mergeEntities(fromId: string, intoId: string, change: writes.ChangeContext): Promise<writes.MergeResult> {
    return this.writeTransaction(this.writer.mergeEntities(fromId, intoId, change));
  }
  saveStatement(save: writes.StatementSave, change: writes.ChangeContext): Promise<writes.SaveResult<StatementRow>> {
    return this.writeTransaction(this.writer.saveStatement(save, change));
  }
  saveRelationship(save: writes.RelationshipSave, change: writes.ChangeContext): Promise<writes.SaveResult<RelationshipRow>> {
    return this.writeTransaction(this.writer.saveRelationship(save, change));
  }
}
