/**
 * Folding and finding search terms: the ASCII shortcut of `foldWord` gives
 * what the full rule (NFKD, marks removed, lower case) gives, and a `span`
 * keeps exactly the matches that start within it of the first one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { findTermMatches, foldWord } from '../../src/graph/search-terms.js';

const fullRule = (word: string): string => word.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
const article = readFileSync(join(import.meta.dirname, '..', '..', 'seeds', '000_ff0b82d8339bd64f.txt'), 'utf8');

describe('foldWord', () => {
  it('folds every word of the seed article as the full rule does', () => {
    const words = article.match(/[\p{L}\p{N}]+/gu) ?? [];
    expect(words.length).toBeGreaterThan(500);
    for (const word of words) expect(foldWord(word)).toBe(fullRule(word));
  });

  it('folds every ASCII character and accented words as the full rule does', () => {
    const ascii = Array.from({ length: 128 }, (_, i) => String.fromCharCode(i)).join('');
    expect(foldWord(ascii)).toBe(fullRule(ascii));
    expect(foldWord('Élysée')).toBe('elysee');
    expect(foldWord('MINUSMA')).toBe('minusma');
    expect(foldWord('Ghassim')).toBe('ghassim');
    expect(foldWord('Ｆｕｌｌ')).toBe('full'); // full-width letters: NFKD
  });
});

describe('findTermMatches', () => {
  it('with a span, keeps exactly the matches that start within it of the first', () => {
    for (const terms of [['mali'], ['the', 'un'], ['minus', 'wagner'], ['russia']]) {
      const all = findTermMatches(article, terms);
      expect(all.length).toBeGreaterThan(0);
      for (const span of [0, 10, 320, 5000]) {
        const first = all[0]!.startIndex;
        expect(findTermMatches(article, terms, span)).toEqual(all.filter((m) => m.startIndex <= first + span));
      }
    }
  });

  it('finds each word that starts with a term, by its UTF-16 indexes', () => {
    const text = 'Mali, MINUSMA and the Malian army; not Somalia.';
    expect(findTermMatches(text, ['mali']).map((m) => text.slice(m.startIndex, m.endIndex))).toEqual(['Mali', 'Malian']);
    expect(findTermMatches(text, [])).toEqual([]);
  });
});
