/**
 * Stage 3b: who said a quote. Rules over the quote's own sentence, with the
 * mentions found earlier and the quotes masked out:
 *
 * - after the quote: `”, X said` / `” is what X said` (the person nearest
 *   before the verb: "Russian UN ambassador Vassily Nebenzia said" gives the
 *   person, not Russia or the UN), or `,” said X` / `,” according to X` (the
 *   first name after the verb; in a run of titles and names, its person);
 * - before the quote: `X said: “…”`, `According to X, “…”`, and
 *   `X highlighted … saying “…”`, where the participle hangs off the clause's
 *   subject (with an appositive person preferred: "The head of MINUSMA, El
 *   Ghassim Wane, highlighted" gives Wane);
 * - a pronoun (he, she, they) stands for the nearest fitting entity before it
 *   that is not inside a quote.
 *
 * When no rule applies the quote keeps no speaker: never a guess.
 */
import { kindOfVerb, PRONOUNS, SPEECH_PARTICIPLES, SPEECH_VERB_SOURCE } from './lexicon.js';
import type { Quote } from './quotes.js';
import type { Range, TextMention } from './types.js';

/** Confidence of an attribution, by the rule that made it. */
export const SPEAKER_CONFIDENCE = {
  /** A name right at the speech verb next to the quote. */
  named: 0.85,
  /** The subject of the clause a participle hangs off. */
  subject: 0.75,
  /** A pronoun resolved to the nearest fitting entity. */
  pronoun: 0.6,
} as const;

/** Who said a quote, how sure, and the words that say so. */
export interface Attribution {
  /** The speaker's entity id or candidate key; null when the text does not make it clear. */
  speakerRef: string | null;
  confidence: number;
  /** The speech verb, e.g. `said`; null when none was found. */
  verb: string | null;
  /** The statement kind the verb suggests. */
  kind: string;
  /** The words that attribute the quote (speaker through verb), for evidence. */
  cue: Range | null;
}

const NONE: Attribution = { speakerRef: null, confidence: 0, verb: null, kind: 'ASSERTION', cue: null };
const PARTICIPLES = new Set<string>(SPEECH_PARTICIPLES);
const PRONOUN_RE = /\b(he|she|they|He|She|They)\b/g;

/** A speaker-like thing in the text: an entity mention, or a pronoun already resolved. */
interface Referent extends Range {
  entityRef: string;
  kind: 'PERSON' | 'GROUP';
  pronoun: boolean;
}

/** Sentence and clause positions in a text whose quotes are masked. */
export class SpeakerContext {
  private readonly sorted: TextMention[];

  constructor(
    private readonly text: string,
    /** The text with quotes blanked out (see `maskQuotes`). */
    private readonly masked: string,
    mentions: readonly TextMention[],
  ) {
    this.sorted = [...mentions].sort((a, b) => a.startIndex - b.startIndex);
  }

