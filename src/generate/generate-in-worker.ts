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
type Message = Queued | { partWritten: number };

/** A generator's worker thread that also writes parts of the load (`startGraphWorker`). */
export interface GraphWorker {
  /** The batches (without the parts' tables), in order. */
  batches: AsyncGenerator<BulkBatch>;
  /** The parts, each with `written`: settles once its file is complete (rows and indexes), for `bulkLoadSqlite`'s `parts`. */
  parts: (BulkPartSpec & { written: Promise<void> })[];
}

/**
 * The batches of `generateGraph(options)`, mapped by `toBulkBatch`, generated
 * in a worker thread. Stopping the iteration early stops the worker.
 * @example for await (const batch of generateGraphInWorker({ entities: 1000, batchDocuments: 10 })) …
 */
export function generateGraphInWorker(options: GenerateOptions): AsyncGenerator<BulkBatch> {
  return run(options, [], () => {});
}

/**
 * Like `generateGraphInWorker`, but the worker writes the rows of each part's
 * tables itself into the part's file (`BulkLoadPart`) and the batches carry
 * none of them. The batches end when the rows are generated; the worker then
 * builds the parts' indexes, one file after the other, while the caller goes
 * on (its own indexes, copying the parts already written), and each part's
 * `written` settles when its file is complete. Pass `parts` to
 * `bulkLoadSqlite`, which copies the tables in.
 * @example const { batches, parts } = startGraphWorker(options, [{ path: 'g.sqlite.part', tables: ['mentions'] }]); await bulkLoadSqlite('g.sqlite', batches, { fingerprint, parts });
 */
export function startGraphWorker(options: GenerateOptions, parts: readonly BulkPartSpec[]): GraphWorker {
  const settlers: ((error?: Error) => void)[] = [];
  const written = parts.map((_, i) => {
    const promise = new Promise<void>((resolve, reject) => (settlers[i] = (error) => (error ? reject(error) : resolve())));
    // Not awaited until the batches end: a failure before then also fails the batches.
    promise.catch(() => {});
    return promise;
  });
  const settle = (i: number | null, error?: Error): void => {
    for (const [j, s] of settlers.entries()) if (i === null || i === j) s(error);
  };
  return {
    batches: run(
      options,
      parts.map((p) => ({ path: p.path, tables: p.tables })),
      settle,
    ),
    parts: parts.map((p, i) => ({ ...p, written: written[i]! })),
  };
}

/** Settle part `i`'s `written` (every part's when `i` is null), with an error if it failed. */
type SettleParts = (i: number | null, error?: Error) => void;

async function* run(options: GenerateOptions, parts: BulkPartSpec[], settleParts: SettleParts): AsyncGenerator<BulkBatch> {
  const inFlight = new Int32Array(new SharedArrayBuffer(4));
  const workerData: GenerateWorkerData = { options, inFlight, maxInFlight: MAX_IN_FLIGHT, parts };
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
    if ('partWritten' in message) settleParts(message.partWritten);
    else queue.push(message);
    notify();
  });
  worker.on('error', (error) => {
    failure = error;
    settleParts(null, error);
    notify();
  });
  worker.on('exit', (code) => {
    if (code !== 0) failure ??= new Error(`the generator's worker thread exited with code ${code}`);
    // Parts already written stay resolved; the others fail.
    settleParts(null, failure ?? new Error("the generator's worker thread ended before its parts were written"));
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
    // A worker with parts to finish ends by itself; one stopped early is stopped.
    if (!(finished && parts.length > 0)) await worker.terminate();
  }
}
