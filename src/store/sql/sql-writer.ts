/**
 * The write side of the SQL backends, written once: ingest, delete, curation
 * and the seed build's partial replace. Each operation is a generator that
 * yields the statements it needs (`WriteOp`) and receives their results, so
 * one body of code drives both a synchronous driver (better-sqlite3, inside
 * `db.transaction`) and an asynchronous one (`pg`, awaiting each answer):
 * see `runWriteSync` and `runWriteAsync`. The store opens the transaction
 * (whole or nothing) and keeps derived data in step after the write.
 *
 * The SQL is the dialect both databases share (`?` placeholders, numbered by
 * the PostgreSQL backend; `ON CONFLICT`; integer flags).
 */

import { normalizeName } from '../../graph/normalize.js';
import { CodePointText, occurrences, type Span } from '../../graph/spans.js';
import { toTableRows, type TableRows } from './graph-rows.js';
import { EXTRA_TABLES, fromSqlRow, SORT_KEYS, TABLES } from './tables.js';
import {
  type DocumentRow,
  type EntityRow,
  type EvidenceRow,
  type GraphData,
  type RelationshipRow,
  SEED_PROVENANCE,
  type StatementRow,
} from '../types.js';
import {
  type ChangeContext,
  type DeleteDocumentResult,
  type DocumentBatch,
  emptyWriteResult,
  type MergeResult,
  type RelationshipSave,
  type SaveResult,
  type StatementSave,
  type WriteDocumentResult,
} from '../writes.js';

type TableKey = keyof typeof TABLES | keyof typeof EXTRA_TABLES;
type SqlRow = Record<string, unknown>;

/** One statement a write needs, with what the driver must answer. */
export type WriteOp =
  /** Run; answer the number of rows changed. */
  | { op: 'run'; sql: string; params: unknown[] }
  /** Query; answer every row (column name to value). */
  | { op: 'all'; sql: string; params: unknown[] }
  /** Query; answer the first row, or undefined. */
  | { op: 'get'; sql: string; params: unknown[] }
  /** Insert many rows into one table (a driver may bulk-load them); answer nothing. */
  | { op: 'insertRows'; table: TableRows };

/** A write step: yields statements, receives their answers, returns `T`. */
export type Step<T> = Generator<WriteOp, T, unknown>;

/** Drive a write synchronously: `execute` answers each statement at once. */
export function runWriteSync<T>(step: Step<T>, execute: (op: WriteOp) => unknown): T {
  let next = step.next();
  while (!next.done) next = step.next(execute(next.value));
  return next.value;
}

/** Drive a write asynchronously: `execute` answers each statement in turn. */
export async function runWriteAsync<T>(step: Step<T>, execute: (op: WriteOp) => Promise<unknown>): Promise<T> {
  let next = step.next();
  while (!next.done) next = step.next(await execute(next.value));
  return next.value;
}

/** Keys per statement when a list of ids goes into `IN (…)`. */
const CHUNK = 500;

/** Thrown for a write the store refuses (the curation layer checks first; this is the last line). */
export class StoreWriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreWriteError';
  }
}

/**
 * The write operations, as steps for `runWriteSync`/`runWriteAsync`. Run each
 * inside one transaction; a backend with several writers serialises them
 * first (the audit sequence and graph version are read, then written).
 */
export class SqlWriter {
  // ------------------------------------------------------------------ helpers

  private *run(sql: string, ...params: unknown[]): Step<number> {
    return (yield { op: 'run', sql, params }) as number;
  }

  private *all<T = SqlRow>(sql: string, ...params: unknown[]): Step<T[]> {
    return (yield { op: 'all', sql, params }) as T[];
  }

  private *get<T = SqlRow>(sql: string, ...params: unknown[]): Step<T | undefined> {
    return (yield { op: 'get', sql, params }) as T | undefined;
  }

