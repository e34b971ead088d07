/**
 * Stage 2: new entity candidates. People, organisations and places the graph
 * does not know, from compromise's named-entity views (`people()`,
 * `organizations()`, `places()`), plus runs of proper nouns that stand where
 * only a person can (after a title such as "ambassador" or "head of X,", or as
 * the subject or object of a speech verb). Every candidate is unconfirmed: it
 * carries the extractor's confidence until a curator confirms or rejects it.
 */
import nlp from 'compromise';

import { MentionMatcher } from '../graph/mention-matcher.js';
import { normalizeName } from '../graph/normalize.js';
import type { EntityType } from '../store/types.js';
import { SPEECH_VERB_SOURCE, TITLE_WORD_SOURCE } from './lexicon.js';
import type { CandidateDraft, ProperName, Range, TextMention } from './types.js';

/** Confidence of candidates, by how they were found. */
export const CANDIDATE_CONFIDENCE = {
  /** compromise calls it a person and it has two or more words. */
  personFullName: 0.7,
  /** compromise calls it a person, one word. */
  personOneWord: 0.5,
  organization: 0.6,
  place: 0.6,
  /** A proper name after a title or next to a speech verb. */
  personByContext: 0.6,
  /** An upper-case acronym ("MINUSMA", "ECOWAS") the NLP package did not classify. */
  acronym: 0.4,
  /** An occurrence of a candidate's name elsewhere in the text. */
  mention: 0.7,
} as const;

