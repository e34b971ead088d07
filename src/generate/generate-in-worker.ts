/**
 * The synthetic graph generated on another thread: `generateGraphInWorker`
 * runs the generator and the mapping of rows to bound values in a worker
 * (`generate-worker.ts`) and yields the batches, in order, as `BulkBatch`es
 * for `bulkLoadSqlite`. The writing thread then only inserts; on a machine
 * with two cores the two halves of the work run side by side.
 */
import { Worker } from 'node:worker_threads';

import type { BulkPartSpec } from '../store/sqlite/sqlite-bulk-load.js';
import type { BulkBatch } from '../store/sqlite/sqlite-bulk-rows.js';
import type { GenerateWorkerData } from './generate-worker.js';
import type { GenerateOptions } from './synthetic-graph.js';

/** Batches posted and not yet taken, at most: bounds the memory a slow writer lets the generator fill. */
const MAX_IN_FLIGHT = 16;

type Message = { batch: BulkBatch } | { done: true };

/**
 * The batches of `generateGraph(options)`, mapped by `toBulkBatch`, generated
 * in a worker thread. Stopping the iteration early stops the worker.
 *
 * With `part`, the worker writes the rows of `part.tables` itself into the file
 * `part.path` (`BulkLoadPart`, indexes included) and the batches carry none
 * of them; the iteration ends once that file is complete, so pass the same
 * `part` to `bulkLoadSqlite` (its `parts`) to copy them in.
 * @example for await (const batch of generateGraphInWorker({ entities: 1000, batchDocuments: 10 })) …
 */
export async function* generateGraphInWorker(options: GenerateOptions, part?: BulkPartSpec): AsyncGenerator<BulkBatch> {
  const inFlight = new Int32Array(new SharedArrayBuffer(4));
  const workerData: GenerateWorkerData = { options, inFlight, maxInFlight: MAX_IN_FLIGHT, ...(part ? { part } : {}) };
  // From source (tsx), the worker's file is TypeScript too: the worker registers tsx's loader before importing it.
  const worker = import.meta.url.endsWith('.ts')
    ? new Worker(
        `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./generate-worker.ts', import.meta.url).href)}); });`,
        { eval: true, workerData },
      )
    : new Worker(new URL('./generate-worker.js', import.meta.url), { workerData });
  const queue: Message[] = [];
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const notify = (): void => {
    wake?.();
    wake = null;
  };
  worker.on('message', (message: Message) => {
    queue.push(message);
    notify();
  });
  worker.on('error', (error) => {
    failure = error;
    notify();
  });
  worker.on('exit', (code) => {
    if (code !== 0) failure ??= new Error(`the generator's worker thread exited with code ${code}`);
    notify();
  });
  try {
    for (;;) {
      const message = queue.shift();
      if (message === undefined) {
        if (failure) throw failure;
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      if ('done' in message) return;
      Atomics.sub(inFlight, 0, 1);
      Atomics.notify(inFlight, 0);
      yield message.batch;
    }
  } finally {
    await worker.terminate();
  }
}
