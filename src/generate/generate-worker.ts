/**
 * Worker thread of `generateGraphInWorker`: generates the documents of a
 * synthetic graph in order, maps each batch to bound values
 * (`toBulkBatch`: flat arrays of strings and numbers, cheap to copy) and
 * posts it, keeping at most `maxInFlight` batches posted and not yet taken
 * (a counter shared with the reading thread). With a `part`, it writes those
 * tables' rows itself into the part's file (`BulkLoadPart`) instead of posting
 * them, and once every batch is posted builds their indexes there and reports
 * the part written.
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
  /** Tables this thread writes into a file of their own instead of posting them. */
  part?: BulkPartSpec;
}

const { options, inFlight, maxInFlight, part: partSpec } = workerData as GenerateWorkerData;
const part = partSpec ? new BulkLoadPart(partSpec) : null;
try {
  for (const batch of generateGraph(options)) {
    const bulk = toBulkBatch(batch);
    if (part) {
      part.write(bulk);
      for (const key of part.spec.tables) bulk.tables[key] = [];
    }
    for (let n = Atomics.load(inFlight, 0); n >= maxInFlight; n = Atomics.load(inFlight, 0)) Atomics.wait(inFlight, 0, n);
    Atomics.add(inFlight, 0, 1);
    parentPort!.postMessage({ batch: bulk });
  }
  // The rows are all out: the reading thread goes on with its own indexes while this one builds the part's.
  parentPort!.postMessage({ done: true });
  if (part) {
    part.finish();
    parentPort!.postMessage({ partWritten: true });
  }
} catch (error) {
  part?.abandon();
  throw error;
}