  private isSentenceEnd(i: number): boolean {
    const c = this.masked[i]!;
    if (c === '\n') return true;
    if (!/[.!?]/.test(c)) return false;
    if (!/[\s\u00a0]/.test(this.masked[i + 1] ?? ' ')) return false;
    // "Mr. Smith", "U.N. officials": not the end of a sentence.
    return !/(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Gen|Col|Lt|Sen|Rep|St|Jr|Sr|vs|etc)|\b\p{Lu})$/u.test(this.masked.slice(Math.max(0, i - 6), i));
  }

  /** Where the sentence holding `index` starts. */
  sentenceStart(index: number): number {
    for (let i = index - 1; i >= 0; i--) if (this.isSentenceEnd(i)) return i + 1;
    return 0;
  }

  /** Where the sentence holding `index` ends (past its final punctuation). */
  sentenceEnd(index: number): number {
    for (let i = index; i < this.masked.length; i++) if (this.isSentenceEnd(i)) return i + 1;
    return this.masked.length;
  }

  private insideQuote(r: Range): boolean {
    return this.masked.slice(r.startIndex, r.endIndex).includes('\u2591');
  }

  /** Mentions and resolved pronouns in `[from, to)`, outside quotes, in text order. */
  referents(from: number, to: number): Referent[] {
    const out: Referent[] = [];
    for (const m of this.sorted) {
      if (m.startIndex < from || m.endIndex > to || this.insideQuote(m)) continue;
      out.push({ ...m, kind: m.type === 'PERSON' ? 'PERSON' : 'GROUP', pronoun: false });
    }
    for (const p of this.masked.slice(from, to).matchAll(PRONOUN_RE)) {
      const start = from + p.index;
      const range = { startIndex: start, endIndex: start + p[0].length };
      if (out.some((r) => r.startIndex <= range.startIndex && range.endIndex <= r.endIndex)) continue;
      const resolved = this.resolvePronoun(p[0].toLowerCase(), start);
      if (resolved) out.push({ ...range, entityRef: resolved.entityRef, kind: resolved.kind, pronoun: true });
    }
    return out.sort((a, b) => a.startIndex - b.startIndex);
  }

  /** The nearest fitting entity mentioned before `index`, outside quotes. */
  resolvePronoun(pronoun: string, index: number): { entityRef: string; kind: 'PERSON' | 'GROUP' } | null {
    const wants = PRONOUNS[pronoun];
    if (!wants) return null;
    for (let k = this.sorted.length - 1; k >= 0; k--) {
      const m = this.sorted[k]!;
      if (m.endIndex > index || this.insideQuote(m)) continue;
      const isPerson = m.type === 'PERSON';
      if ((wants === 'PERSON') === isPerson) return { entityRef: m.entityRef, kind: wants };
    }
    return null;
  }

  /** Attribute one quote. */
  attribute(quote: Quote): Attribution {
    const verbs = (from: number, to: number) =>
      [...this.masked.slice(from, to).matchAll(new RegExp(`\\b(?:${SPEECH_VERB_SOURCE})\\b`, 'giu'))].map((m) => ({
        start: from + m.index,
        end: from + m.index + m[0].length,
        word: m[0].toLowerCase().replace(/\s+/g, ' '),
      }));

    // After the quote, up to the end of its sentence.
    const tailEnd = this.sentenceEnd(quote.close);
    const after = verbs(quote.close, tailEnd)[0];
    if (after) {
      const between = this.referents(quote.close, after.start);
      const pick = nearestBefore(between);
      if (pick) return this.result(pick, after, { startIndex: pick.startIndex, endIndex: after.end });
      const following = this.chainAfter(after.end, tailEnd);
      if (following) return this.result(following, after, { startIndex: after.start, endIndex: following.endIndex });
    }

    // Before the quote, from the start of its sentence.
    const headStart = this.sentenceStart(quote.open);
    const before = verbs(headStart, quote.open).at(-1);
    if (before) {
      if (before.word === 'according to') {
        const source = this.chainAfter(before.end, quote.open);
        if (source) return this.result(source, before, { startIndex: before.start, endIndex: source.endIndex });
      } else if (PARTICIPLES.has(before.word)) {
        const subject = this.subject(headStart, before.start);
        if (subject) {
          const r = this.result(subject, before, { startIndex: subject.startIndex, endIndex: before.end });
          return { ...r, confidence: subject.pronoun ? SPEAKER_CONFIDENCE.pronoun : SPEAKER_CONFIDENCE.subject };
        }
      } else {
        const pick = nearestBefore(this.referents(Math.max(headStart, before.start - 160), before.start));
        if (pick) return this.result(pick, before, { startIndex: pick.startIndex, endIndex: before.end });
        const following = this.chainAfter(before.end, quote.open);
        if (following) return this.result(following, before, { startIndex: before.start, endIndex: following.endIndex });
      }
    }
    return NONE;
  }

  private result(who: Referent, verb: { word: string }, cue: Range): Attribution {
    return {
      speakerRef: who.entityRef,
      confidence: who.pronoun ? SPEAKER_CONFIDENCE.pronoun : SPEAKER_CONFIDENCE.named,
      verb: verb.word,
      kind: kindOfVerb(verb.word),
      cue,
    };
  }

  /**
   * The first referent after `from` (within the clause), and when a run of
   * titles and names follows ("Russian UN ambassador Vassily Nebenzia"), the
   * person in it.
   */
  private chainAfter(from: number, to: number): Referent | null {
    const refs = this.referents(from, Math.min(to, from + 120));
    const first = refs[0];
    if (!first || !/^[\s,]*(?:(?:the|a|an|[\p{Ll}-]+)\s+){0,4}$/u.test(this.text.slice(from, first.startIndex))) return null;
    let chosen = first;
    let last = first;
    for (const r of refs.slice(1)) {
      if (!/^[\s,]*(?:[\p{Ll}-]+\s+){0,3}$/u.test(this.text.slice(last.endIndex, r.startIndex))) break;
      last = r;
      if (r.kind === 'PERSON' && chosen.kind !== 'PERSON') chosen = r;
    }
    return chosen;
  }

  /** The subject of the clause in `[from, to)`: its first referent, or the person in apposition to it. */
  private subject(from: number, to: number): Referent | null {
    const refs = this.referents(from, to);
    const first = refs[0];
    if (!first) return null;
    const next = refs[1];
    if (first.kind !== 'PERSON' && next?.kind === 'PERSON' && /^\s*,\s*$/.test(this.text.slice(first.endIndex, next.startIndex))) return next;
    return first;
  }
}

/** The referent nearest before a verb, a person preferred over a group. */
function nearestBefore(refs: readonly Referent[]): Referent | null {
  if (refs.length === 0) return null;
  for (let k = refs.length - 1; k >= 0; k--) if (refs[k]!.kind === 'PERSON') return refs[k]!;
  return refs.at(-1)!;
}
