import { describe, expect, it } from 'vitest';

import { daysInMonth, partialDateRange } from '../../src/graph/partial-date.js';

describe('partialDateRange', () => {
  it('a year covers 1 January to 31 December', () => {
    expect(partialDateRange({ year: 2013 })).toEqual({ precision: 'YEAR', earliest: '2013-01-01', latest: '2013-12-31' });
  });

  it('a month covers its first to its last day', () => {
    expect(partialDateRange({ year: 2022, month: 3 })).toEqual({ precision: 'MONTH', earliest: '2022-03-01', latest: '2022-03-31' });
    expect(partialDateRange({ year: 2023, month: 4 })).toEqual({ precision: 'MONTH', earliest: '2023-04-01', latest: '2023-04-30' });
    expect(partialDateRange({ year: 2023, month: 12 }).latest).toBe('2023-12-31');
  });

  it('February has 29 days in leap years (divisible by 4, centuries only when divisible by 400)', () => {
    expect(partialDateRange({ year: 2024, month: 2 }).latest).toBe('2024-02-29');
    expect(partialDateRange({ year: 2023, month: 2 }).latest).toBe('2023-02-28');
    expect(partialDateRange({ year: 2000, month: 2 }).latest).toBe('2000-02-29');
    expect(partialDateRange({ year: 1900, month: 2 }).latest).toBe('1900-02-28');
    expect(partialDateRange({ year: 2024, month: 2, day: 29 })).toEqual({ precision: 'DAY', earliest: '2024-02-29', latest: '2024-02-29' });
  });

  it('a day is a range of one day', () => {
    expect(partialDateRange({ year: 2023, month: 6, day: 30 })).toEqual({ precision: 'DAY', earliest: '2023-06-30', latest: '2023-06-30' });
  });

  it('null month and day mean absent', () => {
    expect(partialDateRange({ year: 2020, month: null, day: null }).precision).toBe('YEAR');
    expect(partialDateRange({ year: 2020, month: 1, day: null }).precision).toBe('MONTH');
  });

  it('pads years below 1000 to four digits', () => {
    expect(partialDateRange({ year: 800 }).earliest).toBe('0800-01-01');
  });

  it.each([
    [{ year: 2023, month: 2, day: 29 }, /Day 29/],
    [{ year: 2023, month: 4, day: 31 }, /Day 31/],
    [{ year: 2023, month: 1, day: 0 }, /Day 0/],
    [{ year: 2023, month: 13 }, /Month 13/],
    [{ year: 2023, month: 0 }, /Month 0/],
    [{ year: 2023, day: 5 }, /needs a month/],
    [{ year: 2023.5 }, /Year 2023.5/],
    [{ year: Number.NaN }, /Year NaN/],
    [{ year: -44 }, /Year -44/],
    [{ year: 10000 }, /Year 10000/],
    [{ year: 2023, month: 2.5 }, /Month 2.5/],
    [{ year: 2023, month: 3, day: 1.5 }, /Day 1.5/],
  ])('rejects %j', (parts, message) => {
    expect(() => partialDateRange(parts)).toThrow(RangeError);
    expect(() => partialDateRange(parts)).toThrow(message);
  });
});

describe('daysInMonth', () => {
  it('knows every month of a common and a leap year', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => daysInMonth(2023, m))).toEqual([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);
    expect(daysInMonth(2024, 2)).toBe(29);
  });
});
