/**
 * A decorator that times every call of a store, whatever the backend and
 * whatever methods the interface gains later: a Proxy wraps each method, and
 * reports its name, duration and success to an observer (the server's metrics).
 */
import type { GraphStore } from './store.js';

/** Receives one timing per store call. */
export type StoreCallObserver = (method: string, seconds: number, ok: boolean) => void;

/** `store`, with every method call timed and reported to `observe`. */
export function instrumentStore<S extends GraphStore>(store: S, observe: StoreCallObserver): S {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string' || property === 'constructor') return value;
      let wrapper = wrapped.get(property);
      if (!wrapper) {
        wrapper = function timed(this: unknown, ...args: unknown[]) {
          const started = performance.now();
          const done = (ok: boolean) => observe(property, (performance.now() - started) / 1000, ok);
          let result: unknown;
          try {
            result = (value as (...a: unknown[]) => unknown).apply(target, args);
          } catch (error) {
            done(false);
            throw error;
          }
          if (result instanceof Promise) {
            return result.then(
              (v) => (done(true), v),
              (error) => {
                done(false);
                throw error;
              },
            );
          }
          done(true);
          return result;
        };
        wrapped.set(property, wrapper);
      }
      return wrapper;
    },
  });
}
