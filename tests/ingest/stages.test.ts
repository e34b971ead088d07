import { describe, expect, it } from 'vitest';

import { findDates } from '../../src/ingest/dates.js';
import { FrontMatterError, parseDocument } from '../../src/ingest/front-matter.js';
import { findQuotes } from '../../src/ingest/quotes.js';

describe('front matter', () => {
  it('reads title, url, publisher and publication date, and keeps the text after it byte for byte', () => {
    const { meta, text } = parseDocument('---\ntitle: A “title”\nurl: https://example.org/a\npublisher: Sahel Dispatch\npublishedOn: 2023-07-02\n---\nBody ’text’.\n');
    expect(meta).toEqual({ title: 'A “title”', url: 'https://example.org/a', publisher: 'Sahel Dispatch', publishedOn: '2023-07-02' });
    expect(text).toBe('Body ’text’.\n');
  });

  it('takes the first line (without Markdown #) as the title when there is no front matter', () => {
    expect(parseDocument('\n# Mali Asks UN\n\nText').meta.title).toBe('Mali Asks UN');
  });

  it('refuses a publication date that is not a date', () => {
    expect(() => parseDocument('---\npublishedOn: next week\n---\nText')).toThrow(FrontMatterError);
  });
});

describe('dates', () => {
  it('keeps the precision the text gives', () => {
    const dates = findDates('A 2013 rebellion; the Moura massacre in March 2022; the deadline of 30 June 2023.', null);
    expect(dates.map((d) => [d.text, d.precision, d.earliest, d.latest, d.inferred])).toEqual([
      ['2013', 'YEAR', '2013-01-01', '2013-12-31', false],
      ['March 2022', 'MONTH', '2022-03-01', '2022-03-31', false],
      ['30 June 2023', 'DAY', '2023-06-30', '2023-06-30', false],
    ]);
  });

  it('resolves a date without a year against the publication date, marked inferred, and leaves it out without one', () => {
    const text = 'The UN has until June 30th to decide; it met on Friday.';
    expect(findDates(text, null)).toEqual([]);
    // 2023-07-02 is a Sunday: "June 30th" is 2023-06-30, and so is the Friday before.
    const dates = findDates(text, '2023-07-02');
    expect(dates.map((d) => [d.text, d.earliest, d.inferred])).toEqual([
      ['June 30th', '2023-06-30', true],
      ['Friday', '2023-06-30', true],
    ]);
  });

  it('does not take numbers for years, nor month/day numerals without a year', () => {
    expect(findDates('2000 troops and 1500 people left after 9/11.', '2023-01-01')).toEqual([]);
  });
});

describe('quotes', () => {
  it('finds curly and straight quotes, keeps a nested quote inside, and joins a quote across paragraphs', () => {
    const text = '"Straight words here," he said. “Outer ‘inner words’ end.”\n\n“First part of it.\n\n“Second part,” she added.';
    expect(findQuotes(text).map((q) => [q.text, q.parts.length])).toEqual([
      ['Straight words here', 1],
      ['Outer ‘inner words’ end.', 1],
      ['First part of it.\n\nSecond part', 2],
    ]);
  });

  it('leaves out a quote that never closes', () => {
    expect(findQuotes('He said “this never ends.\n\nNext paragraph.')).toEqual([]);
  });
});
