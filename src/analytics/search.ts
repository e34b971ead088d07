/**
 * Full-text search: the user's text cut into terms (never passed to the
 * database as syntax), ranked hits from the store, and for each hit a
 * highlighted snippet whose evidence span points into the document.
 *
 * Matching: every term as a word prefix ("Neben" finds Nebenzia), all terms
 * required. When that finds nothing, the search is relaxed once: any term,
 * each cut to its first four letters, so that a misspelling ("Nebensia",
 * "Wagnr") still finds the entity; the connection says when it was relaxed.
 */
import { CodePointText } from '../graph/spans.js';
import { findTermMatches, searchTerms } from '../graph/search-terms.js';
import type { Loaders } from '../loaders/loaders.js';
import type { SearchHitRow, SearchQuery, SearchSubjectType } from '../store/analyst-types.js';
import type { PageRequest } from '../store/lists.js';
import { SEARCH_RANKED_LIMIT } from '../store/sql/search-index.js';
import type { DocumentRow, SpanRow } from '../store/types.js';
import type { SearchConnectionModel } from './models.js';

/** Letters kept of each term when a search is relaxed. */
export const RELAXED_PREFIX_LENGTH = 4;
/** Largest snippet, in code points. */
export const SNIPPET_LENGTH = 160;
/** Code points of context kept before the first match in a snippet. */
const LEAD = 50;

/** The query a search runs, and whether it had to be relaxed. */
export interface SearchPlan {
  query: SearchQuery;
  relaxed: boolean;
}

/** The relaxed form of a query: any term, each cut to its first letters. */
function relaxedQuery(strict: SearchQuery): SearchQuery {
  const cut = [...new Set(strict.terms.map((t) => [...t].slice(0, RELAXED_PREFIX_LENGTH).join('')))];
  return { terms: cut, match: 'ANY', types: strict.types ?? null };
}

/** Whether a query finds anything: a one-row page (`first: 0` reads one row to say whether more follow), not a count of every match. */
async function anyHit(loaders: Loaders, query: SearchQuery): Promise<boolean> {
  return (await loaders.store.search(query, { first: 0, after: null })).hasNextPage;
}

/** Decide the query for the user's `text`: strict when it finds anything, else relaxed. */
export async function planSearch(loaders: Loaders, text: string, types: readonly SearchSubjectType[] | null): Promise<SearchPlan> {
  const terms = searchTerms(text);
  const strict: SearchQuery = { terms, match: 'ALL', types };
  if (terms.length === 0 || (await anyHit(loaders, strict))) return { query: strict, relaxed: false };
  return { query: relaxedQuery(strict), relaxed: true };
}

/** A code point range, end exclusive. */
export interface TextRange {
  start: number;
  end: number;
}

/** What a hit shows: a highlighted snippet and the span it comes from. */
export interface HitSnippet {
  /** The excerpt, HTML-escaped, matched words in `<mark>`…`</mark>`, `…` where cut. */
  snippet: string;
  /** The excerpt as plain text (equal to `evidence.exact` when the excerpt is document text). */
  text: string;
  /** Matched words, as code point ranges into `text`. */
  highlights: TextRange[];
  /** Where the excerpt is in a document; for a match outside any document (a common name, a description), the subject's first evidence. */
  evidence: SpanRow | null;
}

/** A text a hit may be shown from: document text at a code point offset, or text of the record. */
interface Candidate {
  text: string;
  documentId: string | null;
  /** Code point offset of `text` in the document. */
  start: number;
}

const cpLength = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const documentTexts = new WeakMap<DocumentRow, CodePointText>();
function documentText(doc: DocumentRow): CodePointText {
  let text = documentTexts.get(doc);
  if (!text) documentTexts.set(doc, (text = new CodePointText(doc.text)));
  return text;
}

async function candidatesOf(loaders: Loaders, hit: SearchHitRow): Promise<{ candidates: Candidate[]; evidence: SpanRow[] }> {
  const fromEvidence = (spans: SpanRow[]): Candidate[] => spans.map((e) => ({ text: e.exact, documentId: e.documentId, start: e.start }));
  switch (hit.subjectType) {
    case 'DOCUMENT': {
      const doc = await loaders.document.load(hit.subjectId);
      if (!doc) return { candidates: [], evidence: [] };
      return { candidates: [{ text: doc.text, documentId: doc.id, start: 0 }], evidence: [] };
    }
    case 'STATEMENT': {
      const [s, evidence] = await Promise.all([loaders.statement.load(hit.subjectId), loaders.evidence.load(hit.subjectId)]);
      return { candidates: [...fromEvidence(evidence), ...(s ? [{ text: s.text, documentId: null, start: 0 }] : [])], evidence };
    }
    case 'EVENT': {
      const [e, evidence] = await Promise.all([loaders.event.load(hit.subjectId), loaders.evidence.load(hit.subjectId)]);
      const own = e ? [e.name, e.description, e.dateText ?? ''].map((text) => ({ text, documentId: null, start: 0 })) : [];
      return { candidates: [...fromEvidence(evidence), ...own], evidence };
    }
    default: {
      const [e, evidence, aliases] = await Promise.all([
        loaders.entity.load(hit.subjectId),
        loaders.evidence.load(hit.subjectId),
        loaders.aliases.load(hit.subjectId),
      ]);
      const own = e ? [aliases.map((a) => a.name).join(' • ') || e.name, e.title ?? '', e.description] : [];
      return { candidates: [...fromEvidence(evidence), ...own.map((text) => ({ text, documentId: null, start: 0 }))], evidence };
    }
  }
}

