/**
 * Sentence spans against a reference written the plain way (each segment
 * spread into code points, white space tested with the `\s` regular
 * expression): the same spans for texts of every kind of white space, letters
 * outside the BMP and lone surrogates.
 */
import { describe, expect, it } from 'vitest';

import { sentenceSpans, type SentenceSpan } from '../../src/graph/sentences.js';

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/** The reference: code points by string iteration, white space by `\s`. */
function referenceSpans(text: string): SentenceSpan[] {
  const out: SentenceSpan[] = [];
  let offset = 0;
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

/** A deterministic pseudo-random generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  'The mission left Gao.', ' ', '  ', '\n', '\n\n', '\t', '\u00a0', '\u2003', '\u3000', '\ufeff', '\u2028', '\u0085', '\u180e',
  'He said: “We stay.”', 'Is it over?', 'Yes!', 'U.S. troops', 'e.g. this', '𝔗𝔥𝔢 𝔚𝔦𝔯𝔢', '🛰', '\ud800', '\udc00x', 'Côte d’Ivoire.', '...', '',
];

describe('sentenceSpans', () => {
  it('gives the spans of the plain reference for 2,000 random texts', () => {
    const next = random(42);
    let compared = 0;
    for (let t = 0; t < 2000; t++) {
      let text = '';
      const n = 1 + Math.floor(next() * 30);
      for (let i = 0; i < n; i++) text += PIECES[Math.floor(next() * PIECES.length)];
      const expected = referenceSpans(text);
      expect(sentenceSpans(text), JSON.stringify(text)).toEqual(expected);
      compared += expected.length;
    }
    expect(compared).toBeGreaterThan(5000);
  });

  it('treats exactly the characters `\\s` matches as white space', () => {
    // Every BMP character (but surrogates) around a sentence: the characters whose spans differ from the reference's.
    const differ: string[] = [];
    for (let c = 0; c < 0x10000; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const text = `${String.fromCharCode(c)}A.${String.fromCharCode(c)}`;
      if (JSON.stringify(sentenceSpans(text)) !== JSON.stringify(referenceSpans(text))) differ.push(c.toString(16));
    }
    expect(differ).toEqual([]);
  });

  it('counts offsets in code points', () => {
    expect(sentenceSpans('🛰 One. Two.')).toEqual([
      { ord: 0, start: 0, end: 6 },
      { ord: 1, start: 7, end: 11 },
    ]);
  });
});
