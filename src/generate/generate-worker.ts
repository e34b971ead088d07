/**
 * Worker thread of `generateGraphInWorker`: generates the documents of a
 * synthetic graph in order, maps each batch to bound values
 * (`toBulkBatch`: flat arrays of strings and numbers, cheap to copy) and
 * posts it, keeping at most `maxInFlight` batches posted and not yet taken
 * (a counter shared with the reading thread). With `parts`, it writes those
 * tables' rows itself into each part's file (`BulkLoadPart`) instead of posting
 * them, and once every batch is posted builds their indexes there, part by
 * part, reporting each part written.
 */
import { parentPort, workerData } from 'node:worker_threads';

import { BulkLoadPart, type BulkPartSpec } from '../store/sqlite/sqlite-bulk-load.js';
import { toBulkBatch } from '../store/sqlite/sqlite-bulk-rows.js';
import { generateGraph, type GenerateOptions } from './synthetic-graph.js';

/** What the reading thread passes: the generator's options and the shared count of batches in flight. */
export interface GenerateWorkerData {
  options: GenerateOptions;
  inFlight: Int32Array;
  maxInFlight: number;
  /** Tables this thread writes into files of their own instead of posting them. */
  parts: BulkPartSpec[];
}

const { options, inFlight, maxInFlight, parts: partSpecs } = workerData as GenerateWorkerData;
const parts = partSpecs.map((spec) => new BulkLoadPart(spec));
try {
  for (const batch of generateGraph(options)) {
    const bulk = toBulkBatch(batch);
    for (const part of parts) {
      part.write(bulk);
      for (const key of part.spec.tables) bulk.tables[key] = [];
    }
    for (let n = Atomics.load(inFlight, 0); n >= maxInFlight; n = Atomics.load(inFlight, 0)) Atomics.wait(inFlight, 0, n);
    Atomics.add(inFlight, 0, 1);
    parentPort!.postMessage({ batch: bulk });
  }
  // The rows are all out: the reading thread goes on with its own indexes while this one builds the parts'.
  parentPort!.postMessage({ done: true });
  for (const [i, part] of parts.entries()) {
    part.finish();
    parentPort!.postMessage({ partWritten: i });
  }
} catch (error) {
  for (const part of parts) part.abandon();
  throw error;
}
