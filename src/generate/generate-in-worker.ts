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

type Queued = { batch: BulkBatch } | { done: true };
type Message = Queued | { partWritten: true };

/** A generator's worker thread that also writes a part of the load (`startGraphWorker`). */
export interface GraphWorker {
  /** The batches (without the part's tables), in order. */
  batches: AsyncGenerator<BulkBatch>;
  /** The part, with `written`: settles once its file is complete (rows and indexes), for `bulkLoadSqlite`'s `parts`. */
  part: BulkPartSpec & { written: Promise<void> };
}

/**
 * The batches of `generateGraph(options)`, mapped by `toBulkBatch`, generated
 * in a worker thread. Stopping the iteration early stops the worker.
 * @example for await (const batch of generateGraphInWorker({ entities: 1000, batchDocuments: 10 })) …
 */
export function generateGraphInWorker(options: GenerateOptions): AsyncGenerator<BulkBatch> {
  return run(options, undefined, () => {});
}

/**
 * Like `generateGraphInWorker`, but the worker writes the rows of
 * `part.tables` itself into the file `part.path` (`BulkLoadPart`) and the
 * batches carry none of them. The batches end when the rows are generated;
 * the worker then builds the part's indexes while the caller goes on (its own
 * indexes), and `part.written` settles when the file is complete. Pass `part`
 * to `bulkLoadSqlite` (its `parts`), which copies the tables in.
 * @example const { batches, part } = startGraphWorker(options, { path: 'g.sqlite.part', tables: ['mentions'] }); await bulkLoadSqlite('g.sqlite', batches, { fingerprint, parts: [part] });
 */
export function startGraphWorker(options: GenerateOptions, part: BulkPartSpec): GraphWorker {
  let settle!: (error?: Error) => void;
  const written = new Promise<void>((resolve, reject) => (settle = (error) => (error ? reject(error) : resolve())));
  // Not awaited until the batches end: a failure before then also fails the batches.
  written.catch(() => {});
  return { batches: run(options, { path: part.path, tables: part.tables }, settle), part: { ...part, written } };
}

async function* run(options: GenerateOptions, part: BulkPartSpec | undefined, settlePart: (error?: Error) => void): AsyncGenerator<BulkBatch> {
  const inFlight = new Int32Array(new SharedArrayBuffer(4));
  const workerData: GenerateWorkerData = { options, inFlight, maxInFlight: MAX_IN_FLIGHT, ...(part ? { part } : {}) };
  // From source (tsx), the worker's file is TypeScript too: the worker registers tsx's loader before importing it.
  const worker = import.meta.url.endsWith('.ts')
    ? new Worker(
        `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./generate-worker.ts', import.meta.url).href)}); });`,
        { eval: true, workerData },
      )
    : new Worker(new URL('./generate-worker.js', import.meta.url), { workerData });
  const queue: Queued[] = [];
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const notify = (): void => {
    wake?.();
    wake = null;
  };
  worker.on('message', (message: Message) => {
    if ('partWritten' in message) settlePart();
    else queue.push(message);
    notify();
  });
  worker.on('error', (error) => {
    failure = error;
    settlePart(error);
    notify();
  });
  worker.on('exit', (code) => {
    if (code !== 0) failure ??= new Error(`the generator's worker thread exited with code ${code}`);
    settlePart(failure ?? new Error("the generator's worker thread ended before its part was written"));
    notify();
  });
  let finished = false;
  try {
    for (;;) {
      const message = queue.shift();
      if (message === undefined) {
        if (failure) throw failure;
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      if ('done' in message) {
        finished = true;
        return;
      }
      Atomics.sub(inFlight, 0, 1);
      Atomics.notify(inFlight, 0);
      yield message.batch;
    }
  } finally {
    // A worker with a part to finish ends by itself; one stopped early is stopped.
    if (!(finished && part)) await worker.terminate();
  }
}
