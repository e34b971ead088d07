/**
 * How a neighbourhood's reads are planned (answers: traversal-differential.test.ts):
 * the rank bands a level is read in.
 */
import { describe, expect, it } from 'vitest';

import { nextRankBand } from '../../src/store/sql/analyst-sql.js';
import { LINK_RANKS } from '../../src/store/sql/kept-adjacency-sql.js';

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
