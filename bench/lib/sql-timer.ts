/**
 * Times every SQL statement a SQLite store runs, grouped by statement shape
 * (lists of placeholders folded, first `keyLength` characters), for the
 * in-process benches (sql-timings.ts, query-cpu.ts, entity-page-sql.ts).
 */

/** What the timer has seen: milliseconds per shape, and the slowest run of each shape. */
export interface SqlTimes {
  times: Map<string, number[]>;
  slowest: Map<string, { ms: number; sql: string; params: unknown[] }>;
}

/** Wrap the store's statement runner (`all`) so that every statement is timed. */
export function timeStoreSql(store: object, keyLength: number): SqlTimes {
  const inner = store as unknown as { all: (s: { sql: string; params: unknown[] }) => unknown[] };
  const original = inner.all.bind(store);
  const seen: SqlTimes = { times: new Map(), slowest: new Map() };
  inner.all = (s) => {
    const t = performance.now();
    const rows = original(s);
    const ms = performance.now() - t;
    const key = s.sql.replace(/\?(, \?)+/g, '?…').slice(0, keyLength);
    (seen.times.get(key) ?? seen.times.set(key, []).get(key)!).push(ms);
    if (ms > (seen.slowest.get(key)?.ms ?? 0)) seen.slowest.set(key, { ms, sql: s.sql, params: s.params });
    return rows;
  };
  return seen;
}
