/**
 * Where log lines go: standard output, written once per turn of the event
 * loop. Under load a server logs a line per request; writing each line by
 * itself cost a write system call (and, asynchronously, a thread-pool round
 * trip) per request — about a third of the CPU of a cached answer. Lines are
 * instead collected during a turn and written together, in order, when the
 * turn ends (`setImmediate`), synchronously through pino's own destination
 * (sonic-boom, which retries a full pipe). Nothing is lost on exit: pending
 * lines are written when the process exits, also after `process.exit()`.
 */
import type { DestinationStream } from 'pino';
import { pino } from 'pino';

/** What the batch is written to: sonic-boom in synchronous mode, or anything alike (tests). */
export interface LineSink {
  write(text: string): unknown;
}

/** A pino destination that batches lines per event-loop turn (see the module comment). */
export interface BatchedDestination extends DestinationStream {
  /** Write what is pending now. */
  flushSync(): void;
  /** Write what is pending, then call back (pino's `logger.flush(cb)`). */
  flush(callback?: (error?: Error) => void): void;
  /** Lines waiting for the end of the turn. */
  readonly pending: number;
}

/**
 * Batch lines for `sink` (default: standard output through sonic-boom,
 * synchronous, so a line is on its way when the turn ends).
 */
export function batchedDestination(sink: LineSink = pino.destination({ dest: 1, sync: true })): BatchedDestination {
  let lines: string[] = [];
  let scheduled = false;
  const flushSync = (): void => {
    scheduled = false;
    if (lines.length === 0) return;
    const text = lines.length === 1 ? lines[0]! : lines.join('');
    lines = [];
    sink.write(text);
  };
  // After process.exit() no timer runs: write what is left.
  process.once('exit', flushSync);
  return {
    write(line: string) {
      lines.push(line);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flushSync);
      }
    },
    flushSync,
    flush(callback) {
      try {
        flushSync();
        callback?.();
      } catch (error) {
        if (callback) callback(error as Error);
        else throw error;
      }
    },
    get pending() {
      return lines.length;
    },
  };
}
