/**
 * The generator's worker thread: the batches it posts are the ones the
 * generator and `toBulkBatch` give on this thread, in order; stopping early
 * and a generator error end the iteration instead of hanging it.
 */
import { describe, expect, it } from 'vitest';

import { generateGraphInWorker } from '../../src/generate/generate-in-worker.js';
import { generateGraph } from '../../src/generate/synthetic-graph.js';
import { toBulkBatch } from '../../src/store/sqlite/sqlite-bulk-rows.js';

describe('generateGraphInWorker', () => {
  it('yields, in order, the batches generateGraph and toBulkBatch give on this thread', async () => {
    const options = { entities: 700, seed: 3, batchDocuments: 4 };
    const expected = [...generateGraph(options)].map(toBulkBatch);
    const got = [];
    for await (const batch of generateGraphInWorker(options)) got.push(batch);
    expect(got.length).toBe(Math.ceil(70 / 4));
    expect(got).toEqual(expected);
  }, 60_000);

  it('stops the worker when the reader stops early', async () => {
    let seen = 0;
    // More batches than the worker may post ahead: it must be waiting for the reader when the reader stops.
    for await (const batch of generateGraphInWorker({ entities: 10_000, batchDocuments: 1 })) {
      expect(batch.documents).toBe(1);
      if (++seen === 3) break;
    }
    expect(seen).toBe(3);
  }, 60_000);

  it('rejects with the generator’s error', async () => {
    const iterate = async () => {
      for await (const _ of generateGraphInWorker({ entities: 5 })) void _;
    };
    await expect(iterate()).rejects.toThrow(/--entities must be an integer of at least 10; got 5/);
  }, 60_000);
});
