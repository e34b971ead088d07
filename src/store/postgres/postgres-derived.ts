/**
 * Derived data on PostgreSQL, kept in the write transaction like SQLite's
 * `syncDerived`: triggers (migration 4) record in `dirty` the subjects whose
 * search row must be rewritten, the documents whose sentences must be split
 * again and the entities whose kept counts (degree, mentions, statements
 * about it, events; migration 6) may have changed; `syncDerived` applies
 * and empties it at the end of every write.
 */
import { sentenceSpans } from '../../graph/sentences.js';
import { recountDegreesSql, recountMentionsSql } from '../sql/analyst-sql.js';
import { recountLinkedSql } from '../sql/entity-counts-sql.js';
import type { SqlStatement } from '../sql/list-sql.js';
import { searchIndexRows } from '../sql/search-index.js';
import { fromSqlRow, TABLES, type TableSpec } from '../sql/tables.js';
import type { AliasRow, DocumentRow, EntityRow, EventRow, StatementRow } from '../types.js';
import { tsvectorText } from './postgres-search.js';

/** Runs one statement (`?` placeholders) in the write's transaction. */
export type PgExecute = (statement: SqlStatement) => Promise<Record<string, unknown>[]>;

/** Entities recounted per statement. */
const CHUNK = 5_000;

/** Bring the search index, sentences and entity counts up to date with `dirty`, then empty it. */
export async function syncDerived(execute: PgExecute): Promise<void> {
  const dirty = (await execute({ sql: 'SELECT kind, id FROM dirty', params: [] })) as { kind: string; id: string }[];
  if (dirty.length === 0) return;
  const ids = (kind: string): string[] => dirty.filter((d) => d.kind === kind).map((d) => d.id);
  const rowsIn = async <T>(spec: TableSpec, column: string, keys: readonly string[]): Promise<T[]> =>
    keys.length === 0
      ? []
      : (await execute({ sql: `SELECT * FROM ${spec.table} WHERE ${column} = ANY(?::text[])`, params: [[...keys]] })).map((r) =>
          fromSqlRow<T>(spec, r),
        );

  const subjects = ids('subject');
  if (subjects.length > 0) {
    await execute({ sql: 'DELETE FROM search_index WHERE subject_id = ANY(?::text[])', params: [subjects] });
    const entities = await rowsIn<EntityRow>(TABLES.entities, 'id', subjects);
    const rows = searchIndexRows({
      entities,
      aliases: await rowsIn<AliasRow>(TABLES.aliases, 'entity_id', entities.map((e) => e.id)),
      events: await rowsIn<EventRow>(TABLES.events, 'id', subjects),
      statements: await rowsIn<StatementRow>(TABLES.statements, 'id', subjects),
      documents: await rowsIn<DocumentRow>(TABLES.documents, 'id', subjects),
    });
    if (rows.length > 0) {
      await execute({
        sql: 'INSERT INTO search_index (subject_id, subject_type, tsv) SELECT * FROM unnest(?::text[], ?::text[], ?::tsvector[])',
        params: [rows.map((r) => r.subjectId), rows.map((r) => r.subjectType), rows.map((r) => tsvectorText(r.name, r.body))],
      });
    }
  }

  const documents = ids('document');
  if (documents.length > 0) {
    await execute({ sql: 'DELETE FROM sentences WHERE document_id = ANY(?::text[])', params: [documents] });
    const spans = (await rowsIn<DocumentRow>(TABLES.documents, 'id', documents)).flatMap((d) =>
      sentenceSpans(d.text).map((s) => [d.id, s.ord, s.start, s.end] as const),
    );
    if (spans.length > 0) {
      await execute({
        sql: 'INSERT INTO sentences (document_id, ord, start_offset, end_offset) SELECT * FROM unnest(?::text[], ?::int[], ?::int[], ?::int[])',
        params: [0, 1, 2, 3].map((i) => spans.map((s) => s[i])),
      });
    }
  }

  const entities = [...new Set(ids('entity'))];
  for (let i = 0; i < entities.length; i += CHUNK) {
    const chunk = entities.slice(i, i + CHUNK);
    await execute(recountDegreesSql(chunk));
    await execute(recountMentionsSql(chunk));
    await execute(recountLinkedSql(chunk));
  }
  await execute({ sql: 'DELETE FROM dirty', params: [] });
}
