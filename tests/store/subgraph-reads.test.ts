/**
 * How a neighbourhood's reads are planned (answers: traversal-differential.test.ts):
 * the rank bands a level is read in, and, on SQLite, the one index entry per
 * node that the node read and the read of the links among the nodes use.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';

import { type AdjacencyRunner, nextRankBand, readAdjacency, readEntitySummaries } from '../../src/store/sql/analyst-sql.js';
import { LINK_RANKS, linkRankSql, rankAboveSql } from '../../src/store/sql/kept-adjacency-sql.js';
import type { SqlStatement } from '../../src/store/sql/list-sql.js';
import { migrateSqlite } from '../../src/store/sqlite/sqlite-migrations.js';
import { BACKENDS, backendTitle, PG_ADMIN_URL } from '../helpers/backends.js';

/** The bands read from the top band (ranks 10 and up) down to rank 0, each band's rows given by `rowsOf`. */
function bandsDown(rowsOf: (band: { lo: number; hi: number }) => number, needed: number): { lo: number; hi: number }[] {
  const bands = [{ lo: 10, hi: LINK_RANKS }];
  while (bands.at(-1)!.lo > 0) bands.push(nextRankBand(bands.at(-1)!.lo, rowsOf(bands.at(-1)!), needed));
  return bands;
}

describe('nextRankBand', () => {
  it('reads every rank below the top band once, from the highest down', () => {
    for (const [rows, needed] of [
      [0, 500],
      [3, 500],
      [100, 500],
      [10_000, 1],
      [2, 30],
    ]) {
      const ranks = bandsDown(() => rows!, needed!).flatMap((b) => Array.from({ length: b.hi - b.lo + 1 }, (_, i) => b.hi - i));
      expect(ranks).toEqual(Array.from({ length: LINK_RANKS + 1 }, (_, i) => LINK_RANKS - i));
    }
  });

  it('reads ranks that hold few neighbours together, and one that may hold many alone', () => {
    // Nothing found yet and 500 wanted: estimated 4, 16, 64, 256 rows (340 < 500); with 1,024 more, 1,364.
    expect(nextRankBand(10, 0, 500)).toEqual({ lo: 6, hi: 9 });
    // 29 rows in the last band: rank 6 is estimated at 116, rank 5 at 464 (580 ≥ 469): rank 6 alone.
    expect(nextRankBand(7, 29, 469)).toEqual({ lo: 6, hi: 6 });
    // As many rows as needed already: one rank.
    expect(nextRankBand(5, 1000, 10)).toEqual({ lo: 4, hi: 4 });
    // Never below rank 0.
    expect(nextRankBand(3, 0, 1_000_000)).toEqual({ lo: 0, hi: 2 });
  });
});

describe('SQLite: the subgraph reads use one index entry per node', () => {
  const db = new Database(':memory:');
  migrateSqlite(db);
  /** A runner that plans each statement instead of running it, and remembers the plans. */
  const plans: string[] = [];
  const plan = (s: SqlStatement): Record<string, unknown>[] => {
    plans.push((db.prepare(`EXPLAIN QUERY PLAN ${s.sql}`).all(...(s.params as unknown[])) as { detail: string }[]).map((r) => r.detail).join('; '));
    return [];
  };
  const runner: AdjacencyRunner = { run: plan, dialect: { indexHints: true, filterAfterRead: true }, maxParams: 30_000 };
  const ids = ['actor:a', 'actor:b', 'place:c'];

  it('reads the nodes from entities_summary_by_id alone (no table row)', async () => {
    plans.length = 0;
    await readEntitySummaries(runner, ids);
    expect(plans).toHaveLength(1);
    expect(plans[0]).toContain('USING COVERING INDEX entities_summary_by_id');
  });

  it('finds each node of the links among them in the same index', async () => {
    plans.length = 0;
    await readAdjacency(runner, ids, { toIds: ids, outgoingOnly: true, unordered: true, limit: 100 });
    expect(plans).toHaveLength(1);
    expect(plans[0]).toContain('COVERING INDEX entities_summary_by_id');
    expect(plans[0]).toContain('SEARCH a USING PRIMARY KEY');
  });
});

/** Mention counts around every power of two a rank starts at, and beyond the highest rank. */
const COUNTS = [0, 1, 2, 3, ...Array.from({ length: LINK_RANKS + 2 }, (_, i) => 2 ** i).flatMap((p) => [p - 1, p, p + 1]), 2 ** 30];

/** `rank > linkRankSql(m)` and `rankAboveSql(rank, m)` for every rank and each of `COUNTS`, as rows (rank, m, by CASE, by shift). */
const rankAboveQuery = (): string =>
  `WITH ks (k) AS (VALUES ${Array.from({ length: LINK_RANKS + 1 }, (_, k) => `(${k})`).join(', ')}), ms (m) AS (VALUES ${COUNTS.map((m) => `(${m})`).join(', ')}) ` +
  `SELECT k, m, CASE WHEN k > ${linkRankSql('m')} THEN 1 ELSE 0 END AS by_case, CASE WHEN ${rankAboveSql('k', 'm')} THEN 1 ELSE 0 END AS by_shift FROM ks, ms`;

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(backendTitle(backend, 'rankAboveSql'), () => {
    it('says what `rank > linkRankSql(mentions)` says, for every rank and around every power of two', async () => {
      let rows: { k: number; m: number; by_case: number; by_shift: number }[];
      if (backend.name === 'sqlite') rows = new Database(':memory:').prepare(rankAboveQuery()).all() as typeof rows;
      else {
        const client = new pg.Client({ connectionString: PG_ADMIN_URL });
        await client.connect();
        try {
          rows = (await client.query(rankAboveQuery())).rows;
        } finally {
          await client.end();
        }
      }
      expect(rows).toHaveLength((LINK_RANKS + 1) * COUNTS.length);
      for (const r of rows) expect(Number(r.by_shift), `rank ${r.k}, ${r.m} mentions`).toBe(Number(r.by_case));
      // Both answers occur (the query is not trivially all false).
      expect(new Set(rows.map((r) => Number(r.by_case)))).toEqual(new Set([0, 1]));
    });
  });
}
