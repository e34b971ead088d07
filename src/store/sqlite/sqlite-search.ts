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
import { SEARCH_PREFIX_LENGTHS } from './sqlite-migrations.js';

/** Weights of the `name` and `body` columns in bm25: a match in a name counts ten times a match in text. */
export const BM25_WEIGHTS = [10.0, 1.0] as const;

/** Terms the vocabulary may stand in for: lower-case ASCII letters and digits, which the tokenizer keeps as they are. */
const PLAIN_TERM = /^[a-z0-9]+$/;

/** The longest prefix the index keeps a list for (`SEARCH_PREFIX_LENGTHS`). */
const LONGEST_PREFIX_LIST = Math.max(...SEARCH_PREFIX_LENGTHS.split(' ').map(Number));

/** Past every word that starts with a term: the term followed by the last code point. */
const AFTER_ALL = '\u{10ffff}';

/**
 * The FTS5 expression of a query, as an SQL expression evaluated once per
 * statement: each term is `"term"*` (every word it starts), written so that
 * FTS5 reads as little as it can for the same matches and the same bm25 (the
 * same phrase instances in the same rows):
 * - a plain term that starts exactly one word of the index becomes that word,
 *   `"word"`: FTS5 reads a whole word lazily, while a prefix query first
 *   merges the lists of every word it could be (a full pass over each);
 * - a plain term longer than the longest prefix list (`LONGEST_PREFIX_LIST`)
 *   whose first letters start no other words than the term does (say
 *   "withdraw", when only withdraw and withdrawal start with "withdr") becomes
 *   that shorter prefix, `"withdr"*`, which FTS5 reads from its prefix list
 *   instead of merging the words' lists;
 * - any other term stays `"term"*` (a prefix of 2 to 6 characters is read
 *   from its prefix list anyway).
 * The words come from `search_fts_vocab` (fts5vocab over the index, which holds
 * every indexed word; a word only deleted rows held makes no difference: it
 * then matches nothing either way): the first word at or after a bound, for
 * the bounds: the term, the word found there followed by '0' (no word
 * continues with a character below '0'), and for a long term its first
 * letters and the term followed by the last code point (past every word the
 * term starts; a word that continued with that code point would only keep
 * the term as it is).
 */
export function ftsMatch(query: SearchQuery): SqlStatement {
  const parts: string[] = [];
  const params: unknown[] = [];
  const firstTerm = (bound: string): string => `(SELECT term FROM search_fts_vocab WHERE term >= ${bound} LIMIT 1)`;
  const first = (bound: string): string => `(SELECT ${firstTerm(bound)} AS w)`;
  for (const t of query.terms) {
    const prefix = `"${t.replace(/"/g, '""')}"*`;
    if (!PLAIN_TERM.test(t)) {
      parts.push('?');
      params.push(prefix);
      continue;
    }
    const n = t.length;
    const oneWord = `WHEN substr(a.w, 1, ${n}) = ? AND (b.w IS NULL OR substr(b.w, 1, ${n}) <> ?) THEN '"' || a.w || '"'`;
    const words = `FROM ${first('?')} a, ${first(`${firstTerm('?')} || '0'`)} b`;
    if (n <= LONGEST_PREFIX_LIST) {
      parts.push(`(SELECT CASE ${oneWord} ELSE ? END ${words})`);
      params.push(t, t, prefix, t, t);
      continue;
    }
    const short = t.slice(0, LONGEST_PREFIX_LIST);
    parts.push(
      `(SELECT CASE ${oneWord} WHEN substr(c.w, 1, ${n}) = ? AND (d.w IS NULL OR substr(d.w, 1, ${short.length}) <> ?) THEN ? ELSE ? END ` +
        `${words}, ${first('?')} c, ${first('?')} d)`,
    );
    params.push(t, t, t, short, `"${short}"*`, prefix, t, t, short, t + AFTER_ALL);
  }
  return { sql: parts.join(query.match === 'ALL' ? " || ' AND ' || " : " || ' OR ' || "), params };
}

/**
 * bm25 with a weight so large in every column that, for a matching row, its
 * term-frequency factor f·(k1 + 1) / (f + k1·(1 − b + b·len/avglen)) is
 * k1 + 1 = 2.2 to about 1e-15 × len/avglen (f ≥ 1e15): the value is then
 * -2.2 × the query's one IDF, which FTS5 computes from the number of rows the
 * phrase matches (a pass over its whole list, which ranking makes anyway:
 * FTS5 keeps it for the statement, so this costs one more evaluation per
 * candidate, not another pass). See `matchesFromDocsProbe`.
 */
const DOCS_PROBE = 'bm25(search_fts, 1e15, 1e15)';

/**
 * Whether a page's ranking also tells the exact number of matches: a query of
 * one term (one FTS5 phrase, whose document count is then the number of
 * matches) without a type filter (which the count would have to apply).
 */
export function countedByRanking(query: SearchQuery): boolean {
  return query.terms.length === 1 && !(query.types && query.types.length > 0);
}

/**
 * The number of rows a one-phrase query matches, read back from the
 * `DOCS_PROBE` value of one of its hits and the index's row count (the
 * averages record, `indexRowCount`), by inverting FTS5's documented bm25
 * IDF: idf = ln((N − n + 0.5) / (n + 0.5)), so n = (N + 0.5 − 0.5·e^idf) /
 * (1 + e^idf). Null when that cannot be exact: FTS5 clamps a non-positive
 * IDF (a phrase in at least half of the rows) to 1e-6, and a result that is
 * not within 0.001 of a whole number is refused rather than rounded.
 */
export function matchesFromDocsProbe(probe: number, indexRows: number): number | null {
  const idf = -probe / 2.2;
  if (!Number.isFinite(idf) || idf <= 1e-5) return null;
  const e = Math.exp(idf);
  const n = (indexRows + 0.5 - 0.5 * e) / (1 + e);
  const whole = Math.round(n);
  return whole >= 1 && Math.abs(n - whole) < 1e-3 ? whole : null;
}

/** The FTS5 averages record of the index (its first varint is the number of rows), for `indexRowCount`. */
export const INDEX_AVERAGES_SQL = 'SELECT block FROM search_fts_data WHERE id = 1';

/** The number of rows of the index, from its averages record (FTS5 varints: big-endian, 7 bits a byte, a 9th byte of 8). */
export function indexRowCount(averages: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < 8 && i < averages.length; i++) {
    const byte = averages[i]!;
    n = n * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) return n;
  }
  return n * 256 + (averages[8] ?? 0);
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
    const counted = countedByRanking(query);
    return {
      sql:
        `SELECT s.subject_id AS subject_id, s.subject_type AS subject_type, c.rank AS rank${counted ? ', c.docs AS docs' : ''} ` +
        `FROM (SELECT rowid AS r, ${rank} AS rank${counted ? `, ${DOCS_PROBE} AS docs` : ''} FROM search_fts WHERE search_fts MATCH (${match.sql}) LIMIT ${SEARCH_RANKED_LIMIT}) c ` +
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
