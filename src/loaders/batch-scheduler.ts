/**
 * When a request's DataLoaders send their batches: once none of the
 * request's store calls is still running. A nesting level's loads then always
 * travel together, however the database's answers interleave: with an
 * embedded database every answer arrives in the same tick, but over a network
 * (PostgreSQL) sibling answers arrive one by one, and DataLoader's default
 * (dispatch on the next tick) would send one batch per arrival. The number of
 * statements a request costs is the same on every backend, and the smallest.
 *
 * Nothing waits forever: whenever no store call of the request is running,
 * the queued batches go. A request that keeps the store busy with a chain of
 * direct calls delays its loaders' batches until the chain pauses.
 */
import type DataLoader from 'dataloader';

/** Dispatch control shared by one request's loaders. */
export interface BatchScheduler {
  /** DataLoader's `batchScheduleFn`: queue a batch until the store is idle. */
  schedule: NonNullable<DataLoader.Options<unknown, unknown>['batchScheduleFn']>;
  /**
   * The store with every method call counted as in flight until it settles.
   * `beforeCall` runs before each call and may throw to refuse it (the
   * operation deadline, see `Loaders.startDeadline`).
   */
  track<S extends object>(store: S, beforeCall?: () => void): S;
}

/** A scheduler for one request. */
export function createBatchScheduler(): BatchScheduler {
  let inFlight = 0;
  let flushQueued = false;
  const queue: (() => void)[] = [];

  const maybeFlush = (): void => {
    if (flushQueued || inFlight > 0 || queue.length === 0) return;
    flushQueued = true;
    // After the microtasks of the last answer: every load it led to has been queued by then.
    setImmediate(() => {
      flushQueued = false;
      if (inFlight > 0) return; // a call began meanwhile; its end flushes
      for (const dispatch of queue.splice(0)) dispatch();
    });
  };

  return {
    schedule(dispatch) {
      queue.push(dispatch);
      maybeFlush();
    },
    track<S extends object>(store: S, beforeCall?: () => void): S {
      return new Proxy(store, {
        get(target, property, receiver) {
          const value = Reflect.get(target, property, receiver) as unknown;
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            beforeCall?.();
            const result = (value as (...a: unknown[]) => unknown).apply(target, args);
            if (!(result instanceof Promise)) return result;
            inFlight++;
            return result.finally(() => {
              inFlight--;
              maybeFlush();
            });
          };
        },
      });
    },
  };
}
