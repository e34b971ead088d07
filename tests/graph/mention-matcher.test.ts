import { describe, expect, it } from 'vitest';

import { MentionMatcher, NameConflictError } from '../../src/graph/mention-matcher.js';

const find = (text: string, names: [string, string][]) =>
  new MentionMatcher(names.map(([name, entityId]) => ({ name, entityId }))).find(text).map((m) => [text.slice(m.startIndex, m.endIndex), m.entityId]);

describe('mention matcher', () => {
  it('finds "US" the country and not "us" the pronoun', () => {
    expect(find('The US told us that USA and US’s forces stay.', [['US', 'actor:us']])).toEqual([
      ['US', 'actor:us'],
      ['US', 'actor:us'],
    ]);
  });

  it('prefers the longest name at a position and honours word boundaries', () => {
    expect(find('Northern Mali, Malians and Mali.', [['Mali', 'a:mali'], ['Northern Mali', 'p:north'], ['Malians', 'a:people']])).toEqual([
      ['Northern Mali', 'p:north'],
      ['Malians', 'a:people'],
      ['Mali', 'a:mali'],
    ]);
  });

  it('matches a lower-case name with a capital at the start of a sentence, not the reverse', () => {
    expect(find('Blue helmets left. The blue helmets stayed. BLUE HELMETS', [['blue helmets', 'a:m']])).toHaveLength(2);
  });

  it('does not end a name inside a word written with a combining accent', () => {
    expect(find('Mali\u0301 and Mali', [['Mali', 'a:mali']])).toEqual([['Mali', 'a:mali']]);
  });

  it('counts positions across text outside the Basic Multilingual Plane', () => {
    const text = '😀 Mali';
    const [m] = new MentionMatcher([{ name: 'Mali', entityId: 'a' }]).find(text);
    expect(text.slice(m!.startIndex, m!.endIndex)).toBe('Mali');
  });

  it('throws on one spelling for two entities, or skips it when asked, or lets priority decide', () => {
    expect(() => new MentionMatcher([{ name: 'Wane', entityId: 'a' }, { name: 'Wane', entityId: 'b' }])).toThrow(NameConflictError);
    const skip = new MentionMatcher([{ name: 'Wane', entityId: 'a' }, { name: 'Wane', entityId: 'b' }], { onConflict: 'skip' });
    expect(skip.find('Wane said')).toEqual([]);
    const ranked = new MentionMatcher([{ name: 'Wane', entityId: 'a', priority: 1 }, { name: 'Wane', entityId: 'b' }], { onConflict: 'skip' });
    expect(ranked.find('Wane said').map((m) => m.entityId)).toEqual(['a']);
  });
});
