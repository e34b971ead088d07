/**
 * SQL of the analyst queries shared by the SQL backends (`?` placeholders, as
 * in `list-sql.ts`): adjacency of a batch of entities for paths and
 * neighbourhoods, and the aggregates behind analytics. Full-text search is
 * backend-specific (FTS5 in SQLite, tsvector in PostgreSQL) and lives with
 * each backend.
 */
import type { AdjacencyOptions, LinkType } from '../analyst-types.js';
import type { EventListQuery } from '../lists.js';
import { eventPeriodsApply, keptEventCountsByPeriodSql } from './event-periods-sql.js';
import { listBase, type SqlStatement } from './list-sql.js';

const placeholders = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

const ALL_LINKS: readonly LinkType[] = ['RELATIONSHIP', 'STATEMENT', 'EVENT'];

/**
 * Every link from the entities `ids` to a neighbouring entity, one row per
 * (from, to, link): relationships both ways, statements from speaker to each
 * entity subject and back, and events two entities take part in. Ordered for
 * determinism; `LIMIT` when the options give one.
 */
export function adjacencySql(ids: readonly string[], options: AdjacencyOptions = {}): SqlStatement {
  const links = options.linkTypes && options.linkTypes.length > 0 ? options.linkTypes : ALL_LINKS;
  const inIds = `IN (${placeholders(ids.length)})`;
  const parts: string[] = [];
  const params: unknown[] = [];
  if (links.includes('RELATIONSHIP')) {
    parts.push(
      `SELECT r.source_id AS from_id, r.target_id AS to_id, 'RELATIONSHIP' AS link_type, r.id AS link_id, r.type AS label, 1 AS outgoing FROM relationships r WHERE r.source_id ${inIds} AND r.target_id <> r.source_id`,
      `SELECT r.target_id AS from_id, r.source_id AS to_id, 'RELATIONSHIP' AS link_type, r.id AS link_id, r.type AS label, 0 AS outgoing FROM relationships r WHERE r.target_id ${inIds} AND r.source_id <> r.target_id`,
    );
    params.push(...ids, ...ids);
  }
  if (links.includes('STATEMENT')) {
    parts.push(
      `SELECT s.speaker_id AS from_id, ss.subject_id AS to_id, 'STATEMENT' AS link_type, s.id AS link_id, s.kind AS label, 1 AS outgoing FROM statements s JOIN statement_subjects ss ON ss.statement_id = s.id JOIN entities e ON e.id = ss.subject_id WHERE s.speaker_id ${inIds} AND ss.subject_id <> s.speaker_id`,
      `SELECT ss.subject_id AS from_id, s.speaker_id AS to_id, 'STATEMENT' AS link_type, s.id AS link_id, s.kind AS label, 0 AS outgoing FROM statement_subjects ss JOIN statements s ON s.id = ss.statement_id WHERE ss.subject_id ${inIds} AND s.speaker_id <> ss.subject_id`,
    );
    params.push(...ids, ...ids);
  }
  if (links.includes('EVENT')) {
    parts.push(
      `SELECT p1.entity_id AS from_id, p2.entity_id AS to_id, 'EVENT' AS link_type, p1.event_id AS link_id, ev.kind AS label, 1 AS outgoing FROM event_participants p1 JOIN event_participants p2 ON p2.event_id = p1.event_id AND p2.entity_id <> p1.entity_id JOIN events ev ON ev.id = p1.event_id WHERE p1.entity_id ${inIds}`,
    );
    params.push(...ids);
  }
  let sql = `SELECT DISTINCT from_id, to_id, link_type, link_id, label, outgoing FROM (${parts.join(' UNION ALL ')}) a`;
  if (!options.unordered) sql += ' ORDER BY from_id, link_type, to_id, link_id';
  if (options.limit != null) {
    sql += ' LIMIT ?';
    params.push(options.limit);
  }
  return { sql, params };
}

/**
 * Dated events of a list query counted per year, or per month, where events
 * dated only to a year keep `m` null: a year-precision date never lands in a
 * month.
 */
export function eventCountsByPeriodSql(query: EventListQuery, granularity: 'YEAR' | 'MONTH'): SqlStatement {
  // perf: filtered by the period only, whole years come from kept counts (event-periods-sql.ts).
  if (eventPeriodsApply(query)) return keptEventCountsByPeriodSql(query, granularity);
  const base = listBase(query);
  const month = granularity === 'MONTH' ? "CASE WHEN b.precision = 'YEAR' THEN NULL ELSE b.month END" : 'NULL';
  return {
    sql:
      `SELECT b.year AS y, ${month} AS m, COUNT(*) AS n, SUM(b.date_inferred) AS inferred FROM (${base.sql}) b ` +
      `WHERE b.year IS NOT NULL GROUP BY b.year${granularity === 'MONTH' ? `, ${month}` : ''} ORDER BY y, m NULLS FIRST`,
    params: base.params,
  };
}