const HONORIFIC = /^(?:(?:Mr|Mrs|Ms|Mx|Dr|Prof|Gen|Col|Lt|Maj|Capt|Sgt|Sen|Rep|Gov|Pres)\.?\s+)+/;
/** A name after one of these is a place or a thing, not a person ("the mayor of Gao", "partners in Bamako"). */
const PLACE_PREPOSITION = /\b(?:in|at|from|of|to|near|into|across|outside|inside|around)\s+(?:the\s+)?$/i;
/** Not names: "Our partners", "Their government". */
const DETERMINER = /^(?:our|their|his|her|its|my|your|this|these|those|that|every|some|many|most|all)\b/i;
const STOP = new Set(['i', 'he', 'she', 'it', 'we', 'they', 'you', 'the', 'a', 'an', 'this', 'that', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december']);

/** Trim a raw NLP match to the name: articles, honorifics, possessives and punctuation off. */
function trimName(text: string, start: number, raw: string): Range & { text: string } {
  let s = start;
  let t = raw;
  const lead = /^(?:(?:the|The|a|A|an|An)\s+)?/.exec(t)![0];
  s += lead.length;
  t = t.slice(lead.length);
  const honor = HONORIFIC.exec(t)?.[0] ?? '';
  s += honor.length;
  t = t.slice(honor.length);
  t = t.replace(/[\s.,;:!?)\]}"”’'»–—-]+$/u, '').replace(/(?:['’]s)$/u, '').replace(/[\s.,;:!?"”’'»-]+$/u, '');
  const leading = /^[\s("“‘'«[{]+/u.exec(t)?.[0] ?? '';
  s += leading.length;
  t = t.slice(leading.length);
  return { text: t, startIndex: s, endIndex: s + t.length };
}

function plausible(name: string): boolean {
  if (name.length < 2 || !/^\p{Lu}/u.test(name) || DETERMINER.test(name)) return false;
  if (STOP.has(name.toLowerCase())) return false;
  return /\p{L}/u.test(name);
}

const ACRONYM = /(?<![\p{L}\p{N}])(\p{Lu}{2,8})(?![\p{L}\p{N}])/gu;
const ACRONYM_STOP = new Set(['AM', 'PM', 'OK', 'TV', 'CEO', 'ID', 'GMT', 'UTC', 'PDF', 'FAQ', 'AD', 'BC', 'II', 'III', 'IV', 'VI']);

const SENTENCE = /[^.!?\n]+(?:[.!?]+|\n|$)/g;
const CAPITALISED = /\p{Lu}[\p{L}\p{M}'’-]*/gu;

/**
 * The sentences of `text` with a capitalised word that no known mention
 * covers (other than a lone sentence-initial one), joined by blank lines,
 * with a map from offsets in the excerpt back to offsets in `text`.
 */
function namedSentences(text: string, known: readonly Range[]): { text: string; toOriginal: (offset: number) => number } {
  const pieces: { from: number; at: number; length: number }[] = [];
  let excerpt = '';
  for (const m of text.matchAll(SENTENCE)) {
    const start = m.index;
    const end = start + m[0].length;
    let interesting = false;
    for (const w of m[0].matchAll(CAPITALISED)) {
      const ws = start + w.index;
      const we = ws + w[0].length;
      if (known.some((r) => r.startIndex <= ws && we <= r.endIndex)) continue;
      const initial = /^[\s“"‘'(#*>-]*$/.test(text.slice(start, ws));
      if (!initial || /^\s+\p{Lu}/u.test(text.slice(we, we + 3))) {
        interesting = true;
        break;
      }
    }
    if (!interesting) continue;
    if (excerpt.length) excerpt += '\n\n';
    pieces.push({ from: excerpt.length, at: start, length: m[0].length });
    excerpt += m[0];
  }
  return {
    text: excerpt,
    toOriginal(offset: number): number {
      let lo = 0;
      let hi = pieces.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (pieces[mid]!.from <= offset) lo = mid;
        else hi = mid - 1;
      }
      const p = pieces[lo];
      return p ? p.at + (offset - p.from) : offset;
    },
  };
}

const overlaps = (a: Range, b: Range): boolean => a.startIndex < b.endIndex && b.startIndex < a.endIndex;

interface NlpMatch {
  text: string;
  offset: { start: number; length: number };
  terms: { tags: string[] }[];
}

function placeKind(match: NlpMatch): string {
  const tags = new Set(match.terms.flatMap((t) => t.tags));
  if (tags.has('Country')) return 'COUNTRY';
  if (tags.has('City')) return 'SETTLEMENT';
  if (tags.has('Region')) return 'SUBNATIONAL_REGION';
  return 'OTHER_PLACE';
}

/** What stage 2 finds. */
export interface CandidateResult {
  candidates: CandidateDraft[];
  /** Proper names that did not become candidates (for the record; not stored). */
  properNames: ProperName[];
}

const TITLE_BEFORE = new RegExp(`\\b(?:${TITLE_WORD_SOURCE})(?:\\s+of\\s+(?:the\\s+)?[^.;:!?,“”"]{1,60}?)?\\s*,?\\s*$`, 'iu');
const SPEECH_AFTER = new RegExp(`^\\s*(?:,[^,.;:!?“”"]{1,60},\\s*)?(?:${SPEECH_VERB_SOURCE})\\b`, 'u');
const SPEECH_BEFORE = new RegExp(`\\b(?:${SPEECH_VERB_SOURCE})\\s+$`, 'iu');
const APPOSITIVE_AFTER = new RegExp(`^\\s*,\\s*(?:the|a|an)\\s+(?:[\\p{L}-]+\\s+){0,3}?(?:${TITLE_WORD_SOURCE})\\b`, 'iu');

/**
 * Find candidate entities in `text`, skipping anything a known mention covers.
 * @param known mentions of entities the graph already has
 */
export function findCandidates(text: string, known: readonly TextMention[]): CandidateResult {
  // The NLP package is the slow part: give it only the sentences that may hold a new name.
  const excerpt = namedSentences(text, known);
  const doc = nlp(excerpt.text);
  const byNorm = new Map<string, CandidateDraft>();
  const taken: Range[] = [...known];
  let n = 0;
  const add = (type: EntityType, kind: string | null, range: Range & { text: string }, confidence: number, reason: string): void => {
    if (!plausible(range.text) || taken.some((k) => overlaps(k, range))) return;
    const norm = normalizeName(range.text);
    if (!norm) return;
    const had = byNorm.get(norm);
    if (had) {
      if (confidence > had.confidence) had.confidence = confidence;
      return;
    }
    byNorm.set(norm, { key: `candidate:${n++}`, type, kind, name: range.text, aliases: [], confidence, reason, first: range });
  };
  const matches = (view: { json: (o: object) => unknown }): NlpMatch[] =>
    (view.json({ offset: true, terms: { tags: true } }) as NlpMatch[]).map((m) => ({
      ...m,
      offset: { start: excerpt.toOriginal(m.offset.start), length: m.offset.length },
    }));
  const trimmed = (m: NlpMatch) => trimName(text, m.offset.start, text.slice(m.offset.start, m.offset.start + m.offset.length));

  const afterPreposition = (r: Range): boolean => {
    const before = text.slice(Math.max(0, r.startIndex - 30), r.startIndex);
    return PLACE_PREPOSITION.test(before) && !/\baccording\s+to\s+$/i.test(before);
  };
  for (const m of matches(doc.people())) {
    const r = trimmed(m);
    const words = r.text.split(/\s+/).length;
    if (words === 1 && afterPreposition(r)) add('PLACE', 'OTHER_PLACE', r, CANDIDATE_CONFIDENCE.personOneWord, 'named as a place');
    else add('PERSON', null, r, words > 1 ? CANDIDATE_CONFIDENCE.personFullName : CANDIDATE_CONFIDENCE.personOneWord, 'named as a person');
  }
  for (const m of matches(doc.organizations())) add('ACTOR', 'OTHER_ACTOR', trimmed(m), CANDIDATE_CONFIDENCE.organization, 'named as an organisation');
  for (const m of matches(doc.places())) add('PLACE', placeKind(m), trimmed(m), CANDIDATE_CONFIDENCE.place, 'named as a place');

  // Proper names where only a person fits: after a title, or next to a speech verb.
  const properNames: ProperName[] = [];
  for (const m of matches(doc.match('#ProperNoun+'))) {
    const r = trimmed(m);
    if (!plausible(r.text) || taken.some((k) => overlaps(k, r))) continue;
    const before = text.slice(Math.max(0, r.startIndex - 80), r.startIndex);
    const after = text.slice(r.endIndex, r.endIndex + 80);
    const personSlot =
      !afterPreposition(r) &&
      (TITLE_BEFORE.test(before) || SPEECH_AFTER.test(after) || SPEECH_BEFORE.test(before) || APPOSITIVE_AFTER.test(after));
    if (personSlot && !/\s(?:of|for|and)\s/.test(r.text)) {
      add('PERSON', null, r, CANDIDATE_CONFIDENCE.personByContext, 'a proper name in a position only a person takes (after a title, or speaking)');
    } else {
      properNames.push(r);
    }
  }

  // Acronyms name organisations more often than anything else ("MINUSMA", "ECOWAS").
  for (const m of text.matchAll(ACRONYM)) {
    const line = text.slice(text.lastIndexOf('\n', m.index) + 1, text.indexOf('\n', m.index) === -1 ? text.length : text.indexOf('\n', m.index));
    if (line === line.toUpperCase() || ACRONYM_STOP.has(m[1]!)) continue; // a shouted line, or not a name
    add('ACTOR', 'OTHER_ACTOR', { text: m[1]!, startIndex: m.index, endIndex: m.index + m[1]!.length }, CANDIDATE_CONFIDENCE.acronym, 'an acronym');
  }

  // A person's surname alone refers to them; a one-word "person" that is a longer one's surname is that person.
  const candidates = [...byNorm.values()];
  const people = candidates.filter((c) => c.type === 'PERSON' && c.name.includes(' '));
  const surnameOwners = new Map<string, CandidateDraft[]>();
  for (const p of people) {
    const surname = p.name.split(/\s+/).at(-1)!;
    if (surname.length < 3 || !/^\p{Lu}/u.test(surname)) continue;
    const list = surnameOwners.get(surname) ?? [];
    list.push(p);
    surnameOwners.set(surname, list);
  }
  const out: CandidateDraft[] = [];
  for (const c of candidates) {
    const owners = !c.name.includes(' ') ? surnameOwners.get(c.name) : undefined;
    if (owners?.length === 1) continue; // folded into the full name below
    out.push(c);
  }
  for (const [surname, owners] of surnameOwners) {
    if (owners.length === 1 && !known.some((k) => text.slice(k.startIndex, k.endIndex) === surname)) owners[0]!.aliases.push(surname);
  }
  return { candidates: out, properNames };
}

/**
 * Every occurrence of the candidates' names and aliases, where no known
 * mention is, in text order.
 */
export function findCandidateMentions(text: string, candidates: readonly CandidateDraft[], known: readonly TextMention[]): TextMention[] {
  if (candidates.length === 0) return [];
  const types = new Map(candidates.map((c) => [c.key, c.type]));
  const matcher = new MentionMatcher(
    candidates.flatMap((c) => [c.name, ...c.aliases].map((name) => ({ name, entityId: c.key }))),
    { onConflict: 'skip' },
  );
  const out: TextMention[] = [];
  for (const m of matcher.find(text)) {
    const range = { startIndex: m.startIndex, endIndex: m.endIndex };
    if (known.some((k) => overlaps(k, range))) continue;
    out.push({ ...range, entityRef: m.entityId, type: types.get(m.entityId)!, confidence: CANDIDATE_CONFIDENCE.mention });
  }
  return out;
}
