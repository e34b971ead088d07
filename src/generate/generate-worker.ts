/**
 * Worker thread of `generateGraphInWorker`: generates the documents of a
 * synthetic graph in order, maps each batch to bound values
 * (`toBulkBatch`: flat arrays of strings and numbers, cheap to copy) and
 * posts it, keeping at most `maxInFlight` batches posted and not yet taken
 * (a counter shared with the reading thread).
 */
import { parentPort, workerData } from 'node:worker_threads';

import { toBulkBatch } from '../store/sqlite/sqlite-bulk-rows.js';
import { generateGraph, type GenerateOptions } from './synthetic-graph.js';

/** What the reading thread passes: the generator's options and the shared count of batches in flight. */
export interface GenerateWorkerData {
  options: GenerateOptions;
  inFlight: Int32Array;
  maxInFlight: number;
}

const { options, inFlight, maxInFlight } = workerData as GenerateWorkerData;
for (const batch of generateGraph(options)) {
  const bulk = toBulkBatch(batch);
  for (let n = Atomics.load(inFlight, 0); n >= maxInFlight; n = Atomics.load(inFlight, 0)) Atomics.wait(inFlight, 0, n);
  Atomics.add(inFlight, 0, 1);
  parentPort!.postMessage({ batch: bulk });
}
parentPort!.postMessage({ done: true });
