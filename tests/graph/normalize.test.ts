import { describe, expect, it } from 'vitest';

import { normalizeName } from '../../src/graph/normalize.js';

describe('normalizeName', () => {
  it.each([
    ['Al-Qaeda', 'al qaeda'],
    ['al qaeda', 'al qaeda'],
    ['AL  QAEDA', 'al qaeda'],
    ['al_qaeda', 'al qaeda'],
    ['  Al—Qaeda!  ', 'al qaeda'],
    ['The Al-Qaeda', 'al qaeda'],
    ['the junta', 'junta'],
    ['Côte d’Ivoire', 'cote d ivoire'],
    ['Nébenzia', 'nebenzia'],
    ['MINUSMA', 'minusma'],
    ['U.N.', 'un'], // initialisms fold, so "U.S." finds the US
    ['U.S.A.', 'usa'],
    ['Mali’s', 'mali'], // a possessive finds its owner
    ['ＵＮ', 'un'], // full-width letters fold to ASCII (NFKD)
  ])('%j → %j', (input, expected) => {
    expect(normalizeName(input)).toBe(expected);
  });

  it('drops only a leading "the", not one inside a name or a word that starts with "the"', () => {
    expect(normalizeName('Theresa May')).toBe('theresa may');
    expect(normalizeName('Head of the UN')).toBe('head of the un');
    expect(normalizeName('The')).toBe('the');
  });

  it('folds a possessive apostrophe, straight or curly, the same way', () => {
    expect(normalizeName('Russia’s')).toBe(normalizeName("Russia's"));
  });

  it('keeps digits and letters of other scripts', () => {
    expect(normalizeName('post-9/11')).toBe('post 9 11');
    expect(normalizeName('Мали')).toBe('мали');
  });

  it('is empty for a name of punctuation only', () => {
    expect(normalizeName(' -- ')).toBe('');
    expect(normalizeName('')).toBe('');
  });

  it('is idempotent', () => {
    for (const name of ['The Al-Qaeda', 'Côte d’Ivoire', 'U.S.', 'blue helmets']) {
      expect(normalizeName(normalizeName(name))).toBe(normalizeName(name));
    }
  });
});
