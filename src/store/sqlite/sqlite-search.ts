/**
 * Full-text search SQL for SQLite (FTS5, ranked by bm25). Every term is
 * quoted and matched as a prefix, so the user's text never reaches FTS5 as
 * query syntax. A page ranks at most `SEARCH_RANKED_LIMIT` candidates (see
 * there); the count is exact.
 */
import { CursorError } from '../cursor.js';
import type { SearchQuery } from '../analyst-types.js';
import type { PageRequest } from '../lists.js';
import type { SqlStatement } from '../sql/list-sql.js';
import { SEARCH_RANKED_LIMIT } from '../sql/search-index.js';

/** Weights of the `name` and `body` columns in bm25: a match in a name counts ten times a match in text. */
export const BM25_WEIGHTS = [10.0, 1.0] as const;

/** Terms the vocabulary may stand in for: lower-case ASCII letters and digits, which the tokenizer keeps as they are. */
const PLAIN_TERM = /^[a-z0-9]+$/;

/**
 * The FTS5 expression of a query, as an SQL expression evaluated once per
 * statement: each term is `"term"*`, except that a plain term which is the
 * prefix of exactly one word of the index becomes that word, `"word"`. Both
 * match the same rows with the same bm25 (one phrase, the same instances),
 * but FTS5 reads a whole word lazily, while a prefix query first merges the
 * lists of every word it could be (a full pass over a common word's list).
 * The words come from `search_fts_vocab` (fts5vocab over the index, which holds
 * every indexed word; a word only deleted rows held makes no difference: it
 * then matches nothing either way): the first word at or after the term, and
 * the first after that word (`word || '0'`: no word continues with a
 * character below '0').
 */
export function ftsMatch(query: SearchQuery): SqlStatement {
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const t of query.terms) {
    const prefix = `"${t.replace(/"/g, '""')}"*`;
    if (!PLAIN_TERM.test(t)) {
      parts.push('?');
      params.push(prefix);
      continue;
    }
    parts.push(
      `(SELECT CASE WHEN substr(a.w, 1, ${t.length}) = ? AND (b.w IS NULL OR substr(b.w, 1, ${t.length}) <> ?) THEN '"' || a.w || '"' ELSE ? END ` +
        'FROM (SELECT (SELECT term FROM search_fts_vocab WHERE term >= ? LIMIT 1) AS w) a, ' +
        '(SELECT (SELECT term FROM search_fts_vocab WHERE term >= (SELECT term FROM search_fts_vocab WHERE term >= ? LIMIT 1) || \'0\' LIMIT 1) AS w) b)',
    );
    params.push(t, t, prefix, t, t);
  }
  return { sql: parts.join(query.match === 'ALL' ? " || ' AND ' || " : " || ' OR ' || "), params };
}

/**
 * The ranked candidates: the first `SEARCH_RANKED_LIMIT` matches in index
 * order (rowid), each with its bm25 rank. FTS5 returns matches in rowid order,
 * so the LIMIT stops reading the index there; bm25 is computed for those rows
 * only (its per-term document frequencies still read each term's list once).
 * With fewer matches than the limit, these are all the matches: exact. The
 * subject row is joined only for the candidates (the index drives the join).
 */
function hits(query: SearchQuery): SqlStatement {
  const types = query.types && query.types.length > 0 ? query.types : null;
  const rank = `bm25(search_fts, ${BM25_WEIGHTS.join(', ')})`;
  const match = ftsMatch(query);
  if (!types) {
    return {
      sql:
        'SELECT s.subject_id AS subject_id, s.subject_type AS subject_type, c.rank AS rank ' +
        `FROM (SELECT rowid AS r, ${rank} AS rank FROM search_fts WHERE search_fts MATCH (${match.sql}) LIMIT ${SEARCH_RANKED_LIMIT}) c ` +
        'CROSS JOIN search_subjects s ON s.rowid = c.r',
      params: match.params,
    };
  }
  return {
    sql:
      `SELECT s.subject_id AS subject_id, s.subject_type AS subject_type, ${rank} AS rank ` +
      `FROM search_fts CROSS JOIN search_subjects s ON s.rowid = search_fts.rowid WHERE search_fts MATCH (${match.sql})` +
      ` AND s.subject_type IN (${types.map(() => '?').join(', ')}) LIMIT ${SEARCH_RANKED_LIMIT}`,
    params: [...match.params, ...types],
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

/**
 * Number of hits, exact. Without a type filter the index alone answers (every
 * index row has its subject row: they are written and deleted together), so
 * no subject row is read per match.
 */
export function searchCountSql(query: SearchQuery): SqlStatement {
  const types = query.types && query.types.length > 0 ? query.types : null;
  const match = ftsMatch(query);
  if (!types) return { sql: `SELECT COUNT(*) AS n FROM search_fts WHERE search_fts MATCH (${match.sql})`, params: match.params };
  return {
    sql:
      `SELECT COUNT(*) AS n FROM search_fts CROSS JOIN search_subjects s ON s.rowid = search_fts.rowid WHERE search_fts MATCH (${match.sql})` +
      ` AND s.subject_type IN (${types.map(() => '?').join(', ')})`,
    params: [...match.params, ...types],
  };
}
