import { describe, expect, it } from 'vitest';

import { findMentions, MentionMatcher, NameConflictError, type NamePattern } from '../../src/graph/mention-matcher.js';

const p = (name: string, entityId = name.toLowerCase()): NamePattern => ({ name, entityId });
/** The matches as [exact text, entity] pairs. */
const found = (text: string, patterns: NamePattern[]) =>
  findMentions(text, patterns).map((m) => [text.slice(m.startIndex, m.endIndex), m.entityId]);

describe('findMentions: word boundaries', () => {
  it('does not find "US" inside "MINUSMA" or "USA", but does before a possessive', () => {
    expect(found('MINUSMA and the USA; the US’s approach, US forces.', [p('US')])).toEqual([
      ['US', 'us'],
      ['US', 'us'],
    ]);
  });

  it('does not find a name inside a longer word', () => {
    expect(found('Malians, Malian, Mali.', [p('Mali')])).toEqual([['Mali', 'mali']]);
    expect(found('UNESCO and UN-led', [p('UN')])).toEqual([['UN', 'un']]);
  });

  it('treats digits as word characters', () => {
    expect(found('G20 and G 20', [p('G')])).toEqual([['G', 'g']]);
  });

  it('treats astral letters as word characters and emoji as boundaries', () => {
    const text = '𝔐Mali 🙂Mali🙂';
    const matches = findMentions(text, [p('Mali')]);
    expect(matches).toEqual([{ entityId: 'mali', name: 'Mali', startIndex: text.lastIndexOf('Mali'), endIndex: text.lastIndexOf('Mali') + 4 }]);
  });

  it('matches at the very start and end of the text', () => {
    expect(found('Mali', [p('Mali')])).toEqual([['Mali', 'mali']]);
  });
});

describe('findMentions: leftmost-longest', () => {
  it('prefers the longer name at the same start ("Northern Mali" beats "Mali")', () => {
    expect(found('in Northern Mali today', [p('Mali'), p('Northern Mali', 'north')])).toEqual([['Northern Mali', 'north']]);
  });

  it('prefers the leftmost match when matches overlap at different starts', () => {
    // "Malian troops" starts first; "troops fighting" overlaps it and is dropped.
    expect(found('Malian troops fighting', [p('troops fighting', 'tf'), p('Malian troops', 'mt')])).toEqual([['Malian troops', 'mt']]);
  });

  it('returns matches in text order, without overlaps', () => {
    const text = 'UN mission and UN and UN peacekeepers';
    const matches = findMentions(text, [p('UN'), p('UN mission', 'minusma'), p('UN peacekeepers', 'minusma')]);
    expect(matches.map((m) => [m.startIndex, m.endIndex, m.entityId])).toEqual([
      [0, 10, 'minusma'],
      [15, 17, 'un'],
      [22, 37, 'minusma'],
    ]);
  });
});

describe('findMentions: case', () => {
  it('is case-sensitive for names written with a capital', () => {
    expect(found('the us and the Us', [p('US')])).toEqual([]);
  });

  it('finds a lower-case name with a capitalised first letter too, as at the start of a sentence', () => {
    expect(found('Rebels hold the north; rebels hold it.', [p('rebels')])).toEqual([
      ['Rebels', 'rebels'],
      ['rebels', 'rebels'],
    ]);
  });

  it('capitalises only the first letter', () => {
    expect(found('Middle east, Middle East, middle east', [p('middle east')])).toEqual([
      ['Middle east', 'middle east'],
      ['middle east', 'middle east'],
    ]);
  });

  it('refuses one spelling for two entities, naming both', () => {
    expect(() => findMentions('x', [p('Mali', 'actor:mali'), p('Mali', 'place:mali')])).toThrow(/actor:mali.*place:mali/);
    // The capitalised form of a lower-case name counts as a spelling too.
    expect(() => findMentions('x', [p('rebels', 'a'), p('Rebels', 'b')])).toThrow(/"Rebels"/);
  });

  it('allows the same spelling twice for one entity', () => {
    expect(found('Mali', [p('Mali', 'm'), p('Mali', 'm')])).toEqual([['Mali', 'm']]);
  });
});

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
