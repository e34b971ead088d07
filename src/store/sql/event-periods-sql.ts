/**
 * Kept counts of dated events per (year, month, precision, inferred), for the
 * timeline (SQLite migration 8, PostgreSQL migration 6): triggers on `events`
 * add and subtract one per row, so a timeline over whole years reads at most
 * a few rows per year instead of every event of the period. Shared SQL (`?`
 * placeholders), as in `list-sql.ts`.
 *
 * Why whole years suffice: a dated event's earliest and latest days lie in
 * its year (partial-date.ts), so every event of a year the period covers from
 * 1 January to 31 December overlaps the period, and no event of a year
 * outside the period's years does. Only a year the period cuts (its first
 * or last, when not whole) is counted from the events themselves.
 */
import type { EventListQuery } from '../lists.js';
import { listBase, type SqlStatement } from './list-sql.js';

/** `month` is 0 and `precision` '' where the event has none (the key has no nulls). */
export const EVENT_PERIOD_COUNTS_TABLE =
  'CREATE TABLE event_period_counts (year INTEGER NOT NULL, month INTEGER NOT NULL, precision TEXT NOT NULL, ' +
  'inferred INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (year, month, precision, inferred))';

/** Refill the kept counts from `events` (a bulk load, which drops the triggers; a migration). */
export const RECOUNT_EVENT_PERIODS_SQL: readonly string[] = [
  'DELETE FROM event_period_counts',
  "INSERT INTO event_period_counts (year, month, precision, inferred, n) SELECT year, COALESCE(month, 0), COALESCE(precision, ''), date_inferred, COUNT(*) " +
    'FROM events WHERE year IS NOT NULL GROUP BY year, COALESCE(month, 0), COALESCE(precision, \'\'), date_inferred',
];

/** The row's key values (`NEW` or `OLD`), as the table keeps them. */
export const eventPeriodKey = (row: 'NEW' | 'OLD'): string =>
  `${row}.year, COALESCE(${row}.month, 0), COALESCE(${row}.precision, ''), ${row}.date_inferred`;

/** True when the kept counts answer this timeline: filtered by the period only. */
export function eventPeriodsApply(query: EventListQuery): boolean {
  return Object.entries(query).every(([key, value]) => key === 'list' || key === 'from' || key === 'to' || value === null || value === undefined);
}

/**
 * Events per year, or per month with year-only dates apart (`m` null), of the
 * events overlapping the query's period: whole years from the kept counts,
 * cut years from the events. Same rows as the plan over the events
 * (`eventCountsByPeriodSql`): `y`, `m`, `n`, `inferred`, periods with events only.
 */
export function keptEventCountsByPeriodSql(query: EventListQuery, granularity: 'YEAR' | 'MONTH'): SqlStatement {
  const from = query.from ?? null;
  const to = query.to ?? null;
  const fromYear = from === null ? null : Number(from.slice(0, 4));
  const toYear = to === null ? null : Number(to.slice(0, 4));
  // Whole years of the period: [low, high] (open where unbounded).
  const low = fromYear === null ? null : from!.slice(4) === '-01-01' ? fromYear : fromYear + 1;
  const high = toYear === null ? null : to!.slice(4) === '-12-31' ? toYear : toYear - 1;
  const whole: string[] = [];
  const wholeParams: unknown[] = [];
  if (low !== null) {
    whole.push('year >= ?');
    wholeParams.push(low);
  }
  if (high !== null) {
    whole.push('year <= ?');
    wholeParams.push(high);
  }
  const keptMonth = granularity === 'MONTH' ? "CASE WHEN precision = 'YEAR' OR month = 0 THEN NULL ELSE month END" : 'NULL';
  const parts = [
    `SELECT year AS y, ${keptMonth} AS m, n, inferred * n AS i FROM event_period_counts${whole.length > 0 ? ` WHERE ${whole.join(' AND ')}` : ''}`,
  ];
  const params = [...wholeParams];
  // The cut years: events outside the whole years that overlap the period (listBase applies the period).
  const cut: string[] = [];
  if (low !== null && fromYear !== null && low > fromYear) {
    cut.push('b.year < ?');
    params.push(low);
  }
  if (high !== null && toYear !== null && high < toYear) {
    cut.push('b.year > ?');
    params.push(high);
  }
  if (cut.length > 0) {
    const base = listBase(query);
    const month = granularity === 'MONTH' ? "CASE WHEN b.precision = 'YEAR' THEN NULL ELSE b.month END" : 'NULL';
    parts.push(`SELECT b.year AS y, ${month} AS m, 1 AS n, b.date_inferred AS i FROM (${base.sql}) b WHERE b.year IS NOT NULL AND (${cut.join(' OR ')})`);
    // The cut-year parameters follow the base's in the statement text.
    params.splice(wholeParams.length, 0, ...base.params);
  }
  return {
    sql: `SELECT y, m, SUM(n) AS n, SUM(i) AS inferred FROM (${parts.join(' UNION ALL ')}) p GROUP BY y, m HAVING SUM(n) > 0 ORDER BY y, m NULLS FIRST`,
    params,
  };
}
