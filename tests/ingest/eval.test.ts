/**
 * The extraction targets on the seed article, as `npm run eval` measures them:
 * every curated quote found with its right speaker, mentions at precision and
 * recall of at least 0.95 when the graph knows the curated entities.
 */
import { describe, expect, it } from 'vitest';

import { evaluateSeeds } from '../../src/ingest/evaluate.js';
import { SEEDS_DIR } from '../helpers/test-server.js';

describe('extraction scored against the curated seed annotation', () => {
  it('meets the targets with the curated entities known', async () => {
    const r = await evaluateSeeds(SEEDS_DIR, 'known');
    expect(r.quotes.recall).toBe(1);
    expect(r.speakers.correct).toBe(r.quotes.expected);
    expect(r.mentions.precision).toBeGreaterThanOrEqual(0.95);
    expect(r.mentions.recall).toBeGreaterThanOrEqual(0.95);
    // "2013", "2020" and "March 2022" are stated; "June 30th" has no year in the text and no publication date to take it from.
    expect(r.dates.correct).toBe(3);
    expect(r.dates.precision).toBe(1);
  });

  it('still finds both quotes and their speakers with an empty graph', async () => {
    const r = await evaluateSeeds(SEEDS_DIR, 'empty');
    expect(r.quotes.recall).toBe(1);
    expect(r.speakers.correct).toBe(r.quotes.expected);
  });
});
