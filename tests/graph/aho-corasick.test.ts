import { describe, expect, it } from 'vitest';

import { AhoCorasick } from '../../src/graph/aho-corasick.js';

/** Every occurrence by brute force, for comparison. */
function naive(text: string, patterns: string[]) {
  const out: { pattern: number; start: number; end: number }[] = [];
  patterns.forEach((p, pattern) => {
    for (let i = text.indexOf(p); i !== -1; i = text.indexOf(p, i + 1)) out.push({ pattern, start: i, end: i + p.length });
  });
  return out;
}
const sorted = (list: { pattern: number; start: number; end: number }[]) =>
  [...list].sort((a, b) => a.start - b.start || a.end - b.end || a.pattern - b.pattern);

describe('Aho–Corasick automaton', () => {
  it('finds overlapping patterns, as in the textbook example', () => {
    const ac = new AhoCorasick(['he', 'she', 'his', 'hers']);
    // "ushers": she at 1, he at 2, hers at 2.
    expect(sorted(ac.search('ushers'))).toEqual([
      { pattern: 1, start: 1, end: 4 },
      { pattern: 0, start: 2, end: 4 },
      { pattern: 3, start: 2, end: 6 },
    ]);
  });

  it('agrees with brute force on random texts over a small alphabet', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const word = (n: number) => Array.from({ length: n }, () => 'ab😀c'[Math.floor(rnd() * 4)]).join('');
    for (let round = 0; round < 50; round++) {
      const patterns = [...new Set(Array.from({ length: 6 }, () => word(1 + Math.floor(rnd() * 4))))];
      const text = word(200);
      expect(sorted(new AhoCorasick(patterns).search(text))).toEqual(sorted(naive(text, patterns)));
    }
  });

  it('refuses an empty pattern', () => {
    expect(() => new AhoCorasick(['a', ''])).toThrow(RangeError);
  });
});
