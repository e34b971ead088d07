/**
 * Search terms: the user's text cut into words the way the full-text index
 * cuts documents (letters and digits; case and diacritics folded), so that a
 * query never carries operator syntax to the database, and the same rule
 * finds the matched words again for snippets.
 */

const WORD = /[\p{L}\p{N}]+/gu;

const ASCII = /^[\x00-\x7f]*$/;

/** Fold a word for matching: diacritics removed, lower case. */
export function foldWord(word: string): string {
  // perf: an ASCII word has no diacritics and NFKD leaves it as it is (most words of most texts).
  if (ASCII.test(word)) return word.toLowerCase();
  return word.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
}

/**
 * The words of a query, folded, deduplicated, in order; at most `max` (default 16).
 * Quotes, parentheses, `*`, `AND`/`OR`-as-operators: nothing survives but words.
 * @example searchTerms('"Neben AND (') // ['neben', 'and']
 */
export function searchTerms(query: string, max = 16): string[] {
  const out: string[] = [];
  for (const m of query.matchAll(WORD)) {
    const w = foldWord(m[0]);
    if (w.length > 0 && !out.includes(w)) out.push(w);
    if (out.length >= max) break;
  }
  return out;
}

/** A word of a text that a term matches as a prefix: UTF-16 indexes, end exclusive. */
export interface TermMatch {
  startIndex: number;
  endIndex: number;
}

/**
 * Every word of `text` that starts with one of `terms` (already folded), in
 * text order; with `span`, only those that start at most `span` UTF-16 units
 * after the first one (a snippet needs no more, and a document can be long).
 */
export function findTermMatches(text: string, terms: readonly string[], span = Infinity): TermMatch[] {
  if (terms.length === 0) return [];
  const out: TermMatch[] = [];
  for (const m of text.matchAll(WORD)) {
    if (out.length > 0 && m.index > out[0]!.startIndex + span) break;
    const w = foldWord(m[0]);
    if (terms.some((t) => w.startsWith(t))) out.push({ startIndex: m.index, endIndex: m.index + m[0].length });
  }
  return out;
}