/** Statement counts per (speaker, subject, kind), most first; only `kinds` when given. */
export function statementMatrixSql(kinds: readonly string[] | null | undefined, first: number): SqlStatement {
  const filter = kinds && kinds.length > 0 ? `WHERE s.kind IN (${placeholders(kinds.length)})` : '';
  return {
    sql:
      `SELECT s.speaker_id AS speaker_id, ss.subject_id AS subject_id, s.kind AS kind, COUNT(DISTINCT s.id) AS n ` +
      `FROM statements s JOIN statement_subjects ss ON ss.statement_id = s.id ${filter} ` +
      'GROUP BY s.speaker_id, ss.subject_id, s.kind ORDER BY n DESC, speaker_id, subject_id, kind LIMIT ?',
    params: [...(kinds && kinds.length > 0 ? kinds : []), first],
  };
}

/** Mentions with the sentence they fall in (by start offset). */
const MENTION_SENTENCES =
  'SELECT DISTINCT m.entity_id AS entity_id, se.document_id AS document_id, se.ord AS ord, se.start_offset AS start_offset, se.end_offset AS end_offset ' +
  'FROM mentions m JOIN sentences se ON se.document_id = m.document_id AND m.start_offset >= se.start_offset AND m.start_offset < se.end_offset';

/** Pairs of distinct entities mentioned in the same sentence, by number of sentences, most first. */
export function coMentionsSql(first: number): SqlStatement {
  return {
    sql:
      `WITH ms AS (${MENTION_SENTENCES}) ` +
      'SELECT a.entity_id AS a_id, b.entity_id AS b_id, COUNT(*) AS n FROM ms a JOIN ms b ' +
      'ON b.document_id = a.document_id AND b.ord = a.ord AND a.entity_id < b.entity_id ' +
      'GROUP BY a.entity_id, b.entity_id ORDER BY n DESC, a_id, b_id LIMIT ?',
    params: [first],
  };
}

/** The sentences in which each pair (`a` < `b`) is mentioned, in document order, at most `perPair` each. */
export function coMentionSentencesSql(pairs: readonly { aId: string; bId: string }[], perPair: number): SqlStatement {
  const wanted = pairs.map(() => '(a.entity_id = ? AND b.entity_id = ?)').join(' OR ');
  return {
    sql:
      `WITH ms AS (${MENTION_SENTENCES}) ` +
      'SELECT * FROM (SELECT a.entity_id AS a_id, b.entity_id AS b_id, a.document_id AS document_id, a.ord AS ord, ' +
      'a.start_offset AS start_offset, a.end_offset AS end_offset, ' +
      'ROW_NUMBER() OVER (PARTITION BY a.entity_id, b.entity_id ORDER BY a.document_id, a.ord) AS rn ' +
      `FROM ms a JOIN ms b ON b.document_id = a.document_id AND b.ord = a.ord WHERE ${wanted}) x WHERE x.rn <= ? ` +
      'ORDER BY a_id, b_id, document_id, ord',
    params: [...pairs.flatMap((p) => [p.aId, p.bId]), perPair],
  };
}

/** Counts of every kind of fact, grouped, in one statement, in a fixed order (section, then type and kind, nulls first). */
export function statsSql(): SqlStatement {
  const parts = [
    "SELECT 1 AS section, 'ENTITY' AS subject, type AS type, kind AS kind, COUNT(*) AS n FROM entities GROUP BY type, kind",
    "SELECT 2, 'EVENT', NULL, kind, COUNT(*) FROM events GROUP BY kind",
    "SELECT 3, 'STATEMENT', attribution, kind, COUNT(*) FROM statements GROUP BY attribution, kind",
    "SELECT 4, 'RELATIONSHIP', NULL, type, COUNT(*) FROM relationships GROUP BY type",
    "SELECT 5, 'DOCUMENT', NULL, NULL, COUNT(*) FROM documents",
    "SELECT 6, 'MENTION', NULL, NULL, COUNT(*) FROM mentions",
  ];
  return {
    sql: `SELECT subject, type, kind, n FROM (${parts.join(' UNION ALL ')}) s ORDER BY section, type NULLS FIRST, kind NULLS FIRST`,
    params: [],
  };
}

/**
 * Recount the degree (relationships at either end) of the given entities, for
 * writers that change part of the graph.
 */
export function recountDegreesSql(ids: readonly string[]): SqlStatement {
  return {
    sql:
      'UPDATE entities SET degree = (SELECT COUNT(*) FROM relationships r WHERE r.source_id = entities.id) + ' +
      '(SELECT COUNT(*) FROM relationships r WHERE r.target_id = entities.id AND r.source_id <> entities.id) ' +
      `WHERE id IN (${placeholders(ids.length)})`,
    params: [...ids],
  };
}

/** Recount the mentions of the given entities, for writers that change part of the graph. */
export function recountMentionsSql(ids: readonly string[]): SqlStatement {
  return {
    sql: `UPDATE entities SET mention_count = (SELECT COUNT(*) FROM mentions m WHERE m.entity_id = entities.id) WHERE id IN (${placeholders(ids.length)})`,
    params: [...ids],
  };
}
