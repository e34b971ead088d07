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
 * Whether a UTF-16 unit is white space as the regular expression `\s` means it
 * (every such character is in the Basic Multilingual Plane, so one unit is one
 * code point).
 */
function isSpace(unit: number): boolean {
  return (
    (unit >= 0x09 && unit <= 0x0d) ||
    unit === 0x20 ||
    unit === 0xa0 ||
    unit === 0x1680 ||
    (unit >= 0x2000 && unit <= 0x200a) ||
    unit === 0x2028 ||
    unit === 0x2029 ||
    unit === 0x202f ||
    unit === 0x205f ||
    unit === 0x3000 ||
    unit === 0xfeff
  );
}

/** Code points in `s` (a surrogate pair counts once, a lone surrogate once, as string iteration counts them). */
function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    const unit = s.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/**
 * The sentences of `text` (whitespace-only segments skipped), with code point offsets.
 * @example sentenceSpans('One. Two.') // [{ ord: 0, start: 0, end: 4 }, { ord: 1, start: 5, end: 9 }]
 */
export function sentenceSpans(text: string): SentenceSpan[] {
  const out: SentenceSpan[] = [];
  // Without the `u` flag the class matches UTF-16 surrogate units: an all-BMP text has one unit per code point.
  const astral = /[\uD800-\uDFFF]/.test(text);
  let offset = 0; // code points before the current segment
  for (const { segment } of segmenter.segment(text)) {
    let lead = 0;
    while (lead < segment.length && isSpace(segment.charCodeAt(lead))) lead++;
    let trail = segment.length;
    while (trail > lead && isSpace(segment.charCodeAt(trail - 1))) trail--;
    // Leading and trailing space is BMP: unit counts are code point counts there.
    const length = astral ? codePointLength(segment) : segment.length;
    if (trail > lead) out.push({ ord: out.length, start: offset + lead, end: offset + length - (segment.length - trail) });
    offset += length;
  }
  return out;
}