/** The snippet and evidence of a hit, for the terms the search ran with. */
export async function hitSnippet(loaders: Loaders, hit: SearchHitRow, terms: readonly string[]): Promise<HitSnippet> {
  const { candidates, evidence } = await candidatesOf(loaders, hit);
  let chosen = candidates[0];
  let matches: ReturnType<typeof findTermMatches> = [];
  for (const c of candidates) {
    // The window ends at most 2 × SNIPPET_LENGTH UTF-16 units (surrogate pairs) after its first match.
    const found = findTermMatches(c.text, terms, 2 * SNIPPET_LENGTH);
    if (found.length > 0) {
      chosen = c;
      matches = found;
      break;
    }
  }
  if (!chosen) return { snippet: '', text: '', highlights: [], evidence: evidence[0] ?? null };

  // The window, in UTF-16 indexes of the candidate text, snapped to spaces and whole code points.
  const text = chosen.text;
  const first = matches[0]?.startIndex ?? 0;
  let from = Math.max(0, first - LEAD);
  if (from > 0) {
    const space = text.indexOf(' ', from);
    if (space !== -1 && space < first) from = space + 1;
  }
  let to = from;
  for (let n = 0; to < text.length && n < SNIPPET_LENGTH; n++) to += (text.codePointAt(to) ?? 0) > 0xffff ? 2 : 1;
  if (to < text.length) {
    const space = text.lastIndexOf(' ', to);
    const lastMatchEnd = matches.find((m) => m.startIndex >= first)?.endIndex ?? first;
    if (space > lastMatchEnd) to = space;
  }
  const excerpt = text.slice(from, to).replace(/\s+$/u, '');
  to = from + excerpt.length;

  const highlights: TextRange[] = [];
  let marked = '';
  let at = from;
  for (const m of matches) {
    if (m.startIndex < from || m.endIndex > to) continue;
    marked += escapeHtml(text.slice(at, m.startIndex)) + '<mark>' + escapeHtml(text.slice(m.startIndex, m.endIndex)) + '</mark>';
    const start = cpLength(text.slice(from, m.startIndex));
    highlights.push({ start, end: start + cpLength(text.slice(m.startIndex, m.endIndex)) });
    at = m.endIndex;
  }
  marked += escapeHtml(text.slice(at, to));
  const snippet = `${from > 0 ? '…' : ''}${marked}${to < text.length ? '…' : ''}`;

  let span: SpanRow | null = evidence[0] ?? null;
  if (chosen.documentId) {
    const doc = await loaders.document.load(chosen.documentId);
    if (doc) {
      const cp = documentText(doc);
      const start = chosen.start + cpLength(text.slice(0, from));
      const end = start + cpLength(excerpt);
      span = {
        documentId: doc.id,
        start,
        end,
        exact: cp.slice(start, end),
        prefix: cp.slice(Math.max(0, start - 32), start),
        suffix: cp.slice(end, Math.min(cp.length, end + 32)),
      };
    }
  }
  return { snippet, text: excerpt, highlights, evidence: span };
}

/** A page of search hits for the user's text (the shape `SearchConnection` resolves from). */
export async function searchPage(
  loaders: Loaders,
  text: string,
  types: readonly SearchSubjectType[] | null,
  request: PageRequest,
): Promise<SearchConnectionModel> {
  // The strict page first: when it has hits (the usual case), it also decides the plan, with no extra query.
  const terms = searchTerms(text);
  const strict: SearchQuery = { terms, match: 'ALL', types };
  let plan: SearchPlan = { query: strict, relaxed: false };
  let page = await loaders.store.search(strict, request);
  if (page.rows.length === 0 && terms.length > 0) {
    // An empty first page means no match; with a cursor or `first: 0` it says nothing, so ask.
    const none = (request.after === null && request.first > 0) || !(await anyHit(loaders, strict));
    if (none) {
      plan = { query: relaxedQuery(strict), relaxed: true };
      page = await loaders.store.search(plan.query, request);
    }
  }
  // A first page that ends the hits holds every match (it ends below the ranked limit, so the set is not
  // bounded): its length is the exact count, and the count query — a full pass over the index lists of the
  // terms, tens of milliseconds for a common word at a million entities — is not needed.
  // The store may also have learnt the count while ranking (SQLite, one term: `SearchPage.matches`).
  const whole = request.after === null && !page.hasNextPage && page.rows.length < SEARCH_RANKED_LIMIT ? page.rows.length : (page.matches ?? null);
  return {
    page: { ...page, rows: page.rows.map((row) => ({ row, terms: plan.query.terms })) },
    count: () => (whole !== null ? Promise.resolve(whole) : loaders.store.searchCount(plan.query)),
    hasPreviousPage: request.after !== null,
    terms: plan.query.terms,
    relaxed: plan.relaxed,
  };
}
