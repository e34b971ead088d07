/**
 * Finds mentions of known names in a text in one pass, with an Aho–Corasick
 * automaton over every spelling (see aho-corasick.ts): every occurrence of
 * every name, on word boundaries, case-sensitive (a name written in lower case
 * also matches with a capital first letter, as at the start of a sentence; an
 * upper-case name such as "US" never matches "us"), and leftmost-longest where
 * matches overlap ("Northern Mali" beats "Mali").
 */
import { AhoCorasick } from './aho-corasick.js';

/** A name to look for, and whose it is. */
export interface NamePattern {
  name: string;
  entityId: string;
  /**
   * Which entity wins when two share a spelling: the higher priority; at equal
   * priority the spelling is ambiguous (see `MatcherOptions.onConflict`).
   * Default 0.
   */
  priority?: number;
}

/** A match: UTF-16 indexes into the text, end exclusive. */
export interface NameMatch {
  entityId: string;
  name: string;
  startIndex: number;
  endIndex: number;
}

/** Options of `MentionMatcher`. */
export interface MatcherOptions {
  /**
   * When one spelling belongs to two entities of equal priority: `throw` (the
   * seed build: a curation error) or `skip` (ingest: an ambiguous name is not
   * a mention of either). Default `throw`.
   */
  onConflict?: 'throw' | 'skip';
}

/** Letters, digits and combining marks continue a word ("Malí" written with a combining accent is not "Mal"). */
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;

function isWordBoundary(text: string, index: number, before: boolean): boolean {
  if (before) {
    if (index === 0) return true;
    const prev = text.codePointAt(index - 1)!;
    // Step back over a low surrogate to the whole code point.
    const cp = prev >= 0xdc00 && prev <= 0xdfff && index >= 2 ? text.codePointAt(index - 2)! : prev;
    return !WORD_CHAR.test(String.fromCodePoint(cp));
  }
  if (index >= text.length) return true;
  return !WORD_CHAR.test(String.fromCodePoint(text.codePointAt(index)!));
}

/** The spellings a name is matched in: as written, and capitalised when it starts in lower case. */
export function spellingsOf(name: string): string[] {
  const first = name[0];
  if (first === undefined) return [];
  const capital = first.toUpperCase();
  return first === capital ? [name] : [name, capital + name.slice(1)];
}

/** Thrown when one spelling belongs to two entities and conflicts are not allowed. */
export class NameConflictError extends Error {
  constructor(
    readonly spelling: string,
    readonly entityIds: [string, string],
  ) {
    super(`The name "${spelling}" belongs to both ${entityIds[0]} and ${entityIds[1]}.`);
    this.name = 'NameConflictError';
  }
}

/** A compiled dictionary of names; reuse it across texts. */
export class MentionMatcher {
  private readonly automaton: AhoCorasick;
  private readonly owners: { spelling: string; entityId: string }[] = [];
  /** Number of distinct spellings in the dictionary. */
  readonly size: number;

  /** @throws NameConflictError with `onConflict: 'throw'` when a spelling has two owners. */
  constructor(patterns: Iterable<NamePattern>, options: MatcherOptions = {}) {
    const bySpelling = new Map<string, { entityId: string; priority: number; ambiguous: boolean }>();
    for (const p of patterns) {
      const priority = p.priority ?? 0;
      for (const spelling of spellingsOf(p.name)) {
        const had = bySpelling.get(spelling);
        if (!had || priority > had.priority) {
          bySpelling.set(spelling, { entityId: p.entityId, priority, ambiguous: false });
        } else if (priority === had.priority && had.entityId !== p.entityId) {
          if ((options.onConflict ?? 'throw') === 'throw') throw new NameConflictError(spelling, [had.entityId, p.entityId]);
          had.ambiguous = true;
        }
      }
    }
    const spellings: string[] = [];
    for (const [spelling, owner] of bySpelling) {
      if (owner.ambiguous) continue;
      spellings.push(spelling);
      this.owners.push({ spelling, entityId: owner.entityId });
    }
    this.size = spellings.length;
    this.automaton = new AhoCorasick(spellings);
  }

  /** Every non-overlapping mention in `text`, in text order. */
  find(text: string): NameMatch[] {
    const candidates: NameMatch[] = [];
    for (const hit of this.automaton.search(text)) {
      if (!isWordBoundary(text, hit.start, true) || !isWordBoundary(text, hit.end, false)) continue;
      const owner = this.owners[hit.pattern]!;
      candidates.push({ entityId: owner.entityId, name: owner.spelling, startIndex: hit.start, endIndex: hit.end });
    }
    candidates.sort((a, b) => a.startIndex - b.startIndex || b.endIndex - a.endIndex);
    const out: NameMatch[] = [];
    let reached = 0;
    for (const c of candidates) {
      if (c.startIndex < reached) continue;
      out.push(c);
      reached = c.endIndex;
    }
    return out;
  }
}

/**
 * Every non-overlapping mention of the names in `text`, in text order.
 * @throws NameConflictError when one spelling belongs to two entities (a curation error).
 */
export function findMentions(text: string, patterns: readonly NamePattern[]): NameMatch[] {
  return new MentionMatcher(patterns).find(text);
}
