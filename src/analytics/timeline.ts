/**
 * The timeline: dated events counted per year or per month, by the database.
 *
 * A date falls only in a bucket its precision allows. By YEAR, every dated
 * event counts in its year. By MONTH, events dated to a month or a day count
 * in their month, and events dated only to a year get a bucket of their own
 * per year, labelled "2013 (year only)" and sorted before that year's months:
 * they are never spread over months or put in January. Undated events are
 * not on the timeline. Only periods with events are returned.
 */
import type { Loaders } from '../loaders/loaders.js';
import type { EventListQuery } from '../store/lists.js';
import { daysInMonth } from '../graph/partial-date.js';
import { cached } from './cache.js';

/** Bucket size. */
export type TimeGranularity = 'YEAR' | 'MONTH';

/** A bucket and the event list query that lists its events. */
export interface TimelineBucketModel {
  /** First day of the period, `YYYY-MM-DD`. */
  start: string;
  /** Last day of the period. */
  end: string;
  label: string;
  granularity: TimeGranularity;
  /** True for the MONTH timeline's bucket of events dated only to a year. */
  yearOnly: boolean;
  count: number;
  inferredCount: number;
  events: EventListQuery;
}

/** Filters of the timeline (as for `events`). */
export interface TimelineFilter {
  from?: string | null;
  to?: string | null;
  kind?: string | null;
  participant?: string | null;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** The buckets of the timeline, in time order (counts cached per graph version). */
export async function timeline(loaders: Loaders, granularity: TimeGranularity, filter: TimelineFilter): Promise<TimelineBucketModel[]> {
  const base: EventListQuery = { list: 'events', from: filter.from, to: filter.to, kind: filter.kind, participant: filter.participant };
  const rows = await cached(loaders, `timeline:${granularity}:${JSON.stringify(base)}`, () => loaders.store.eventCountsByPeriod(base, granularity));
  return rows.map((r) => {
    const y = pad(r.year, 4);
    const common = { count: r.count, inferredCount: r.inferredCount, granularity };
    if (r.month === null) {
      const yearOnly = granularity === 'MONTH';
      return {
        ...common,
        start: `${y}-01-01`,
        end: `${y}-12-31`,
        label: yearOnly ? `${y} (year only)` : y,
        yearOnly,
        events: { ...base, year: r.year, precisions: yearOnly ? ['YEAR'] : null },
      };
    }
    const m = pad(r.month);
    return {
      ...common,
      start: `${y}-${m}-01`,
      end: `${y}-${m}-${pad(daysInMonth(r.year, r.month))}`,
      label: `${y}-${m}`,
      yearOnly: false,
      events: { ...base, year: r.year, month: r.month, precisions: ['MONTH', 'DAY'] },
    };
  });
}
