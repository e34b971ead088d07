import { describe, expect, it } from 'vitest';

import { CodePointText, CONTEXT_LENGTH, occurrences } from '../../src/graph/spans.js';

describe('CodePointText', () => {
  const astral = 'a𝔐b🙂c'; // UTF-16: a, 𝔐(2), b, 🙂(2), c = 7 units; 5 code points

  it('counts code points, not UTF-16 units', () => {
    expect(astral.length).toBe(7);
    expect(new CodePointText(astral).length).toBe(5);
    expect(new CodePointText('plain').length).toBe(5);
    expect(new CodePointText('').length).toBe(0);
  });

  it('converts UTF-16 indexes to code point offsets and back', () => {
    const t = new CodePointText(astral);
    // a@0 𝔐@1 b@3 🙂@4 c@6 end@7
    expect([0, 1, 3, 4, 6, 7].map((i) => t.offset(i))).toEqual([0, 1, 2, 3, 4, 5]);
    expect([0, 1, 2, 3, 4, 5].map((o) => t.index(o))).toEqual([0, 1, 3, 4, 6, 7]);
  });

  it('is the identity on text inside the Basic Multilingual Plane', () => {
    const t = new CodePointText('Mali’s “junta”');
    expect(t.offset(5)).toBe(5);
    expect(t.index(9)).toBe(9);
  });

  it('slices by code points', () => {
    const t = new CodePointText(astral);
    expect(t.slice(1, 4)).toBe('𝔐b🙂');
    expect(t.slice(4, 5)).toBe('c');
    expect(t.slice(0, 0)).toBe('');
  });

  it('makes spans whose offsets, exact text and context are in code points', () => {
    const text = '🙂'.repeat(40) + 'MINUSMA' + '𝔐'.repeat(40);
    const t = new CodePointText(text);
    const startIndex = text.indexOf('MINUSMA');
    const span = t.spanOfIndexes('document:x', startIndex, startIndex + 7);
    expect(span).toEqual({
      documentId: 'document:x',
      start: 40,
      end: 47,
      exact: 'MINUSMA',
      prefix: '🙂'.repeat(CONTEXT_LENGTH),
      suffix: '𝔐'.repeat(CONTEXT_LENGTH),
    });
    expect(CONTEXT_LENGTH).toBe(32);
  });

  it('keeps shorter context at the edges of the text', () => {
    const t = new CodePointText('🙂UN🙂');
    expect(t.spanOfIndexes('d', 2, 4)).toMatchObject({ start: 1, end: 3, exact: 'UN', prefix: '🙂', suffix: '🙂' });
  });
});

describe('occurrences', () => {
  it('finds every UTF-16 index, overlapping ones included', () => {
    expect(occurrences('aaaa', 'aa')).toEqual([0, 1, 2]);
    expect(occurrences('the UN and the UN', 'UN')).toEqual([4, 15]);
  });

  it('finds nothing for an absent or empty needle', () => {
    expect(occurrences('abc', 'x')).toEqual([]);
    expect(occurrences('abc', '')).toEqual([]);
  });
});