  /** Run `sql` (with one `(?)` placeholder list marked `IN_LIST`) over `ids` in chunks; returns rows. */
  private *allIn<T = SqlRow>(sql: string, ids: readonly string[], ...params: unknown[]): Step<T[]> {
    const out: T[] = [];
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += CHUNK) {
      const chunk = unique.slice(i, i + CHUNK);
      out.push(...(yield* this.all<T>(sql.replace('IN_LIST', chunk.map(() => '?').join(', ')), ...params, ...chunk)));
    }
    return out;
  }

  private *runIn(sql: string, ids: readonly string[], ...params: unknown[]): Step<number> {
    let changes = 0;
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += CHUNK) {
      const chunk = unique.slice(i, i + CHUNK);
      changes += yield* this.run(sql.replace('IN_LIST', chunk.map(() => '?').join(', ')), ...params, ...chunk);
    }
    return changes;
  }

  private *insert(key: TableKey, row: object): Step<void> {
    yield* this.insertMany(key, [row]);
  }

  /** Insert rows into the table of `key`, with their sort keys. */
  private *insertMany(key: TableKey, rows: readonly object[]): Step<void> {
    if (rows.length === 0) return;
    const spec = key in TABLES ? TABLES[key as keyof typeof TABLES] : EXTRA_TABLES[key as keyof typeof EXTRA_TABLES];
    // Counts are derived (syncDerived recounts them); a new entity starts at zero.
    const full = key === 'entities' ? rows.map((row) => ({ mentionCount: 0, degree: 0, ...row })) : rows;
    yield { op: 'insertRows', table: toTableRows(spec, SORT_KEYS[key], full) };
  }

  private *bumpVersion(): Step<void> {
    const row = (yield* this.get<{ value: string }>("SELECT value FROM meta WHERE key = 'graph_version'"));
    (yield* this.run(
      "INSERT INTO meta (key, value) VALUES ('graph_version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      String(Number(row?.value ?? 0) + 1),
    ));
  }

  private *audit(change: ChangeContext, action: string, subjectId: string, before: unknown, after: unknown): Step<void> {
    const seq = Number((yield* this.get<{ n: number }>('SELECT COALESCE(MAX(seq), 0) + 1 AS n FROM audit_log'))!.n);
    const id = `audit:${seq}`;
    const json = (v: unknown): string | null => (v === null || v === undefined ? null : JSON.stringify(v));
    (yield* this.run(
      'INSERT INTO audit_log (id, seq, at, actor, action, subject_id, before, after, sort_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      id,
      seq,
      change.at,
      change.actor,
      action,
      subjectId,
      json(before),
      json(after),
      SORT_KEYS.audit!({ id }),
    ));
  }

  private *entity(id: string): Step<EntityRow | undefined> {
    const row = (yield* this.get('SELECT * FROM entities WHERE id = ?', id));
    return row ? fromSqlRow<EntityRow>(TABLES.entities, row) : undefined;
  }

  private *statementState(id: string): Step<{ row: StatementRow; subjects: string[]; evidence: EvidenceRow[] } | undefined> {
    const row = (yield* this.get('SELECT * FROM statements WHERE id = ?', id));
    if (!row) return undefined;
    return {
      row: fromSqlRow<StatementRow>(TABLES.statements, row),
      subjects: (yield* this.all<{ subject_id: string }>('SELECT subject_id FROM statement_subjects WHERE statement_id = ? ORDER BY ord', id)).map(
        (r) => r.subject_id,
      ),
      evidence: (yield* this.evidenceOf(id)),
    };
  }

  private *evidenceOf(ownerId: string): Step<EvidenceRow[]> {
    return (yield* this.all('SELECT * FROM evidence WHERE owner_id = ? ORDER BY ord', ownerId)).map((r) => fromSqlRow<EvidenceRow>(TABLES.evidence, r));
  }

  /** Delete statements with their subjects and evidence; returns the entities they referred to. */
  private *deleteStatements(ids: readonly string[]): Step<string[]> {
    if (ids.length === 0) return [];
    const touched = [
      ...(yield* this.allIn<{ id: string }>('SELECT speaker_id AS id FROM statements WHERE speaker_id IS NOT NULL AND id IN (IN_LIST)', ids)),
      ...(yield* this.allIn<{ id: string }>('SELECT subject_id AS id FROM statement_subjects WHERE statement_id IN (IN_LIST)', ids)),
    ].map((r) => r.id);
    (yield* this.runIn('DELETE FROM statement_subjects WHERE statement_id IN (IN_LIST)', ids));
    (yield* this.runIn('DELETE FROM evidence WHERE owner_id IN (IN_LIST)', ids));
    (yield* this.runIn('DELETE FROM statements WHERE id IN (IN_LIST)', ids));
    return touched;
  }

  /** Delete relationships with their evidence; returns their ends. */
  private *deleteRelationships(ids: readonly string[]): Step<string[]> {
    if (ids.length === 0) return [];
    const ends = (yield* this.allIn<{ s: string; t: string }>('SELECT source_id AS s, target_id AS t FROM relationships WHERE id IN (IN_LIST)', ids));
    (yield* this.runIn('DELETE FROM evidence WHERE owner_id IN (IN_LIST)', ids));
    (yield* this.runIn('DELETE FROM relationships WHERE id IN (IN_LIST)', ids));
    return ends.flatMap((r) => [r.s, r.t]);
  }

  private *recountMentions(entityIds: readonly string[]): Step<void> {
    (yield* this.runIn(
      'UPDATE entities SET mention_count = (SELECT COUNT(*) FROM mentions m WHERE m.entity_id = entities.id) WHERE id IN (IN_LIST)',
      entityIds,
    ));
  }

  /** Remove unconfirmed (AUTOMATIC, non-seed) entities among `entityIds` that nothing supports any more. */
  private *removeUnsupported(entityIds: readonly string[]): Step<string[]> {
    if (entityIds.length === 0) return [];
    const orphans = (yield* this.allIn<{ id: string }>(
      `SELECT e.id FROM entities e WHERE e.method = 'AUTOMATIC' AND e.seed = 0 AND e.id IN (IN_LIST)
        AND NOT EXISTS (SELECT 1 FROM mentions m WHERE m.entity_id = e.id)
        AND NOT EXISTS (SELECT 1 FROM statements s WHERE s.speaker_id = e.id)
        AND NOT EXISTS (SELECT 1 FROM statement_subjects ss WHERE ss.subject_id = e.id)
        AND NOT EXISTS (SELECT 1 FROM relationships r WHERE r.source_id = e.id)
        AND NOT EXISTS (SELECT 1 FROM relationships r WHERE r.target_id = e.id)
        AND NOT EXISTS (SELECT 1 FROM event_participants p WHERE p.entity_id = e.id)
        AND NOT EXISTS (SELECT 1 FROM events ev WHERE ev.place_id = e.id)
        AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.publisher_id = e.id)`,
      entityIds,
    )).map((r) => r.id);
    (yield* this.deleteEntityRows(orphans));
    return orphans;
  }

  private *deleteEntityRows(ids: readonly string[]): Step<void> {
    if (ids.length === 0) return;
    (yield* this.runIn('DELETE FROM aliases WHERE entity_id IN (IN_LIST)', ids));
    (yield* this.runIn('DELETE FROM evidence WHERE owner_id IN (IN_LIST)', ids));
    (yield* this.runIn('DELETE FROM entity_redirects WHERE to_id IN (IN_LIST)', ids));
    (yield* this.runIn('DELETE FROM entities WHERE id IN (IN_LIST)', ids));
  }

  /** An entity id not yet taken: `preferred`, else `preferred-2`, `-3`, … */
  private *freeEntityId(preferred: string): Step<string> {
    const taken = function* (this: SqlWriter, id: string): Step<boolean> {
      return (yield* this.get('SELECT 1 AS x FROM entities WHERE id = ? UNION ALL SELECT 1 FROM entity_redirects WHERE from_id = ?', id, id)) !== undefined;
    };
    if (!(yield* taken.call(this, preferred))) return preferred;
    for (let n = 2; ; n++) if (!(yield* taken.call(this, `${preferred}-${n}`))) return `${preferred}-${n}`;
  }

  /**
   * Move the non-seed evidence held in `documentId` to the same quote in the
   * document's new text (the occurrence whose context matches best, then the
   * nearest). Owners whose every span is gone are removed when they are
   * statements or relationships; returns their ids.
   */
  private *reanchor(documentId: string, newText: string, onlyNonSeed: boolean): Step<{ removed: string[]; touched: string[] }> {
    const text = new CodePointText(newText);
    const rows = (yield* this.all(`SELECT * FROM evidence WHERE document_id = ?${onlyNonSeed ? ' AND seed = 0' : ''}`, documentId)).map((r) =>
      fromSqlRow<EvidenceRow>(TABLES.evidence, r),
    );
    const lost = new Set<string>();
    for (const row of rows) {
      const found = occurrences(newText, row.exact);
      if (found.length === 0) {
        (yield* this.run('DELETE FROM evidence WHERE owner_id = ? AND ord = ?', row.ownerId, row.ord));
        lost.add(row.ownerId);
        continue;
      }
      const score = (index: number): number => {
        const span = text.spanOfIndexes(documentId, index, index + row.exact.length);
        const context = (span.prefix === row.prefix ? 2 : 0) + (span.suffix === row.suffix ? 2 : 0);
        return context * 1e9 - Math.abs(span.start - row.start);
      };
      const best = found.reduce((a, b) => (score(b) > score(a) ? b : a));
      const span = text.spanOfIndexes(documentId, best, best + row.exact.length);
      (yield* this.run(
        'UPDATE evidence SET start_offset = ?, end_offset = ?, prefix = ?, suffix = ? WHERE owner_id = ? AND ord = ?',
        span.start,
        span.end,
        span.prefix,
        span.suffix,
        row.ownerId,
        row.ord,
      ));
    }
    const removed: string[] = [];
    const touched: string[] = [];
    for (const owner of lost) {
      if ((yield* this.get('SELECT 1 AS x FROM evidence WHERE owner_id = ?', owner))) continue;
      if (owner.startsWith('statement:')) {
        touched.push(...(yield* this.deleteStatements([owner])));
        removed.push(owner);
      } else if (owner.startsWith('relationship:')) {
        touched.push(...(yield* this.deleteRelationships([owner])));
        removed.push(owner);
      }
    }
    // Statements are ordered by their earliest evidence.
    (yield* this.run(
      `UPDATE statements SET position = COALESCE((SELECT MIN(e.start_offset) FROM evidence e WHERE e.owner_id = statements.id AND e.document_id = statements.document_id), position)
       WHERE document_id = ?`,
      documentId,
    ));
    const positions = (yield* this.all<{ id: string; document_id: string; position: number }>(
      'SELECT id, document_id, position FROM statements WHERE document_id = ?',
      documentId,
    ));
    for (const p of positions) {
      (yield* this.run('UPDATE statements SET sort_key = ? WHERE id = ?', SORT_KEYS.statements!({ documentId: p.document_id, position: p.position }), p.id));
    }
    return { removed, touched };
  }

  // ------------------------------------------------------------------ seed build

  /** See `GraphWriter.replaceGraph`. */
  *replaceGraph(data: GraphData, fingerprint: string): Step<void> {
    const oldSeedTexts = new Map(
      (yield* this.all<{ id: string; text: string }>('SELECT id, text FROM documents WHERE seed = 1')).map((r) => [r.id, r.text]),
    );
    for (const key of Object.keys(TABLES) as (keyof typeof TABLES)[]) (yield* this.run(`DELETE FROM ${TABLES[key].table} WHERE seed = 1`));
    const mentionCounts = new Map<string, number>();
    for (const m of data.mentions) mentionCounts.set(m.entityId, (mentionCounts.get(m.entityId) ?? 0) + 1);
    for (const key of Object.keys(TABLES) as (keyof typeof TABLES)[]) {
      const rows = (data[key] as object[]).map((row) => {
        const full: SqlRow = { ...SEED_PROVENANCE, ingestedAt: null, ...row };
        if (key === 'entities') full.mentionCount = mentionCounts.get(String(full.id)) ?? 0;
        return full;
      });
      yield* this.insertMany(key, rows);
    }
    const change: ChangeContext = { actor: 'seed-build', at: new Date().toISOString() };
    // Curated API facts on seed documents follow a changed text by their quote.
    for (const doc of data.documents) {
      const old = oldSeedTexts.get(doc.id);
      if (old === undefined || old === doc.text) continue;
      const { removed } = (yield* this.reanchor(doc.id, doc.text, true));
      for (const id of removed) (yield* this.audit(change, 'REMOVE_UNANCHORED', id, { reason: `quote no longer in ${doc.id}` }, null));
    }
    // Ingested facts must not point at entities the new seeds dropped.
    const missing = 'NOT IN (SELECT id FROM entities)';
    (yield* this.run(`DELETE FROM mentions WHERE seed = 0 AND entity_id ${missing}`));
    (yield* this.run(`UPDATE statements SET speaker_id = NULL WHERE seed = 0 AND speaker_id IS NOT NULL AND speaker_id ${missing}`));
    (yield* this.run(`DELETE FROM statement_subjects WHERE seed = 0 AND subject_id ${missing} AND subject_id NOT IN (SELECT id FROM events)`));
    const dangling = (yield* this.all<{ id: string }>(`SELECT id FROM relationships WHERE seed = 0 AND (source_id ${missing} OR target_id ${missing})`));
    (yield* this.deleteRelationships(dangling.map((r) => r.id)));
    (yield* this.run('DELETE FROM entity_redirects WHERE to_id NOT IN (SELECT id FROM entities)'));
    (yield* this.run('UPDATE entities SET mention_count = (SELECT COUNT(*) FROM mentions m WHERE m.entity_id = entities.id) WHERE seed = 1'));
    (yield* this.run(
      "INSERT INTO meta (key, value) VALUES ('seed_fingerprint', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      fingerprint,
    ));
    (yield* this.bumpVersion());
  }

  // ------------------------------------------------------------------ ingest

  /** See `GraphWriter.writeDocument`. */
  *writeDocument(batch: DocumentBatch, change: ChangeContext): Step<WriteDocumentResult> {
    const doc = batch.document;
    const existingRow = (yield* this.get('SELECT * FROM documents WHERE id = ?', doc.id));
    const existing = existingRow ? fromSqlRow<DocumentRow>(TABLES.documents, existingRow) : undefined;
    if (existing?.seed) throw new StoreWriteError(`${doc.id} is a seed document; it changes through seeds/, not ingest.`);
    const result = emptyWriteResult(doc.id, existing ? 'UPDATED' : 'CREATED');
    if (existing && existing.contentHash === doc.contentHash && existing.extractor === batch.extractor) {
      const counts: number[] = [];
      for (const table of ['mentions', 'statements', 'date_mentions']) {
        counts.push(Number((yield* this.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table} WHERE document_id = ?`, doc.id))!.n));
      }
      return { ...result, status: 'UNCHANGED', mentions: counts[0]!, statements: counts[1]!, dates: counts[2]! };
    }

    // 1. The document's previous automatic facts go.
    const touched: string[] = [];
    if (existing) {
      const auto = (yield* this.all<{ id: string }>("SELECT id FROM statements WHERE document_id = ? AND method = 'AUTOMATIC'", doc.id)).map((r) => r.id);
      touched.push(...(yield* this.deleteStatements(auto)));
      touched.push(...(yield* this.all<{ id: string }>('SELECT DISTINCT entity_id AS id FROM mentions WHERE document_id = ?', doc.id)).map((r) => r.id));
      (yield* this.run("DELETE FROM mentions WHERE document_id = ? AND method = 'AUTOMATIC'", doc.id));
      (yield* this.run("DELETE FROM date_mentions WHERE document_id = ? AND method = 'AUTOMATIC'", doc.id));
      const autoOwners = (yield* this.all<{ id: string }>(
        "SELECT DISTINCT e.owner_id AS id FROM evidence e JOIN entities x ON x.id = e.owner_id WHERE e.document_id = ? AND x.method = 'AUTOMATIC'",
        doc.id,
      )).map((r) => r.id);
      touched.push(...autoOwners);
      (yield* this.runIn("DELETE FROM evidence WHERE document_id = ? AND owner_id IN (IN_LIST)", autoOwners, doc.id));
      // 2. Curated facts stay, following the new text by their quotes.
      if (existing.text !== doc.text) {
        const { removed, touched: more } = (yield* this.reanchor(doc.id, doc.text, false));
        touched.push(...more);
        result.curatedFactsRemoved = removed;
        for (const id of removed) (yield* this.audit(change, 'REMOVE_UNANCHORED', id, { reason: `quote no longer in ${doc.id}` }, null));
      }
      if (existing.publisherId) touched.push(existing.publisherId);
      (yield* this.run('DELETE FROM documents WHERE id = ?', doc.id));
    }

    // 3. Candidates: an existing name wins, a rejected name is dropped, else a new unconfirmed entity.
    const ids = new Map<string, string | null>();
    for (const c of batch.candidates) {
      const norm = normalizeName(c.name);
      if ((yield* this.get('SELECT 1 AS x FROM rejected_names WHERE norm = ?', norm))) {
        ids.set(c.key, null);
        continue;
      }
      const known = (yield* this.get<{ entity_id: string }>('SELECT entity_id FROM aliases WHERE norm = ? ORDER BY ord, entity_id LIMIT 1', norm));
      if (known) {
        ids.set(c.key, known.entity_id);
        if (c.evidence && !(yield* this.get('SELECT 1 AS x FROM evidence WHERE owner_id = ?', known.entity_id))) {
          (yield* this.insert('evidence', { ownerId: known.entity_id, ord: 0, ...c.evidence, seed: false }));
        }
        continue;
      }
      const id = (yield* this.freeEntityId(c.preferredId));
      ids.set(c.key, id);
      result.entitiesCreated.push(id);
      (yield* this.insert('entities', {
        id,
        type: c.type,
        kind: c.kind,
        name: c.name,
        title: null,
        description: c.description,
        mentionCount: 0,
        method: 'AUTOMATIC',
        confidence: c.confidence,
        extractor: batch.extractor,
        seed: false,
      }));
      const names = [c.name, ...c.aliases.filter((a) => a !== c.name)];
      yield* this.insertMany('aliases', names.map((name, ord) => ({ entityId: id, name, norm: normalizeName(name), source: 'TEXT', ord, seed: false })));
      if (c.evidence) (yield* this.insert('evidence', { ownerId: id, ord: 0, ...c.evidence, seed: false }));
    }
    const created = new Set(result.entitiesCreated);
    const matched = new Set<string>();
    const resolve = (ref: string | null): string | null => {
      if (ref === null) return null;
      const id = ids.has(ref) ? ids.get(ref)! : ref;
      if (id !== null && !created.has(id)) matched.add(id);
      return id;
    };
    const provenance = (confidence: number) => ({ method: 'AUTOMATIC', confidence, extractor: batch.extractor, seed: false });
    (yield* this.insert('documents', { ...doc, publisherId: resolve(batch.publisherRef), seed: false }));

    // 4. Mentions.
    const mentioned = new Set<string>();
    for (const m of batch.mentions) {
      const entityId = resolve(m.entityRef);
      if (entityId === null) continue;
      mentioned.add(entityId);
      (yield* this.insert('mentions', { id: m.id, entityId, ...m.span, ...provenance(m.confidence) }));
      result.mentions++;
    }

    // 5. Statements, unless a curated statement already covers the quote.
    const curatedSpans = (yield* this.all<{ s: number; e: number }>(
      `SELECT ev.start_offset AS s, ev.end_offset AS e FROM evidence ev JOIN statements st ON st.id = ev.owner_id
        WHERE st.document_id = ? AND st.method = 'CURATED' AND ev.document_id = ?`,
      doc.id,
      doc.id,
    ));
    for (const st of batch.statements) {
      const quote = st.evidence[0]!;
      if (curatedSpans.some((c) => c.s < quote.end && quote.start < c.e)) continue;
      if ((yield* this.get('SELECT 1 AS x FROM statements WHERE id = ?', st.id))) continue;
      const speakerId = resolve(st.speakerRef);
      const row = {
        id: st.id,
        kind: st.kind,
        text: st.text,
        attribution: st.attribution,
        speakerId,
        occasionId: null,
        documentId: doc.id,
        position: st.position,
        ...provenance(st.confidence),
      };
      (yield* this.insert('statements', row));
      const subjects = [...new Set(st.subjectRefs.map(resolve).filter((x): x is string => x !== null))];
      yield* this.insertMany('statementSubjects', subjects.map((subjectId, ord) => ({ statementId: st.id, subjectId, ord, seed: false })));
      yield* this.insertMany('evidence', st.evidence.map((span, ord) => ({ ownerId: st.id, ord, ...span, seed: false })));
      result.statements++;
    }

    // 6. Dates.
    for (const d of batch.dates) {
      (yield* this.insert('dateMentions', { ...d, seed: false }));
      result.dates++;
    }

    (yield* this.recountMentions([...new Set([...touched, ...mentioned])]));
    result.entitiesRemoved = (yield* this.removeUnsupported([...new Set(touched)].filter((id) => !mentioned.has(id))));
    result.entitiesMatched = [...matched].filter((id) => !result.entitiesRemoved.includes(id)).sort();
    const summary = (d: { title: string; contentHash: string; extractor: string | null; length: number }) => ({
      title: d.title,
      contentHash: d.contentHash,
      extractor: d.extractor,
      length: d.length,
    });
    (yield* this.audit(change, 'INGEST_DOCUMENT', doc.id, existing ? summary(existing) : null, {
      ...summary(doc),
      entitiesCreated: result.entitiesCreated,
      mentions: result.mentions,
      statements: result.statements,
      dates: result.dates,
      entitiesRemoved: result.entitiesRemoved,
    }));
    (yield* this.bumpVersion());
    return result;
  }

  /** See `GraphWriter.deleteDocument`. */
  *deleteDocument(id: string, change: ChangeContext): Step<DeleteDocumentResult | null> {
    const row = (yield* this.get('SELECT * FROM documents WHERE id = ?', id));
    if (!row) return null;
    const doc = fromSqlRow<DocumentRow>(TABLES.documents, row);
    if (doc.seed) throw new StoreWriteError(`${id} is a seed document; it changes through seeds/.`);
    const statements = (yield* this.all<{ id: string }>('SELECT id FROM statements WHERE document_id = ?', id)).map((r) => r.id);
    const touched = (yield* this.deleteStatements(statements));
    touched.push(...(yield* this.all<{ id: string }>('SELECT DISTINCT entity_id AS id FROM mentions WHERE document_id = ?', id)).map((r) => r.id));
    (yield* this.run('DELETE FROM mentions WHERE document_id = ?', id));
    (yield* this.run('DELETE FROM date_mentions WHERE document_id = ?', id));
    const owners = (yield* this.all<{ id: string }>('SELECT DISTINCT owner_id AS id FROM evidence WHERE document_id = ?', id)).map((r) => r.id);
    (yield* this.run('DELETE FROM evidence WHERE document_id = ?', id));
    const factsRemoved = [...statements];
    const unsupported = (yield* this.allIn<{ id: string }>(
      'SELECT r.id FROM relationships r WHERE r.id IN (IN_LIST) AND NOT EXISTS (SELECT 1 FROM evidence e WHERE e.owner_id = r.id)',
      owners.filter((o) => o.startsWith('relationship:')),
    )).map((r) => r.id);
    touched.push(...(yield* this.deleteRelationships(unsupported)));
    factsRemoved.push(...unsupported);
    touched.push(...owners.filter((o) => !o.startsWith('relationship:') && !o.startsWith('statement:')));
    if (doc.publisherId) touched.push(doc.publisherId);
    (yield* this.run('DELETE FROM documents WHERE id = ?', id));
    const entities = [...new Set(touched)];
    (yield* this.recountMentions(entities));
    const entitiesRemoved = (yield* this.removeUnsupported(entities));
    (yield* this.audit(
      change,
      'DELETE_DOCUMENT',
      id,
      { title: doc.title, url: doc.url, publishedOn: doc.publishedOn, contentHash: doc.contentHash, text: doc.text },
      null,
    ));
    (yield* this.bumpVersion());
    return { documentId: id, entitiesRemoved, factsRemoved };
  }

  // ------------------------------------------------------------------ curation

  /** See `GraphWriter.confirmEntity`. */
  *confirmEntity(id: string, change: ChangeContext): Step<EntityRow | null> {
    const before = (yield* this.entity(id));
    if (!before) return null;
    (yield* this.run("UPDATE entities SET method = 'CURATED', confidence = 1, extractor = NULL WHERE id = ?", id));
    const after = (yield* this.entity(id))!;
    (yield* this.audit(change, 'CONFIRM_ENTITY', id, provenanceOf(before), provenanceOf(after)));
    (yield* this.bumpVersion());
    return after;
  }

  /** See `GraphWriter.rejectEntity`. */
  *rejectEntity(id: string, change: ChangeContext): Step<boolean> {
    const entity = (yield* this.entity(id));
    if (!entity) return false;
    const aliases = (yield* this.all<{ name: string; norm: string }>('SELECT name, norm FROM aliases WHERE entity_id = ? ORDER BY ord', id));
    for (const a of aliases) {
      (yield* this.run(
        'INSERT INTO rejected_names (norm, name, actor, at) VALUES (?, ?, ?, ?) ON CONFLICT (norm) DO NOTHING',
        a.norm,
        a.name,
        change.actor,
        change.at,
      ));
    }
    const unattributed = (yield* this.all<{ id: string }>('SELECT id FROM statements WHERE speaker_id = ?', id)).map((r) => r.id);
    (yield* this.run('UPDATE statements SET speaker_id = NULL WHERE speaker_id = ?', id));
    (yield* this.run('DELETE FROM statement_subjects WHERE subject_id = ?', id));
    const relationships = (yield* this.all<{ id: string }>('SELECT id FROM relationships WHERE source_id = ? OR target_id = ?', id, id)).map((r) => r.id);
    (yield* this.deleteRelationships(relationships));
    (yield* this.run('DELETE FROM event_participants WHERE entity_id = ?', id));
    (yield* this.run('UPDATE events SET place_id = NULL WHERE place_id = ?', id));
    (yield* this.run('UPDATE documents SET publisher_id = NULL WHERE publisher_id = ?', id));
    const mentions = (yield* this.run('DELETE FROM mentions WHERE entity_id = ?', id));
    (yield* this.run('DELETE FROM entity_redirects WHERE to_id = ?', id));
    (yield* this.deleteEntityRows([id]));
    (yield* this.audit(
      change,
      'REJECT_ENTITY',
      id,
      { entity: entity, aliases: aliases.map((a) => a.name), mentions, unattributedStatements: unattributed, relationships },
      null,
    ));
    (yield* this.bumpVersion());
    return true;
  }

  /** See `GraphWriter.mergeEntities`. */
  *mergeEntities(fromId: string, intoId: string, change: ChangeContext): Step<MergeResult> {
    const from = (yield* this.entity(fromId));
    const into = (yield* this.entity(intoId));
    if (!from || !into) throw new StoreWriteError(`Cannot merge ${fromId} into ${intoId}: both must exist.`);
    if (fromId === intoId) throw new StoreWriteError('Cannot merge an entity into itself.');
    const fromAliases = (yield* this.all<{ name: string; norm: string; source: string }>(
      'SELECT name, norm, source FROM aliases WHERE entity_id = ? ORDER BY ord',
      fromId,
    ));
    const intoNames = new Set((yield* this.all<{ name: string }>('SELECT name FROM aliases WHERE entity_id = ?', intoId)).map((r) => r.name));
    let ord = Number((yield* this.get<{ n: number }>('SELECT COALESCE(MAX(ord), -1) AS n FROM aliases WHERE entity_id = ?', intoId))!.n);
    for (const a of fromAliases) {
      if (intoNames.has(a.name)) continue;
      intoNames.add(a.name);
      (yield* this.insert('aliases', { entityId: intoId, name: a.name, norm: a.norm, source: a.source, ord: ++ord, seed: false }));
    }
    (yield* this.run('DELETE FROM aliases WHERE entity_id = ?', fromId));
    (yield* this.run('UPDATE mentions SET entity_id = ? WHERE entity_id = ?', intoId, fromId));
    (yield* this.run('UPDATE statements SET speaker_id = ? WHERE speaker_id = ?', intoId, fromId));
    (yield* this.run(
      'DELETE FROM statement_subjects WHERE subject_id = ? AND statement_id IN (SELECT statement_id FROM statement_subjects WHERE subject_id = ?)',
      fromId,
      intoId,
    ));
    (yield* this.run('UPDATE statement_subjects SET subject_id = ? WHERE subject_id = ?', intoId, fromId));
    (yield* this.run('UPDATE relationships SET source_id = ? WHERE source_id = ?', intoId, fromId));
    (yield* this.run('UPDATE relationships SET target_id = ? WHERE target_id = ?', intoId, fromId));
    (yield* this.run('UPDATE event_participants SET entity_id = ? WHERE entity_id = ?', intoId, fromId));
    (yield* this.run('UPDATE events SET place_id = ? WHERE place_id = ?', intoId, fromId));
    (yield* this.run('UPDATE documents SET publisher_id = ? WHERE publisher_id = ?', intoId, fromId));
    const evidenceOrd = Number((yield* this.get<{ n: number }>('SELECT COALESCE(MAX(ord), -1) AS n FROM evidence WHERE owner_id = ?', intoId))!.n);
    (yield* this.run('UPDATE evidence SET owner_id = ?, ord = ord + ?, seed = 0 WHERE owner_id = ?', intoId, evidenceOrd + 1, fromId));
    if (from.method === 'CURATED' && into.method !== 'CURATED') {
      (yield* this.run("UPDATE entities SET method = 'CURATED', confidence = 1, extractor = NULL WHERE id = ?", intoId));
    }
    (yield* this.run('DELETE FROM entities WHERE id = ?', fromId));
    const redirected = [
      fromId,
      ...(yield* this.all<{ id: string }>('SELECT from_id AS id FROM entity_redirects WHERE to_id = ?', fromId)).map((r) => r.id),
    ];
    (yield* this.run('UPDATE entity_redirects SET to_id = ? WHERE to_id = ?', intoId, fromId));
    (yield* this.run('INSERT INTO entity_redirects (from_id, to_id) VALUES (?, ?)', fromId, intoId));
    (yield* this.recountMentions([intoId]));
    const entity = (yield* this.entity(intoId))!;
    (yield* this.audit(change, 'MERGE_ENTITIES', fromId, { from, aliases: fromAliases.map((a) => a.name), into }, { into: entity, redirected }));
    (yield* this.bumpVersion());
    return { entity, redirected };
  }

  /** See `GraphWriter.saveStatement`. */
  *saveStatement(save: StatementSave, change: ChangeContext): Step<SaveResult<StatementRow>> {
    const before = (yield* this.statementState(save.row.id));
    const seed = before?.row.seed ?? false;
    if (before) (yield* this.deleteStatements([save.row.id]));
    const row: StatementRow = { ...save.row, method: 'CURATED', confidence: 1, extractor: null, seed };
    (yield* this.insert('statements', row));
    yield* this.insertMany('statementSubjects', [...new Set(save.subjectIds)].map((subjectId, ord) => ({ statementId: row.id, subjectId, ord, seed })));
    yield* this.insertMany('evidence', save.evidence.map((span, ord) => ({ ownerId: row.id, ord, ...span, seed })));
    // Curated facts win: automatic statements on the same words go.
    const replaced = (yield* this.overlappingAutomaticStatements(row.id, save.evidence));
    const replacedStates = [];
    for (const id of replaced) replacedStates.push(yield* this.statementState(id));
    (yield* this.deleteStatements(replaced));
    (yield* this.audit(
      change,
      before ? 'CORRECT_STATEMENT' : 'ADD_STATEMENT',
      row.id,
      before || replaced.length
        ? {
            statement: before?.row ?? null,
            subjects: before?.subjects ?? [],
            evidence: before?.evidence.map(spanSummary) ?? [],
            replacedAutomatic: replacedStates.map((x) => x?.row),
          }
        : null,
      { statement: row, subjects: save.subjectIds, evidence: save.evidence.map(spanSummary) },
    ));
    (yield* this.bumpVersion());
    return { row, replaced };
  }

  private *overlappingAutomaticStatements(keepId: string, spans: readonly Span[]): Step<string[]> {
    const out = new Set<string>();
    for (const span of spans) {
      for (const r of (yield* this.all<{ id: string }>(
        `SELECT DISTINCT s.id FROM statements s JOIN evidence e ON e.owner_id = s.id
          WHERE s.method = 'AUTOMATIC' AND s.id <> ? AND e.document_id = ? AND e.start_offset < ? AND e.end_offset > ?`,
        keepId,
        span.documentId,
        span.end,
        span.start,
      ))) {
        out.add(r.id);
      }
    }
    return [...out];
  }

  /** See `GraphWriter.saveRelationship`. */
  *saveRelationship(save: RelationshipSave, change: ChangeContext): Step<SaveResult<RelationshipRow>> {
    const beforeRow = (yield* this.get('SELECT * FROM relationships WHERE id = ?', save.row.id));
    const before = beforeRow ? fromSqlRow<RelationshipRow>(TABLES.relationships, beforeRow) : undefined;
    const beforeEvidence = before ? (yield* this.evidenceOf(before.id)).map(spanSummary) : [];
    const seed = before?.seed ?? false;
    if (before) (yield* this.deleteRelationships([before.id]));
    const row: RelationshipRow = { ...save.row, method: 'CURATED', confidence: 1, extractor: null, seed };
    (yield* this.insert('relationships', row));
    yield* this.insertMany('evidence', save.evidence.map((span, ord) => ({ ownerId: row.id, ord, ...span, seed })));
    (yield* this.audit(
      change,
      before ? 'CORRECT_RELATIONSHIP' : 'ADD_RELATIONSHIP',
      row.id,
      before ? { relationship: before, evidence: beforeEvidence } : null,
      { relationship: row, evidence: save.evidence.map(spanSummary) },
    ));
    (yield* this.bumpVersion());
    return { row, replaced: [] };
  }
}

function provenanceOf(e: EntityRow) {
  return { method: e.method, confidence: e.confidence, extractor: e.extractor };
}

function spanSummary(s: Span) {
  return { documentId: s.documentId, start: s.start, end: s.end, exact: s.exact };
}
