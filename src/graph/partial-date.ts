/**
 * Partial dates: as precise as the text gives them, never padded.
 */
import type { DatePrecision } from '../store/types.js';

/** A date with a year and optionally a month and a day. */
export interface PartialDateParts {
  year: number;
  month?: number | null;
  day?: number | null;
}

/** The range of days a partial date covers, and its precision. */
export interface PartialDateRange {
  precision: DatePrecision;
  /** First day, `YYYY-MM-DD`. */
  earliest: string;
  /** Last day, `YYYY-MM-DD`. */
  latest: string;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Days in a month of a year (proleptic Gregorian). */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Precision and day range of a partial date.
 * @throws RangeError for a day without a month, a month outside 1–12, a day the month does not have, or a part that is not a whole number.
 * @example partialDateRange({ year: 2022, month: 3 }) // { precision: 'MONTH', earliest: '2022-03-01', latest: '2022-03-31' }
 */
export function partialDateRange(parts: PartialDateParts): PartialDateRange {
  const { year, month, day } = parts;
  // Four-digit years only: earliest/latest are ISO 8601 calendar dates (LocalDate).
  if (!Number.isInteger(year) || year < 0 || year > 9999) throw new RangeError(`Year ${year} is not a whole number in 0–9999.`);
  const y = pad(year, 4);
  if (month == null) {
    if (day != null) throw new RangeError('A date with a day needs a month.');
    return { precision: 'YEAR', earliest: `${y}-01-01`, latest: `${y}-12-31` };
  }
  if (!Number.isInteger(month) || month < 1 || month > 12) throw new RangeError(`Month ${month} is not 1–12.`);
  const last = daysInMonth(year, month);
  if (day == null) return { precision: 'MONTH', earliest: `${y}-${pad(month)}-01`, latest: `${y}-${pad(month)}-${pad(last)}` };
  if (!Number.isInteger(day) || day < 1 || day > last) throw new RangeError(`Day ${day} is not in ${y}-${pad(month)}.`);
  const d = `${y}-${pad(month)}-${pad(day)}`;
  return { precision: 'DAY', earliest: d, latest: d };
}
