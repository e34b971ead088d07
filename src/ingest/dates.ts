/**
 * Stage 4: dates, with chrono-node, exactly as precise as the text gives
 * them: "March 2022" is a month, "June 30th" a day, and a bare year ("a 2013
 * rebellion", "in 2020") a year (chrono filters out bare numbers, so a
 * small rule adds them where chrono found nothing). A part the
 * text does not state (the year of "June 30th", the day of "yesterday") comes
 * from the publication date and is marked inferred; without a publication
 * date such a date is left out rather than given a made-up year. Month/day
 * numerals without a year ("9/11") are left out: they are ambiguous.
 */
import * as chrono from 'chrono-node';

import { partialDateRange } from '../graph/partial-date.js';
import type { DatePrecision } from '../store/types.js';
import type { Range } from './types.js';

/** Confidence of a date, by what the text states. */
export const DATE_CONFIDENCE = {
  /** Day, month and year, or month and year, all in the text. */
  stated: 0.9,
  /** A bare four-digit year. */
  year: 0.75,
  /** Part of it comes from the publication date. */
  inferred: 0.6,
} as const;

/** A date found in the text. */
export interface FoundDate extends Range {
  /** The words as written. */
  text: string;
  year: number;
  month: number | null;
  day: number | null;
  precision: DatePrecision;
  inferred: boolean;
  inferredFrom: string | null;
  earliest: string;
  latest: string;
  confidence: number;
}

const YEAR_PATTERN = /(?<![\d/.,$€£-])\b(1[89]\d\d|20\d\d)\b(?![\d/%]|\.\d|,\d|\s*(?:%|percent|per cent|troops|people|soldiers|men|women|km|kilometres|kilometers|dollars|euros))/;

const parser = chrono.casual;
const LEADING_WORDS = /^(?:(?:on|in|at|by|from|since|until|till|the|of|during|before|after)\s+)+/i;

/**
 * The dates in `text`. `publishedOn` (`YYYY-MM-DD`) is the reference for
 * relative dates and missing years.
 */
export function findDates(text: string, publishedOn: string | null): FoundDate[] {
  const reference = publishedOn ? new Date(`${publishedOn}T12:00:00Z`) : new Date(Date.UTC(2000, 0, 1, 12));
  const results = parser.parse(text, { instant: reference, timezone: 0 }, { forwardDate: false });
  const out: FoundDate[] = [];
  for (const r of results) {
    const tags = typeof r.tags === 'function' ? r.tags() : new Set<string>();
    const relative = [...tags].some((t) => t.startsWith('result/relativeDate') || t.startsWith('casualReference/'));
    // "now" is no date; "the last three years" is a period, not a date.
    if (tags.has('casualReference/now') || (relative && /\b(?:years|months|weeks|days|decades)\b/i.test(r.text))) continue;
    // "for a day" is a duration; "the morning" a time of some day; a match across sentences is two things.
    if (/^for\b/i.test(r.text) || /[.!?]\s/.test(r.text)) continue;
    if (tags.has('parser/ENCasualTimeParser') && !/\b(?:today|yesterday|tomorrow|tonight|this)\b/i.test(r.text)) continue;
    const start = r.start;
    if (!start.isCertain('year') && !start.isCertain('month') && !start.isCertain('day') && !relative && !start.isCertain('weekday')) continue;
    if (tags.has('parser/SlashDateFormatParser') && !start.isCertain('year')) continue;
    if (start.isCertain('hour') && !start.isCertain('day') && !relative) continue;

    const year = start.get('year');
    const hasDay = start.isCertain('day') || start.isCertain('weekday') || (relative && start.get('day') !== null && !/\b(?:years?|months?|weeks?)\b/i.test(r.text));
    const hasMonth = hasDay || start.isCertain('month') || (relative && /\bmonths?\b/i.test(r.text));
    const stated = relative ? false : start.isCertain('year') && (!hasMonth || start.isCertain('month')) && (!hasDay || start.isCertain('day'));
    if (!stated && !publishedOn) continue; // a part would have to be made up
    if (year === null) continue;
    const month = hasMonth ? start.get('month') : null;
    const day = hasDay ? start.get('day') : null;
    let range;
    try {
      range = partialDateRange({ year, month, day });
    } catch {
      continue;
    }
    // Trim leading prepositions chrono includes ("On 5 May").
    const lead = LEADING_WORDS.exec(r.text)?.[0].length ?? 0;
    const words = r.text.slice(lead).replace(/[\s,.;:]+$/, '');
    const startIndex = r.index + lead;
    out.push({
      startIndex,
      endIndex: startIndex + words.length,
      text: words,
      year,
      month,
      day,
      precision: range.precision,
      inferred: !stated,
      inferredFrom: stated ? null : `resolved against the publication date ${publishedOn}`,
      earliest: range.earliest,
      latest: range.latest,
      confidence: stated ? DATE_CONFIDENCE.stated : DATE_CONFIDENCE.inferred,
    });
  }
  // Bare years, which chrono leaves out ("a 2013 rebellion", "coups in 2020").
  for (const m of text.matchAll(new RegExp(YEAR_PATTERN.source, 'gi'))) {
    const startIndex = m.index;
    const endIndex = startIndex + m[1]!.length;
    if (out.some((d) => d.startIndex < endIndex && startIndex < d.endIndex)) continue;
    const year = Number(m[1]);
    const range = partialDateRange({ year });
    out.push({
      startIndex,
      endIndex,
      text: m[1]!,
      year,
      month: null,
      day: null,
      precision: 'YEAR',
      inferred: false,
      inferredFrom: null,
      earliest: range.earliest,
      latest: range.latest,
      confidence: DATE_CONFIDENCE.year,
    });
  }
  return out.sort((a, b) => a.startIndex - b.startIndex);
}
