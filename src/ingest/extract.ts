/**
 * The extraction pipeline for one text: known mentions (stage 1), candidate
 * entities and their mentions (stage 2), quotes and speakers (stage 3) and
 * dates (stage 4), assembled into the batch the store writes. Pure: reads the
 * name index, writes nothing.
 */
import { CodePointText, type Span } from '../graph/spans.js';
import type { CandidateEntity, DocumentBatch, MentionWrite, StatementWrite } from '../store/writes.js';
import type { DateMentionRow, DocumentRow } from '../store/types.js';
import { findCandidateMentions, findCandidates } from './candidates.js';
import { findDates } from './dates.js';
import { documentSlug, entityId, EXTRACTOR } from './ids.js';
import { findKnownMentions } from './mentions.js';
import type { NameIndex } from './name-index.js';
import { findQuotes, maskQuotes } from './quotes.js';
import { SpeakerContext } from './speakers.js';
import type { CandidateDraft, TextMention } from './types.js';

/** Confidence of a quote whose speaker the text does not make clear. */
export const UNATTRIBUTED_QUOTE_CONFIDENCE = 0.8;
/** Quotes shorter than this many words are kept only with a speaker (else they are scare quotes or titles). */
export const MIN_UNATTRIBUTED_QUOTE_WORDS = 4;

/** The document to extract from. */
export interface ExtractInput {
  document: Omit<DocumentRow, 'seed' | 'publisherId'>;
  /** The publisher: an entity id, or a name the graph does not know (becomes a candidate), or null. */
  publisher: { entityId: string } | { name: string } | null;
}

/** Run every stage over one document. */
export function extractDocument(input: ExtractInput, names: NameIndex): DocumentBatch {
  const doc = input.document;
  const text = new CodePointText(doc.text);
  const slug = documentSlug(doc.id);
  const span = (start: number, end: number): Span => text.spanOfIndexes(doc.id, start, end);

  // 1. Names the graph knows.
  const known = findKnownMentions(doc.text, names);
  // 2. Names it does not: candidates, and every occurrence of them.
  const found = findCandidates(doc.text, known);
  const candidateMentions = findCandidateMentions(doc.text, found.candidates, known);
  const mentions: TextMention[] = [...known, ...candidateMentions].sort((a, b) => a.startIndex - b.startIndex);
  const used = new Set(candidateMentions.map((m) => m.entityRef));
  const candidates: CandidateDraft[] = found.candidates.filter((c) => used.has(c.key));

  // 3. Quotes and who said them.
  const quotes = findQuotes(doc.text);
  const speakers = new SpeakerContext(doc.text, maskQuotes(doc.text, quotes), mentions);
  const statements: StatementWrite[] = [];
  for (const q of quotes) {
    const who = speakers.attribute(q);
    if (who.speakerRef === null && q.words < MIN_UNATTRIBUTED_QUOTE_WORDS) continue;
    const inside = mentions.filter((m) => q.parts.some((p) => p.startIndex <= m.startIndex && m.endIndex <= p.endIndex));
    const evidence = q.parts.map((p) => span(p.startIndex, p.endIndex));
    if (who.cue) evidence.push(span(who.cue.startIndex, who.cue.endIndex));
    statements.push({
      id: `statement:${slug}:${evidence[0]!.start}`,
      kind: who.kind,
      text: q.text,
      attribution: 'DIRECT_QUOTE',
      speakerRef: who.speakerRef,
      subjectRefs: [...new Set(inside.map((m) => m.entityRef))].filter((ref) => ref !== who.speakerRef),
      position: evidence[0]!.start,
      confidence: who.speakerRef === null ? UNATTRIBUTED_QUOTE_CONFIDENCE : who.confidence,
      evidence,
    });
  }

  // 4. Dates.
  const dates: Omit<DateMentionRow, 'seed'>[] = findDates(doc.text, doc.publishedOn).map((d) => {
    const s = span(d.startIndex, d.endIndex);
    return {
      id: `date:${slug}:${s.start}`,
      ...s,
      dateText: d.text,
      year: d.year,
      month: d.month,
      day: d.day,
      precision: d.precision,
      dateInferred: d.inferred,
      dateInferredFrom: d.inferredFrom,
      earliest: d.earliest,
      latest: d.latest,
      method: 'AUTOMATIC',
      confidence: d.confidence,
      extractor: EXTRACTOR,
    };
  });

  const candidateWrites: CandidateEntity[] = candidates.map((c) => ({
    key: c.key,
    type: c.type,
    kind: c.kind,
    name: c.name,
    aliases: c.aliases,
    preferredId: entityId(c.type, c.name),
    description: `Unconfirmed: ${c.reason} in “${doc.title}”.`,
    confidence: c.confidence,
    evidence: span(c.first.startIndex, c.first.endIndex),
  }));
  let publisherRef: string | null = null;
  if (input.publisher && 'entityId' in input.publisher) publisherRef = input.publisher.entityId;
  else if (input.publisher) {
    publisherRef = 'candidate:publisher';
    candidateWrites.push({
      key: publisherRef,
      type: 'ACTOR',
      kind: 'MEDIA_ORGANIZATION',
      name: input.publisher.name,
      aliases: [],
      preferredId: entityId('ACTOR', input.publisher.name),
      description: `Unconfirmed: named as the publisher of “${doc.title}” in its metadata.`,
      confidence: 0.9,
      evidence: null,
    });
  }
  const mentionWrites: MentionWrite[] = mentions.map((m) => {
    const s = span(m.startIndex, m.endIndex);
    return { id: `mention:${slug}:${s.start}`, entityRef: m.entityRef, span: s, confidence: m.confidence };
  });
  return {
    document: { ...doc, publisherId: null, extractor: EXTRACTOR },
    publisherRef,
    extractor: EXTRACTOR,
    candidates: candidateWrites,
    mentions: mentionWrites,
    statements,
    dates,
  };
}
