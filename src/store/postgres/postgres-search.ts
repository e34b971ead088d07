/**
 * Full-text search on PostgreSQL: a `tsvector` per subject, written by the
 * application from the same words the query side uses (letters and digits,
 * case and diacritics folded: `src/graph/search-terms.ts`), so that both
 * backends match the same words and no extension (unaccent) is needed. Names
 * carry weight A, text weight B; hits are ranked by `ts_rank_cd` with a match
 * in a name counting ten times one in text (as SQLite's bm25 weights), and
 * every term is matched as a word prefix (`:*`); a long text counts less
 * (normalisation 1: rank / (1 + log(words))), as bm25 weighs length. Terms reach the database as
 * a bound tsquery literal built here, never as syntax the user wrote. A page
 * ranks at most `SEARCH_RANKED_LIMIT` candidates (see there); the count is exact.
 */
import { foldWord } from '../../graph/search-terms.js';
import type { SearchQuery } from '../analyst-types.js';
import { CursorError } from '../cursor.js';
import type { PageRequest } from '../lists.js';
import type { SqlStatement } from '../sql/list-sql.js';
import { SEARCH_RANKED_LIMIT } from '../sql/search-index.js';

const WORD = /[\p{L}\p{N}]+/gu;
/** tsvector limits: positions run to 16383; a lexeme keeps at most 256 positions and 2047 bytes. */
const MAX_POSITION = 16_383;
const MAX_POSITIONS_PER_LEXEME = 256;
const MAX_LEXEME_CHARS = 500;

/** Weights of D, C, B (text) and A (names) for `ts_rank_cd`. */
export const RANK_WEIGHTS = '{0, 0, 0.1, 1}';

function quoteLexeme(word: string): string {
  return `'${word.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** The folded words of a text, in order. */
function words(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(WORD)) {
    const w = foldWord(m[0]);
    if (w.length > 0 && w.length <= MAX_LEXEME_CHARS) out.push(w);
  }
  return out;
}

/** The tsvector (as its text form) of a subject's name and body. */
export function tsvectorText(name: string, body: string): string {
  const positions = new Map<string, string[]>();
  let position = 0;
  const add = (text: string, weight: 'A' | 'B'): void => {
    for (const w of words(text)) {
      position = Math.min(position + 1, MAX_POSITION);
      let list = positions.get(w);
      if (!list) positions.set(w, (list = []));
      const entry = `${position}${weight}`;
      if (list.length < MAX_POSITIONS_PER_LEXEME && !list.some((p) => parseInt(p, 10) === position)) list.push(entry);
    }
  };
  add(name, 'A');
  add(body, 'B');
  return [...positions].map(([w, list]) => `${quoteLexeme(w)}:${list.join(',')}`).join(' ');
}

/** The tsquery (text form) of a query: each term a prefix; a term of several words a phrase. Null when nothing is left. */
export function tsqueryText(query: SearchQuery): string | null {
  const parts: string[] = [];
  for (const term of query.terms) {
    const ws = words(term);
    if (ws.length === 0) continue;
    parts.push(ws.map((w, i) => (i === ws.length - 1 ? `${quoteLexeme(w)}:*` : quoteLexeme(w))).join(' <-> '));
  }
  if (parts.length === 0) return null;
  return parts.map((p) => `(${p})`).join(query.match === 'ALL' ? ' & ' : ' | ');
}

/**
 * The ranked candidates: the first `SEARCH_RANKED_LIMIT` matches by subject
 * id, each with its rank (all the matches when there are fewer: exact). The
 * matches are found first (`OFFSET 0` keeps that subquery whole, so that the
 * planner does not walk the primary key in id order testing every row for a
 * rare word); only the candidates' vectors are ranked.
 */
function hits(query: SearchQuery, tsquery: string): SqlStatement {
  const types = query.types && query.types.length > 0 ? query.types : null;
  return {
    sql:
      `SELECT s.subject_id, s.subject_type, (-ts_rank_cd('${RANK_WEIGHTS}', s.tsv, q.q, 1))::float8 AS rank ` +
      'FROM (SELECT ?::tsquery AS q) q CROSS JOIN LATERAL (SELECT m.subject_id FROM (' +
      'SELECT i.subject_id FROM search_index i WHERE i.tsv @@ q.q' +
      (types ? ' AND i.subject_type = ANY(?::text[])' : '') +
      ` OFFSET 0) m ORDER BY m.subject_id LIMIT ${SEARCH_RANKED_LIMIT}) c JOIN search_index s ON s.subject_id = c.subject_id`,
    params: [tsquery, ...(types ? [[...types]] : [])],
  };
}

/** The matches, every one (for the count). */
function matches(query: SearchQuery, tsquery: string): SqlStatement {
  const types = query.types && query.types.length > 0 ? query.types : null;
  return {
    sql: 'SELECT 1 FROM search_index s WHERE s.tsv @@ ?::tsquery' + (types ? ' AND s.subject_type = ANY(?::text[])' : ''),
    params: [tsquery, ...(types ? [[...types]] : [])],
  };
}

/** One page of hits, best first (`first + 1` rows), after the keyset position (rank, subject id). */
export function searchPageSql(query: SearchQuery, tsquery: string, page: PageRequest): SqlStatement {
  const base = hits(query, tsquery);
  let after = '';
  const params = [...base.params];
  if (page.after) {
    const rank = Number(page.after.sortKey);
    if (page.after.sortKey.trim() === '' || !Number.isFinite(rank)) throw new CursorError(page.after.sortKey);
    after = ' WHERE (x.rank, x.subject_id) > (?::float8, ?)';
    params.push(rank, page.after.id);
  }
  return { sql: `SELECT * FROM (${base.sql}) x${after} ORDER BY x.rank, x.subject_id LIMIT ?`, params: [...params, page.first + 1] };
}

/** Number of hits, exact (every match, not only the ranked candidates). */
export function searchCountSql(query: SearchQuery, tsquery: string): SqlStatement {
  const base = matches(query, tsquery);
  return { sql: `SELECT COUNT(*) AS n FROM (${base.sql}) x`, params: base.params };
}
