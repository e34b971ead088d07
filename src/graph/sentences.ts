/**
 * Sentence spans of a text, in code points, from the platform's Unicode
 * sentence segmenter (`Intl.Segmenter`, UAX #29): no hand-written rules.
 */

/** A sentence: code point offsets into the text, end exclusive, surrounding space trimmed. */
export interface SentenceSpan {
  /** Position of the sentence in the text, from 0. */
  ord: number;
  start: number;
  end: number;
}

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/**
 * The sentences of `text` (whitespace-only segments skipped), with code point offsets.
 * @example sentenceSpans('One. Two.') // [{ ord: 0, start: 0, end: 4 }, { ord: 1, start: 5, end: 9 }]
 */
export function sentenceSpans(text: string): SentenceSpan[] {
  const out: SentenceSpan[] = [];
  let offset = 0; // code points before the current segment
  for (const { segment } of segmenter.segment(text)) {
    const cps = [...segment];
    let lead = 0;
    while (lead < cps.length && /\s/u.test(cps[lead]!)) lead++;
    let trail = cps.length;
    while (trail > lead && /\s/u.test(cps[trail - 1]!)) trail--;
    if (trail > lead) out.push({ ord: out.length, start: offset + lead, end: offset + trail });
    offset += cps.length;
  }
  return out;
}
