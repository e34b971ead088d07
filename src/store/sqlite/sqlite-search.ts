/**
 * Full-text search SQL for SQLite (FTS5, ranked by bm25). Every term is
 * quoted and matched as a prefix, so the user's text never reaches FTS5 as
 * query syntax.
 */
import { CursorError } from '../cursor.js';
import type { SearchQuery } from '../analyst-types.js';
import type { PageRequest } from '../lists.js';
import type { SqlStatement } from '../sql/list-sql.js';

/** Weights of the `name` and `body` columns in bm25: a match in a name counts ten times a match in text. */
export const BM25_WEIGHTS = [10.0, 1.0] as const;

/** The FTS5 expression of a query: `"term"*` joined by AND or OR. */
export function ftsExpression(query: SearchQuery): string {
  return query.terms.map((t) => `"${t.replace(/"/g, '""')}"*`).join(query.match === 'ALL' ? ' AND ' : ' OR ');
}

function hits(query: SearchQuery): SqlStatement {
  const types = query.types && query.types.length > 0 ? query.types : null;
  return {
    sql:
      `SELECT s.subject_id AS subject_id, s.subject_type AS subject_type, bm25(search_fts, ${BM25_WEIGHTS.join(', ')}) AS rank ` +
      'FROM search_fts JOIN search_subjects s ON s.rowid = search_fts.rowid WHERE search_fts MATCH ?' +
      (types ? ` AND s.subject_type IN (${types.map(() => '?').join(', ')})` : ''),
    params: [ftsExpression(query), ...(types ?? [])],
  };
}

/** One page of hits, best first (`first + 1` rows), after the keyset position (rank, subject id). */
export function searchPageSql(query: SearchQuery, page: PageRequest): SqlStatement {
  const base = hits(query);
  let after = '';
  const params = [...base.params];
  if (page.after) {
    const rank = Number(page.after.sortKey);
    if (page.after.sortKey.trim() === '' || !Number.isFinite(rank)) throw new CursorError(page.after.sortKey);
    after = ' WHERE (x.rank, x.subject_id) > (?, ?)';
    params.push(rank, page.after.id);
  }
  return { sql: `SELECT * FROM (${base.sql}) x${after} ORDER BY x.rank, x.subject_id LIMIT ?`, params: [...params, page.first + 1] };
}

/** Number of hits. */
export function searchCountSql(query: SearchQuery): SqlStatement {
  const base = hits(query);
  return { sql: `SELECT COUNT(*) AS n FROM (${base.sql}) x`, params: base.params };
}
